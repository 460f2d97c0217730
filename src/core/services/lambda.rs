//! AWS Lambda functions as the flow simulator runs them: configuration (memory, timeout,
//! reserved concurrency, asynchronous invocation settings and destinations) and a handler
//! defined as data — steps run in order against the event — so a student sees exactly
//! what the function does. Running a handler is pure: given the event, the time and a
//! seeded random number generator it yields the duration, the result and the API calls the
//! function makes; the flow engine (`core::flow`) schedules them.
//!
//! Sources (AWS Lambda Developer Guide): "Configuring memory" (128–10,240 MB), "Configuring
//! timeout" (1–900 s), "Lambda function scaling" (reserved concurrency; the account's
//! default limit of 1,000), "How Lambda handles errors and retries with asynchronous
//! invocation" (MaximumRetryAttempts 0–2, default 2; MaximumEventAgeInSeconds 60–21,600,
//! default 6 hours; a failed attempt is retried after about one minute, then two),
//! "Capturing records of asynchronous invocations" (the invocation record's fields and its
//! `RetriesExhausted` / `EventAgeExceeded` conditions), and billing per 1 ms of duration
//! (pricing page, since December 2020). Course notes digest §18.

use crate::core::services::dynamodb::request::Request;
use crate::core::sim::{AwsError, Rng};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const MIN_MEMORY_MB: u32 = 128;
pub const MAX_MEMORY_MB: u32 = 10_240;
pub const MAX_TIMEOUT_S: u32 = 900;
/// The Region's default concurrency limit for an account.
pub const ACCOUNT_CONCURRENCY: u32 = 1_000;
pub const MAX_RETRY_ATTEMPTS: u8 = 2;
pub const MIN_EVENT_AGE_S: u32 = 60;
pub const MAX_EVENT_AGE_S: u32 = 21_600;

/// Where an asynchronous invocation's record goes: a queue or a topic (by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "name")]
pub enum Destination {
    Sqs(String),
    Sns(String),
    Lambda(String),
}

/// Settings of asynchronous invocation (PutFunctionEventInvokeConfig).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AsyncConfig {
    pub maximum_retry_attempts: u8,
    pub maximum_event_age_seconds: u32,
    pub on_success: Option<Destination>,
    pub on_failure: Option<Destination>,
}

impl Default for AsyncConfig {
    fn default() -> Self {
        AsyncConfig {
            maximum_retry_attempts: MAX_RETRY_ATTEMPTS,
            maximum_event_age_seconds: MAX_EVENT_AGE_S,
            on_success: None,
            on_failure: None,
        }
    }
}

/// When a step that can fail (or return) does. Paths starting `result.` read what the
/// handler's last DynamoDB call returned (`result.Item`, or `result.Error.Code` when the
/// handler caught its error).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    #[default]
    Always,
    /// With this probability (0 to 1), drawn from the run's seeded generator.
    Probability(f64),
    /// When the event's field at this path (`Records.0.body`, `detail.status`) equals the
    /// value (a string, or a JSON value's text); `*` matches any element or field
    /// (`Records.*.body`: any record's body).
    FieldEquals { path: String, value: String },
    /// When the field at this path is absent or null (`result.Item` after a GetItem that
    /// found nothing).
    Missing { path: String },
}

