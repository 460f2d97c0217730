//! `aws sqs`, `aws sns`, `aws lambda` and `aws dynamodb` on the account's serverless
//! services, which the flow engine runs (`core::flow::client`): a message sent here is
//! picked up by the queue's event source mapping, a published notification reaches its
//! subscriptions, an item written here goes down the table's stream.
//!
//! Every call is authorized by the console's account (the caller's identity-based
//! policies, through the IAM evaluator) with the service's own access-denied code
//! (`AccessDeniedException` for DynamoDB and Lambda, `AuthorizationError` for SNS …), then
//! recorded in the flow's trace as the caller's. Response documents have the shapes of
//! the services' API references (SQS, SNS, Lambda, DynamoDB), keys in the order the CLI
//! prints them.

use super::args::{rc, Args, Kind, Op, Param, Usage};
use super::commands::{file_arg, p, principal, req, CallError, Identity};
use super::Console;
use crate::core::flow::client::Invoked;
use crate::core::flow::{denied_code, table_arn, Flow, Resources};
use crate::core::services::dynamodb::request::{item_json, Operation, Request as DynamoRequest};
use crate::core::services::dynamodb::table::{Billing, KeyAttr, KeyType, ReturnValues, TableSpec};
use crate::core::services::lambda::Ending;
use crate::core::services::s3::etag;
use crate::core::services::sns::Endpoint;
use crate::core::services::sqs::{QueueAttributes, SendOptions, Sent};
use crate::core::sim::{Arn, AwsError, Doc};

/// The caller's ARN, as the flow's trace names it.
pub fn actor(c: &Console, who: &Identity) -> String {
    who.caller.arn(&c.account.id)
}

/// Authorizes `action` on `resource` with the console's IAM; a denial carries the
/// service's own code (`access::denied_code`) and IAM's wording.
pub fn allow(
    c: &mut Console,
    who: &Identity,
    action: &str,
    resource: &str,
) -> Result<(), CallError> {
    if let Some(e) = &who.refused {
        return Err(e.clone().into());
    }
    if let Some(p) = principal(who).cloned() {
        if let Err(mut e) = c.authorize(&p, action, resource, true) {
            let (code, status) = denied_code(action);
            e.code = code;
            e.status = status;
            return Err(e.into());
        }
    }
    Ok(())
}

/// Runs `f` on the account's flow in its Region, or on an empty account elsewhere (the
/// account's resources are all in its Region).
pub fn in_region<T>(c: &mut Console, region: &str, f: impl FnOnce(&mut Flow) -> T) -> T {
    if region == c.account.region {
        return f(&mut c.flow);
    }
    match c.regions.entry(region.to_string()) {
        std::collections::btree_map::Entry::Occupied(mut o) => f(o.get_mut()),
        std::collections::btree_map::Entry::Vacant(v) => {
            match Flow::new(Resources::default(), 1) {
                Ok(mut other) => {
                    // It starts at the console's time.
                    other.run_until(c.account.now_ms);
                    f(v.insert(other))
                }
                Err(_) => f(&mut c.flow),
            }
        }
    }
}

fn usage(text: String) -> CallError {
    CallError::Usage(Usage {
        stderr: format!("\n{text}\n"),
        code: rc::USAGE,
    })
}

// ---------------------------------------------------------------- SQS

const QUEUE_URL: Param = req(
    "--queue-url",
    Kind::Str,
    "https://sqs.us-east-1.amazonaws.com/111122223333/<name>.",
);

pub const SQS_OPS: &[Op] = &[
    Op {
        name: "change-message-visibility",
        api: "ChangeMessageVisibility",
        doc: "Give a received message more (or less) time before it is visible again.",
        params: &[QUEUE_URL, req("--receipt-handle", Kind::Str, "From receive-message."), req("--visibility-timeout", Kind::Int, "Seconds from now (0: visible at once).")],
    },
    Op {
        name: "create-queue",
        api: "CreateQueue",
        doc: "Create a queue (a name ending in .fifo makes a FIFO queue).",
        params: &[req("--queue-name", Kind::Str, "The queue's name."), p("--attributes", Kind::Structs, "VisibilityTimeout=60,DelaySeconds=5,RedrivePolicy=… (or JSON).")],
    },
    Op { name: "delete-message", api: "DeleteMessage", doc: "Delete a received message with its receipt handle.", params: &[QUEUE_URL, req("--receipt-handle", Kind::Str, "From receive-message.")] },
    Op { name: "delete-queue", api: "DeleteQueue", doc: "Delete a queue and its messages.", params: &[QUEUE_URL] },
    Op {
        name: "get-queue-attributes",
        api: "GetQueueAttributes",
        doc: "A queue's settings and its approximate message counts.",
        params: &[QUEUE_URL, p("--attribute-names", Kind::List, "All, or names such as ApproximateNumberOfMessages.")],
    },
    Op { name: "get-queue-url", api: "GetQueueUrl", doc: "A queue's URL from its name.", params: &[req("--queue-name", Kind::Str, "The queue's name.")] },
    Op { name: "list-queues", api: "ListQueues", doc: "The account's queue URLs.", params: &[p("--queue-name-prefix", Kind::Str, "Only names that start with it.")] },
    Op { name: "purge-queue", api: "PurgeQueue", doc: "Delete every message of a queue.", params: &[QUEUE_URL] },
    Op {
        name: "receive-message",
        api: "ReceiveMessage",
        doc: "Receive up to 10 messages: each stays invisible for the visibility timeout until you delete it.",
        params: &[
            QUEUE_URL,
            p("--max-number-of-messages", Kind::Int, "1–10 (default 1)."),
            p("--visibility-timeout", Kind::Int, "Seconds, instead of the queue's."),
            p("--wait-time-seconds", Kind::Int, "Long polling: wait up to 20 s for a message."),
            p("--attribute-names", Kind::List, "All, or ApproximateReceiveCount, SentTimestamp …"),
            p("--message-attribute-names", Kind::List, "Accepted."),
        ],
    },
    Op {
        name: "send-message",
        api: "SendMessage",
        doc: "Send a message to a queue.",
        params: &[
            QUEUE_URL,
            req("--message-body", Kind::Str, "The message (up to 256 KiB)."),
            p("--delay-seconds", Kind::Int, "Invisible for this long first (0–900; standard queues)."),
            p("--message-group-id", Kind::Str, "FIFO: the group (order is kept within it)."),
            p("--message-deduplication-id", Kind::Str, "FIFO: duplicates within 5 minutes are dropped."),
        ],
    },
];

/// A queue URL of the account's Region: the queue's name.
fn queue_name(c: &Console, region: &str, url: &str) -> Result<String, AwsError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let parts: Vec<&str> = rest.split('/').collect();
    // The queue is the account's if the URL names this account (and, when it names a
    // Region, the Region called).
    let here = |host: &str| {
        host.strip_prefix("sqs.")
            .and_then(|h| h.strip_suffix(".amazonaws.com"))
            .is_none_or(|r| r == region)
    };
    match parts.as_slice() {
        [host, account, name] if *account == c.account.id && !name.is_empty() && here(host) => {
            Ok(name.to_string())
        }
        [_host, _account, name] if !name.is_empty() => Err(AwsError::new(
            "AWS.SimpleQueueService.NonExistentQueue",
            400,
            format!("The specified queue {name} does not exist."),
        )),
        _ => Err(AwsError::new(
            "InvalidAddress",
            404,
            format!(
                "The address https://sqs.{region}.amazonaws.com/ is not valid for this endpoint."
            ),
        )),
    }
}

fn queue_url(region: &str, account: &str, name: &str) -> String {
    format!("https://sqs.{region}.amazonaws.com/{account}/{name}")
}

fn queue_arn(c: &Console, region: &str, name: &str) -> String {
    Arn::new("sqs", region, &c.account.id, name).to_string()
}

/// MD5 of a text, hex (SQS's MD5OfMessageBody).
fn md5_hex(text: &str) -> String {
    etag(text.as_bytes()).trim_matches('"').to_string()
}

