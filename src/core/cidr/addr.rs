//! IP addresses: strict parsing with messages that name the problem, and canonical
//! formatting (dotted decimal; RFC 5952 for IPv6).
//!
//! Both families are held in a `u128` (IPv4 in the low 32 bits) so the block arithmetic in
//! the rest of the module is written once.

use std::fmt;

/// IPv4 or IPv6.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    /// Number of bits in an address.
    pub fn bits(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }

    /// All-ones address of this family.
    pub fn max(self) -> u128 {
        match self {
            Family::V4 => u32::MAX as u128,
            Family::V6 => u128::MAX,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

/// An address of either family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Addr {
    pub family: Family,
    pub value: u128,
}

impl Addr {
    pub fn v4(value: u32) -> Addr {
        Addr {
            family: Family::V4,
            value: value as u128,
        }
    }

    pub fn v6(value: u128) -> Addr {
        Addr {
            family: Family::V6,
            value,
        }
    }

    /// Parses an address (no prefix). Surrounding whitespace is the caller's business.
    pub fn parse(text: &str) -> Result<Addr, AddrError> {
        if text.is_empty() {
            return Err(AddrError::Empty);
        }
        if let Some(c) = text.chars().find(|c| c.is_whitespace()) {
            let _ = c;
            return Err(AddrError::InnerSpace);
        }
        if text.contains(':') {
            parse_v6(text).map(Addr::v6)
        } else if text.contains('.') || text.chars().all(|c| c.is_ascii_digit()) {
            parse_v4(text).map(Addr::v4)
        } else {
            Err(AddrError::NotAnAddress(text.chars().take(40).collect()))
        }
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.family {
            Family::V4 => write_v4(f, self.value as u32),
            Family::V6 => write_v6(f, self.value),
        }
    }
}

fn write_v4(f: &mut fmt::Formatter<'_>, v: u32) -> fmt::Result {
    let [a, b, c, d] = v.to_be_bytes();
    write!(f, "{a}.{b}.{c}.{d}")
}

/// RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups
/// (the first one on a tie) written as `::`, and IPv4-mapped addresses in mixed notation.
fn write_v6(f: &mut fmt::Formatter<'_>, v: u128) -> fmt::Result {
    if v >> 32 == 0xffff {
        f.write_str("::ffff:")?;
        return write_v4(f, v as u32);
    }
    let groups: [u16; 8] = std::array::from_fn(|i| (v >> (112 - 16 * i)) as u16);
    let (mut best_start, mut best_len) = (8, 0);
    let mut i = 0;
    while i < 8 {
        if groups[i] == 0 {
            let start = i;
            while i < 8 && groups[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_start = 8;
    }
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            f.write_str("::")?;
            i += best_len;
            continue;
        }
        if i > 0 && i != best_start + best_len {
            f.write_str(":")?;
        }
        write!(f, "{:x}", groups[i])?;
        i += 1;
    }
    Ok(())
}

/// Why an address could not be read. Each message names the offending part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddrError {
    Empty,
    InnerSpace,
    NotAnAddress(String),
    V4PartCount(usize),
    V4EmptyOctet(usize),
    V4NotANumber { octet: usize, text: String },
    V4TooLarge { octet: usize, value: String },
    V4LeadingZero { octet: usize, text: String },
    V6DoubleColonTwice,
    V6GroupCount { groups: usize, compressed: bool },
    V6GroupTooLong(String),
    V6BadGroup(String),
    V6LoneColon,
    V6Zone(String),
    V6EmbeddedV4(Box<AddrError>),
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddrError::Empty => write!(f, "Enter an address or block, such as 10.0.0.0/16 or 2001:db8::/56."),
            AddrError::InnerSpace => write!(f, "There is a space inside the address; remove it."),
            AddrError::NotAnAddress(text) => write!(
                f,
                "“{text}” is not an IP address: IPv4 is four numbers separated by dots (10.0.0.1), IPv6 is hexadecimal groups separated by colons (2001:db8::1)."
            ),
            AddrError::V4PartCount(n) => write!(
                f,
                "An IPv4 address has four numbers separated by dots; this one has {n}."
            ),
            AddrError::V4EmptyOctet(i) => write!(f, "Number {} of the address is missing (two dots in a row, or a dot at an end).", i + 1),
            AddrError::V4NotANumber { octet, text } => write!(
                f,
                "Number {} of the address, “{text}”, is not a whole number from 0 to 255.",
                octet + 1
            ),
            AddrError::V4TooLarge { octet, value } => write!(
                f,
                "Number {} of the address is {value}, but each number must be from 0 to 255.",
                octet + 1
            ),
            AddrError::V4LeadingZero { octet, text } => {
                let decimal: String = text.trim_start_matches('0').to_string();
                let decimal = if decimal.is_empty() { "0".to_string() } else { decimal };
                let octal = u32::from_str_radix(text, 8).ok();
                write!(
                    f,
                    "Number {} of the address, “{text}”, has a leading zero. Some tools read that as octal{}, others as decimal, so Stratus does not guess: write {decimal}{}.",
                    octet + 1,
                    octal.map(|o| format!(" ({o})")).unwrap_or_default(),
                    octal
                        .filter(|o| o.to_string() != decimal)
                        .map(|o| format!(" if you meant decimal, or {o} if you meant octal"))
                        .unwrap_or_default()
                )
            }
            AddrError::V6DoubleColonTwice => write!(
                f,
                "“::” appears more than once. It stands for a run of zero groups and may be used only once, or the address would be ambiguous."
            ),
            AddrError::V6GroupCount { groups, compressed: false } => write!(
                f,
                "An IPv6 address has eight groups (or fewer with “::”); this one has {groups}."
            ),
            AddrError::V6GroupCount { groups, compressed: true } => write!(
                f,
                "With “::” an IPv6 address has at most seven written groups; this one has {groups}."
            ),
            AddrError::V6GroupTooLong(g) => write!(f, "The group “{g}” has more than four hexadecimal digits."),
            AddrError::V6BadGroup(g) => write!(f, "The group “{g}” is not hexadecimal (digits 0-9 and letters a-f)."),
            AddrError::V6LoneColon => write!(f, "The address starts or ends with a single colon; use “::” or remove it."),
            AddrError::V6Zone(z) => write!(
                f,
                "“%{z}” is a zone index (which network interface); it is not part of an address block. Remove it."
            ),
            AddrError::V6EmbeddedV4(inner) => write!(f, "The IPv4 part at the end is invalid: {inner}"),
        }
    }
}

