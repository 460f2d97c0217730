//! "Explain this block": every figure about an address or block, each with its steps.

use super::special::{self, Match};
use super::{Addr, Block, Family, Parsed};
use crate::core::format::{group, pow2_decimal, thousands};
use crate::core::steps::{Figure, Step};

/// Everything the explain view shows about one block.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub block: Block,
    /// Remarks about how the input was read (host bits cleared, spaces ignored ...).
    pub notices: Vec<String>,
    pub figures: Vec<Figure>,
    /// The five addresses AWS reserves, when the block is a valid AWS subnet size.
    pub aws_reserved: Vec<Reserved>,
    pub special: Vec<Match>,
    /// The address bits, grouped (4 octets or 8 hextets) for the binary view.
    pub bit_groups: Vec<String>,
}

/// One address AWS keeps for itself in every subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reserved {
    pub addr: Addr,
    pub offset: &'static str,
    pub role: &'static str,
}

/// AWS subnet sizes: IPv4 /16 to /28 (AWS VPC User Guide, "Subnet CIDR blocks").
pub const AWS_V4_SUBNET_PREFIXES: std::ops::RangeInclusive<u8> = 16..=28;
/// IPv6 subnet blocks: "/44 and /64 in increments of /4" (Amazon VPC User Guide, "Subnet CIDR
/// blocks", https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html#subnet-sizing-ipv6,
/// checked 2026-11-29). Older guides, and some CloudFormation and Terraform pages, still say
/// a subnet's IPv6 block is always a /64; /64 remains the usual size.
pub const AWS_V6_SUBNET_PREFIXES: std::ops::RangeInclusive<u8> = 44..=64;
/// IPv6 VPC blocks: "/44 to /60 in increments of /4" (Amazon VPC User Guide, "VPC CIDR
/// blocks", vpc-cidr-blocks.html#vpc-sizing-ipv6, checked 2026-11-29); an Amazon-provided
/// block is always a /56, other sizes come from IPAM pools or your own addresses (BYOIP).
pub const AWS_V6_VPC_PREFIXES: std::ops::RangeInclusive<u8> = 44..=60;
/// The size of an Amazon-provided IPv6 VPC block.
pub const AWS_V6_AMAZON_VPC_PREFIX: u8 = 56;
/// IPv6 VPC and subnet prefixes go in steps of 4 (a nibble, one hex digit).
pub const AWS_V6_PREFIX_STEP: u8 = 4;

/// Whether AWS accepts an IPv6 subnet block of this prefix length: /44 to /64 in steps of 4.
pub fn is_aws_v6_subnet_prefix(prefix: u8) -> bool {
    AWS_V6_SUBNET_PREFIXES.contains(&prefix) && prefix % AWS_V6_PREFIX_STEP == 0
}

/// Whether AWS accepts an IPv6 VPC block of this prefix length: /44 to /60 in steps of 4.
pub fn is_aws_v6_vpc_prefix(prefix: u8) -> bool {
    AWS_V6_VPC_PREFIXES.contains(&prefix) && prefix % AWS_V6_PREFIX_STEP == 0
}

/// The rule in words, for messages: "/44 to /64 in steps of 4 (usually a /64)".
pub const AWS_V6_SUBNET_RULE: &str = "/44 to /64 in steps of 4 (usually a /64)";
/// The rule in words, for messages.
pub const AWS_V6_VPC_RULE: &str = "/44 to /60 in steps of 4 (Amazon provides a /56)";
/// AWS reserves the first four and the last address of every subnet.
pub const AWS_RESERVED_PER_SUBNET: u128 = 5;

/// Whether AWS accepts a subnet of this size.
pub fn is_aws_subnet_size(block: &Block) -> bool {
    match block.family {
        Family::V4 => AWS_V4_SUBNET_PREFIXES.contains(&block.prefix),
        Family::V6 => is_aws_v6_subnet_prefix(block.prefix),
    }
}

