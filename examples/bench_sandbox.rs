//! Native benchmark of the sandbox document (not a test):
//! `cargo run --release --example bench_sandbox` prints medians for a sandbox of 1,000
//! resources; `-- --json N` prints the fixture of N resources (used by
//! scripts/bench-sandbox.mjs to seed IndexedDB in the browser).

use std::hint::black_box;
use stratus::core::sandbox::{bench_fixture, from_json, to_json, to_link};

mod common;
use common::median_us;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--json") {
        let n = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(1000);
        println!("{}", to_json(&bench_fixture(n)));
        return;
    }
    let s = bench_fixture(1000);
    let text = to_json(&s);
    println!("sandbox of 1,000 resources: {} bytes of JSON", text.len());
    let report = |name: &str, us: f64| println!("{name:<52} {us:>10.1} µs");
    report(
        "export (pretty JSON)",
        median_us(200, || {
            black_box(to_json(&s));
        }),
    );
    report(
        "import (parse, migrate, validate every tool)",
        median_us(200, || {
            black_box(from_json(&text).unwrap());
        }),
    );
    report(
        "share link (deflate + base64url; too large is an answer)",
        median_us(50, || {
            let _ = black_box(to_link(&s));
        }),
    );
}
