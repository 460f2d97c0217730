//! Special-purpose address ranges (IANA registries, RFC 6890 and successors), plus the
//! link-local addresses AWS gives meaning to.
//!
//! Sources: IANA IPv4 and IPv6 Special-Purpose Address Registries; RFC 1918, 6598, 3927,
//! 5737, 3849, 4193, 4291, 2544, 5771, 6052; AWS EC2 User Guide (instance metadata service
//! 169.254.169.254 and fd00:ec2::254, Amazon DNS 169.254.169.253, Amazon Time Sync
//! 169.254.169.123). Checked 2026-11-21.

use super::{Block, Family};

/// One named range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecialRange {
    pub cidr: &'static str,
    pub name: &'static str,
    pub reference: &'static str,
    pub about: &'static str,
}

/// The table, most specific entries first within each family.
pub const RANGES: &[SpecialRange] = &[
    SpecialRange { cidr: "169.254.169.254/32", name: "EC2 instance metadata service", reference: "AWS EC2 User Guide", about: "Where an EC2 instance reads its own metadata and role credentials (IMDS), at http://169.254.169.254/latest/meta-data." },
    SpecialRange { cidr: "169.254.169.253/32", name: "Amazon DNS server (link-local)", reference: "AWS VPC User Guide", about: "The Route 53 Resolver as seen from an instance; also reachable at the VPC base address plus two." },
    SpecialRange { cidr: "169.254.169.123/32", name: "Amazon Time Sync Service", reference: "AWS EC2 User Guide", about: "The NTP server every EC2 instance can use without internet access." },
    SpecialRange { cidr: "255.255.255.255/32", name: "Limited broadcast", reference: "RFC 919", about: "Broadcast to the local network segment; never routed." },
    SpecialRange { cidr: "192.0.2.0/24", name: "Documentation (TEST-NET-1)", reference: "RFC 5737", about: "Reserved for examples in documentation; never used on real networks." },
    SpecialRange { cidr: "198.51.100.0/24", name: "Documentation (TEST-NET-2)", reference: "RFC 5737", about: "Reserved for examples in documentation; never used on real networks." },
    SpecialRange { cidr: "203.0.113.0/24", name: "Documentation (TEST-NET-3)", reference: "RFC 5737", about: "Reserved for examples in documentation; the course notes use it in IAM IpAddress conditions." },
    SpecialRange { cidr: "192.0.0.0/24", name: "IETF protocol assignments", reference: "RFC 6890", about: "Reserved for protocol use." },
    SpecialRange { cidr: "198.18.0.0/15", name: "Benchmarking", reference: "RFC 2544", about: "For testing network equipment between separate networks." },
    SpecialRange { cidr: "192.168.0.0/16", name: "Private (RFC 1918)", reference: "RFC 1918", about: "Private addresses: usable inside a VPC or a home network, not routed on the internet." },
    SpecialRange { cidr: "169.254.0.0/16", name: "Link-local", reference: "RFC 3927", about: "Valid only on the local link; AWS serves instance metadata, DNS and time on addresses in it." },
    SpecialRange { cidr: "172.16.0.0/12", name: "Private (RFC 1918)", reference: "RFC 1918", about: "Private addresses: usable inside a VPC, not routed on the internet. The default VPC uses 172.31.0.0/16." },
    SpecialRange { cidr: "100.64.0.0/10", name: "Shared address space (carrier-grade NAT)", reference: "RFC 6598", about: "Used by providers between their NAT and customers; AWS allows it as a VPC CIDR." },
    SpecialRange { cidr: "0.0.0.0/8", name: "“This network”", reference: "RFC 791", about: "Addresses a host uses before it knows its own; 0.0.0.0/0 as a route means “everywhere”." },
    SpecialRange { cidr: "10.0.0.0/8", name: "Private (RFC 1918)", reference: "RFC 1918", about: "Private addresses: the most common choice for VPCs, not routed on the internet." },
    SpecialRange { cidr: "127.0.0.0/8", name: "Loopback", reference: "RFC 1122", about: "Addresses of the host itself (localhost); never leave the machine." },
    SpecialRange { cidr: "224.0.0.0/4", name: "Multicast", reference: "RFC 5771", about: "One-to-many group addresses; a VPC supports multicast only through Transit Gateway." },
    SpecialRange { cidr: "240.0.0.0/4", name: "Reserved (former class E)", reference: "RFC 1112", about: "Reserved for future use; not usable on the internet." },
    SpecialRange { cidr: "fd00:ec2::254/128", name: "EC2 instance metadata service (IPv6)", reference: "AWS EC2 User Guide", about: "The IPv6 address of IMDS on Nitro instances." },
    SpecialRange { cidr: "::1/128", name: "Loopback", reference: "RFC 4291", about: "The host itself." },
    SpecialRange { cidr: "::/128", name: "Unspecified address", reference: "RFC 4291", about: "“No address”; ::/0 as a route means every IPv6 address." },
    SpecialRange { cidr: "::ffff:0:0/96", name: "IPv4-mapped", reference: "RFC 4291", about: "IPv4 addresses written in IPv6 form." },
    SpecialRange { cidr: "64:ff9b::/96", name: "NAT64 well-known prefix", reference: "RFC 6052", about: "IPv4 destinations reached from IPv6-only hosts through NAT64 (AWS NAT gateways support it)." },
    SpecialRange { cidr: "2001:db8::/32", name: "Documentation", reference: "RFC 3849", about: "Reserved for examples in documentation." },
    SpecialRange { cidr: "fe80::/10", name: "Link-local", reference: "RFC 4291", about: "Valid only on the local link; every IPv6 interface has one." },
    SpecialRange { cidr: "fc00::/7", name: "Unique local (ULA)", reference: "RFC 4193", about: "The IPv6 counterpart of private addresses; not routed on the internet." },
    SpecialRange { cidr: "ff00::/8", name: "Multicast", reference: "RFC 4291", about: "One-to-many group addresses." },
    SpecialRange { cidr: "2000::/3", name: "Global unicast", reference: "RFC 4291", about: "Publicly routable IPv6; Amazon-provided VPC blocks come from here." },
];

