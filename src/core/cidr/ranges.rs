//! Ranges and lists of blocks: a range to its minimal CIDR list, aggregation, and overlap
//! checks across any number of blocks.

use super::{Addr, Block, Family};
use std::fmt;

/// The minimal list of CIDR blocks that covers exactly `first..=last`.
///
/// Greedy: from the low end, take the largest block that starts there (aligned) and does
/// not pass `last`. Greedy is optimal here; the tests check it against a dynamic program.
pub fn range_to_blocks(family: Family, first: u128, last: u128) -> Vec<Block> {
    let mut out = vec![];
    if first > last {
        return out;
    }
    let bits = family.bits() as u32;
    let mut start = first;
    loop {
        // Largest alignment of `start` (an address of 0 is aligned to everything).
        let align = if start == 0 {
            bits
        } else {
            start.trailing_zeros().min(bits)
        };
        // Largest size that does not pass `last`: (last - start + 1) may be 2^128.
        let span_minus_one = last - start;
        let fit = if span_minus_one == u128::MAX {
            128
        } else {
            127 - (span_minus_one + 1).leading_zeros()
        };
        let host = align.min(fit).min(bits);
        out.push(Block {
            family,
            start,
            prefix: (bits - host) as u8,
        });
        let size_minus_one = if host == 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        match start.checked_add(size_minus_one) {
            Some(end) if end < last => start = end + 1,
            _ => break,
        }
    }
    out
}

/// The steps behind [`range_to_blocks`]: for each block, how its start's alignment and the
/// addresses left decided its size.
pub fn range_steps(family: Family, first: u128, last: u128) -> Vec<crate::core::steps::Step> {
    use crate::core::format::{group, pow2_decimal};
    let bits = family.bits() as u32;
    range_to_blocks(family, first, last)
        .iter()
        .map(|b| {
            let align = if b.start == 0 { bits } else { b.start.trailing_zeros().min(bits) };
            let left_minus_one = last - b.start;
            let left = if left_minus_one == u128::MAX { group(&pow2_decimal(128)) } else { crate::core::format::thousands(left_minus_one + 1) };
            crate::core::steps::Step::new(
                format!("From {}", super::Addr { family, value: b.start }),
                format!(
                    "start is a multiple of 2^{align}; {left} addresses left; largest block that fits both: 2^{}",
                    b.host_bits()
                ),
                b.to_string(),
            )
        })
        .collect()
}

/// An error in a line of a list, naming the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    pub text: String,
    pub error: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line {} (“{}”): {}", self.line, self.text, self.error)
    }
}

/// One block of a list, with the line it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub block: Block,
}

/// Reads a list of blocks, one per line (commas and spaces also separate). Blank lines and
/// `#` comments are skipped. Every bad line is reported; good lines are still returned.
pub fn parse_list(text: &str) -> (Vec<Entry>, Vec<LineError>) {
    let mut entries = vec![];
    let mut errors = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        for token in line.split([',', ' ', '\t', ';']).filter(|t| !t.is_empty()) {
            match Block::parse(token) {
                Ok(p) => entries.push(Entry {
                    line: i + 1,
                    block: p.block,
                }),
                Err(e) => errors.push(LineError {
                    line: i + 1,
                    text: token.chars().take(60).collect(),
                    error: e.to_string(),
                }),
            }
        }
    }
    (entries, errors)
}

/// Reads a range written as `first-last` (or `first - last`, or `first to last`).
pub fn parse_range(text: &str) -> Result<(Addr, Addr), String> {
    let text = text.trim();
    let (a, b) = text
        .split_once(" to ")
        .or_else(|| text.split_once('-'))
        .or_else(|| text.split_once('–'))
        .ok_or_else(|| {
            "Write a range as first-last, for example 23.128.1.0-23.128.7.255.".to_string()
        })?;
    let first = Addr::parse(a.trim()).map_err(|e| format!("First address: {e}"))?;
    let last = Addr::parse(b.trim()).map_err(|e| format!("Last address: {e}"))?;
    if first.family != last.family {
        return Err(format!(
            "The range mixes {} and {}; both ends must be the same family.",
            first.family.name(),
            last.family.name()
        ));
    }
    if first.value > last.value {
        return Err(format!(
            "The range runs backwards: {first} comes after {last}. Swap them."
        ));
    }
    Ok((first, last))
}

