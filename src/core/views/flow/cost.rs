//! What a run costs: the usage the engine counted (`core::flow::Usage`, the counters and
//! the DynamoDB calls) priced line by line, each with its math, and optionally scaled to a
//! month at the run's rate. Lambda and DynamoDB use the calculators' price tables
//! (`core::lambda::US_EAST_1`, `core::dynamodb::pricing::US_EAST_1_STANDARD`); SQS, SNS,
//! S3 and API Gateway use [`US_EAST_1`] here. Free tiers are not applied: the figures are
//! what the usage costs before them.

use super::scenario::{Outcome, Scenario};
use crate::core::dynamodb::pricing::US_EAST_1_STANDARD as DYNAMODB;
use crate::core::lambda::US_EAST_1 as LAMBDA;
use crate::core::services::dynamodb::table::Billing;

/// Request prices of the messaging and storage services, one Region, with their sources.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RequestPrices {
    pub id: &'static str,
    pub region: &'static str,
    pub checked: &'static str,
    /// SQS, per million requests (each 64 KB chunk of a payload is one request).
    pub sqs_standard_million: f64,
    pub sqs_fifo_million: f64,
    pub sqs_source: &'static str,
    /// SNS, per million publishes (64 KB chunks); deliveries to SQS and Lambda are free.
    pub sns_publish_million: f64,
    pub sns_source: &'static str,
    /// S3 Standard, per 1,000 requests: PUT, COPY, POST, LIST; GET and the rest.
    pub s3_put_thousand: f64,
    pub s3_get_thousand: f64,
    pub s3_source: &'static str,
    /// API Gateway REST APIs, per million calls (the first 333 million a month).
    pub api_rest_million: f64,
    pub api_source: &'static str,
}

/// us-east-1 request prices.
pub const US_EAST_1: RequestPrices = RequestPrices {
    id: "requests/us-east-1/2026-11",
    region: "us-east-1 (N. Virginia)",
    checked: "2026-11-30 for API Gateway; SQS, SNS and S3 to verify against their pages",
    sqs_standard_million: 0.40,
    sqs_fifo_million: 0.50,
    sqs_source: "https://aws.amazon.com/sqs/pricing/",
    sns_publish_million: 0.50,
    sns_source: "https://aws.amazon.com/sns/pricing/",
    s3_put_thousand: 0.005,
    s3_get_thousand: 0.0004,
    s3_source: "https://aws.amazon.com/s3/pricing/",
    api_rest_million: 3.50,
    api_source: "https://aws.amazon.com/api-gateway/pricing/ (and the whitepaper \"Best Practices for Designing Amazon API Gateway Private APIs\", table 4)",
};

/// Hours in the month the projection uses (as the calculators and AWS's calculator do).
pub const MONTH_HOURS: f64 = 730.0;

/// One line of the bill.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub service: &'static str,
    /// What is counted: "requests", "GB-seconds", "write request units" …
    pub item: String,
    pub quantity: f64,
    /// Dollars per `per` units.
    pub price: f64,
    pub per: f64,
    pub cost: f64,
    /// How the quantity was counted and priced.
    pub math: String,
}

/// The bill of a run, or of a month at its rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Bill {
    pub lines: Vec<Line>,
    pub total: f64,
    /// The factor applied (1 for the run itself) and how it was found.
    pub scale: f64,
    pub scale_math: String,
}

/// A quantity: whole numbers grouped (`1,314,000`), others to 6 significant digits.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 {
        crate::core::format::thousands(x.round().abs() as u128)
    } else {
        crate::core::format::sig_grouped(x, 6)
    }
}

fn line(service: &'static str, item: &str, quantity: f64, price: f64, per: f64, how: &str) -> Line {
    let cost = quantity * price / per;
    let per_text = if per == 1.0 {
        String::new()
    } else {
        format!(" per {}", num(per))
    };
    Line {
        service,
        item: item.to_string(),
        quantity,
        price,
        per,
        cost,
        math: format!(
            "{how}: {} × ${price}{per_text} = {}",
            num(quantity),
            dollars(cost)
        ),
    }
}

