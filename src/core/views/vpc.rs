//! The VPC builder's view of EC2's network: its state (`state`), its create form read into
//! an EC2 request (`forms`) and the diagram (`layout`).

pub mod forms;
pub mod layout;
pub mod state;
