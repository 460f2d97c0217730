//! AWS's rules for VPC and subnet CIDR blocks, and a checker that explains violations.
//!
//! Source: Amazon VPC User Guide, "VPC CIDR blocks" (block sizes, association restrictions)
//! and "Subnet CIDR blocks" (sizes, reserved addresses), and the Amazon VPC quotas page
//! (5 IPv4 CIDR blocks per VPC by default, adjustable to 50). Checked 2026-11-21.

use super::explain::{
    is_aws_v6_subnet_prefix, is_aws_v6_vpc_prefix, AWS_V4_SUBNET_PREFIXES,
    AWS_V6_AMAZON_VPC_PREFIX, AWS_V6_SUBNET_RULE, AWS_V6_VPC_RULE,
};
use super::{Block, Family};

/// The rule table, versioned with its source and date.
pub struct AwsRules {
    pub source: &'static str,
    pub checked: &'static str,
    /// Allowed IPv4 VPC and subnet prefix lengths.
    pub v4_prefixes: std::ops::RangeInclusive<u8>,
    /// Amazon-provided IPv6 VPC blocks are /56 (other sizes, /44 to /60 in steps of 4, come
    /// from IPAM or BYOIP); subnets are /44 to /64 in steps of 4 (see `explain`).
    pub v6_vpc_prefix: u8,
    /// Default quota of IPv4 CIDR blocks per VPC (primary included), and its maximum.
    pub v4_cidrs_per_vpc: usize,
    pub v4_cidrs_per_vpc_max: usize,
    /// Default quota of IPv6 CIDR blocks per VPC.
    pub v6_cidrs_per_vpc: usize,
}

pub const RULES: AwsRules = AwsRules {
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    checked: "2026-11-21",
    v4_prefixes: AWS_V4_SUBNET_PREFIXES,
    v6_vpc_prefix: AWS_V6_AMAZON_VPC_PREFIX,
    v4_cidrs_per_vpc: 5,
    v4_cidrs_per_vpc_max: 50,
    v6_cidrs_per_vpc: 5,
};

/// The ranges that restrict which secondary CIDRs a VPC can take, given its primary.
const RFC1918: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const RESTRICTED_198_19: &str = "198.19.0.0/16";

/// What the checker is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VpcInput {
    /// IPv4 CIDRs; the first is the primary.
    pub v4: Vec<Block>,
    pub v6: Vec<Block>,
    pub subnets: Vec<SubnetInput>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubnetInput {
    pub name: String,
    pub v4: Option<Block>,
    pub v6: Option<Block>,
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// AWS would refuse this.
    Error,
    /// Allowed, but worth knowing (a default quota, a range some services use).
    Warning,
}

/// One finding, with a stable code for tests and the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub subject: String,
    pub message: String,
}

fn b(text: &str) -> Block {
    Block::parse(text).map(|p| p.block).unwrap_or(Block {
        family: Family::V4,
        start: 0,
        prefix: 32,
    })
}

fn rfc1918_of(block: &Block) -> Option<Block> {
    RFC1918.iter().map(|r| b(r)).find(|r| r.contains(block))
}

/// The findings collected so far, in the order the rules found them.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn push(&mut self, code: &'static str, severity: Severity, subject: String, message: String) {
        self.0.push(Finding {
            code,
            severity,
            subject,
            message,
        })
    }
}

/// Checks a VPC and its subnets against AWS's rules.
pub fn check(input: &VpcInput) -> Vec<Finding> {
    let mut out = Findings::default();
    check_vpc_v4(input, &mut out);
    check_vpc_v6(input, &mut out);
    for (i, subnet) in input.subnets.iter().enumerate() {
        check_subnet(input, i, subnet, &mut out);
    }
    let mut out = out.0;
    out.sort_by_key(|f| f.severity);
    out
}

/// "too large" or "too small" for an IPv4 prefix outside /16 to /28.
fn v4_size_word(prefix: u8) -> &'static str {
    if prefix < 16 {
        "too large"
    } else {
        "too small"
    }
}

