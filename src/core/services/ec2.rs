//! Amazon EC2. Its network (VPCs, subnets, route tables, gateways, network ACLs, security
//! groups, network interfaces) is part of the EC2 API in AWS (`aws ec2 create-vpc`, IAM
//! action `ec2:CreateVpc`), so it lives here.

pub mod compute;
pub mod imds;
pub mod network;