/// How a block relates to a special range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The block lies inside the range (or equals it).
    Inside,
    /// The range lies inside the block.
    Contains,
}

/// A special range that concerns a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub range: &'static SpecialRange,
    pub block: Block,
    pub relation: Relation,
}

fn parsed(range: &SpecialRange) -> Block {
    // The table is static and covered by a test that parses every entry.
    Block::parse(range.cidr).map(|p| p.block).unwrap_or(Block {
        family: Family::V4,
        start: 0,
        prefix: 32,
    })
}

/// Every special range that contains the block or that the block contains, most specific
/// containing range first, then contained ranges in address order.
pub fn classify(block: &Block) -> Vec<Match> {
    let mut inside: Vec<Match> = vec![];
    let mut contains: Vec<Match> = vec![];
    for range in RANGES {
        let r = parsed(range);
        if r.contains(block) {
            inside.push(Match {
                range,
                block: r,
                relation: Relation::Inside,
            });
        } else if block.contains(&r) {
            contains.push(Match {
                range,
                block: r,
                relation: Relation::Contains,
            });
        }
    }
    inside.sort_by_key(|m| std::cmp::Reverse(m.block.prefix));
    contains.sort_by_key(|m| (m.block.start, m.block.prefix));
    inside.extend(contains);
    inside
}

/// A short summary for a block that is in no special range.
pub fn default_label(block: &Block) -> &'static str {
    match block.family {
        Family::V4 => "Public (globally routable) IPv4",
        Family::V6 => "Not in a special-purpose IPv6 range",
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(&'static str, Relation)> {
        classify(&Block::parse(text).unwrap().block)
            .iter()
            .map(|m| (m.range.name, m.relation))
            .collect()
    }

    #[test]
    fn every_entry_parses_normalized() {
        for r in RANGES {
            let p = Block::parse(r.cidr).unwrap();
            assert!(!p.host_bits_set(), "{}", r.cidr);
            assert!(!r.about.is_empty() && !r.reference.is_empty());
        }
    }

    #[test]
    fn well_known_examples() {
        assert_eq!(
            names("10.0.0.0/16"),
            vec![("Private (RFC 1918)", Relation::Inside)]
        );
        assert_eq!(names("172.31.0.0/16")[0].0, "Private (RFC 1918)");
        let imds = names("169.254.169.254");
        assert_eq!(imds[0].0, "EC2 instance metadata service");
        assert_eq!(imds[1].0, "Link-local");
        assert_eq!(
            names("100.64.1.0/24")[0].0,
            "Shared address space (carrier-grade NAT)"
        );
        assert_eq!(names("203.0.113.7")[0].0, "Documentation (TEST-NET-3)");
        assert_eq!(names("224.0.0.251")[0].0, "Multicast");
        assert_eq!(names("127.0.0.1")[0].0, "Loopback");
        assert!(names("8.8.8.8").is_empty());
        assert_eq!(names("fd12:3456::/48")[0].0, "Unique local (ULA)");
        assert_eq!(names("fe80::1")[0].0, "Link-local");
        assert_eq!(names("2600:1f18::/56")[0].0, "Global unicast");
        assert_eq!(names("2001:db8::/56")[0].0, "Documentation");
        assert_eq!(
            names("fd00:ec2::254")[0].0,
            "EC2 instance metadata service (IPv6)"
        );
        // A big block contains special ranges rather than sitting in one.
        let all = names("169.254.0.0/16");
        assert_eq!(all[0], ("Link-local", Relation::Inside));
        assert!(all.contains(&("EC2 instance metadata service", Relation::Contains)));
        let everything = names("0.0.0.0/0");
        assert!(everything
            .iter()
            .any(|(n, r)| *n == "Private (RFC 1918)" && *r == Relation::Contains));
    }
}
