//! Calls a client outside the flow makes on its account, now: what the `aws` console's
//! `s3`, `s3api`, `sqs`, `sns`, `lambda` and `dynamodb` commands send. Each is recorded in
//! the flow's trace as a call by the caller's ARN, and is the cause of what it sets off
//! (an upload's notification, the function it invokes, the queue it fills), so the flow's
//! diagram and event log explain a typed command as they explain a scripted action.
//!
//! The caller has been authorized by the console's own account (its users' and roles'
//! identity-based policies); here the call passes the flow's gate as the scenario's
//! administrator, so the resources' own policies still apply.
//!
//! Each call runs at the engine's current time: the console first runs the engine up to
//! its own clock ([`Flow::run_until`]).

use super::{access, Flow, Who};
use crate::core::services::dynamodb::request::{not_found, Request as DynamoRequest, Response};
use crate::core::services::dynamodb::table::{Table, TableSpec};
use crate::core::services::lambda::Run;
use crate::core::services::s3::ObjectVersion;
use crate::core::services::sns::filter::FilterPolicyScope;
use crate::core::services::sns::Endpoint;
use crate::core::services::sqs::{Deleted, QueueAttributes, Received, SendOptions, Sent};
use crate::core::sim::{AwsError, TraceId, TraceKind};
use serde_json::Value;

/// Trace code of a client's call that has no code of its own (ListBuckets, CreateQueue …).
pub const CLIENT_CALL: &str = "CLIENT_CALL";
/// Trace code of a client's call the service refused.
pub const CLIENT_REFUSED: &str = "CLIENT_REFUSED";

/// The most object data (bodies, every version) a client may store in the account's
/// buckets: the page holds it in memory.
pub const MAX_STORED_BYTES: usize = 16 << 20;

/// What `Invoke` answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Invoked {
    /// `Event`: Lambda queued the event (202).
    Accepted,
    /// `RequestResponse`: the run, ended (its `duration_ms` is how long the caller waited).
    Ran(Run),
}

fn admin() -> Who {
    Who::Identity(access::ADMIN.to_string())
}

impl Flow {
    /// Records a client's call by `actor` (an ARN) with `code` and `text`; the cause of
    /// what follows.
    fn client(&mut self, actor: &str, code: &'static str, text: String) -> TraceId {
        self.record(None, actor, TraceKind::Call, code, text)
    }

    /// Records a refusal of call `call` on `target` and answers the error.
    fn refuse<T>(
        &mut self,
        call: TraceId,
        target: &str,
        operation: &str,
        e: AwsError,
    ) -> Result<T, AwsError> {
        self.record(
            Some(call),
            target,
            TraceKind::Event,
            CLIENT_REFUSED,
            e.cli(operation),
        );
        Err(e)
    }

    /// Records a call that reads or changes nothing the engine runs (ListQueues,
    /// GetFunction …): the trace still shows who asked what, when.
    pub fn client_list(&mut self, actor: &str, operation: &str) {
        self.client(actor, CLIENT_CALL, operation.to_string());
    }

    // ---- S3 ----