/// The bill of the run `o` of scenario `s`; `month` scales it to 730 hours at the run's
/// rate (a run of length 0 is not scaled).
pub fn bill(s: &Scenario, o: &Outcome, month: bool) -> Bill {
    // A run cut short by the event limit is priced for the time it reached.
    let ran = if o.cut_short { o.ran_ms } else { o.end_ms };
    let run_s = ran as f64 / 1000.0;
    let cut = if o.cut_short {
        " (cut short by the event limit)"
    } else {
        ""
    };
    let (scale, scale_math) = if month && run_s > 0.0 {
        let f = MONTH_HOURS * 3600.0 / run_s;
        (
            f,
            format!(
                "this run lasts {} s{cut}; at this rate for {MONTH_HOURS} h: × {}",
                num(run_s),
                num(f)
            ),
        )
    } else {
        (1.0, format!("this run, {} s{cut}", num(run_s)))
    };
    let mut lines = vec![];
    let u = &o.usage;
    // Lambda: requests and GB-seconds (x86, the first duration tier).
    let invocations: u64 = s
        .functions
        .iter()
        .filter_map(|f| o.counters.get(&f.name))
        .map(|c| c.invocations)
        .sum();
    let gb_s: f64 = s
        .functions
        .iter()
        .filter_map(|f| {
            o.counters
                .get(&f.name)
                .map(|c| f.memory_mb as f64 / 1024.0 * c.duration_ms as f64 / 1000.0)
        })
        .sum();
    if invocations > 0 {
        lines.push(line(
            "Lambda",
            "requests",
            invocations as f64 * scale,
            LAMBDA.request_million,
            1e6,
            "invocations",
        ));
        let rate = LAMBDA.x86_tiers[0].1;
        lines.push(line(
            "Lambda",
            "GB-seconds",
            gb_s * scale,
            rate,
            1.0,
            "memory (GB) × billed duration (s), summed over runs, x86",
        ));
    }
    // DynamoDB: on demand per request unit; provisioned per capacity-unit hour.
    for (spec, _) in &o.tables {
        let calls = o.table_calls.iter().filter(|c| c.table == spec.name);
        let (mut read, mut write) = (0.0, 0.0);
        for c in calls {
            match c.unit {
                "RRU" | "RCU" => read += c.units,
                "WRU" | "WCU" => write += c.units,
                _ => {}
            }
        }
        match spec.billing {
            Billing::OnDemand => {
                let units = [
                    (
                        "read",
                        read,
                        DYNAMODB.rru_million,
                        "RRU consumed, refused and throttled calls excluded",
                    ),
                    (
                        "write",
                        write,
                        DYNAMODB.wru_million,
                        "WRU consumed, refused conditional writes included",
                    ),
                ];
                for (kind, n, price, how) in units.into_iter().filter(|u| u.1 > 0.0) {
                    lines.push(line(
                        "DynamoDB",
                        &format!("{}: {kind} request units", spec.name),
                        n * scale,
                        price,
                        1e6,
                        how,
                    ));
                }
            }
            Billing::Provisioned { read: r, write: w } => {
                let hours = run_s / 3600.0 * scale;
                // The table's capacity, then each global secondary index's own write
                // capacity (the table's unless set).
                let capacity = [
                    (String::new(), "read", r, DYNAMODB.rcu_hour, "RCU"),
                    (String::new(), "write", w, DYNAMODB.wcu_hour, "WCU"),
                ]
                .into_iter()
                .chain(spec.global_secondary_indexes.iter().map(|g| {
                    (
                        format!(" index {}", g.name),
                        "write",
                        g.write_capacity.unwrap_or(w),
                        DYNAMODB.wcu_hour,
                        "WCU",
                    )
                }));
                for (index, kind, units, price, unit) in capacity {
                    lines.push(line(
                        "DynamoDB",
                        &format!("{}{index}: {kind} capacity-unit hours", spec.name),
                        units as f64 * hours,
                        price,
                        1.0,
                        &format!("{units} {unit} provisioned × {} h", num(hours)),
                    ));
                }
            }
        }
    }
    let p = US_EAST_1;
    let simple = [
        (
            "SQS",
            "standard queue requests",
            u.sqs_requests,
            p.sqs_standard_million,
            1e6,
            "SendMessage, ReceiveMessage (the mapping's polls, empty ones included), DeleteMessageBatch; each 64 KB chunk of a payload counts as one",
        ),
        (
            "SQS",
            "FIFO queue requests",
            u.sqs_fifo_requests,
            p.sqs_fifo_million,
            1e6,
            "as for standard queues",
        ),
        (
            "SNS",
            "publishes",
            u.sns_requests,
            p.sns_publish_million,
            1e6,
            "Publish requests in 64 KB chunks; deliveries to SQS and Lambda are free",
        ),
        (
            "S3",
            "PUT requests",
            u.s3_put_requests,
            p.s3_put_thousand,
            1e3,
            "PutObject (DeleteObject is free)",
        ),
        (
            "API Gateway",
            "REST API calls",
            u.api_requests,
            p.api_rest_million,
            1e6,
            "calls that reached the integration (refused keys, throttled and unmatched calls are not billed)",
        ),
    ];
    for (service, item, n, price, per, how) in simple {
        if n > 0 {
            lines.push(line(service, item, n as f64 * scale, price, per, how));
        }
    }
    let total = lines.iter().map(|l| l.cost).sum();
    Bill {
        lines,
        total,
        scale,
        scale_math,
    }
}

