//! The shell module (home, sandboxes, not found): the first thing a visit to `#/` loads.
//! Each tool has a binary of its own in `src/bin` (see `stratus::app::modules`); everything
//! lives in the library so tests can reach it.

#[cfg(target_arch = "wasm32")]
fn main() {
    stratus::app::start(stratus::app::modules::SHELL);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Stratus runs in the browser: serve it with `./scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