    /// CreateBucket (BucketAlreadyOwnedByYou when the account has it).
    pub fn create_bucket_now(&mut self, actor: &str, name: &str) -> Result<(), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("CreateBucket {name}"));
        match self.s3.create_bucket(name) {
            Ok(()) => {
                let now = self.clock.now_ms();
                if let Some(b) = self.s3.buckets.get_mut(name) {
                    b.created_ms = now;
                }
                Ok(())
            }
            Err(e) => self.refuse(call, &format!("bucket {name}"), "CreateBucket", e),
        }
    }

    /// DeleteBucket (BucketNotEmpty while it holds anything).
    pub fn delete_bucket_now(&mut self, actor: &str, name: &str) -> Result<(), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("DeleteBucket {name}"));
        match self.s3.delete_bucket(name) {
            Ok(()) => Ok(()),
            Err(e) => self.refuse(call, &format!("bucket {name}"), "DeleteBucket", e),
        }
    }

    /// ListBuckets: (name, creation time in ms) in name order.
    pub fn list_buckets_now(&mut self, actor: &str) -> Vec<(String, u64)> {
        self.client(actor, CLIENT_CALL, "ListBuckets".into());
        self.s3
            .buckets
            .values()
            .map(|b| (b.name.clone(), b.created_ms))
            .collect()
    }

    /// PutObject: stored, then the bucket's notifications fire. Answers the version stored.
    pub fn put_object_now(
        &mut self,
        actor: &str,
        bucket: &str,
        key: &str,
        body: &str,
        content_type: &str,
    ) -> Result<ObjectVersion, AwsError> {
        let call = self.client(
            actor,
            "S3_PUT_OBJECT",
            format!("PutObject s3://{bucket}/{key}"),
        );
        self.may_object(&admin(), "s3:PutObject", bucket, key, call)?;
        let stored: usize = self
            .s3
            .buckets
            .values()
            .flat_map(|b| b.objects.values().flatten())
            .map(|v| v.body.len())
            .sum();
        if stored.saturating_add(body.len()) > MAX_STORED_BYTES {
            let e = AwsError::new("SandboxStorageFull", 400, format!("This simulated account keeps at most {} MiB of object data, versions included, and holds {stored} bytes: delete objects first. (A limit of the simulator, not of S3.)", MAX_STORED_BYTES >> 20));
            return self.refuse(call, &format!("bucket {bucket}"), "PutObject", e);
        }
        self.put_object(bucket, key, body, content_type, call)?;
        self.s3.get_object(bucket, key).cloned()
    }

    /// GetObject (and HeadObject, `head`: the same answer without the body).
    pub fn get_object_now(
        &mut self,
        actor: &str,
        bucket: &str,
        key: &str,
        head: bool,
    ) -> Result<ObjectVersion, AwsError> {
        let op = if head { "HeadObject" } else { "GetObject" };
        let call = self.client(actor, CLIENT_CALL, format!("{op} s3://{bucket}/{key}"));
        self.may_object(&admin(), "s3:GetObject", bucket, key, call)?;
        match self.s3.get_object(bucket, key) {
            Ok(v) => Ok(v.clone()),
            Err(e) => {
                let e = if head {
                    // HEAD has no body: the CLI only sees the status.
                    AwsError::new("404", 404, "Not Found")
                } else {
                    e
                };
                self.refuse(call, &format!("bucket {bucket}"), op, e)
            }
        }
    }

    /// DeleteObject: answers the delete marker's version id on a versioned bucket.
    pub fn delete_object_now(
        &mut self,
        actor: &str,
        bucket: &str,
        key: &str,
    ) -> Result<Option<String>, AwsError> {
        let call = self.client(
            actor,
            "S3_DELETE_OBJECT",
            format!("DeleteObject s3://{bucket}/{key}"),
        );
        self.may_object(&admin(), "s3:DeleteObject", bucket, key, call)?;
        let now = self.clock.now_ms();
        match self.s3.delete_object(now, bucket, key) {
            Ok(Some(change)) => {
                let marker = change.version_id.clone();
                self.notify(change, call);
                Ok(marker)
            }
            Ok(None) => {
                self.record(
                    Some(call),
                    &format!("bucket {bucket}"),
                    TraceKind::Event,
                    "S3_NOTHING_DELETED",
                    format!("{key} does not exist: DeleteObject succeeds and no event is sent"),
                );
                Ok(None)
            }
            Err(e) => self.refuse(call, &format!("bucket {bucket}"), "DeleteObject", e),
        }
    }

    /// ListObjectsV2: every current object under `prefix`, in key order (the caller pages
    /// and groups by delimiter).
    pub fn list_objects_now(
        &mut self,
        actor: &str,
        bucket: &str,
        prefix: &str,
    ) -> Result<Vec<(String, ObjectVersion)>, AwsError> {
        let call = self.client(
            actor,
            CLIENT_CALL,
            format!("ListObjectsV2 s3://{bucket}/{prefix}"),
        );
        let listed = self
            .s3
            .current(bucket, prefix)
            .map(|objects| objects.map(|(k, v)| (k.to_string(), v.clone())).collect());
        match listed {
            Ok(objects) => Ok(objects),
            Err(e) => self.refuse(call, &format!("bucket {bucket}"), "ListObjectsV2", e),
        }
    }

    // ---- SQS ----

    /// CreateQueue (an existing queue with the same attributes is answered, as AWS does).
    pub fn create_queue_now(
        &mut self,
        actor: &str,
        name: &str,
        attributes: QueueAttributes,
    ) -> Result<(), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("CreateQueue {name}"));
        match self.sqs.create_queue(name, attributes) {
            Ok(()) => Ok(()),
            Err(e) => self.refuse(call, &format!("queue {name}"), "CreateQueue", e),
        }
    }

    /// DeleteQueue.
    pub fn delete_queue_now(&mut self, actor: &str, name: &str) -> Result<(), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("DeleteQueue {name}"));
        let mapped = self.mappings.iter().any(|m| m.queue == name);
        if mapped {
            // The model keeps an event source mapping's queue (AWS would disable the
            // mapping); say so rather than leave a mapping without its queue.
            let e = AwsError::new("ResourceInUseException", 400, format!("The queue {name} is the source of an event source mapping: delete the mapping first (on the flow page)."));
            return self.refuse(call, &format!("queue {name}"), "DeleteQueue", e);
        }
        match self.sqs.delete_queue(name) {
            Ok(()) => Ok(()),
            Err(e) => self.refuse(call, &format!("queue {name}"), "DeleteQueue", e),
        }
    }

    /// SendMessage: answers what SQS answers (the message id, or a duplicate's).
    pub fn send_message_now(
        &mut self,
        actor: &str,
        queue: &str,
        body: &str,
        opts: SendOptions,
    ) -> Result<Sent, AwsError> {
        let call = self.client(actor, "SQS_SEND_MESSAGE", format!("SendMessage to {queue}"));
        self.may_send(&admin(), queue, call)?;
        self.send(queue, body, opts, call)
    }

    /// ReceiveMessage: up to `max` messages now, and the call's trace entry. A long poll
    /// that found nothing looks again with [`Flow::receive_again`] as the caller's clock
    /// moves: one call, one billed request.
    pub fn receive_message_now(
        &mut self,
        actor: &str,
        queue: &str,
        max: u32,
        visibility: Option<u32>,
        wait_seconds: Option<u32>,
    ) -> Result<(Vec<Received>, TraceId), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("ReceiveMessage from {queue}"));
        let arn = super::queue_arn(queue);
        let target = format!("queue {queue}");
        self.gate(
            &admin(),
            "sqs:ReceiveMessage",
            &arn,
            &arn,
            &target,
            Some(call),
        )?;
        self.sqs_request(queue, 1);
        let got = self.receive_again(call, queue, max, visibility, wait_seconds)?;
        Ok((got, call))
    }

    /// The same ReceiveMessage call looking again (a long poll waiting): neither traced
    /// as a new call nor billed again.
    pub fn receive_again(
        &mut self,
        call: TraceId,
        queue: &str,
        max: u32,
        visibility: Option<u32>,
        wait_seconds: Option<u32>,
    ) -> Result<Vec<Received>, AwsError> {
        let target = format!("queue {queue}");
        let now = self.clock.now_ms();
        match self
            .sqs
            .receive_message(now, queue, max, visibility, wait_seconds)
        {
            Ok((got, events)) => {
                self.note_queue_events(events, Some(call));
                if !got.is_empty() {
                    let ids: Vec<&str> = got.iter().map(|m| m.message_id.as_str()).collect();
                    self.record(
                        Some(call),
                        &target,
                        TraceKind::Event,
                        "SQS_RECEIVED",
                        format!(
                            "{} received: invisible for the visibility timeout until deleted",
                            ids.join(", ")
                        ),
                    );
                }
                self.schedule_queue_tick();
                Ok(got)
            }
            Err(e) => self.refuse(call, &target, "ReceiveMessage", e),
        }
    }

    /// DeleteMessage with a receipt handle.
    pub fn delete_message_now(
        &mut self,
        actor: &str,
        queue: &str,
        handle: &str,
    ) -> Result<Deleted, AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("DeleteMessage from {queue}"));
        let now = self.clock.now_ms();
        self.sqs_request(queue, 1);
        match self.sqs.delete_message(now, queue, handle) {
            Ok(d) => {
                let what = match d {
                    Deleted::Deleted => "the message is deleted",
                    Deleted::StaleReceipt => "the receipt handle is stale (the message was received again since): nothing is deleted, and SQS still answers success",
                    Deleted::AlreadyGone => "no message has this receipt handle any more: SQS answers success",
                };
                self.record(
                    Some(call),
                    &format!("queue {queue}"),
                    TraceKind::Event,
                    "SQS_DELETED",
                    what.to_string(),
                );
                self.schedule_queue_tick();
                Ok(d)
            }
            Err(e) => self.refuse(call, &format!("queue {queue}"), "DeleteMessage", e),
        }
    }

    /// ChangeMessageVisibility: the message stays invisible `timeout` seconds from now
    /// (0: visible at once, and an event source mapping may take it).
    pub fn change_visibility_now(
        &mut self,
        actor: &str,
        queue: &str,
        handle: &str,
        timeout: u32,
    ) -> Result<(), AwsError> {
        let call = self.client(
            actor,
            CLIENT_CALL,
            format!("ChangeMessageVisibility in {queue} to {timeout} s"),
        );
        let now = self.clock.now_ms();
        self.sqs_request(queue, 1);
        match self
            .sqs
            .change_message_visibility(now, queue, handle, timeout)
        {
            Ok(()) => {
                let events = self.sqs.advance(now);
                self.note_queue_events(events, Some(call));
                self.schedule_queue_tick();
                self.wake_pollers(queue);
                Ok(())
            }
            Err(e) => self.refuse(
                call,
                &format!("queue {queue}"),
                "ChangeMessageVisibility",
                e,
            ),
        }
    }

    /// PurgeQueue: how many messages went.
    pub fn purge_queue_now(&mut self, actor: &str, queue: &str) -> Result<usize, AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("PurgeQueue {queue}"));
        match self.sqs.purge_queue(queue) {
            Ok(n) => Ok(n),
            Err(e) => self.refuse(call, &format!("queue {queue}"), "PurgeQueue", e),
        }
    }

    /// GetQueueAttributes: the attributes and (visible, in flight, delayed) now.
    pub fn queue_attributes_now(
        &mut self,
        actor: &str,
        queue: &str,
    ) -> Result<(QueueAttributes, (usize, usize, usize)), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("GetQueueAttributes {queue}"));
        let now = self.clock.now_ms();
        match self.sqs.counts(now, queue) {
            Ok(c) => Ok((self.sqs.queue(queue)?.attributes.clone(), c)),
            Err(e) => self.refuse(call, &format!("queue {queue}"), "GetQueueAttributes", e),
        }
    }

    // ---- SNS ----

    /// CreateTopic (idempotent, as in SNS).
    pub fn create_topic_now(&mut self, actor: &str, name: &str) -> Result<(), AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("CreateTopic {name}"));
        if self.sns.topics.contains_key(name) {
            return Ok(());
        }
        match self.sns.create_topic(name) {
            Ok(()) => Ok(()),
            Err(e) => self.refuse(call, &format!("topic {name}"), "CreateTopic", e),
        }
    }

    /// Subscribe a queue or a function: the subscription's id.
    pub fn subscribe_now(
        &mut self,
        actor: &str,
        topic: &str,
        endpoint: Endpoint,
        filter_policy: Option<&str>,
        raw_message_delivery: bool,
    ) -> Result<String, AwsError> {
        let call = self.client(
            actor,
            CLIENT_CALL,
            format!("Subscribe {} to {topic}", endpoint.name()),
        );
        let exists = match &endpoint {
            Endpoint::Sqs(q) => self.sqs.queues.contains_key(q),
            Endpoint::Lambda(f) => self.functions.contains_key(f),
        };
        if !exists {
            let e = AwsError::new(
                "InvalidParameter",
                400,
                format!(
                    "Invalid parameter: Endpoint: {} is not a resource of this account",
                    endpoint.name()
                ),
            );
            return self.refuse(call, &format!("topic {topic}"), "Subscribe", e);
        }
        match self.sns.subscribe(
            topic,
            endpoint,
            filter_policy,
            FilterPolicyScope::default(),
            raw_message_delivery,
        ) {
            Ok(id) => Ok(id),
            Err(e) => self.refuse(call, &format!("topic {topic}"), "Subscribe", e),
        }
    }

    /// Publish: the message id; delivery to each subscription follows at once.
    pub fn publish_now(
        &mut self,
        actor: &str,
        topic: &str,
        message: &str,
        attributes: &[(String, String)],
    ) -> Result<String, AwsError> {
        let call = self.client(actor, "SNS_PUBLISH", format!("Publish to {topic}"));
        self.may_publish(&admin(), topic, call)?;
        self.publish(topic, message, attributes, call)
    }

    // ---- Lambda ----

    /// Invoke. `Event` queues it (202); `RequestResponse` runs the engine until the run
    /// ends and answers it (a throttle is TooManyRequestsException, 429).
    pub fn invoke_now(
        &mut self,
        actor: &str,
        function: &str,
        payload: Value,
        asynchronous: bool,
    ) -> Result<Invoked, AwsError> {
        let kind = if asynchronous {
            "Event"
        } else {
            "RequestResponse"
        };
        let call = self.client(
            actor,
            "LAMBDA_INVOKE",
            format!("Invoke {function} ({kind})"),
        );
        let target = format!("function {function}");
        let Some(config) = self.functions.get(function) else {
            let e = AwsError::new(
                "ResourceNotFoundException",
                404,
                format!("Function not found: {}", super::function_arn(function)),
            );
            return self.refuse(call, &target, "Invoke", e);
        };
        let timeout_ms = config.timeout_s as u64 * 1000;
        let arn = super::function_arn(function);
        self.gate(
            &admin(),
            "lambda:InvokeFunction",
            &arn,
            &arn,
            &target,
            Some(call),
        )?;
        if asynchronous {
            self.invoke_async(function, payload, call);
            return Ok(Invoked::Accepted);
        }
        let Some(request_id) = self.invoke_sync(function, payload, super::Origin::Sync, call)
        else {
            let (running, limit) = self.concurrency(function);
            return Err(AwsError::new(
                "TooManyRequestsException",
                429,
                format!("Rate Exceeded. {}", super::in_use(running, limit)),
            ));
        };
        self.moved(call, call, target);
        self.sync_results.insert(request_id.clone(), None);
        // The run ends within its timeout (its calls included): run the engine, one
        // moment at a time, until it has.
        let deadline = self.clock.now_ms().saturating_add(timeout_ms + 1);
        while matches!(self.sync_results.get(&request_id), Some(None)) {
            match self.clock.next_at() {
                Some(at) if at <= deadline => {
                    self.run_within(at, usize::MAX, usize::MAX);
                }
                _ => break,
            }
        }
        match self.sync_results.remove(&request_id).flatten() {
            Some(run) => Ok(Invoked::Ran(run)),
            // Not reached while runs end by their timeout; said rather than invented.
            None => Err(AwsError::new(
                "ServiceException",
                500,
                format!(
                    "The simulator lost track of {request_id}: its run did not end by its timeout."
                ),
            )),
        }
    }

    // ---- DynamoDB ----

    /// CreateTable (ResourceInUseException when the name is taken). The table is ACTIVE at
    /// once: the model does not keep it CREATING for a while.
    pub fn create_table_now(&mut self, actor: &str, spec: TableSpec) -> Result<(), AwsError> {
        let name = spec.name.clone();
        let call = self.client(actor, CLIENT_CALL, format!("CreateTable {name}"));
        let target = format!("table {name}");
        if self.tables.contains_key(&name) {
            let e = AwsError::new(
                "ResourceInUseException",
                400,
                format!("Table already exists: {name}"),
            );
            return self.refuse(call, &target, "CreateTable", e);
        }
        let now = self.clock.now_ms();
        match Table::create(spec, now) {
            Ok(t) => {
                self.tables.insert(name, t);
                Ok(())
            }
            Err(e) => self.refuse(call, &target, "CreateTable", e),
        }
    }

    /// DescribeTable. A malformed name is a ValidationException before any lookup
    /// ([`crate::core::services::dynamodb::table::check_table_name`]), as on every call.
    pub fn describe_table_now(&mut self, actor: &str, name: &str) -> Result<&Table, AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("DescribeTable {name}"));
        if let Err(e) = crate::core::services::dynamodb::table::check_table_name(name) {
            return self.refuse(call, &format!("table {name}"), "DescribeTable", e);
        }
        if !self.tables.contains_key(name) {
            let e = table_not_found(name);
            return self.refuse(call, &format!("table {name}"), "DescribeTable", e);
        }
        self.tables.get(name).ok_or_else(not_found)
    }

    /// DeleteTable: the table, its items and its stream go at once (DynamoDB shows it as
    /// DELETING for a while first; a simplification, as a new table is ACTIVE at once). A
    /// malformed name is a ValidationException, a missing table ResourceNotFoundException.
    /// Event source mappings on its stream stay, as Lambda keeps them, and find no records.
    pub fn delete_table_now(&mut self, actor: &str, name: &str) -> Result<Table, AwsError> {
        let call = self.client(actor, CLIENT_CALL, format!("DeleteTable {name}"));
        if let Err(e) = crate::core::services::dynamodb::table::check_table_name(name) {
            return self.refuse(call, &format!("table {name}"), "DeleteTable", e);
        }
        match self.tables.remove(name) {
            Some(t) => Ok(t),
            None => {
                let e = table_not_found(name);
                self.refuse(call, &format!("table {name}"), "DeleteTable", e)
            }
        }
    }

    /// ListTables: the names, in order.
    pub fn list_tables_now(&mut self, actor: &str) -> Vec<String> {
        self.client(actor, CLIENT_CALL, "ListTables".into());
        self.tables.keys().cloned().collect()
    }

    /// A DynamoDB item call (PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan and the
    /// batches), traced with its consumed capacity and streamed like any other.
    pub fn dynamodb_now(&mut self, actor: &str, req: &DynamoRequest) -> Result<Response, AwsError> {
        self.dynamo_call(&admin(), actor, req, None)
    }
}

/// DynamoDB's answer to a table-level call on a table that does not exist.
fn table_not_found(name: &str) -> AwsError {
    AwsError::new(
        "ResourceNotFoundException",
        400,
        format!("Requested resource not found: Table: {name} not found"),
    )
}
