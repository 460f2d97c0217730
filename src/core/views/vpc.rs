//! The VPC builder's view of EC2's network: its state (`state`), its create form read into
//! an EC2 request (`forms`), the diagram (`layout`) and the CIDR planner's plan built as a
//! network (`plan`), the exports a helper module serves (`exports`), and what the page
//! and its editor module say to each other (`editor`).

pub mod editor;
pub mod exports;
pub mod forms;
pub mod layout;
pub mod plan;
pub mod state;