/// `--attributes` of create-queue: shorthand `Key=Value,…` or a JSON object.
fn queue_attributes(a: &Args) -> Result<QueueAttributes, CallError> {
    let mut attrs = QueueAttributes::default();
    let raw = a.list("--attributes");
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let [one] = raw.as_slice() {
        if one.trim_start().starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(one).map_err(|e| {
                usage(format!(
                    "Error parsing parameter '--attributes': Invalid JSON: {e}\nJSON received: {one}"
                ))
            })?;
            for (k, v) in v.as_object().into_iter().flatten() {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                pairs.push((k.clone(), text));
            }
        }
    }
    if pairs.is_empty() {
        for w in &raw {
            // Values may hold commas (a RedrivePolicy's JSON): split only on the commas
            // outside braces, brackets and quotes that start a new Key=.
            let (mut depth, mut quoted, mut cur) = (0i32, false, String::new());
            let mut pieces = Vec::new();
            for ch in w.chars() {
                match ch {
                    '"' => quoted = !quoted,
                    '{' | '[' if !quoted => depth += 1,
                    '}' | ']' if !quoted => depth -= 1,
                    ',' if !quoted && depth <= 0 => {
                        pieces.push(std::mem::take(&mut cur));
                        continue;
                    }
                    _ => {}
                }
                cur.push(ch);
            }
            pieces.push(cur);
            let mut pair: Option<String> = None;
            for piece in pieces {
                let starts_key = piece.split_once('=').is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric())
                });
                match (&mut pair, starts_key) {
                    (Some(p), false) => {
                        p.push(',');
                        p.push_str(&piece);
                    }
                    _ => {
                        if let Some(p) = pair.take() {
                            pairs.push(split_pair(&p));
                        }
                        pair = Some(piece);
                    }
                }
            }
            if let Some(p) = pair.filter(|p| !p.is_empty()) {
                pairs.push(split_pair(&p));
            }
        }
    }
    let int = |k: &str, v: &str| -> Result<u32, CallError> {
        v.trim().parse::<u32>().map_err(|_| {
            AwsError::new(
                "InvalidAttributeValue",
                400,
                format!("Invalid value for the parameter {k}."),
            )
            .into()
        })
    };
    for (k, v) in pairs {
        match k.as_str() {
            "VisibilityTimeout" => attrs.visibility_timeout = int(&k, &v)?,
            "MessageRetentionPeriod" => attrs.message_retention_period = int(&k, &v)?,
            "DelaySeconds" => attrs.delay_seconds = int(&k, &v)?,
            "ReceiveMessageWaitTimeSeconds" => {
                attrs.receive_message_wait_time_seconds = int(&k, &v)?
            }
            "MaximumMessageSize" => attrs.maximum_message_size = int(&k, &v)?,
            "FifoQueue" => attrs.fifo_queue = v.eq_ignore_ascii_case("true"),
            "ContentBasedDeduplication" => {
                attrs.content_based_deduplication = v.eq_ignore_ascii_case("true")
            }
            "RedrivePolicy" => {
                let r: serde_json::Value = serde_json::from_str(&v).map_err(|_| {
                    AwsError::new("InvalidAttributeValue", 400, "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.")
                })?;
                let target = r["deadLetterTargetArn"].as_str().unwrap_or_default();
                let count = match &r["maxReceiveCount"] {
                    serde_json::Value::String(s) => s.parse().ok(),
                    serde_json::Value::Number(n) => {
                        n.as_u64().map(|n| n.min(u32::MAX as u64) as u32)
                    }
                    _ => None,
                };
                let (Some(count), Some(name)) =
                    (count, target.rsplit(':').next().filter(|n| !n.is_empty()))
                else {
                    return Err(AwsError::new("InvalidAttributeValue", 400, "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy needs deadLetterTargetArn and maxReceiveCount.").into());
                };
                attrs.redrive_policy = Some(crate::core::services::sqs::RedrivePolicy {
                    dead_letter_target: name.to_string(),
                    max_receive_count: count,
                });
            }
            other => {
                return Err(AwsError::new(
                    "InvalidAttributeName",
                    400,
                    format!("Unknown Attribute {other}."),
                )
                .into())
            }
        }
    }
    Ok(attrs)
}

fn split_pair(s: &str) -> (String, String) {
    let (k, v) = s.split_once('=').unwrap_or((s, ""));
    (k.trim().to_string(), v.to_string())
}

/// Attribute names SQS knows that this queue may not have (absent from the answer, not
/// refused).
const OTHER_QUEUE_ATTRIBUTES: &[&str] = &[
    "Policy",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
    "DeduplicationScope",
    "FifoThroughputLimit",
];

/// `aws sqs <operation>`.
pub fn sqs(
    c: &mut Console,
    who: &Identity,
    region: &str,
    op: &Op,
    a: &Args,
) -> Result<Doc, CallError> {
    let who_arn = actor(c, who);
    let account = c.account.id.clone();
    let name = match a.str("--queue-url") {
        Some(url) => Some(queue_name(c, region, url)?),
        None => a.str("--queue-name").map(str::to_string),
    };
    let name = name.unwrap_or_default();
    let arn = queue_arn(c, region, &name);
    let action = format!("sqs:{}", op.api);
    match op.name {
        "list-queues" => {
            allow(c, who, &action, "*")?;
            let prefix = a.str("--queue-name-prefix").unwrap_or("").to_string();
            let names: Vec<String> = in_region(c, region, |f| {
                f.client_list(&who_arn, "ListQueues");
                f.sqs
                    .queues
                    .keys()
                    .filter(|n| n.starts_with(&prefix))
                    .cloned()
                    .collect()
            });
            if names.is_empty() {
                return Ok(Doc::Map(vec![]));
            }
            Ok(Doc::obj([(
                "QueueUrls",
                Doc::List(
                    names
                        .iter()
                        .map(|n| queue_url(region, &account, n).into())
                        .collect(),
                ),
            )]))
        }
        "create-queue" => {
            allow(c, who, &action, &arn)?;
            // A name ending in .fifo needs FifoQueue=true (SQS refuses it otherwise).
            let attrs = queue_attributes(a)?;
            in_region(c, region, |f| f.create_queue_now(&who_arn, &name, attrs))?;
            Ok(Doc::obj([(
                "QueueUrl",
                queue_url(region, &account, &name).into(),
            )]))
        }
        "get-queue-url" => {
            allow(c, who, &action, &arn)?;
            let exists = in_region(c, region, |f| {
                f.client_list(&who_arn, "GetQueueUrl");
                f.sqs.queue(&name).map(|_| ())
            });
            exists?;
            Ok(Doc::obj([(
                "QueueUrl",
                queue_url(region, &account, &name).into(),
            )]))
        }
        "send-message" => {
            allow(c, who, &action, &arn)?;
            let body = file_arg(c, a.str("--message-body").unwrap_or(""))?;
            let opts = SendOptions {
                delay_seconds: match a.int("--delay-seconds") {
                    Some(d) if !(0..=900).contains(&d) => {
                        return Err(AwsError::new("InvalidParameterValue", 400, format!("Value {d} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")).into())
                    }
                    Some(d) => Some(d as u32),
                    None => None,
                },
                group_id: a.str("--message-group-id").map(str::to_string),
                dedup_id: a.str("--message-deduplication-id").map(str::to_string),
                ..Default::default()
            };
            let sent = in_region(c, region, |f| {
                f.send_message_now(&who_arn, &name, &body, opts)
            })?;
            let mut d = vec![("MD5OfMessageBody".to_string(), Doc::from(md5_hex(&body)))];
            match sent {
                Sent::Queued {
                    message_id,
                    sequence_number,
                } => {
                    d.push(("MessageId".into(), message_id.into()));
                    if let Some(n) = sequence_number {
                        d.push(("SequenceNumber".into(), format!("{n:020}").into()));
                    }
                }
                Sent::Duplicate { message_id } => d.push(("MessageId".into(), message_id.into())),
            }
            Ok(Doc::Map(d))
        }
        "receive-message" => {
            allow(c, who, &action, &arn)?;
            let max = a.int("--max-number-of-messages").unwrap_or(1);
            if !(1..=10).contains(&max) {
                return Err(AwsError::new("InvalidParameterValue", 400, format!("Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")).into());
            }
            let visibility = a.int("--visibility-timeout");
            let wait = a.int("--wait-time-seconds");
            let to_u32 = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
            let wait_s = match wait {
                Some(w) => to_u32(w),
                None => in_region(c, region, |f| {
                    f.sqs
                        .queues
                        .get(&name)
                        .map_or(0, |q| q.attributes.receive_message_wait_time_seconds)
                }),
            };
            let (vis, max) = (visibility.map(to_u32), max as u32);
            let (mut got, call) = in_region(c, region, |f| {
                f.receive_message_now(&who_arn, &name, max, vis, Some(wait_s))
            })?;
            // Long polling: the one call waits, second by second, for a message to arrive.
            let mut waited = 0;
            while got.is_empty() && waited < wait_s.min(20) {
                c.advance(1000);
                waited += 1;
                got = in_region(c, region, |f| {
                    f.receive_again(call, &name, max, vis, Some(0))
                })?;
            }
            if got.is_empty() {
                return Ok(Doc::Map(vec![]));
            }
            let want: Vec<String> = a.list("--attribute-names");
            let all = want.iter().any(|w| w == "All");
            let first_receipts: Vec<Option<u64>> = in_region(c, region, |f| {
                got.iter()
                    .map(|m| {
                        f.sqs
                            .queues
                            .get(&name)
                            .and_then(|q| q.messages.iter().find(|x| x.message_id == m.message_id))
                            .and_then(|x| x.first_receive_ms)
                    })
                    .collect()
            });
            let messages = got
                .into_iter()
                .zip(first_receipts)
                .map(|(m, first)| {
                    let mut d = vec![
                        ("MessageId".to_string(), Doc::from(m.message_id.clone())),
                        ("ReceiptHandle".into(), m.receipt_handle.clone().into()),
                        ("MD5OfBody".into(), md5_hex(&m.body).into()),
                        ("Body".into(), m.body.clone().into()),
                    ];
                    let mut attrs = vec![
                        (
                            "ApproximateFirstReceiveTimestamp".to_string(),
                            epoch_text(first.unwrap_or(m.sent_ms)),
                        ),
                        (
                            "ApproximateReceiveCount".into(),
                            m.receive_count.to_string().into(),
                        ),
                        ("SentTimestamp".into(), epoch_text(m.sent_ms)),
                    ];
                    if let Some(g) = &m.group_id {
                        attrs.push(("MessageGroupId".into(), g.clone().into()));
                    }
                    attrs.retain(|(k, _)| all || want.iter().any(|w| w == k));
                    if !attrs.is_empty() {
                        d.push(("Attributes".into(), Doc::Map(attrs)));
                    }
                    Doc::Map(d)
                })
                .collect();
            Ok(Doc::obj([("Messages", Doc::List(messages))]))
        }
        "delete-message" => {
            allow(c, who, &action, &arn)?;
            let handle = a.str("--receipt-handle").unwrap_or("").to_string();
            if !handle.starts_with("rh-") {
                return Err(AwsError::new(
                    "ReceiptHandleIsInvalid",
                    400,
                    format!("The input receipt handle \"{handle}\" is not a valid receipt handle."),
                )
                .into());
            }
            in_region(c, region, |f| {
                f.delete_message_now(&who_arn, &name, &handle)
            })?;
            Ok(Doc::Map(vec![]))
        }
        "change-message-visibility" => {
            allow(c, who, &action, &arn)?;
            let handle = a.str("--receipt-handle").unwrap_or("").to_string();
            let t = a
                .int("--visibility-timeout")
                .unwrap_or(0)
                .clamp(0, u32::MAX as i64) as u32;
            in_region(c, region, |f| {
                f.change_visibility_now(&who_arn, &name, &handle, t)
            })?;
            Ok(Doc::Map(vec![]))
        }
        "purge-queue" => {
            allow(c, who, &action, &arn)?;
            in_region(c, region, |f| f.purge_queue_now(&who_arn, &name))?;
            Ok(Doc::Map(vec![]))
        }
        "delete-queue" => {
            allow(c, who, &action, &arn)?;
            in_region(c, region, |f| f.delete_queue_now(&who_arn, &name))?;
            Ok(Doc::Map(vec![]))
        }
        _ => {
            // get-queue-attributes
            allow(c, who, &action, &arn)?;
            let (q, (visible, in_flight, delayed)) =
                in_region(c, region, |f| f.queue_attributes_now(&who_arn, &name))?;
            let mut attrs: Vec<(String, Doc)> = vec![
                ("QueueArn".into(), arn.clone().into()),
                (
                    "ApproximateNumberOfMessages".into(),
                    visible.to_string().into(),
                ),
                (
                    "ApproximateNumberOfMessagesNotVisible".into(),
                    in_flight.to_string().into(),
                ),
                (
                    "ApproximateNumberOfMessagesDelayed".into(),
                    delayed.to_string().into(),
                ),
                (
                    "VisibilityTimeout".into(),
                    q.visibility_timeout.to_string().into(),
                ),
                (
                    "MaximumMessageSize".into(),
                    q.maximum_message_size.to_string().into(),
                ),
                (
                    "MessageRetentionPeriod".into(),
                    q.message_retention_period.to_string().into(),
                ),
                ("DelaySeconds".into(), q.delay_seconds.to_string().into()),
                (
                    "ReceiveMessageWaitTimeSeconds".into(),
                    q.receive_message_wait_time_seconds.to_string().into(),
                ),
            ];
            if let Some(r) = &q.redrive_policy {
                let dlq = queue_arn(c, region, &r.dead_letter_target);
                attrs.push((
                    "RedrivePolicy".into(),
                    format!(
                        "{{\"deadLetterTargetArn\":\"{dlq}\",\"maxReceiveCount\":{}}}",
                        r.max_receive_count
                    )
                    .into(),
                ));
            }
            if q.fifo_queue {
                attrs.push(("FifoQueue".into(), "true".into()));
                attrs.push((
                    "ContentBasedDeduplication".into(),
                    q.content_based_deduplication.to_string().into(),
                ));
            }
            let want = a.list("--attribute-names");
            // Without --attribute-names the CLI asks for none and SQS answers none.
            if want.is_empty() {
                return Ok(Doc::Map(vec![]));
            }
            if !want.iter().any(|w| w == "All") {
                if let Some(unknown) = want.iter().find(|w| {
                    !attrs.iter().any(|(k, _)| k == *w)
                        && !OTHER_QUEUE_ATTRIBUTES.contains(&w.as_str())
                }) {
                    return Err(AwsError::new(
                        "InvalidAttributeName",
                        400,
                        format!("Unknown Attribute {unknown}."),
                    )
                    .into());
                }
                attrs.retain(|(k, _)| want.iter().any(|w| w == k));
            }
            Ok(Doc::obj([("Attributes", Doc::Map(attrs))]))
        }
    }
}

