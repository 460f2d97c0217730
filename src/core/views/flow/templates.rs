//! The flow simulator's starting scenarios, from the course (seed 000 weeks 2–5; digest
//! §§14, 15, 18): each shows one behaviour a student should be able to predict.

use super::scenario::{BucketSpec, QueueSpec, Scenario, SubscriptionSpec, Timed, TopicSpec};
use crate::core::flow::{Action, Mapping, StreamMapping};
use crate::core::services::apigateway::{ApiSpec, Route};
use crate::core::services::dynamodb::request::{Operation, Request};
use crate::core::services::dynamodb::table::{Billing, KeyAttr, KeyType, StreamView, TableSpec};
use crate::core::services::lambda::{
    AsyncConfig, Destination, FunctionConfig, Handler, Step, When,
};
use crate::core::services::s3::{NotificationRule, Target};
use crate::core::services::sns::filter::FilterPolicyScope;
use crate::core::services::sns::Endpoint;
use crate::core::services::sqs::{QueueAttributes, RedrivePolicy};

/// (id, title, what it shows).
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    ("photo", "Photo upload: S3 → Lambda → S3", "An upload under uploads/ invokes the labeler, which stores labels under labels/ (no second invocation: the rule's prefix does not match). Watch the key arrive URL-encoded: the labeler does not decode it, so its output is labels/uploads/my+photo.jpg.json — the bug to fix with a URL decode."),
    ("fanout", "SNS fan-out to queues, one filtered", "Orders and refunds published to one topic reach the billing and audit queues; the shipping queue's filter policy lets only orders through."),
    ("dlq", "A poison message goes to the DLQ", "A worker fails on one message: it comes back every 30 s (the visibility timeout) and moves to orders-dlq on the receive after maxReceiveCount 3."),
    ("async", "Async retries, then the failure destination", "An asynchronous function that always fails runs three times (about 1 and 2 minutes apart); the invocation record then lands in the failures queue."),
    ("partial", "Partial batch responses", "The worker reports two bad messages of each batch in batchItemFailures: only those come back after the visibility timeout."),
    ("throttle", "Throttling at reserved concurrency", "Ten asynchronous events for a function with reserved concurrency 2: the rest are throttled and retried after 1 s, 2 s, 4 s …"),
    ("loop", "A recursive trigger, stopped", "The resizer writes its output to the bucket that triggers it; Lambda's recursive loop detection stops the chain after 16 invocations."),
    ("api", "API Gateway → Lambda → DynamoDB: the course's app", "A REST API in front of two functions and a table. POST /orders stores an order (201), and the same order again is refused by its condition (409); GET /orders/{id} reads it (200) or finds nothing (404); a typo in the path gets API Gateway's own 403 Missing Authentication Token; the daily report runs 31 s, so API Gateway answers 504 at 29 s while the function finishes anyway; and a burst of 100 requests a second meets the stage's limit of 20 a second (burst 40): the rest get 429."),
    ("orders", "SQS → Lambda → DynamoDB: conditional writes", "The writer stores each order with PutItem only if attribute_not_exists(id). The same order sent twice is refused the second time with ConditionalCheckFailedException, which the writer catches, so the duplicate is deleted instead of retried. Then the script reads one order eventually consistent (0.5 RRU) and strongly consistent (1 RRU)."),
    ("stream", "Table stream → Lambda: a bad record blocks its shard", "Each new order in the table reaches the notifier through the table's stream, in order, and is published to a topic that fans out to two queues. The notifier fails on o-bad: with the mapping's defaults (MaximumRetryAttempts -1) it is retried until the record expires, and the orders behind it wait. Give the mapping (on the table, under Build) a MaximumRetryAttempts and the stream-failures queue as its on-failure destination to let the rest through."),
    ("hot", "A provisioned table runs out of burst capacity", "A table with 5 WCU takes 2 writes a second for a minute and keeps the unused 3 a second as burst capacity. Then 20 writes a second arrive: the saved capacity covers the extra 15 a second for about 12 s, and from then on all but 5 a second are refused with ProvisionedThroughputExceededException."),
    ("checkout", "Transactions and batches: all or nothing", "Each checkout takes a widget from stock and writes the order in one TransactWriteItems, so both change or neither. Order o-1 succeeds, each item costing 2 WRU (a transaction prepares and commits). Sending o-1 again is cancelled with TransactionCanceledException, one reason per action: the order exists, so the stock is not taken either. o-2 takes the last widget, and o-3 is cancelled because the stock is at 0. A cancelled transaction changes nothing, yet its prepare phase consumed capacity. A TransactGetItems then reads the order and the stock as one snapshot. Last, a BatchWriteItem of 25 clicks into a table with 1 WCU writes what the capacity allows and returns the rest in UnprocessedItems: the call succeeds, and the caller must resend them."),
    ("denied", "Lab: a missing permission (IAM on every call)", "The course's API app, but the role of get-order was granted dynamodb:Query instead of dynamodb:GetItem. POST /orders still answers 201; every GET /orders/{id} is denied with AccessDeniedException, so the function fails and API Gateway answers 502. Open a denial on the IAM page to see why, then fix the role's policy under Permissions."),
    ("empty", "An empty account: build your own", "Nothing yet: create queues, topics, buckets and functions under Build, wire them together, and add timed actions to the script."),
];