/// One step of a handler. Texts are templates: `{{path}}` is replaced by the event's value
/// at that path (`{{Records.0.s3.object.key}}`), `{{request_id}}` by the invocation's id.
// A handler has a handful of steps, made once per edit: the DynamoDB call's size in each
// costs nothing worth an indirection at every use.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "step")]
pub enum Step {
    /// Work for this long.
    Run { ms: u64 },
    /// Throw an error (`errorType`, `errorMessage`) when the condition holds.
    Fail {
        when: When,
        error_type: String,
        message: String,
    },
    /// SQS SendMessage (a FIFO queue needs the message group id).
    SendMessage {
        queue: String,
        body: String,
        #[serde(default)]
        group_id: Option<String>,
    },
    /// SNS Publish, with string message attributes.
    Publish {
        topic: String,
        message: String,
        #[serde(default)]
        attributes: Vec<(String, String)>,
    },
    /// S3 PutObject.
    PutObject {
        bucket: String,
        key: String,
        body: String,
    },
    /// For an SQS batch or a stream batch: report the records for which the condition
    /// holds (evaluated on each record) in `batchItemFailures` (an SQS record by its
    /// `messageId`, a stream record by its `SequenceNumber`).
    ReportBatchItemFailures { when: When },
    /// A DynamoDB call (the table, the item or key and ExpressionAttributeValues are
    /// templates — in the JSON texts a substituted value is escaped as a JSON string's
    /// content; the expressions are not). An error it gets fails the run with the error's code
    /// as `errorType`, unless the code is listed in `catch` (the handler catches it and
    /// goes on).
    #[serde(rename = "dynamodb")]
    DynamoDb {
        call: Request,
        #[serde(default)]
        catch: Vec<String>,
    },
    /// Return this result when the condition holds, ending the run: what API Gateway's
    /// Lambda proxy integration turns into the HTTP response (`statusCode`, `headers`,
    /// `body`; the body is a template).
    Return {
        #[serde(default)]
        when: When,
        status_code: u16,
        #[serde(default)]
        body: String,
        #[serde(default)]
        headers: Vec<(String, String)>,
    },
}

/// A function's code, as data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Handler {
    pub steps: Vec<Step>,
}

/// A function's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FunctionConfig {
    pub name: String,
    pub memory_mb: u32,
    pub timeout_s: u32,
    /// Reserved concurrency: at most this many at once (0 stops every invocation).
    pub reserved_concurrency: Option<u32>,
    pub async_config: AsyncConfig,
    pub handler: Handler,
    /// The execution role (a role of the scenario, by name): the function's calls are
    /// made as a session of it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// The function's resource-based policy (what AddPermission builds): who may invoke it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl Default for FunctionConfig {
    fn default() -> Self {
        FunctionConfig {
            name: String::new(),
            memory_mb: 128,
            timeout_s: 3,
            reserved_concurrency: None,
            async_config: AsyncConfig::default(),
            handler: Handler::default(),
            role: String::new(),
            policy: None,
        }
    }
}

fn invalid(message: String) -> AwsError {
    AwsError::new("InvalidParameterValueException", 400, message)
}

/// Checks a configuration against Lambda's limits, naming the setting and its range.
pub fn check_config(f: &FunctionConfig) -> Result<(), AwsError> {
    let name_ok = !f.name.is_empty()
        && f.name.len() <= 64
        && f.name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        return Err(invalid(format!(
            "“{}”: a function name has 1 to 64 letters, digits, hyphens and underscores.",
            f.name
        )));
    }
    if !(MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&f.memory_mb) {
        return Err(invalid(format!(
            "MemorySize is {} MB; it must be from {MIN_MEMORY_MB} to {MAX_MEMORY_MB}.",
            f.memory_mb
        )));
    }
    if !(1..=MAX_TIMEOUT_S).contains(&f.timeout_s) {
        return Err(invalid(format!(
            "Timeout is {} s; it must be from 1 to {MAX_TIMEOUT_S} (15 minutes).",
            f.timeout_s
        )));
    }
    if f.reserved_concurrency
        .is_some_and(|c| c > ACCOUNT_CONCURRENCY)
    {
        return Err(invalid(format!(
            "Reserved concurrency cannot exceed the account's limit of {ACCOUNT_CONCURRENCY}."
        )));
    }
    let a = &f.async_config;
    if a.maximum_retry_attempts > MAX_RETRY_ATTEMPTS {
        return Err(invalid(format!(
            "MaximumRetryAttempts is {}; it must be from 0 to {MAX_RETRY_ATTEMPTS}.",
            a.maximum_retry_attempts
        )));
    }
    if !(MIN_EVENT_AGE_S..=MAX_EVENT_AGE_S).contains(&a.maximum_event_age_seconds) {
        return Err(invalid(format!(
            "MaximumEventAgeInSeconds is {}; it must be from {MIN_EVENT_AGE_S} to {MAX_EVENT_AGE_S}.",
            a.maximum_event_age_seconds
        )));
    }
    for s in &f.handler.steps {
        if let Step::Fail {
            when: When::Probability(p),
            ..
        }
        | Step::ReportBatchItemFailures {
            when: When::Probability(p),
        } = s
        {
            if !(0.0..=1.0).contains(p) {
                return Err(invalid(format!(
                    "A failure probability is from 0 to 1, not {p}."
                )));
            }
        }
    }
    Ok(())
}