/// The VPC's IPv4 blocks: one needed, each a valid size, secondaries associable, within quota.
fn check_vpc_v4(input: &VpcInput, out: &mut Findings) {
    if input.v4.is_empty() {
        out.push(
            "VPC_NO_IPV4",
            Severity::Error,
            "VPC".into(),
            "A VPC needs an IPv4 CIDR block (its primary CIDR).".into(),
        );
    }
    for (i, block) in input.v4.iter().enumerate() {
        check_vpc_v4_block(input, i, block, out);
    }
    if input.v4.len() > RULES.v4_cidrs_per_vpc {
        out.push(
            "VPC_CIDR_QUOTA",
            if input.v4.len() > RULES.v4_cidrs_per_vpc_max { Severity::Error } else { Severity::Warning },
            "VPC".into(),
            format!(
                "{} IPv4 blocks: the default quota is {} per VPC (primary included); it can be raised to {}.",
                input.v4.len(),
                RULES.v4_cidrs_per_vpc,
                RULES.v4_cidrs_per_vpc_max
            ),
        );
    }
}

/// One IPv4 block of the VPC (the `i`th; 0 is the primary): family, size, the Docker range,
/// and for a secondary, overlap and association restrictions.
fn check_vpc_v4_block(input: &VpcInput, i: usize, block: &Block, out: &mut Findings) {
    let role = if i == 0 {
        "primary".to_string()
    } else {
        format!("secondary #{i}")
    };
    let subject = format!("{block} ({role})");
    if block.family != Family::V4 {
        out.push(
            "VPC_CIDR_FAMILY",
            Severity::Error,
            subject,
            "This list is for IPv4 blocks; put IPv6 blocks in the IPv6 list.".into(),
        );
        return;
    }
    if !RULES.v4_prefixes.contains(&block.prefix) {
        out.push(
            "VPC_CIDR_SIZE",
            Severity::Error,
            subject.clone(),
            format!(
                "A VPC CIDR block must be /16 to /28 (65,536 to 16 addresses); /{} is {}.",
                block.prefix,
                v4_size_word(block.prefix)
            ),
        );
    }
    if b("172.17.0.0/16").overlaps(block) {
        out.push("VPC_CIDR_172_17", Severity::Warning, subject.clone(), "Some AWS services (Cloud9, SageMaker) use 172.17.0.0/16 for Docker; AWS advises against it.".into());
    }
    if i > 0 {
        check_secondary_v4(input, i, block, &subject, out);
    }
}

/// A secondary IPv4 block (the `i`th): no overlap with earlier blocks, and the association
/// restrictions that depend on where the primary lies (RFC 1918 ranges, 198.19.0.0/16).
fn check_secondary_v4(
    input: &VpcInput,
    i: usize,
    block: &Block,
    subject: &str,
    out: &mut Findings,
) {
    let primary = input.v4[0];
    if primary.overlaps(block) || input.v4[1..i].iter().any(|o| o.overlaps(block)) {
        out.push(
            "VPC_CIDR_OVERLAP",
            Severity::Error,
            subject.into(),
            "It overlaps another CIDR block of the VPC.".into(),
        );
    }
    // Association restrictions, by where the primary lies.
    let primary_private = rfc1918_of(&primary);
    let block_private = rfc1918_of(block);
    let r198 = b(RESTRICTED_198_19);
    match (primary_private, block_private) {
        (Some(p), Some(s)) if p != s => out.push(
            "VPC_CIDR_RFC1918_MIX",
            Severity::Error,
            subject.into(),
            format!("The primary CIDR is in {p}, so secondary blocks cannot come from another RFC 1918 range ({s})."),
        ),
        (None, Some(s)) if !r198.contains(&primary) => out.push(
            "VPC_CIDR_RFC1918_MIX",
            Severity::Error,
            subject.into(),
            format!("The primary CIDR is not private (RFC 1918), so a secondary block cannot come from {s}."),
        ),
        (_, Some(s)) if r198.contains(&primary) => out.push(
            "VPC_CIDR_RFC1918_MIX",
            Severity::Error,
            subject.into(),
            format!("The primary CIDR is in 198.19.0.0/16, so a secondary block cannot come from {s}."),
        ),
        _ => {}
    }
    if r198.overlaps(block) && !r198.contains(&primary) {
        out.push(
            "VPC_CIDR_198_19",
            Severity::Error,
            subject.into(),
            "198.19.0.0/16 can be a secondary block only when the primary is in it too.".into(),
        );
    }
}