/// Unix epoch milliseconds as text (SQS timestamps), from virtual time.
fn epoch_text(ms: u64) -> Doc {
    (crate::core::flow::EPOCH_MS + ms).to_string().into()
}

// ---------------------------------------------------------------- SNS

const TOPIC_ARN: Param = req(
    "--topic-arn",
    Kind::Str,
    "arn:aws:sns:us-east-1:111122223333:<name>.",
);

pub const SNS_OPS: &[Op] = &[
    Op {
        name: "create-topic",
        api: "CreateTopic",
        doc: "Create a topic (or answer the existing one's ARN).",
        params: &[req("--name", Kind::Str, "The topic's name.")],
    },
    Op {
        name: "list-subscriptions",
        api: "ListSubscriptions",
        doc: "Every subscription of the account.",
        params: &[],
    },
    Op {
        name: "list-topics",
        api: "ListTopics",
        doc: "The account's topics.",
        params: &[],
    },
    Op {
        name: "publish",
        api: "Publish",
        doc: "Publish a message: each subscription whose filter policy matches gets it.",
        params: &[
            TOPIC_ARN,
            req("--message", Kind::Str, "The message."),
            p(
                "--subject",
                Kind::Str,
                "Accepted (email subscriptions are not modelled).",
            ),
            p(
                "--message-attributes",
                Kind::Str,
                "JSON: {\"kind\": {\"DataType\": \"String\", \"StringValue\": \"order\"}}.",
            ),
        ],
    },
    Op {
        name: "subscribe",
        api: "Subscribe",
        doc: "Subscribe a queue (sqs) or a function (lambda) of the account to a topic.",
        params: &[
            TOPIC_ARN,
            req("--protocol", Kind::Str, "sqs or lambda."),
            req(
                "--notification-endpoint",
                Kind::Str,
                "The queue's or function's ARN.",
            ),
            p(
                "--attributes",
                Kind::Str,
                "JSON: FilterPolicy, RawMessageDelivery.",
            ),
            p(
                "--return-subscription-arn",
                Kind::Flag,
                "Accepted (the ARN is always returned).",
            ),
        ],
    },
];

fn topic_arn(region: &str, account: &str, name: &str) -> String {
    Arn::new("sns", region, account, name).to_string()
}

/// The topic's name from its ARN (SNS answers NotFound for a topic it does not have).
fn topic_name(arn: &str, region: &str, account: &str) -> Result<String, AwsError> {
    match arn
        .strip_prefix("arn:aws:sns:")
        .map(|r| r.split(':').collect::<Vec<_>>())
    {
        Some(parts) if parts.len() == 3 && !parts[2].is_empty() => {
            if parts[0] != region || parts[1] != account {
                return Err(AwsError::new("NotFound", 404, "Topic does not exist"));
            }
            Ok(parts[2].to_string())
        }
        _ => Err(AwsError::new(
            "InvalidParameter",
            400,
            "Invalid parameter: TopicArn",
        )),
    }
}

