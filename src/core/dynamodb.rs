//! DynamoDB: item sizes and the capacity units requests consume.
//!
//! Sources: Amazon DynamoDB Developer Guide, "Item sizes and formats" and "Read/write
//! capacity mode" (units: 1 RCU = one strongly consistent read per second of up to 4 KB,
//! eventually consistent = half, transactional = double; 1 WCU = one write per second of up
//! to 1 KB, transactional = double), and ../shared/facts/pricing-and-sizing.md. Checked
//! 2026-11-21. The course notes' five worked examples are table tests in `capacity.rs`.
//!
//! `request` prices one request, `state` the page's typed input and its cost report,
//! `charts` the cost charts.

pub mod capacity;
pub mod charts;
pub mod item;
pub mod pricing;
pub mod request;
pub mod state;