/// The number of addresses in a block, formatted with separators (2^128 included).
pub fn count_text(block: &Block) -> String {
    match block.size() {
        Some(n) => thousands(n),
        None => group(&pow2_decimal(128)),
    }
}

/// The five reserved addresses of an AWS subnet, with their roles.
pub fn aws_reserved(block: &Block) -> Vec<Reserved> {
    if !is_aws_subnet_size(block) {
        return vec![];
    }
    let at = |offset: u128| Addr {
        family: block.family,
        value: block.start + offset,
    };
    vec![
        Reserved { addr: at(0), offset: "+0", role: "Network address" },
        Reserved { addr: at(1), offset: "+1", role: "VPC router" },
        Reserved { addr: at(2), offset: "+2", role: "Amazon DNS (Route 53 Resolver)" },
        Reserved { addr: at(3), offset: "+3", role: "Reserved by AWS for future use" },
        Reserved {
            addr: block.last_addr(),
            offset: "last",
            role: match block.family {
                Family::V4 => "Network broadcast address (a VPC does not support broadcast, so AWS reserves it)",
                Family::V6 => "Last address (reserved by AWS)",
            },
        },
    ]
}

/// Explains a parsed block.
pub fn explain(parsed: &Parsed) -> Explanation {
    let block = parsed.block;
    let total = count_text(&block);
    let mut figures = address_figures(parsed);
    figures.push(total_figure(&block, &total));
    figures.push(classic_usable_figure(&block, &total));
    figures.push(aws_usable_figure(&block, &total));

    Explanation {
        block,
        notices: notices(parsed),
        figures,
        aws_reserved: aws_reserved(&block),
        special: special::classify(&block),
        bit_groups: bit_groups(&parsed.written),
    }
}

/// Remarks about how the input was read: spaces trimmed, no prefix, host bits set.
fn notices(parsed: &Parsed) -> Vec<String> {
    let block = parsed.block;
    let bits = block.bits();
    let mut notices = vec![];
    if parsed.trimmed {
        notices.push("Spaces around the input were ignored.".to_string());
    }
    if !parsed.had_prefix {
        notices.push(format!(
            "No prefix length was given, so {} is read as a single address: /{bits}.",
            parsed.written
        ));
    }
    if parsed.host_bits_set() {
        notices.push(format!(
            "{}/{} has host bits set: the network is {block}. AWS and most tools store it that way too.",
            parsed.written, block.prefix
        ));
    }
    notices
}

/// The block's addresses and masks: network, netmask, wildcard, first and last address, and
/// for IPv4 the broadcast address.
fn address_figures(parsed: &Parsed) -> Vec<Figure> {
    let block = parsed.block;
    let host = block.host_bits();
    let mut figures = vec![];
    figures.push(
        Figure::new("cidr-network", "Network", block.to_string()).step(Step::new(
            "Clear the host bits",
            format!("{} AND {}", parsed.written, block.mask()),
            block.network().to_string(),
        )),
    );
    figures.push(
        Figure::new("cidr-mask", "Netmask", block.mask().to_string()).step(Step::new(
            "Prefix as a mask",
            format!(
                "/{} = {} one-bits followed by {host} zero-bits",
                block.prefix, block.prefix
            ),
            block.mask().to_string(),
        )),
    );
    figures.push(
        Figure::new(
            "cidr-wildcard",
            "Wildcard mask",
            block.wildcard().to_string(),
        )
        .step(Step::new(
            "Invert the netmask",
            format!("NOT {}", block.mask()),
            block.wildcard().to_string(),
        )),
    );
    figures.push(Figure::new(
        "cidr-first",
        "First address",
        block.network().to_string(),
    ));
    figures.push(
        Figure::new("cidr-last", "Last address", block.last_addr().to_string()).step(Step::new(
            "Set every host bit",
            format!("{} OR {}", block.network(), block.wildcard()),
            block.last_addr().to_string(),
        )),
    );
    if block.family == Family::V4 {
        let broadcast = match block.prefix {
            31 | 32 => Figure::new("cidr-broadcast", "Broadcast", "none").note(
                "A /31 or /32 has no broadcast address (RFC 3021 point-to-point links, single hosts).",
            ),
            _ => Figure::new("cidr-broadcast", "Broadcast", block.last_addr().to_string())
                .note("The last address of an IPv4 block."),
        };
        figures.push(broadcast);
    }
    figures
}