fn function(name: &str, steps: Vec<Step>) -> FunctionConfig {
    FunctionConfig {
        name: name.into(),
        handler: Handler { steps },
        ..Default::default()
    }
}

fn send(at_s: u64, queue: &str, body: &str) -> Timed {
    Timed {
        principal: String::new(),
        at_ms: at_s * 1000,
        action: Action::SendMessage {
            queue: queue.into(),
            body: body.into(),
            delay_seconds: None,
            group_id: None,
        },
    }
}

fn queue(name: &str) -> QueueSpec {
    QueueSpec {
        policy: None,
        name: name.into(),
        attributes: QueueAttributes::default(),
    }
}

fn put(at_ms: u64, bucket: &str, key: &str) -> Timed {
    Timed {
        principal: String::new(),
        at_ms,
        action: Action::PutObject {
            bucket: bucket.into(),
            key: key.into(),
            body: "(image bytes)".into(),
            content_type: "image/jpeg".into(),
        },
    }
}

fn bucket(name: &str, prefix: &str, suffix: &str, target: &str) -> BucketSpec {
    BucketSpec {
        policy: None,
        name: name.into(),
        versioning: Default::default(),
        notifications: vec![NotificationRule {
            id: format!("to-{target}"),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: prefix.into(),
            suffix: suffix.into(),
            target: Target::Lambda(target.into()),
        }],
    }
}

fn mapping(queue: &str, function: &str) -> Mapping {
    Mapping {
        queue: queue.into(),
        function: function.into(),
        ..Default::default()
    }
}

fn photo() -> Scenario {
    let labeler = function(
        "labeler",
        vec![
            Step::Run { ms: 800 },
            Step::PutObject {
                bucket: "photos".into(),
                key: "labels/{{Records.0.s3.object.key}}.json".into(),
                body: "{\"labels\": [\"cat\"]}".into(),
            },
            Step::Run { ms: 50 },
        ],
    );
    Scenario {
        buckets: vec![bucket("photos", "uploads/", ".jpg", "labeler")],
        functions: vec![labeler],
        actions: vec![
            put(0, "photos", "uploads/cat.jpg"),
            put(2_000, "photos", "uploads/my photo.jpg"),
            put(4_000, "photos", "notes/readme.txt"),
        ],
        horizon_ms: 15_000,
        seed: 1,
        ..Default::default()
    }
}