/// Dollars as the page shows them: cents for a dollar or more, else enough digits to see
/// the first significant ones (`$0.0000021`).
pub fn dollars(x: f64) -> String {
    if !x.is_finite() || x < 0.0 {
        "—".into()
    } else if x >= 0.995 {
        format!("${x:.2}")
    } else if x < 1e-12 {
        if x == 0.0 {
            "$0".into()
        } else {
            "less than $0.000000000001".into()
        }
    } else {
        let digits = (-x.log10()).ceil() as usize + 2;
        format!("${x:.*}", digits.min(14))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    fn outcome(v: serde_json::Value) -> (Scenario, Outcome) {
        let mut s: Scenario = serde_json::from_value(v).unwrap();
        crate::core::views::flow::grants::least_privilege(&mut s);
        let o = s.run().unwrap();
        (s, o)
    }

    /// Ten 100 ms runs at 128 MB: 10 requests ($0.20 per million) and 0.125 GB-s at
    /// $0.0000166667 (the Lambda pricing page's rates, computed by hand here).
    #[test]
    fn lambda_lines_match_hand_arithmetic() {
        let (s, o) = outcome(json!({
            "functions": [{"name": "f", "handler": {"steps": [{"step": "run", "ms": 100}]}}],
            "actions": (0..10).map(|k| json!({"at_ms": k * 1000, "action": "invoke", "function": "f", "payload": {}})).collect::<Vec<_>>(),
            "horizon_ms": 20_000
        }));
        let b = bill(&s, &o, false);
        let req = b.lines.iter().find(|l| l.item == "requests").unwrap();
        assert!((req.cost - 10.0 * 0.20 / 1e6).abs() < 1e-15);
        let gbs = b.lines.iter().find(|l| l.item == "GB-seconds").unwrap();
        assert!((gbs.quantity - 0.125).abs() < 1e-12);
        assert!((gbs.cost - 0.125 * 0.0000166667).abs() < 1e-15);
        // A month at this rate: 730 h / 20 s = 131,400 times the run.
        let m = bill(&s, &o, true);
        assert!((m.scale - 131_400.0).abs() < 1e-6);
        assert!((m.total - b.total * 131_400.0).abs() < 1e-9);
    }

    /// SQS bills each 64 KB chunk of a payload as one request: a 256 KB message is 4
    /// (the SQS pricing page's example).
    #[test]
    fn a_256_kb_message_is_four_requests() {
        let body = "x".repeat(256 * 1024);
        let (s, o) = outcome(json!({
            "queues": [{"name": "q"}],
            "actions": [{"at_ms": 0, "action": "send_message", "queue": "q", "body": body}],
            "horizon_ms": 1_000
        }));
        assert_eq!(o.usage.sqs_requests, 4);
        let b = bill(&s, &o, false);
        assert!((b.total - 4.0 * 0.40 / 1e6).abs() < 1e-15);
    }

    #[test]
    fn dollars_show_the_significant_digits() {
        assert_eq!(dollars(12.345), "$12.35");
        assert_eq!(dollars(0.0000021), "$0.00000210");
        assert_eq!(dollars(0.0), "$0");
        assert_eq!(dollars(0.9996), "$1.00");
        assert_eq!(dollars(f64::NAN), "—");
        assert_eq!(num(1_501_714.285_714), "1,501,714");
        assert_eq!(num(0.000125), "0.000125");
    }
}
