//! Stratus: an AWS learning playground that runs entirely in the browser.
//!
//! The crate has three layers (see `docs/ARCHITECTURE.md`):
//!
//! * [`core`] — the domain core: plain, deterministic Rust with no browser APIs. It compiles
//!   and is tested natively (`cargo test`), in milliseconds.
//! * `platform` (wasm32 only) — the thin glue to browser APIs: local storage, the panic
//!   hook, document attributes.
//! * `app` (wasm32 only) — Yew components and routing. Components derive view data from the
//!   core and render it; they hold no domain logic.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod platform;