/// `aws sns <operation>`.
pub fn sns(
    c: &mut Console,
    who: &Identity,
    region: &str,
    op: &Op,
    a: &Args,
) -> Result<Doc, CallError> {
    let who_arn = actor(c, who);
    let account = c.account.id.clone();
    let action = format!("sns:{}", op.api);
    match op.name {
        "create-topic" => {
            let name = a.str("--name").unwrap_or("").to_string();
            let arn = topic_arn(region, &account, &name);
            allow(c, who, &action, &arn)?;
            in_region(c, region, |f| f.create_topic_now(&who_arn, &name))?;
            Ok(Doc::obj([("TopicArn", arn.into())]))
        }
        "list-topics" => {
            allow(c, who, &action, "*")?;
            let names: Vec<String> = in_region(c, region, |f| {
                f.client_list(&who_arn, "ListTopics");
                f.sns.topics.keys().cloned().collect()
            });
            Ok(Doc::obj([(
                "Topics",
                Doc::List(
                    names
                        .iter()
                        .map(|n| Doc::obj([("TopicArn", topic_arn(region, &account, n).into())]))
                        .collect(),
                ),
            )]))
        }
        "list-subscriptions" => {
            allow(c, who, &action, "*")?;
            let subs: Vec<(String, String, Endpoint)> = in_region(c, region, |f| {
                f.client_list(&who_arn, "ListSubscriptions");
                f.sns
                    .topics
                    .values()
                    .flat_map(|t| {
                        t.subscriptions
                            .iter()
                            .map(move |s| (t.name.clone(), s.id.clone(), s.endpoint.clone()))
                    })
                    .collect()
            });
            Ok(Doc::obj([(
                "Subscriptions",
                Doc::List(
                    subs.into_iter()
                        .map(|(t, id, e)| {
                            let t_arn = topic_arn(region, &account, &t);
                            let (protocol, endpoint) = endpoint_doc(region, &account, &e);
                            Doc::obj([
                                ("SubscriptionArn", format!("{t_arn}:{id}").into()),
                                ("Owner", account.clone().into()),
                                ("Protocol", protocol.into()),
                                ("Endpoint", endpoint.into()),
                                ("TopicArn", t_arn.into()),
                            ])
                        })
                        .collect(),
                ),
            )]))
        }
        "subscribe" => {
            let arn = a.str("--topic-arn").unwrap_or("").to_string();
            let name = topic_name(&arn, region, &account)?;
            allow(c, who, &action, &arn)?;
            let protocol = a.str("--protocol").unwrap_or("");
            let target = a.str("--notification-endpoint").unwrap_or("");
            let endpoint_name = target.rsplit(':').next().unwrap_or(target).to_string();
            let endpoint = match protocol {
                "sqs" => Endpoint::Sqs(endpoint_name),
                "lambda" => Endpoint::Lambda(endpoint_name),
                other => {
                    return Err(AwsError::new(
                        "InvalidParameter",
                        400,
                        format!("Invalid parameter: Protocol {other}: the model delivers to sqs and lambda endpoints only (email, sms, http and firehose are not modelled)."),
                    )
                    .into())
                }
            };
            let (filter, raw) = match a.str("--attributes") {
                Some(text) => {
                    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
                        usage(format!("Error parsing parameter '--attributes': Invalid JSON: {e}\nJSON received: {text}"))
                    })?;
                    // Attributes is a map of strings: botocore refuses anything else.
                    let Some(map) = v.as_object() else {
                        return Err(usage(format!("Parameter validation failed:\nInvalid type for parameter Attributes, value: {v}, type: <class '{}'>, valid types: <class 'dict'>", py_type(&v))));
                    };
                    if let Some((k, x)) = map.iter().find(|(_, x)| !x.is_string()) {
                        return Err(usage(format!("Parameter validation failed:\nInvalid type for parameter Attributes.{k}, value: {x}, type: <class '{}'>, valid types: <class 'str'>", py_type(x))));
                    }
                    if let Some(k) = map.keys().find(|k| {
                        !["FilterPolicy", "FilterPolicyScope", "RawMessageDelivery"]
                            .contains(&k.as_str())
                    }) {
                        return Err(AwsError::new("InvalidParameter", 400, format!("Invalid parameter: Attributes Reason: {k}: the model reads FilterPolicy, FilterPolicyScope (MessageAttributes) and RawMessageDelivery.")).into());
                    }
                    if map
                        .get("FilterPolicyScope")
                        .and_then(|x| x.as_str())
                        .is_some_and(|x| x != "MessageAttributes")
                    {
                        return Err(AwsError::new("InvalidParameter", 400, "Invalid parameter: Attributes Reason: FilterPolicyScope MessageBody is set on the flow page (the console subscribes with MessageAttributes).").into());
                    }
                    (
                        map.get("FilterPolicy")
                            .and_then(|x| x.as_str())
                            .map(str::to_string),
                        map.get("RawMessageDelivery").and_then(|x| x.as_str()) == Some("true"),
                    )
                }
                None => (None, false),
            };
            let id = in_region(c, region, |f| {
                f.subscribe_now(&who_arn, &name, endpoint, filter.as_deref(), raw)
            })?;
            Ok(Doc::obj([(
                "SubscriptionArn",
                format!("{arn}:{id}").into(),
            )]))
        }
        _ => {
            // publish
            let arn = a.str("--topic-arn").unwrap_or("").to_string();
            let name = topic_name(&arn, region, &account)?;
            allow(c, who, &action, &arn)?;
            let message = file_arg(c, a.str("--message").unwrap_or(""))?;
            let mut attributes = Vec::new();
            if let Some(text) = a.str("--message-attributes") {
                let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
                    usage(format!("Error parsing parameter '--message-attributes': Invalid JSON: {e}\nJSON received: {text}"))
                })?;
                for (k, v) in v.as_object().into_iter().flatten() {
                    let value = v["StringValue"].as_str().unwrap_or_default();
                    attributes.push((k.clone(), value.to_string()));
                }
            }
            let id = in_region(c, region, |f| {
                f.publish_now(&who_arn, &name, &message, &attributes)
            })?;
            Ok(Doc::obj([("MessageId", id.into())]))
        }
    }
}

fn endpoint_doc(region: &str, account: &str, e: &Endpoint) -> (String, String) {
    match e {
        Endpoint::Sqs(q) => (
            "sqs".into(),
            Arn::new("sqs", region, account, q).to_string(),
        ),
        Endpoint::Lambda(f) => (
            "lambda".into(),
            Arn::new("lambda", region, account, &format!("function:{f}")).to_string(),
        ),
    }
}

// ---------------------------------------------------------------- Lambda

pub const LAMBDA_OPS: &[Op] = &[
    Op { name: "get-function", api: "GetFunction", doc: "A function's configuration.", params: &[req("--function-name", Kind::Str, "Its name or ARN.")] },
    Op {
        name: "invoke",
        api: "Invoke",
        doc: "Invoke a function: RequestResponse waits for its result (written to the outfile); Event queues it.",
        params: &[
            req("--function-name", Kind::Str, "Its name or ARN."),
            p("--payload", Kind::Str, "The event: base64, or JSON with --cli-binary-format raw-in-base64-out."),
            p("--invocation-type", Kind::Str, "RequestResponse (default), Event or DryRun."),
            p("--cli-binary-format", Kind::Str, "raw-in-base64-out: --payload is the JSON itself."),
            p("--log-type", Kind::Str, "Accepted (logs are in the trace)."),
            req("outfile", Kind::Paths(1), "Where the function's response goes."),
        ],
    },
    Op { name: "list-functions", api: "ListFunctions", doc: "The account's functions.", params: &[] },
];

/// A function's name from its name or ARN; an ARN of another Region or account names no
/// function here (`None`).
fn function_name(text: &str, region: &str, account: &str) -> Option<String> {
    match text.split_once(":function:") {
        Some((head, rest)) => {
            let here = head == format!("arn:aws:lambda:{region}:{account}");
            here.then(|| rest.split(':').next().unwrap_or(rest).to_string())
        }
        None => Some(text.to_string()),
    }
}

fn function_doc(
    c: &Console,
    region: &str,
    f: &crate::core::services::lambda::FunctionConfig,
) -> Doc {
    let account = &c.account.id;
    let role = if f.role.is_empty() {
        Doc::Null
    } else {
        Arn::iam_role(account, &f.role).to_string().into()
    };
    let mut d = vec![
        ("FunctionName".to_string(), Doc::from(f.name.clone())),
        (
            "FunctionArn".into(),
            Arn::new("lambda", region, account, &format!("function:{}", f.name))
                .to_string()
                .into(),
        ),
        ("Role".into(), role),
        ("Timeout".into(), Doc::Int(f.timeout_s as i64)),
        ("MemorySize".into(), Doc::Int(f.memory_mb as i64)),
        ("Version".into(), "$LATEST".into()),
        ("PackageType".into(), "Zip".into()),
        ("Architectures".into(), Doc::List(vec!["x86_64".into()])),
        (
            "EphemeralStorage".into(),
            Doc::obj([("Size", Doc::Int(512))]),
        ),
    ];
    if f.role.is_empty() {
        d.retain(|(k, _)| k != "Role");
    }
    Doc::Map(d)
}

/// Base64 as the CLI v2 reads blob parameters (standard alphabet, padded).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

