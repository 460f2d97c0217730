//! Native benchmark of the IAM evaluator (not a test): `cargo run --release --example bench_iam`.
//! 10,000 evaluations of a request against a 20-statement policy set spread over identity,
//! boundary and resource layers, with conditions and policy variables (issue 13: < 50 ms).
//! Measured 2026-11-30 on the 2-core build machine, full trace included: 29.5 ms with the
//! shipped release profile (opt-level "z", built for bundle size). It was 77 ms before
//! statements about other resources were ruled out by their literal start, without
//! substituting their policy variables (`matching::resource_ruled_out`).

use std::hint::black_box;
use stratus::core::iam::{self, Context, Layers, Named, Principal, Request};

mod common;
use common::median_us;

fn named(name: &str, json: String) -> Named {
    Named {
        name: name.into(),
        policy: iam::parse(&json).expect("policy"),
    }
}

fn main() {
    let stmt = |i: usize| {
        format!(
            r#"{{"Sid": "S{i}", "Effect": "{}", "Action": ["s3:Get*", "s3:List*", "dynamodb:Query"], "Resource": "arn:aws:s3:::bucket-{i}/${{aws:username}}/*", "Condition": {{"StringLike": {{"aws:PrincipalTag/team": ["red", "blue*"]}}, "IpAddress": {{"aws:SourceIp": "203.0.113.0/24"}}}}}}"#,
            if i % 7 == 0 { "Deny" } else { "Allow" }
        )
    };
    let policy = |range: std::ops::Range<usize>| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            range.map(stmt).collect::<Vec<_>>().join(",")
        )
    };
    let layers = Layers {
        identity: vec![named("identity-a", policy(1..8)), named("identity-b", policy(8..15))],
        boundary: Some(named("boundary", policy(15..20))),
        resource: Some(named(
            "bucket",
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "R", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-3/*"}]}"#.into(),
        )),
        ..Default::default()
    };
    let mut context = Context::default();
    context.set("aws:username", &["alice"]);
    context.set("aws:PrincipalTag/team", &["blue-2"]);
    context.set("aws:SourceIp", &["203.0.113.9"]);
    let req = Request {
        principal: Principal::RoleSession {
            role_arn: "arn:aws:iam::111122223333:role/app".into(),
            session_arn: "arn:aws:sts::111122223333:assumed-role/app/s".into(),
        },
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::bucket-16/alice/report.csv".into(),
        resource_account: None,
        context,
    };
    let statements: usize = layers
        .identity
        .iter()
        .map(|n| n.policy.statements.len())
        .sum::<usize>()
        + layers
            .boundary
            .iter()
            .map(|n| n.policy.statements.len())
            .sum::<usize>()
        + 1;
    println!(
        "policy set: {statements} statements; decision {}",
        iam::evaluate(&req, &layers).decision.name()
    );
    let us = median_us(5, || {
        for _ in 0..10_000 {
            black_box(iam::evaluate(black_box(&req), black_box(&layers)));
        }
    });
    println!(
        "{:<60} {:>10.1} ms",
        "10,000 evaluations (target < 50 ms)",
        us / 1000.0
    );
}
