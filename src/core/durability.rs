//! Drive failure and durability: one drive, a fleet, and redundancy schemes.
//!
//! Facts: ../shared/facts/pricing-and-sizing.md ("Drive failure and durability") and the
//! course notes' dice demo (AFR 2% → p = 5.53e-5 per day; (1/6)^6 = 2.14e-5). The redundancy
//! model is Backblaze's open erasure-coding durability model (github.com/Backblaze/
//! erasure-coding-durability): a year is cut into rebuild periods, data is lost when more
//! shards fail within one period than there is parity.
//!
//! Numerics: probabilities near 0 or 1 are computed with `ln_1p`/`exp_m1` and in log space,
//! never as `1 - (1 - p)^n`, so 1e-12 does not collapse to 0.

pub mod charts;
pub mod math;
pub mod model;
pub mod state;

pub use model::*;
