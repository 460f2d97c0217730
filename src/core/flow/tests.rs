//! The flow engine against AWS's documented behaviour (the issue's oracles).

use super::*;
use crate::core::services::lambda::{AsyncConfig, Destination, Handler, Step, When};
use crate::core::services::s3;
use crate::core::services::sns::filter::FilterPolicyScope;
use crate::core::services::sqs::{QueueAttributes, RedrivePolicy};

const S: u64 = 1000;

fn function(name: &str, steps: Vec<Step>) -> FunctionConfig {
    FunctionConfig {
        name: name.into(),
        handler: Handler { steps },
        ..Default::default()
    }
}

fn fails() -> Step {
    Step::Fail {
        when: When::Always,
        error_type: "Error".into(),
        message: "label service down".into(),
    }
}

fn codes(flow: &Flow, code: &str) -> Vec<u64> {
    flow.trace
        .entries()
        .iter()
        .filter(|e| e.code == code)
        .map(|e| e.at_ms)
        .collect()
}

/// An asynchronous function that always fails: attempts at 0, about 60 and about 180 s,
/// then the on-failure destination gets a record with RetriesExhausted and an
/// approximate invoke count of 3 (Lambda Developer Guide, asynchronous invocation).
#[test]
fn async_failures_retry_twice_then_go_to_the_destination() {
    let mut sqs = Sqs::default();
    sqs.create_queue("failures", QueueAttributes::default())
        .unwrap();
    let mut f = function("labeler", vec![Step::Run { ms: 200 }, fails()]);
    f.async_config = AsyncConfig {
        on_failure: Some(Destination::Sqs("failures".into())),
        ..Default::default()
    };
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns: Sns::default(),
            functions: vec![f],
            mappings: vec![],
            ..Default::default()
        },
        7,
    )
    .unwrap();
    flow.at(
        0,
        Action::Invoke {
            function: "labeler".into(),
            payload: json!({"key": "cat.jpg"}),
            asynchronous: true,
        },
    );
    flow.run_until(3600 * S);
    assert_eq!(codes(&flow, "LAMBDA_START"), [0, 60_200, 180_400]);
    assert_eq!(flow.counters["labeler"].invocations, 3);
    assert_eq!(flow.counters["labeler"].errors, 3);
    let (msgs, _) = flow
        .sqs
        .receive_message(3600 * S, "failures", 10, None, None)
        .unwrap();
    assert_eq!(msgs.len(), 1);
    let record: Value = serde_json::from_str(&msgs[0].body).unwrap();
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(record["requestPayload"], json!({"key": "cat.jpg"}));
    assert_eq!(
        record["responsePayload"]["errorMessage"],
        "label service down"
    );
    assert_eq!(
        record["requestContext"]["functionArn"],
        "arn:aws:lambda:us-east-1:111122223333:function:labeler:$LATEST"
    );
    // Every step says why, with its cause chained back to the scenario's call.
    let last = flow
        .trace
        .entries()
        .iter()
        .rev()
        .find(|e| e.code == "SQS_ENQUEUED")
        .unwrap();
    let chain: Vec<&str> = flow.trace.causes(last.id).iter().map(|e| e.code).collect();
    assert_eq!(chain.first(), Some(&"LAMBDA_INVOKE"));
    assert!(chain.contains(&"LAMBDA_RETRIES_EXHAUSTED"));
}

