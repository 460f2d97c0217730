//! The binary only mounts the app; everything lives in the library so tests can reach it.

#[cfg(target_arch = "wasm32")]
fn main() {
    stratus::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Stratus runs in the browser: serve it with `./scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