fn parse_v4(text: &str) -> Result<u32, AddrError> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return Err(AddrError::V4PartCount(parts.len()));
    }
    let mut value: u32 = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return Err(AddrError::V4EmptyOctet(i));
        }
        if !part.chars().all(|c| c.is_ascii_digit()) {
            return Err(AddrError::V4NotANumber {
                octet: i,
                text: part.chars().take(12).collect(),
            });
        }
        if part.len() > 1 && part.starts_with('0') {
            return Err(AddrError::V4LeadingZero {
                octet: i,
                text: part.to_string(),
            });
        }
        let n: u32 = match part.parse() {
            Ok(n) if n <= 255 => n,
            _ => {
                return Err(AddrError::V4TooLarge {
                    octet: i,
                    value: part.chars().take(12).collect(),
                })
            }
        };
        value = (value << 8) | n;
    }
    Ok(value)
}

fn parse_v6(text: &str) -> Result<u128, AddrError> {
    if let Some((_, zone)) = text.split_once('%') {
        return Err(AddrError::V6Zone(zone.chars().take(20).collect()));
    }
    let halves: Vec<&str> = text.split("::").collect();
    if halves.len() > 2 {
        return Err(AddrError::V6DoubleColonTwice);
    }
    let compressed = halves.len() == 2;
    let head = groups_of(halves[0])?;
    let tail = if compressed {
        groups_of(halves[1])?
    } else {
        Vec::new()
    };
    let written = head.len() + tail.len();
    if (!compressed && written != 8) || (compressed && written > 7) {
        return Err(AddrError::V6GroupCount {
            groups: written,
            compressed,
        });
    }
    let mut all = head;
    all.extend(std::iter::repeat_n(0u16, 8 - written));
    all.extend(tail);
    Ok(all.iter().fold(0u128, |acc, g| (acc << 16) | *g as u128))
}