/// The smallest list of blocks covering exactly the union of the given blocks, per family
/// (IPv4 first).
pub fn aggregate(blocks: &[Block]) -> Vec<Block> {
    let mut out = vec![];
    for family in [Family::V4, Family::V6] {
        let mut ranges: Vec<(u128, u128)> = blocks
            .iter()
            .filter(|b| b.family == family)
            .map(|b| (b.start, b.last()))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(u128, u128)> = vec![];
        for (s, e) in ranges {
            match merged.last_mut() {
                // Overlapping or adjacent: extend.
                Some((_, me)) if s <= me.saturating_add(1) => *me = (*me).max(e),
                _ => merged.push((s, e)),
            }
        }
        for (s, e) in merged {
            out.extend(range_to_blocks(family, s, e));
        }
    }
    out
}

/// How two blocks of a list conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// The same block appears twice.
    Duplicate,
    /// The first block contains the second.
    Contains,
}

/// A conflicting pair, in list order of the outer block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub outer: Entry,
    pub inner: Entry,
    pub kind: Conflict,
}

impl Pair {
    pub fn describe(&self) -> String {
        match self.kind {
            Conflict::Duplicate => format!(
                "{} (line {}) and {} (line {}) are the same block.",
                self.outer.block, self.outer.line, self.inner.block, self.inner.line
            ),
            Conflict::Contains => format!(
                "{} (line {}) contains {} (line {}).",
                self.outer.block, self.outer.line, self.inner.block, self.inner.line
            ),
        }
    }
}

/// Every overlapping pair in a list, up to `limit` pairs; also returns the total count.
/// CIDR blocks either nest or are disjoint, so every overlap is a containment.
pub fn conflicts(entries: &[Entry], limit: usize) -> (Vec<Pair>, u64) {
    let mut sorted: Vec<Entry> = entries.to_vec();
    // By family, then start, then larger blocks first, then line.
    sorted.sort_by_key(|e| (e.block.family, e.block.start, e.block.prefix, e.line));
    let mut pairs = vec![];
    let mut total: u64 = 0;
    // Blocks that are still "open": each contains the current one if it is on the stack.
    let mut stack: Vec<Entry> = vec![];
    for e in sorted {
        while let Some(top) = stack.last() {
            if top.block.family == e.block.family && top.block.contains(&e.block) {
                break;
            }
            stack.pop();
        }
        for outer in &stack {
            total += 1;
            if pairs.len() < limit {
                let kind = if outer.block == e.block {
                    Conflict::Duplicate
                } else {
                    Conflict::Contains
                };
                pairs.push(Pair {
                    outer: *outer,
                    inner: e,
                    kind,
                });
            }
        }
        stack.push(e);
    }
    pairs.sort_by_key(|p| (p.outer.line, p.inner.line));
    (pairs, total)
}