/// The number of addresses in the block, 2^(bits − prefix); `total` is it formatted.
fn total_figure(block: &Block, total: &str) -> Figure {
    let pow = format!(
        "2^({} − {}) = 2^{}",
        block.bits(),
        block.prefix,
        block.host_bits()
    );
    Figure::new("cidr-total", "Addresses", total.to_string()).step(Step::new(
        "Addresses in the block",
        pow,
        total.to_string(),
    ))
}

/// Classic usable hosts: minus network and broadcast for IPv4 (except /31 and /32), every
/// address for IPv6.
fn classic_usable_figure(block: &Block, total: &str) -> Figure {
    match (block.family, block.prefix) {
        (Family::V4, 32) => Figure::new("cidr-usable-classic", "Usable hosts (classic)", "1")
            .note("A /32 is a single host address.")
            .step(Step::new("Single address", "2^0", "1")),
        (Family::V4, 31) => Figure::new("cidr-usable-classic", "Usable hosts (classic)", "2")
            .note("RFC 3021: on a point-to-point /31 both addresses are usable.")
            .step(Step::new(
                "Both addresses of a point-to-point link",
                "2^1",
                "2",
            )),
        (Family::V4, _) => {
            let n = block.size().unwrap_or(0) - 2;
            Figure::new(
                "cidr-usable-classic",
                "Usable hosts (classic)",
                thousands(n),
            )
            .step(Step::new(
                "Minus network and broadcast",
                format!("{total} − 2"),
                thousands(n),
            ))
        }
        (Family::V6, _) => Figure::new(
            "cidr-usable-classic",
            "Usable hosts (classic)",
            total.to_string(),
        )
        .note("IPv6 has no broadcast address, so every address can be assigned."),
    }
}

/// Usable in an AWS subnet: minus the 5 reserved addresses, or why the block cannot be a subnet.
fn aws_usable_figure(block: &Block, total: &str) -> Figure {
    if is_aws_subnet_size(block) {
        let n = block.size().unwrap_or(0) - AWS_RESERVED_PER_SUBNET;
        Figure::new("cidr-usable-aws", "Usable in an AWS subnet", thousands(n)).step(Step::new(
            "Minus the 5 addresses AWS reserves",
            format!("{total} − 5"),
            thousands(n),
        ))
    } else {
        let note = match block.family {
            Family::V4 => format!(
                "AWS subnets are /16 to /28 (65,536 to 16 addresses); a /{} cannot be a subnet.",
                block.prefix
            ),
            Family::V6 => format!(
                "AWS IPv6 subnets are {AWS_V6_SUBNET_RULE}; a /{} cannot be a subnet.",
                block.prefix
            ),
        };
        Figure::new(
            "cidr-usable-aws",
            "Usable in an AWS subnet",
            "not a subnet size",
        )
        .note(note)
    }
}

