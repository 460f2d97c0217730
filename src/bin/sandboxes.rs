//! The sandboxes module (see `stratus::app::modules`): the sandboxes page, loaded only for
//! its route, so the home page does not carry it.

#[cfg(target_arch = "wasm32")]
fn main() {
    stratus::app::start(stratus::app::modules::SANDBOXES);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Stratus runs in the browser: serve it with `./scripts/serve.sh` (see README.md).");
    std::process::exit(2);
}
