//! Reusable pieces of the page shell.

pub mod header;
pub mod nav_link;
