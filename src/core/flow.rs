//! The serverless flow engine: one account's SQS queues, SNS topics and Lambda functions
//! (with event source mappings from queues) run on the kernel's virtual clock, every call
//! and event recorded in the trace with its cause, its time, a stable code and a sentence
//! that says why ("moved to orders-dlq: receive 4 after maxReceiveCount 3"). A scenario is
//! the resources plus timed actions; running it twice gives the same trace, byte for byte.
//!
//! Behaviours scheduled on the clock (sources in each service module and here):
//! * asynchronous invocation (SNS → Lambda, `Invoke` with `Event`): an attempt runs when
//!   the function has concurrency; a throttled event is retried after 1 s, doubling to at
//!   most 5 minutes, until MaximumEventAgeInSeconds; an attempt that fails is retried about
//!   1 minute and then 2 minutes after it ends (MaximumRetryAttempts 0–2); then the
//!   on-failure destination gets the invocation record (`RetriesExhausted`,
//!   `approximateInvokeCount`), or `EventAgeExceeded` when the event grew too old;
//! * synchronous invocation: over the concurrency limit it is refused
//!   (TooManyRequestsException, 429);
//! * event source mapping SQS → Lambda ("Using Lambda with Amazon SQS"): long polls of 20 s,
//!   batches of BatchSize (gathered for up to MaximumBatchingWindowInSeconds), five
//!   concurrent batches at first and up to 300 more each minute while messages wait (at
//!   most 1,000, or MaximumConcurrency); a batch that succeeds is deleted; one whose
//!   function fails returns to the queue when its visibility timeout ends; with
//!   ReportBatchItemFailures only the reported messages return (without it a returned
//!   `batchItemFailures` is ignored and every message deleted);
//! * S3 event notifications (`services::s3`): each rule that fires for a change sends the
//!   event record to its function (asynchronously), queue or topic;
//! * recursive loop detection ("Use Lambda recursive loop detection to prevent infinite
//!   loops"): a function invoked more than 16 times in one chain of requests through SQS,
//!   SNS or S3 is not invoked again; the event is dropped and counted;
//! * SQS's own timeouts, delays, retention and redrive (`services::sqs`);
//! * DynamoDB calls from scripts and handlers, and streams to Lambda (`flow::dynamo`).
//!
//! A handler's API calls run when its run reaches them, and a call that gets an error
//! throws it: the run fails with the error's code as `errorType`, as an uncaught SDK
//! exception does.

use crate::core::account::{SANDBOX_ACCOUNT, SANDBOX_REGION};
use crate::core::services::dynamodb::request::Request;
use crate::core::services::dynamodb::table::Table;
use crate::core::services::lambda::{self, Call, Ending, FunctionConfig, Progress};
use crate::core::services::s3::{self, Change, S3};
use crate::core::services::sns::filter::MessageAttribute;
use crate::core::services::sns::{Endpoint, Sns};
use crate::core::services::sqs::{QueueEvent, Received, SendOptions, Sent, Sqs};
use crate::core::sim::{Arn, AwsError, Clock, Rng, Trace, TraceId, TraceKind};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// 2026-01-01T00:00:00Z in Unix milliseconds, the simulated clock's zero.
pub const EPOCH_MS: u64 = 1_767_225_600_000;
/// The ESM's long poll.
pub const ESM_WAIT_MS: u64 = 20_000;
/// Concurrent batches an event source mapping starts with, and how many more a minute.
pub const ESM_START_BATCHES: u32 = 5;
pub const ESM_SCALE_PER_MINUTE: u32 = 300;
pub const ESM_MAX_BATCHES: u32 = 1_000;
/// Concurrency Lambda keeps unreserved in an account (reserved concurrency cannot take it).
pub const UNRESERVED_MIN: u32 = 100;
/// Invocations of one function in one chain of requests before Lambda stops the chain.
pub const RECURSION_LIMIT: usize = 16;
/// Throttled asynchronous events: the first retry after 1 s, doubling to 5 minutes.
pub const THROTTLE_FIRST_MS: u64 = 1_000;
pub const THROTTLE_MAX_MS: u64 = 300_000;

/// An event source mapping from a queue to a function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    pub queue: String,
    pub function: String,
    /// 1–10,000 (standard; FIFO at most 10); more than 10 needs a batching window.
    pub batch_size: u32,
    pub maximum_batching_window_seconds: u32,
    pub report_batch_item_failures: bool,
    /// 2–1,000 concurrent batches, or Lambda's own scaling.
    pub maximum_concurrency: Option<u32>,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping {
            queue: String::new(),
            function: String::new(),
            batch_size: 10,
            maximum_batching_window_seconds: 0,
            report_batch_item_failures: false,
            maximum_concurrency: None,
        }
    }
}

/// A timed action of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    SendMessage {
        queue: String,
        body: String,
        #[serde(default)]
        delay_seconds: Option<u32>,
        #[serde(default)]
        group_id: Option<String>,
    },
    Publish {
        topic: String,
        message: String,
        #[serde(default)]
        attributes: Vec<(String, String)>,
    },
    Invoke {
        function: String,
        payload: Value,
        /// `Event` (asynchronous) rather than `RequestResponse`.
        #[serde(default)]
        asynchronous: bool,
    },
    PutObject {
        bucket: String,
        key: String,
        #[serde(default)]
        body: String,
        #[serde(default)]
        content_type: String,
    },
    DeleteObject {
        bucket: String,
        key: String,
    },
    /// A DynamoDB call (PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan).
    #[serde(rename = "dynamodb")]
    DynamoDb {
        call: Request,
    },
    /// An HTTP request to an API's stage: `GET /orders/42`, once, or `per_second` a second
    /// for `for_seconds` (a load).
    HttpRequest {
        api: String,
        method: String,
        path: String,
        #[serde(default)]
        body: String,
        /// Sent as `x-api-key`.
        #[serde(default)]
        api_key: Option<String>,
        #[serde(default)]
        per_second: u32,
        #[serde(default)]
        for_seconds: u32,
    },
}

/// The resources a scenario starts with.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    pub sqs: Sqs,
    pub sns: Sns,
    pub s3: S3,
    pub functions: Vec<FunctionConfig>,
    pub mappings: Vec<Mapping>,
    pub tables: BTreeMap<String, Table>,
    pub stream_mappings: Vec<StreamMapping>,
    pub apis: Vec<crate::core::services::apigateway::ApiSpec>,
    /// Identities and resource-based policies: every call is authorized against them
    /// (`Access::default()` leaves IAM out, for tests of other behaviours).
    pub access: Access,
}

/// An asynchronous invocation waiting in Lambda's internal queue.
#[derive(Clone, Debug, PartialEq)]
struct AsyncEvent {
    request_id: String,
    function: String,
    payload: Value,
    /// When Lambda accepted it (event age counts from here).
    accepted_ms: u64,
    /// Attempts run so far.
    attempts: u32,
    /// Throttles in a row (the retry interval doubles).
    throttles: u32,
    cause: TraceId,
}

/// What a run was for: an asynchronous event, a synchronous call, or an SQS batch.
#[derive(Clone, Debug, PartialEq)]
enum Origin {
    Async(AsyncEvent),
    Sync,
    Batch {
        mapping: usize,
        messages: Vec<Received>,
    },
    /// An API Gateway request waiting for the function (its id).
    Api(String),
    /// Records `start..start + len` of a table's stream, for stream mapping `mapping`.
    Stream {
        mapping: usize,
        start: usize,
        len: usize,
    },
}

/// A run between two of its API calls.
#[derive(Clone, Debug, PartialEq)]
struct Running {
    function: String,
    request_id: String,
    payload: Value,
    origin: Origin,
    /// The LAMBDA_START entry.
    started: TraceId,
    start_ms: u64,
    exec: lambda::Execution,
}

#[derive(Clone, Debug, PartialEq)]
enum Event {
    /// A scripted action and the identity that makes it ("" for `admin`).
    Action(Action, String),
    Attempt(AsyncEvent),
    /// A run reaches an API call.
    HandlerCall(Box<Running>, Call),
    Finished {
        function: String,
        request_id: String,
        run: lambda::Run,
        origin: Origin,
        cause: TraceId,
    },
    Poll(usize),
    /// A stream mapping reads its shard.
    StreamPoll(usize),
    /// An API request's integration timeout ends (its id).
    ApiTimeout(String),
    /// TTL deletes a table's expired items.
    TtlSweep(String),
    /// A queue changes on its own (a delay or visibility timeout ends, a message expires):
    /// the trace records it on time.
    QueueTick,
}

/// Something moving from one resource to another, for the diagram's animation: the trace
/// entry it belongs to and the two resources (named as the trace's actors: `queue orders`,
/// `function labeler`, `topic events`, `bucket photos`, `scenario`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Move {
    pub trace: TraceId,
    pub at_ms: u64,
    pub from: String,
    pub to: String,
}

