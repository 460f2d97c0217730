//! The console module (see `stratus::app::modules`): loaded only for its route.

#[cfg(target_arch = "wasm32")]
fn main() {
    stratus::app::start(stratus::app::modules::CONSOLE);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Stratus runs in the browser: serve it with `./scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