/// The VPC's IPv6 blocks: family, size (Amazon-provided or not), and the quota.
fn check_vpc_v6(input: &VpcInput, out: &mut Findings) {
    for block in &input.v6 {
        let subject = format!("{block} (IPv6)");
        if block.family != Family::V6 {
            out.push(
                "VPC_IPV6_FAMILY",
                Severity::Error,
                subject,
                "This list is for IPv6 blocks.".into(),
            );
            continue;
        }
        if !is_aws_v6_vpc_prefix(block.prefix) {
            out.push(
                "VPC_IPV6_SIZE",
                Severity::Error,
                subject,
                format!(
                    "An IPv6 VPC block is {AWS_V6_VPC_RULE}; this is a /{}.",
                    block.prefix
                ),
            );
        } else if block.prefix != RULES.v6_vpc_prefix {
            out.push(
                "VPC_IPV6_NOT_AMAZON",
                Severity::Warning,
                subject,
                format!(
                    "An Amazon-provided block is a /56; a /{} comes from an IPAM pool or your own addresses (BYOIP).",
                    block.prefix
                ),
            );
        }
    }
    if input.v6.len() > RULES.v6_cidrs_per_vpc {
        out.push(
            "VPC_IPV6_QUOTA",
            Severity::Warning,
            "VPC".into(),
            format!(
                "{} IPv6 blocks: the default quota is {} per VPC.",
                input.v6.len(),
                RULES.v6_cidrs_per_vpc
            ),
        );
    }
}

/// A subnet's display name: its own, or "subnet N" (1-based) when it has none.
fn subnet_name(subnet: &SubnetInput, i: usize) -> String {
    if subnet.name.is_empty() {
        format!("subnet {}", i + 1)
    } else {
        subnet.name.clone()
    }
}

/// The `i`th subnet: it needs a block, and each of its blocks is checked by family.
fn check_subnet(input: &VpcInput, i: usize, subnet: &SubnetInput, out: &mut Findings) {
    let name = subnet_name(subnet, i);
    if subnet.v4.is_none() && subnet.v6.is_none() {
        out.push(
            "SUBNET_EMPTY",
            Severity::Error,
            name.clone(),
            "A subnet needs an IPv4 block, an IPv6 block, or both.".into(),
        );
    }
    if let Some(s) = subnet.v4 {
        check_subnet_v4(input, i, &name, s, out);
    }
    if let Some(s) = subnet.v6 {
        check_subnet_v6(input, i, &name, s, out);
    }
}

