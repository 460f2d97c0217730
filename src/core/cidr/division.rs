//! The subnet table: a block divided into subnets of possibly different sizes, in the
//! manner of the Visual Subnet Calculator, where any row can be divided in two or joined
//! with its sibling.
//!
//! The rows are stored as runs of equal-sized, consecutive subnets, so a /8 split into /28s
//! (1,048,576 rows) is one run of a few bytes; any row is found by binary search over the
//! runs, which is what lets the UI render only the rows on screen.

use super::Block;
use std::collections::BTreeMap;

/// A run of `count` consecutive subnets of length `prefix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Run {
    pub prefix: u8,
    pub count: u128,
}

/// A user's label for a row.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowMeta {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Index into the colour palette (0 = none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub colour: u8,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

/// Most rows a table may have: beyond this, row positions stop being exact in the browser.
pub const MAX_ROWS: u128 = 1 << 32;

/// The division of a root block into subnets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Division {
    root: Block,
    runs: Vec<Run>,
    /// First row index of each run (prefix sums), kept in step with `runs`.
    first_rows: Vec<u128>,
    /// First address of each run, kept in step with `runs`.
    run_starts: Vec<u128>,
    meta: BTreeMap<Block, RowMeta>,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub index: u128,
    pub block: Block,
    pub meta: RowMeta,
    /// Whether the row can be joined with its sibling (the sibling is also a single row).
    pub joinable: bool,
}

impl Division {
    /// The undivided root block: one row.
    pub fn new(root: Block) -> Division {
        Division::from_runs(
            root,
            vec![Run {
                prefix: root.prefix,
                count: 1,
            }],
            BTreeMap::new(),
        )
        .expect("a single run of the root is valid")
    }

    /// The root split evenly into subnets of `prefix`.
    pub fn split(root: Block, prefix: u8) -> Result<Division, String> {
        if prefix < root.prefix || prefix > root.bits() {
            return Err(format!(
                "Subnets of {root} must have a prefix from /{} to /{}.",
                root.prefix,
                root.bits()
            ));
        }
        let count = 1u128
            .checked_shl((prefix - root.prefix) as u32)
            .unwrap_or(u128::MAX);
        if (prefix - root.prefix) as u32 >= 128 || count > MAX_ROWS {
            return Err(format!(
                "Splitting {root} into /{prefix} subnets gives 2^{} rows; the table holds at most 2^32. Choose a prefix up to /{}.",
                prefix - root.prefix,
                root.prefix as u32 + 32
            ));
        }
        Division::from_runs(root, vec![Run { prefix, count }], BTreeMap::new())
    }

    /// Rebuilds a division from stored runs, checking that they tile the root exactly with
    /// aligned subnets.
    pub fn from_runs(
        root: Block,
        runs: Vec<Run>,
        meta: BTreeMap<Block, RowMeta>,
    ) -> Result<Division, String> {
        let mut start = root.start;
        let mut rows: u128 = 0;
        let mut first_rows = Vec::with_capacity(runs.len());
        let root_end = root.last();
        for (i, run) in runs.iter().enumerate() {
            if run.count == 0 {
                return Err(format!("Run {} is empty.", i + 1));
            }
            if run.prefix < root.prefix || run.prefix > root.bits() {
                return Err(format!(
                    "Run {} has subnets of /{}, which do not fit in {root}.",
                    i + 1,
                    run.prefix
                ));
            }
            let host = root.bits() - run.prefix;
            if host < 128 && start & ((1u128 << host) - 1) != 0 {
                return Err(format!(
                    "Run {} starts at an address that is not a /{} boundary.",
                    i + 1,
                    run.prefix
                ));
            }
            first_rows.push(rows);
            rows = rows
                .checked_add(run.count)
                .filter(|r| *r <= MAX_ROWS)
                .ok_or("The table has too many rows.")?;
            // Last address of the run: start + count × 2^host − 1, without overflowing at ::/0.
            let too_big = "The runs are larger than the root block.";
            let size_minus_one = if host >= 128 {
                u128::MAX
            } else {
                (1u128 << host) - 1
            };
            let span_minus_one = (run.count - 1)
                .checked_mul(size_minus_one.wrapping_add(1))
                .filter(|_| host < 128 || run.count == 1)
                .and_then(|x| x.checked_add(size_minus_one))
                .ok_or(too_big)?;
            let end = start.checked_add(span_minus_one).ok_or(too_big)?;
            if end > root_end {
                return Err("The runs are larger than the root block.".to_string());
            }
            start = end.wrapping_add(1);
            if end == root_end && i + 1 != runs.len() {
                return Err("There are runs after the end of the root block.".to_string());
            }
            if end == root_end {
                let mut d = Division {
                    root,
                    runs,
                    first_rows,
                    run_starts: vec![],
                    meta,
                };
                d.meta
                    .retain(|b, m| root.contains(b) && (!m.note.is_empty() || m.colour != 0));
                d.normalize();
                return Ok(d);
            }
        }
        Err("The runs do not cover the whole root block.".to_string())
    }