/// A batch of five where id2 and id4 fail, with ReportBatchItemFailures: the other three
/// are deleted and the two are visible again after the visibility timeout.
#[test]
fn partial_batch_responses_return_only_the_failed_messages() {
    let mut sqs = Sqs::default();
    sqs.create_queue("orders", QueueAttributes::default())
        .unwrap();
    let f = function(
        "worker",
        vec![Step::ReportBatchItemFailures {
            when: When::FieldEquals {
                path: "body".into(),
                value: "bad".into(),
            },
        }],
    );
    let mapping = Mapping {
        queue: "orders".into(),
        function: "worker".into(),
        batch_size: 5,
        maximum_batching_window_seconds: 1,
        report_batch_item_failures: true,
        ..Default::default()
    };
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns: Sns::default(),
            functions: vec![f.clone()],
            mappings: vec![mapping.clone()],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    for body in ["ok", "bad", "ok", "bad", "ok"] {
        flow.at(
            0,
            Action::SendMessage {
                queue: "orders".into(),
                body: body.into(),
                delay_seconds: None,
                group_id: None,
            },
        );
    }
    flow.run_until(10 * S);
    let deleted = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "SQS_DELETE_MESSAGE")
        .unwrap();
    assert_eq!(deleted.text, "DeleteMessage m-1, m-3, m-5");
    let kept = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "ESM_RETURNED_TO_QUEUE")
        .unwrap();
    assert!(
        kept.text
            .starts_with("m-2, m-4 not deleted (reported in batchItemFailures)"),
        "{}",
        kept.text
    );
    assert_eq!(flow.sqs.counts(10 * S, "orders").unwrap(), (0, 2, 0));
    flow.run_until(30 * S);
    // The full batch was received at once (the window waits only for a short batch) and
    // the two are visible again 30 s later.
    assert_eq!(codes(&flow, "SQS_VISIBLE_AGAIN"), [30 * S, 30 * S]);
    // Two are fewer than the batch size: the mapping gathers for its 1-second window.
    flow.run_until(32 * S);
    assert_eq!(codes(&flow, "ESM_BATCH"), [0, 31 * S]);
    // Without ReportBatchItemFailures the same response deletes all five.
    let plain = Mapping {
        report_batch_item_failures: false,
        ..mapping
    };
    let mut sqs = Sqs::default();
    sqs.create_queue("orders", QueueAttributes::default())
        .unwrap();
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns: Sns::default(),
            functions: vec![f],
            mappings: vec![plain],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    for body in ["ok", "bad", "ok", "bad", "ok"] {
        flow.at(
            0,
            Action::SendMessage {
                queue: "orders".into(),
                body: body.into(),
                delay_seconds: None,
                group_id: None,
            },
        );
    }
    flow.run_until(10 * S);
    assert_eq!(codes(&flow, "ESM_FAILURES_IGNORED").len(), 1);
    assert_eq!(flow.counters["orders"].deleted, 5);
}

/// A consumer that always fails, maxReceiveCount 3: three batches, then the message is
/// moved to the dead-letter queue on the next receive, and the trace says why.
#[test]
fn a_failing_consumer_sends_the_message_to_the_dlq() {
    let mut sqs = Sqs::default();
    sqs.create_queue("orders-dlq", QueueAttributes::default())
        .unwrap();
    sqs.create_queue(
        "orders",
        QueueAttributes {
            redrive_policy: Some(RedrivePolicy {
                dead_letter_target: "orders-dlq".into(),
                max_receive_count: 3,
            }),
            ..Default::default()
        },
    )
    .unwrap();
    let f = function("worker", vec![Step::Run { ms: 100 }, fails()]);
    let m = Mapping {
        queue: "orders".into(),
        function: "worker".into(),
        ..Default::default()
    };
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns: Sns::default(),
            functions: vec![f],
            mappings: vec![m],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        0,
        Action::SendMessage {
            queue: "orders".into(),
            body: "o-1".into(),
            delay_seconds: None,
            group_id: None,
        },
    );
    flow.run_until(600 * S);
    assert_eq!(codes(&flow, "ESM_BATCH"), [0, 30 * S, 60 * S]);
    let moved = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "SQS_MOVED_TO_DLQ")
        .unwrap();
    assert_eq!(moved.at_ms, 90 * S);
    assert_eq!(
        moved.text,
        "m-1 moved to orders-dlq: receive 4 after maxReceiveCount 3"
    );
    assert_eq!(flow.sqs.counts(600 * S, "orders-dlq").unwrap().0, 1);
    assert_eq!(flow.counters["orders"].moved_to_dlq, 1);
}