/// Billable requests the engine counted, for the cost of a run
/// (`core::views::flow::cost`). Lambda and DynamoDB usage is in the counters and the
/// table calls.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// SQS requests to standard and FIFO queues: each 64 KB chunk of a payload is one.
    pub sqs_requests: u64,
    pub sqs_fifo_requests: u64,
    /// SNS Publish requests (64 KB chunks).
    pub sns_requests: u64,
    /// S3 PUT-class requests.
    pub s3_put_requests: u64,
    /// API Gateway REST calls billed.
    pub api_requests: u64,
}

/// Billed 64 KB chunks of a payload (at least one).
pub fn chunks(bytes: usize) -> u64 {
    (bytes as u64).div_ceil(65_536).max(1)
}

/// Per-resource counts for the page and the chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Counters {
    pub invocations: u64,
    pub errors: u64,
    pub throttles: u64,
    /// Billed duration, ms (billed per 1 ms).
    pub duration_ms: u64,
    pub sent: u64,
    pub deleted: u64,
    pub moved_to_dlq: u64,
    /// Invocations dropped by recursive loop detection (RecursiveInvocationsDropped).
    pub recursive_dropped: u64,
    pub notifications: u64,
    pub published: u64,
    pub delivered: u64,
    pub filtered_out: u64,
    /// DynamoDB: read and write requests served, and the units consumed (RCU/WCU on a
    /// provisioned table, RRU/WRU on demand; `write_units` includes what refused
    /// conditional writes consumed, which are counted in `condition_failures`).
    pub reads: u64,
    pub writes: u64,
    pub read_units: f64,
    pub write_units: f64,
    /// Writes refused by their ConditionExpression (ConditionalCheckFailedException).
    pub condition_failures: u64,
    /// Stream records a mapping processed, and those it discarded.
    pub records_processed: u64,
    pub records_discarded: u64,
}

/// An event source mapping's running state.
#[derive(Clone, Debug, Default, PartialEq)]
struct Poller {
    busy: u32,
    /// Since when messages have waited (scaling counts minutes from here).
    backlog_since: Option<u64>,
    /// When a batching window started gathering.
    window_from: Option<u64>,
    pending: Option<crate::core::sim::EventId>,
    /// Stopped for want of concurrency: any run that ends wakes it.
    blocked: bool,
    /// Stopped for good: the function's role may not read the queue.
    denied: bool,
    /// Until when the current empty long poll waits (one ReceiveMessage request): a
    /// message arriving meanwhile is its answer, not a new request.
    long_poll_until: Option<u64>,
}

/// The world of one scenario run.
pub struct Flow {
    pub sqs: Sqs,
    pub sns: Sns,
    pub s3: S3,
    pub functions: BTreeMap<String, FunctionConfig>,
    pub mappings: Vec<Mapping>,
    pub tables: BTreeMap<String, Table>,
    pub stream_mappings: Vec<StreamMapping>,
    /// Every DynamoDB call, in time order (the table viewer's list).
    pub table_calls: Vec<TableCall>,
    /// Billable requests counted as they happen.
    pub usage: Usage,
    /// Every API request and its response, in the order answered.
    pub api_calls: Vec<ApiCall>,
    apis: api::Apis,
    pub trace: Trace,
    pub counters: BTreeMap<String, Counters>,
    /// Every move between resources, in time order.
    pub moves: Vec<Move>,
    clock: Clock<Event>,
    rng: Rng,
    in_flight: BTreeMap<String, u32>,
    pollers: Vec<Poller>,
    /// The pending queue tick: (when, event).
    queue_tick: Option<(u64, crate::core::sim::EventId)>,
    requests: u64,
    streams: dynamo::Streams,
    /// The account's identities and policies.
    pub access: Access,
    /// Every call IAM refused, in time order.
    pub denials: Vec<Denial>,
    /// Synchronous invocations a client waits on (`client::Flow::invoke_now`), by request
    /// id: `None` until the run ends. Other synchronous runs keep nothing.
    sync_results: BTreeMap<String, Option<lambda::Run>>,
    /// Each (caller, action, resource, the ARN whose policy applies) decided so far: `None`
    /// for an allow.
    decisions: BTreeMap<(Who, String, String, String), Option<Box<Denial>>>,
}

fn function_arn(name: &str) -> String {
    Arn::new(
        "lambda",
        SANDBOX_REGION,
        SANDBOX_ACCOUNT,
        &format!("function:{name}"),
    )
    .to_string()
}

fn queue_arn(name: &str) -> String {
    Arn::new("sqs", SANDBOX_REGION, SANDBOX_ACCOUNT, name).to_string()
}

fn topic_arn(name: &str) -> String {
    Arn::new("sns", SANDBOX_REGION, SANDBOX_ACCOUNT, name).to_string()
}

/// `arn:aws:s3:::bucket` (S3 ARNs carry neither Region nor account).
pub fn bucket_arn(name: &str) -> String {
    format!("arn:aws:s3:::{name}")
}

/// `arn:aws:dynamodb:us-east-1:111122223333:table/name`.
pub fn table_arn(name: &str) -> String {
    Arn::new(
        "dynamodb",
        SANDBOX_REGION,
        SANDBOX_ACCOUNT,
        &format!("table/{name}"),
    )
    .to_string()
}

/// The ARN of a resource as the diagram names it (`queue orders`), for its policy.
pub fn node_arn(node: &str) -> Option<String> {
    let (kind, name) = node.split_once(' ')?;
    Some(match kind {
        "queue" => queue_arn(name),
        "topic" => topic_arn(name),
        "bucket" => bucket_arn(name),
        "function" => function_arn(name),
        "table" => table_arn(name),
        _ => return None,
    })
}

/// Why an invocation cannot run now: every execution in use, or none allowed at all.
pub(super) fn in_use(running: u32, limit: u32) -> String {
    if limit == 0 {
        "its reserved concurrency is 0, so nothing runs it until that changes".to_string()
    } else {
        format!("{running} of {limit} concurrent executions in use")
    }
}

fn secs(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.3} s", ms as f64 / 1000.0)
    }
}

impl Flow {
    /// A world with these resources, its random numbers drawn from `seed`.
    pub fn new(resources: Resources, seed: u64) -> Result<Flow, AwsError> {
        let Resources {
            sqs,
            sns,
            s3,
            functions,
            mappings,
            tables,
            stream_mappings,
            apis,
            access,
        } = resources;
        for a in &apis {
            crate::core::services::apigateway::check(a)?;
        }
        for f in &functions {
            lambda::check_config(f)?;
            if access.enforced && !access.assumable_by(&f.role, "lambda.amazonaws.com") {
                let why = if f.role.is_empty() {
                    "it names no execution role (Role)".to_string()
                } else if !access.is_role(&f.role) {
                    format!("the role defined for the function cannot be assumed by Lambda: this account has no role {}", f.role)
                } else {
                    format!("the role defined for the function cannot be assumed by Lambda: the trust policy of role {} does not let lambda.amazonaws.com assume it", f.role)
                };
                return Err(AwsError::new(
                    "InvalidParameterValueException",
                    400,
                    format!("Function {}: {why}.", f.name),
                ));
            }
        }
        for m in &mappings {
            check_mapping(m, &sqs, &functions, false)?;
        }
        for m in &stream_mappings {
            dynamo::check_stream_mapping(m, &tables, &functions, &sqs, &sns)?;
        }
        let reserved: u32 = functions
            .iter()
            .filter_map(|f| f.reserved_concurrency)
            .sum();
        if reserved > lambda::ACCOUNT_CONCURRENCY - UNRESERVED_MIN {
            return Err(AwsError::new("InvalidParameterValueException", 400, format!("The functions reserve {reserved} concurrent executions: that leaves fewer than {UNRESERVED_MIN} of the account's {} unreserved, which Lambda requires.", lambda::ACCOUNT_CONCURRENCY)));
        }
        let pollers = vec![Poller::default(); mappings.len()];
        let mut flow = Flow {
            sqs,
            sns,
            s3,
            functions: functions.into_iter().map(|f| (f.name.clone(), f)).collect(),
            mappings,
            trace: Trace::new(),
            counters: BTreeMap::new(),
            moves: vec![],
            clock: Clock::new(),
            rng: Rng::new(seed),
            in_flight: BTreeMap::new(),
            pollers,
            queue_tick: None,
            requests: 0,
            streams: dynamo::Streams::new(stream_mappings.len()),
            table_calls: vec![],
            usage: Usage::default(),
            api_calls: vec![],
            apis: api::Apis::new(apis),
            tables,
            stream_mappings,
            access,
            denials: vec![],
            sync_results: BTreeMap::new(),
            decisions: BTreeMap::new(),
        };
        for k in 0..flow.mappings.len() {
            let id = flow.clock.schedule(0, Event::Poll(k));
            flow.pollers[k].pending = Some(id);
        }
        Ok(flow)
    }

    /// Adds or replaces an IAM role or user of the account (the console's `aws iam`
    /// calls): later calls are authorized against it. Errors as [`Access::put_identity`].
    pub fn put_identity(&mut self, spec: IdentitySpec) -> Result<(), Vec<String>> {
        self.access.put_identity(spec)?;
        self.decisions.clear();
        Ok(())
    }

