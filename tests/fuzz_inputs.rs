#![cfg(not(target_arch = "wasm32"))]
//! A deterministic, bounded mutation fuzzer over every input surface of the app (the
//! functions of `stratus::core::fuzz`): each share link, each text field's parser, sandbox
//! files and sandbox links. The bar: no panic and no wrapped result for any input.
//!
//! Each surface starts from a seed corpus (its default state's link, values from the unit
//! tests, the issue's inputs) and mutates it with a seeded PRNG: byte flips, inserted,
//! deleted and duplicated chunks, dictionary tokens spliced into a JSON value of the link
//! or anywhere in the text, truncation. Every input runs under `catch_unwind`; the first
//! panic fails the test and prints the exact input.
//!
//! `cargo test --test fuzz_inputs -- --nocapture` prints "fuzz <surface>: N inputs, 0
//! panics" per surface. `STRATUS_FUZZ_ITERS=<n>` sets the number of inputs per surface
//! (default: a per-surface count that keeps the file well under a minute in the debug test
//! profile); `STRATUS_FUZZ_SEED=<n>` changes the PRNG seed. See docs/testing.md, "Fuzzing".

use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use stratus::core::{fuzz, urlcodec};

/// The suite's point is to catch arithmetic that wraps: it must run with overflow checks,
/// which the test profile has (debug assertions imply them unless a profile turns them off).
#[test]
fn overflow_checks_are_on() {
    if !cfg!(debug_assertions) {
        panic!("run the fuzz suite in the test (debug) profile: it relies on overflow checks");
    }
    let x: u8 = std::hint::black_box(255);
    let wrapped = quietly(|| x + std::hint::black_box(1));
    assert!(
        wrapped.is_err(),
        "u8 overflow did not panic: overflow checks are off"
    );
}

/// Runs `f`, catching a panic without printing it (the driver reports the input instead).
/// The panic hook is process-wide and tests run in parallel, so it is installed once and is
/// silent only on the thread that asked.
fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    use std::cell::Cell;
    use std::sync::Once;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r
}

// ------------------------------------------------------------------------------- PRNG

/// SplitMix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ------------------------------------------------------------------------- dictionary

fn dictionary() -> Vec<String> {
    let mut d: Vec<String> = [
        "4294967296",
        "4294967295",
        "4294967301",
        "18446744073709551615",
        "18446744073709551616",
        "340282366920938463463374607431768211455",
        "340282366920938463463374607431768211456",
        "-1",
        "0",
        "1",
        "255",
        "256",
        "65535",
        "65536",
        "65531",
        "65532",
        "2147483648",
        "9223372036854775808",
        "1e309",
        "-1e-400",
        "1e-320",
        "1e308",
        "-0",
        "0.5",
        "NaN",
        "inf",
        "-inf",
        "infinity",
        "1,000",
        "1_000",
        "/0",
        "/16",
        "/28",
        "/32",
        "/33",
        "/64",
        "/128",
        "/129",
        "/255",
        "/256",
        "::",
        "::1",
        "::/0",
        "ffff::/0",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "::ffff:10.0.0.1",
        "0.0.0.0/0",
        "255.255.255.255",
        "255.255.255.255/32",
        "10.0.0.0/16",
        "10.0.0.0/8",
        "2600::/56",
        "2001:db8::/64",
        "99999999999999999999999999999999999999999",
        "0.000000000000000000000000000000000000001",
        "1E+126",
        "1E-130",
        "9.9999999999999999999999999999999999999E+125",
        "400 KB",
        "409601 B",
        "1000 x 400",
        "1001 x 1",
        "25 x 2",
        "1e12",
        "1e13",
        "1e14",
        "1e15",
        "900000",
        "10240",
        "10241",
        "744",
        "745",
        "%",
        "%zz",
        "%FF",
        "%C3%28",
        "%00",
        "&",
        "=",
        "&&",
        "v=1",
        "v=2",
        "v=4294967296",
        "s=",
        "#",
        "+",
        "\"",
        "\\",
        "\\u0000",
        "\\ud800",
        "{}",
        "[]",
        "null",
        "true",
        "[24, 18446744073709551615]",
        "[0, 1]",
        "[128, 1]",
        "{\"Hosts\":4294967296}",
        "ÿ",
        "é",
        "日本",
        "🦀",
        "\u{202e}",
        "\u{feff}",
        "\r\n",
        "\t",
        " to ",
        "-",
        "–",
        "AAAA",
        "____",
        "-_-_",
        "eJzLSM3JyVcozy_KSQEAGgQEXQ",
        "!!!!",
        "==",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Very long digit strings and a long run of one character.
    d.push("9".repeat(400));
    d.push("1".to_string() + &"0".repeat(330));
    d.push("0.".to_string() + &"0".repeat(400) + "1");
    d.push("1e".to_string() + &"9".repeat(30));
    d.push("a".repeat(300));
    d
}

// -------------------------------------------------------------------------- mutations

const MAX_LEN: usize = 16 * 1024;

fn byte_mutation(rng: &mut Rng, dict: &[String], b: &mut Vec<u8>) {
    let len = b.len();
    match rng.below(9) {
        // Flip a bit.
        0 if len > 0 => {
            let i = rng.below(len);
            b[i] ^= 1 << rng.below(8);
        }
        // An interesting byte.
        1 if len > 0 => {
            let i = rng.below(len);
            b[i] = *rng.pick(b"0123456789%&=/:.-,\"{}[]x \n\xff\x00+e");
        }
        // Insert a copy of a chunk elsewhere.
        2 if len > 0 => {
            let (s, n) = chunk(rng, len);
            let piece = b[s..s + n].to_vec();
            let at = rng.below(len + 1);
            b.splice(at..at, piece);
        }
        // Delete a chunk.
        3 if len > 0 => {
            let (s, n) = chunk(rng, len);
            b.drain(s..s + n);
        }
        // Duplicate a chunk in place.
        4 if len > 0 => {
            let (s, n) = chunk(rng, len);
            let piece = b[s..s + n].to_vec();
            b.splice(s..s, piece);
        }
        // Truncate.
        5 if len > 0 => b.truncate(rng.below(len)),
        // Replace a run of digits by a token.
        6 => {
            let starts: Vec<usize> = (0..len)
                .filter(|i| b[*i].is_ascii_digit() && (*i == 0 || !b[*i - 1].is_ascii_digit()))
                .collect();
            if starts.is_empty() {
                insert_token(rng, dict, b);
            } else {
                let s = *rng.pick(&starts);
                let e = (s..len).find(|i| !b[*i].is_ascii_digit()).unwrap_or(len);
                b.splice(s..e, rng.pick(dict).bytes());
            }
        }
        _ => insert_token(rng, dict, b),
    }
}

fn insert_token(rng: &mut Rng, dict: &[String], b: &mut Vec<u8>) {
    let at = rng.below(b.len() + 1);
    b.splice(at..at, rng.pick(dict).bytes());
}

fn chunk(rng: &mut Rng, len: usize) -> (usize, usize) {
    let s = rng.below(len);
    let most = if rng.chance(80) { 8 } else { 256 };
    let n = 1 + rng.below((len - s).min(most));
    (s, n)
}

fn text_mutation(rng: &mut Rng, dict: &[String], text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    let n = if rng.chance(50) { 1 } else { 1 + rng.below(4) };
    for _ in 0..n {
        byte_mutation(rng, dict, &mut b);
    }
    b.truncate(MAX_LEN);
    String::from_utf8_lossy(&b).into_owned()
}

/// A structure-aware mutation of a JSON document: a value replaced by a dictionary token
/// (as a string, as raw JSON when it is JSON, or spliced into the string already there),
/// an array element duplicated or dropped, a key removed.
fn json_mutation(rng: &mut Rng, dict: &[String], doc: &mut Value) {
    // Every leaf, array and object: a token may replace any of them.
    let paths = fuzz::json_paths(doc, true);
    let path = rng.pick(&paths).clone();
    let token = rng.pick(dict).clone();
    let Some(slot) = fuzz::json_at(doc, &path) else {
        return;
    };
    match rng.below(7) {
        0 => *slot = Value::String(token),
        1 => {
            if let Ok(v) = serde_json::from_str::<Value>(&token) {
                *slot = v;
            } else {
                *slot = Value::String(token);
            }
        }
        2 | 3 => {
            if let Value::String(s) = slot {
                let mut b = s.clone().into_bytes();
                byte_mutation(rng, dict, &mut b);
                *s = String::from_utf8_lossy(&b).into_owned();
            } else if let Value::Number(n) = slot {
                let text = text_mutation(rng, dict, &n.to_string());
                *slot = serde_json::from_str(&text).unwrap_or(Value::String(text));
            } else {
                *slot = Value::String(token);
            }
        }
        4 => {
            if let Value::Array(a) = slot {
                if !a.is_empty() {
                    let i = rng.below(a.len());
                    let x = a[i].clone();
                    for _ in 0..1 + rng.below(3) {
                        a.insert(i, x.clone());
                    }
                }
            }
        }
        5 => match slot {
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                a.remove(i);
            }
            Value::Object(m) if !m.is_empty() => {
                let k = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                m.remove(&k);
            }
            _ => {}
        },
        _ => {
            if let Ok(n) = token.parse::<f64>() {
                if let Some(n) = serde_json::Number::from_f64(n) {
                    *slot = Value::Number(n);
                }
            } else if let Ok(n) = token.parse::<u64>() {
                *slot = Value::from(n);
            } else if let Ok(n) = token.parse::<i64>() {
                *slot = Value::from(n);
            }
        }
    }
}

