//! Browser glue: the only place besides `app` that touches `web-sys`.
//!
//! Each function here is small and forgiving: browser APIs can be missing or throw (local
//! storage in some private modes, a document without the expected element), and none of
//! that may panic. Failures are logged to the console and the app carries on.

pub mod crash;
pub mod dom;
pub mod files;
pub mod helper;
pub mod idb;
pub mod pack;
pub mod storage;
pub mod url;