/// Fan-out (digest §15): three queues, one filtered to {"type":["order"]}. A refund
/// reaches two queues; an order three.
#[test]
fn sns_fans_out_through_filter_policies() {
    let mut sqs = Sqs::default();
    let mut sns = Sns::default();
    sns.create_topic("events").unwrap();
    for q in ["audit", "search", "orders"] {
        sqs.create_queue(q, QueueAttributes::default()).unwrap();
        let filter = (q == "orders").then_some(r#"{"type":["order"]}"#);
        sns.subscribe(
            "events",
            Endpoint::Sqs(q.into()),
            filter,
            FilterPolicyScope::MessageAttributes,
            true,
        )
        .unwrap();
    }
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns,
            functions: vec![],
            mappings: vec![],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let publish = |t: &str| Action::Publish {
        topic: "events".into(),
        message: format!("a {t}"),
        attributes: vec![("type".into(), t.into())],
    };
    flow.at(0, publish("refund"));
    flow.at(S, publish("order"));
    flow.run_until(2 * S);
    let depth = |flow: &mut Flow, q: &str| flow.sqs.counts(2 * S, q).unwrap().0;
    assert_eq!(
        (
            depth(&mut flow, "audit"),
            depth(&mut flow, "search"),
            depth(&mut flow, "orders")
        ),
        (2, 2, 1)
    );
    let filtered = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "SNS_FILTERED_OUT")
        .unwrap();
    assert_eq!(
        filtered.text,
        "n-1 not delivered to orders: “type” is \"refund\" and no value of the policy matches it"
    );
    assert_eq!(flow.counters["events"].delivered, 5);
}