/// The value at a dotted path of a JSON document (`Records.0.body`); array elements by
/// index.
pub fn lookup<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = doc;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        at = match at {
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            Value::Object(o) => o.get(part)?,
            _ => return None,
        };
    }
    Some(at)
}

/// Every value at a dotted path where `*` stands for any element or field
/// (`Records.*.body`: each record's body).
fn lookup_all<'a>(at: &'a Value, parts: &[&str], out: &mut Vec<&'a Value>) {
    let Some((first, rest)) = parts.split_first() else {
        out.push(at);
        return;
    };
    if first.is_empty() {
        return lookup_all(at, rest, out);
    }
    match (at, *first) {
        (Value::Array(items), "*") => items.iter().for_each(|x| lookup_all(x, rest, out)),
        (Value::Object(o), "*") => o.values().for_each(|x| lookup_all(x, rest, out)),
        (Value::Array(items), p) => {
            if let Some(x) = p.parse::<usize>().ok().and_then(|i| items.get(i)) {
                lookup_all(x, rest, out)
            }
        }
        (Value::Object(o), p) => {
            if let Some(x) = o.get(p) {
                lookup_all(x, rest, out)
            }
        }
        _ => {}
    }
}

/// A value as template text: strings as they are, anything else as JSON.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Fills a template's `{{path}}` placeholders from the event (an unknown path becomes
/// empty) and `{{request_id}}` from the invocation.
pub fn render(template: &str, event: &Value, request_id: &str) -> String {
    fill(template, event, &Value::Null, request_id, false)
}

/// [`render`] for JSON text: each substituted value is escaped for a JSON string, since
/// templates in an item stand inside quotes (`{"id": "{{Records.0.body}}"}`) — except a
/// template that is the whole text (`{{body}}`), which is put in as it is.
pub fn render_json(template: &str, event: &Value, request_id: &str) -> String {
    fill(template, event, &Value::Null, request_id, true)
}

/// Where a path is read: `result.…` in what the handler's last API call returned, anything
/// else in the event.
fn scope<'a>(event: &'a Value, last: &'a Value, path: &'a str) -> (&'a Value, &'a str) {
    match path.strip_prefix("result") {
        Some(rest) if rest.is_empty() || rest.starts_with('.') => {
            (last, rest.trim_start_matches('.'))
        }
        _ => (event, path),
    }
}

