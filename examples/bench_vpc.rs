//! Native benchmark of the VPC model (not a test): `cargo run --release --example bench_vpc`.
//! A VPC with 500 instances, 50 security groups of 20 rules and 20 NACLs of 20 rules.

use std::hint::black_box;
use std::time::Instant;
use stratus::core::vpc::layout::draw;
use stratus::core::vpc::reach::{analyze, End, Query};
use stratus::core::vpc::templates::large;
use stratus::core::vpc::validate::validate;
use stratus::core::vpc::Proto;

fn median_us(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    times[runs / 2]
}

fn main() {
    let n = large(500, 50, 20);
    println!("network: {} resources", n.resources());
    let report = |name: &str, us: f64| println!("{name:<60} {us:>10.1} µs");
    let q = Query {
        from: End::Instance("i-3".into()),
        to: End::Instance("i-477".into()),
        proto: Proto::Tcp,
        port: 1010,
    };
    report(
        "one query, instance to instance (target < 1 ms)",
        median_us(1000, || {
            black_box(analyze(&n, &q));
        }),
    );
    let web = Query {
        from: End::Internet,
        to: End::Instance("i-250".into()),
        proto: Proto::Tcp,
        port: 1001,
    };
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
                    let q = Query {
                        from: End::Instance(format!("i-{a}")),
                        to: End::Instance(format!("i-{b}")),
                        proto: Proto::Tcp,
                        port: 1010,
                    };
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
            black_box(draw(&small, None));
        }),
    );
}