/// Reads the colon-separated groups of one side of "::"; the last one may be an embedded
/// IPv4 address (`::ffff:192.0.2.1`), which counts as two groups.
fn groups_of(part: &str) -> Result<Vec<u16>, AddrError> {
    if part.is_empty() {
        return Ok(Vec::new());
    }
    let pieces: Vec<&str> = part.split(':').collect();
    let mut out = Vec::with_capacity(8);
    for (i, piece) in pieces.iter().enumerate() {
        if piece.is_empty() {
            return Err(AddrError::V6LoneColon);
        }
        if i == pieces.len() - 1 && piece.contains('.') {
            let v4 = parse_v4(piece).map_err(|e| AddrError::V6EmbeddedV4(Box::new(e)))?;
            out.push((v4 >> 16) as u16);
            out.push(v4 as u16);
            continue;
        }
        if piece.len() > 4 {
            return Err(AddrError::V6GroupTooLong(piece.chars().take(12).collect()));
        }
        match u16::from_str_radix(piece, 16) {
            Ok(g) if piece.chars().all(|c| c.is_ascii_hexdigit()) => out.push(g),
            _ => return Err(AddrError::V6BadGroup(piece.chars().take(12).collect())),
        }
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn err(text: &str) -> String {
        Addr::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn parses_and_formats_common_addresses() {
        for (text, canonical) in [
            ("10.0.0.1", "10.0.0.1"),
            ("0.0.0.0", "0.0.0.0"),
            ("255.255.255.255", "255.255.255.255"),
            ("169.254.169.254", "169.254.169.254"),
            ("2001:db8::1", "2001:db8::1"),
            ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
            ("::", "::"),
            ("::1", "::1"),
            ("fe80::", "fe80::"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:0db8:0000:0001:0000:0000:0000:0000", "2001:db8:0:1::"),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
            ("fd00:ec2::254", "fd00:ec2::254"),
        ] {
            assert_eq!(Addr::parse(text).unwrap().to_string(), canonical, "{text}");
        }
    }

    #[test]
    fn rejects_bad_input_with_a_precise_message() {
        assert!(err("300.1.1.1").contains("Number 1 of the address is 300"));
        assert!(err("10.0.0").contains("this one has 3"));
        assert!(err("10..0.1").contains("Number 2 of the address is missing"));
        assert!(err("10.0.0.x").contains("“x”"));
        let octal = err("010.0.0.1");
        assert!(
            octal.contains("leading zero")
                && octal.contains("octal (8)")
                && octal.contains("write 10"),
            "{octal}"
        );
        assert!(err("2001:db8::1::2").contains("more than once"));
        assert!(err("2001:db8:1:2:3:4:5").contains("this one has 7"));
        assert!(err("2001:db8::12345").contains("more than four"));
        assert!(err("2001:db8::g").contains("not hexadecimal"));
        assert!(err("fe80::1%eth0").contains("zone index"));
        assert!(err(":1:2:3:4:5:6:7").contains("single colon"));
        assert!(err("hello").contains("is not an IP address"));
        assert!(err("10.0 .0.1").contains("space"));
        assert!(err("").starts_with("Enter an address"));
        assert!(err("::ffff:1.2.3.400").contains("IPv4 part"));
        assert!(err("99999999999999999999.1.1.1").contains("0 to 255"));
    }

    proptest! {
        // Oracle: the standard library's own formatter and parser.
        #[test]
        fn v6_formatting_matches_std(v: u128) {
            let ours = Addr::v6(v).to_string();
            prop_assert_eq!(&ours, &Ipv6Addr::from(v).to_string());
            prop_assert_eq!(Addr::parse(&ours).unwrap(), Addr::v6(v));
        }

        #[test]
        fn v6_parses_full_and_sparse_forms(groups: [u16; 8], zero_mask: u8) {
            // Zero out some groups to exercise "::" placement.
            let g: Vec<u16> = groups.iter().enumerate().map(|(i, g)| if zero_mask >> i & 1 == 1 { 0 } else { *g }).collect();
            let full = g.iter().map(|x| format!("{x:04X}")).collect::<Vec<_>>().join(":");
            let expected: u128 = g.iter().fold(0, |a, x| (a << 16) | *x as u128);
            prop_assert_eq!(Addr::parse(&full).unwrap().value, expected);
            let std_text = Ipv6Addr::from(expected).to_string();
            prop_assert_eq!(Addr::parse(&std_text).unwrap().value, expected);
        }

        #[test]
        fn v4_round_trips_and_matches_std(v: u32) {
            let text = Addr::v4(v).to_string();
            prop_assert_eq!(&text, &Ipv4Addr::from(v).to_string());
            prop_assert_eq!(Addr::parse(&text).unwrap(), Addr::v4(v));
        }

        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,40}") {
            let _ = Addr::parse(&s);
        }

        #[test]
        fn never_panics_on_address_like_text(s in "[0-9a-fA-F:.%]{0,45}") {
            if let Ok(a) = Addr::parse(&s) {
                // Anything we accept, std accepts too (std is the more lenient of the two).
                match a.family {
                    Family::V4 => prop_assert_eq!(s.parse::<Ipv4Addr>().map(u32::from).ok(), Some(a.value as u32)),
                    Family::V6 => prop_assert_eq!(s.parse::<Ipv6Addr>().map(u128::from).ok(), Some(a.value)),
                }
            }
        }
    }
}