fn fill(template: &str, event: &Value, last: &Value, request_id: &str, json: bool) -> String {
    let value = |path: &str| -> Option<String> {
        if path == "request_id" {
            return Some(request_id.to_string());
        }
        let (doc, path) = scope(event, last, path);
        lookup(doc, path).map(as_text)
    };
    let whole = template.trim();
    if json && whole.starts_with("{{") && whole.ends_with("}}") && whole[2..].find("{{").is_none() {
        if let Some(v) = value(whole[2..whole.len() - 2].trim()) {
            return v;
        }
    }
    let put = |v: String| {
        if json {
            let quoted = Value::String(v).to_string();
            quoted[1..quoted.len() - 1].to_string()
        } else {
            v
        }
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                if let Some(v) = value(after[..end].trim()) {
                    out.push_str(&put(v));
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn holds(when: &When, doc: &Value, last: &Value, rng: &mut Rng) -> bool {
    match when {
        When::Always => true,
        When::Probability(p) => rng.chance(*p),
        When::FieldEquals { path, value } => {
            let (doc, path) = scope(doc, last, path);
            let mut found = vec![];
            lookup_all(doc, &path.split('.').collect::<Vec<_>>(), &mut found);
            found.iter().any(|v| as_text(v) == *value)
        }
        When::Missing { path } => {
            let (doc, path) = scope(doc, last, path);
            lookup(doc, path).is_none_or(|v| v.is_null())
        }
    }
}

/// An API call a handler makes, `at_ms` into its run.
// A DynamoDB request is the largest variant; a run holds a handful of calls, so boxing it
// would save nothing worth the indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    SendMessage {
        queue: String,
        body: String,
        group_id: Option<String>,
    },
    Publish {
        topic: String,
        message: String,
        attributes: Vec<(String, String)>,
    },
    PutObject {
        bucket: String,
        key: String,
        body: String,
    },
    /// A DynamoDB call; an error whose code is in `catch` is caught.
    DynamoDb {
        request: Request,
        catch: Vec<String>,
    },
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    /// Returned normally, with the `batchItemFailures` it reported (SQS message ids, or
    /// a stream record's sequence number).
    Returned { batch_item_failures: Vec<String> },
    /// Threw an error (Unhandled).
    Error { error_type: String, message: String },
    /// Ran past its timeout.
    TimedOut,
}

/// A handler's run.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// How long it ran, ms (at least 1; at most the timeout).
    pub duration_ms: u64,
    pub ending: Ending,
    /// The calls it made, with when (ms from the start).
    pub calls: Vec<(u64, Call)>,
    /// What a Return step returned (the proxy integration's result), if one did.
    pub response: Option<Value>,
}

/// Where a run has got to: each API call is a point where the caller executes the call and
/// says whether it threw (an AWS SDK call throws its service's error, and the handler,
/// unless it catches it, fails with it: `errorType` is the error's code).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Execution {
    step: usize,
    elapsed_ms: u64,
    failures: Vec<String>,
    calls: Vec<(u64, Call)>,
    /// What the last API call returned (read by `result.…` paths).
    last: Value,
    response: Option<Value>,
}

/// What a run does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// It makes this call, `at_ms` from its start; the caller executes it, then calls
    /// [`Execution::resume`] again, or [`Execution::throw`] if the call threw.
    Call { at_ms: u64, call: Call },
    /// It ended.
    Done(Run),
}