/// `aws lambda <operation>`; `raw_blobs`: the profile's `cli_binary_format` is
/// `raw-in-base64-out`.
pub fn lambda(
    c: &mut Console,
    who: &Identity,
    region: &str,
    op: &Op,
    a: &Args,
    raw_blobs: bool,
) -> Result<Doc, CallError> {
    let who_arn = actor(c, who);
    let action = format!(
        "lambda:{}",
        if op.api == "Invoke" {
            "InvokeFunction"
        } else {
            op.api
        }
    );
    let given = a.str("--function-name").unwrap_or("").to_string();
    let name = function_name(&given, region, &c.account.id);
    let arn = match &name {
        Some(n) => Arn::new("lambda", region, &c.account.id, &format!("function:{n}")).to_string(),
        None => given.clone(),
    };
    // An ARN of another Region or account names no function here.
    let name = match (name, op.name) {
        (Some(n), _) => n,
        (None, "list-functions") => String::new(),
        (None, _) => return Err(not_found_function(&given).into()),
    };
    match op.name {
        "list-functions" => {
            allow(c, who, &action, "*")?;
            let fs: Vec<_> = in_region(c, region, |f| {
                f.client_list(&who_arn, "ListFunctions");
                f.functions.values().cloned().collect()
            });
            let docs = fs.iter().map(|f| function_doc(c, region, f)).collect();
            Ok(Doc::obj([("Functions", Doc::List(docs))]))
        }
        "get-function" => {
            allow(c, who, &action, &arn)?;
            let f = in_region(c, region, |f| {
                f.client_list(&who_arn, "GetFunction");
                f.functions.get(&name).cloned()
            });
            let Some(f) = f else {
                return Err(not_found_function(&arn).into());
            };
            Ok(Doc::obj([("Configuration", function_doc(c, region, &f))]))
        }
        _ => {
            allow(c, who, &action, &arn)?;
            let raw = a.str("--cli-binary-format") == Some("raw-in-base64-out") || raw_blobs;
            let payload_arg = a.str("--payload").unwrap_or("");
            // fileb:// is the file's bytes as they are, whatever the binary format.
            let binary_file = payload_arg.starts_with("fileb://");
            let given = match a.str("--payload") {
                Some(p) => file_arg(c, p)?,
                None => "{}".to_string(),
            };
            let text = if raw || binary_file {
                given
            } else {
                match base64_decode(&given).and_then(|b| String::from_utf8(b).ok()) {
                    Some(t) => t,
                    None => {
                        return Err(usage(format!("Invalid base64: \"{given}\"")));
                    }
                }
            };
            let payload: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
                AwsError::new(
                    "InvalidRequestContentException",
                    400,
                    "Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value",
                )
            })?;
            let kind = a.str("--invocation-type").unwrap_or("RequestResponse");
            if kind == "DryRun" {
                if !in_region(c, region, |f| f.functions.contains_key(&name)) {
                    return Err(not_found_function(&arn).into());
                }
                return Ok(Doc::obj([("StatusCode", Doc::Int(204))]));
            }
            if kind != "RequestResponse" && kind != "Event" {
                return Err(AwsError::new("ValidationException", 400, format!("1 validation error detected: Value '{kind}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")).into());
            }
            let before = c.flow.now_ms();
            let answer = in_region(c, region, |f| {
                f.invoke_now(&who_arn, &name, payload, kind == "Event")
            })?;
            let outfile = a.list("outfile").first().cloned().unwrap_or_default();
            match answer {
                Invoked::Accepted => {
                    let _ = super::host::write_file(c, &outfile, "", false);
                    Ok(Doc::obj([("StatusCode", Doc::Int(202))]))
                }
                Invoked::Ran(run) => {
                    // The caller waited for the run: the console's clock moves with it.
                    let waited = c.flow.now_ms().saturating_sub(before);
                    let (body, error) = match &run.ending {
                        Ending::Returned { .. } => (
                            run.response.as_ref().map_or("null".to_string(), |v| v.to_string()),
                            None,
                        ),
                        Ending::Error { error_type, message } => (
                            serde_json::json!({"errorMessage": message, "errorType": error_type}).to_string(),
                            Some("Unhandled"),
                        ),
                        Ending::TimedOut => (
                            serde_json::json!({"errorMessage": format!("Task timed out after {:.2} seconds", run.duration_ms as f64 / 1000.0), "errorType": "Sandbox.Timedout"}).to_string(),
                            Some("Unhandled"),
                        ),
                    };
                    c.advance(waited);
                    if let Err(e) = super::host::write_file(c, &outfile, &body, false) {
                        return Err(usage(e.trim_start_matches("bash: ").trim_end().to_string()));
                    }
                    let mut d = vec![("StatusCode".to_string(), Doc::Int(200))];
                    if let Some(e) = error {
                        d.push(("FunctionError".into(), e.into()));
                    }
                    d.push(("ExecutedVersion".into(), "$LATEST".into()));
                    Ok(Doc::Map(d))
                }
            }
        }
    }
}

fn not_found_function(arn: &str) -> AwsError {
    AwsError::new(
        "ResourceNotFoundException",
        404,
        format!("Function not found: {arn}"),
    )
}

// ---------------------------------------------------------------- DynamoDB

const TABLE: Param = req("--table-name", Kind::Str, "The table.");
const PROJECTION: Param = p(
    "--projection-expression",
    Kind::Str,
    "The attributes to return: \"Title, info.rating, tags[0]\" (whole items are still read and charged).",
);
const NAMES: Param = p(
    "--expression-attribute-names",
    Kind::Str,
    "JSON: {\"#s\": \"status\"}.",
);
const VALUES: Param = p(
    "--expression-attribute-values",
    Kind::Str,
    "DynamoDB JSON: {\":s\": {\"S\": \"open\"}}.",
);
const CONSUMED: Param = p(
    "--return-consumed-capacity",
    Kind::Str,
    "TOTAL, INDEXES or NONE.",
);
const CONDITION: Param = p(
    "--condition-expression",
    Kind::Str,
    "Write only if it holds.",
);
const MAX_ITEMS: Param = p(
    "--max-items",
    Kind::Int,
    "Print at most this many items, then a NextToken to go on with.",
);
const STARTING_TOKEN: Param = p(
    "--starting-token",
    Kind::Str,
    "A NextToken printed before: go on from there.",
);
const PAGE_SIZE: Param = p(
    "--page-size",
    Kind::Int,
    "Items read per call (Limit) while the CLI gathers the pages.",
);
const CONSISTENT: Param = p(
    "--consistent-read",
    Kind::Flag,
    "Strongly consistent (twice the read units).",
);

pub const DYNAMODB_OPS: &[Op] = &[
    Op {
        name: "create-table",
        api: "CreateTable",
        doc: "Create a table: its key schema and billing mode.",
        params: &[
            TABLE,
            req(
                "--attribute-definitions",
                Kind::Structs,
                "AttributeName=id,AttributeType=S …",
            ),
            req(
                "--key-schema",
                Kind::Structs,
                "AttributeName=id,KeyType=HASH [AttributeName=at,KeyType=RANGE].",
            ),
            p(
                "--billing-mode",
                Kind::Str,
                "PAY_PER_REQUEST or PROVISIONED.",
            ),
            p(
                "--provisioned-throughput",
                Kind::Str,
                "ReadCapacityUnits=5,WriteCapacityUnits=5.",
            ),
        ],
    },
    Op {
        name: "delete-item",
        api: "DeleteItem",
        doc: "Delete an item by its key.",
        params: &[
            TABLE,
            req("--key", Kind::Str, "DynamoDB JSON."),
            CONDITION,
            NAMES,
            VALUES,
            p("--return-values", Kind::Str, "NONE or ALL_OLD."),
            CONSUMED,
        ],
    },
    Op {
        name: "delete-table",
        api: "DeleteTable",
        doc: "Delete a table with its items.",
        params: &[TABLE],
    },
    Op {
        name: "describe-table",
        api: "DescribeTable",
        doc: "A table's keys, billing, status and item count.",
        params: &[TABLE],
    },
    Op {
        name: "get-item",
        api: "GetItem",
        doc: "Read an item by its key.",
        params: &[
            TABLE,
            req(
                "--key",
                Kind::Str,
                "DynamoDB JSON: {\"id\": {\"S\": \"o-1\"}}.",
            ),
            CONSISTENT,
            PROJECTION,
            NAMES,
            CONSUMED,
        ],
    },
    Op {
        name: "list-tables",
        api: "ListTables",
        doc: "The account's tables.",
        params: &[],
    },
    Op {
        name: "put-item",
        api: "PutItem",
        doc: "Write a whole item (replacing one with the same key).",
        params: &[
            TABLE,
            req(
                "--item",
                Kind::Str,
                "DynamoDB JSON: {\"id\": {\"S\": \"o-1\"}, \"total\": {\"N\": \"25\"}}.",
            ),
            CONDITION,
            NAMES,
            VALUES,
            p(
                "--return-values",
                Kind::Str,
                "NONE or ALL_OLD (the item replaced).",
            ),
            CONSUMED,
        ],
    },
    Op {
        name: "query",
        api: "Query",
        doc: "Read the items of one partition key (on the table or an index).",
        params: &[
            TABLE,
            req(
                "--key-condition-expression",
                Kind::Str,
                "customer = :c AND begins_with(at, :d).",
            ),
            p("--index-name", Kind::Str, "A global secondary index."),
            p(
                "--filter-expression",
                Kind::Str,
                "Drop items after reading (they still cost).",
            ),
            PROJECTION,
            NAMES,
            VALUES,
            CONSISTENT,
            p(
                "--scan-index-forward",
                Kind::Flag,
                "--no-scan-index-forward: sort key descending.",
            ),
            p(
                "--limit",
                Kind::Int,
                "Items read in one call: one page, with its LastEvaluatedKey (turns paging off).",
            ),
            p(
                "--exclusive-start-key",
                Kind::Str,
                "A page's LastEvaluatedKey: read the page after it (turns paging off).",
            ),
            CONSUMED,
            MAX_ITEMS,
            STARTING_TOKEN,
            PAGE_SIZE,
        ],
    },
    Op {
        name: "scan",
        api: "Scan",
        doc: "Read every item of the table.",
        params: &[
            TABLE,
            p(
                "--filter-expression",
                Kind::Str,
                "Drop items after reading (they still cost).",
            ),
            PROJECTION,
            NAMES,
            VALUES,
            CONSISTENT,
            p(
                "--limit",
                Kind::Int,
                "Items read in one call: one page, with its LastEvaluatedKey (turns paging off).",
            ),
            p(
                "--exclusive-start-key",
                Kind::Str,
                "A page's LastEvaluatedKey: read the page after it (turns paging off).",
            ),
            CONSUMED,
            MAX_ITEMS,
            STARTING_TOKEN,
            PAGE_SIZE,
        ],
    },
    Op {
        name: "update-item",
        api: "UpdateItem",
        doc: "Change some attributes of an item (creating it if needed).",
        params: &[
            TABLE,
            req("--key", Kind::Str, "DynamoDB JSON."),
            req(
                "--update-expression",
                Kind::Str,
                "SET #s = :s ADD views :one.",
            ),
            CONDITION,
            NAMES,
            VALUES,
            p(
                "--return-values",
                Kind::Str,
                "NONE, ALL_OLD, UPDATED_OLD, ALL_NEW or UPDATED_NEW.",
            ),
            CONSUMED,
        ],
    },
];