    /// Replaces the account's identities and resource policies (another tool changed IAM
    /// alone): later calls are authorized against `access`; nothing else changes.
    pub fn set_access(&mut self, access: Access) {
        self.access = access;
        self.decisions.clear();
    }

    /// Removes the role or user `name` (IAM's DeleteRole); `false` if there is none. A
    /// function whose execution role is gone is denied every call it makes.
    pub fn remove_identity(&mut self, name: &str) -> bool {
        let removed = self.access.remove_identity(name);
        self.decisions.clear();
        removed
    }

    /// Takes in resources defined anew by another tool (the flow page edits the sandbox
    /// account's serverless resources, `views::flow::scenario::definitions_of`): `fresh` is
    /// the account built from the new definitions, and becomes this one at this moment.
    ///
    /// What stays keeps what it holds: a bucket its objects (and when it was made), a queue
    /// its messages (those in flight stay invisible until their visibility timeout ends), a
    /// table with the same keys its items, as UpdateTable keeps them (`Table::redefined`;
    /// its stream mappings read on from the stream's end), a subscription its id. The
    /// clock, the trace, the counts, the bill and the lists of calls and denials go on.
    /// Work under way (invocations waiting or retrying, batches being polled) is dropped:
    /// it ran on definitions that are gone.
    pub fn redefine(&mut self, mut fresh: Flow) {
        let now = self.clock.now_ms();
        for (name, q) in fresh.sqs.queues.iter_mut() {
            if let Some(old) = self.sqs.queues.remove(name) {
                q.messages = old.messages;
                q.dedup = old.dedup;
                q.next_change_ms = 0;
            }
        }
        fresh.sqs.sent = self.sqs.sent;
        fresh.sqs.receipts = self.sqs.receipts;
        // A subscription that stays keeps its id (its ARN); a new one gets the next.
        let mut next = self.sns.subscribed;
        for (name, t) in fresh.sns.topics.iter_mut() {
            let mut old = self
                .sns
                .topics
                .get(name)
                .map(|o| o.subscriptions.clone())
                .unwrap_or_default();
            for sub in t.subscriptions.iter_mut() {
                let same = old.iter().position(|o| {
                    o.endpoint == sub.endpoint
                        && o.filter_policy == sub.filter_policy
                        && o.filter_policy_scope == sub.filter_policy_scope
                        && o.raw_message_delivery == sub.raw_message_delivery
                });
                match same {
                    Some(k) => sub.id = old.remove(k).id,
                    None => {
                        next += 1;
                        sub.id = format!("sub-{next}");
                    }
                }
            }
        }
        fresh.sns.subscribed = next;
        fresh.sns.published = self.sns.published;
        for (name, b) in fresh.s3.buckets.iter_mut() {
            match self.s3.buckets.remove(name) {
                Some(old) => {
                    b.objects = old.objects;
                    b.created_ms = old.created_ms;
                    // A bucket that has had versioning cannot go back to unversioned, only
                    // to Suspended (S3 User Guide, "Using versioning in S3 buckets").
                    if b.versioning == s3::Versioning::Off && old.versioning != s3::Versioning::Off
                    {
                        b.versioning = s3::Versioning::Suspended;
                    }
                }
                None => b.created_ms = now,
            }
        }
        fresh.s3.versions = self.s3.versions;
        let names: Vec<String> = fresh.tables.keys().cloned().collect();
        for name in names {
            let Some(spec) = fresh.tables.get(&name).map(|t| t.spec.clone()) else {
                continue;
            };
            let table = match self.tables.remove(&name) {
                Some(old) if old.spec == spec => Some(old),
                Some(old) => old.redefined(spec.clone(), now),
                None => None,
            };
            if let Some(t) = table.or_else(|| Table::create(spec, now).ok()) {
                fresh.tables.insert(name, t);
            }
        }
        self.clock.clear_pending();
        fresh.clock = std::mem::take(&mut self.clock);
        fresh.rng = self.rng;
        fresh.trace = std::mem::take(&mut self.trace);
        fresh.counters = std::mem::take(&mut self.counters);
        fresh.moves = std::mem::take(&mut self.moves);
        fresh.requests = self.requests;
        fresh.table_calls = std::mem::take(&mut self.table_calls);
        fresh.usage = std::mem::take(&mut self.usage);
        fresh.api_calls = std::mem::take(&mut self.api_calls);
        fresh.denials = std::mem::take(&mut self.denials);
        for k in 0..fresh.mappings.len() {
            let id = fresh.clock.schedule(0, Event::Poll(k));
            fresh.pollers[k] = Poller {
                pending: Some(id),
                ..Poller::default()
            };
        }
        fresh.streams_from_end();
        *self = fresh;
        self.schedule_queue_tick();
    }

    /// The REST APIs as defined, by name.
    pub fn api_specs(&self) -> Vec<crate::core::services::apigateway::ApiSpec> {
        self.apis.specs().cloned().collect()
    }

    /// Schedules a scenario's action at `at_ms`, made by `admin`.
    pub fn at(&mut self, at_ms: u64, action: Action) {
        self.at_as(at_ms, action, "")
    }