impl Execution {
    /// Runs steps until the next API call or the end: steps in order, stopping at the
    /// first failure or at the timeout (calls due after it are not made).
    pub fn resume(
        &mut self,
        f: &FunctionConfig,
        event: &Value,
        request_id: &str,
        rng: &mut Rng,
    ) -> Progress {
        let timeout = f.timeout_s as u64 * 1000;
        let last = self.last.clone();
        let text = |t: &str| fill(t, event, &last, request_id, false);
        while let Some(step) = f.handler.steps.get(self.step) {
            self.step += 1;
            let call = match step {
                Step::Run { ms } => {
                    self.elapsed_ms = self.elapsed_ms.saturating_add(*ms);
                    if self.elapsed_ms > timeout {
                        return self.end(timeout, Ending::TimedOut);
                    }
                    continue;
                }
                Step::Fail {
                    when,
                    error_type,
                    message,
                } => {
                    if holds(when, event, &last, rng) {
                        let ending = Ending::Error {
                            error_type: text(error_type),
                            message: text(message),
                        };
                        return self.end(self.elapsed_ms.max(1), ending);
                    }
                    continue;
                }
                Step::ReportBatchItemFailures { when } => {
                    for record in event
                        .get("Records")
                        .and_then(|r| r.as_array())
                        .into_iter()
                        .flatten()
                    {
                        if holds(when, record, &last, rng) {
                            let id = record.get("messageId").or_else(|| {
                                record.get("dynamodb").and_then(|d| d.get("SequenceNumber"))
                            });
                            if let Some(id) = id.and_then(|v| v.as_str()) {
                                self.failures.push(id.to_string());
                            }
                        }
                    }
                    continue;
                }
                Step::Return {
                    when,
                    status_code,
                    body,
                    headers,
                } => {
                    if holds(when, event, &last, rng) {
                        let headers: serde_json::Map<String, Value> = headers
                            .iter()
                            .map(|(k, v)| (k.clone(), Value::String(text(v))))
                            .collect();
                        self.response = Some(serde_json::json!({
                            "statusCode": status_code,
                            "headers": headers,
                            "body": text(body),
                        }));
                        let failures = std::mem::take(&mut self.failures);
                        return self.end(
                            self.elapsed_ms.max(1),
                            Ending::Returned {
                                batch_item_failures: failures,
                            },
                        );
                    }
                    continue;
                }
                Step::SendMessage {
                    queue,
                    body,
                    group_id,
                } => Call::SendMessage {
                    queue: text(queue),
                    body: text(body),
                    group_id: group_id.as_deref().map(text),
                },
                Step::Publish {
                    topic,
                    message,
                    attributes,
                } => Call::Publish {
                    topic: text(topic),
                    message: text(message),
                    attributes: attributes
                        .iter()
                        .map(|(k, v)| (k.clone(), text(v)))
                        .collect(),
                },
                Step::PutObject { bucket, key, body } => Call::PutObject {
                    bucket: text(bucket),
                    key: text(key),
                    body: text(body),
                },
                Step::DynamoDb { call, catch } => Call::DynamoDb {
                    request: call.render(|t, json| fill(t, event, &last, request_id, json)),
                    catch: catch.clone(),
                },
            };
            self.calls.push((self.elapsed_ms, call.clone()));
            return Progress::Call {
                at_ms: self.elapsed_ms,
                call,
            };
        }
        let failures = std::mem::take(&mut self.failures);
        self.end(
            self.elapsed_ms.max(1),
            Ending::Returned {
                batch_item_failures: failures,
            },
        )
    }

    /// The call just made threw this error, uncaught: the run ends with it.
    pub fn throw(&mut self, error_type: &str, message: &str) -> Run {
        let ending = Ending::Error {
            error_type: error_type.to_string(),
            message: message.to_string(),
        };
        match self.end(self.elapsed_ms.max(1), ending) {
            Progress::Done(run) => run,
            Progress::Call { .. } => unreachable!("end always finishes"),
        }
    }

    fn end(&mut self, duration_ms: u64, ending: Ending) -> Progress {
        Progress::Done(Run {
            duration_ms,
            ending,
            calls: std::mem::take(&mut self.calls),
            response: self.response.take(),
        })
    }

    /// What the call just made returned, for the steps after it (`{{result.Item.total}}`).
    pub fn set_result(&mut self, result: Value) {
        self.last = result;
    }
}

/// Runs the handler on an event with every call succeeding (the handler's preview, and
/// tests): [`Execution::resume`] to the end.
pub fn run(f: &FunctionConfig, event: &Value, request_id: &str, rng: &mut Rng) -> Run {
    let mut e = Execution::default();
    loop {
        if let Progress::Done(run) = e.resume(f, event, request_id, rng) {
            return run;
        }
    }
}

/// GB-seconds of a run: memory in GB × the duration billed (per 1 ms).
pub fn gb_seconds(memory_mb: u32, duration_ms: u64) -> f64 {
    memory_mb as f64 / 1024.0 * duration_ms as f64 / 1000.0
}