/// Checks that a parameter is DynamoDB JSON (`{"id": {"S": "o-1"}}`), as the CLI's
/// parameter validation does before sending.
fn dynamo_json(param: &str, text: &str) -> Result<String, CallError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        usage(format!(
            "Error parsing parameter '{param}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })?;
    let Some(map) = v.as_object() else {
        return Err(usage(format!(
            "Parameter validation failed:\nInvalid type for parameter {}, value: {v}, type: <class '{}'>, valid types: <class 'dict'>",
            api_name(param),
            py_type(&v)
        )));
    };
    for (k, attr) in map {
        let ok = attr.as_object().is_some_and(|o| o.len() == 1);
        if !ok {
            return Err(usage(format!(
                "Parameter validation failed:\nInvalid type for parameter {}.{k}, value: {attr}, type: <class '{}'>, valid types: <class 'dict'>",
                api_name(param),
                py_type(attr)
            )));
        }
    }
    Ok(text.to_string())
}

/// `--expression-attribute-values` → `ExpressionAttributeValues`.
fn api_name(param: &str) -> String {
    param
        .trim_start_matches("--")
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn py_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::String(_) => "str",
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "int",
        serde_json::Value::Number(_) => "float",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Array(_) => "list",
        serde_json::Value::Object(_) => "dict",
        serde_json::Value::Null => "NoneType",
    }
}

fn key_type(t: &str) -> Result<KeyType, CallError> {
    match t {
        "S" => Ok(KeyType::S),
        "N" => Ok(KeyType::N),
        "B" => Ok(KeyType::B),
        other => Err(AwsError::new("ValidationException", 400, format!("1 validation error detected: Value '{other}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]")).into()),
    }
}

fn create_table_spec(a: &Args) -> Result<TableSpec, CallError> {
    let name = a.str("--table-name").unwrap_or("").to_string();
    let mut types = Vec::new();
    for w in a.list("--attribute-definitions") {
        for (n, t) in structs(
            &w,
            "--attribute-definitions",
            "AttributeName",
            "AttributeType",
        )? {
            types.push((n, key_type(&t)?));
        }
    }
    let mut hash = None;
    let mut range = None;
    for w in a.list("--key-schema") {
        for (n, k) in structs(&w, "--key-schema", "AttributeName", "KeyType")? {
            let Some((_, t)) = types.iter().find(|(x, _)| *x == n) else {
                return Err(AwsError::new("ValidationException", 400, "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [".to_string() + &n + "], AttributeDefinitions: [" + &types.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ") + "]").into());
            };
            let attr = KeyAttr {
                name: n.clone(),
                kind: *t,
            };
            match k.as_str() {
                "HASH" => hash = Some(attr),
                "RANGE" => range = Some(attr),
                other => return Err(AwsError::new("ValidationException", 400, format!("1 validation error detected: Value '{other}' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]")).into()),
            }
        }
    }
    let Some(hash) = hash else {
        return Err(AwsError::new(
            "ValidationException",
            400,
            "1 validation error detected: the KeySchema has no HASH key",
        )
        .into());
    };
    if types.len() != 1 + range.is_some() as usize {
        return Err(AwsError::new("ValidationException", 400, "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions").into());
    }
    let billing = match a.str("--billing-mode").unwrap_or("PROVISIONED") {
        "PAY_PER_REQUEST" => Billing::OnDemand,
        "PROVISIONED" => {
            let Some(t) = a.str("--provisioned-throughput") else {
                return Err(AwsError::new("ValidationException", 400, "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED").into());
            };
            let mut read = None;
            let mut write = None;
            for (k, v) in super::args::shorthand("--provisioned-throughput", t)? {
                let n = v.first().and_then(|x| x.parse::<u32>().ok());
                match k.as_str() {
                    "ReadCapacityUnits" => read = n,
                    "WriteCapacityUnits" => write = n,
                    _ => {}
                }
            }
            match (read, write) {
                (Some(read), Some(write)) => Billing::Provisioned { read, write },
                _ => return Err(AwsError::new("ValidationException", 400, "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED").into()),
            }
        }
        other => return Err(AwsError::new("ValidationException", 400, format!("1 validation error detected: Value '{other}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")).into()),
    };
    let mut spec = TableSpec::new(&name, hash);
    spec.sort_key = range;
    spec.billing = billing;
    Ok(spec)
}

/// One shorthand structure or a JSON list of them: (a's value, b's value) pairs.
fn structs(text: &str, param: &str, a: &str, b: &str) -> Result<Vec<(String, String)>, CallError> {
    if text.trim_start().starts_with('[') {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            usage(format!(
                "Error parsing parameter '{param}': Invalid JSON: {e}\nJSON received: {text}"
            ))
        })?;
        return Ok(v
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                (
                    x[a].as_str().unwrap_or_default().to_string(),
                    x[b].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect());
    }
    let s = super::args::shorthand(param, text)?;
    let get = |k: &str| {
        s.iter()
            .find(|(x, _)| x == k)
            .and_then(|(_, v)| v.first().cloned())
            .unwrap_or_default()
    };
    Ok(vec![(get(a), get(b))])
}

fn table_doc(c: &Console, region: &str, t: &crate::core::services::dynamodb::table::Table) -> Doc {
    let s = &t.spec;
    let mut defs = vec![attr_def(&s.partition_key)];
    let mut keys = vec![Doc::obj([
        ("AttributeName", s.partition_key.name.clone().into()),
        ("KeyType", "HASH".into()),
    ])];
    if let Some(r) = &s.sort_key {
        defs.push(attr_def(r));
        keys.push(Doc::obj([
            ("AttributeName", r.name.clone().into()),
            ("KeyType", "RANGE".into()),
        ]));
    }
    let (read, write, mode) = match s.billing {
        Billing::OnDemand => (0, 0, "PAY_PER_REQUEST"),
        Billing::Provisioned { read, write } => (read, write, "PROVISIONED"),
    };
    let bytes: u64 = t
        .items()
        .map(crate::core::services::dynamodb::table::item_bytes)
        .sum();
    let mut d = vec![
        ("AttributeDefinitions".to_string(), Doc::List(defs)),
        ("TableName".into(), s.name.clone().into()),
        ("KeySchema".into(), Doc::List(keys)),
        ("TableStatus".into(), "ACTIVE".into()),
        (
            "CreationDateTime".into(),
            crate::core::services::ec2::compute::iso_time(t.created_ms()).into(),
        ),
        (
            "ProvisionedThroughput".into(),
            Doc::obj([
                ("NumberOfDecreasesToday", Doc::Int(0)),
                ("ReadCapacityUnits", Doc::Int(read as i64)),
                ("WriteCapacityUnits", Doc::Int(write as i64)),
            ]),
        ),
        ("TableSizeBytes".into(), Doc::Int(bytes as i64)),
        ("ItemCount".into(), Doc::Int(t.len() as i64)),
        (
            "TableArn".into(),
            Arn::new(
                "dynamodb",
                region,
                &c.account.id,
                &format!("table/{}", s.name),
            )
            .to_string()
            .into(),
        ),
    ];
    if mode == "PAY_PER_REQUEST" {
        d.push((
            "BillingModeSummary".into(),
            Doc::obj([("BillingMode", mode.into())]),
        ));
    }
    Doc::Map(d)
}

fn attr_def(k: &KeyAttr) -> Doc {
    let t = match k.kind {
        KeyType::S => "S",
        KeyType::N => "N",
        KeyType::B => "B",
    };
    Doc::obj([
        ("AttributeName", k.name.clone().into()),
        ("AttributeType", t.into()),
    ])
}