/// How a surface's inputs are built from its seeds.
#[derive(Clone, Copy)]
enum Shape {
    /// Plain text.
    Text,
    /// A share-link query `v=…&s=<percent-encoded JSON>`.
    Query,
    /// A JSON document.
    Json,
    /// A sandbox link payload: the JSON of a sandbox, deflated and base64url-coded.
    Link,
}

fn query_parts(q: &str) -> Option<(String, Value)> {
    let mut v = "1".to_string();
    let mut json = None;
    for (k, x) in urlcodec::pairs(q) {
        match k {
            "v" => v = x.to_string(),
            "s" => {
                json = urlcodec::decode(x)
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
            }
            _ => {}
        }
    }
    Some((v, json?))
}

fn mutate(rng: &mut Rng, dict: &[String], shape: Shape, seed: &str) -> String {
    match shape {
        Shape::Text => text_mutation(rng, dict, seed),
        Shape::Query => match query_parts(seed) {
            Some((v, mut doc)) if rng.chance(75) => {
                for _ in 0..1 + rng.below(3) {
                    json_mutation(rng, dict, &mut doc);
                }
                let q = format!("v={v}&s={}", urlcodec::encode(&doc.to_string()));
                if rng.chance(15) {
                    text_mutation(rng, dict, &q)
                } else {
                    q
                }
            }
            _ => text_mutation(rng, dict, seed),
        },
        Shape::Json => match serde_json::from_str::<Value>(seed) {
            Ok(mut doc) if rng.chance(75) => {
                for _ in 0..1 + rng.below(3) {
                    json_mutation(rng, dict, &mut doc);
                }
                let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
                if rng.chance(15) {
                    text_mutation(rng, dict, &text)
                } else {
                    text
                }
            }
            _ => text_mutation(rng, dict, seed),
        },
        // Seeds are sandbox JSON; most inputs carry a mutated sandbox in a well-formed
        // link, the rest are damaged links.
        Shape::Link if !seed.trim_start().starts_with('{') => text_mutation(rng, dict, seed),
        Shape::Link => {
            let json = mutate(rng, dict, Shape::Json, seed);
            let link = fuzz::link_payload(&json);
            if rng.chance(30) {
                text_mutation(rng, dict, &link)
            } else {
                link
            }
        }
    }
}

// ------------------------------------------------------------------------------ driver

fn iterations(default: usize) -> usize {
    std::env::var("STRATUS_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn base_seed() -> u64 {
    std::env::var("STRATUS_FUZZ_SEED")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0x5EED_0012)
}

