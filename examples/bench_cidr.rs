//! Native benchmark of the CIDR core (not a test): `cargo run --release --example bench_cidr`.
//! Prints the median of repeated runs for the operations the planner performs.

use std::hint::black_box;
use stratus::core::cidr::division::Division;
use stratus::core::cidr::plan::{plan, PlanInput, Tier, TierSize};
use stratus::core::cidr::ranges::{aggregate, conflicts, range_to_blocks, Entry};
use stratus::core::cidr::{Block, Family};

mod common;
use common::median_us;

fn main() {
    let slash8 = Block::parse("10.0.0.0/8").unwrap().block;
    let report = |name: &str, us: f64| println!("{name:<58} {us:>10.1} µs");
    report(
        "split 10.0.0.0/8 into /24 (65,536 subnets)",
        median_us(50, || {
            black_box(Division::split(slash8, 24).unwrap());
        }),
    );
    report(
        "split 10.0.0.0/8 into /24 and list all 65,536 rows",
        median_us(20, || {
            let d = Division::split(slash8, 24).unwrap();
            black_box(d.rows(0, 65_536));
        }),
    );
    report(
        "split 10.0.0.0/8 into /28 (1,048,576 subnets)",
        median_us(50, || {
            black_box(Division::split(slash8, 28).unwrap());
        }),
    );
    let big = Division::split(slash8, 28).unwrap();
    report(
        "one visible window (40 rows) of the /28 table",
        median_us(200, || {
            black_box(big.rows(524_288, 40));
        }),
    );
    let mut fragmented = Division::split(slash8, 20).unwrap();
    for i in (0..4096u128).step_by(2) {
        fragmented.divide(i + i / 2).ok();
    }
    report(
        "visible window of a table with 2,048 runs",
        median_us(200, || {
            black_box(fragmented.rows(3000, 40));
        }),
    );
    report(
        "VPC plan: /16, 6 AZs, 8 tiers",
        median_us(200, || {
            let tiers = (0..8)
                .map(|i| Tier {
                    name: format!("tier{i}"),
                    size: TierSize::Hosts(200 + 100 * i),
                    public: i == 0,
                })
                .collect();
            black_box(
                plan(&PlanInput {
                    vpc: Block::parse("10.0.0.0/16").unwrap().block,
                    azs: 6,
                    tiers,
                })
                .unwrap(),
            );
        }),
    );
    let entries: Vec<Entry> = (0..65_536u128)
        .map(|i| Entry {
            line: i as usize + 1,
            block: Block::new(Family::V4, 0x0a00_0000 + (i << 8), 24),
        })
        .collect();
    report(
        "overlap check of 65,536 blocks",
        median_us(20, || {
            black_box(conflicts(&entries, 200));
        }),
    );
    let blocks: Vec<Block> = entries.iter().map(|e| e.block).collect();
    report(
        "aggregate 65,536 blocks",
        median_us(20, || {
            black_box(aggregate(&blocks));
        }),
    );
    report(
        "range to CIDRs, worst case IPv6 (1 .. 2^128-2)",
        median_us(200, || {
            black_box(range_to_blocks(Family::V6, 1, u128::MAX - 1));
        }),
    );
}
