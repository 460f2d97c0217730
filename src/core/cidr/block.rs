//! CIDR blocks: a network address and a prefix length, with the arithmetic on them.

use super::addr::{Addr, AddrError, Family};
use std::fmt;

/// A CIDR block, always normalized (no host bits set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block {
    pub family: Family,
    /// The network address (first address of the block).
    pub start: u128,
    pub prefix: u8,
}

/// The result of reading a block as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub block: Block,
    /// The address as written, which may have host bits set (10.0.0.5/24).
    pub written: Addr,
    /// Whether a prefix was written; a bare address is read as a /32 or /128.
    pub had_prefix: bool,
    /// Whether spaces around the input were ignored.
    pub trimmed: bool,
}

impl Parsed {
    /// True when the written address is not the network address (10.0.0.5/24).
    pub fn host_bits_set(&self) -> bool {
        self.written.value != self.block.start
    }
}

/// Why a block could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockError {
    Addr(AddrError),
    EmptyPrefix,
    PrefixNotANumber(String),
    PrefixTooLong { prefix: String, family: Family },
    TwoSlashes,
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockError::Addr(e) => e.fmt(f),
            BlockError::EmptyPrefix => write!(f, "Nothing follows the “/”: add a prefix length such as /24."),
            BlockError::PrefixNotANumber(p) => write!(f, "The prefix length “/{p}” is not a whole number."),
            BlockError::PrefixTooLong { prefix, family } => write!(
                f,
                "The prefix length /{prefix} is too long: an {} address has {} bits, so the prefix is /0 to /{}.",
                family.name(),
                family.bits(),
                family.bits()
            ),
            BlockError::TwoSlashes => write!(f, "There is more than one “/”; a block has one prefix length."),
        }
    }
}

impl From<AddrError> for BlockError {
    fn from(e: AddrError) -> Self {
        BlockError::Addr(e)
    }
}

impl Block {
    /// Builds a block from any address in it, clearing host bits.
    pub fn new(family: Family, addr: u128, prefix: u8) -> Block {
        debug_assert!(prefix <= family.bits());
        Block {
            family,
            start: addr & mask(family, prefix),
            prefix,
        }
    }

    /// Reads `address[/prefix]`, accepting host bits (they are cleared and reported by
    /// [`Parsed::host_bits_set`]) and surrounding spaces.
    pub fn parse(text: &str) -> Result<Parsed, BlockError> {
        let trimmed_text = text.trim();
        let trimmed = trimmed_text.len() != text.len();
        let (addr_text, prefix_text) = match trimmed_text.split_once('/') {
            Some((a, p)) => (a.trim_end(), Some(p.trim_start())),
            None => (trimmed_text, None),
        };
        let written = Addr::parse(addr_text)?;
        let bits = written.family.bits();
        let prefix = match prefix_text {
            None => bits,
            Some(p) if p.contains('/') => return Err(BlockError::TwoSlashes),
            Some("") => return Err(BlockError::EmptyPrefix),
            Some(p) if !p.chars().all(|c| c.is_ascii_digit()) => {
                return Err(BlockError::PrefixNotANumber(p.chars().take(12).collect()))
            }
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n <= bits as u16 => n as u8,
                _ => {
                    return Err(BlockError::PrefixTooLong {
                        prefix: p.chars().take(12).collect(),
                        family: written.family,
                    })
                }
            },
        };
        Ok(Parsed {
            block: Block::new(written.family, written.value, prefix),
            written,
            had_prefix: prefix_text.is_some(),
            trimmed,
        })
    }

    pub fn bits(&self) -> u8 {
        self.family.bits()
    }

    /// Number of host bits: 32 − prefix or 128 − prefix.
    pub fn host_bits(&self) -> u32 {
        (self.bits() - self.prefix) as u32
    }

    /// Number of addresses, when it fits in a u128 (all but ::/0).
    pub fn size(&self) -> Option<u128> {
        1u128.checked_shl(self.host_bits())
    }

    /// The last address of the block.
    pub fn last(&self) -> u128 {
        self.start | !mask(self.family, self.prefix) & self.family.max()
    }

    /// The netmask as an address (255.255.255.0).
    pub fn mask(&self) -> Addr {
        Addr {
            family: self.family,
            value: mask(self.family, self.prefix),
        }
    }

    /// The wildcard (inverse) mask (0.0.0.255).
    pub fn wildcard(&self) -> Addr {
        Addr {
            family: self.family,
            value: !mask(self.family, self.prefix) & self.family.max(),
        }
    }

    pub fn network(&self) -> Addr {
        Addr {
            family: self.family,
            value: self.start,
        }
    }

    pub fn last_addr(&self) -> Addr {
        Addr {
            family: self.family,
            value: self.last(),
        }
    }

    /// Whether an address lies in the block.
    pub fn contains_addr(&self, addr: Addr) -> bool {
        addr.family == self.family && addr.value & mask(self.family, self.prefix) == self.start
    }

    /// Whether `other` lies entirely inside this block (or equals it).
    pub fn contains(&self, other: &Block) -> bool {
        other.family == self.family
            && other.prefix >= self.prefix
            && other.start & mask(self.family, self.prefix) == self.start
    }

    /// Whether the two blocks share any address. CIDR blocks either nest or are disjoint.
    pub fn overlaps(&self, other: &Block) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// The enclosing block one bit shorter, if any.
    pub fn parent(&self) -> Option<Block> {
        (self.prefix > 0).then(|| Block::new(self.family, self.start, self.prefix - 1))
    }

    /// The other half of the parent block.
    pub fn sibling(&self) -> Option<Block> {
        (self.prefix > 0).then(|| Block {
            family: self.family,
            start: self.start ^ (1u128 << self.host_bits()),
            prefix: self.prefix,
        })
    }

    /// The two halves, if the block is not a single address.
    pub fn halves(&self) -> Option<(Block, Block)> {
        (self.prefix < self.bits()).then(|| {
            let lower = Block {
                prefix: self.prefix + 1,
                ..*self
            };
            (lower, lower.sibling().expect("prefix > 0"))
        })
    }

    /// The `index`-th subnet of length `prefix` inside this block.
    pub fn nth_subnet(&self, prefix: u8, index: u128) -> Block {
        debug_assert!(prefix >= self.prefix && prefix <= self.bits());
        let step = 1u128
            .checked_shl((self.bits() - prefix) as u32)
            .unwrap_or(0);
        Block {
            family: self.family,
            start: self.start.wrapping_add(index.wrapping_mul(step)),
            prefix,
        }
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix)
    }
}