fn run(name: &str, surface: fn(&str), shape: Shape, seeds: &[String], default_iters: usize) {
    let dict = dictionary();
    let iters = iterations(default_iters);
    let name_hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = Rng(base_seed() ^ name_hash);
    // Recent inputs are mutated further, so mutations stack across iterations.
    let mut pool: Vec<String> = seeds.to_vec();
    let (mut tried, mut read) = (0usize, 0usize);
    let mut failure = None;
    // The seeds themselves first, then mutants.
    let inputs = seeds
        .iter()
        .cloned()
        .map(Some)
        .chain((0..iters).map(|_| None));
    for seed_input in inputs {
        let input = match seed_input {
            Some(s) => s,
            None => {
                let from = if rng.chance(60) {
                    rng.pick(seeds).clone()
                } else {
                    rng.pick(&pool).clone()
                };
                mutate(&mut rng, &dict, shape, &from)
            }
        };
        tried += 1;
        let valid = reads(name, &input);
        if valid == Some(true) {
            read += 1;
        }
        if let Err(e) = quietly(|| surface(&input)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failure = Some((input, msg));
            break;
        }
        // A little feedback: mutants the parser rejects are not mutated further (where
        // the surface has a parser to ask), so stacked mutations stay mostly readable.
        if valid == Some(false) {
            continue;
        }
        if pool.len() < 64 {
            pool.push(input);
        } else {
            let i = rng.below(pool.len());
            pool[i] = input;
        }
    }
    if let Some((input, msg)) = failure {
        panic!("fuzz {name}: input {tried} panicked: {msg}\ninput: {input:?}");
    }
    let valid = if read > 0 {
        format!(" ({read} read as valid input)")
    } else {
        String::new()
    };
    println!("fuzz {name}: {tried} inputs, 0 panics{valid}");
    if let Ok(dir) = std::env::var("STRATUS_FUZZ_CORPUS") {
        write_corpus(std::path::Path::new(&dir), name, seeds, &dict);
    }
}

/// Whether an input gets past the surface's parser: a measure of how deep the mutants
/// reach (`None` for surfaces where every input is "valid" text).
fn reads(name: &str, input: &str) -> Option<bool> {
    use stratus::core::services::ec2::network as ec2;
    use stratus::core::views::vpc;
    use stratus::core::{cidr, durability, dynamodb, format, lambda, sandbox};
    Some(match name {
        "cidr" => cidr::share::from_query(input).is_ok(),
        "drive-failure" => durability::state::from_query(input).is_ok(),
        "lambda" => lambda::state::from_query(input).is_ok(),
        "dynamodb" => dynamodb::state::from_query(input).is_ok(),
        "vpc" => vpc::state::from_query(input).is_ok(),
        "cidr-block" => cidr::Block::parse(input).is_ok(),
        "cidr-range" => cidr::ranges::parse_range(input).is_ok(),
        "cidr-tier" => cidr::share::TierDraft::new("t", cidr::share::SizeKind::Hosts, input)
            .to_tier()
            .is_ok(),
        "number" => format::parse_number(input, "x").is_ok(),
        "dynamodb-item" => {
            dynamodb::item::parse_item(input, dynamodb::item::JsonKind::Auto).is_ok()
        }
        "dynamodb-sizes" => dynamodb::request::parse_sizes(input, "x").is_ok(),
        "vpc-edit" => serde_json::from_str::<ec2::edit::Edit>(input).is_ok(),
        "vpc-protocol" => ec2::Proto::parse(input).is_ok(),
        "dynamodb-number" => dynamodb::item::number_size(input).is_ok(),
        "iam-policy" => stratus::core::iam::parse(input).is_ok(),
        "sandbox-file" => sandbox::from_json(input).is_ok(),
        "sandbox-link" => {
            if input.trim_start().starts_with('{') {
                sandbox::from_json(input).is_ok()
            } else {
                sandbox::from_link(input).is_ok()
            }
        }
        _ => return None,
    })
}