/// `aws dynamodb <operation>`.
pub fn dynamodb(
    c: &mut Console,
    who: &Identity,
    region: &str,
    op: &Op,
    a: &Args,
) -> Result<Doc, CallError> {
    let who_arn = actor(c, who);
    let table = a.str("--table-name").unwrap_or("").to_string();
    let arn = Arn::new("dynamodb", region, &c.account.id, &format!("table/{table}")).to_string();
    let action = format!("dynamodb:{}", op.api);
    match op.name {
        "list-tables" => {
            allow(c, who, &action, "*")?;
            let names = in_region(c, region, |f| f.list_tables_now(&who_arn));
            Ok(Doc::obj([(
                "TableNames",
                Doc::List(names.into_iter().map(Doc::from).collect()),
            )]))
        }
        "create-table" => {
            allow(c, who, &action, &arn)?;
            let spec = create_table_spec(a)?;
            in_region(c, region, |f| f.create_table_now(&who_arn, spec))?;
            let doc = in_region(c, region, |f| f.tables.get(&table).cloned());
            Ok(match doc {
                Some(t) => Doc::obj([("TableDescription", table_doc(c, region, &t))]),
                None => Doc::Map(vec![]),
            })
        }
        "delete-table" => {
            allow(c, who, &action, &arn)?;
            let t = in_region(c, region, |f| f.delete_table_now(&who_arn, &table))?;
            // DeleteTable's description: the table's name, status, throughput, size and
            // ARN, without its keys (the API reference's example).
            let Doc::Map(fields) = table_doc(c, region, &t) else {
                return Ok(Doc::Map(vec![]));
            };
            let kept = fields
                .into_iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "AttributeDefinitions" | "KeySchema" | "CreationDateTime"
                    )
                })
                .map(|(k, v)| match k.as_str() {
                    "TableStatus" => (k, "DELETING".into()),
                    _ => (k, v),
                })
                .collect();
            Ok(Doc::obj([("TableDescription", Doc::Map(kept))]))
        }
        "describe-table" => {
            allow(c, who, &action, &arn)?;
            let t = in_region(c, region, |f| {
                f.describe_table_now(&who_arn, &table).cloned()
            })?;
            Ok(Doc::obj([("Table", table_doc(c, region, &t))]))
        }
        _ => {
            let operation = match op.name {
                "put-item" => Operation::PutItem,
                "get-item" => Operation::GetItem,
                "update-item" => Operation::UpdateItem,
                "delete-item" => Operation::DeleteItem,
                "query" => Operation::Query,
                _ => Operation::Scan,
            };
            // The CLI checks its paging arguments before any request.
            let plan = match operation {
                Operation::Query | Operation::Scan => Some(paging(a)?),
                _ => None,
            };
            let resource = match a.str("--index-name") {
                Some(i) if operation == Operation::Query => {
                    format!("{}/index/{i}", table_arn(&table))
                }
                _ => arn.clone(),
            };
            allow(c, who, &action, &resource)?;
            let item = match operation {
                Operation::PutItem => dynamo_json("--item", a.str("--item").unwrap_or("{}"))?,
                Operation::Query | Operation::Scan => String::new(),
                _ => dynamo_json("--key", a.str("--key").unwrap_or("{}"))?,
            };
            let values = match a.str("--expression-attribute-values") {
                Some(v) => dynamo_json("--expression-attribute-values", v)?,
                None => String::new(),
            };
            let names = match a.str("--expression-attribute-names") {
                Some(text) => {
                    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
                        usage(format!("Error parsing parameter '--expression-attribute-names': Invalid JSON: {e}\nJSON received: {text}"))
                    })?;
                    v.as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                }
                None => Default::default(),
            };
            // DynamoDB checks the table name, the enum, then whether the call takes the value.
            if a.str("--return-values").is_some() {
                crate::core::services::dynamodb::table::check_table_name(table.trim())?;
            }
            let return_values = match a.str("--return-values") {
                Some(text) => {
                    let rv = ReturnValues::parse(text)?;
                    rv.check(operation)?;
                    rv
                }
                None => ReturnValues::None,
            };
            let req = DynamoRequest {
                operation,
                table: table.clone(),
                item,
                update: a.str("--update-expression").unwrap_or("").to_string(),
                condition: a.str("--condition-expression").unwrap_or("").to_string(),
                key_condition: a
                    .str("--key-condition-expression")
                    .unwrap_or("")
                    .to_string(),
                index_name: a.str("--index-name").unwrap_or("").to_string(),
                filter: a.str("--filter-expression").unwrap_or("").to_string(),
                names,
                values,
                consistent_read: a.flag("--consistent-read") == Some(true),
                scan_index_forward: a.flag("--scan-index-forward") != Some(false),
                limit: match a.int("--limit") {
                    Some(l) if l < 1 => {
                        return Err(usage(format!("Parameter validation failed:\nInvalid value for parameter Limit, value: {l}, valid min value: 1")));
                    }
                    l => l.map(|l| l.min(u32::MAX as i64) as u32),
                },
                exclusive_start_key: match a.str("--exclusive-start-key") {
                    Some(k) => dynamo_json("--exclusive-start-key", k)?,
                    None => String::new(),
                },
                projection: a.str("--projection-expression").unwrap_or("").to_string(),
            };
            let consumed_doc =
                |r: &crate::core::services::dynamodb::request::Response| consumed_doc(a, &table, r);
            if let Some(plan) = plan {
                return read_pages(c, region, &who_arn, req, plan, &consumed_doc);
            }
            let r = in_region(c, region, |f| f.dynamodb_now(&who_arn, &req))?;
            let mut d: Vec<(String, Doc)> = Vec::new();
            match operation {
                Operation::GetItem => {
                    if let Some(i) = r.items.first() {
                        d.push(("Item".into(), Doc::from_json(&item_json(i))));
                    }
                }
                _ => {
                    if let Some(i) = r.written.as_ref().and_then(|w| w.attributes(return_values)) {
                        d.push(("Attributes".into(), Doc::from_json(&item_json(&i))));
                    }
                }
            }
            if let Some(cc) = consumed_doc(&r)? {
                d.push(("ConsumedCapacity".into(), cc));
            }
            Ok(Doc::Map(d))
        }
    }
}

/// ConsumedCapacity as `--return-consumed-capacity` asks for it (`None`: not asked).
fn consumed_doc(
    a: &Args,
    table: &str,
    r: &crate::core::services::dynamodb::request::Response,
) -> Result<Option<Doc>, CallError> {
    match a.str("--return-consumed-capacity") {
        Some(how @ ("TOTAL" | "INDEXES")) => {
            let mut cc = vec![
                ("TableName".to_string(), Doc::from(table.to_string())),
                ("CapacityUnits".into(), Doc::Float(r.consumed.units)),
            ];
            if how == "INDEXES" {
                cc.push(("Table".into(), Doc::obj([("CapacityUnits", Doc::Float(r.consumed.table))])));
                if !r.consumed.indexes.is_empty() {
                    cc.push((
                        "GlobalSecondaryIndexes".into(),
                        Doc::Map(r.consumed.indexes.iter().map(|(k, v)| (k.clone(), Doc::obj([("CapacityUnits", Doc::Float(*v))]))).collect()),
                    ));
                }
            }
            Ok(Some(Doc::Map(cc)))
        }
        None | Some("NONE") => Ok(None),
        Some(other) => Err(AwsError::new("ValidationException", 400, format!("1 validation error detected: Value '{other}' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")).into()),
    }
}

/// The most calls one command makes while gathering pages (a page reads at least one
/// item, and a table holds far fewer than this).
const MAX_PAGES: usize = 100_000;

