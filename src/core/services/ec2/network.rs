//! The VPC model: networks, subnets, routing, gateways, NACLs and security groups, with
//! validation and a reachability analyzer that enforces and explains AWS's rules.
//!
//! Semantics (AWS VPC User Guide; course notes digest section 9): a NACL is stateless,
//! evaluated in ascending rule number, first match decides, a final `*` denies; the default
//! NACL allows everything, a custom one denies until rules are added. A security group is
//! stateful and allow-only; an interface's groups are a union; the default group allows
//! inbound from itself and all outbound. Routing picks the longest matching prefix; the
//! `local` route covers the VPC's CIDRs. Packet path: source SG egress → source subnet NACL
//! outbound → route table → target → destination subnet NACL inbound → destination SG
//! ingress, and for the reply the NACLs again (SGs are stateful).
//!
//! `model` holds the types, `query` the facts every part shares (a public subnet, a VPC's
//! internet gateway), `validate` the edit rules, `reach` the analyzer and the web
//! server checklist, `edit` the EC2 operations, `templates` the starting designs, `export`
//! the design as Terraform and CloudFormation. The VPC
//! page's state, forms and diagram are views of it (`core::views::vpc`).

pub mod edit;
pub mod export;
pub mod model;
pub mod query;
pub mod reach;
pub mod templates;
pub mod validate;

pub use model::*;