/// The IPv4 block `s` of the `i`th subnet: family, size, inside one VPC block, no overlap
/// with earlier subnets.
fn check_subnet_v4(input: &VpcInput, i: usize, name: &str, s: Block, out: &mut Findings) {
    let subject = format!("{name} {s}");
    if s.family != Family::V4 {
        out.push(
            "SUBNET_FAMILY",
            Severity::Error,
            subject,
            "The IPv4 column holds an IPv6 block.".into(),
        );
        return;
    }
    if !RULES.v4_prefixes.contains(&s.prefix) {
        out.push(
            "SUBNET_SIZE",
            Severity::Error,
            subject.clone(),
            format!(
                "A subnet must be /16 to /28; /{} is {}.",
                s.prefix,
                v4_size_word(s.prefix)
            ),
        );
    }
    if !input.v4.iter().any(|v| v.contains(&s)) {
        let partly = input.v4.iter().find(|v| v.overlaps(&s));
        out.push(
            "SUBNET_OUTSIDE_VPC",
            Severity::Error,
            subject.clone(),
            match partly {
                Some(v) => format!("It is larger than the VPC block {v} it overlaps: a subnet must lie inside one VPC CIDR block."),
                None => "It lies outside every CIDR block of the VPC.".to_string(),
            },
        );
    }
    for (j, other) in input.subnets[..i].iter().enumerate() {
        if let Some(o) = other.v4.filter(|o| o.overlaps(&s)) {
            let other_name = subnet_name(other, j);
            out.push(
                "SUBNET_OVERLAP",
                Severity::Error,
                subject.clone(),
                format!("It overlaps {other_name} ({o}); subnets of a VPC must not overlap."),
            );
        }
    }
}