fn fanout() -> Scenario {
    let sub = |q: &str, filter: Option<&str>| SubscriptionSpec {
        endpoint: Endpoint::Sqs(q.into()),
        filter_policy: filter.map(str::to_string),
        filter_policy_scope: FilterPolicyScope::MessageAttributes,
        raw_message_delivery: true,
    };
    let worker = |n: &str| function(n, vec![Step::Run { ms: 200 }]);
    let actions = (0..6)
        .map(|k| {
            let kind = if k % 3 == 2 { "refund" } else { "order" };
            Timed {
                principal: String::new(),
                at_ms: k * 2_000,
                action: Action::Publish {
                    topic: "orders".into(),
                    message: format!("{{\"id\": {k}, \"type\": \"{kind}\"}}"),
                    attributes: vec![("type".into(), kind.into())],
                },
            }
        })
        .collect();
    Scenario {
        queues: vec![queue("billing"), queue("shipping"), queue("audit")],
        topics: vec![TopicSpec {
            policy: None,
            name: "orders".into(),
            subscriptions: vec![
                sub("billing", None),
                sub("shipping", Some(r#"{"type": ["order"]}"#)),
                sub("audit", None),
            ],
        }],
        functions: vec![worker("billing-worker"), worker("shipping-worker")],
        mappings: vec![
            mapping("billing", "billing-worker"),
            mapping("shipping", "shipping-worker"),
        ],
        actions,
        horizon_ms: 20_000,
        seed: 1,
        ..Default::default()
    }
}

fn dlq() -> Scenario {
    let worker = function(
        "worker",
        vec![
            Step::Run { ms: 300 },
            Step::Fail {
                when: When::FieldEquals {
                    path: "Records.0.body".into(),
                    value: "poison".into(),
                },
                error_type: "ValueError".into(),
                message: "cannot parse order {{Records.0.messageId}}".into(),
            },
        ],
    );
    let mut orders = queue("orders");
    orders.attributes.redrive_policy = Some(RedrivePolicy {
        dead_letter_target: "orders-dlq".into(),
        max_receive_count: 3,
    });
    let mut m = mapping("orders", "worker");
    m.batch_size = 1;
    Scenario {
        queues: vec![queue("orders-dlq"), orders],
        functions: vec![worker],
        mappings: vec![m],
        actions: vec![
            send(0, "orders", "order 1"),
            send(1, "orders", "poison"),
            send(2, "orders", "order 2"),
        ],
        horizon_ms: 150_000,
        seed: 1,
        ..Default::default()
    }
}

fn asynchronous() -> Scenario {
    let mut f = function(
        "thumbnail",
        vec![
            Step::Run { ms: 400 },
            Step::Fail {
                when: When::Always,
                error_type: "Error".into(),
                message: "image library not found".into(),
            },
        ],
    );
    f.async_config = AsyncConfig {
        on_failure: Some(Destination::Sqs("failures".into())),
        ..Default::default()
    };
    Scenario {
        queues: vec![queue("failures")],
        functions: vec![f],
        actions: vec![Timed {
            principal: String::new(),
            at_ms: 0,
            action: Action::Invoke {
                function: "thumbnail".into(),
                payload: serde_json::json!({"key": "uploads/cat.jpg"}),
                asynchronous: true,
            },
        }],
        horizon_ms: 240_000,
        seed: 1,
        ..Default::default()
    }
}

fn partial() -> Scenario {
    let worker = function(
        "worker",
        vec![
            Step::Run { ms: 250 },
            Step::ReportBatchItemFailures {
                when: When::FieldEquals {
                    path: "body".into(),
                    value: "bad".into(),
                },
            },
        ],
    );
    let mut m = mapping("orders", "worker");
    m.batch_size = 5;
    m.maximum_batching_window_seconds = 1;
    m.report_batch_item_failures = true;
    let bodies = ["ok", "bad", "ok", "bad", "ok"];
    Scenario {
        queues: vec![queue("orders")],
        functions: vec![worker],
        mappings: vec![m],
        actions: bodies.iter().map(|b| send(0, "orders", b)).collect(),
        horizon_ms: 70_000,
        seed: 1,
        ..Default::default()
    }
}

fn throttle() -> Scenario {
    let mut f = function("encoder", vec![Step::Run { ms: 3_000 }]);
    f.timeout_s = 10;
    f.reserved_concurrency = Some(2);
    Scenario {
        functions: vec![f],
        actions: (0..10)
            .map(|k| Timed {
                principal: String::new(),
                at_ms: 0,
                action: Action::Invoke {
                    function: "encoder".into(),
                    payload: serde_json::json!({ "video": k }),
                    asynchronous: true,
                },
            })
            .collect(),
        horizon_ms: 40_000,
        seed: 1,
        ..Default::default()
    }
}

fn recursive() -> Scenario {
    let resizer = function(
        "resizer",
        vec![
            Step::Run { ms: 200 },
            Step::PutObject {
                bucket: "photos".into(),
                key: "small-{{Records.0.s3.object.key}}".into(),
                body: "(smaller bytes)".into(),
            },
        ],
    );
    Scenario {
        buckets: vec![bucket("photos", "", "", "resizer")],
        functions: vec![resizer],
        actions: vec![put(0, "photos", "cat.jpg")],
        horizon_ms: 15_000,
        seed: 1,
        ..Default::default()
    }
}

fn table(name: &str, billing: Billing, stream: Option<StreamView>) -> TableSpec {
    TableSpec {
        billing,
        stream,
        ..TableSpec::new(name, KeyAttr::new("id", KeyType::S))
    }
}

fn call(operation: Operation, table: &str, item: &str) -> Request {
    Request {
        operation,
        table: table.into(),
        item: item.into(),
        ..Default::default()
    }
}

fn dynamo(at_ms: u64, call: Request) -> Timed {
    Timed {
        principal: String::new(),
        at_ms,
        action: Action::DynamoDb { call },
    }
}

fn http(at_ms: u64, method: &str, path: &str, body: &str) -> Timed {
    Timed {
        principal: String::new(),
        at_ms,
        action: Action::HttpRequest {
            api: "orders-api".into(),
            method: method.into(),
            path: path.into(),
            body: body.into(),
            api_key: None,
            per_second: 0,
            for_seconds: 0,
        },
    }
}

fn respond(when: When, status_code: u16, body: &str) -> Step {
    Step::Return {
        when,
        status_code,
        body: body.into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
    }
}

fn api() -> Scenario {
    let put = Request {
        condition: "attribute_not_exists(id)".into(),
        ..call(Operation::PutItem, "orders", "{{body}}")
    };
    let create = function(
        "create-order",
        vec![
            Step::Run { ms: 30 },
            Step::DynamoDb {
                call: put,
                catch: vec!["ConditionalCheckFailedException".into()],
            },
            respond(
                When::FieldEquals {
                    path: "result.Error.Code".into(),
                    value: "ConditionalCheckFailedException".into(),
                },
                409,
                r#"{"message": "this order exists"}"#,
            ),
            respond(When::Always, 201, "{{body}}"),
        ],
    );
    let get = function(
        "get-order",
        vec![
            Step::Run { ms: 10 },
            Step::DynamoDb {
                call: call(
                    Operation::GetItem,
                    "orders",
                    r#"{"id": "{{pathParameters.id}}"}"#,
                ),
                catch: vec![],
            },
            respond(
                When::Missing {
                    path: "result.Item".into(),
                },
                404,
                r#"{"message": "no such order"}"#,
            ),
            respond(When::Always, 200, "{{result.Item}}"),
        ],
    );
    let mut report = function(
        "daily-report",
        vec![
            Step::Run { ms: 31_000 },
            respond(When::Always, 200, r#"{"orders": 1}"#),
        ],
    );
    report.timeout_s = 60;
    let route = |method: &str, path: &str, function: &str| Route {
        method: method.into(),
        path: path.into(),
        function: function.into(),
        api_key_required: false,
    };
    let mut load = http(50_000, "GET", "/orders/o-1", "");
    if let Action::HttpRequest {
        per_second,
        for_seconds,
        ..
    } = &mut load.action
    {
        *per_second = 100;
        *for_seconds = 2;
    }
    Scenario {
        tables: vec![table("orders", Billing::OnDemand, None)],
        functions: vec![create, get, report],
        apis: vec![ApiSpec {
            name: "orders-api".into(),
            routes: vec![
                route("POST", "/orders", "create-order"),
                route("GET", "/orders/{id}", "get-order"),
                route("GET", "/reports/daily", "daily-report"),
            ],
            rate_limit: Some(20.0),
            burst_limit: Some(40),
            ..Default::default()
        }],
        actions: vec![
            http(0, "POST", "/orders", r#"{"id": "o-1", "total": 20}"#),
            http(1_000, "POST", "/orders", r#"{"id": "o-1", "total": 99}"#),
            http(2_000, "GET", "/orders/o-1", ""),
            http(3_000, "GET", "/orders/o-9", ""),
            http(4_000, "GET", "/order/o-1", ""),
            http(5_000, "GET", "/reports/daily", ""),
            load,
        ],
        horizon_ms: 60_000,
        seed: 1,
        ..Default::default()
    }
}

fn orders() -> Scenario {
    let put = Request {
        condition: "attribute_not_exists(id)".into(),
        ..call(
            Operation::PutItem,
            "orders",
            r#"{"id": "{{Records.0.body}}", "status": "new"}"#,
        )
    };
    let writer = function(
        "writer",
        vec![
            Step::Run { ms: 40 },
            Step::DynamoDb {
                call: put,
                catch: vec!["ConditionalCheckFailedException".into()],
            },
            Step::Run { ms: 10 },
        ],
    );
    let mut m = mapping("orders-in", "writer");
    m.batch_size = 1;
    let get = |consistent| Request {
        consistent_read: consistent,
        ..call(Operation::GetItem, "orders", r#"{"id": "o-1"}"#)
    };
    Scenario {
        queues: vec![queue("orders-in")],
        tables: vec![table("orders", Billing::OnDemand, None)],
        functions: vec![writer],
        mappings: vec![m],
        actions: vec![
            send(0, "orders-in", "o-1"),
            send(1, "orders-in", "o-2"),
            send(2, "orders-in", "o-1"),
            send(3, "orders-in", "o-3"),
            dynamo(10_000, get(false)),
            dynamo(11_000, get(true)),
            dynamo(
                12_000,
                Request {
                    key_condition: "id = :id".into(),
                    values: r#"{":id": "o-2"}"#.into(),
                    ..call(Operation::Query, "orders", "")
                },
            ),
        ],
        horizon_ms: 20_000,
        seed: 1,
        ..Default::default()
    }
}

fn stream() -> Scenario {
    let notifier = function(
        "notifier",
        vec![
            Step::Run { ms: 30 },
            Step::Fail {
                when: When::FieldEquals {
                    path: "Records.*.dynamodb.NewImage.id.S".into(),
                    value: "o-bad".into(),
                },
                error_type: "ValueError".into(),
                message: "order {{Records.0.dynamodb.NewImage.id.S}} has no customer".into(),
            },
            Step::Publish {
                topic: "order-events".into(),
                message: "new order {{Records.0.dynamodb.NewImage.id.S}}".into(),
                attributes: vec![],
            },
        ],
    );
    let sub = |q: &str| SubscriptionSpec {
        endpoint: Endpoint::Sqs(q.into()),
        filter_policy: None,
        filter_policy_scope: FilterPolicyScope::MessageAttributes,
        raw_message_delivery: true,
    };
    let ids = ["o-1", "o-2", "o-3", "o-bad", "o-5", "o-6", "o-7"];
    Scenario {
        queues: vec![queue("email"), queue("analytics"), queue("stream-failures")],
        topics: vec![TopicSpec {
            policy: None,
            name: "order-events".into(),
            subscriptions: vec![sub("email"), sub("analytics")],
        }],
        tables: vec![table(
            "orders",
            Billing::OnDemand,
            Some(StreamView::NewImage),
        )],
        functions: vec![notifier],
        // One record a batch: the notifier reads only the first record of its event.
        stream_mappings: vec![StreamMapping {
            table: "orders".into(),
            function: "notifier".into(),
            batch_size: 1,
            ..Default::default()
        }],
        actions: ids
            .iter()
            .enumerate()
            .map(|(k, id)| {
                dynamo(
                    k as u64 * 1000,
                    call(
                        Operation::PutItem,
                        "orders",
                        &format!(r#"{{"id": "{id}", "total": {}}}"#, 10 * (k + 1)),
                    ),
                )
            })
            .collect(),
        horizon_ms: 120_000,
        seed: 1,
        ..Default::default()
    }
}

fn checkout() -> Scenario {
    let buy = |at_ms: u64, order: &str| {
        let json = format!(
            r#"[{{"Update": {{"TableName": "stock", "Key": {{"id": "widget"}}, "UpdateExpression": "SET qty = qty - :one", "ConditionExpression": "qty >= :one", "ExpressionAttributeValues": {{":one": 1}}}}}}, {{"Put": {{"TableName": "orders", "Item": {{"id": "{order}", "item": "widget"}}, "ConditionExpression": "attribute_not_exists(id)"}}}}]"#
        );
        dynamo(at_ms, call(Operation::TransactWriteItems, "", &json))
    };
    let clicks: Vec<String> = (1..=25)
        .map(|k| format!(r#"{{"PutRequest": {{"Item": {{"id": "c-{k}", "page": "/checkout"}}}}}}"#))
        .collect();
    Scenario {
        tables: vec![
            table("stock", Billing::OnDemand, None),
            table("orders", Billing::OnDemand, None),
            table("clicks", Billing::Provisioned { read: 1, write: 1 }, None),
        ],
        actions: vec![
            dynamo(
                0,
                call(Operation::PutItem, "stock", r#"{"id": "widget", "qty": 2}"#),
            ),
            buy(1_000, "o-1"),
            buy(2_000, "o-1"),
            buy(3_000, "o-2"),
            buy(4_000, "o-3"),
            dynamo(
                5_000,
                call(
                    Operation::TransactGetItems,
                    "",
                    r#"[{"Get": {"TableName": "orders", "Key": {"id": "o-1"}}}, {"Get": {"TableName": "stock", "Key": {"id": "widget"}}}]"#,
                ),
            ),
            dynamo(
                6_000,
                call(
                    Operation::BatchWriteItem,
                    "",
                    &format!(r#"{{"clicks": [{}]}}"#, clicks.join(", ")),
                ),
            ),
        ],
        horizon_ms: 30_000,
        seed: 1,
        ..Default::default()
    }
}

fn hot() -> Scenario {
    let put = |at_ms: u64, n: usize| {
        dynamo(
            at_ms,
            call(
                Operation::PutItem,
                "readings",
                &format!(r#"{{"id": "r-{n}", "celsius": 21}}"#),
            ),
        )
    };
    // 2 a second for 60 s, then 20 a second for 30 s.
    let mut actions: Vec<Timed> = (0..120).map(|n| put(n as u64 * 500, n)).collect();
    actions.extend((0..600).map(|n| put(60_000 + n as u64 * 50, 120 + n)));
    Scenario {
        tables: vec![table(
            "readings",
            Billing::Provisioned { read: 5, write: 5 },
            None,
        )],
        actions,
        horizon_ms: 100_000,
        seed: 1,
        ..Default::default()
    }
}

/// The scenario of template `id`; an unknown id (a damaged link) opens the first.
pub fn scenario(id: &str) -> Scenario {
    let mut s = wired(id);
    // Every template starts least-privilege: each role allowed exactly its function's
    // calls, each resource's policy letting in exactly the services wired to it.
    super::grants::least_privilege(&mut s);
    if id == "denied" {
        lab_missing_permission(&mut s);
    }
    s
}

/// The lab: the course's API app with one permission missing from the reader's role.
fn lab_missing_permission(s: &mut Scenario) {
    for i in &mut s.identities {
        for d in &mut i.policies {
            d.text = d.text.replace("\"dynamodb:GetItem\"", "\"dynamodb:Query\"");
        }
    }
}

fn wired(id: &str) -> Scenario {
    match id {
        "fanout" => fanout(),
        "dlq" => dlq(),
        "async" => asynchronous(),
        "partial" => partial(),
        "throttle" => throttle(),
        "loop" => recursive(),
        "orders" => orders(),
        "api" | "denied" => api(),
        "stream" => stream(),
        "hot" => hot(),
        "checkout" => checkout(),
        "empty" => Scenario {
            horizon_ms: 60_000,
            seed: 1,
            ..Default::default()
        },
        _ => photo(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Each template shows what it says it shows.
    #[test]
    fn every_template_runs_and_shows_its_lesson() {
        let run = |id: &str| scenario(id).run().unwrap();
        let has = |o: &super::super::scenario::Outcome, code: &str| {
            o.trace.iter().filter(|e| e.code == code).count()
        };
        let photo = run("photo");
        assert_eq!(
            photo.counters["labeler"].invocations, 2,
            "not for notes/readme.txt, not for labels/"
        );
        assert!(photo
            .trace
            .iter()
            .any(|e| e.text.contains("key in the event: uploads/my+photo.jpg")));
        let fan = run("fanout");
        assert_eq!(
            has(&fan, "SNS_FILTERED_OUT"),
            2,
            "two refunds kept from shipping"
        );
        assert_eq!(
            fan.counters["billing-worker"].invocations
                + fan.counters["shipping-worker"].invocations,
            6 + 4
        );
        let dlq = run("dlq");
        let moved: Vec<_> = dlq
            .trace
            .iter()
            .filter(|e| e.code == "SQS_MOVED_TO_DLQ")
            .collect();
        assert_eq!(moved.len(), 1);
        assert!(moved[0].text.contains("after maxReceiveCount 3"));
        let a = run("async");
        assert_eq!(a.counters["thumbnail"].invocations, 3);
        assert!(a.trace.iter().any(|e| e.code == "LAMBDA_RETRIES_EXHAUSTED"));
        assert_eq!(a.counters["failures"].sent, 1);
        let p = run("partial");
        assert!(p
            .trace
            .iter()
            .any(|e| e.text == "DeleteMessage m-1, m-3, m-5"));
        let t = run("throttle");
        assert_eq!(t.counters["encoder"].invocations, 10);
        assert!(t.counters["encoder"].throttles >= 8);
        let l = run("loop");
        assert_eq!(l.counters["resizer"].recursive_dropped, 1);
        let a = run("api");
        let answers: Vec<(u16, String)> = a
            .api_calls
            .iter()
            .filter(|c| c.at_ms < 50_000)
            .map(|c| (c.status.unwrap_or(0), c.body.clone()))
            .collect();
        assert_eq!(
            answers,
            [
                (201, r#"{"id": "o-1", "total": 20}"#.to_string()),
                (409, r#"{"message": "this order exists"}"#.to_string()),
                (200, r#"{"id":"o-1","total":20}"#.to_string()),
                (404, r#"{"message": "no such order"}"#.to_string()),
                (
                    403,
                    r#"{"message":"Missing Authentication Token"}"#.to_string()
                ),
                (
                    504,
                    r#"{"message":"Endpoint request timed out"}"#.to_string()
                ),
            ]
        );
        let late = a.api_calls.iter().find(|c| c.status == Some(504)).unwrap();
        assert_eq!(late.latency_ms, Some(29_000));
        assert!(a.trace.iter().any(|e| e.code == "APIGW_LATE_RESULT"));
        // 200 requests in 2 s against 20 a second with a burst of 40: 40 + 20 × 2 pass
        // (give or take the bucket's last token).
        let load: Vec<u16> = a
            .api_calls
            .iter()
            .filter(|c| c.at_ms >= 50_000)
            .filter_map(|c| c.status)
            .collect();
        let passed = load.iter().filter(|s| **s == 200).count();
        assert_eq!(load.len(), 200);
        assert!((79..=81).contains(&passed), "{passed}");
        assert_eq!(passed + load.iter().filter(|s| **s == 429).count(), 200);
        let o = run("orders");
        let t = &o.counters["table orders"];
        assert_eq!((t.writes, t.condition_failures, t.write_units), (3, 1, 4.0));
        assert!(o.trace.iter().any(|e| e.code == "LAMBDA_CAUGHT"));
        assert_eq!(
            o.counters["orders-in"].deleted, 4,
            "the duplicate is deleted too"
        );
        assert_eq!(o.items_at("orders", 20_000).len(), 3);
        // Eventually consistent, strongly consistent, then a Query: 0.5 + 1 + 0.5 RRU.
        assert_eq!((t.reads, t.read_units), (3, 2.0));
        let s = run("stream");
        assert_eq!(s.counters["table orders"].records_processed, 3);
        assert_eq!(
            s.counters["email"].sent, 3,
            "o-1 to o-3; o-5 on wait behind o-bad"
        );
        assert!(s.trace.iter().any(|e| e
            .text
            .contains("the shard is blocked: 3 later records wait behind")));
        let h = run("hot");
        let c = &h.counters["table readings"];
        // Burst capacity at 60 s: 5 units at the start + 3 saved a second for 60 s = 185;
        // at 20 writes a second against 5 refilled, it lasts 185 / 15 ≈ 12.3 s.
        let first = h
            .trace
            .iter()
            .find(|e| e.code == "DYNAMODB_THROTTLED")
            .unwrap()
            .at_ms;
        assert!((72_000..=73_000).contains(&first), "{first}");
        // Writes served from 60 s to 90 s: the 185 saved plus 5 a second for 30 s (150).
        assert!(
            (120 + 185 + 150 - 2..=120 + 185 + 150).contains(&c.writes),
            "{}",
            c.writes
        );
        let c = run("checkout");
        let stock = &c.counters["table stock"];
        let orders = &c.counters["table orders"];
        // Two committed checkouts: the stock update and the order put, 2 WRU each.
        assert_eq!((stock.writes, orders.writes), (1 + 2, 2));
        // Two committed puts (2 each), and each cancelled transaction's prepare (1 each).
        assert_eq!(orders.write_units, 4.0 + 2.0);
        assert_eq!(
            stock.write_units,
            1.0 + 4.0 + 2.0,
            "the first put, two commits, two prepares"
        );
        // The second o-1 fails on the order, o-3 on the stock: one failure each.
        assert_eq!(
            (stock.condition_failures, orders.condition_failures),
            (1, 1)
        );
        assert_eq!(
            has(&c, "DYNAMODB_TRANSACTION_CANCELED"),
            4,
            "two tables × two"
        );
        assert_eq!(c.items_at("orders", 30_000).len(), 2);
        let left = c.items_at("stock", 30_000);
        assert_eq!(
            crate::core::services::dynamodb::request::item_text(&left[0]),
            r#"{"id":"widget","qty":0}"#
        );
        // The snapshot read: two 1-block items, 2 RRU each.
        assert_eq!((stock.reads, stock.read_units), (1, 2.0));
        // 1 WCU a second, 1 banked at the start and 6 more by 6 s: 7 of 25 clicks written.
        let clicks = &c.counters["table clicks"];
        assert_eq!((clicks.write_units, clicks.throttles), (7.0, 18));
        assert_eq!(c.items_at("clicks", 30_000).len(), 7);
        assert!(c.trace.iter().any(|e| e.code == "DYNAMODB_UNPROCESSED"
            && e.text
                .starts_with("BatchWriteItem left 18 requests unprocessed")));
        for (id, _, _) in TEMPLATES {
            let o = run(id);
            assert!(!o.cut_short && o.samples.len() > 10, "{id}");
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod limits {
    use super::*;

    /// A crafted link cannot run away: a function writing 50 messages to its own queue per
    /// run is stopped by loop detection, and the run by its budgets, in bounded time.
    #[test]
    fn a_runaway_scenario_is_cut_short() {
        let steps = (0..50)
            .map(|_| Step::SendMessage {
                queue: "q".into(),
                body: "x".into(),
                group_id: None,
            })
            .collect();
        let mut s = Scenario {
            queues: vec![queue("q")],
            functions: vec![function("storm", steps)],
            mappings: vec![mapping("q", "storm")],
            actions: vec![send(0, "q", "go")],
            horizon_ms: 3_600_000,
            ..Default::default()
        };
        crate::core::views::flow::grants::least_privilege(&mut s);
        let o = s.run_limited(20_000).unwrap();
        assert!(o.trace.len() < 400_000);
        let mut big = s.clone();
        big.functions[0]
            .handler
            .steps
            .extend((0..10).map(|_| Step::Run { ms: 1 }));
        assert!(big.run().unwrap_err()[0].contains("at most 50"));
    }
}