/// `2026-01-01T00:00:00.000Z` plus `ms`: the simulated account's clock starts at the
/// scenario's epoch, the first second of 2026 (UTC).
pub fn timestamp(ms: u64) -> String {
    // Days since 1970-01-01 of 2026-01-01.
    const EPOCH_DAYS: i64 = 20_454;
    let days = EPOCH_DAYS + (ms / 86_400_000) as i64;
    let in_day = ms % 86_400_000;
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(steps: Vec<Step>) -> FunctionConfig {
        FunctionConfig {
            name: "labeler".into(),
            handler: Handler { steps },
            ..Default::default()
        }
    }

    #[test]
    fn handlers_run_their_steps_against_the_event() {
        let event = json!({"Records": [{"s3": {"object": {"key": "my+photo.jpg", "size": 5}}}]});
        let h = f(vec![
            Step::Run { ms: 120 },
            Step::PutObject {
                bucket: "labels".into(),
                key: "{{Records.0.s3.object.key}}.json".into(),
                body: "{\"size\": {{Records.0.s3.object.size}}, \"by\": \"{{request_id}}\"}".into(),
            },
            Step::Run { ms: 30 },
        ]);
        let r = run(&h, &event, "req-1", &mut Rng::new(1));
        assert_eq!(r.duration_ms, 150);
        assert_eq!(
            r.calls,
            [(
                120,
                Call::PutObject {
                    bucket: "labels".into(),
                    key: "my+photo.jpg.json".into(),
                    body: "{\"size\": 5, \"by\": \"req-1\"}".into()
                }
            )]
        );
        // A failure stops the run; the timeout cuts it.
        let failing = f(vec![
            Step::Run { ms: 10 },
            Step::Fail {
                when: When::FieldEquals {
                    path: "Records.0.s3.object.size".into(),
                    value: "5".into(),
                },
                error_type: "ValueError".into(),
                message: "too small: {{Records.0.s3.object.size}}".into(),
            },
            Step::SendMessage {
                queue: "never".into(),
                body: "x".into(),
                group_id: None,
            },
        ]);
        let r = run(&failing, &event, "req-2", &mut Rng::new(1));
        assert_eq!(
            r.ending,
            Ending::Error {
                error_type: "ValueError".into(),
                message: "too small: 5".into()
            }
        );
        assert!(r.calls.is_empty());
        let slow = f(vec![Step::Run { ms: 5_000 }]);
        let r = run(&slow, &event, "req-3", &mut Rng::new(1));
        assert_eq!((r.duration_ms, r.ending), (3_000, Ending::TimedOut));
    }

    #[test]
    fn partial_batch_failures_name_the_records() {
        let event = json!({"Records": [
            {"messageId": "id1", "body": "ok"}, {"messageId": "id2", "body": "bad"},
            {"messageId": "id3", "body": "ok"}, {"messageId": "id4", "body": "bad"},
            {"messageId": "id5", "body": "ok"}]});
        let h = f(vec![Step::ReportBatchItemFailures {
            when: When::FieldEquals {
                path: "body".into(),
                value: "bad".into(),
            },
        }]);
        let r = run(&h, &event, "r", &mut Rng::new(1));
        assert_eq!(
            r.ending,
            Ending::Returned {
                batch_item_failures: vec!["id2".into(), "id4".into()]
            }
        );
    }

    #[test]
    fn limits_and_clock() {
        let mut c = f(vec![]);
        assert!(check_config(&c).is_ok());
        c.memory_mb = 100;
        assert!(check_config(&c)
            .unwrap_err()
            .message
            .contains("MemorySize is 100 MB"));
        c.memory_mb = 128;
        c.timeout_s = 901;
        assert!(check_config(&c)
            .unwrap_err()
            .message
            .contains("Timeout is 901"));
        c.timeout_s = 3;
        c.async_config.maximum_retry_attempts = 3;
        assert!(check_config(&c).is_err());
        c.async_config.maximum_retry_attempts = 2;
        c.async_config.maximum_event_age_seconds = 59;
        assert!(check_config(&c).is_err());
        assert_eq!(timestamp(0), "2026-01-01T00:00:00.000Z");
        assert_eq!(timestamp(90_061_001), "2026-01-02T01:01:01.001Z");
        assert_eq!(timestamp(59 * 86_400_000), "2026-03-01T00:00:00.000Z");
        // 512 MB for 1,000 ms is half a GB-second.
        assert!((gb_seconds(512, 1000) - 0.5).abs() < 1e-12);
    }
}
