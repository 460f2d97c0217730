//! One component per route.

pub mod cidr;
pub mod console;
pub mod drive_failure;
pub mod dynamodb;
pub mod flow;
pub mod home;
pub mod iam;
pub mod lambda;
pub mod not_found;
pub mod sandboxes;
pub mod tool;
pub mod vpc;