/// Writes a surface's seeds as a cargo-fuzz corpus (`<dir>/<target>/seed-<n>`) and the
/// dictionary as a libFuzzer dictionary (`<dir>/stratus.dict`).
fn write_corpus(dir: &std::path::Path, name: &str, seeds: &[String], dict: &[String]) {
    let target = dir.join(name.replace('-', "_"));
    std::fs::create_dir_all(&target).unwrap();
    for (i, s) in seeds.iter().enumerate() {
        // The sandbox-link target takes payloads: pack JSON seeds as links.
        let text = if name == "sandbox-link" && s.trim_start().starts_with('{') {
            fuzz::link_payload(s)
        } else {
            s.clone()
        };
        std::fs::write(target.join(format!("seed-{i}")), text).unwrap();
    }
    let mut out = String::new();
    for t in dict {
        out.push('"');
        for b in t.bytes() {
            if b.is_ascii_graphic() && b != b'"' && b != b'\\' || b == b' ' {
                out.push(b as char);
            } else {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out.push_str("\"\n");
    }
    std::fs::write(dir.join("stratus.dict"), out).unwrap();
}

// ------------------------------------------------------------------------------- seeds

/// A link carrying the whole state (every field, not only the non-default ones), so
/// mutations reach every field.
fn full_query<T: serde::Serialize>(state: &T, version: u32) -> String {
    let json = serde_json::to_string(state).unwrap();
    format!("v={version}&s={}", urlcodec::encode(&json))
}

fn query_of(json: &str) -> String {
    format!("v=1&s={}", urlcodec::encode(json))
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn cidr_seeds() -> Vec<String> {
    use stratus::core::cidr::share::{self, CidrState};
    let mut v = vec![
        String::new(),
        full_query(&CidrState::default(), share::VERSION),
        "v=1&s=%7B%22explain%22:%2210.0.0.5/24%22%7D".into(),
        "v=9&s=%7B%7D".into(),
        "v=1&s=%zz".into(),
        query_of(
            r#"{"tab":"plan","plan":{"vpc":"10.0.0.0/16","azs":3,"tiers":[{"name":"huge","kind":"hosts","value":"4294967296"}]}}"#,
        ),
        query_of(
            r#"{"plan":{"vpc":"10.0.0.0/28","azs":6,"tiers":[{"name":"a","kind":"prefix","value":"16"},{"name":"b","kind":"hosts","value":"65531"}]}}"#,
        ),
        query_of(
            r#"{"table":{"root":"::/0","runs":[[1,2]],"labels":[{"cidr":"::/1","note":"x","colour":9}]}}"#,
        ),
        query_of(r#"{"table":{"root":"10.0.0.0/8","runs":[[40,4294967296]]}}"#),
        query_of(r#"{"table":{"root":"0.0.0.0/0","runs":[[32,4294967296]]}}"#),
        query_of(r#"{"table":{"root":"::/64","runs":[[96,4294967296]]}}"#),
        query_of(
            r#"{"range":"::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff","list":"::/0\n0.0.0.0/0\n10.0.0.0/8, 10.0.0.0/9"}"#,
        ),
        query_of(
            r#"{"aws":{"v4":"10.0.0.0/16\n10.0.0.300/24","v6":"2600::/56","subnets":"web 10.0.1.0/24 2600::/64 10.0.2.0/24\ndb 10.0.9.0/33"}}"#,
        ),
    ];
    let s = CidrState {
        explain: "2001:db8::/56".into(),
        ..Default::default()
    };
    v.push(full_query(&s, share::VERSION));
    v
}

fn drive_seeds() -> Vec<String> {
    use stratus::core::durability::state::{DriveState, VERSION};
    let mut v = vec![
        String::new(),
        full_query(&DriveState::default(), VERSION),
        query_of(
            r#"{"rate_kind":"mtbf","rate":"1000000","scheme":"erasure","data":"64","parity":"32"}"#,
        ),
        query_of(
            r#"{"rate":"100","period_days":"36500","drives":"1e9","fleet_days":"36500","at_least":"1e9"}"#,
        ),
        query_of(
            r#"{"rate":"1e-300","drives":"1","at_least":"0","scheme":"replication","set_size":"10"}"#,
        ),
        query_of(
            r#"{"scheme":"raid6","set_size":"32","rebuild_days":"365","drive_tb":"1000","ure":"1e-15"}"#,
        ),
    ];
    for scheme in [
        "single",
        "mirror",
        "raid5",
        "raid6",
        "replication",
        "erasure",
    ] {
        v.push(query_of(&format!(r#"{{"scheme":"{scheme}"}}"#)));
    }
    v
}

fn lambda_seeds() -> Vec<String> {
    use stratus::core::lambda::state::{LambdaState, VERSION};
    vec![
        String::new(),
        full_query(&LambdaState::default(), VERSION),
        query_of(
            r#"{"invocations":"1e14","per":"month","duration_ms":"900000","memory_mb":"10240","ephemeral_mb":"10240"}"#,
        ),
        query_of(
            r#"{"invocations":"1e9","per":"second","duration_ms":"0.001","memory_mb":"128","arch":"arm","free_tier":false,"historic":true}"#,
        ),
        query_of(r#"{"invocations":"0","duration_ms":"2.35","memory_mb":"4294967296"}"#),
        query_of(
            r#"{"invocations":"2000000","duration_ms":"280","memory_mb":"4096","provisioned":true,"pc_concurrency":"7","pc_hours":"24"}"#,
        ),
        query_of(
            r#"{"invocations":"1e14","duration_ms":"900000","provisioned":true,"pc_concurrency":"100000","pc_hours":"0.0001"}"#,
        ),
    ]
}

fn dynamodb_seeds() -> Vec<String> {
    use stratus::core::dynamodb::state::{DynamoState, VERSION};
    let mut v = vec![
        String::new(),
        full_query(&DynamoState::default(), VERSION),
        query_of(r#"{"op":"Query","items_read":"1e12","sizes":"400 KB"}"#),
        query_of(r#"{"op":"BatchWriteItem","sizes":"25 x 16","gsis":"1, 2, 3"}"#),
        query_of(r#"{"op":"TransactWriteItems","sizes":"100 x 4"}"#),
        query_of(
            r#"{"month_hours":"744","utilization":"1","stored_items":"1e13","stored_size":"400","lines":[{"write":true,"rate":"1e9","per":"second","size":"400","mode":"transactional"}]}"#,
        ),
        query_of(
            r#"{"item":"{\"n\":{\"N\":\"-9.9999999999999999999999999999999999999E+125\"},\"l\":{\"L\":[{\"NS\":[\"1\",\"1E-130\"]}]}}","kind":"dynamo"}"#,
        ),
    ];
    let mut s = DynamoState::default();
    s.lines.truncate(1);
    v.push(full_query(&s, VERSION));
    v
}

fn vpc_seeds() -> Vec<String> {
    use stratus::core::services::ec2::network::templates::TEMPLATES;
    use stratus::core::views::vpc::state::{template, VpcState, VERSION};
    let mut v = vec![String::new(), full_query(&VpcState::default(), VERSION)];
    for (id, _) in TEMPLATES {
        if *id == "large" {
            continue;
        }
        let s = VpcState {
            template: id.to_string(),
            network: Some(template(id)),
            ipv6: id.contains("dual"),
            ..Default::default()
        };
        v.push(full_query(&s, VERSION));
    }
    v
}

fn sandbox_seeds() -> Vec<String> {
    use stratus::core::sandbox::{self, Sandbox};
    let mut v = vec![
        include_str!("fixtures/sandbox/v1.json").to_string(),
        // A schema 1 sandbox whose VPC state holds its network (migrated into the account)
        // and a schema 2 one with the account.
        include_str!("fixtures/sandbox/v1-vpc-edited.json").to_string(),
        include_str!("fixtures/sandbox/v2.json").to_string(),
        sandbox::to_json(&Sandbox::new("sb-1".into(), "Empty", 0)),
    ];
    let mut s = Sandbox::new("sb-2".into(), "Every tool", 1_700_000_000_000);
    for (tool, seeds) in [
        ("cidr", cidr_seeds()),
        ("drive-failure", drive_seeds()),
        ("lambda", lambda_seeds()),
        ("dynamodb", dynamodb_seeds()),
    ] {
        s.set_tool_query(tool, &seeds[1]);
    }
    s.set_tool_query("vpc", &vpc_seeds()[2]);
    v.push(sandbox::to_json(&s));
    let mut t = Sandbox::new("sb-3".into(), "Big plan", u64::MAX);
    t.revision = u64::MAX;
    t.set_tool_query("cidr", &cidr_seeds()[5]);
    v.push(sandbox::to_json(&t));
    v
}

// ------------------------------------------------------------------------------- tests

#[test]
fn fuzz_cidr_link() {
    run("cidr", fuzz::cidr, Shape::Query, &cidr_seeds(), 1500);
}

#[test]
fn fuzz_drive_failure_link() {
    run(
        "drive-failure",
        fuzz::drive_failure,
        Shape::Query,
        &drive_seeds(),
        1500,
    );
}

#[test]
fn fuzz_lambda_link() {
    run("lambda", fuzz::lambda, Shape::Query, &lambda_seeds(), 1500);
}

#[test]
fn fuzz_dynamodb_link() {
    run(
        "dynamodb",
        fuzz::dynamodb,
        Shape::Query,
        &dynamodb_seeds(),
        1500,
    );
}

fn iam_seeds() -> Vec<String> {
    use stratus::core::iam::scenarios::SCENARIOS;
    use stratus::core::iam::state::VERSION;
    let mut v = vec![String::new()];
    for sc in SCENARIOS {
        v.push(full_query(&sc.state(), VERSION));
    }
    v
}

#[test]
fn fuzz_iam_link() {
    run("iam", fuzz::iam, Shape::Query, &iam_seeds(), 300);
}

#[test]
fn fuzz_iam_account() {
    use stratus::core::views::flow::templates::scenario;
    let mut seeds: Vec<String> = ["denied", "fanout", "photo", "stream"]
        .iter()
        .map(|t| serde_json::to_string_pretty(&scenario(t).definitions()).unwrap())
        .collect();
    seeds.push(
        r#"{"identities": [{"kind": "user", "name": "u", "policies": [{"name": "arn:aws:iam::aws:policy/AdministratorAccess", "text": "{\"Statement\": []}"}], "boundary": {"name": "", "text": "{}"}, "trust": "{"}, {"name": "u"}, 3], "buckets": [{"name": "b", "policy": "not json"}], "functions": [{"name": "f", "policy": "{}"}]}"#.into(),
    );
    run("iam-account", fuzz::iam_account, Shape::Json, &seeds, 300);
}

#[test]
fn fuzz_iam_fields() {
    run(
        "iam-fields",
        fuzz::iam_fields,
        Shape::Text,
        &field_seeds(),
        40,
    );
}

#[test]
fn fuzz_iam_context() {
    let mut seeds = field_seeds();
    seeds.extend(strs(&[
        "aws:SourceIp = 203.0.113.7",
        "dynamodb:Attributes = [a, b]\naws:TagKeys = []",
        "team=blue\nproject = x",
        "# comment\nk = [",
    ]));
    run("iam-context", fuzz::iam_context, Shape::Text, &seeds, 400);
}

#[test]
fn fuzz_vpc_link() {
    run("vpc", fuzz::vpc, Shape::Query, &vpc_seeds(), 600);
}

fn field_seeds() -> Vec<String> {
    let mut v = strs(&[
        "",
        "0",
        "1",
        "-1",
        "24",
        "/24",
        "1,000",
        "4294967296",
        "1e309",
        "NaN",
        "10.0.0.0/16",
        "2001:db8::/56",
        "i-web",
        "internet",
        "{}",
        "[]",
        "null",
        "true",
        "\"x\"",
    ]);
    v.extend(dictionary());
    v
}

#[test]
fn fuzz_cidr_fields() {
    run(
        "cidr-fields",
        fuzz::cidr_fields,
        Shape::Text,
        &field_seeds(),
        150,
    );
}

#[test]
fn fuzz_drive_failure_fields() {
    run(
        "drive-failure-fields",
        fuzz::drive_failure_fields,
        Shape::Text,
        &field_seeds(),
        150,
    );
}

#[test]
fn fuzz_lambda_fields() {
    run(
        "lambda-fields",
        fuzz::lambda_fields,
        Shape::Text,
        &field_seeds(),
        150,
    );
}

#[test]
fn fuzz_dynamodb_fields() {
    run(
        "dynamodb-fields",
        fuzz::dynamodb_fields,
        Shape::Text,
        &field_seeds(),
        100,
    );
}

#[test]
fn fuzz_vpc_fields() {
    run(
        "vpc-fields",
        fuzz::vpc_fields,
        Shape::Text,
        &field_seeds(),
        100,
    );
}

fn block_seeds() -> Vec<String> {
    strs(&[
        "10.0.0.0/16",
        "10.0.0.5/24",
        "169.254.169.254",
        "100.64.0.0/10",
        "2001:db8::/56",
        "0.0.0.0/0",
        "::/0",
        "ffff::/0",
        "::",
        "::ffff:1.2.3.4/96",
        "255.255.255.255/32",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
        " 10.0.0.0 / 8 ",
        "10.0.0.0/33",
        "1.2.3.4/255",
        "1:2:3:4:5:6:7:8:9",
        "01.02.03.04",
    ])
}

#[test]
fn fuzz_cidr_block() {
    run(
        "cidr-block",
        fuzz::cidr_block,
        Shape::Text,
        &block_seeds(),
        3000,
    );
}

#[test]
fn fuzz_cidr_range() {
    let seeds = strs(&[
        "23.128.1.0-23.128.7.255",
        "0.0.0.0-255.255.255.255",
        "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "10.0.0.1 to 10.0.0.1",
        "2001:db8::1 – 2001:db8::ffff",
        "10.0.0.9-10.0.0.1",
        "10.0.0.0-::1",
    ]);
    run("cidr-range", fuzz::cidr_range, Shape::Text, &seeds, 3000);
}

#[test]
fn fuzz_cidr_list() {
    let seeds = strs(&[
        "10.0.0.0/24\n10.0.1.0/24\n10.0.2.0/23\n10.0.1.128/25",
        "::/0, 0.0.0.0/0; 10.0.0.0/8\t# comment\n2001:db8::/32",
        "0.0.0.0/1\n128.0.0.0/1",
        "::/1\n8000::/1\nbad",
    ]);
    run("cidr-list", fuzz::cidr_list, Shape::Text, &seeds, 3000);
}

#[test]
fn fuzz_cidr_split() {
    let seeds = strs(&[
        "10.0.0.0/22 24 4 10.0.2.9",
        "10.0.0.0/8 /24 65536 10.255.255.255",
        "0.0.0.0/0 32 4294967296 255.255.255.255",
        "::/0 128 340282366920938463463374607431768211455 ::1",
        "::/0 32 340282366920938463463374607431768211456 ffff::",
        "::/64 96 3 ::5",
        "2001:db8::/56 64 256 2001:db8::ff",
        "10.0.0.0/16 /255 18446744073709551616 10.0.0.1",
    ]);
    run("cidr-split", fuzz::cidr_split, Shape::Text, &seeds, 1500);
}

#[test]
fn fuzz_cidr_tier() {
    let seeds = strs(&[
        "24",
        "/24",
        "1000",
        "1,000",
        "65531",
        "65532",
        "4294967296",
        "18446744073709551615",
        "0",
        "16",
        "28",
        "29",
        "255",
    ]);
    run("cidr-tier", fuzz::cidr_tier, Shape::Text, &seeds, 1500);
}

#[test]
fn fuzz_cidr_aws() {
    let seeds = strs(&[
        "10.0.0.0/16",
        "2600::/56",
        "public-a 10.0.0.0/24\npublic-b 10.0.1.0/24\nprivate-a 10.0.16.0/20",
        "web 10.0.1.0/24 2600::/64 10.0.2.0/24\ndb 10.0.9.0/33",
        "10.0.0.0/16\n100.64.0.0/10\n172.16.0.0/12\n192.168.0.0/16\n0.0.0.0/0",
    ]);
    run("cidr-aws", fuzz::cidr_aws, Shape::Text, &seeds, 1500);
}

#[test]
fn fuzz_number() {
    let seeds = strs(&[
        "1,000",
        "1_000_000",
        " 2.5 ",
        "1e309",
        "-1e-400",
        "NaN",
        "inf",
        "0",
        "-0",
        "1e-320",
        "3,000,000",
        "1e14",
    ]);
    run("number", fuzz::number, Shape::Text, &seeds, 5000);
}

#[test]
fn fuzz_dynamodb_number() {
    let seeds = strs(&[
        "1.5",
        "-42",
        "0",
        "0.15",
        "12345",
        "1786461547",
        "12345678901234567890123456789012345678",
        "-1.2345678901234567890123456789012345678",
        "9.9999999999999999999999999999999999999E+125",
        "1E-130",
        "1e99999999999999999999",
        "+001.50e-0",
        "-0",
        ".5",
        "5.",
    ]);
    run(
        "dynamodb-number",
        fuzz::dynamodb_number,
        Shape::Text,
        &seeds,
        5000,
    );
}

#[test]
fn fuzz_vpc_protocol() {
    let seeds = strs(&[
        "tcp",
        "UDP",
        "-1",
        "all",
        "47",
        "gre",
        "icmp",
        "icmp:8:0",
        "icmpv6:128",
        "icmp:-1:-1",
        "58",
        "255",
        "256",
        "icmp:8:0:1",
        "tcp:80",
    ]);
    run(
        "vpc-protocol",
        fuzz::vpc_protocol,
        Shape::Text,
        &seeds,
        3000,
    );
}

#[test]
fn fuzz_iam_policy() {
    let mut seeds = vec![];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/iam");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("oracles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        for p in doc["policies"]["identity"].as_array().into_iter().flatten() {
            seeds.push(p["policy"].to_string());
        }
    }
    seeds.push(r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/app"]},"NotAction":"iam:*","NotResource":"arn:aws:s3:::x/${aws:username}/*","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*"]},"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NullIfExists":{"aws:userid":"true"}}}]}"#.into());
    run("iam-policy", fuzz::iam_policy, Shape::Json, &seeds, 1500);
}

#[test]
fn fuzz_flow_link() {
    use stratus::core::views::flow::state::{to_query, FlowState};
    let mut seeds = vec![];
    for (id, _, _) in stratus::core::views::flow::templates::TEMPLATES {
        let s = FlowState {
            template: id.to_string(),
            scenario: Some(stratus::core::views::flow::templates::scenario(id)),
            time_ms: 1_500,
            ..Default::default()
        };
        seeds.push(to_query(&s));
    }
    run("flow-link", fuzz::flow, Shape::Query, &seeds, 300);
}

#[test]
fn fuzz_flow_edit() {
    use stratus::core::views::flow::{edit::to_json, templates};
    let mut seeds: Vec<String> = [
        "orders",
        "jobs.fifo",
        "queue orders",
        "function worker",
        "{\"type\":[\"order\"]}",
        "uploads/",
        "7",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (id, _, _) in templates::TEMPLATES {
        seeds.push(to_json(&templates::scenario(id)));
    }
    run("flow-edit", fuzz::flow_edit, Shape::Json, &seeds, 150);
}

#[test]
fn fuzz_dynamodb_expression() {
    let seeds: Vec<String> = [
        "attribute_not_exists(pk) AND (a = :v OR size(l) > :n) AND NOT contains(l, :v)",
        "pk = :v AND sk BETWEEN :n AND :n",
        "SET a = :v, b = if_not_exists(b, :n) + :n, l = list_append(l, :l) REMOVE l[0] ADD c :n",
        "#n IN (:v, :n) AND begins_with(a, :v)",
        "-12.5E+3",
        "((((a = :v))))",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    run(
        "dynamodb-expression",
        fuzz::dynamodb_expression,
        Shape::Text,
        &seeds,
        1500,
    );
}

#[test]
fn fuzz_console_line() {
    let seeds: Vec<String> = [
        "aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,State.Name]' --output table",
        "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --count 2 --instance-type t3.micro --subnet-id subnet-public-a --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=web}]' --metadata-options HttpTokens=optional,HttpPutResponseHopLimit=1 --output yaml",
        "TOKEN=`curl -X PUT \"http://169.254.169.254/latest/api/token\" -H \"X-aws-ec2-metadata-token-ttl-seconds: 21600\"` && curl -i -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/iam/security-credentials/r",
        "aws ec2 stop-instances --instance-ids $(aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' --output text) --hibernate; aws ec2 wait instance-stopped --filters Name=instance-state-name,Values=stopping || echo $?",
        "aws configure\nAKIAIOSFODNN7EXAMPLE\n\neu-west-1\ntable",
        "aws iam simulate-custom-policy --policy-input-list '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}' --action-names s3:GetObject s3:PutObject --output text",
        "echo -e 'a\\tb' > f.txt; cat f.txt ~/.aws/config; export AWS_PROFILE=x; aws sts get-caller-identity --region us-west-2 --query \"{A: Account, B: Arn}\"",
        "aws ec2 modify-instance-attribute --instance-id i-web --instance-type Value=t3.small --dry-run; aws ec2 describe-instance-types --instance-types t4g.micro --query 'InstanceTypes[?VCpuInfo.DefaultVCpus > `1`]'",
        "echo hi > cat.jpg; aws s3 cp cat.jpg s3://photos/uploads/; aws s3 ls s3://photos --recursive --human-readable --summarize; aws s3 cp s3://photos/uploads/cat.jpg -; aws s3 rb s3://photos --force",
        "aws sqs create-queue --queue-name q --attributes VisibilityTimeout=5,DelaySeconds=1; aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/q --message-body m; aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/q --wait-time-seconds 20 --attribute-names All",
        "aws lambda invoke --function-name labeler --cli-binary-format raw-in-base64-out --payload '{\"a\": 1}' o.json; aws lambda invoke --function-name labeler --payload eyJhIjogMX0= --invocation-type Event o.json; aws lambda list-functions --output table",
        "aws dynamodb create-table --table-name t --attribute-definitions AttributeName=k,AttributeType=S AttributeName=s,AttributeType=N --key-schema AttributeName=k,KeyType=HASH AttributeName=s,KeyType=RANGE --billing-mode PROVISIONED --provisioned-throughput ReadCapacityUnits=1,WriteCapacityUnits=1; aws dynamodb put-item --table-name t --item '{\"k\": {\"S\": \"a\"}, \"s\": {\"N\": \"1\"}}'; aws dynamodb query --table-name t --key-condition-expression 'k = :k' --expression-attribute-values '{\":k\": {\"S\": \"a\"}}' --return-consumed-capacity INDEXES --output yaml",
        "aws sns create-topic --name t; aws sqs create-queue --queue-name q2; aws sns subscribe --topic-arn arn:aws:sns:us-east-1:111122223333:t --protocol sqs --notification-endpoint arn:aws:sqs:us-east-1:111122223333:q2 --attributes '{\"RawMessageDelivery\": \"true\"}'; aws sns publish --topic-arn arn:aws:sns:us-east-1:111122223333:t --message hello; aws sns list-subscriptions",
    ]
    .iter()
    .map(|s| s.replace("\\n", "\n"))
    .collect();
    run("console-line", fuzz::console_line, Shape::Text, &seeds, 300);
}

#[test]
fn fuzz_console_link() {
    use stratus::core::views::console::{to_query, ConsoleState};
    let seeds: Vec<String> = [
        ConsoleState::default(),
        ConsoleState {
            template: "nat".into(),
            serverless: "fanout".into(),
            lines: vec![
                "aws ec2 describe-subnets --output text".into(),
                "aws sns list-topics --output text".into(),
                "sleep 3".into(),
            ],
            ..ConsoleState::default()
        },
        ConsoleState {
            network: stratus::core::services::ec2::network::templates::network("nat"),
            serverless: "dlq".into(),
            ..ConsoleState::default()
        },
        // Serverless resources the flow page made, taken in between lines, and the
        // account's (reconciled when the link is opened).
        {
            use stratus::core::views::console::Replaced;
            use stratus::core::views::flow::templates::scenario;
            ConsoleState {
                definitions: Some(scenario("stream").definitions()),
                lines: vec![
                    "aws sqs create-queue --queue-name jobs".into(),
                    "aws dynamodb scan --table-name orders --output text".into(),
                ],
                replaced: vec![Replaced {
                    at: 1,
                    network: None,
                    resources: Some(scenario("orders").definitions()),
                }],
                resources: Some(scenario("api").definitions()),
                ..ConsoleState::default()
            }
        },
    ]
    .iter()
    .map(to_query)
    .collect();
    run(
        "console-link",
        fuzz::console_link,
        Shape::Query,
        &seeds,
        300,
    );
}

#[test]
fn fuzz_dynamodb_batch() {
    let seeds: Vec<String> = [
        r#"[{"Update": {"TableName": "stock", "Key": {"id": "w", "n": 1}, "UpdateExpression": "SET qty = if_not_exists(qty, :z) - :one", "ConditionExpression": "attribute_not_exists(qty) OR qty >= :one", "ExpressionAttributeValues": {":one": 1, ":z": 5}}}, {"Put": {"TableName": "orders", "Item": {"id": "o-1", "status": "new"}, "ConditionExpression": "attribute_not_exists(id)"}}]"#,
r##"[{"ConditionCheck": {"TableName": "orders", "Key": {"id": "o-1"}, "ConditionExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": "new"}}}, {"Delete": {"TableName": "stock", "Key": {"id": "w", "n": 1}}}]"##,
        r#"{"orders": [{"PutRequest": {"Item": {"id": "o-{{n}}", "status": "new", "qty": {{n}}}}}, {"DeleteRequest": {"Key": {"id": "o-2"}}}], "stock": [{"PutRequest": {"Item": {"id": "w", "n": 2}}}]}"#,
        r#"{"TransactItems": [{"Get": {"TableName": "orders", "Key": {"id": "o-1"}}}, {"Get": {"TableName": "stock", "Key": {"id": "w", "n": 1}}}]}"#,
        r#"{"RequestItems": {"orders": [{"PutRequest": {"Item": {"id": {"S": "o-9"}, "status": {"S": "x"}, "b": {"B": "AAEC"}}}}]}}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    run(
        "dynamodb-batch",
        fuzz::dynamodb_batch,
        Shape::Json,
        &seeds,
        1500,
    );
}

#[test]
fn fuzz_sns_filter_policy() {
    let seeds: Vec<String> = [
        r#"{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}"#,
        r#"{"k":[{"prefix":"bas"},{"suffix":".png"},{"equals-ignore-case":"X"},{"anything-but":{"prefix":"o-"}}]}"#,
        r#"{"ip":[{"cidr":"10.0.0.0/24"}],"n":[{"numeric":[">",0,"<=",150]}],"e":[{"exists":false}]}"#,
        r#"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
        r#"{"order":{"status":["paid",null,true,1.5]}}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    run(
        "sns-filter-policy",
        fuzz::sns_filter_policy,
        Shape::Json,
        &seeds,
        1500,
    );
}

#[test]
fn fuzz_flow_handler() {
    let seeds: Vec<String> = [
        r#"[{"step":"run","ms":100},{"step":"fail","when":{"probability":0.5},"error_type":"E","message":"{{a.b}}"}]"#,
        r#"[{"step":"send_message","queue":"q","body":"{{Records.0.body}}"},{"step":"report_batch_item_failures","when":{"field_equals":{"path":"body","value":"x"}}}]"#,
        r#"{"Records":[{"messageId":"m-1","body":"x"}]}"#,
        "{{{{unclosed",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    run(
        "flow-handler",
        fuzz::flow_handler,
        Shape::Json,
        &seeds,
        1500,
    );
}

#[test]
fn fuzz_dynamodb_item() {
    let mut seeds = vec![
        stratus::core::dynamodb::state::EXAMPLE_ITEM.to_string(),
        r#"{"id":{"S":"a"},"n":{"N":"-12.5E+3"},"b":{"B":"AAAA"},"ok":{"BOOL":true},"z":{"NULL":true},"m":{"M":{"x":{"L":[{"N":"1"},{"SS":["a","b"]}]}}},"ns":{"NS":["1","2"]},"bs":{"BS":["AA=="]}}"#.to_string(),
        r#"{"a":1,"b":[1,2,{"c":null}],"d":"text","e":1.5e300,"f":-1e-300,"g":true}"#.to_string(),
        r#"{"big":99999999999999999999999999999999999999999}"#.to_string(),
        "1.5E+10".into(),
        "-9.9999999999999999999999999999999999999E+125".into(),
        "1e99999999999999999999".into(),
        "0.000".into(),
    ];
    seeds.push(format!(r#"{{"s":"{}"}}"#, "x".repeat(5000)));
    run(
        "dynamodb-item",
        fuzz::dynamodb_item,
        Shape::Json,
        &seeds,
        2000,
    );
}

#[test]
fn fuzz_dynamodb_sizes() {
    let seeds = strs(&[
        "1, 2.5, 300 B",
        "25 x 2",
        "400 KB",
        "409600 bytes",
        "1000 x 400",
        "0.5k",
        "-1",
        "1e309 kb",
        "100 × 4; 2\n3",
    ]);
    run(
        "dynamodb-sizes",
        fuzz::dynamodb_sizes,
        Shape::Text,
        &seeds,
        600,
    );
}

#[test]
fn fuzz_vpc_end() {
    let seeds = strs(&[
        "internet",
        "s3",
        "dynamodb",
        "i-web",
        "10.0.1.10",
        "2600:1f18::1",
        "80",
        "65535",
        "65536",
        "10.0.0.0/16",
        "::/0",
        "-1",
    ]);
    run("vpc-end", fuzz::vpc_end, Shape::Text, &seeds, 1500);
}

fn edit_seeds() -> Vec<String> {
    use stratus::core::views::vpc::state::template;
    let net = serde_json::to_value(template("nat")).unwrap();
    let first = |k: &str| net[k][0].clone();
    let (sub, inst, sg, acl, rt) = (
        first("subnets"),
        first("instances"),
        first("groups"),
        first("nacls"),
        first("route_tables"),
    );
    let id = |v: &Value| v["id"].clone();
    let edits = [
        serde_json::json!({"TerminateInstances": {"id": id(&inst)}}),
        serde_json::json!({"CreateTags": {"id": id(&sub), "name": "renamed"}}),
        serde_json::json!({"SetSubnetCidr": {"subnet": id(&sub), "cidr": sub["cidr"]}}),
        serde_json::json!({"CreateSubnet": {"name": "x", "vpc": sub["vpc"], "az": sub["az"], "cidr": sub["cidr"]}}),
        serde_json::json!({"RunInstances": {"name": "x", "subnet": id(&sub), "ip": inst["private_ip"], "public_ip": 4294967295u64, "groups": [id(&sg)]}}),
        serde_json::json!({"MoveInstance": {"instance": id(&inst), "subnet": id(&sub), "ip": 4294967295u64}}),
        serde_json::json!({"CreateVpc": {"name": "v", "cidr": sub["cidr"]}}),
        serde_json::json!({"AssociateVpcCidrBlock": {"vpc": sub["vpc"], "cidr": sub["cidr"]}}),
        serde_json::json!({"RevokeSecurityGroupIngress": {"group": id(&sg), "index": 18446744073709551615u64}}),
        serde_json::json!({"DeleteSubnet": {"subnet": sub["vpc"]}}),
        serde_json::json!({"DeleteRoute": {"table": id(&rt), "index": 0}}),
        serde_json::json!({"DeleteNetworkAclEntry": {"nacl": id(&acl), "inbound": true, "number": 65535}}),
        serde_json::json!({"AllocateAddress": {"address": 0}}),
        serde_json::json!({"CreateNatGateway": {"subnet": id(&sub), "eip": 4294967295u64}}),
    ];
    let mut v: Vec<String> = edits.iter().map(|e| e.to_string()).collect();
    if let Some(rule) = sg["inbound"].get(0) {
        v.push(
            serde_json::json!({"AuthorizeSecurityGroupIngress": {"group": id(&sg), "rule": rule}})
                .to_string(),
        );
    }
    if let Some(rule) = acl["inbound"].get(0) {
        v.push(
            serde_json::json!({"CreateNetworkAclEntry": {"nacl": id(&acl), "inbound": false, "rule": rule}})
                .to_string(),
        );
    }
    if let Some(route) = rt["routes"].get(0) {
        v.push(serde_json::json!({"CreateRoute": {"table": id(&rt), "route": route}}).to_string());
    }
    // Every request of every template's script, and a delete call for each of its ids.
    use stratus::core::services::ec2::network::{edit::Edit, templates};
    for (tid, _) in templates::TEMPLATES {
        let script = templates::script(tid).unwrap();
        for call in script() {
            v.push(serde_json::to_string(&call.request).unwrap());
        }
        for rid in template(tid).ids() {
            v.extend(Edit::delete(rid).map(|e| serde_json::to_string(&e).unwrap()));
        }
    }
    v
}

#[test]
fn fuzz_vpc_edit() {
    run("vpc-edit", fuzz::vpc_edit, Shape::Json, &edit_seeds(), 400);
}

#[test]
fn fuzz_sandbox_file() {
    run(
        "sandbox-file",
        fuzz::sandbox_file,
        Shape::Json,
        &sandbox_seeds(),
        500,
    );
}

#[test]
fn fuzz_sandbox_link() {
    let seeds = sandbox_seeds();
    let mut links: Vec<String> = seeds.iter().map(|s| fuzz::link_payload(s)).collect();
    links.extend(strs(&[
        "",
        "AAAA",
        "%%%%",
        "eJzLSM3JyVcozy_KSQEAGgQEXQ",
        "=====",
    ]));
    // Link seeds are payloads; the Link shape mutates the JSON inside them, so give it the
    // JSON and also run the raw payloads once as seeds.
    let mut all = seeds.clone();
    all.extend(links);
    run("sandbox-link", link_or_json, Shape::Link, &all, 500);
}

/// Seeds of the link test are JSON (mutated and packed by the Link shape) or payloads.
fn link_or_json(input: &str) {
    if input.trim_start().starts_with('{') {
        fuzz::sandbox_link(&fuzz::link_payload(input));
    } else {
        fuzz::sandbox_link(input);
    }
}

/// Every surface in `core::fuzz::SURFACES` has a test here (the names match).
#[test]
fn every_surface_is_fuzzed() {
    let source: String = include_str!("fuzz_inputs.rs")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for (name, _) in fuzz::SURFACES {
        assert!(
            source.contains(&format!("run(\"{name}\",")),
            "the surface {name} has no fuzz test"
        );
    }
}