/// The bits of an address, as 4 groups of 8 (IPv4) or 8 groups of 16 (IPv6).
pub fn bit_groups(addr: &Addr) -> Vec<String> {
    let (groups, width) = match addr.family {
        Family::V4 => (4, 8),
        Family::V6 => (8, 16),
    };
    let bits = addr.family.bits() as usize;
    let all: String = (0..bits)
        .map(|i| {
            if addr.value >> (bits - 1 - i) & 1 == 1 {
                '1'
            } else {
                '0'
            }
        })
        .collect();
    (0..groups)
        .map(|g| all[g * width..(g + 1) * width].to_string())
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn fig(e: &Explanation, id: &str) -> String {
        e.figures
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.value.clone())
            .unwrap_or_else(|| panic!("no {id}"))
    }

    fn ex(text: &str) -> Explanation {
        explain(&Block::parse(text).unwrap())
    }

    #[test]
    fn course_notes_examples() {
        // "/28 gives you 16 addresses", 11 usable in AWS.
        let e = ex("10.0.0.0/28");
        assert_eq!(fig(&e, "cidr-total"), "16");
        assert_eq!(fig(&e, "cidr-usable-aws"), "11");
        // A /24 subnet: 256 addresses, 251 usable; a /16 VPC: 65,536.
        let e = ex("10.0.0.0/24");
        assert_eq!(fig(&e, "cidr-total"), "256");
        assert_eq!(fig(&e, "cidr-usable-aws"), "251");
        assert_eq!(fig(&e, "cidr-usable-classic"), "254");
        assert_eq!(fig(&ex("10.0.0.0/16"), "cidr-total"), "65,536");
        assert_eq!(fig(&ex("10.0.0.0/16"), "cidr-usable-aws"), "65,531");
    }

    #[test]
    fn aws_reserved_addresses_of_the_user_guide_example() {
        // AWS VPC User Guide: in 10.0.0.0/24 the reserved addresses are .0 .1 .2 .3 .255.
        let r: Vec<String> = ex("10.0.0.0/24")
            .aws_reserved
            .iter()
            .map(|r| r.addr.to_string())
            .collect();
        assert_eq!(
            r,
            ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"]
        );
        assert!(ex("10.0.0.0/29").aws_reserved.is_empty());
        assert!(ex("10.0.0.0/15").aws_reserved.is_empty());
        let v6: Vec<String> = ex("2001:db8:1:2::/64")
            .aws_reserved
            .iter()
            .map(|r| r.addr.to_string())
            .collect();
        assert_eq!(v6[3], "2001:db8:1:2::3");
        assert_eq!(v6[4], "2001:db8:1:2:ffff:ffff:ffff:ffff");
        assert_eq!(
            fig(&ex("2001:db8:1:2::/64"), "cidr-usable-aws"),
            "18,446,744,073,709,551,611"
        );
    }

    #[test]
    fn shows_the_math() {
        let e = ex("10.0.0.5/24");
        let total = e.figures.iter().find(|f| f.id == "cidr-total").unwrap();
        assert_eq!(total.steps[0].formula, "2^(32 − 24) = 2^8");
        assert_eq!(total.steps[0].result, "256");
        let aws = e
            .figures
            .iter()
            .find(|f| f.id == "cidr-usable-aws")
            .unwrap();
        assert_eq!(aws.steps[0].formula, "256 − 5");
        let net = e.figures.iter().find(|f| f.id == "cidr-network").unwrap();
        assert_eq!(net.steps[0].formula, "10.0.0.5 AND 255.255.255.0");
        assert_eq!(net.value, "10.0.0.0/24");
        assert!(e.notices.iter().any(|n| n.contains("host bits set")));
    }

    #[test]
    fn edge_prefixes() {
        let e = ex("192.0.2.0/31");
        assert_eq!(fig(&e, "cidr-usable-classic"), "2");
        assert_eq!(fig(&e, "cidr-broadcast"), "none");
        assert_eq!(fig(&e, "cidr-usable-aws"), "not a subnet size");
        let e = ex("192.0.2.7");
        assert_eq!(fig(&e, "cidr-usable-classic"), "1");
        assert!(e.notices[0].contains("single address"));
        let e = ex("::/0");
        assert_eq!(
            fig(&e, "cidr-total"),
            "340,282,366,920,938,463,463,374,607,431,768,211,456"
        );
        let e = ex("0.0.0.0/0");
        assert_eq!(fig(&e, "cidr-total"), "4,294,967,296");
        assert_eq!(fig(&e, "cidr-usable-classic"), "4,294,967,294");
    }

    #[test]
    fn binary_view() {
        let e = ex("10.0.0.0/8");
        assert_eq!(
            e.bit_groups,
            ["00001010", "00000000", "00000000", "00000000"]
        );
        assert_eq!(ex("::1").bit_groups.len(), 8);
        assert!(ex("::1").bit_groups[7].ends_with('1'));
    }
}
