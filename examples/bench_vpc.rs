//! Native benchmark of the VPC model (not a test): `cargo run --release --example bench_vpc`.
//! A VPC with 500 instances, 50 security groups of 20 rules and 20 NACLs of 20 rules.

use std::hint::black_box;
use stratus::core::services::ec2::network::reach::{analyze, End, Query};
use stratus::core::services::ec2::network::templates::large;
use stratus::core::services::ec2::network::validate::validate;
use stratus::core::services::ec2::network::Proto;
use stratus::core::views::vpc::layout::draw;

mod common;
use common::median_us;

fn main() {
    if std::env::args().any(|a| a == "--state") {
        // The page state of a ~200-resource design, for scripts/bench-vpc.mjs.
        let s = stratus::core::views::vpc::state::VpcState {
            network: Some(large(165, 10, 5)),
            from: "i-3".into(),
            to: "i-77".into(),
            port: "1010".into(),
            ..Default::default()
        };
        println!("{}", stratus::core::views::vpc::state::to_query(&s));
        return;
    }
    // Through JSON, as a link or a sandbox delivers a network to the page: the timings then
    // do not depend on how the builder happened to lay the network out in memory (5% apart
    // between two ways of building the same network).
    let n = large(500, 50, 20);
    let n: stratus::core::services::ec2::network::Network =
        serde_json::from_str(&serde_json::to_string(&n).unwrap()).unwrap();
    println!("network: {} resources", n.resources());
    let report = |name: &str, us: f64| println!("{name:<60} {us:>10.1} µs");
    let q = Query::new(
        End::Instance("i-3".into()),
        End::Instance("i-477".into()),
        Proto::Tcp,
        1010,
    );
    report(
        "one query, instance to instance (target < 1 ms)",
        median_us(1000, || {
            black_box(analyze(&n, &q));
        }),
    );
    let web = Query::new(
        End::Internet,
        End::Instance("i-250".into()),
        Proto::Tcp,
        1001,
    );
    report(
        "one query, internet to instance",
        median_us(1000, || {
            black_box(analyze(&n, &web));
        }),
    );
    report(
        "reachability matrix, 100 × 100 instances, one port (< 100 ms)",
        median_us(11, || {
            for a in 0..100 {
                for b in 0..100 {
                    let q = Query::new(
                        End::Instance(format!("i-{a}")),
                        End::Instance(format!("i-{b}")),
                        Proto::Tcp,
                        1010,
                    );
                    black_box(analyze(&n, &q).reachable);
                }
            }
        }),
    );
    report(
        "validate the whole network",
        median_us(50, || {
            black_box(validate(&n));
        }),
    );
    let small = large(165, 10, 5);
    println!("diagram network: {} resources", small.resources());
    report(
        "lay out and render the diagram to SVG (target < 50 ms)",
        median_us(50, || {
            black_box(draw(&small, None, ""));
        }),
    );
}