    /// Schedules a scenario's action at `at_ms` (a load of requests as each request), made
    /// by the identity `principal` ("" for `admin`).
    pub fn at_as(&mut self, at_ms: u64, action: Action, principal: &str) {
        if let Action::HttpRequest {
            per_second,
            for_seconds,
            ..
        } = &action
        {
            if *per_second > 0 && *for_seconds > 0 {
                let n = (*per_second as u64 * *for_seconds as u64).min(api::MAX_LOAD);
                for k in 0..n {
                    let t = at_ms + k * 1000 / *per_second as u64;
                    self.clock
                        .schedule_at(t, Event::Action(action.clone(), principal.to_string()));
                }
                return;
            }
        }
        self.clock
            .schedule_at(at_ms, Event::Action(action, principal.to_string()));
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// Runs every event due up to `until_ms` (queue timeouts included); returns how many
    /// ran.
    pub fn run_until(&mut self, until_ms: u64) -> usize {
        self.run_within(until_ms, usize::MAX, usize::MAX).0
    }

    /// [`Flow::run_until`] that stops after `max_events` events or once the trace holds
    /// `max_trace` entries (a crafted scenario cannot run away); returns the events run
    /// and whether a limit stopped it.
    pub fn run_within(
        &mut self,
        until_ms: u64,
        max_events: usize,
        max_trace: usize,
    ) -> (usize, bool) {
        let mut n = 0;
        while let Some((_, _, event)) = self.clock.pop_until(until_ms) {
            self.handle(event);
            n += 1;
            if n >= max_events || self.trace.entries().len() >= max_trace {
                return (n, true);
            }
        }
        self.queue_events(until_ms, None);
        (n, false)
    }

    /// Records a move into `to` for trace entry `id`, from whoever made `cause`.
    fn moved(&mut self, id: TraceId, cause: TraceId, to: String) {
        let from = self
            .trace
            .get(cause)
            .map(|e| e.actor.clone())
            .unwrap_or_default();
        self.moves.push(Move {
            trace: id,
            at_ms: self.clock.now_ms(),
            from,
            to,
        });
    }

    /// Counts `n` billable SQS requests to `queue` by its type.
    fn sqs_request(&mut self, queue: &str, n: u64) {
        if self.sqs.queue(queue).is_ok_and(|q| q.attributes.fifo_queue) {
            self.usage.sqs_fifo_requests += n;
        } else {
            self.usage.sqs_requests += n;
        }
    }

    fn count(&mut self, resource: &str) -> &mut Counters {
        self.counters.entry(resource.to_string()).or_default()
    }

    fn record(
        &mut self,
        cause: Option<TraceId>,
        actor: &str,
        kind: TraceKind,
        code: &'static str,
        text: String,
    ) -> TraceId {
        let now = self.clock.now_ms();
        self.trace.record(now, cause, actor, kind, code, text)
    }

    /// Keeps one event pending at the queues' earliest change, so what they do on their own
    /// is recorded when it happens, not at the next event.
    fn schedule_queue_tick(&mut self) {
        let now = self.clock.now_ms();
        self.queue_events(now, None);
        let Some(next) = self.sqs.next_change_any() else {
            return;
        };
        if next <= now || self.queue_tick.is_some_and(|(at, _)| at <= next) {
            return;
        }
        if let Some((_, id)) = self.queue_tick.take() {
            self.clock.cancel(id);
        }
        let id = self.clock.schedule_at(next, Event::QueueTick);
        self.queue_tick = Some((next, id));
    }

    /// Records what the queues did on their own up to `now_ms`.
    fn queue_events(&mut self, now_ms: u64, cause: Option<TraceId>) {
        let events = self.sqs.advance(now_ms);
        self.note_queue_events(events, cause);
    }

    fn note_queue_events(&mut self, events: Vec<QueueEvent>, cause: Option<TraceId>) {
        for e in events {
            match e {
                QueueEvent::DelayEnded { queue, message_id } => {
                    self.record(
                        cause,
                        &format!("queue {queue}"),
                        TraceKind::Event,
                        "SQS_DELAY_ENDED",
                        format!("{message_id} can be received: its delay ended"),
                    );
                }
                QueueEvent::VisibleAgain {
                    queue,
                    message_id,
                    receive_count,
                } => {
                    self.record(cause, &format!("queue {queue}"), TraceKind::Event, "SQS_VISIBLE_AGAIN", format!("{message_id} is visible again: its visibility timeout ended without a DeleteMessage (received {receive_count} time{})", if receive_count == 1 { "" } else { "s" }));
                }
                QueueEvent::Expired { queue, message_id } => {
                    self.record(
                        cause,
                        &format!("queue {queue}"),
                        TraceKind::Event,
                        "SQS_EXPIRED",
                        format!("{message_id} deleted: older than the queue's retention period"),
                    );
                }
                QueueEvent::MovedToDeadLetterQueue {
                    queue,
                    dlq,
                    message_id,
                    receive_count,
                    max_receive_count,
                } => {
                    self.count(&queue).moved_to_dlq += 1;
                    let id = self.record(cause, &format!("queue {queue}"), TraceKind::Event, "SQS_MOVED_TO_DLQ", format!("{message_id} moved to {dlq}: receive {} after maxReceiveCount {max_receive_count}", receive_count + 1));
                    self.moves.push(Move {
                        trace: id,
                        at_ms: self.clock.now_ms(),
                        from: format!("queue {queue}"),
                        to: format!("queue {dlq}"),
                    });
                    self.wake_pollers(&dlq);
                }
            }
        }
    }

    fn handle(&mut self, event: Event) {
        let now = self.clock.now_ms();
        self.queue_events(now, None);
        match event {
            Event::Action(a, principal) => self.action(a, principal),
            Event::Attempt(e) => self.attempt(e),
            Event::HandlerCall(running, call) => self.handler_call(*running, call),
            Event::StreamPoll(k) => self.stream_poll(k),
            Event::ApiTimeout(id) => self.api_timeout(&id),
            Event::TtlSweep(table) => self.ttl_sweep(&table),
            Event::Finished {
                function,
                request_id,
                run,
                origin,
                cause,
            } => self.finished(&function, &request_id, run, origin, cause),
            Event::Poll(k) => self.poll(k),
            Event::QueueTick => self.queue_tick = None,
        }
        self.schedule_queue_tick();
    }

    fn action(&mut self, a: Action, principal: String) {
        let who = Who::Identity(if principal.is_empty() {
            access::ADMIN.to_string()
        } else {
            principal
        });
        match a {
            Action::SendMessage {
                queue,
                body,
                delay_seconds,
                group_id,
            } => {
                let cause = self.record(
                    None,
                    "scenario",
                    TraceKind::Call,
                    "SQS_SEND_MESSAGE",
                    format!("SendMessage to {queue}"),
                );
                let opts = SendOptions {
                    delay_seconds,
                    group_id,
                    ..Default::default()
                };
                if self.may_send(&who, &queue, cause).is_ok() {
                    let _ = self.send(&queue, &body, opts, cause);
                }
            }
            Action::Publish {
                topic,
                message,
                attributes,
            } => {
                let cause = self.record(
                    None,
                    "scenario",
                    TraceKind::Call,
                    "SNS_PUBLISH",
                    format!("Publish to {topic}"),
                );
                if self.may_publish(&who, &topic, cause).is_ok() {
                    let _ = self.publish(&topic, &message, &attributes, cause);
                }
            }
            Action::PutObject {
                bucket,
                key,
                body,
                content_type,
            } => {
                let cause = self.record(
                    None,
                    "scenario",
                    TraceKind::Call,
                    "S3_PUT_OBJECT",
                    format!("PutObject s3://{bucket}/{key}"),
                );
                if self
                    .may_object(&who, "s3:PutObject", &bucket, &key, cause)
                    .is_ok()
                {
                    let _ = self.put_object(&bucket, &key, &body, &content_type, cause);
                }
            }
            Action::DeleteObject { bucket, key } => {
                let cause = self.record(
                    None,
                    "scenario",
                    TraceKind::Call,
                    "S3_DELETE_OBJECT",
                    format!("DeleteObject s3://{bucket}/{key}"),
                );
                if self
                    .may_object(&who, "s3:DeleteObject", &bucket, &key, cause)
                    .is_err()
                {
                    return;
                }
                let now = self.clock.now_ms();
                match self.s3.delete_object(now, &bucket, &key) {
                    Ok(Some(change)) => self.notify(change, cause),
                    Ok(None) => {
                        self.record(
                            Some(cause),
                            &format!("bucket {bucket}"),
                            TraceKind::Event,
                            "S3_NOTHING_DELETED",
                            format!(
                                "{key} does not exist: DeleteObject succeeds and no event is sent"
                            ),
                        );
                    }
                    Err(e) => {
                        self.record(
                            Some(cause),
                            &format!("bucket {bucket}"),
                            TraceKind::Event,
                            "S3_REFUSED",
                            e.cli("DeleteObject"),
                        );
                    }
                }
            }
            Action::DynamoDb { call } => {
                let _ = self.dynamo_call(&who, "scenario", &call, None);
            }
            Action::HttpRequest {
                api,
                method,
                path,
                body,
                api_key,
                ..
            } => self.http_request(&api, &method, &path, &body, api_key.as_deref()),
            Action::Invoke {
                function,
                payload,
                asynchronous,
            } => {
                let kind = if asynchronous {
                    "Event"
                } else {
                    "RequestResponse"
                };
                let cause = self.record(
                    None,
                    "scenario",
                    TraceKind::Call,
                    "LAMBDA_INVOKE",
                    format!("Invoke {function} ({kind})"),
                );
                let arn = function_arn(&function);
                let target = format!("function {function}");
                if self
                    .gate(
                        &who,
                        "lambda:InvokeFunction",
                        &arn,
                        &arn,
                        &target,
                        Some(cause),
                    )
                    .is_err()
                {
                    return;
                }
                if asynchronous {
                    self.invoke_async(&function, payload, cause);
                } else {
                    if self
                        .invoke_sync(&function, payload, Origin::Sync, cause)
                        .is_some()
                    {
                        self.moved(cause, cause, format!("function {function}"));
                    }
                }
            }
        }
    }

    /// SendMessage, as a caller or a delivery makes it.
    fn send(
        &mut self,
        queue: &str,
        body: &str,
        mut opts: SendOptions,
        cause: TraceId,
    ) -> Result<Sent, AwsError> {
        let now = self.clock.now_ms();
        // The message remembers what sent it: a batch of it chains back to that cause.
        opts.origin = Some(cause.0);
        self.sqs_request(queue, chunks(body.len()));
        match self.sqs.send_message(now, queue, body, opts) {
            Ok(Sent::Queued {
                message_id,
                sequence_number,
            }) => {
                self.count(queue).sent += 1;
                let id = self.record(
                    Some(cause),
                    &format!("queue {queue}"),
                    TraceKind::Event,
                    "SQS_ENQUEUED",
                    format!("{message_id} enqueued"),
                );
                self.moved(id, cause, format!("queue {queue}"));
                self.wake_pollers(queue);
                Ok(Sent::Queued {
                    message_id,
                    sequence_number,
                })
            }
            Ok(Sent::Duplicate { message_id }) => {
                self.record(Some(cause), &format!("queue {queue}"), TraceKind::Event, "SQS_DEDUPLICATED", format!("not enqueued: a duplicate of {message_id} within the 5-minute deduplication interval"));
                Ok(Sent::Duplicate { message_id })
            }
            Err(e) => {
                self.record(
                    Some(cause),
                    &format!("queue {queue}"),
                    TraceKind::Event,
                    "SQS_SEND_REFUSED",
                    e.cli("SendMessage"),
                );
                Err(e)
            }
        }
    }

    fn publish(
        &mut self,
        topic: &str,
        message: &str,
        attributes: &[(String, String)],
        cause: TraceId,
    ) -> Result<String, AwsError> {
        let attrs: BTreeMap<String, MessageAttribute> = attributes
            .iter()
            .map(|(k, v)| (k.clone(), MessageAttribute::string(v)))
            .collect();
        self.usage.sns_requests += chunks(message.len());
        let (id, subs) = match self.sns.publish(topic, message) {
            Ok((id, t)) => (id, t.subscriptions.clone()),
            Err(e) => {
                self.record(
                    Some(cause),
                    &format!("topic {topic}"),
                    TraceKind::Event,
                    "SNS_PUBLISH_REFUSED",
                    e.cli("Publish"),
                );
                return Err(e);
            }
        };
        self.count(topic).published += 1;
        let received = self.record(
            Some(cause),
            &format!("topic {topic}"),
            TraceKind::Event,
            "SNS_RECEIVED",
            format!(
                "{id} published ({} subscription{})",
                subs.len(),
                if subs.len() == 1 { "" } else { "s" }
            ),
        );
        self.moved(received, cause, format!("topic {topic}"));
        let cause = received;
        let now = self.clock.now_ms();
        let attr_json: serde_json::Map<String, Value> = attrs
            .iter()
            .map(|(k, v)| (k.clone(), json!({"Type": v.data_type, "Value": v.value})))
            .collect();
        let notification = json!({
            "Type": "Notification",
            "MessageId": id,
            "TopicArn": topic_arn(topic),
            "Message": message,
            "Timestamp": lambda::timestamp(now),
            "MessageAttributes": attr_json,
        });
        for s in subs {
            let verdict = s.accepts(&attrs, message);
            let target = s.endpoint.name().to_string();
            if !verdict.matched {
                self.count(topic).filtered_out += 1;
                self.record(
                    Some(cause),
                    &format!("topic {topic}"),
                    TraceKind::Event,
                    "SNS_FILTERED_OUT",
                    format!("{id} not delivered to {target}: {}", verdict.reason),
                );
                continue;
            }
            if let Err(e) = self.may_deliver(topic, &s.endpoint, cause) {
                self.record(
                    Some(cause),
                    &format!("topic {topic}"),
                    TraceKind::Event,
                    "SNS_DELIVERY_FAILED",
                    format!("{id} not delivered to {target}: {} (a client-side error: SNS does not retry it, and with no dead-letter queue on the subscription the message is lost)", e.code),
                );
                continue;
            }
            self.count(topic).delivered += 1;
            let hop = self.record(
                Some(cause),
                &format!("topic {topic}"),
                TraceKind::Hop,
                "SNS_DELIVERED",
                format!("{id} delivered to {target} ({})", verdict.reason),
            );
            match s.endpoint {
                Endpoint::Sqs(q) => {
                    let body = if s.raw_message_delivery {
                        message.to_string()
                    } else {
                        notification.to_string()
                    };
                    let _ = self.send(&q, &body, SendOptions::default(), hop);
                }
                Endpoint::Lambda(f) => {
                    let event = json!({"Records": [{
                        "EventSource": "aws:sns",
                        "EventVersion": "1.0",
                        "EventSubscriptionArn": format!("{}:{}", topic_arn(topic), s.id),
                        "Sns": notification,
                    }]});
                    self.invoke_async(&f, event, hop);
                }
            }
        }
        Ok(id)
    }

    fn put_object(
        &mut self,
        bucket: &str,
        key: &str,
        body: &str,
        content_type: &str,
        cause: TraceId,
    ) -> Result<(), AwsError> {
        let now = self.clock.now_ms();
        self.usage.s3_put_requests += 1;
        match self.s3.put_object(now, bucket, key, body, content_type) {
            Ok(change) => {
                let id = self.record(
                    Some(cause),
                    &format!("bucket {bucket}"),
                    TraceKind::Event,
                    "S3_STORED",
                    format!("{key} stored ({} bytes, ETag {})", change.size, change.etag),
                );
                self.moved(id, cause, format!("bucket {bucket}"));
                self.notify(change, cause);
                Ok(())
            }
            Err(e) => {
                self.record(
                    Some(cause),
                    &format!("bucket {bucket}"),
                    TraceKind::Event,
                    "S3_REFUSED",
                    e.cli("PutObject"),
                );
                Err(e)
            }
        }
    }

    /// Sends a change's event record to every rule that fires for it.
    fn notify(&mut self, change: Change, cause: TraceId) {
        let now = self.clock.now_ms();
        for rule in self.s3.rules_for(&change) {
            self.s3.versions += 1;
            let record =
                s3::event_record(&change, &rule.id, &lambda::timestamp(now), self.s3.versions);
            let target = match &rule.target {
                s3::Target::Lambda(n) => format!("function {n}"),
                s3::Target::Sqs(n) => format!("queue {n}"),
                s3::Target::Sns(n) => format!("topic {n}"),
            };
            let (action, arn) = match &rule.target {
                s3::Target::Lambda(n) => ("lambda:InvokeFunction", function_arn(n)),
                s3::Target::Sqs(n) => ("sqs:SendMessage", queue_arn(n)),
                s3::Target::Sns(n) => ("sns:Publish", topic_arn(n)),
            };
            let who = Who::Service {
                principal: "s3.amazonaws.com",
                source_arn: bucket_arn(&change.bucket),
            };
            if self
                .gate(&who, action, &arn, &arn, &target, Some(cause))
                .is_err()
            {
                self.record(
                    Some(cause),
                    &format!("bucket {}", change.bucket),
                    TraceKind::Event,
                    "S3_NOTIFICATION_FAILED",
                    format!(
                        "{} of {} not sent to {target}: its policy does not let S3 ({action}); S3 checks this when the notification is configured, and drops events that fail later",
                        change.event_name, change.key
                    ),
                );
                continue;
            }
            self.count(&change.bucket).notifications += 1;
            let hop = self.record(
                Some(cause),
                &format!("bucket {}", change.bucket),
                TraceKind::Hop,
                "S3_NOTIFICATION",
                format!(
                    "{} of {} → {target} (rule {}; key in the event: {})",
                    change.event_name,
                    change.key,
                    rule.id,
                    s3::event_key(&change.key)
                ),
            );
            match rule.target {
                s3::Target::Lambda(f) => self.invoke_async(&f, record, hop),
                s3::Target::Sqs(q) => {
                    let _ = self.send(&q, &record.to_string(), SendOptions::default(), hop);
                }
                s3::Target::Sns(t) => {
                    let _ = self.publish(&t, &record.to_string(), &[], hop);
                }
            }
        }
    }

    /// How many times `function` has started in the chain of requests that led to `cause`.
    fn chain_runs(&self, function: &str, cause: TraceId) -> usize {
        let actor = format!("function {function}");
        self.trace
            .causes(cause)
            .iter()
            .filter(|e| e.code == "LAMBDA_START" && e.actor == actor)
            .count()
    }

    fn next_request(&mut self) -> String {
        self.requests += 1;
        format!("req-{}", self.requests)
    }

    /// Lambda accepts an asynchronous event (202) and queues it.
    fn invoke_async(&mut self, function: &str, payload: Value, cause: TraceId) {
        if !self.functions.contains_key(function) {
            self.record(
                Some(cause),
                &format!("function {function}"),
                TraceKind::Event,
                "LAMBDA_NOT_FOUND",
                format!(
                    "ResourceNotFoundException: Function not found: {}",
                    function_arn(function)
                ),
            );
            return;
        }
        let runs = self.chain_runs(function, cause);
        if runs >= RECURSION_LIMIT {
            self.count(function).recursive_dropped += 1;
            self.record(Some(cause), &format!("function {function}"), TraceKind::Event, "LAMBDA_RECURSIVE_LOOP_STOPPED", format!("not invoked: {function} already ran {runs} times in this chain of requests, so Lambda's recursive loop detection stops it (the function writes to what triggers it)"));
            return;
        }
        let request_id = self.next_request();
        let now = self.clock.now_ms();
        let accepted = self.record(
            Some(cause),
            &format!("function {function}"),
            TraceKind::Event,
            "LAMBDA_ASYNC_QUEUED",
            format!("{request_id} accepted (202) into the function's event queue"),
        );
        self.moved(accepted, cause, format!("function {function}"));
        self.clock.schedule(
            0,
            Event::Attempt(AsyncEvent {
                request_id,
                function: function.to_string(),
                payload,
                accepted_ms: now,
                attempts: 0,
                throttles: 0,
                cause: accepted,
            }),
        );
    }

    /// Concurrency: a function with reserved concurrency uses its own; the others share
    /// what the account's limit leaves. Returns (running, limit).
    fn concurrency(&self, function: &str) -> (u32, u32) {
        let reserved_total: u32 = self
            .functions
            .values()
            .filter_map(|f| f.reserved_concurrency)
            .sum();
        match self
            .functions
            .get(function)
            .and_then(|f| f.reserved_concurrency)
        {
            Some(r) => (self.in_flight.get(function).copied().unwrap_or(0), r),
            None => {
                let running = self
                    .functions
                    .values()
                    .filter(|f| f.reserved_concurrency.is_none())
                    .map(|f| self.in_flight.get(&f.name).copied().unwrap_or(0))
                    .sum();
                (
                    running,
                    lambda::ACCOUNT_CONCURRENCY.saturating_sub(reserved_total),
                )
            }
        }
    }

    /// Starts a run: it goes on to its first API call or its end.
    fn start(&mut self, function: &str, payload: &Value, origin: Origin, cause: TraceId) -> String {
        let request_id = match &origin {
            Origin::Async(e) => e.request_id.clone(),
            _ => self.next_request(),
        };
        let config = &self.functions[function];
        let text = format!(
            "{request_id} starts ({} MB, timeout {})",
            config.memory_mb,
            secs(config.timeout_s as u64 * 1000)
        );
        *self.in_flight.entry(function.to_string()).or_default() += 1;
        self.count(function).invocations += 1;
        let started = self.record(
            Some(cause),
            &format!("function {function}"),
            TraceKind::Call,
            "LAMBDA_START",
            text,
        );
        let running = Running {
            function: function.to_string(),
            request_id: request_id.clone(),
            payload: payload.clone(),
            origin,
            started,
            start_ms: self.clock.now_ms(),
            exec: lambda::Execution::default(),
        };
        self.advance(running);
        request_id
    }

    /// Runs a handler on to its next API call (scheduled when the run reaches it) or to
    /// its end.
    fn advance(&mut self, mut r: Running) {
        let config = &self.functions[&r.function];
        match r
            .exec
            .resume(config, &r.payload, &r.request_id, &mut self.rng)
        {
            Progress::Call { at_ms, call } => {
                self.clock
                    .schedule_at(r.start_ms + at_ms, Event::HandlerCall(Box::new(r), call));
            }
            Progress::Done(run) => self.end_run(r, run),
        }
    }

    fn end_run(&mut self, r: Running, run: lambda::Run) {
        self.count(&r.function).duration_ms += run.duration_ms;
        self.clock.schedule_at(
            r.start_ms + run.duration_ms,
            Event::Finished {
                function: r.function,
                request_id: r.request_id,
                run,
                origin: r.origin,
                cause: r.started,
            },
        );
    }

    fn attempt(&mut self, mut e: AsyncEvent) {
        let now = self.clock.now_ms();
        let Some(config) = self.functions.get(&e.function).cloned() else {
            return;
        };
        let max_age = config.async_config.maximum_event_age_seconds as u64 * 1000;
        if now.saturating_sub(e.accepted_ms) > max_age {
            let t = self.record(
                Some(e.cause),
                &format!("function {}", e.function),
                TraceKind::Event,
                "LAMBDA_EVENT_AGE_EXCEEDED",
                format!(
                    "{} dropped: older than MaximumEventAgeInSeconds ({})",
                    e.request_id,
                    secs(max_age)
                ),
            );
            self.fail_destination(&config, &e, "EventAgeExceeded", None, t);
            return;
        }
        let (running, limit) = self.concurrency(&e.function);
        if running >= limit {
            let wait = (THROTTLE_FIRST_MS << e.throttles.min(16)).min(THROTTLE_MAX_MS);
            e.throttles += 1;
            self.count(&e.function).throttles += 1;
            let t = self.record(
                Some(e.cause),
                &format!("function {}", e.function),
                TraceKind::Event,
                "LAMBDA_THROTTLED",
                format!(
                    "{} throttled: {}; back in the event queue, retried in {}",
                    e.request_id,
                    in_use(running, limit),
                    secs(wait)
                ),
            );
            e.cause = t;
            self.clock.schedule(wait, Event::Attempt(e));
            return;
        }
        e.attempts += 1;
        e.throttles = 0;
        let payload = e.payload.clone();
        let function = e.function.clone();
        let cause = e.cause;
        self.start(&function, &payload, Origin::Async(e), cause);
    }

    /// A synchronous invocation (RequestResponse, or an event source mapping's batch):
    /// refused with 429 over the concurrency limit.
    fn invoke_sync(
        &mut self,
        function: &str,
        payload: Value,
        origin: Origin,
        cause: TraceId,
    ) -> Option<String> {
        if !self.functions.contains_key(function) {
            self.record(
                Some(cause),
                &format!("function {function}"),
                TraceKind::Event,
                "LAMBDA_NOT_FOUND",
                format!(
                    "ResourceNotFoundException: Function not found: {}",
                    function_arn(function)
                ),
            );
            return None;
        }
        let (running, limit) = self.concurrency(function);
        if running >= limit {
            self.count(function).throttles += 1;
            self.record(
                Some(cause),
                &format!("function {function}"),
                TraceKind::Event,
                "LAMBDA_THROTTLED",
                format!(
                    "TooManyRequestsException (429): Rate Exceeded. {}",
                    in_use(running, limit)
                ),
            );
            return None;
        }
        Some(self.start(function, &payload, origin, cause))
    }

    /// A run makes an API call; an error it gets is thrown (the run fails with it) unless
    /// the handler catches that error.
    fn handler_call(&mut self, mut r: Running, call: Call) {
        let actor = format!("function {}", r.function);
        let cause = r.started;
        let (result, catch) = match call {
            Call::SendMessage {
                queue,
                body,
                group_id,
            } => {
                let t = self.record(
                    Some(cause),
                    &actor,
                    TraceKind::Call,
                    "SQS_SEND_MESSAGE",
                    format!("SendMessage to {queue}"),
                );
                let opts = SendOptions {
                    group_id,
                    ..Default::default()
                };
                let who = self.function_who(&r.function);
                let sent = self
                    .may_send(&who, &queue, t)
                    .and_then(|_| self.send(&queue, &body, opts, t).map(|_| ()));
                (sent, vec![])
            }
            Call::Publish {
                topic,
                message,
                attributes,
            } => {
                let t = self.record(
                    Some(cause),
                    &actor,
                    TraceKind::Call,
                    "SNS_PUBLISH",
                    format!("Publish to {topic}"),
                );
                let who = self.function_who(&r.function);
                let published = self
                    .may_publish(&who, &topic, t)
                    .and_then(|_| self.publish(&topic, &message, &attributes, t).map(|_| ()));
                (published, vec![])
            }
            Call::PutObject { bucket, key, body } => {
                let t = self.record(
                    Some(cause),
                    &actor,
                    TraceKind::Call,
                    "S3_PUT_OBJECT",
                    format!("PutObject s3://{bucket}/{key}"),
                );
                let who = self.function_who(&r.function);
                let put = self
                    .may_object(&who, "s3:PutObject", &bucket, &key, t)
                    .and_then(|_| self.put_object(&bucket, &key, &body, "", t));
                (put, vec![])
            }
            Call::DynamoDb { request, catch } => {
                let who = self.function_who(&r.function);
                let answer = self.dynamo_call(&who, &actor, &request, Some(cause));
                if let Ok(a) = &answer {
                    r.exec.set_result(a.to_json(request.operation));
                }
                (answer.map(|_| ()), catch)
            }
        };
        match result {
            Err(e) if catch.iter().any(|c| c == e.code) => {
                // The caught error is what the steps after it see (`result.Error.Code`).
                r.exec
                    .set_result(json!({"Error": {"Code": e.code, "Message": e.message}}));
                self.record(
                    Some(cause),
                    &actor,
                    TraceKind::Event,
                    "LAMBDA_CAUGHT",
                    format!("{} caught {}: the handler goes on", r.request_id, e.code),
                );
                self.advance(r);
            }
            Err(e) => {
                let run = r.exec.throw(e.code, &e.message);
                self.end_run(r, run);
            }
            Ok(()) => self.advance(r),
        }
    }

    fn finished(
        &mut self,
        function: &str,
        request_id: &str,
        run: lambda::Run,
        origin: Origin,
        cause: TraceId,
    ) {
        if let Some(n) = self.in_flight.get_mut(function) {
            *n = n.saturating_sub(1);
        }
        let actor = format!("function {function}");
        let failed = !matches!(run.ending, Ending::Returned { .. });
        let how = match &run.ending {
            Ending::Returned {
                batch_item_failures,
            } if batch_item_failures.is_empty() => "returned".to_string(),
            Ending::Returned {
                batch_item_failures,
            } => format!(
                "returned batchItemFailures {}",
                batch_item_failures.join(", ")
            ),
            Ending::Error {
                error_type,
                message,
            } => format!("failed: {error_type}: {message}"),
            Ending::TimedOut => format!("timed out after {}", secs(run.duration_ms)),
        };
        if failed {
            self.count(function).errors += 1;
        }
        let end = self.record(
            Some(cause),
            &actor,
            TraceKind::Event,
            if failed { "LAMBDA_ERROR" } else { "LAMBDA_END" },
            format!("{request_id} {how} (billed {} ms)", run.duration_ms),
        );
        match origin {
            Origin::Sync => {
                if let Some(slot) = self.sync_results.get_mut(request_id) {
                    *slot = Some(run);
                }
            }
            Origin::Async(e) => self.async_done(e, &run, end),
            Origin::Batch { mapping, messages } => self.batch_done(mapping, messages, &run, end),
            Origin::Stream {
                mapping,
                start,
                len,
            } => self.stream_done(mapping, start, len, &run, end),
            Origin::Api(id) => self.api_done(&id, &run, end),
        }
        // A finished run frees concurrency: its function's pollers, and pollers stopped for
        // want of concurrency (the unreserved pool is shared), may go on.
        for k in 0..self.mappings.len() {
            if self.mappings[k].function == function || self.pollers[k].blocked {
                self.pollers[k].blocked = false;
                self.schedule_poll(k, 0);
            }
        }
        self.wake_blocked_streams();
    }

    fn async_done(&mut self, e: AsyncEvent, run: &lambda::Run, end: TraceId) {
        let config = self.functions[&e.function].clone();
        let failed = !matches!(run.ending, Ending::Returned { .. });
        if !failed {
            if let Some(d) = &config.async_config.on_success {
                let record = invocation_record(&e, &config, "Success", run, self.clock.now_ms());
                self.deliver_record(&config.name, d, record, end);
            }
            return;
        }
        let retries = config.async_config.maximum_retry_attempts as u32;
        if e.attempts <= retries {
            // About a minute after the first failure, two after the second.
            let wait = if e.attempts == 1 { 60_000 } else { 120_000 };
            let t = self.record(
                Some(end),
                &format!("function {}", e.function),
                TraceKind::Event,
                "LAMBDA_RETRY_SCHEDULED",
                format!(
                    "{} retry {} of {retries} in {}",
                    e.request_id,
                    e.attempts,
                    secs(wait)
                ),
            );
            let mut next = e;
            next.cause = t;
            self.clock.schedule(wait, Event::Attempt(next));
        } else {
            let t = self.record(
                Some(end),
                &format!("function {}", e.function),
                TraceKind::Event,
                "LAMBDA_RETRIES_EXHAUSTED",
                format!(
                    "{} failed {} time{}: retries exhausted (MaximumRetryAttempts {retries})",
                    e.request_id,
                    e.attempts,
                    if e.attempts == 1 { "" } else { "s" }
                ),
            );
            self.fail_destination(&config, &e, "RetriesExhausted", Some(run), t);
        }
    }

    fn fail_destination(
        &mut self,
        config: &FunctionConfig,
        e: &AsyncEvent,
        condition: &str,
        run: Option<&lambda::Run>,
        cause: TraceId,
    ) {
        match &config.async_config.on_failure {
            Some(d) => {
                let empty = lambda::Run {
                    duration_ms: 0,
                    ending: Ending::TimedOut,
                    calls: vec![],
                    response: None,
                };
                let record = invocation_record(
                    e,
                    config,
                    condition,
                    run.unwrap_or(&empty),
                    self.clock.now_ms(),
                );
                self.deliver_record(&config.name, d, record, cause);
            }
            None => {
                self.record(
                    Some(cause),
                    &format!("function {}", config.name),
                    TraceKind::Event,
                    "LAMBDA_EVENT_DISCARDED",
                    format!("{} discarded: no on-failure destination", e.request_id),
                );
            }
        }
    }

    /// Sends an invocation record to a destination, as `function`'s execution role.
    fn deliver_record(
        &mut self,
        function: &str,
        d: &lambda::Destination,
        record: Value,
        cause: TraceId,
    ) {
        let who = self.function_who(function);
        let (action, arn, target) = match d {
            lambda::Destination::Sqs(q) => ("sqs:SendMessage", queue_arn(q), format!("queue {q}")),
            lambda::Destination::Sns(t) => ("sns:Publish", topic_arn(t), format!("topic {t}")),
            lambda::Destination::Lambda(f) => (
                "lambda:InvokeFunction",
                function_arn(f),
                format!("function {f}"),
            ),
        };
        if self
            .gate(&who, action, &arn, &arn, &target, Some(cause))
            .is_err()
        {
            self.record(
                Some(cause),
                &format!("function {function}"),
                TraceKind::Event,
                "LAMBDA_DESTINATION_FAILED",
                format!("the record is not delivered to {target}: the execution role may not ({action}), so it is lost"),
            );
            return;
        }
        match d {
            lambda::Destination::Sqs(q) => {
                let _ = self.send(q, &record.to_string(), SendOptions::default(), cause);
            }
            lambda::Destination::Sns(t) => {
                let _ = self.publish(t, &record.to_string(), &[], cause);
            }
            lambda::Destination::Lambda(f) => self.invoke_async(f, record, cause),
        }
    }

    /// (Re)schedules mapping `k`'s poll in `delay_ms`, replacing a later pending one.
    fn schedule_poll(&mut self, k: usize, delay_ms: u64) {
        if let Some(id) = self.pollers[k].pending.take() {
            self.clock.cancel(id);
        }
        let id = self.clock.schedule(delay_ms, Event::Poll(k));
        self.pollers[k].pending = Some(id);
    }

    fn wake_pollers(&mut self, queue: &str) {
        for k in 0..self.mappings.len() {
            if self.mappings[k].queue == queue {
                self.schedule_poll(k, 0);
            }
        }
    }

    /// How many batches mapping `k` may run at once now.
    fn batch_limit(&self, k: usize) -> u32 {
        let m = &self.mappings[k];
        let cap = m
            .maximum_concurrency
            .unwrap_or(ESM_MAX_BATCHES)
            .min(ESM_MAX_BATCHES);
        let minutes = self.pollers[k]
            .backlog_since
            .map(|t| (self.clock.now_ms() - t) / 60_000)
            .unwrap_or(0);
        (ESM_START_BATCHES as u64 + ESM_SCALE_PER_MINUTE as u64 * minutes).min(cap as u64) as u32
    }

    fn poll(&mut self, k: usize) {
        self.pollers[k].pending = None;
        let now = self.clock.now_ms();
        let m = self.mappings[k].clone();
        if self.pollers[k].denied {
            return;
        }
        if !self.esm_allowed(k) {
            self.pollers[k].denied = true;
            return;
        }
        let Ok((visible, _, _)) = self.sqs.counts(now, &m.queue) else {
            return;
        };
        if visible == 0 {
            // A long poll is one ReceiveMessage request for up to 20 s, answered or not.
            if self.pollers[k].long_poll_until.is_none_or(|t| now >= t) {
                self.sqs_request(&m.queue, 1);
                self.pollers[k].long_poll_until = Some(now + ESM_WAIT_MS);
            }
            self.pollers[k].backlog_since = None;
            self.pollers[k].window_from = None;
            // Long poll: back when something changes in the queue or after 20 s.
            let next = self
                .sqs
                .next_change_ms(&m.queue, now)
                .map(|t| t - now)
                .unwrap_or(ESM_WAIT_MS)
                .min(ESM_WAIT_MS);
            self.schedule_poll(k, next);
            return;
        }
        self.pollers[k].backlog_since.get_or_insert(now);
        // Batching window: wait for a full batch, at most the window.
        let window = m.maximum_batching_window_seconds as u64 * 1000;
        if window > 0 && (visible as u32) < m.batch_size {
            let from = *self.pollers[k].window_from.get_or_insert(now);
            if now < from + window {
                self.schedule_poll(k, from + window - now);
                return;
            }
        }
        self.pollers[k].window_from = None;
        while self.pollers[k].busy < self.batch_limit(k) {
            let (running, limit) = self.concurrency(&m.function);
            if running >= limit {
                // Once per stop, on the function (the diagram outlines it, the counters
                // count it).
                if !self.pollers[k].blocked {
                    self.count(&m.function).throttles += 1;
                    self.record(None, &format!("function {}", m.function), TraceKind::Event, "ESM_THROTTLED", format!("the {} → {} mapping starts no batch: {}; its pollers wait (the messages stay in the queue)", m.queue, m.function, in_use(running, limit)));
                }
                self.pollers[k].blocked = true;
                return;
            }
            let mut batch = vec![];
            while (batch.len() as u32) < m.batch_size {
                let want = (m.batch_size - batch.len() as u32).min(10);
                let Ok((got, events)) = self.sqs.receive_message(now, &m.queue, want, None, None)
                else {
                    break;
                };
                let bytes: usize = got.iter().map(|r| r.body.len()).sum();
                // The first receive answers a long poll still waiting: the same request.
                let answering = self.pollers[k]
                    .long_poll_until
                    .take()
                    .is_some_and(|t| now < t);
                self.sqs_request(&m.queue, chunks(bytes) - u64::from(answering));
                self.note_queue_events(events, None);
                if got.is_empty() {
                    break;
                }
                batch.extend(got);
            }
            if batch.is_empty() {
                break;
            }
            let ids: Vec<&str> = batch.iter().map(|r| r.message_id.as_str()).collect();
            let origin = batch
                .iter()
                .find_map(|r| r.origin)
                .map(crate::core::sim::TraceId);
            let runs = origin.map(|o| self.chain_runs(&m.function, o)).unwrap_or(0);
            if runs >= RECURSION_LIMIT {
                self.stop_recursive_batch(k, batch, runs, origin);
                continue;
            }
            let cause = self.record(
                origin,
                &format!("mapping {} → {}", m.queue, m.function),
                TraceKind::Call,
                "ESM_BATCH",
                format!(
                    "ReceiveMessage gave {} message{} ({}); Invoke {} (RequestResponse)",
                    batch.len(),
                    if batch.len() == 1 { "" } else { "s" },
                    ids.join(", "),
                    m.function
                ),
            );
            self.moves.push(Move {
                trace: cause,
                at_ms: now,
                from: format!("queue {}", m.queue),
                to: format!("function {}", m.function),
            });
            let event = sqs_event(&m.queue, &batch);
            self.pollers[k].busy += 1;
            if self
                .invoke_sync(
                    &m.function,
                    event,
                    Origin::Batch {
                        mapping: k,
                        messages: batch,
                    },
                    cause,
                )
                .is_none()
            {
                self.pollers[k].busy -= 1;
                break;
            }
        }
        // More waiting and batches free: poll again when one finishes (finished() wakes us)
        // or on the next long poll.
        if self.pollers[k].pending.is_none() {
            self.schedule_poll(k, ESM_WAIT_MS);
        }
    }

    /// Recursive loop detection on an SQS batch: the function is not invoked; the messages
    /// leave the queue for its dead-letter queue when it has one, or are dropped.
    fn stop_recursive_batch(
        &mut self,
        k: usize,
        batch: Vec<Received>,
        runs: usize,
        origin: Option<TraceId>,
    ) {
        let m = self.mappings[k].clone();
        let now = self.clock.now_ms();
        let dlq = self
            .sqs
            .queue(&m.queue)
            .ok()
            .and_then(|q| q.attributes.redrive_policy.clone())
            .map(|r| r.dead_letter_target);
        self.count(&m.function).recursive_dropped += 1;
        let ids: Vec<&str> = batch.iter().map(|r| r.message_id.as_str()).collect();
        let where_to = match &dlq {
            Some(d) => format!("sent to the queue's dead-letter queue {d}"),
            None => "dropped (the queue has no dead-letter queue)".to_string(),
        };
        let stop = self.record(origin, &format!("function {}", m.function), TraceKind::Event, "LAMBDA_RECURSIVE_LOOP_STOPPED", format!("{} not processed: {} already ran {runs} times in this chain of requests, so Lambda's recursive loop detection stops it; the message{} {where_to}", ids.join(", "), m.function, if ids.len() == 1 { " is" } else { "s are" }));
        for r in &batch {
            let _ = self.sqs.delete_message(now, &m.queue, &r.receipt_handle);
            if let Some(d) = &dlq {
                let opts = SendOptions {
                    group_id: r.group_id.clone(),
                    dedup_id: Some(r.message_id.clone()),
                    ..Default::default()
                };
                let _ = self.send(d, &r.body, opts, stop);
            }
        }
    }

    fn batch_done(&mut self, k: usize, messages: Vec<Received>, run: &lambda::Run, end: TraceId) {
        self.pollers[k].busy = self.pollers[k].busy.saturating_sub(1);
        let m = self.mappings[k].clone();
        let now = self.clock.now_ms();
        let actor = format!("mapping {} → {}", m.queue, m.function);
        let keep: Vec<String> = match &run.ending {
            Ending::Returned {
                batch_item_failures,
            } if m.report_batch_item_failures => batch_item_failures.clone(),
            Ending::Returned {
                batch_item_failures,
            } => {
                if !batch_item_failures.is_empty() {
                    self.record(Some(end), &actor, TraceKind::Event, "ESM_FAILURES_IGNORED", "batchItemFailures ignored: the mapping does not turn on ReportBatchItemFailures, so the whole batch counts as processed".to_string());
                }
                vec![]
            }
            _ => messages.iter().map(|r| r.message_id.clone()).collect(),
        };
        let mut deleted = vec![];
        for r in &messages {
            if keep.contains(&r.message_id) {
                continue;
            }
            match self.sqs.delete_message(now, &m.queue, &r.receipt_handle) {
                Ok(crate::core::services::sqs::Deleted::Deleted) => {
                    deleted.push(r.message_id.clone())
                }
                Ok(crate::core::services::sqs::Deleted::StaleReceipt) => {
                    self.record(Some(end), &actor, TraceKind::Event, "SQS_STALE_RECEIPT", format!("{} not deleted: it was received again while the function ran (the visibility timeout is shorter than the run), so this receipt handle no longer deletes it", r.message_id));
                }
                _ => {}
            }
        }
        self.count(&m.queue).deleted += deleted.len() as u64;
        // DeleteMessageBatch: up to 10 a request, whether each delete succeeds or not.
        let attempted = messages
            .iter()
            .filter(|r| !keep.contains(&r.message_id))
            .count();
        self.sqs_request(&m.queue, attempted.div_ceil(10) as u64);
        if !deleted.is_empty() {
            self.record(
                Some(end),
                &actor,
                TraceKind::Call,
                "SQS_DELETE_MESSAGE",
                format!("DeleteMessage {}", deleted.join(", ")),
            );
        }
        if !keep.is_empty() {
            let why = if matches!(run.ending, Ending::Returned { .. }) {
                "reported in batchItemFailures"
            } else {
                "the function failed"
            };
            self.record(
                Some(end),
                &actor,
                TraceKind::Event,
                "ESM_RETURNED_TO_QUEUE",
                format!(
                    "{} not deleted ({why}): visible again when the visibility timeout ends",
                    keep.join(", ")
                ),
            );
        }
    }
}

/// Checks a mapping: its queue and function exist, batch size and window in range.
pub fn check_mapping(
    m: &Mapping,
    sqs: &Sqs,
    functions: &[FunctionConfig],
    creating: bool,
) -> Result<(), AwsError> {
    let invalid = |t: String| AwsError::new("InvalidParameterValueException", 400, t);
    let q = sqs.queue(&m.queue)?;
    if !functions.iter().any(|f| f.name == m.function) {
        return Err(AwsError::new(
            "ResourceNotFoundException",
            404,
            format!("Function not found: {}", function_arn(&m.function)),
        ));
    }
    let max = if q.attributes.fifo_queue { 10 } else { 10_000 };
    if !(1..=max).contains(&m.batch_size) {
        return Err(invalid(format!(
            "BatchSize is {}; for this queue it must be from 1 to {max}.",
            m.batch_size
        )));
    }
    if m.batch_size > 10 && m.maximum_batching_window_seconds == 0 {
        return Err(invalid(
            "A batch size over 10 needs a MaximumBatchingWindowInSeconds of at least 1.".into(),
        ));
    }
    if m.maximum_batching_window_seconds > 300 {
        return Err(invalid(format!(
            "MaximumBatchingWindowInSeconds is {}; it must be from 0 to 300.",
            m.maximum_batching_window_seconds
        )));
    }
    if q.attributes.fifo_queue && m.maximum_batching_window_seconds > 0 {
        return Err(invalid(
            "Batching window is not supported for FIFO queues.".into(),
        ));
    }
    // Lambda checks this when a mapping is created or updated; a queue or function changed
    // afterwards is not checked again (and a message may then come back while it is still
    // being processed).
    if let Some(f) = functions
        .iter()
        .find(|f| f.name == m.function)
        .filter(|_| creating)
    {
        if q.attributes.visibility_timeout < f.timeout_s {
            return Err(invalid(format!(
                "Queue visibility timeout: {} seconds is less than Function timeout: {} seconds",
                q.attributes.visibility_timeout, f.timeout_s
            )));
        }
    }
    if m.maximum_concurrency
        .is_some_and(|c| !(2..=1_000).contains(&c))
    {
        return Err(invalid(
            "MaximumConcurrency must be from 2 to 1,000.".into(),
        ));
    }
    Ok(())
}

/// The event an SQS event source mapping passes to the function.
fn sqs_event(queue: &str, batch: &[Received]) -> Value {
    let records: Vec<Value> = batch
        .iter()
        .map(|r| {
            json!({
                "messageId": r.message_id,
                "receiptHandle": r.receipt_handle,
                "body": r.body,
                "attributes": {
                    "ApproximateReceiveCount": r.receive_count.to_string(),
                    // Epoch milliseconds: the simulated clock starts at 2026-01-01T00:00:00Z.
                    "SentTimestamp": (EPOCH_MS + r.sent_ms).to_string(),
                },
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn(queue),
                "awsRegion": SANDBOX_REGION,
            })
        })
        .collect();
    json!({ "Records": records })
}

/// The record an asynchronous invocation sends to a destination (Lambda Developer Guide,
/// "Invocation record").
fn invocation_record(
    e: &AsyncEvent,
    f: &FunctionConfig,
    condition: &str,
    run: &lambda::Run,
    now_ms: u64,
) -> Value {
    let mut record = json!({
        "version": "1.0",
        "timestamp": lambda::timestamp(now_ms),
        "requestContext": {
            "requestId": e.request_id,
            "functionArn": format!("{}:$LATEST", function_arn(&f.name)),
            "condition": condition,
            "approximateInvokeCount": e.attempts,
        },
        "requestPayload": e.payload,
        "responseContext": {
            "statusCode": 200,
            "executedVersion": "$LATEST",
        },
    });
    match &run.ending {
        Ending::Error {
            error_type,
            message,
        } if condition != "EventAgeExceeded" => {
            record["responseContext"]["functionError"] = json!("Unhandled");
            record["responsePayload"] = json!({"errorMessage": message, "errorType": error_type});
        }
        Ending::TimedOut if condition == "RetriesExhausted" => {
            record["responseContext"]["functionError"] = json!("Unhandled");
            record["responsePayload"] = json!({"errorMessage": format!("Task timed out after {:.2} seconds", run.duration_ms as f64 / 1000.0)});
        }
        _ => {}
    }
    record
}

mod access;
mod api;
pub mod client;
mod dynamo;
pub use access::{
    check_name, denied_code, is_iam_name, Access, Denial, IdentityKind, IdentitySpec,
    ResourcePolicy, Who, ADMIN, ADMINISTRATOR_ACCESS, AWS_MANAGED, LAMBDA_TRUST,
    SQS_POLLER_ACTIONS, STREAM_POLLER_ACTIONS,
};
pub use api::{ApiCall, MAX_LOADS_TOTAL};

pub use dynamo::{check_stream_mapping, stream_arn, StreamMapping, TableCall};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
