//! The CIDR and VPC address planner: IPv4 and IPv6 address math, AWS's subnet rules and a
//! VPC plan generator.
//!
//! Facts: AWS VPC User Guide, "VPC CIDR blocks" and "Subnet CIDR blocks"
//! (docs.aws.amazon.com/vpc/latest/userguide/), and the course notes' digest
//! (../shared/facts/course-notes-digest.md, section 9: /16–/28 and five reserved addresses).

pub mod addr;
pub mod aws;
pub mod block;
pub mod division;
pub mod explain;
pub mod plan;
pub mod ranges;
pub mod share;
pub mod special;

pub use addr::{Addr, AddrError, Family};
pub use block::{Block, BlockError, Parsed};