/// Error for splitting a block into a number of equal parts.
pub fn parts_to_prefix(block: &Block, parts: u128) -> Result<u8, String> {
    if parts == 0 {
        return Err("Split into at least one part.".to_string());
    }
    if !parts.is_power_of_two() {
        let down = 1u128 << (127 - parts.leading_zeros());
        // Above 2^127 the next power of two is past u128 (and past any block's size).
        let choices = match parts.checked_next_power_of_two() {
            Some(up) => format!("{down} or {up}"),
            None => down.to_string(),
        };
        return Err(format!(
            "{parts} is not a power of two. CIDR blocks split in halves, so equal parts come in 1, 2, 4, 8, 16 … Use {choices} parts, or plan subnets of different sizes with the VPC planner."
        ));
    }
    let extra = parts.trailing_zeros() as u8;
    let prefix = block.prefix as u32 + extra as u32;
    if prefix > block.bits() as u32 {
        return Err(format!(
            "{block} has only {} addresses, so it cannot be split into {parts} parts.",
            super::explain::count_text(block)
        ));
    }
    Ok(prefix as u8)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn block(text: &str) -> Result<Block, crate::core::cidr::BlockError> {
        Block::parse(text).map(|p| p.block)
    }

    fn strs(blocks: &[Block]) -> Vec<String> {
        blocks.iter().map(|b| b.to_string()).collect()
    }

    #[test]
    fn issue_example_range_gives_three_blocks() {
        let (a, b) = parse_range("23.128.1.0-23.128.7.255").unwrap();
        let blocks = range_to_blocks(a.family, a.value, b.value);
        assert_eq!(
            strs(&blocks),
            ["23.128.1.0/24", "23.128.2.0/23", "23.128.4.0/22"]
        );
    }

    #[test]
    fn range_steps_explain_each_block() {
        let (a, b) = parse_range("23.128.1.0-23.128.7.255").unwrap();
        let steps = range_steps(a.family, a.value, b.value);
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[0].formula,
            "start is a multiple of 2^8; 1,792 addresses left; largest block that fits both: 2^8"
        );
        assert_eq!(steps[2].result, "23.128.4.0/22");
        assert!(range_steps(Family::V6, 0, u128::MAX)[0]
            .formula
            .contains("340,282,366,920,938,463,463,374,607,431,768,211,456 addresses left"));
    }

    #[test]
    fn whole_spaces_and_single_addresses() {
        assert_eq!(
            strs(&range_to_blocks(Family::V4, 0, u32::MAX as u128)),
            ["0.0.0.0/0"]
        );
        assert_eq!(strs(&range_to_blocks(Family::V6, 0, u128::MAX)), ["::/0"]);
        assert_eq!(strs(&range_to_blocks(Family::V6, 1, u128::MAX)).len(), 128);
        assert_eq!(strs(&range_to_blocks(Family::V4, 5, 5)), ["0.0.0.5/32"]);
        assert!(range_to_blocks(Family::V4, 6, 5).is_empty());
    }

    #[test]
    fn range_parsing_errors() {
        assert!(parse_range("10.0.0.9-10.0.0.1")
            .unwrap_err()
            .contains("backwards"));
        assert!(parse_range("10.0.0.1-::1").unwrap_err().contains("mixes"));
        assert!(parse_range("10.0.0.1").unwrap_err().contains("first-last"));
        assert!(parse_range("10.0.0.1 - 10.0.0.300")
            .unwrap_err()
            .starts_with("Last address"));
        assert!(parse_range("10.0.0.1 to 10.0.0.3").is_ok());
    }

    #[test]
    fn aggregation_merges_adjacent_and_nested() {
        let (entries, errors) = parse_list("10.0.0.0/24\n10.0.1.0/24, 10.0.2.0/23\n10.0.0.128/25 # nested\n\n192.168.0.0/24\n2001:db8::/33\n2001:db8:8000::/33");
        assert!(errors.is_empty());
        let blocks: Vec<Block> = entries.iter().map(|e| e.block).collect();
        assert_eq!(
            strs(&aggregate(&blocks)),
            ["10.0.0.0/22", "192.168.0.0/24", "2001:db8::/32"]
        );
    }

    #[test]
    fn conflicts_name_every_pair() {
        let (entries, errors) =
            parse_list("10.0.0.0/16\n10.0.1.0/24\n10.0.1.0/24\n10.1.0.0/16\nbogus");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 5);
        let (pairs, total) = conflicts(&entries, 100);
        assert_eq!(total, 3);
        let text: Vec<String> = pairs.iter().map(|p| p.describe()).collect();
        assert_eq!(
            text,
            [
                "10.0.0.0/16 (line 1) contains 10.0.1.0/24 (line 2).",
                "10.0.0.0/16 (line 1) contains 10.0.1.0/24 (line 3).",
                "10.0.1.0/24 (line 2) and 10.0.1.0/24 (line 3) are the same block.",
            ]
        );
        let (capped, total) = conflicts(&entries, 1);
        assert_eq!((capped.len(), total), (1, 3));
    }

    #[test]
    fn equal_parts() {
        let b = block("10.0.0.0/22").unwrap();
        assert_eq!(parts_to_prefix(&b, 4), Ok(24));
        assert!(parts_to_prefix(&b, 3)
            .unwrap_err()
            .contains("Use 2 or 4 parts"));
        assert!(parts_to_prefix(&b, 2048)
            .unwrap_err()
            .contains("cannot be split"));
        assert!(parts_to_prefix(&b, 0).is_err());
        // Above 2^127 there is no next power of two in a u128: it used to read "Use
        // 170141183460469231731687303715884105728 or 0 parts".
        let all = block("::/0").unwrap();
        let e = parts_to_prefix(&all, u128::MAX).unwrap_err();
        assert!(
            e.contains("Use 170141183460469231731687303715884105728 parts,"),
            "{e}"
        );
        assert!(!e.contains(" or 0 parts"), "{e}");
        assert_eq!(parts_to_prefix(&all, 1 << 127), Ok(127));
    }

    /// Independent formulation of minimality: the fewest aligned blocks covering [s, e]
    /// by dynamic programming over an 8-bit address space.
    fn min_blocks_dp(s: usize, e: usize) -> usize {
        let mut best = vec![usize::MAX; 258];
        best[e + 1] = 0;
        for start in (s..=e).rev() {
            for host in 0..=8u32 {
                let size = 1usize << host;
                if start % size != 0 || start + size - 1 > e {
                    continue;
                }
                if best[start + size] != usize::MAX {
                    best[start] = best[start].min(1 + best[start + size]);
                }
            }
        }
        best[s]
    }

    proptest! {
        #[test]
        fn range_to_blocks_is_exact_and_minimal(a in 0u32..256, b in 0u32..256) {
            let (s, e) = (a.min(b), a.max(b));
            // Work inside 10.0.0.0/24 so the DP's 8-bit universe applies.
            let base = 0x0a00_0000u128;
            let blocks = range_to_blocks(Family::V4, base + s as u128, base + e as u128);
            // Exact: contiguous, in order, covering s..=e.
            let mut next = base + s as u128;
            for blk in &blocks {
                prop_assert_eq!(blk.start, next);
                next = blk.last() + 1;
            }
            prop_assert_eq!(next, base + e as u128 + 1);
            prop_assert_eq!(blocks.len(), min_blocks_dp(s as usize, e as usize));
        }

        #[test]
        fn aggregate_preserves_the_address_set(items in proptest::collection::vec((0u32..256, 24u8..=32), 0..12)) {
            let blocks: Vec<Block> = items.iter().map(|(a, p)| Block::new(Family::V4, 0x0a00_0000 + *a as u128, *p)).collect();
            let agg = aggregate(&blocks);
            for addr in 0x0a00_0000u128..0x0a00_0100 {
                let before = blocks.iter().any(|b| b.contains_addr(Addr::v4(addr as u32)));
                let after = agg.iter().any(|b| b.contains_addr(Addr::v4(addr as u32)));
                prop_assert_eq!(before, after);
            }
            // No two aggregated blocks overlap or could be merged into their parent.
            for (i, x) in agg.iter().enumerate() {
                for y in &agg[i + 1..] {
                    prop_assert!(!x.overlaps(y));
                    prop_assert!(x.sibling() != Some(*y));
                }
            }
        }

        #[test]
        fn conflict_count_matches_all_pairs(items in proptest::collection::vec((0u32..64, 26u8..=32), 0..20)) {
            let entries: Vec<Entry> = items.iter().enumerate().map(|(i, (a, p))| Entry { line: i + 1, block: Block::new(Family::V4, *a as u128, *p) }).collect();
            let brute = entries.iter().enumerate().flat_map(|(i, x)| entries[i + 1..].iter().map(move |y| (x, y))).filter(|(x, y)| x.block.overlaps(&y.block)).count() as u64;
            let (_, total) = conflicts(&entries, usize::MAX);
            prop_assert_eq!(total, brute);
        }
    }
}
