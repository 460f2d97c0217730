//! Reusable pieces of the page shell.

pub mod console_drawer;
pub mod embed;
pub mod export;
pub mod figure;
pub mod form;
pub mod header;
pub mod helper_slot;
pub mod lock;
pub mod nav_link;
pub mod tool_frame;