/// Reserved concurrency 1: a second asynchronous event waits (throttled, retried after
/// 1 s, 2 s …) until the first run ends; a synchronous call at that moment gets 429.
#[test]
fn concurrency_limits_throttle() {
    let mut f = function("slow", vec![Step::Run { ms: 5_000 }]);
    f.timeout_s = 10;
    f.reserved_concurrency = Some(1);
    let mut flow = Flow::new(
        Resources {
            sqs: Sqs::default(),
            sns: Sns::default(),
            functions: vec![f],
            mappings: vec![],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    for _ in 0..2 {
        flow.at(
            0,
            Action::Invoke {
                function: "slow".into(),
                payload: json!({}),
                asynchronous: true,
            },
        );
    }
    flow.at(
        S,
        Action::Invoke {
            function: "slow".into(),
            payload: json!({}),
            asynchronous: false,
        },
    );
    flow.run_until(60 * S);
    assert_eq!(codes(&flow, "LAMBDA_START"), [0, 7 * S]);
    let throttles: Vec<String> = flow
        .trace
        .entries()
        .iter()
        .filter(|e| e.code == "LAMBDA_THROTTLED")
        .map(|e| e.text.clone())
        .collect();
    assert!(
        throttles
            .iter()
            .any(|t| t.starts_with("TooManyRequestsException (429)")),
        "{throttles:?}"
    );
    assert!(throttles[0].contains("retried in 1 s"), "{throttles:?}");
    assert_eq!(codes(&flow, "LAMBDA_THROTTLED"), [0, S, S, 3 * S]);
}

/// The same scenario gives the same trace, byte for byte.
#[test]
fn runs_are_deterministic() {
    let run = || {
        let mut sqs = Sqs::default();
        let mut sns = Sns::default();
        sqs.create_queue("q", QueueAttributes::default()).unwrap();
        sns.create_topic("t").unwrap();
        sns.subscribe(
            "t",
            Endpoint::Sqs("q".into()),
            None,
            FilterPolicyScope::MessageAttributes,
            false,
        )
        .unwrap();
        sns.subscribe(
            "t",
            Endpoint::Lambda("flaky".into()),
            None,
            FilterPolicyScope::MessageAttributes,
            false,
        )
        .unwrap();
        let flaky = function(
            "flaky",
            vec![
                Step::Run { ms: 50 },
                Step::Fail {
                    when: When::Probability(0.5),
                    error_type: "E".into(),
                    message: "m".into(),
                },
                Step::SendMessage {
                    queue: "q".into(),
                    body: "{{Records.0.Sns.MessageId}}".into(),
                    group_id: None,
                },
            ],
        );
        let worker = function("worker", vec![Step::Run { ms: 20 }]);
        let m = Mapping {
            queue: "q".into(),
            function: "worker".into(),
            ..Default::default()
        };
        let mut flow = Flow::new(
            Resources {
                sqs,
                sns,
                functions: vec![flaky, worker],
                mappings: vec![m],
                ..Default::default()
            },
            42,
        )
        .unwrap();
        for k in 0..50 {
            flow.at(
                k * 100,
                Action::Publish {
                    topic: "t".into(),
                    message: format!("m{k}"),
                    attributes: vec![],
                },
            );
        }
        flow.run_until(3600 * S);
        serde_json::to_string(flow.trace.entries()).unwrap()
    };
    let a = run();
    assert_eq!(a, run());
    assert!(a.len() > 10_000);
}

#[test]
fn bad_wiring_is_refused_with_the_reason() {
    let mut sqs = Sqs::default();
    sqs.create_queue("q", QueueAttributes::default()).unwrap();
    let f = function("worker", vec![]);
    let big = Mapping {
        queue: "q".into(),
        function: "worker".into(),
        batch_size: 100,
        ..Default::default()
    };
    let e = Flow::new(
        Resources {
            sqs: sqs.clone(),
            sns: Sns::default(),
            functions: vec![f.clone()],
            mappings: vec![big],
            ..Default::default()
        },
        1,
    )
    .err()
    .unwrap();
    assert!(e.message.contains("needs a MaximumBatchingWindowInSeconds"));
    let missing = Mapping {
        queue: "q".into(),
        function: "nope".into(),
        ..Default::default()
    };
    assert_eq!(
        Flow::new(
            Resources {
                sqs,
                sns: Sns::default(),
                functions: vec![f],
                mappings: vec![missing],
                ..Default::default()
            },
            1
        )
        .err()
        .unwrap()
        .code,
        "ResourceNotFoundException"
    );
}

/// The course's photo app (seed 000): an upload to `photos/uploads/` triggers the labeler,
/// which stores its labels under `labels/`; the key arrives URL-encoded.
#[test]
fn s3_uploads_trigger_the_function_with_the_encoded_key() {
    let mut s3 = S3::default();
    s3.create_bucket("photos").unwrap();
    s3.put_notifications(
        "photos",
        vec![s3::NotificationRule {
            id: "label-uploads".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: "uploads/".into(),
            suffix: ".jpg".into(),
            target: s3::Target::Lambda("labeler".into()),
        }],
    )
    .unwrap();
    let labeler = function(
        "labeler",
        vec![
            Step::Run { ms: 300 },
            Step::PutObject {
                bucket: "photos".into(),
                key: "labels/{{Records.0.s3.object.key}}.json".into(),
                body: "{\"labels\":[\"cat\"]}".into(),
            },
        ],
    );
    let mut flow = Flow::new(
        Resources {
            s3,
            functions: vec![labeler],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        0,
        Action::PutObject {
            bucket: "photos".into(),
            key: "uploads/my photo.jpg".into(),
            body: "jpeg bytes".into(),
            content_type: "image/jpeg".into(),
        },
    );
    flow.run_until(10 * S);
    let note = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "S3_NOTIFICATION")
        .unwrap();
    assert_eq!(note.text, "ObjectCreated:Put of uploads/my photo.jpg → function labeler (rule label-uploads; key in the event: uploads/my+photo.jpg)");
    // The handler used the encoded key, as real code that forgets to decode it would.
    assert!(flow
        .s3
        .get_object("photos", "labels/uploads/my+photo.jpg.json")
        .is_ok());
    // The labels key does not match the rule's prefix: no second invocation.
    assert_eq!(flow.counters["labeler"].invocations, 1);
}

/// A function that writes back to the prefix that triggers it: Lambda's recursive loop
/// detection stops the chain after 16 invocations.
#[test]
fn a_recursive_trigger_is_stopped_and_explained() {
    let mut s3 = S3::default();
    s3.create_bucket("photos").unwrap();
    s3.put_notifications(
        "photos",
        vec![s3::NotificationRule {
            id: "all".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: String::new(),
            suffix: String::new(),
            target: s3::Target::Lambda("resizer".into()),
        }],
    )
    .unwrap();
    let resizer = function(
        "resizer",
        vec![
            Step::Run { ms: 100 },
            Step::PutObject {
                bucket: "photos".into(),
                key: "small-{{Records.0.s3.object.key}}".into(),
                body: "x".into(),
            },
        ],
    );
    let mut flow = Flow::new(
        Resources {
            s3,
            functions: vec![resizer],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        0,
        Action::PutObject {
            bucket: "photos".into(),
            key: "a.jpg".into(),
            body: "x".into(),
            content_type: String::new(),
        },
    );
    flow.run_until(600 * S);
    assert_eq!(flow.counters["resizer"].invocations, RECURSION_LIMIT as u64);
    assert_eq!(flow.counters["resizer"].recursive_dropped, 1);
    let stop = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "LAMBDA_RECURSIVE_LOOP_STOPPED")
        .unwrap();
    assert!(
        stop.text.contains("already ran 16 times in this chain"),
        "{}",
        stop.text
    );
}

/// The moves the diagram animates follow the wiring: scenario → topic → queue → function.
#[test]
fn moves_follow_the_wiring() {
    let mut sqs = Sqs::default();
    let mut sns = Sns::default();
    sqs.create_queue("orders", QueueAttributes::default())
        .unwrap();
    sns.create_topic("events").unwrap();
    sns.subscribe(
        "events",
        Endpoint::Sqs("orders".into()),
        None,
        FilterPolicyScope::MessageAttributes,
        true,
    )
    .unwrap();
    let f = function("worker", vec![Step::Run { ms: 10 }]);
    let m = Mapping {
        queue: "orders".into(),
        function: "worker".into(),
        ..Default::default()
    };
    let mut flow = Flow::new(
        Resources {
            sqs,
            sns,
            functions: vec![f],
            mappings: vec![m],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        0,
        Action::Publish {
            topic: "events".into(),
            message: "hi".into(),
            attributes: vec![],
        },
    );
    flow.run_until(5 * S);
    let hops: Vec<(&str, &str)> = flow
        .moves
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(
        hops,
        [
            ("scenario", "topic events"),
            ("topic events", "queue orders"),
            ("queue orders", "function worker")
        ]
    );
}

/// AWS's headline case of loop detection: a function writing to the queue that invokes it.
/// After 16 runs in one chain the batch is not processed; it goes to the queue's DLQ.
#[test]
fn a_function_feeding_its_own_queue_is_stopped() {
    let mut sqs = Sqs::default();
    sqs.create_queue("jobs-dlq", QueueAttributes::default())
        .unwrap();
    sqs.create_queue(
        "jobs",
        QueueAttributes {
            redrive_policy: Some(RedrivePolicy {
                dead_letter_target: "jobs-dlq".into(),
                max_receive_count: 5,
            }),
            ..Default::default()
        },
    )
    .unwrap();
    let f = function(
        "echo",
        vec![
            Step::Run { ms: 10 },
            Step::SendMessage {
                queue: "jobs".into(),
                body: "again".into(),
                group_id: None,
            },
        ],
    );
    let m = Mapping {
        queue: "jobs".into(),
        function: "echo".into(),
        batch_size: 1,
        ..Default::default()
    };
    let mut flow = Flow::new(
        Resources {
            sqs,
            functions: vec![f],
            mappings: vec![m],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        0,
        Action::SendMessage {
            queue: "jobs".into(),
            body: "start".into(),
            delay_seconds: None,
            group_id: None,
        },
    );
    flow.run_until(60 * S);
    assert_eq!(flow.counters["echo"].invocations, RECURSION_LIMIT as u64);
    let stop = flow
        .trace
        .entries()
        .iter()
        .find(|e| e.code == "LAMBDA_RECURSIVE_LOOP_STOPPED")
        .unwrap();
    assert!(
        stop.text
            .contains("sent to the queue's dead-letter queue jobs-dlq"),
        "{}",
        stop.text
    );
    assert_eq!(flow.sqs.counts(60 * S, "jobs-dlq").unwrap().0, 1);
    assert_eq!(flow.sqs.counts(60 * S, "jobs").unwrap(), (0, 0, 0));
}

/// A queue nobody polls records its own changes on time (the DLQ's message expiring).
#[test]
fn unpolled_queues_report_changes_when_they_happen() {
    let mut sqs = Sqs::default();
    sqs.create_queue(
        "short",
        QueueAttributes {
            message_retention_period: 60,
            ..Default::default()
        },
    )
    .unwrap();
    let mut flow = Flow::new(
        Resources {
            sqs,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        5 * S,
        Action::SendMessage {
            queue: "short".into(),
            body: "x".into(),
            delay_seconds: Some(10),
            group_id: None,
        },
    );
    flow.run_until(3600 * S);
    assert_eq!(codes(&flow, "SQS_DELAY_ENDED"), [15 * S]);
    assert_eq!(codes(&flow, "SQS_EXPIRED"), [65 * S]);
}

#[test]
fn mappings_and_concurrency_are_checked_as_lambda_does() {
    let mut sqs = Sqs::default();
    sqs.create_queue("q", QueueAttributes::default()).unwrap();
    sqs.create_queue(
        "f.fifo",
        QueueAttributes {
            fifo_queue: true,
            content_based_deduplication: true,
            ..Default::default()
        },
    )
    .unwrap();
    let mut slow = function("slow", vec![]);
    slow.timeout_s = 60;
    let m = Mapping {
        queue: "q".into(),
        function: "slow".into(),
        ..Default::default()
    };
    // Checked when the mapping is created; an account whose function was made slower
    // afterwards runs (and its messages may come back while still being processed).
    let e = check_mapping(&m, &sqs, std::slice::from_ref(&slow), true)
        .err()
        .unwrap();
    assert_eq!(
        e.message,
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
    );
    assert!(Flow::new(
        Resources {
            sqs: sqs.clone(),
            functions: vec![slow.clone()],
            mappings: vec![m.clone()],
            ..Default::default()
        },
        1,
    )
    .is_ok());
    let m = Mapping {
        queue: "f.fifo".into(),
        function: "w".into(),
        maximum_batching_window_seconds: 5,
        ..Default::default()
    };
    let e = Flow::new(
        Resources {
            sqs,
            functions: vec![function("w", vec![])],
            mappings: vec![m],
            ..Default::default()
        },
        1,
    )
    .err()
    .unwrap();
    assert!(e.message.contains("not supported for FIFO"));
    let mut a = function("a", vec![]);
    a.reserved_concurrency = Some(600);
    let mut b = function("b", vec![]);
    b.reserved_concurrency = Some(400);
    let e = Flow::new(
        Resources {
            functions: vec![a, b],
            ..Default::default()
        },
        1,
    )
    .err()
    .unwrap();
    assert!(e.message.contains("reserve 1000"), "{}", e.message);
}

/// A mapping's queue must hide a message at least as long as the function may run (checked
/// above), so the batch's delete always holds the latest receipt handle.
#[test]
fn a_batch_is_deleted_within_its_visibility_timeout() {
    let mut sqs = Sqs::default();
    sqs.create_queue(
        "q",
        QueueAttributes {
            visibility_timeout: 5,
            ..Default::default()
        },
    )
    .unwrap();
    let mut f = function("slow", vec![Step::Run { ms: 4_000 }]);
    f.timeout_s = 5;
    let m = Mapping {
        queue: "q".into(),
        function: "slow".into(),
        batch_size: 1,
        ..Default::default()
    };
    let mut flow = Flow::new(
        Resources {
            sqs,
            functions: vec![f],
            mappings: vec![m],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    flow.at(
        0,
        Action::SendMessage {
            queue: "q".into(),
            body: "x".into(),
            delay_seconds: None,
            group_id: None,
        },
    );
    flow.run_until(20 * S);
    assert!(codes(&flow, "SQS_STALE_RECEIPT").is_empty());
    assert_eq!(flow.counters["q"].deleted, 1);
}