/// The IPv6 block `s` of the `i`th subnet: family, size, inside the VPC's IPv6 blocks, no
/// overlap with earlier subnets.
fn check_subnet_v6(input: &VpcInput, i: usize, name: &str, s: Block, out: &mut Findings) {
    let subject = format!("{name} {s}");
    if s.family != Family::V6 {
        out.push(
            "SUBNET_FAMILY",
            Severity::Error,
            subject,
            "The IPv6 column holds an IPv4 block.".into(),
        );
        return;
    }
    if !is_aws_v6_subnet_prefix(s.prefix) {
        out.push(
            "SUBNET_IPV6_SIZE",
            Severity::Error,
            subject.clone(),
            format!(
                "An IPv6 subnet block is {AWS_V6_SUBNET_RULE}; this is a /{}.",
                s.prefix
            ),
        );
    }
    if !input.v6.iter().any(|v| v.contains(&s)) {
        out.push(
            "SUBNET_IPV6_OUTSIDE_VPC",
            Severity::Error,
            subject.clone(),
            "It lies outside the VPC's IPv6 blocks.".into(),
        );
    }
    for other in &input.subnets[..i] {
        if let Some(o) = other.v6.filter(|o| o.overlaps(&s)) {
            out.push(
                "SUBNET_OVERLAP",
                Severity::Error,
                subject.clone(),
                format!("It overlaps {o}; subnets of a VPC must not overlap."),
            );
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn codes(
        v4: &[&str],
        v6: &[&str],
        subnets: &[(&str, Option<&str>, Option<&str>)],
    ) -> Vec<&'static str> {
        let input = VpcInput {
            v4: v4.iter().map(|t| b(t)).collect(),
            v6: v6.iter().map(|t| b(t)).collect(),
            subnets: subnets
                .iter()
                .map(|(n, a, c)| SubnetInput {
                    name: n.to_string(),
                    v4: a.map(b),
                    v6: c.map(b),
                })
                .collect(),
        };
        check(&input).iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_valid_vpc_has_no_findings() {
        assert!(codes(
            &["10.0.0.0/16", "10.1.0.0/16"],
            &["2600:1f18:1234:5600::/56"],
            &[
                (
                    "public-a",
                    Some("10.0.0.0/24"),
                    Some("2600:1f18:1234:5600::/64")
                ),
                ("private-a", Some("10.1.0.0/20"), None)
            ]
        )
        .is_empty());
    }

    #[test]
    fn sizes() {
        assert_eq!(codes(&["10.0.0.0/8"], &[], &[]), ["VPC_CIDR_SIZE"]);
        assert_eq!(codes(&["10.0.0.0/29"], &[], &[]), ["VPC_CIDR_SIZE"]);
        assert_eq!(
            codes(&["10.0.0.0/16"], &[], &[("a", Some("10.0.0.0/29"), None)]),
            ["SUBNET_SIZE"]
        );
        // IPv6 VPC blocks: /44 to /60 in steps of 4; other than /56 is not Amazon-provided.
        assert_eq!(
            codes(&["10.0.0.0/16"], &["2600::/48"], &[]),
            ["VPC_IPV6_NOT_AMAZON"]
        );
        assert_eq!(
            codes(&["10.0.0.0/16"], &["2600::/50"], &[]),
            ["VPC_IPV6_SIZE"]
        );
        assert_eq!(
            codes(&["10.0.0.0/16"], &["2600::/64"], &[]),
            ["VPC_IPV6_SIZE"]
        );
        // IPv6 subnets: /44 to /64 in steps of 4 (Amazon VPC User Guide, "Subnet CIDR blocks").
        for (subnet, expected) in [
            ("2600::/80", vec!["SUBNET_IPV6_SIZE"]),
            ("2600::/62", vec!["SUBNET_IPV6_SIZE"]),
            ("2600::/60", vec![]),
            ("2600::/56", vec![]),
            ("2600::/64", vec![]),
        ] {
            assert_eq!(
                codes(
                    &["10.0.0.0/16"],
                    &["2600::/56"],
                    &[("a", None, Some(subnet))]
                ),
                expected,
                "{subnet}"
            );
        }
    }

    #[test]
    fn placement_and_overlap() {
        assert_eq!(
            codes(&["10.0.0.0/16"], &[], &[("a", Some("10.1.0.0/24"), None)]),
            ["SUBNET_OUTSIDE_VPC"]
        );
        // Adjacent VPC CIDRs do not let a subnet span both.
        assert_eq!(
            codes(
                &["10.0.0.0/17", "10.0.128.0/17"],
                &[],
                &[("a", Some("10.0.0.0/16"), None)]
            ),
            ["SUBNET_OUTSIDE_VPC"]
        );
        assert_eq!(
            codes(
                &["10.0.0.0/16"],
                &[],
                &[
                    ("a", Some("10.0.0.0/24"), None),
                    ("b", Some("10.0.0.128/25"), None)
                ]
            ),
            ["SUBNET_OVERLAP"]
        );
        assert_eq!(
            codes(&["10.0.0.0/16", "10.0.1.0/24"], &[], &[]),
            ["VPC_CIDR_OVERLAP"]
        );
        assert_eq!(
            codes(&["10.0.0.0/16"], &[], &[("a", None, Some("2600::/64"))]),
            ["SUBNET_IPV6_OUTSIDE_VPC"]
        );
    }

    #[test]
    fn secondary_cidr_restrictions() {
        assert_eq!(
            codes(&["10.0.0.0/16", "192.168.0.0/16"], &[], &[]),
            ["VPC_CIDR_RFC1918_MIX"]
        );
        assert_eq!(
            codes(&["172.31.0.0/16", "10.0.0.0/16"], &[], &[]),
            ["VPC_CIDR_RFC1918_MIX"]
        );
        assert!(
            codes(&["10.0.0.0/16", "100.64.0.0/16"], &[], &[]).is_empty(),
            "CGNAT space is permitted"
        );
        assert!(codes(&["10.0.0.0/16", "10.200.0.0/16"], &[], &[]).is_empty());
        assert_eq!(
            codes(&["10.0.0.0/16", "198.19.0.0/16"], &[], &[]),
            ["VPC_CIDR_198_19"]
        );
        assert_eq!(
            codes(&["198.19.0.0/16", "10.0.0.0/16"], &[], &[]),
            ["VPC_CIDR_RFC1918_MIX"]
        );
    }

    #[test]
    fn quotas_and_warnings() {
        let six = [
            "10.0.0.0/16",
            "10.1.0.0/16",
            "10.2.0.0/16",
            "10.3.0.0/16",
            "10.4.0.0/16",
            "10.5.0.0/16",
        ];
        assert_eq!(codes(&six, &[], &[]), ["VPC_CIDR_QUOTA"]);
        assert_eq!(codes(&["172.17.0.0/16"], &[], &[]), ["VPC_CIDR_172_17"]);
        assert_eq!(codes(&[], &[], &[]), ["VPC_NO_IPV4"]);
    }
}