/// Query and Scan as the AWS CLI runs them (botocore's paginator: input token
/// ExclusiveStartKey, output token LastEvaluatedKey, limit key Limit, result keys Items,
/// Count and ScannedCount, ConsumedCapacity not aggregated).
/// * `--limit` or `--exclusive-start-key` (or `--no-paginate`) turn paging off: one call,
///   printed whole, LastEvaluatedKey included.
/// * Otherwise the CLI calls page after page (Limit = `--page-size`) until a page has no
///   LastEvaluatedKey, and prints the items together, Count and ScannedCount summed, the
///   first page's ConsumedCapacity (null when not asked for), and no LastEvaluatedKey.
/// * `--max-items N` stops after N items; a NextToken says where to go on: the start key
///   of the page cut and how many of its items were printed (`boto_truncate_amount`), or
///   the next page's start key when the cut falls between pages. Only Items is cut: Count
///   and ScannedCount keep the pages' full values, as botocore's do.
/// * `--starting-token` goes on from a NextToken: the first page's first
///   `boto_truncate_amount` items are skipped, and that page's Count and ScannedCount
///   count as 0 (botocore resets them).
///
/// Every page is a call of its own: authorized, traced, billed and throttled.
fn read_pages(
    c: &mut Console,
    region: &str,
    who_arn: &str,
    mut req: DynamoRequest,
    plan: Paging,
    consumed_doc: &dyn Fn(
        &crate::core::services::dynamodb::request::Response,
    ) -> Result<Option<Doc>, CallError>,
) -> Result<Doc, CallError> {
    let items_doc = |items: &[crate::core::services::dynamodb::expr::Item]| -> Vec<Doc> {
        items
            .iter()
            .map(|i| Doc::from_json(&item_json(i)))
            .collect()
    };
    if plan.warn {
        c.pending_stderr.push_str(
            "warning: Non-positive values for --max-items may result in undefined behavior.\n",
        );
    }
    if plan.single {
        let r = in_region(c, region, |f| f.dynamodb_now(who_arn, &req))?;
        let mut d = vec![
            ("Items".to_string(), Doc::List(items_doc(&r.items))),
            ("Count".into(), Doc::Int(r.items.len() as i64)),
            (
                "ScannedCount".into(),
                Doc::Int(r.scanned_count.unwrap_or(0) as i64),
            ),
        ];
        if let Some(k) = &r.last_evaluated_key {
            d.push(("LastEvaluatedKey".into(), Doc::from_json(&item_json(k))));
        }
        if let Some(cc) = consumed_doc(&r)? {
            d.push(("ConsumedCapacity".into(), cc));
        }
        return Ok(Doc::Map(d));
    }
    // (Paging is on: no --limit was given.)
    req.limit = plan.page_size;
    let max_items = plan.max_items;
    let (mut start, mut skip, resumed) = (plan.start, plan.skip, plan.resumed);
    let (mut items, mut count, mut scanned) = (Vec::new(), 0i64, 0i64);
    // Each page as it came, for text output (`Console::paged`).
    let mut pages: Vec<Doc> = Vec::new();
    let page_doc = |got: &[crate::core::services::dynamodb::expr::Item],
                    count: i64,
                    scanned: i64,
                    consumed: Option<&Doc>| {
        let mut d = Vec::new();
        if let Some(cc) = consumed {
            d.push(("ConsumedCapacity".to_string(), cc.clone()));
        }
        d.push(("Items".to_string(), Doc::List(items_doc(got))));
        d.push(("Count".into(), Doc::Int(count)));
        d.push(("ScannedCount".into(), Doc::Int(scanned)));
        Doc::Map(d)
    };
    let mut consumed = Doc::Null;
    let mut resume: Option<serde_json::Value> = None;
    let mut total: i64 = 0;
    let mut ended = false;
    for page in 0..MAX_PAGES {
        req.exclusive_start_key = start.as_ref().map(|k| k.to_string()).unwrap_or_default();
        let r = in_region(c, region, |f| f.dynamodb_now(who_arn, &req))?;
        let mut got = r.items.clone();
        let (mut page_count, mut page_scanned) =
            (r.items.len() as i64, r.scanned_count.unwrap_or(0) as i64);
        if page == 0 {
            if resumed {
                got.drain(..skip.min(got.len()));
                page_count = 0;
                page_scanned = 0;
            }
            if let Some(cc) = consumed_doc(&r)? {
                consumed = cc;
            }
        } else {
            skip = 0;
        }
        let n = got.len() as i64;
        if let Some(max) = max_items {
            // (A negative --max-items saturates: no items, as the CLI's warning allows.)
            let cut = (total + n).saturating_sub(max);
            if cut > 0 {
                let keep = (n - cut).max(0) as usize;
                got.truncate(keep);
                pages.push(page_doc(
                    &got,
                    page_count,
                    page_scanned,
                    (page == 0).then_some(&consumed),
                ));
                items.extend(got);
                count += page_count;
                scanned += page_scanned;
                resume = Some(serde_json::json!({
                    "ExclusiveStartKey": start.clone().unwrap_or(serde_json::Value::Null),
                    "boto_truncate_amount": keep + skip,
                }));
                ended = true;
                break;
            }
        }
        pages.push(page_doc(
            &got,
            page_count,
            page_scanned,
            (page == 0).then_some(&consumed),
        ));
        items.extend(got);
        count += page_count;
        scanned += page_scanned;
        total += n;
        let Some(next) = r.last_evaluated_key.as_ref().map(item_json) else {
            ended = true;
            break;
        };
        if max_items == Some(total) {
            resume = Some(serde_json::json!({ "ExclusiveStartKey": next }));
            ended = true;
            break;
        }
        start = Some(next);
    }
    if !ended {
        return Err(CallError::Usage(Usage {
            stderr: format!("\nThe pages did not end after {MAX_PAGES} calls: the CLI stopped gathering them.\n"),
            code: rc::GENERAL,
        }));
    }
    let mut d = vec![
        ("Items".to_string(), Doc::List(items_doc(&items))),
        ("Count".into(), Doc::Int(count)),
        ("ScannedCount".into(), Doc::Int(scanned)),
        ("ConsumedCapacity".into(), consumed),
    ];
    let next_token = resume.map(|t| next_token_text(&t));
    if let Some(token) = &next_token {
        d.push(("NextToken".into(), Doc::from(token.clone())));
    }
    c.paged = Some(super::Paged { pages, next_token });
    Ok(Doc::Map(d))
}

/// How a Query or Scan command pages, read from its options before any call (the CLI
/// checks its arguments first).
pub(crate) struct Paging {
    /// One call, printed whole (`--limit`, `--exclusive-start-key` or `--no-paginate`).
    single: bool,
    page_size: Option<u32>,
    max_items: Option<i64>,
    /// Where `--starting-token` goes on from, and how many items of that page to skip.
    start: Option<serde_json::Value>,
    skip: usize,
    resumed: bool,
    /// `--max-items` of 0 or less (the CLI warns).
    warn: bool,
}

/// Reads the paging options (botocore's rules; errors exit 252):
/// * `--limit` or `--exclusive-start-key` turn paging off, as `--no-paginate` does; then a
///   paging option given a value (botocore skips 0 and "") is refused, listed in
///   botocore's order: `--starting-token`, `--page-size`, `--max-items`;
/// * `--page-size` below 1 is Limit's own validation error;
/// * a `--starting-token` that is not a token is an ExclusiveStartKey of the wrong type, and
///   the token's key is checked as DynamoDB JSON.
pub(crate) fn paging(a: &Args) -> Result<Paging, CallError> {
    let manual = a.int("--limit").is_some() || a.str("--exclusive-start-key").is_some();
    let given: Vec<&str> = [
        (
            "--starting-token",
            a.str("--starting-token").is_some_and(|t| !t.is_empty()),
        ),
        ("--page-size", a.int("--page-size").is_some_and(|n| n != 0)),
        ("--max-items", a.int("--max-items").is_some_and(|n| n != 0)),
    ]
    .into_iter()
    .filter_map(|(n, set)| set.then_some(n))
    .collect();
    if manual || a.flag("--no-paginate") == Some(true) {
        if !given.is_empty() {
            return Err(usage(format!(
                "Cannot specify --no-paginate along with pagination arguments: {}",
                given.join(", ")
            )));
        }
        return Ok(Paging {
            single: true,
            page_size: None,
            max_items: None,
            start: None,
            skip: 0,
            resumed: false,
            warn: false,
        });
    }
    let page_size = match a.int("--page-size") {
        Some(size) if size < 1 => {
            return Err(usage(format!("Parameter validation failed:\nInvalid value for parameter Limit, value: {size}, valid min value: 1")));
        }
        size => size.map(|s| s.min(u32::MAX as i64) as u32),
    };
    let (start, skip) = match a.str("--starting-token") {
        Some(t) => next_token_read(t).ok_or_else(|| {
            usage(format!("Parameter validation failed:\nInvalid type for parameter ExclusiveStartKey, value: {t}, type: <class 'str'>, valid types: <class 'dict'>"))
        })?,
        None => (None, 0),
    };
    if let Some(k) = &start {
        dynamo_json("--exclusive-start-key", &k.to_string())?;
    }
    let max_items = a.int("--max-items");
    Ok(Paging {
        single: false,
        page_size,
        max_items,
        start,
        skip,
        resumed: a.str("--starting-token").is_some(),
        warn: max_items.is_some_and(|m| m <= 0),
    })
}

/// A NextToken as botocore writes it: the token's JSON as Python's `json.dumps` prints it
/// (`", "` and `": "` between items, non-ASCII escaped), in standard base64 with padding.
/// `{"ExclusiveStartKey": null, "boto_truncate_amount": 2}` →
/// `eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGwsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9`.
pub fn next_token_text(token: &serde_json::Value) -> String {
    // The DynamoDB model's own encoder: the crate's would add its code to the module.
    crate::core::services::dynamodb::request::base64(
        Doc::from_json(token).to_json_ascii().as_bytes(),
    )
}

/// A NextToken read back: the start key (None: the table's start) and how many items of
/// the first page to skip. `None` when it is not a token botocore would read as one.
pub fn next_token_read(text: &str) -> Option<(Option<serde_json::Value>, usize)> {
    let bytes = base64_decode(text)?;
    // From text, as every other JSON the console reads (one reader linked, not two).
    let v: serde_json::Value = serde_json::from_str(std::str::from_utf8(&bytes).ok()?).ok()?;
    let obj = v.as_object()?;
    if obj
        .keys()
        .any(|k| k != "ExclusiveStartKey" && k != "boto_truncate_amount")
    {
        return None;
    }
    let start = match obj.get("ExclusiveStartKey") {
        None | Some(serde_json::Value::Null) => None,
        Some(k @ serde_json::Value::Object(_)) => Some(k.clone()),
        _ => return None,
    };
    let skip = match obj.get("boto_truncate_amount") {
        None => 0,
        Some(n) => usize::try_from(n.as_u64()?).ok()?,
    };
    Some((start, skip))
}
