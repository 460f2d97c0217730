//! Fuzzing entry points: one function per input surface, each doing exactly what the app
//! does with that text (parse it, and if it parses, every computation its page performs).
//!
//! A surface must never panic, whatever the text; and where it is cheap, each function also
//! checks that no result has wrapped around (a plan never needs more than 2^32 addresses,
//! sizes and prices are finite and not negative, a range's blocks cover exactly the range,
//! a link's state reads back unchanged), panicking with "wrapped result: …" if one has.
//!
//! Two drivers call these: `tests/fuzz_inputs.rs` (a deterministic, bounded mutation fuzzer
//! run by `cargo test`, with overflow checks on) and the cargo-fuzz targets in `fuzz/` for
//! longer runs. See docs/testing.md, "Fuzzing".

use crate::core::cidr::{
    self, aws,
    division::Division,
    explain,
    plan::{self, Plan, PlanInput, Tier, TierSize},
    ranges,
    share::{AwsState, CidrState, SizeKind, TierDraft},
    special, Addr, Block,
};
use crate::core::durability::{charts as drive_charts, math, state as drive};
use crate::core::dynamodb::{
    capacity::{self, Consistency},
    charts as ddb_charts,
    item::{self, ItemSize, JsonKind, MAX_ITEM_BYTES},
    request::{self, Op, RequestInput},
    state as ddb,
};
use crate::core::format;
use crate::core::lambda::{self, charts as lambda_charts, state as lambda_state};
use crate::core::sandbox;
use crate::core::services::ec2::network::{edit, reach, validate};
use crate::core::steps::LineItem;
use crate::core::views::vpc::{layout, state as vpc};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// A surface: its name and its function.
pub type Surface = (&'static str, fn(&str));

/// Every surface, by name, for drivers that pick one from the command line or a loop.
pub const SURFACES: &[Surface] = &[
    ("cidr", cidr),
    ("drive-failure", drive_failure),
    ("lambda", lambda),
    ("dynamodb", dynamodb),
    ("vpc", vpc),
    ("cidr-fields", cidr_fields),
    ("drive-failure-fields", drive_failure_fields),
    ("lambda-fields", lambda_fields),
    ("dynamodb-fields", dynamodb_fields),
    ("vpc-fields", vpc_fields),
    ("cidr-block", cidr_block),
    ("cidr-range", cidr_range),
    ("cidr-list", cidr_list),
    ("cidr-split", cidr_split),
    ("cidr-tier", cidr_tier),
    ("cidr-aws", cidr_aws),
    ("number", number),
    ("dynamodb-number", dynamodb_number),
    ("vpc-protocol", vpc_protocol),
    ("iam-policy", iam_policy),
    ("iam", iam),
    ("iam-fields", iam_fields),
    ("iam-context", iam_context),
    ("iam-account", iam_account),
    ("dynamodb-item", dynamodb_item),
    ("dynamodb-sizes", dynamodb_sizes),
    ("vpc-end", vpc_end),
    ("vpc-edit", vpc_edit),
    ("flow-link", flow),
    ("sns-filter-policy", sns_filter_policy),
    ("flow-handler", flow_handler),
    ("flow-edit", flow_edit),
    ("dynamodb-expression", dynamodb_expression),
    ("console-line", console_line),
    ("console-link", console_link),
    ("sandbox-file", sandbox_file),
    ("sandbox-link", sandbox_link),
];

/// Panics when a property that only a wrapped or otherwise broken computation can violate
/// does not hold.
fn ensure(ok: bool, what: impl FnOnce() -> String) {
    if !ok {
        panic!("wrapped result: {}", what());
    }
}

fn finite_non_negative(x: f64, what: &str) {
    ensure(x.is_finite() && x >= 0.0, || format!("{what} is {x}"));
}

fn probability(x: f64, what: &str) {
    ensure((0.0..=1.0).contains(&x), || {
        format!("{what} is {x}, not a probability")
    });
}

fn bill_lines(lines: &[LineItem], total: f64, what: &str) {
    for l in lines {
        ensure(l.amount.is_finite(), || {
            format!("{what}: line {} is {}", l.id, l.amount)
        });
    }
    finite_non_negative(total, what);
}

/// A state read from a link must write back to a link that reads as the same state.
fn round_trip<T>(state: &T, to_query: fn(&T) -> String, from_query: fn(&str) -> Result<T, String>)
where
    T: PartialEq + std::fmt::Debug,
{
    let q = to_query(state);
    match from_query(&q) {
        Ok(back) => ensure(back == *state, || {
            format!("the link {q} reads back as a different state")
        }),
        Err(e) => panic!("wrapped result: the link {q} written for a state does not read: {e}"),
    }
}

// ------------------------------------------------------------------------------- CIDR

fn check_block(b: &Block) {
    ensure(b.prefix <= b.bits(), || {
        format!("{b:?} has a prefix past its bits")
    });
    ensure(
        b.start <= b.family.max() && b.last() <= b.family.max(),
        || format!("{b:?} leaves its address space"),
    );
    ensure(b.start <= b.last(), || {
        format!("{b:?} ends before it starts")
    });
    if let Some(size) = b.size() {
        ensure(b.last() - b.start == size - 1, || {
            format!("{b:?}: size {size} disagrees with its last address")
        });
    }
}

/// The Explain tab on one block (and what the page derives from it).
fn explain_block(text: &str) {
    let Ok(p) = Block::parse(text) else {
        return;
    };
    check_block(&p.block);
    let e = explain::explain(&p);
    ensure(!e.figures.is_empty(), || format!("{text}: no figures"));
    ensure(e.block == p.block, || {
        format!("{text}: explains another block")
    });
    let _ = special::classify(&p.block);
    let _ = special::default_label(&p.block);
    let _ = explain::count_text(&p.block);
    let _ = explain::aws_reserved(&p.block);
    let _ = explain::bit_groups(&p.written);
    let _ = p.block.mask();
    let _ = p.block.wildcard();
    let _ = p.block.network();
    let _ = p.block.last_addr();
    let _ = (p.block.parent(), p.block.sibling(), p.block.halves());
}

/// The subnet table as the page shows and edits it.
fn table(d: &Division) {
    let root = d.root();
    check_block(&root);
    let len = d.len();
    let sum: u128 = d.runs().iter().map(|r| r.count).sum();
    ensure(
        len == sum && (1..=cidr::division::MAX_ROWS).contains(&len),
        || format!("{root}: {len} rows from runs adding to {sum}"),
    );
    let mut expect = root.start;
    let first = d.rows(0, 40);
    let tail = d.rows(len.saturating_sub(40), 40);
    for rows in [&first, &tail] {
        if let Some(r) = rows.first() {
            expect = r.block.start;
        }
        for r in rows.iter() {
            check_block(&r.block);
            ensure(root.contains(&r.block), || {
                format!("row {} ({}) is outside {root}", r.index, r.block)
            });
            ensure(r.block.start == expect, || {
                format!(
                    "row {} ({}) does not follow the row before",
                    r.index, r.block
                )
            });
            expect = r.block.last().wrapping_add(1);
            ensure(d.find(r.block.start) == Some(r.index), || {
                format!("find({}) is not row {}", r.block, r.index)
            });
            let _ = explain::count_text(&r.block);
            if explain::is_aws_subnet_size(&r.block) {
                // The page shows size − 5 usable addresses for these.
                ensure(
                    r.block.size().unwrap_or(0) >= explain::AWS_RESERVED_PER_SUBNET,
                    || format!("{} is an AWS subnet size with under 5 addresses", r.block),
                );
            }
        }
    }
    ensure(
        d.rows(len.saturating_sub(1), 1)
            .last()
            .map(|r| r.block.last())
            == Some(root.last()),
        || format!("the rows of {root} do not end where it ends"),
    );
    let _ = d.find(root.start);
    let _ = d.find(root.last());
    // The table's edits on the first, a middle and the last row, and the stored form.
    for index in [0, len / 2, len - 1] {
        let mut x = d.clone();
        if x.divide(index).is_ok() {
            ensure(x.len() == len + 1, || {
                format!("dividing row {index} of {root}")
            });
        }
        let mut y = d.clone();
        if y.join(index).is_ok() {
            ensure(y.len() == len - 1, || {
                format!("joining row {index} of {root}")
            });
        }
    }
    let stored = cidr::share::TableState::from_division(d);
    match stored.to_division() {
        Ok(back) => ensure(back == *d, || {
            format!("the table of {root} reads back differently")
        }),
        Err(e) => panic!("wrapped result: a stored table does not read back: {e}"),
    }
}

fn range_text(text: &str) {
    let Ok((a, b)) = ranges::parse_range(text) else {
        return;
    };
    ensure(a.family == b.family && a.value <= b.value, || {
        format!("{text}: the range {a} – {b} was accepted backwards")
    });
    let blocks = ranges::range_to_blocks(a.family, a.value, b.value);
    let _ = ranges::range_steps(a.family, a.value, b.value);
    ensure(!blocks.is_empty(), || format!("{text}: no blocks"));
    let mut next = a.value;
    for blk in &blocks {
        check_block(blk);
        ensure(blk.start == next, || {
            format!("{text}: {blk} leaves a gap or overlaps")
        });
        next = blk.last().wrapping_add(1);
        let _ = explain::count_text(blk);
    }
    ensure(blocks.last().map(|x| x.last()) == Some(b.value), || {
        format!("{text}: the blocks do not end at {b}")
    });
}

fn list_text(text: &str) {
    let (entries, errors) = ranges::parse_list(text);
    for e in &errors {
        let _ = e.to_string();
    }
    let blocks: Vec<Block> = entries.iter().map(|e| e.block).collect();
    for b in &blocks {
        check_block(b);
    }
    let agg = ranges::aggregate(&blocks);
    for a in &agg {
        check_block(a);
    }
    for b in &blocks {
        ensure(agg.iter().any(|a| a.contains(b)), || {
            format!("the aggregate of the list lost {b}")
        });
    }
    let (pairs, total) = ranges::conflicts(&entries, 200);
    ensure(pairs.len() as u64 <= total && pairs.len() <= 200, || {
        format!("{} pairs listed of {total}", pairs.len())
    });
    for p in &pairs {
        let _ = p.describe();
    }
}

fn check_plan(p: &Plan) {
    let vpc_size = p.vpc.size().unwrap_or(0);
    ensure(vpc_size > 0 && vpc_size <= 1 << 32, || {
        format!("the VPC {} has {vpc_size} addresses", p.vpc)
    });
    let mut total: u128 = 0;
    for s in &p.subnets {
        check_block(&s.block);
        ensure(p.vpc.contains(&s.block), || {
            format!("{} is outside the VPC", s.block)
        });
        ensure(
            s.block.size().unwrap_or(0) > explain::AWS_RESERVED_PER_SUBNET,
            || format!("{} is too small to be a subnet", s.block),
        );
        let _ = s.usable();
        let _ = p.subnet_name(s);
        total += s.block.size().unwrap_or(0);
    }
    for (_, b) in &p.spare_slots {
        ensure(p.vpc.contains(b), || {
            format!("spare slot {b} is outside the VPC")
        });
        total += b.size().unwrap_or(0);
    }
    for b in &p.free {
        ensure(p.vpc.contains(b), || {
            format!("free block {b} is outside the VPC")
        });
        total += b.size().unwrap_or(0);
    }
    ensure(total == vpc_size, || {
        format!(
            "the plan's subnets, spare slots and free blocks hold {total} addresses; the VPC has {vpc_size}"
        )
    });
    let _ = (p.to_csv(), p.to_json());
    // Every plan the planner makes builds as a network and exports.
    let built = crate::core::views::vpc::plan::network(p, true);
    ensure(built.is_ok(), || {
        format!("the plan does not build: {built:?}")
    });
    let _ = (
        crate::core::views::vpc::plan::terraform(p),
        crate::core::views::vpc::plan::cloudformation(p),
    );
}

/// Error messages that report a count must not report a wrapped one: a plan's tiers never
/// need more addresses than an IPv4 address space holds.
fn check_plan_errors(errors: &[String]) {
    for e in errors {
        if let Some(rest) = e.split("The tiers need ").nth(1) {
            let digits: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(|c| *c != ',')
                .collect();
            if let Ok(n) = digits.parse::<u128>() {
                ensure(n <= 1 << 32, || {
                    format!("the message “{e}” names {n} addresses")
                });
            }
        }
    }
}

/// Checks the plan made from `input`; whether one was made.
fn plan_input(input: &PlanInput) -> bool {
    match plan::plan(input) {
        Ok(p) => {
            check_plan(&p);
            true
        }
        Err(e) => {
            check_plan_errors(&e);
            false
        }
    }
}

fn aws_text(state: &AwsState) {
    let (input, errors) = state.to_input();
    let _ = errors;
    for f in aws::check(&input) {
        let _ = f;
    }
}

/// Everything the CIDR page computes from its state.
fn cidr_state(s: &CidrState) {
    explain_block(&s.explain);
    if let Ok(d) = s.table.to_division() {
        table(&d);
    }
    range_text(&s.range);
    list_text(&s.list);
    match s.plan.to_input() {
        Ok(i) => {
            // The plan tab sends its state to the export helper as JSON; every plan the
            // planner makes comes back built (check_plan holds the direct calls to it).
            if plan_input(&i) {
                let answer = crate::core::views::vpc::exports::plan_exports(
                    &serde_json::to_string(&s.plan).unwrap_or_default(),
                );
                let got = crate::core::views::vpc::exports::read_plan_exports(&answer);
                ensure(
                    got.as_ref().is_ok_and(|x| {
                        x.builder.is_ok() && x.terraform.is_ok() && x.cloudformation.is_ok()
                    }),
                    || format!("the export helper did not build the plan: {got:?}"),
                );
            }
        }
        Err(e) => check_plan_errors(&e),
    }
    aws_text(&s.aws);
}

/// A CIDR share link (`#/cidr?…`).
pub fn cidr(input: &str) {
    if let Ok(s) = cidr::share::from_query(input) {
        cidr_state(&s);
        round_trip(&s, cidr::share::to_query, cidr::share::from_query);
    }
}

/// The CIDR Explain field (and any block typed anywhere): parse, explain, classify.
pub fn cidr_block(input: &str) {
    explain_block(input);
    if let Ok(a) = Addr::parse(input) {
        ensure(a.value <= a.family.max(), || {
            format!("{input}: {a:?} is out of range")
        });
        let _ = a.to_string();
    }
    if let Ok(p) = Block::parse(input) {
        // Every block is a valid root for the subnet table.
        table(&Division::new(p.block));
    }
}

/// The Ranges field: a range to its minimal list of blocks.
pub fn cidr_range(input: &str) {
    range_text(input);
}

/// The Lists field: blocks aggregated and checked for overlaps.
pub fn cidr_list(input: &str) {
    list_text(input);
}

/// The subnet table's toolbar: `root prefix parts jump`, whitespace-separated, as typed
/// into its four fields (a missing field is empty).
pub fn cidr_split(input: &str) {
    let mut fields = input.split_whitespace();
    let (root, prefix, parts, jump) = (
        fields.next().unwrap_or(""),
        fields.next().unwrap_or(""),
        fields.next().unwrap_or(""),
        fields.next().unwrap_or(""),
    );
    let Ok(root) = Block::parse(root).map(|p| p.block) else {
        return;
    };
    let mut divisions = vec![];
    // "Split": the prefix field, with or without its slash.
    if let Ok(p) = prefix.trim().trim_start_matches('/').parse::<u8>() {
        if let Ok(d) = Division::split(root, p) {
            divisions.push(d);
        }
    }
    // "Split into parts".
    if let Ok(n) = parts.trim().parse::<u128>() {
        match ranges::parts_to_prefix(&root, n) {
            Ok(p) => {
                ensure(p >= root.prefix && p <= root.bits(), || {
                    format!("{n} parts of {root} give /{p}")
                });
                ensure(
                    1u128.checked_shl((p - root.prefix) as u32) == Some(n),
                    || format!("{n} parts of {root} give /{p}"),
                );
                if let Ok(d) = Division::split(root, p) {
                    divisions.push(d);
                }
            }
            Err(e) => ensure(!e.contains(" or 0 parts"), || format!("“{e}”")),
        }
    }
    if divisions.is_empty() {
        divisions.push(Division::new(root));
    }
    for d in &divisions {
        table(d);
        // "Jump to".
        if let Ok(a) = Addr::parse(jump.trim()) {
            if a.family == root.family {
                if let Some(i) = d.find(a.value) {
                    let row = d.row(i);
                    ensure(row.is_some_and(|r| r.block.contains_addr(a)), || {
                        format!("jumping to {a} in {root} finds row {i}, which does not hold it")
                    });
                }
            }
        }
    }
}

/// A VPC plan tier's size, typed as a prefix and as a number of hosts, in the default plan.
pub fn cidr_tier(input: &str) {
    for kind in [SizeKind::Prefix, SizeKind::Hosts] {
        let draft = TierDraft::new("fuzz", kind, input);
        let Ok(tier) = draft.to_tier() else {
            continue;
        };
        match plan::tier_prefix(tier.size) {
            Ok((p, _)) => {
                ensure((16..=28).contains(&p), || {
                    format!("{input} gives a /{p} subnet")
                });
                if let TierSize::Hosts(h) = tier.size {
                    let usable = (1u128 << (32 - p)) - explain::AWS_RESERVED_PER_SUBNET;
                    ensure(usable >= h as u128, || {
                        format!("{h} hosts given a /{p} ({usable} usable)")
                    });
                }
            }
            Err(e) => {
                if let TierSize::Hosts(h) = tier.size {
                    // The count named is the one typed plus the five reserved, unwrapped.
                    let need = format::thousands(h as u128 + explain::AWS_RESERVED_PER_SUBNET);
                    ensure(
                        h == 0 || e.contains(&format!("need {need} addresses")),
                        || format!("{h} hosts: “{e}”"),
                    );
                }
                check_plan_errors(&[e]);
            }
        }
        for vpc in ["10.0.0.0/16", "10.0.0.0/28"] {
            let Ok(vpc) = Block::parse(vpc).map(|p| p.block) else {
                continue;
            };
            for azs in [1, 3, 6] {
                plan_input(&PlanInput {
                    vpc,
                    azs,
                    tiers: vec![
                        tier.clone(),
                        Tier {
                            name: "other".into(),
                            size: TierSize::Prefix(24),
                            public: true,
                        },
                    ],
                });
            }
        }
    }
}

/// The AWS check tab: the same text in each of its three fields.
pub fn cidr_aws(input: &str) {
    let d = AwsState::default();
    for s in [
        AwsState {
            v4: input.into(),
            ..d.clone()
        },
        AwsState {
            v6: input.into(),
            ..d.clone()
        },
        AwsState {
            subnets: input.into(),
            ..d.clone()
        },
    ] {
        aws_text(&s);
    }
}

// ----------------------------------------------------------------------- number fields

/// `format::parse_number`, which every calculator's number fields use, and the formatting
/// its results go through; `parse_float::parse_f64` under it agrees with the standard
/// library's parser on every text (the value's bits, and what is refused).
pub fn number(input: &str) {
    let (ours, std) = (
        crate::core::parse_float::parse_f64(input),
        input.parse::<f64>().ok(),
    );
    ensure(
        match (ours, std) {
            (Some(a), Some(b)) => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
            (a, b) => a.is_none() && b.is_none(),
        },
        || format!("{input:?}: parse_f64 gives {ours:?}, the standard library {std:?}"),
    );
    if let Ok(v) = format::parse_number(input, "Field") {
        ensure(v.is_finite(), || format!("{input} parsed as {v}"));
        let _ = format::sig_grouped(v, 4);
        let _ = format::money(v);
        let _ = format::money_exact(v);
        let _ = math::sig(v, 6);
        let _ = math::sci(v);
        let _ = math::fmt_prob(v.abs().min(1.0));
        let _ = capacity::units_text(v);
        if v >= 0.0 && v.fract() == 0.0 && v < 1e38 {
            let _ = format::thousands(v as u128);
        }
    }
}

/// A DynamoDB number as typed in an N or NS value: its size by digit pairs. Checks: 1 to 21
/// bytes, at most 20 pairs, 38 significant digits, and the bytes agree with the pairs.
pub fn dynamodb_number(input: &str) {
    if let Ok(n) = item::number_size(input) {
        ensure((1..=21).contains(&n.bytes), || {
            format!("{input}: {} bytes", n.bytes)
        });
        ensure(n.pairs.len() <= 20 && n.digits <= 38, || {
            format!("{input}: {} pairs, {} digits", n.pairs.len(), n.digits)
        });
        let expected = if n.pairs.is_empty() {
            1
        } else {
            n.pairs.len() as u64 + 1 + u64::from(n.negative && n.pairs.len() < 20)
        };
        ensure(n.bytes == expected, || {
            format!("{input}: {} bytes for {:?}", n.bytes, n.pairs)
        });
        let _ = n.explain();
    }
}

/// A flow simulator link (`#/flow?…`): the scenario built and run (bounded by the horizon
/// and event limits), a frame drawn at the link's time and at the end, the Mermaid text.
pub fn flow(input: &str) {
    use crate::core::views::flow::{layout, state};
    let Ok(s) = state::from_query(input) else {
        return;
    };
    let scenario = s.scenario();
    let _ = layout::mermaid(&scenario);
    // A smaller budget than the page's: the fuzz suite runs in the debug profile.
    if let Ok(o) = scenario.run_limited(20_000) {
        ensure(
            o.end_ms <= crate::core::views::flow::scenario::MAX_HORIZON_MS,
            || format!("a run to {} ms, past a day", o.end_ms),
        );
        for t in [s.time_ms, o.end_ms] {
            let f = layout::frame_at(&o, t);
            let _ = layout::draw(&scenario, &f, &s.selected);
        }
    }
    round_trip(&s, state::to_query, state::from_query);
}

/// The flow page's Build panel: the input as the JSON editor's text, as the name of every
/// new resource, as a subscription's filter policy, a rule's prefix and suffix, a step's and
/// an action's texts, applied to every template. An accepted edit must leave a scenario that
/// builds and runs.
pub fn flow_edit(input: &str) {
    use crate::core::flow::Action;
    use crate::core::services::lambda::{Step, When};
    use crate::core::services::s3::{NotificationRule, Target};
    use crate::core::services::sns::Endpoint;
    use crate::core::views::flow::edit::{apply, from_json, ids, Edit};
    use crate::core::views::flow::scenario::SubscriptionSpec;
    use crate::core::views::flow::templates::{scenario, TEMPLATES};
    let count = input.chars().filter(|c| c.is_ascii_digit()).count();
    let mut edits = vec![
        Edit::CreateQueue {
            name: input.into(),
            fifo: input.ends_with(".fifo"),
        },
        Edit::CreateTopic { name: input.into() },
        Edit::CreateBucket { name: input.into() },
        Edit::CreateFunction { name: input.into() },
        Edit::CreateTable {
            spec: crate::core::services::dynamodb::table::TableSpec::new(
                input,
                crate::core::services::dynamodb::table::KeyAttr::new(
                    input,
                    crate::core::services::dynamodb::table::KeyType::S,
                ),
            ),
        },
        Edit::CreateRestApi { name: input.into() },
        Edit::Delete { node: input.into() },
        // IAM: a fuzzed name, policy document and principal.
        Edit::CreateIdentity {
            kind: crate::core::flow::IdentityKind::Role,
            name: input.into(),
        },
        Edit::PutIdentityPolicy {
            kind: crate::core::flow::IdentityKind::Role,
            identity: "labeler-role".into(),
            name: "fuzzed".into(),
            document: input.into(),
        },
        Edit::PutPermissionsBoundary {
            kind: crate::core::flow::IdentityKind::Role,
            identity: "labeler-role".into(),
            document: Some(input.into()),
        },
        Edit::PutResourcePolicy {
            node: "function labeler".into(),
            document: Some(input.into()),
        },
        Edit::DeleteIdentity {
            kind: crate::core::flow::IdentityKind::User,
            name: input.into(),
        },
        Edit::AddActions {
            principal: input.into(),
            action: Action::SendMessage {
                queue: input.into(),
                body: input.into(),
                delay_seconds: None,
                group_id: Some(input.into()),
            },
            at_ms: input.len() as u64 * 1_000,
            count,
            every_ms: input.len() as u64,
        },
        Edit::RemoveAction { index: count },
        Edit::SetRun {
            horizon_ms: input.len() as u64 * 977,
            seed: count as u64,
        },
    ];
    if let Ok(s) = from_json(input) {
        edits.push(Edit::Replace { scenario: s });
    }
    for (id, _, _) in TEMPLATES {
        let base = scenario(id);
        let mut these = edits.clone();
        for node in ids(&base) {
            let (kind, name) = node.split_once(' ').unwrap_or_default();
            match kind {
                "queue" => {
                    if let Some(q) = base.queues.iter().find(|q| q.name == name) {
                        let mut attributes = q.attributes.clone();
                        attributes.visibility_timeout = (count as u32).wrapping_mul(7_919);
                        attributes.redrive_policy =
                            Some(crate::core::services::sqs::RedrivePolicy {
                                dead_letter_target: input.into(),
                                max_receive_count: input.len() as u32,
                            });
                        these.push(Edit::SetQueueAttributes {
                            queue: name.into(),
                            attributes,
                        });
                    }
                    these.push(Edit::CreateEventSourceMapping {
                        mapping: crate::core::flow::Mapping {
                            queue: name.into(),
                            function: input.into(),
                            batch_size: count as u32,
                            ..Default::default()
                        },
                    });
                }
                "topic" => these.push(Edit::Unsubscribe {
                    topic: name.into(),
                    index: count,
                }),
                _ => {}
            }
            match kind {
                "topic" => these.push(Edit::Subscribe {
                    topic: name.into(),
                    subscription: SubscriptionSpec {
                        endpoint: Endpoint::Sqs(input.into()),
                        filter_policy: Some(input.into()),
                        filter_policy_scope: Default::default(),
                        raw_message_delivery: false,
                    },
                }),
                "bucket" => {
                    these.push(Edit::AddNotification {
                        bucket: name.into(),
                        rule: NotificationRule {
                            id: input.into(),
                            events: vec![input.into()],
                            prefix: input.into(),
                            suffix: input.into(),
                            target: Target::Lambda(input.into()),
                        },
                    });
                    these.push(Edit::RemoveNotification {
                        bucket: name.into(),
                        index: count,
                    });
                    these.push(Edit::PutBucketVersioning {
                        bucket: name.into(),
                        versioning: crate::core::services::s3::Versioning::Off,
                    });
                }
                "function" => {
                    if let Some(f) = base.functions.iter().find(|f| f.name == name) {
                        let mut config = f.clone();
                        config.memory_mb = input.len() as u32 * 37;
                        config.timeout_s = count as u32;
                        config.reserved_concurrency = Some(input.len() as u32);
                        these.push(Edit::UpdateFunction { config });
                    }
                    these.push(Edit::RemoveStep {
                        function: name.into(),
                        index: count,
                    });
                    these.push(Edit::MoveStepUp {
                        function: name.into(),
                        index: count,
                    });
                }
                _ => {}
            }
            if kind == "api" {
                if let Some(a) = base.apis.iter().find(|a| a.name == name) {
                    let mut api = a.clone();
                    api.routes.push(crate::core::services::apigateway::Route {
                        method: input.into(),
                        path: input.into(),
                        function: input.into(),
                        api_key_required: count % 2 == 0,
                    });
                    api.timeout_ms = input.len() as u64 * 1_000;
                    api.rate_limit = Some(count as f64);
                    these.push(Edit::PutRestApi { api });
                    let mut routed = a.clone();
                    if let Some(r) = routed.routes.first_mut() {
                        r.path = input.into();
                    }
                    these.push(Edit::PutRestApi { api: routed });
                }
                these.push(Edit::AddActions {
                    principal: String::new(),
                    action: Action::HttpRequest {
                        api: name.into(),
                        method: "GET".into(),
                        path: input.into(),
                        body: input.into(),
                        api_key: Some(input.into()),
                        per_second: count as u32,
                        for_seconds: 1,
                    },
                    at_ms: 0,
                    count: 1,
                    every_ms: 0,
                });
            }
            if kind == "table" {
                if let Some(t) = base.tables.iter().find(|t| t.name == name) {
                    let mut spec = t.clone();
                    spec.billing = crate::core::services::dynamodb::table::Billing::Provisioned {
                        read: count as u32,
                        write: input.len() as u32,
                    };
                    these.push(Edit::UpdateTable { spec });
                }
                these.push(Edit::CreateStreamMapping {
                    mapping: crate::core::flow::StreamMapping {
                        table: name.into(),
                        function: input.into(),
                        batch_size: count as u32,
                        maximum_retry_attempts: Some(input.len() as u32),
                        ..Default::default()
                    },
                });
            }
            // A DynamoDB call whose every text is the input, of each operation (on the
            // template's first function: the checks do not depend on which).
            if kind == "function" && base.functions.first().is_some_and(|f| f.name == name) {
                for operation in crate::core::services::dynamodb::request::Operation::ALL {
                    let call = crate::core::services::dynamodb::request::Request {
                        operation,
                        table: base
                            .tables
                            .first()
                            .map(|t| t.name.clone())
                            .unwrap_or_default(),
                        item: input.into(),
                        update: input.into(),
                        condition: input.into(),
                        key_condition: input.into(),
                        filter: input.into(),
                        values: input.into(),
                        projection: input.into(),
                        ..Default::default()
                    };
                    these.push(Edit::AddStep {
                        function: name.into(),
                        step: Step::DynamoDb {
                            call: call.clone(),
                            catch: vec![input.into()],
                        },
                    });
                    these.push(Edit::AddActions {
                        principal: String::new(),
                        action: Action::DynamoDb { call },
                        at_ms: 0,
                        count: 1,
                        every_ms: 0,
                    });
                }
                these.push(Edit::AddStep {
                    function: name.into(),
                    step: Step::Fail {
                        when: When::FieldEquals {
                            path: input.into(),
                            value: input.into(),
                        },
                        error_type: input.into(),
                        message: input.into(),
                    },
                });
            }
        }
        if let Some(m) = base.mappings.first() {
            let mut mapping = m.clone();
            mapping.batch_size = count as u32;
            mapping.maximum_batching_window_seconds = input.len() as u32;
            these.push(Edit::UpdateEventSourceMapping { index: 0, mapping });
        }
        these.push(Edit::DeleteEventSourceMapping { index: count });
        for e in &these {
            if let Ok((n, said)) = apply(&base, e) {
                ensure(!said.is_empty(), || "an edit that says nothing".into());
                ensure(n.build().is_ok(), || {
                    format!("an accepted {e:?} that does not build")
                });
                let _ = n.run_limited(2_000);
            }
        }
    }
}

/// A DynamoDB expression as typed: parsed as a condition, a key condition and an update
/// (with placeholders made of the input), evaluated and applied to an item, and used in
/// every table operation; the input also as a number and as an item's string.
pub fn dynamodb_expression(input: &str) {
    use crate::core::dynamodb::item::Attr;
    use crate::core::services::dynamodb::decimal::Decimal;
    use crate::core::services::dynamodb::expr::{self, Item, Placeholders};
    use crate::core::services::dynamodb::table::{Billing, KeyAttr, KeyType, Table, TableSpec};
    let mut ph = Placeholders::default();
    for (k, v) in [
        (":v", Attr::S(input.into())),
        (":n", Attr::N("1".into())),
        (":l", Attr::L(vec![Attr::S(input.into())])),
    ] {
        ph.values.insert(k.into(), v);
    }
    ph.names.insert("#n".into(), input.into());
    let mut item: Item = Item::new();
    item.insert("pk".into(), Attr::S("p".into()));
    item.insert("sk".into(), Attr::N("1".into()));
    item.insert("a".into(), Attr::S(input.into()));
    item.insert(
        "l".into(),
        Attr::L(vec![Attr::N("1".into()), Attr::S(input.into())]),
    );
    if let Ok(c) = expr::parse_condition(input, &ph, "ConditionExpression") {
        let _ = expr::eval(&c.expr, &item);
    }
    let _ = expr::parse_key_condition(input, &ph, "pk", Some("sk"));
    if let Ok(u) = expr::parse_update(input, &ph) {
        if let Ok(out) = expr::apply_update(&item, &u.expr) {
            ensure(out.contains_key("pk"), || "an update removed a key".into());
            // UPDATED_OLD/UPDATED_NEW: a projection never adds what the item lacks.
            let picked = expr::project(&out, &u.expr.set_paths());
            ensure(picked.keys().all(|k| out.contains_key(k)), || {
                format!("a projection added an attribute: {input}")
            });
        }
    }
    if let Ok(p) = expr::parse_projection(input, &ph) {
        let picked = expr::project(&item, &p.expr);
        ensure(picked.len() <= item.len(), || {
            format!("a projection grew the item: {input}")
        });
    }
    let _ = expr::names_in(input);
    if let Some(d) = Decimal::parse(input) {
        let sum = d.add(&d.negated());
        ensure(sum == Decimal::zero(), || {
            format!("{input} − itself is {}", sum.text())
        });
        let _ = d.text();
    }
    let Ok(mut t) = Table::create(
        TableSpec {
            name: "fuzz".into(),
            partition_key: KeyAttr {
                name: "pk".into(),
                kind: KeyType::S,
            },
            sort_key: Some(KeyAttr {
                name: "sk".into(),
                kind: KeyType::N,
            }),
            billing: Billing::Provisioned { read: 5, write: 5 },
            global_secondary_indexes: vec![],
            // A local index on the fuzzed attribute `a`.
            local_secondary_indexes: vec![
                crate::core::services::dynamodb::table::LocalSecondaryIndex {
                    name: "by-a".into(),
                    sort_key: KeyAttr {
                        name: "a".into(),
                        kind: KeyType::S,
                    },
                    projection: crate::core::services::dynamodb::table::Projection::All,
                },
            ],
            stream: None,
            // The fuzzed number is also an item's expiry (TTL).
            ttl_attribute: Some("sk".into()),
        },
        0,
    ) else {
        return;
    };
    let none = Placeholders::default();
    let _ = t.put_item(0, item.clone(), Some(input), &ph);
    let _ = t.put_item(1, item.clone(), None, &none);
    let key: Item = item
        .iter()
        .filter(|(k, _)| *k == "pk" || *k == "sk")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let _ = t.update_item(2, &key, input, None, &ph);
    let _ = t.query(3, input, None, &ph, true, Some(2), None, true);
    let _ = t.query(3, "pk = :v", Some(input), &ph, false, None, None, false);
    let _ = t.scan(4, Some(input), &ph, Some(1), None, false);
    let _ = t.delete_item(5, &key, Some(input), &ph);
    let mut odd = key.clone();
    odd.insert("sk".into(), Attr::N(input.into()));
    let _ = t.put_item(6, odd, None, &none);
    // TTL over whatever the fuzzed expiry says, with the clock at both ends.
    for epoch in [0, u64::MAX / 2, u64::MAX] {
        let _ = t.next_expiry(epoch, 7);
        let _ = t.ttl_sweep(u64::MAX, u64::MAX, epoch);
    }
}

/// A command line typed into the console (each line of the input in turn), on the computer
/// and on an instance. Properties: no panic; the same lines give the same session (the
/// console is deterministic).
pub fn console_line(input: &str) {
    use crate::core::views::console::{ConsoleState, Session};
    let lines: Vec<String> = input.lines().take(8).map(str::to_string).collect();
    let setup = [
        "aws ec2 authorize-security-group-ingress --group-id sg-default-main --protocol tcp --port 22 --cidr 0.0.0.0/0".to_string(),
        "aws iam create-role --role-name r --assume-role-policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[]}'".to_string(),
        "aws ec2 run-instances --image-id ami-04b70fa74e45c3917 --instance-type t3.micro --subnet-id subnet-public-a --iam-instance-profile Name=r --user-data 'echo hi'".to_string(),
        "sleep 20".to_string(),
        "aws ec2-instance-connect ssh --instance-id $(aws ec2 describe-instances --query 'Reservations[-1].Instances[0].InstanceId' --output text)".to_string(),
    ];
    for prefix in [&setup[..0], &setup[..]] {
        let state = ConsoleState {
            lines: prefix
                .iter()
                .cloned()
                .chain(lines.iter().cloned())
                .collect(),
            ..ConsoleState::default()
        };
        let a = Session::new(&state);
        let b = Session::new(&state);
        ensure(a.entries == b.entries, || {
            format!("the lines {lines:?} replay differently")
        });
    }
}

/// A console share link: read, then replayed, and reconciled with the account parts it
/// carries (what the page does when it opens a sandbox's state). Properties: no panic; a
/// link that reads writes back the same; reconciling once leaves nothing to reconcile (the
/// page would otherwise record a replacement at every opening).
pub fn console_link(input: &str) {
    use crate::core::views::console::{self, Session};
    if let Ok(s) = console::from_query(input) {
        if s.lines.iter().map(|l| l.len()).sum::<usize>() < 4_000 {
            let mut session = Session::new(&s);
            if let Some(next) = console::reconcile(&s, &session) {
                session.sync(&next);
                ensure(console::reconcile(&next, &session).is_none(), || {
                    format!("{input:?} reconciles again after reconciling")
                });
            }
        }
        round_trip(&s, console::to_query, console::from_query);
    }
}

/// A batch or a transaction as typed (RequestItems or TransactItems JSON), run as each of
/// BatchWriteItem, TransactWriteItems and TransactGetItems against two tables (one
/// provisioned with little capacity, with an index and a stream). Properties: no panic; a
/// refused transaction changes no table; a batch that succeeds writes each request or
/// returns it unprocessed.
pub fn dynamodb_batch(input: &str) {
    use crate::core::services::dynamodb::request::{Operation, Request};
    use crate::core::services::dynamodb::table::{
        Billing, GlobalSecondaryIndex, KeyAttr, KeyType, Projection, StreamView, Table, TableSpec,
    };
    use std::collections::BTreeMap;
    let mut tables = BTreeMap::new();
    let mut orders = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
    orders.stream = Some(StreamView::NewAndOldImages);
    orders.global_secondary_indexes.push(GlobalSecondaryIndex {
        name: "by-status".into(),
        partition_key: KeyAttr::new("status", KeyType::S),
        sort_key: None,
        projection: Projection::KeysOnly,
        write_capacity: Some(1),
    });
    orders.billing = Billing::Provisioned { read: 2, write: 3 };
    let mut stock = TableSpec::new("stock", KeyAttr::new("id", KeyType::S));
    stock.sort_key = Some(KeyAttr::new("n", KeyType::N));
    for spec in [orders, stock] {
        if let Ok(t) = Table::create(spec.clone(), 0) {
            tables.insert(spec.name.clone(), t);
        }
    }
    let snapshot = |t: &BTreeMap<String, Table>| -> Vec<(String, usize, usize)> {
        t.iter()
            .map(|(n, x)| (n.clone(), x.changes.len(), x.stream_len()))
            .collect()
    };
    let mut filled = input.to_string();
    if let Some(f) = crate::core::services::dynamodb::request::fill_templates_json(input) {
        filled = f;
    }
    for (k, operation) in [
        Operation::TransactWriteItems,
        Operation::BatchWriteItem,
        Operation::TransactGetItems,
        Operation::TransactWriteItems,
    ]
    .into_iter()
    .enumerate()
    {
        let r = Request {
            operation,
            item: filled.clone(),
            ..Request::default()
        };
        let _ = r.describe();
        let _ = r.targets();
        let _ = r.filled().tables();
        let before = snapshot(&tables);
        let at = k as u64 * 400;
        match r.execute(&mut tables, at) {
            Err(_) => ensure(
                operation == Operation::BatchWriteItem || snapshot(&tables) == before,
                || format!("a refused {} changed a table: {input}", operation.name()),
            ),
            Ok(answer) => {
                let _ = answer.to_json(operation);
                for (_, c) in &answer.tables {
                    finite_non_negative(c.units, "consumed units");
                }
                if operation == Operation::BatchWriteItem {
                    let asked = r.entries().map(|e| e.len()).unwrap_or(0);
                    let left = answer
                        .unprocessed
                        .as_ref()
                        .and_then(|u| u.as_object())
                        .map(|m| m.values().filter_map(|l| l.as_array()).map(Vec::len).sum())
                        .unwrap_or(0usize);
                    ensure(left < asked, || {
                        format!("a successful batch left all {asked} requests: {input}")
                    });
                }
            }
        }
    }
}

/// An SNS filter policy as typed: parsed in both scopes and, when valid, evaluated against
/// messages built from the input itself (as an attribute value, a number, a body).
pub fn sns_filter_policy(input: &str) {
    use crate::core::services::sns::filter::{FilterPolicy, FilterPolicyScope, MessageAttribute};
    use std::collections::BTreeMap;
    for scope in [
        FilterPolicyScope::MessageAttributes,
        FilterPolicyScope::MessageBody,
    ] {
        let Ok(policy) = FilterPolicy::parse(input, scope) else {
            continue;
        };
        let mut attrs = BTreeMap::new();
        for (k, v) in [
            ("store", MessageAttribute::string(input)),
            ("price", MessageAttribute::number(input)),
            (
                "list",
                MessageAttribute {
                    data_type: "String.Array".into(),
                    value: input.into(),
                },
            ),
        ] {
            attrs.insert(k.to_string(), v);
        }
        for body in [input, "{}", r#"{"a":{"b":[1,"x",null,{"c":true}]}}"#] {
            let m = policy.evaluate(&attrs, body);
            ensure(!m.reason.is_empty(), || {
                "an evaluation without a reason".into()
            });
        }
    }
}

/// A Lambda handler (JSON steps) run on an event made of the input, and a scenario's
/// queue operations on the input as a body.
pub fn flow_handler(input: &str) {
    use crate::core::services::lambda::{run, FunctionConfig, Handler, Step};
    use crate::core::services::sqs::{QueueAttributes, SendOptions, Sqs};
    let event: serde_json::Value =
        serde_json::from_str(input).unwrap_or(serde_json::Value::String(input.into()));
    if let Ok(steps) = serde_json::from_str::<Vec<Step>>(input) {
        let f = FunctionConfig {
            name: "fuzzed".into(),
            handler: Handler { steps },
            ..Default::default()
        };
        if crate::core::services::lambda::check_config(&f).is_ok() {
            let r = run(&f, &event, "req", &mut crate::core::sim::Rng::new(1));
            ensure(r.duration_ms <= 3_000, || {
                format!("a run of {} ms past its 3 s timeout", r.duration_ms)
            });
        }
    }
    let templ = Step::SendMessage {
        queue: input.into(),
        body: input.into(),
        group_id: None,
    };
    let f = FunctionConfig {
        name: "fuzzed".into(),
        handler: Handler { steps: vec![templ] },
        ..Default::default()
    };
    let _ = run(&f, &event, input, &mut crate::core::sim::Rng::new(2));
    // The input as a route, a request path and a proxy result.
    let api = crate::core::services::apigateway::ApiSpec {
        name: "fuzzed".into(),
        routes: vec![crate::core::services::apigateway::Route {
            method: "ANY".into(),
            path: input.into(),
            function: "f".into(),
            api_key_required: false,
        }],
        ..Default::default()
    };
    let _ = crate::core::services::apigateway::check(&api);
    let _ = crate::core::services::apigateway::route(&api, "GET", input);
    let _ = crate::core::services::apigateway::proxy_response(Some(&event));
    let mut sqs = Sqs::default();
    for fifo in [false, true] {
        let name = if fifo { "q.fifo" } else { "q" };
        let attrs = QueueAttributes {
            fifo_queue: fifo,
            content_based_deduplication: fifo,
            ..Default::default()
        };
        if sqs.create_queue(name, attrs).is_ok() {
            let opts = SendOptions {
                group_id: fifo.then(|| input.to_string()),
                ..Default::default()
            };
            let _ = sqs.send_message(0, name, input, opts);
            if let Ok((got, _)) = sqs.receive_message(0, name, 10, None, None) {
                for r in got {
                    let _ = sqs.delete_message(1, name, &r.receipt_handle);
                }
            }
            let _ = sqs.delete_message(1, name, input);
            let _ = sqs.change_message_visibility(1, name, input, 10);
        }
    }
}

/// An IAM policy document as pasted: parsed, linted as an identity and as a resource
/// policy, and evaluated in every layer against a few requests.
pub fn iam_policy(input: &str) {
    use crate::core::iam::policy::Kind;
    use crate::core::iam::{self, lint::lint, Context, Layers, Named, Principal, Request};
    let Ok(policy) = iam::parse(input) else {
        return;
    };
    for kind in [Kind::Identity, Kind::Resource, Kind::Scp] {
        let _ = lint(&policy, kind);
    }
    let named = Named {
        name: "fuzzed".into(),
        policy,
    };
    let mut context = Context::default();
    context.set("aws:username", &["alice"]);
    context.set("aws:SourceIp", &["203.0.113.7"]);
    context.set("aws:CurrentTime", &["2026-11-29T12:00:00Z"]);
    context.set("aws:TagKeys", &["a", "b"]);
    let layers = [
        Layers {
            identity: vec![named.clone()],
            ..Default::default()
        },
        Layers {
            resource: Some(named.clone()),
            boundary: Some(named.clone()),
            session: vec![named.clone()],
            scps: vec![vec![named.clone()], vec![named]],
            ..Default::default()
        },
    ];
    for principal in [
        Principal::User {
            arn: "arn:aws:iam::111122223333:user/alice".into(),
        },
        Principal::RoleSession {
            role_arn: "arn:aws:iam::111122223333:role/app".into(),
            session_arn: "arn:aws:sts::111122223333:assumed-role/app/s".into(),
        },
        Principal::Anonymous,
    ] {
        for l in &layers {
            let e = iam::evaluate(
                &Request {
                    principal: principal.clone(),
                    action: "s3:GetObject".into(),
                    resource: "arn:aws:s3:::bucket/alice/k".into(),
                    resource_account: Some("444455556666".into()),
                    context: context.clone(),
                },
                l,
            );
            ensure(!e.reason.is_empty(), || {
                "a decision without a reason".into()
            });
            for t in &e.trace {
                if let Err(w) = &t.applies {
                    let _ = w.to_string();
                }
            }
        }
    }
}

/// A security group or NACL rule's protocol as typed (`tcp`, `47`, `-1`, `icmp:8:0`): parsed,
/// written back and read again unchanged; matching never panics.
pub fn vpc_protocol(input: &str) {
    use crate::core::services::ec2::network::Proto;
    if let Ok(p) = Proto::parse(input) {
        let code = p.code();
        ensure(Proto::parse(&code) == Ok(p), || {
            format!("{input} → {code} reads back differently")
        });
        let _ = (p.label(), p.name(), p.reply(), p.has_ports());
        for q in [Proto::Tcp, Proto::PING, Proto::PING6, Proto::Other(47), p] {
            let _ = p.matches(q);
        }
        let number = p.number();
        ensure((-1..=255).contains(&number), || {
            format!("{input}: protocol number {number}")
        });
    }
}

// -------------------------------------------------------------------- drive failure

fn drive_state(s: &drive::DriveState) {
    if let Ok(one) = s.one_drive() {
        for (x, what) in [
            (one.per_day, "daily failure"),
            (one.per_hour, "hourly failure"),
            (one.per_period, "period failure"),
        ] {
            probability(x, what);
        }
        let _ = (math::fmt_prob(one.per_day), math::sig(one.dice, 4));
    }
    if let Ok(f) = s.fleet() {
        probability(f.q, "fleet q");
        probability(f.p_any, "P(any failure)");
        ensure(
            f.expected.is_finite() && f.expected <= f.drives as f64 + 1e-6,
            || format!("{} expected failures of {} drives", f.expected, f.drives),
        );
        ensure(f.bars.len() <= 64, || format!("{} bars", f.bars.len()));
        for b in &f.bars {
            ensure(b.k <= f.drives, || {
                format!("a bar at k = {} of {}", b.k, f.drives)
            });
        }
        let _ = drive_charts::distribution(&f.bars);
        let _ = drive_charts::any_failure_vs_fleet(f.q, f.drives);
    }
    if let Ok(i) = s.redundancy_input() {
        let r = crate::core::durability::redundancy(&i);
        probability(r.annual_loss, "annual loss");
        ensure(r.periods >= 1 && r.periods < u32::MAX, || {
            format!(
                "{} rebuild windows a year for {} days",
                r.periods, i.rebuild_days
            )
        });
        let _ = (math::nines(r.annual_loss), math::fmt_prob(r.annual_loss));
        for row in drive::compare(&i) {
            probability(row.annual_loss, row.label);
        }
    }
}

/// A drive-failure share link (`#/drive-failure?…`).
pub fn drive_failure(input: &str) {
    if let Ok(s) = drive::from_query(input) {
        drive_state(&s);
        round_trip(&s, drive::to_query, drive::from_query);
    }
}

// --------------------------------------------------------------------------- Lambda

fn lambda_state(s: &lambda_state::LambdaState) {
    let Ok(i) = s.input() else {
        return;
    };
    let now = lambda::bill(&lambda::US_EAST_1, &i);
    bill_lines(&now.lines, now.total, "Lambda bill");
    finite_non_negative(now.gb_s, "GB-seconds");
    let _ = lambda_charts::cost_vs_memory(&lambda::US_EAST_1, &i, s.scale_duration);
    let _ = lambda_charts::cost_vs_invocations(&lambda::US_EAST_1, &i);
    let one = lambda::per_invocation(&lambda::US_EAST_1, &i);
    bill_lines(&one.lines, one.total, "cost per invocation");
    finite_non_negative(one.per_million(), "cost per million");
    // The provisioned concurrency section, as the page computes it whether shown or not.
    if let Ok(pc) = s.provisioned() {
        let b = lambda::provisioned(&lambda::US_EAST_1, &i, &pc);
        bill_lines(&b.lines, b.total, "provisioned concurrency bill");
        finite_non_negative(b.utilization, "utilization");
        let _ = lambda_charts::cost_vs_utilization(&lambda::US_EAST_1, &i, &pc);
    }
    // Last, so the input may move (it is Copy today; a new field could change that).
    let then = lambda::bill(
        &lambda::US_EAST_1,
        &lambda::LambdaInput {
            billing: lambda::Billing::Historic,
            ..i
        },
    );
    bill_lines(&then.lines, then.total, "historic Lambda bill");
}

/// A Lambda share link (`#/lambda?…`).
pub fn lambda(input: &str) {
    if let Ok(s) = lambda_state::from_query(input) {
        lambda_state(&s);
        round_trip(&s, lambda_state::to_query, lambda_state::from_query);
    }
}

// ------------------------------------------------------------------------- DynamoDB

fn item_text(text: &str, kind: JsonKind) {
    let Ok((attrs, _)) = item::parse_item(text, kind) else {
        return;
    };
    let size = ItemSize::of(&attrs);
    let sum: u64 = size
        .attributes
        .iter()
        .map(|a| a.name_bytes + a.value_bytes)
        .sum();
    ensure(size.total == sum, || {
        format!("an item of {} bytes adds up to {sum}", size.total)
    });
    let _ = size.check_limit();
    for (_, n) in &size.numbers {
        let _ = n.explain();
    }
}

fn request_input(r: &RequestInput) {
    if let Ok(c) = request::request_cost(r) {
        finite_non_negative(c.units, "request units");
    }
}

fn dynamo_state(s: &ddb::DynamoState) {
    item_text(&s.item, s.kind);
    if let Ok(r) = s.request() {
        request_input(&r);
    }
    let hours = s.month_hours().unwrap_or(730.0);
    for l in &s.lines {
        let _ = l.units(hours);
    }
    if let Ok(w) = s.workload() {
        let r = ddb::report(&w, &ddb::TABLE);
        bill_lines(&r.on_demand, r.on_demand_total, "on-demand bill");
        bill_lines(&r.provisioned, r.provisioned_total, "provisioned bill");
        finite_non_negative(r.capacity.rcu_exact, "RCU");
        finite_non_negative(r.capacity.wcu_exact, "WCU");
        ensure(
            r.capacity.rcu as f64 + 1.0 >= r.capacity.rcu_exact
                && r.capacity.wcu as f64 + 1.0 >= r.capacity.wcu_exact,
            || {
                format!(
                    "capacity {:?} rounded down",
                    (r.capacity.rcu, r.capacity.wcu)
                )
            },
        );
        if let Some(x) = r.ratio {
            finite_non_negative(x, "on-demand ratio");
        }
        let _ = ddb_charts::break_even(&w, &ddb::TABLE);
        let _ = ddb_charts::cost_vs_utilization(&w, &ddb::TABLE);
        let _ = ddb_charts::cost_vs_traffic(&w, &ddb::TABLE);
        let _ = capacity::units_text(w.requests_per_second());
    }
}

/// A DynamoDB share link (`#/dynamodb?…`).
pub fn dynamodb(input: &str) {
    if let Ok(s) = ddb::from_query(input) {
        dynamo_state(&s);
        round_trip(&s, ddb::to_query, ddb::from_query);
    }
}

/// The item field, read as detected, plain and DynamoDB JSON; and each number typed alone.
pub fn dynamodb_item(input: &str) {
    for kind in [JsonKind::Auto, JsonKind::Plain, JsonKind::Dynamo] {
        item_text(input, kind);
    }
    if let Ok(n) = item::number_size(input) {
        ensure(n.bytes <= 21 + 1, || {
            format!("the number {input} takes {} bytes", n.bytes)
        });
        let _ = n.explain();
    }
    let _ = item::significant_digits(input);
    let _ = item::number_bytes(input);
}

/// The request calculator's size fields, for every operation.
pub fn dynamodb_sizes(input: &str) {
    if let Ok(b) = request::parse_size(input, "Item size") {
        ensure(b <= MAX_ITEM_BYTES, || format!("{input} is {b} bytes"));
        let _ = request::size_text(b);
    }
    let sizes = request::parse_sizes(input, "Item size");
    if let Ok(v) = &sizes {
        ensure(v.len() <= 1000, || {
            format!("{input} lists {} items", v.len())
        });
    }
    let sizes = sizes.unwrap_or_else(|_| vec![4096]);
    for op in Op::ALL {
        for consistency in [
            Consistency::Eventual,
            Consistency::Strong,
            Consistency::Transactional,
        ] {
            request_input(&RequestInput {
                op,
                consistency,
                sizes: sizes.clone(),
                gsis: sizes.clone(),
                items_read: 1_000_000_000_000,
            });
        }
    }
}

// ------------------------------------------------------------------------------ VPC

fn vpc_state(s: &vpc::VpcState) {
    let net = s.network();
    let _ = validate::validate(&net);
    // The export panel sends the design to the export helper as JSON.
    for format in ["tf", "cfn"] {
        let answer = crate::core::views::vpc::exports::network_export(
            &serde_json::to_string(&net).unwrap_or_default(),
            format,
        );
        let got = crate::core::views::vpc::exports::read_network_export(&answer);
        ensure(got.is_ok(), || {
            format!("the export helper did not export the design: {got:?}")
        });
    }
    if let Ok(q) = s.query(&net) {
        let verdict = reach::analyze(&net, &q);
        let _ = layout::draw(
            &net,
            Some(layout::Path {
                query: &q,
                verdict: &verdict,
            }),
            &s.selected,
        );
    }
    let _ = reach::web_server_checklist(&net, &s.check);
    for sub in &net.subnets {
        let _ = crate::core::services::ec2::network::query::public(&net, &sub.id);
    }
}

/// A VPC share link (`#/vpc?…`).
pub fn vpc(input: &str) {
    if let Ok(s) = vpc::from_query(input) {
        vpc_state(&s);
        round_trip(&s, vpc::to_query, vpc::from_query);
    }
}

/// The reachability query's endpoint and port fields, and the address parsers behind the
/// inspector's fields.
pub fn vpc_end(input: &str) {
    let s = vpc::VpcState::default();
    let net = s.network();
    let _ = vpc::end(input, &net);
    for st in [
        vpc::VpcState {
            from: input.into(),
            ..s.clone()
        },
        vpc::VpcState {
            to: input.into(),
            ipv6: true,
            ..s.clone()
        },
        vpc::VpcState {
            port: input.into(),
            ..s.clone()
        },
    ] {
        if let Ok(q) = st.query(&net) {
            let _ = reach::analyze(&net, &q);
        }
    }
    use crate::core::services::ec2::network::model;
    if let Ok(n) = model::Net::parse(input) {
        let _ = (n.size(), n.mask(), n.to_string());
    }
    let _ = model::parse_ip(input);
    let _ = model::parse_ip6(input);
    let _ = model::parse_any_ip(input);
}

/// An edit (as JSON) applied to every template, as the inspector applies it.
pub fn vpc_edit(input: &str) {
    let Ok(e) = serde_json::from_str::<edit::Edit>(input) else {
        return;
    };
    for (id, _) in crate::core::services::ec2::network::templates::TEMPLATES {
        let net = vpc::template(id);
        if let Ok(n) = edit::apply(&net, &e) {
            let _ = validate::validate(&n);
            let _ = layout::draw(&n, None, "");
        }
    }
}

// ------------------------------------------------------------- every text field at once

/// Each leaf of the default state's JSON (strings, numbers, booleans, in nested objects and
/// arrays) replaced in turn by the input, as a string and, when it is JSON, as that value:
/// every text field a tool has, typed with the same text.
fn each_field<T, F>(input: &str, run: F)
where
    T: Serialize + DeserializeOwned + Default,
    F: Fn(&T),
{
    let Ok(base) = serde_json::to_value(T::default()) else {
        return;
    };
    let as_json: Option<Value> = serde_json::from_str(input).ok();
    for path in json_paths(&base, false) {
        for v in [Some(Value::String(input.into())), as_json.clone()]
            .into_iter()
            .flatten()
        {
            let mut doc = base.clone();
            if let Some(slot) = json_at(&mut doc, &path) {
                *slot = v;
            }
            if let Ok(state) = serde_json::from_value::<T>(doc) {
                run(&state);
            }
        }
    }
}

/// One step of a path into a JSON document.
#[derive(Clone, Debug)]
pub enum JsonKey {
    Field(String),
    Index(usize),
}

/// Every path of a JSON document: its leaves, and with `inner` its arrays and objects too
/// (the document itself is the empty path). Shared by the field surfaces here and the
/// structure-aware mutations of `tests/fuzz_inputs.rs`.
pub fn json_paths(v: &Value, inner: bool) -> Vec<Vec<JsonKey>> {
    fn walk(v: &Value, inner: bool, path: &mut Vec<JsonKey>, out: &mut Vec<Vec<JsonKey>>) {
        let is_leaf = !matches!(v, Value::Object(_) | Value::Array(_));
        if inner || is_leaf {
            out.push(path.clone());
        }
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    path.push(JsonKey::Field(k.clone()));
                    walk(x, inner, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(JsonKey::Index(i));
                    walk(x, inner, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = vec![];
    walk(v, inner, &mut vec![], &mut out);
    out
}

/// The value at a path made by [`json_paths`], to replace it.
pub fn json_at<'a>(v: &'a mut Value, path: &[JsonKey]) -> Option<&'a mut Value> {
    let mut cur = v;
    for k in path {
        cur = match k {
            JsonKey::Field(f) => cur.get_mut(f.as_str())?,
            JsonKey::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// Every field of the CIDR page typed with the input.
pub fn cidr_fields(input: &str) {
    each_field::<CidrState, _>(input, cidr_state);
}

/// Every field of the drive-failure page typed with the input.
pub fn drive_failure_fields(input: &str) {
    each_field::<drive::DriveState, _>(input, drive_state);
}

/// Every field of the Lambda page typed with the input.
pub fn lambda_fields(input: &str) {
    each_field::<lambda_state::LambdaState, _>(input, lambda_state);
}

/// Every field of the DynamoDB page typed with the input.
pub fn dynamodb_fields(input: &str) {
    each_field::<ddb::DynamoState, _>(input, dynamo_state);
}

/// Every field of the VPC page typed with the input.
pub fn vpc_fields(input: &str) {
    each_field::<vpc::VpcState, _>(input, vpc_state);
}

// ------------------------------------------------------------------------ IAM page

/// What the IAM page does with its state: compile every policy, run every request, and for
/// each decision build the layer summary and the editors' marks.
fn iam_state(s: &crate::core::iam::state::IamState) {
    use crate::core::iam::state::{layer_steps, marks};
    let c = s.compile();
    for d in &c.docs {
        let _ = d.error_line();
    }
    for (req, e) in s.run(&c).iter().flatten() {
        if let Ok(layers) = &c.layers {
            let steps = layer_steps(req, layers, e);
            ensure(!steps.is_empty(), || "an evaluation without layers".into());
        }
        for d in &c.docs {
            let _ = marks(e, d.place, &d.name);
        }
    }
}

/// An IAM page share link (`#/iam?…`).
pub fn iam(input: &str) {
    use crate::core::iam::state as iam_page;
    if let Ok(s) = iam_page::from_query(input) {
        iam_state(&s);
        round_trip(&s, iam_page::to_query, iam_page::from_query);
    }
}

/// Every field of the IAM page (policy texts, names, the request form) typed with the input.
pub fn iam_fields(input: &str) {
    each_field::<crate::core::iam::state::IamState, _>(input, iam_state);
}

/// The request's context keys and the caller's tags as typed, with a request built on them.
pub fn iam_context(input: &str) {
    use crate::core::iam::caller::{self, Caller};
    let _ = caller::parse_context(input);
    let c = Caller {
        tags: input.to_string(),
        ..Default::default()
    };
    let _ = c.tag_pairs();
    let _ = c.derived_keys();
    let _ = crate::core::iam::policy::statement_lines(input);
    let _ = caller::request(&c, input, input, input, input);
}

/// A sandbox account's serverless part as the IAM page reads it: each role or user loaded
/// and saved back as loaded and with edits (a policy's text changed, the last policy
/// dropped, a boundary added); each resource policy loaded, changed and saved back. A
/// save that succeeds must read back as what the page held, and an account that built
/// before a save must build after it.
pub fn iam_account(input: &str) {
    use crate::core::iam::account::{read, save_identity, save_resource_policy};
    use crate::core::iam::state::IamState;
    use crate::core::views::flow::scenario::Definitions;
    let Ok(part) = serde_json::from_str::<Value>(input) else {
        return;
    };
    let builds = |v: &Value| {
        serde_json::from_value::<Definitions>(v.clone())
            .ok()
            .is_some_and(|d| d.build().is_ok())
    };
    let built = builds(&part);
    let account = read(&part);
    for spec in &account.identities {
        let mut s = IamState::empty();
        if s.load_identity(spec).is_err() {
            continue;
        }
        ensure(s.check().is_ok(), || {
            format!(
                "a loaded role or user ({}) breaks the page's limits",
                spec.name
            )
        });
        iam_state(&s);
        let mut edited = s.clone();
        if let Some(d) = edited.identity.first_mut() {
            d.text.push('\n');
        }
        let mut fewer = s.clone();
        fewer.identity.pop();
        let mut bounded = s.clone();
        bounded.boundary = s.identity.first().cloned();
        for page in [s, edited, fewer, bounded] {
            let mut saved = part.clone();
            if save_identity(&mut saved, &spec.name, &page).is_err() {
                ensure(saved == part, || {
                    "a refused save changed the account".into()
                });
                continue;
            }
            let back = read(&saved);
            let first = back.identities.iter().find(|i| i.name == spec.name);
            let texts = |l: &[crate::core::iam::state::Doc]| -> Vec<String> {
                l.iter().map(|d| d.text.clone()).collect()
            };
            ensure(
                first.is_some_and(|i| {
                    texts(&i.policies) == texts(&page.identity)
                        && i.boundary.is_some() == page.boundary.is_some()
                }),
                || {
                    format!(
                        "role or user {} reads back otherwise after a save",
                        spec.name
                    )
                },
            );
            ensure(!built || builds(&saved), || {
                format!(
                    "saving {} made the account's resources unbuildable",
                    spec.name
                )
            });
        }
    }
    for p in &account.policies {
        let mut s = IamState::empty();
        s.load_resource_policy(p);
        if let Some(d) = s.resource.as_mut() {
            d.text.push(' ');
        }
        let mut saved = part.clone();
        if save_resource_policy(&mut saved, &p.node, &s).is_ok() {
            let text = s
                .resource
                .as_ref()
                .map(|d| d.text.clone())
                .unwrap_or_default();
            ensure(
                read(&saved)
                    .policies
                    .iter()
                    .any(|q| q.node == p.node && q.text == text),
                || format!("the policy of {} reads back otherwise after a save", p.node),
            );
            ensure(!built || builds(&saved), || {
                format!(
                    "saving the policy of {} made the account unbuildable",
                    p.node
                )
            });
        }
    }
}

// -------------------------------------------------------------------------- sandboxes

/// What the app does with a sandbox it has read: each tool opens its state from the
/// sandbox's query for it; the sandbox is written back as a file and a link.
fn sandbox_opened(s: &sandbox::Sandbox) {
    for tool in s.tools.keys() {
        let q = s.tool_query(tool);
        match tool.as_str() {
            "cidr" => cidr(&q),
            "drive-failure" => drive_failure(&q),
            "lambda" => lambda(&q),
            "dynamodb" => dynamodb(&q),
            "vpc" => vpc(&q),
            "iam" => iam(&q),
            _ => {}
        }
    }
    if let Some(part) = s.account.get("serverless") {
        iam_account(&part.to_string());
    }
    let json = sandbox::to_json(s);
    match sandbox::from_json(&json) {
        Ok(back) => ensure(back == *s, || {
            "a sandbox file reads back differently".into()
        }),
        Err(e) => panic!("wrapped result: an exported sandbox does not import: {e}"),
    }
    if let Ok(link) = sandbox::to_link(s) {
        match sandbox::from_link(&link) {
            Ok(back) => ensure(back == *s, || {
                "a sandbox link reads back differently".into()
            }),
            Err(e) => panic!("wrapped result: a sandbox link does not open: {e}"),
        }
    }
    let _ = sandbox::file_name(s);
    let copy = s.duplicate("sb-copy".into(), u64::MAX);
    let _ = sandbox::clean_name(&copy.name);
}

/// A sandbox file (import) or stored record.
pub fn sandbox_file(input: &str) {
    if let Ok(s) = sandbox::from_json(input) {
        sandbox_opened(&s);
    }
}

/// A sandbox share link's payload (`#/sandboxes?z=…`).
pub fn sandbox_link(input: &str) {
    if let Ok(s) = sandbox::from_link(input) {
        sandbox_opened(&s);
    }
}

/// A sandbox link payload for a JSON text (deflated and base64url-coded as `to_link` does),
/// so a fuzzer can mutate the JSON inside a link rather than its compressed bytes.
pub fn link_payload(json: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
}