    pub fn root(&self) -> Block {
        self.root
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    pub fn meta(&self) -> &BTreeMap<Block, RowMeta> {
        &self.meta
    }

    /// Number of rows.
    pub fn len(&self) -> u128 {
        self.first_rows.last().copied().unwrap_or(0)
            + self.runs.last().map(|r| r.count).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The run holding row `index` and the row's start address.
    fn locate(&self, index: u128) -> Option<(usize, Block)> {
        if index >= self.len() {
            return None;
        }
        let run = self.first_rows.partition_point(|first| *first <= index) - 1;
        let start = self.run_starts[run];
        let r = self.runs[run];
        let offset = index - self.first_rows[run];
        let block = Block {
            family: self.root.family,
            start: start.wrapping_add(shl(offset, self.root.bits() - r.prefix)),
            prefix: r.prefix,
        };
        Some((run, block))
    }

    /// Row `index`, if it exists.
    pub fn row(&self, index: u128) -> Option<Row> {
        let (_, block) = self.locate(index)?;
        Some(Row {
            index,
            block,
            meta: self.meta.get(&block).cloned().unwrap_or_default(),
            joinable: self.sibling_row(index, &block).is_some(),
        })
    }

    /// Rows `from..from + count` (clipped to the table), for rendering the visible window.
    pub fn rows(&self, from: u128, count: usize) -> Vec<Row> {
        (0..count as u128)
            .map_while(|i| self.row(from.checked_add(i)?))
            .collect()
    }

    /// The row index of the block's sibling, when the sibling is itself a row.
    fn sibling_row(&self, index: u128, block: &Block) -> Option<u128> {
        if block.prefix <= self.root.prefix {
            return None;
        }
        let sibling = block.sibling()?;
        let candidate = if sibling.start > block.start {
            index + 1
        } else {
            index.checked_sub(1)?
        };
        let (_, found) = self.locate(candidate)?;
        (found == sibling).then_some(candidate)
    }

    /// Splits row `index` into its two halves.
    pub fn divide(&mut self, index: u128) -> Result<(), String> {
        let (run, block) = self.locate(index).ok_or("There is no such row.")?;
        let (low, _) = block
            .halves()
            .ok_or_else(|| format!("{block} is a single address and cannot be divided."))?;
        if self.len() >= MAX_ROWS {
            return Err("The table already holds the most rows it can.".to_string());
        }
        let offset = index - self.first_rows[run];
        self.replace_rows(
            run,
            offset,
            1,
            Run {
                prefix: low.prefix,
                count: 2,
            },
        );
        if let Some(meta) = self.meta.remove(&block) {
            // The label stays with the lower half so nothing the user wrote is lost.
            self.meta.insert(low, meta);
        }
        self.normalize();
        Ok(())
    }

    /// Joins row `index` with its sibling into their parent.
    pub fn join(&mut self, index: u128) -> Result<(), String> {
        let (_, block) = self.locate(index).ok_or("There is no such row.")?;
        let sibling_index = self
            .sibling_row(index, &block)
            .ok_or_else(|| format!("{block} cannot be joined: its sibling is divided further, or it is the whole block."))?;
        let low = index.min(sibling_index);
        let (run, low_block) = self.locate(low).ok_or("There is no such row.")?;
        let (parent, upper) = low_block
            .parent()
            .zip(low_block.sibling())
            .ok_or("The whole block cannot be joined.")?;
        // Both rows are in the same run (same prefix, consecutive).
        let offset = low - self.first_rows[run];
        self.replace_rows(
            run,
            offset,
            2,
            Run {
                prefix: parent.prefix,
                count: 1,
            },
        );
        let merged = self
            .meta
            .remove(&low_block)
            .or_else(|| self.meta.remove(&upper));
        self.meta.remove(&upper);
        if let Some(meta) = merged {
            self.meta.insert(parent, meta);
        }
        self.normalize();
        Ok(())
    }

    /// Replaces `taken` rows starting `offset` rows into run `run` by `with`, keeping the
    /// rows before and after them.
    fn replace_rows(&mut self, run: usize, offset: u128, taken: u128, with: Run) {
        let r = self.runs[run];
        let before = Run {
            prefix: r.prefix,
            count: offset,
        };
        let after = Run {
            prefix: r.prefix,
            count: r.count - offset - taken,
        };
        let replacement = [before, with, after].into_iter().filter(|x| x.count > 0);
        self.runs.splice(run..=run, replacement);
    }

    /// Sets the note and colour of the row holding `block`.
    pub fn set_meta(&mut self, block: Block, meta: RowMeta) {
        if meta.note.is_empty() && meta.colour == 0 {
            self.meta.remove(&block);
        } else {
            self.meta.insert(block, meta);
        }
    }

    /// Finds the row containing an address, for "jump to".
    pub fn find(&self, addr: u128) -> Option<u128> {
        if addr < self.root.start || addr > self.root.last() {
            return None;
        }
        let mut start = self.root.start;
        for (i, r) in self.runs.iter().enumerate() {
            let host = self.root.bits() - r.prefix;
            let span = shl(r.count, host);
            if addr - start < span || span == u128::MAX {
                return Some(
                    self.first_rows[i] + (addr - start).checked_shr(host as u32).unwrap_or(0),
                );
            }
            start = start.wrapping_add(span);
        }
        None
    }

    /// Merges neighbouring runs of the same prefix and recomputes the row offsets.
    fn normalize(&mut self) {
        let mut merged: Vec<Run> = Vec::with_capacity(self.runs.len());
        for run in self.runs.drain(..) {
            match merged.last_mut() {
                Some(last) if last.prefix == run.prefix => last.count += run.count,
                _ => merged.push(run),
            }
        }
        self.runs = merged;
        self.first_rows.clear();
        self.run_starts.clear();
        let mut rows = 0;
        let mut start = self.root.start;
        for r in &self.runs {
            self.first_rows.push(rows);
            self.run_starts.push(start);
            rows += r.count;
            start = start.wrapping_add(shl(r.count, self.root.bits() - r.prefix));
        }
    }
}

/// `value << host`, where a shift by the full 128 bits (the ::/0 root) saturates instead of
/// overflowing: only a count of one such block exists, and it spans the whole space.
fn shl(value: u128, host: u8) -> u128 {
    match value.checked_shl(host as u32) {
        Some(v) if host < 128 && v >> host == value => v,
        _ if value == 0 => 0,
        _ => u128::MAX,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::cidr::Family;
    use proptest::prelude::*;

    fn b(t: &str) -> Block {
        Block::parse(t).unwrap().block
    }

    #[test]
    fn a_slash_8_in_slash_28s_has_a_million_rows_in_one_run() {
        let d = Division::split(b("10.0.0.0/8"), 28).unwrap();
        assert_eq!(d.len(), 1_048_576);
        assert_eq!(d.runs().len(), 1);
        assert_eq!(d.row(0).unwrap().block.to_string(), "10.0.0.0/28");
        assert_eq!(
            d.row(1_048_575).unwrap().block.to_string(),
            "10.255.255.240/28"
        );
        assert_eq!(d.row(1).unwrap().block.to_string(), "10.0.0.16/28");
        assert!(d.row(1_048_576).is_none());
        assert_eq!(d.find(0x0aff_fff5), Some(1_048_575));
    }

    #[test]
    fn course_example_four_slash_24s_in_a_slash_22() {
        let d = Division::split(b("10.0.0.0/22"), 24).unwrap();
        let rows: Vec<String> = d.rows(0, 10).iter().map(|r| r.block.to_string()).collect();
        assert_eq!(
            rows,
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
        );
    }

    #[test]
    fn divide_and_join_like_the_visual_subnet_calculator() {
        let mut d = Division::new(b("10.0.0.0/24"));
        d.divide(0).unwrap();
        d.divide(1).unwrap();
        let rows: Vec<String> = d.rows(0, 10).iter().map(|r| r.block.to_string()).collect();
        assert_eq!(rows, ["10.0.0.0/25", "10.0.0.128/26", "10.0.0.192/26"]);
        // 10.0.0.0/25's sibling is divided, so it cannot be joined.
        assert!(!d.row(0).unwrap().joinable);
        assert!(d.join(0).is_err());
        d.set_meta(
            b("10.0.0.192/26"),
            RowMeta {
                note: "db".into(),
                colour: 3,
            },
        );
        d.join(2).unwrap();
        assert_eq!(d.row(1).unwrap().block.to_string(), "10.0.0.128/25");
        assert_eq!(
            d.row(1).unwrap().meta.note,
            "db",
            "the note survives the join"
        );
        d.join(0).unwrap();
        assert_eq!(d.len(), 1);
        assert!(d.join(0).is_err(), "the root has no sibling");
        assert!(Division::new(b("10.0.0.1/32")).divide(0).is_err());
    }

    #[test]
    fn the_whole_ipv6_space_divides_without_overflow() {
        let mut d = Division::new(b("::/0"));
        assert_eq!(d.row(0).unwrap().block.to_string(), "::/0");
        assert_eq!(d.find(u128::MAX), Some(0));
        d.divide(0).unwrap();
        assert_eq!(d.row(1).unwrap().block.to_string(), "8000::/1");
        assert_eq!(d.find(u128::MAX), Some(1));
        d.join(1).unwrap();
        assert_eq!(d.len(), 1);
        let d = Division::split(b("::/0"), 32).unwrap();
        assert_eq!(
            d.row((1 << 32) - 1).unwrap().block.to_string(),
            "ffff:ffff::/32"
        );
        // A window asked for past the end (or at u128::MAX) is empty, not an overflow.
        assert!(d.rows(u128::MAX, 5).is_empty());
        assert_eq!(d.rows((1 << 32) - 2, 5).len(), 2);
    }

    #[test]
    fn split_limits() {
        assert!(Division::split(b("2001:db8::/48"), 128)
            .unwrap_err()
            .contains("at most 2^32"));
        assert!(Division::split(b("10.0.0.0/8"), 7).is_err());
        assert_eq!(Division::split(b("0.0.0.0/0"), 32).unwrap().len(), 1 << 32);
    }

    #[test]
    fn stored_runs_are_validated() {
        let root = b("10.0.0.0/24");
        assert!(Division::from_runs(
            root,
            vec![Run {
                prefix: 25,
                count: 1
            }],
            BTreeMap::new()
        )
        .unwrap_err()
        .contains("do not cover"));
        assert!(Division::from_runs(
            root,
            vec![Run {
                prefix: 25,
                count: 3
            }],
            BTreeMap::new()
        )
        .unwrap_err()
        .contains("larger"));
        assert!(Division::from_runs(
            root,
            vec![
                Run {
                    prefix: 26,
                    count: 1
                },
                Run {
                    prefix: 25,
                    count: 1
                },
                Run {
                    prefix: 26,
                    count: 1
                }
            ],
            BTreeMap::new()
        )
        .unwrap_err()
        .contains("boundary"));
        assert!(Division::from_runs(
            root,
            vec![Run {
                prefix: 23,
                count: 1
            }],
            BTreeMap::new()
        )
        .is_err());
        assert!(Division::from_runs(root, vec![], BTreeMap::new()).is_err());
        let ok = Division::from_runs(
            root,
            vec![
                Run {
                    prefix: 25,
                    count: 1,
                },
                Run {
                    prefix: 26,
                    count: 2,
                },
            ],
            BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(ok.len(), 3);
    }

    proptest! {
        /// Any sequence of divides and joins keeps the rows an exact, aligned tiling of the
        /// root, and joining everything back returns the root (split then join round-trips).
        #[test]
        fn rows_always_tile_the_root(ops in proptest::collection::vec((any::<bool>(), 0u32..64), 0..60)) {
            let root = Block::new(Family::V4, 0xc0a8_0000, 24);
            let mut d = Division::new(root);
            for (divide, pick) in ops {
                let i = pick as u128 % d.len();
                let _ = if divide { d.divide(i) } else { d.join(i) };
                let rows = d.rows(0, 10_000);
                prop_assert_eq!(rows.len() as u128, d.len());
                let mut next = root.start;
                for r in &rows {
                    prop_assert_eq!(r.block.start, next);
                    prop_assert_eq!(Block::new(root.family, r.block.start, r.block.prefix), r.block);
                    next = r.block.last() + 1;
                    prop_assert_eq!(d.find(r.block.start), Some(r.index));
                }
                prop_assert_eq!(next, root.last() + 1);
                // Stored runs rebuild the same division.
                let again = Division::from_runs(root, d.runs().to_vec(), d.meta().clone()).unwrap();
                prop_assert_eq!(&again, &d);
            }
            // Join everything back.
            let mut guard = 0;
            while d.len() > 1 && guard < 10_000 {
                guard += 1;
                let joinable = (0..d.len()).find(|i| d.row(*i).unwrap().joinable).unwrap();
                d.join(joinable).unwrap();
            }
            prop_assert_eq!(d.rows(0, 2).iter().map(|r| r.block).collect::<Vec<_>>(), vec![root]);
        }

        #[test]
        fn even_split_rows_match_nth_subnet(p in 16u8..=28, idx in any::<u32>()) {
            let root = Block::new(Family::V4, 0x0a00_0000, 16);
            let d = Division::split(root, p).unwrap();
            let i = idx as u128 % d.len();
            prop_assert_eq!(d.row(i).unwrap().block, root.nth_subnet(p, i));
        }
    }
}