/// The netmask of a prefix length: `prefix` one bits followed by zeros.
pub fn mask(family: Family, prefix: u8) -> u128 {
    let bits = family.bits() as u32;
    let host = bits - prefix as u32;
    let ones = family.max();
    match 1u128.checked_shl(host) {
        Some(size) => ones & !(size - 1),
        None => 0, // /0 of IPv6: no network bits
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn b(text: &str) -> Block {
        Block::parse(text).unwrap().block
    }

    #[test]
    fn course_and_aws_examples() {
        // Course notes: a /16 VPC has 65,536 addresses; /28 gives 16; /24 gives 256.
        assert_eq!(b("10.0.0.0/16").size(), Some(65_536));
        assert_eq!(b("10.0.0.0/28").size(), Some(16));
        assert_eq!(b("10.0.0.0/24").size(), Some(256));
        // 203.0.113.255 is in 203.0.113.0/24; 203.0.114.0 is not.
        let doc = b("203.0.113.0/24");
        assert!(doc.contains_addr(Addr::parse("203.0.113.255").unwrap()));
        assert!(!doc.contains_addr(Addr::parse("203.0.114.0").unwrap()));
        // AWS: "if you specify 100.68.0.18/18 … we create a CIDR block of 100.68.0.0/18".
        let p = Block::parse("100.68.0.18/18").unwrap();
        assert!(p.host_bits_set());
        assert_eq!(p.block.to_string(), "100.68.0.0/18");
    }

    #[test]
    fn masks_and_ranges() {
        let x = b("10.0.0.5/24");
        assert_eq!(x.to_string(), "10.0.0.0/24");
        assert_eq!(x.mask().to_string(), "255.255.255.0");
        assert_eq!(x.wildcard().to_string(), "0.0.0.255");
        assert_eq!(x.last_addr().to_string(), "10.0.0.255");
        assert_eq!(b("0.0.0.0/0").mask().to_string(), "0.0.0.0");
        assert_eq!(b("0.0.0.0/0").size(), Some(1 << 32));
        assert_eq!(b("::/0").size(), None);
        assert_eq!(b("::/0").last(), u128::MAX);
        assert_eq!(
            b("2001:db8::/56").mask().to_string(),
            "ffff:ffff:ffff:ff00::"
        );
        assert_eq!(
            b("2001:db8::/64").last_addr().to_string(),
            "2001:db8::ffff:ffff:ffff:ffff"
        );
        assert_eq!(b("10.1.2.3").prefix, 32);
        assert!(!Block::parse("10.1.2.3").unwrap().had_prefix);
    }

    #[test]
    fn prefix_errors() {
        let e = |t: &str| Block::parse(t).unwrap_err().to_string();
        assert!(e("10.0.0.0/33").contains("/0 to /32"));
        assert!(e("2001:db8::/129").contains("/0 to /128"));
        assert!(e("10.0.0.0/").contains("Nothing follows"));
        assert!(e("10.0.0.0/2a").contains("not a whole number"));
        assert!(e("10.0.0.0/24/8").contains("more than one"));
        assert!(e("10.0.0.0/99999999999").contains("too long"));
        let p = Block::parse("  10.0.0.0/8 \n").unwrap();
        assert!(p.trimmed);
        assert_eq!(p.block.to_string(), "10.0.0.0/8");
    }

    #[test]
    fn family_relations() {
        assert!(b("10.0.0.0/8").contains(&b("10.1.0.0/16")));
        assert!(!b("10.1.0.0/16").contains(&b("10.0.0.0/8")));
        assert!(b("10.1.0.0/16").overlaps(&b("10.0.0.0/8")));
        assert!(!b("10.0.0.0/16").overlaps(&b("10.1.0.0/16")));
        assert!(!b("::/0").contains(&b("10.0.0.0/8")), "families never mix");
        assert_eq!(
            b("10.0.1.0/24").sibling().unwrap().to_string(),
            "10.0.0.0/24"
        );
        assert_eq!(
            b("10.0.1.0/24").parent().unwrap().to_string(),
            "10.0.0.0/23"
        );
        let (l, h) = b("10.0.0.0/22").halves().unwrap();
        assert_eq!(
            (l.to_string(), h.to_string()),
            ("10.0.0.0/23".into(), "10.0.2.0/23".into())
        );
        assert_eq!(
            b("10.0.0.0/22").nth_subnet(24, 3).to_string(),
            "10.0.3.0/24"
        );
        assert!(b("10.0.0.1/32").halves().is_none());
        assert!(b("0.0.0.0/0").parent().is_none());
    }

    fn any_block() -> impl Strategy<Value = Block> {
        prop_oneof![
            (any::<u32>(), 0u8..=32).prop_map(|(a, p)| Block::new(Family::V4, a as u128, p)),
            (any::<u128>(), 0u8..=128).prop_map(|(a, p)| Block::new(Family::V6, a, p)),
        ]
    }

    /// Independent formulation: a block as the closed integer range [start, end].
    fn range(b: &Block) -> (u128, u128) {
        let size_minus_one = if b.host_bits() == 128 {
            u128::MAX
        } else {
            (1u128 << b.host_bits()) - 1
        };
        (b.start, b.start + size_minus_one)
    }

    proptest! {
        #[test]
        fn containment_by_masks_equals_containment_by_ranges(a in any_block(), b in any_block()) {
            let (a0, a1) = range(&a);
            let (b0, b1) = range(&b);
            let same = a.family == b.family;
            prop_assert_eq!(a.contains(&b), same && a0 <= b0 && b1 <= a1);
            prop_assert_eq!(a.overlaps(&b), same && a0 <= b1 && b0 <= a1);
            prop_assert_eq!(a.last(), a1);
        }

        #[test]
        fn display_then_parse_is_identity(a in any_block()) {
            let parsed = Block::parse(&a.to_string()).unwrap();
            prop_assert_eq!(parsed.block, a);
            prop_assert!(!parsed.host_bits_set());
        }

        #[test]
        fn halves_partition_the_block(a in any_block()) {
            if let Some((l, h)) = a.halves() {
                prop_assert!(a.contains(&l) && a.contains(&h) && !l.overlaps(&h));
                prop_assert_eq!(l.last().wrapping_add(1), h.start);
                prop_assert_eq!(h.last(), a.last());
                prop_assert_eq!(l.parent(), Some(a));
                prop_assert_eq!(h.sibling(), Some(l));
            }
        }

        #[test]
        fn mask_and_wildcard_are_complements(a in any_block()) {
            prop_assert_eq!(a.mask().value ^ a.wildcard().value, a.family.max());
            prop_assert_eq!(a.mask().value.count_ones(), a.prefix as u32);
        }
    }
}
