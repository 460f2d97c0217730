//! Native benchmark of the flow engine (not a test): `cargo run --release --example
//! bench_flow`. 10,000 messages published to a topic fanned out to three queues, each
//! drained by a function through an event source mapping: every publish, delivery,
//! enqueue, batch, run and delete is an event of the trace.
//!
//! It also times 100,000 DynamoDB writes made by handlers (2,000 invocations of 50 PutItem
//! calls each).
//!
//! `--state` prints instead the share-link query of a 50-resource scenario (10 topics, each
//! fanned out to 2 queues, each queue drained by its function; 600 messages over a minute),
//! which `scripts/bench-flow.mjs` opens in the browser to time the animation's frames.

use serde_json::json;
use stratus::core::flow::{Action, Flow, Mapping, Resources};
use stratus::core::services::lambda::{FunctionConfig, Handler, Step};
use stratus::core::services::sns::filter::FilterPolicyScope;
use stratus::core::services::sns::{Endpoint, Sns};
use stratus::core::services::sqs::{QueueAttributes, Sqs};

mod common;
use common::median_us;

fn world() -> Flow {
    let mut sqs = Sqs::default();
    let mut sns = Sns::default();
    sns.create_topic("orders").unwrap();
    let mut functions = vec![];
    let mut mappings = vec![];
    for q in ["billing", "shipping", "audit"] {
        sqs.create_queue(q, QueueAttributes::default()).unwrap();
        sns.subscribe(
            "orders",
            Endpoint::Sqs(q.into()),
            None,
            FilterPolicyScope::MessageAttributes,
            true,
        )
        .unwrap();
        let name = format!("{q}-worker");
        functions.push(FunctionConfig {
            name: name.clone(),
            handler: Handler {
                steps: vec![Step::Run { ms: 40 }],
            },
            ..Default::default()
        });
        mappings.push(Mapping {
            queue: q.into(),
            function: name,
            ..Default::default()
        });
    }
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns,
            functions,
            mappings,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    for k in 0..10_000u64 {
        flow.at(
            k * 10,
            Action::Publish {
                topic: "orders".into(),
                message: json!({"order": k}).to_string(),
                attributes: vec![],
            },
        );
    }
    flow
}

/// The 50-resource scenario of the browser benchmark.
fn fifty() -> stratus::core::views::flow::scenario::Scenario {
    use stratus::core::views::flow::scenario::{
        QueueSpec, Scenario, SubscriptionSpec, Timed, TopicSpec,
    };
    let mut s = Scenario {
        horizon_ms: 90_000,
        seed: 1,
        ..Default::default()
    };
    for t in 0..10 {
        let mut topic = TopicSpec {
            policy: None,
            name: format!("topic-{t}"),
            subscriptions: vec![],
        };
        for k in 0..2 {
            let q = format!("queue-{t}-{k}");
            s.queues.push(QueueSpec {
                policy: None,
                name: q.clone(),
                attributes: QueueAttributes::default(),
            });
            topic.subscriptions.push(SubscriptionSpec {
                endpoint: Endpoint::Sqs(q.clone()),
                filter_policy: None,
                filter_policy_scope: FilterPolicyScope::MessageAttributes,
                raw_message_delivery: true,
            });
            let f = format!("worker-{t}-{k}");
            s.functions.push(FunctionConfig {
                name: f.clone(),
                handler: Handler {
                    steps: vec![Step::Run { ms: 300 }],
                },
                ..Default::default()
            });
            s.mappings.push(Mapping {
                queue: q,
                function: f,
                ..Default::default()
            });
        }
        s.topics.push(topic);
    }
    for m in 0..600u64 {
        s.actions.push(Timed {
            principal: String::new(),
            at_ms: m * 100,
            action: Action::Publish {
                topic: format!("topic-{}", m % 10),
                message: json!({"order": m}).to_string(),
                attributes: vec![],
            },
        });
    }
    stratus::core::views::flow::grants::least_privilege(&mut s);
    s
}

fn main() {
    if std::env::args().any(|a| a == "--state") {
        use stratus::core::views::flow::state::{to_query, FlowState};
        let state = FlowState {
            template: "empty".into(),
            scenario: Some(fifty()),
            ..Default::default()
        };
        println!("{}", to_query(&state));
        return;
    }
    // One frame of the page at 50 resources: the frame's tokens and counters, the diagram.
    {
        use stratus::core::views::flow::layout::{draw, frame_at};
        let s = fifty();
        let o = s.run().unwrap();
        let mut k = 0u64;
        let us = median_us(40, || {
            k += 1;
            let t = 5_000 + (k * 1_300) % 55_000;
            let f = frame_at(&o, t);
            std::hint::black_box(draw(&s, &f, "").svg.len());
        });
        println!(
            "{:<60} {:>10.2} ms",
            format!("a frame at 50 resources ({} trace entries)", o.trace.len()),
            us / 1000.0
        );
    }
    // 100,000 item writes: 2,000 invocations of a function making 50 PutItem calls each.
    {
        use stratus::core::services::dynamodb::request::Request;
        use stratus::core::services::dynamodb::table::{KeyAttr, KeyType, Table, TableSpec};
        let writes = || {
            let spec = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
            let mut tables = std::collections::BTreeMap::new();
            tables.insert("orders".to_string(), Table::create(spec, 0).unwrap());
            let steps = (0..50)
                .map(|k| Step::DynamoDb {
                    call: Request {
                        table: "orders".into(),
                        item: format!(r#"{{"id": "{{{{n}}}}-{k}", "total": {k}}}"#),
                        ..Default::default()
                    },
                    catch: vec![],
                })
                .collect();
            let mut flow = Flow::new(
                Resources {
                    functions: vec![FunctionConfig {
                        name: "writer".into(),
                        timeout_s: 30,
                        handler: Handler { steps },
                        role: "writer-role".into(),
                        ..Default::default()
                    }],
                    tables,
                    // Every call authorized, as in a scenario.
                    access: stratus::core::flow::Access::build(
                        &[stratus::core::flow::IdentitySpec::role(
                            "writer-role",
                            "writer-access",
                            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]}"#,
                        )],
                        vec![],
                    )
                    .unwrap(),
                    ..Default::default()
                },
                1,
            )
            .unwrap();
            for n in 0..2_000u64 {
                flow.at(
                    n * 10,
                    Action::Invoke {
                        function: "writer".into(),
                        payload: json!({ "n": n }),
                        asynchronous: false,
                    },
                );
            }
            flow.run_until(3_600_000);
            flow
        };
        let probe = writes();
        let items = probe.tables["orders"].len();
        let us = median_us(5, || {
            std::hint::black_box(writes().trace.entries().len());
        });
        println!(
            "{:<60} {:>10.1} ms",
            format!("100,000 DynamoDB writes from handlers ({items} items stored)"),
            us / 1000.0
        );
    }
    let mut probe = world();
    let events = probe.run_until(3_600_000);
    println!(
        "events run: {events}; trace entries: {}",
        probe.trace.entries().len()
    );
    let us = median_us(5, || {
        let mut f = world();
        f.run_until(3_600_000);
        std::hint::black_box(f.trace.entries().len());
    });
    println!(
        "{:<60} {:>10.1} ms",
        "10,000 messages: SNS → 3 SQS → 3 functions (one run)",
        us / 1000.0
    );
}
