//! The domain core: everything Stratus computes, free of any browser API.
//!
//! Modules here must not use `web-sys`, `js-sys`, `yew` or `gloo` (they are not even
//! dependencies on native builds), must be deterministic (no wall clock, no unseeded
//! randomness), and are tested natively with `cargo test`.

pub mod account;
pub mod chart;
pub mod cidr;
pub mod cli;
pub mod crash;
pub mod durability;
pub mod dynamodb;
pub mod flow;
pub mod format;
pub mod fuzz;
pub mod history;
pub mod iam;
pub mod lambda;
pub mod parse_float;
pub mod path;
pub mod prefs;
pub mod sandbox;
pub mod services;
pub mod share;
pub mod sim;
pub mod steps;
pub mod tools;
pub mod urlcodec;
pub mod views;
