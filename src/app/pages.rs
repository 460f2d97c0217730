//! One component per route.

pub mod cidr;
pub mod home;
pub mod not_found;
pub mod tool;
