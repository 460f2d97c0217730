//! Editing a flow scenario from the page: create, wire, configure and delete resources, edit
//! a handler's steps and the script's timed actions. Each edit is named after the AWS call
//! that makes it (CreateQueue, SetQueueAttributes, Subscribe, PutBucketNotificationConfiguration,
//! CreateEventSourceMapping, UpdateFunctionConfiguration …) and is checked the way the
//! services check it: the edited scenario must build through the services' own operations
//! (`Scenario::build`), and wiring must name resources that exist. A refused edit changes
//! nothing and says why, naming the setting and its range.
//!
//! Deleting a resource deletes its wiring with it (subscriptions, notification rules,
//! mappings, redrive policies and destinations that name it) and says what went. Handler
//! steps and script actions that name it stay: at run time they fail with AWS's error
//! (QueueDoesNotExist, NotFound, NoSuchBucket), which is itself a lesson.

use super::layout::{destination_id, endpoint_id, target_id};
use super::scenario::{BucketSpec, QueueSpec, Scenario, SubscriptionSpec, Timed, TopicSpec};
use super::scenario::{MAX_ACTIONS, MAX_HORIZON_MS, MAX_PER_KIND};
use crate::core::flow::{
    check_mapping, Action, IdentityKind, IdentitySpec, Mapping, StreamMapping,
};
use crate::core::iam::state::Doc;
use crate::core::services::apigateway::ApiSpec;
use crate::core::services::dynamodb::expr::{self, Item, Placeholders};
use crate::core::services::dynamodb::request::{parse_attrs, Operation, Request};
use crate::core::services::dynamodb::table::{Billing, StreamView, TableSpec};
use crate::core::services::lambda::{FunctionConfig, Step, When};
use crate::core::services::s3::{NotificationRule, Target, Versioning};
use crate::core::services::sqs::QueueAttributes;

/// One edit of a scenario, by the AWS call that makes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// SQS CreateQueue with AWS's default attributes (a FIFO queue's name ends in `.fifo`).
    CreateQueue { name: String, fifo: bool },
    /// SNS CreateTopic.
    CreateTopic { name: String },
    /// S3 CreateBucket.
    CreateBucket { name: String },
    /// Lambda CreateFunction: 128 MB, 3 s, a handler that runs 100 ms.
    CreateFunction { name: String },
    /// Deletes the resource with this diagram id (`queue orders`) and its wiring.
    Delete { node: String },
    /// SQS SetQueueAttributes (the queue's type cannot change, as in AWS).
    SetQueueAttributes {
        queue: String,
        attributes: QueueAttributes,
    },
    /// Lambda UpdateFunctionConfiguration / PutFunctionEventInvokeConfig / code: the whole
    /// configuration of the function of that name.
    UpdateFunction { config: FunctionConfig },
    /// Appends a step to a function's handler.
    AddStep { function: String, step: Step },
    /// Removes a function's step `index` (from 0).
    RemoveStep { function: String, index: usize },
    /// Moves step `index` one place earlier.
    MoveStepUp { function: String, index: usize },
    /// SNS Subscribe.
    Subscribe {
        topic: String,
        subscription: SubscriptionSpec,
    },
    /// SNS Unsubscribe: the topic's subscription `index`.
    Unsubscribe { topic: String, index: usize },
    /// S3 PutBucketVersioning.
    PutBucketVersioning {
        bucket: String,
        versioning: Versioning,
    },
    /// S3 PutBucketNotificationConfiguration with one more rule.
    AddNotification {
        bucket: String,
        rule: NotificationRule,
    },
    /// S3 PutBucketNotificationConfiguration without rule `index`.
    RemoveNotification { bucket: String, index: usize },
    /// Lambda CreateEventSourceMapping.
    CreateEventSourceMapping { mapping: Mapping },
    /// Lambda UpdateEventSourceMapping of mapping `index`.
    UpdateEventSourceMapping { index: usize, mapping: Mapping },
    /// Lambda DeleteEventSourceMapping.
    DeleteEventSourceMapping { index: usize },
    /// `count` copies of an action, the first at `at_ms`, then every `every_ms`; `{{n}}`
    /// in its texts becomes the copy's number (1, 2, …).
    AddActions {
        action: Action,
        at_ms: u64,
        count: usize,
        every_ms: u64,
        /// The role or user that makes them ("" for `admin`).
        principal: String,
    },
    /// Removes the script's action `index` (in time order, as listed).
    RemoveAction { index: usize },
    /// How long the run lasts (ms) and the seed of its random draws.
    SetRun { horizon_ms: u64, seed: u64 },
    /// API Gateway CreateRestApi (deployed to stage `prod`, no routes yet).
    CreateRestApi { name: String },
    /// API Gateway PutRestApi / UpdateStage: the whole API of that name (routes, stage
    /// throttle, integration timeout, API key and usage plan).
    PutRestApi { api: ApiSpec },
    /// DynamoDB CreateTable (empty; the script or the handlers fill it).
    CreateTable { spec: TableSpec },
    /// DynamoDB UpdateTable: billing mode and capacity, stream and indexes; the key schema
    /// cannot change.
    UpdateTable { spec: TableSpec },
    /// Lambda CreateEventSourceMapping from a table's stream.
    CreateStreamMapping { mapping: StreamMapping },
    /// Lambda UpdateEventSourceMapping of stream mapping `index`.
    UpdateStreamMapping {
        index: usize,
        mapping: StreamMapping,
    },
    /// Lambda DeleteEventSourceMapping of stream mapping `index`.
    DeleteStreamMapping { index: usize },
    /// The whole scenario at once (the JSON editor).
    Replace { scenario: Scenario },
    /// IAM CreateRole (trusted by Lambda, to be a function's execution role) or CreateUser,
    /// without policies.
    CreateIdentity { kind: IdentityKind, name: String },
    /// IAM DeleteRole / DeleteUser (refused while a function uses the role). `kind` names
    /// the call, as do the others': the role's or the user's.
    DeleteIdentity { kind: IdentityKind, name: String },
    /// IAM PutRolePolicy / PutUserPolicy: the inline policy of that name, added or replaced.
    PutIdentityPolicy {
        kind: IdentityKind,
        identity: String,
        name: String,
        document: String,
    },
    /// IAM DeleteRolePolicy / DeleteUserPolicy.
    DeleteIdentityPolicy {
        kind: IdentityKind,
        identity: String,
        name: String,
    },
    /// IAM PutRolePermissionsBoundary / PutUserPermissionsBoundary, or the Delete… calls
    /// (`None`).
    PutPermissionsBoundary {
        kind: IdentityKind,
        identity: String,
        document: Option<String>,
    },
    /// A resource-based policy (`None` removes it): the queue's Policy attribute
    /// (SetQueueAttributes), the topic's (SetTopicAttributes), PutBucketPolicy /
    /// DeleteBucketPolicy, or the function's policy (AddPermission / RemovePermission).
    PutResourcePolicy {
        node: String,
        document: Option<String>,
    },
}

impl Edit {
    /// The AWS operation this edit stands for, shown with a refusal.
    pub fn operation(&self) -> &'static str {
        match self {
            Edit::CreateQueue { .. } => "CreateQueue",
            Edit::CreateTopic { .. } => "CreateTopic",
            Edit::CreateBucket { .. } => "CreateBucket",
            Edit::CreateFunction { .. } => "CreateFunction",
            Edit::Delete { node } => match node.split_once(' ').map(|(k, _)| k) {
                Some("queue") => "DeleteQueue",
                Some("topic") => "DeleteTopic",
                Some("bucket") => "DeleteBucket",
                Some("table") => "DeleteTable",
                Some("api") => "DeleteRestApi",
                _ => "DeleteFunction",
            },
            Edit::SetQueueAttributes { .. } => "SetQueueAttributes",
            Edit::UpdateFunction { .. } => "UpdateFunctionConfiguration",
            Edit::AddStep { .. } | Edit::RemoveStep { .. } | Edit::MoveStepUp { .. } => {
                "UpdateFunctionCode"
            }
            Edit::Subscribe { .. } => "Subscribe",
            Edit::Unsubscribe { .. } => "Unsubscribe",
            Edit::PutBucketVersioning { .. } => "PutBucketVersioning",
            Edit::AddNotification { .. } | Edit::RemoveNotification { .. } => {
                "PutBucketNotificationConfiguration"
            }
            Edit::CreateEventSourceMapping { .. } => "CreateEventSourceMapping",
            Edit::UpdateEventSourceMapping { .. } => "UpdateEventSourceMapping",
            Edit::DeleteEventSourceMapping { .. } => "DeleteEventSourceMapping",
            Edit::AddActions { .. } | Edit::RemoveAction { .. } | Edit::SetRun { .. } => {
                "The script edit"
            }
            Edit::CreateRestApi { .. } => "CreateRestApi",
            Edit::PutRestApi { .. } => "PutRestApi",
            Edit::CreateTable { .. } => "CreateTable",
            Edit::UpdateTable { .. } => "UpdateTable",
            Edit::CreateStreamMapping { .. } => "CreateEventSourceMapping",
            Edit::UpdateStreamMapping { .. } => "UpdateEventSourceMapping",
            Edit::DeleteStreamMapping { .. } => "DeleteEventSourceMapping",
            Edit::Replace { .. } => "The scenario JSON",
            Edit::CreateIdentity {
                kind: IdentityKind::Role,
                ..
            } => "CreateRole",
            Edit::CreateIdentity { .. } => "CreateUser",
            Edit::DeleteIdentity { kind, .. } => match kind {
                IdentityKind::Role => "DeleteRole",
                IdentityKind::User => "DeleteUser",
            },
            Edit::PutIdentityPolicy { kind, .. } => match kind {
                IdentityKind::Role => "PutRolePolicy",
                IdentityKind::User => "PutUserPolicy",
            },
            Edit::DeleteIdentityPolicy { kind, .. } => match kind {
                IdentityKind::Role => "DeleteRolePolicy",
                IdentityKind::User => "DeleteUserPolicy",
            },
            Edit::PutPermissionsBoundary { kind, document, .. } => {
                match (kind, document.is_some()) {
                    (IdentityKind::Role, true) => "PutRolePermissionsBoundary",
                    (IdentityKind::Role, false) => "DeleteRolePermissionsBoundary",
                    (IdentityKind::User, true) => "PutUserPermissionsBoundary",
                    (IdentityKind::User, false) => "DeleteUserPermissionsBoundary",
                }
            }
            Edit::PutResourcePolicy { node, .. } => match node.split_once(' ').map(|(k, _)| k) {
                Some("queue") => "SetQueueAttributes",
                Some("topic") => "SetTopicAttributes",
                Some("bucket") => "PutBucketPolicy",
                _ => "AddPermission",
            },
        }
    }
}

/// A refused edit: the operation and every reason, each naming what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub operation: &'static str,
    pub errors: Vec<String>,
}

/// Applies `edit` to `s`: the edited scenario and a sentence saying what changed, or the
/// refusal (and `s` unchanged, since it is borrowed).
pub fn apply(s: &Scenario, edit: &Edit) -> Result<(Scenario, String), Refusal> {
    let refuse = |errors: Vec<String>| Refusal {
        operation: edit.operation(),
        errors,
    };
    let one = |e: String| refuse(vec![e]);
    let mut n = s.clone();
    let done = match edit {
        Edit::CreateQueue { name, fifo } => {
            if let Some(q) = n.queues.iter().find(|q| q.name == *name) {
                let fresh = QueueAttributes {
                    fifo_queue: *fifo,
                    ..Default::default()
                };
                if q.attributes != fresh {
                    return Err(one(format!(
                        "QueueAlreadyExists: a queue named {name} already exists with other attributes."
                    )));
                }
                return Ok((
                    n,
                    format!("Queue {name} already exists with these attributes: CreateQueue returns its URL and changes nothing."),
                ));
            }
            n.queues.push(QueueSpec {
                policy: None,
                name: name.clone(),
                attributes: QueueAttributes {
                    fifo_queue: *fifo,
                    ..Default::default()
                },
            });
            format!("Created queue {name}.")
        }
        Edit::CreateTopic { name } => {
            if n.topics.iter().any(|t| t.name == *name) {
                return Ok((
                    n,
                    format!("Topic {name} already exists: CreateTopic returns its ARN and changes nothing."),
                ));
            }
            n.topics.push(TopicSpec {
                policy: None,
                name: name.clone(),
                subscriptions: vec![],
            });
            format!("Created topic {name}.")
        }
        Edit::CreateBucket { name } => {
            if n.buckets.iter().any(|b| b.name == *name) {
                return Err(one(format!(
                    "BucketAlreadyOwnedByYou: you already have a bucket named {name}."
                )));
            }
            n.buckets.push(BucketSpec {
                policy: None,
                name: name.clone(),
                versioning: Versioning::Off,
                notifications: vec![],
            });
            format!("Created bucket {name}.")
        }
        Edit::CreateFunction { name } => {
            if n.functions.iter().any(|f| f.name == *name) {
                return Err(one(format!(
                    "ResourceConflictException: a function named {name} already exists."
                )));
            }
            // As the console does: a new role of the function's own, allowed nothing yet
            // (each call or trigger the Build panel adds grants what it needs).
            // A role of its own: a role left by a deleted function of the same name is not
            // reused, so a new function starts with no permissions.
            let role = super::grants::new_role_name(&n, name);
            n.identities.push(IdentitySpec {
                kind: IdentityKind::Role,
                name: role.clone(),
                policies: vec![],
                boundary: None,
                trust: None,
            });
            n.functions.push(FunctionConfig {
                name: name.clone(),
                role,
                handler: crate::core::services::lambda::Handler {
                    steps: vec![Step::Run { ms: 100 }],
                },
                ..Default::default()
            });
            format!("Created function {name}.")
        }
        Edit::Delete { node } => delete(&mut n, node).map_err(one)?,
        Edit::SetQueueAttributes { queue, attributes } => {
            let q = n
                .queues
                .iter_mut()
                .find(|q| q.name == *queue)
                .ok_or_else(|| one(format!("QueueDoesNotExist: there is no queue {queue}.")))?;
            if q.attributes.fifo_queue != attributes.fifo_queue {
                return Err(one(
                    "A queue's type (standard or FIFO) is set when it is created and cannot change: create a new queue.".into(),
                ));
            }
            q.attributes = attributes.clone();
            format!("Set the attributes of queue {queue}.")
        }
        Edit::UpdateFunction { config } => {
            let f = function_mut(&mut n, &config.name).map_err(one)?;
            *f = config.clone();
            format!("Updated function {}.", config.name)
        }
        Edit::AddStep { function, step } => {
            if let Step::DynamoDb { call, .. } = step {
                let e = request_errors(call);
                if !e.is_empty() {
                    return Err(refuse(e));
                }
            }
            if let Step::SendMessage {
                queue, group_id, ..
            } = step
            {
                let e = fifo_send_errors(&n, queue, group_id.as_ref());
                if !e.is_empty() {
                    return Err(refuse(e));
                }
            }
            function_mut(&mut n, function)
                .map_err(one)?
                .handler
                .steps
                .push(step.clone());
            format!("Added a step to {function}: {}.", describe_step(step))
        }
        Edit::RemoveStep { function, index } => {
            let f = function_mut(&mut n, function).map_err(one)?;
            if *index >= f.handler.steps.len() {
                return Err(one(format!("{function} has no step {}.", index + 1)));
            }
            let gone = f.handler.steps.remove(*index);
            format!(
                "Removed step {} of {function}: {}.",
                index + 1,
                describe_step(&gone)
            )
        }
        Edit::MoveStepUp { function, index } => {
            let f = function_mut(&mut n, function).map_err(one)?;
            if *index == 0 || *index >= f.handler.steps.len() {
                return Err(one(format!(
                    "Step {} of {function} cannot move up.",
                    index + 1
                )));
            }
            f.handler.steps.swap(*index - 1, *index);
            format!("Moved step {} of {function} up.", index + 1)
        }
        Edit::Subscribe {
            topic,
            subscription,
        } => {
            let t = n
                .topics
                .iter_mut()
                .find(|t| t.name == *topic)
                .ok_or_else(|| one(format!("NotFound: there is no topic {topic}.")))?;
            if let Some(x) = t
                .subscriptions
                .iter()
                .find(|x| x.endpoint == subscription.endpoint)
            {
                // Subscribe returns the existing subscription when nothing differs.
                if x == subscription {
                    return Ok((
                        s.clone(),
                        format!(
                            "{} is already subscribed to {topic} this way: Subscribe returns that subscription and changes nothing.",
                            endpoint_id(&subscription.endpoint)
                        ),
                    ));
                }
                return Err(one(format!(
                    "InvalidParameter: Subscription already exists with different attributes — {} is subscribed to {topic}: unsubscribe it first to subscribe it with another filter policy or delivery.",
                    endpoint_id(&subscription.endpoint)
                )));
            }
            t.subscriptions.push(subscription.clone());
            format!(
                "Subscribed {} to topic {topic}.",
                endpoint_id(&subscription.endpoint)
            )
        }
        Edit::Unsubscribe { topic, index } => {
            let t = n
                .topics
                .iter_mut()
                .find(|t| t.name == *topic)
                .ok_or_else(|| one(format!("NotFound: there is no topic {topic}.")))?;
            if *index >= t.subscriptions.len() {
                return Err(one(format!("{topic} has no subscription {}.", index + 1)));
            }
            let gone = t.subscriptions.remove(*index);
            format!(
                "Unsubscribed {} from topic {topic}.",
                endpoint_id(&gone.endpoint)
            )
        }
        Edit::PutBucketVersioning { bucket, versioning } => {
            let b = bucket_mut(&mut n, bucket).map_err(one)?;
            if *versioning == Versioning::Off && b.versioning != Versioning::Off {
                return Err(one(
                    "A bucket that has had versioning enabled can only suspend it, never return to unversioned.".into(),
                ));
            }
            b.versioning = *versioning;
            format!("Versioning of {bucket}: {versioning:?}.")
        }
        Edit::AddNotification { bucket, rule } => {
            let b = bucket_mut(&mut n, bucket).map_err(one)?;
            let mut rule = rule.clone();
            if rule.id.trim().is_empty() {
                rule.id = (1..)
                    .map(|k| format!("rule-{k}"))
                    .find(|id| !b.notifications.iter().any(|r| r.id == *id))
                    .unwrap_or_default();
            }
            if b.notifications.iter().any(|r| r.id == rule.id) {
                return Err(one(format!(
                    "{bucket} already has a rule with the id {}.",
                    rule.id
                )));
            }
            let text = describe_rule(&rule);
            let loops = loop_note(&n, bucket, &rule);
            bucket_mut(&mut n, bucket)
                .map_err(one)?
                .notifications
                .push(rule);
            format!("Added to {bucket}: {text}.{loops}")
        }
        Edit::RemoveNotification { bucket, index } => {
            let b = bucket_mut(&mut n, bucket).map_err(one)?;
            if *index >= b.notifications.len() {
                return Err(one(format!("{bucket} has no rule {}.", index + 1)));
            }
            let gone = b.notifications.remove(*index);
            format!("Removed from {bucket}: {}.", describe_rule(&gone))
        }
        Edit::CreateEventSourceMapping { mapping } => {
            if n.mappings
                .iter()
                .any(|m| m.queue == mapping.queue && m.function == mapping.function)
            {
                return Err(one(format!(
                    "ResourceConflictException: {} already has a mapping to {}.",
                    mapping.queue, mapping.function
                )));
            }
            n.mappings.push(mapping.clone());
            format!(
                "Mapped queue {} to function {}.",
                mapping.queue, mapping.function
            )
        }
        Edit::UpdateEventSourceMapping { index, mapping } => {
            replace_mapping(
                &mut n.mappings,
                *index,
                mapping,
                "event source mapping",
                "queue",
                |a, b| a.queue == b.queue && a.function == b.function,
            )
            .map_err(one)?;
            format!(
                "Updated the mapping of {} to {}.",
                mapping.queue, mapping.function
            )
        }
        Edit::DeleteEventSourceMapping { index } => {
            if *index >= n.mappings.len() {
                return Err(one(format!(
                    "There is no event source mapping {}.",
                    index + 1
                )));
            }
            let m = n.mappings.remove(*index);
            format!("Deleted the mapping of {} to {}.", m.queue, m.function)
        }
        Edit::AddActions {
            action: Action::SendMessage {
                queue, group_id, ..
            },
            ..
        } if !fifo_send_errors(&n, queue, group_id.as_ref()).is_empty() => {
            return Err(refuse(fifo_send_errors(&n, queue, group_id.as_ref())));
        }
        Edit::AddActions {
            action: Action::DynamoDb { call },
            ..
        } if !request_errors(call).is_empty() => {
            return Err(refuse(request_errors(call)));
        }
        Edit::AddActions {
            action,
            at_ms,
            count,
            every_ms,
            principal,
        } => {
            if *count == 0 {
                return Err(one("Add at least one action.".into()));
            }
            if n.actions.len().saturating_add(*count) > MAX_ACTIONS {
                return Err(one(format!(
                    "The script has {} actions; {count} more would pass the limit of {MAX_ACTIONS}.",
                    n.actions.len()
                )));
            }
            let last = every_ms
                .checked_mul(*count as u64 - 1)
                .and_then(|d| d.checked_add(*at_ms));
            if last.is_none_or(|t| t > MAX_HORIZON_MS) {
                return Err(one(format!(
                    "The last action would come after a day ({} s), the longest run.",
                    MAX_HORIZON_MS / 1000
                )));
            }
            for k in 0..*count {
                n.actions.push(Timed {
                    principal: principal.clone(),
                    at_ms: at_ms + every_ms * k as u64,
                    action: numbered(action, k + 1),
                });
            }
            // The script reads in time order; the engine runs equal times in this order.
            n.actions.sort_by_key(|a| a.at_ms);
            let end = at_ms + every_ms * (*count as u64 - 1);
            let longer = n.horizon_ms < end + 1_000;
            if longer {
                n.horizon_ms = (end + 60_000).min(MAX_HORIZON_MS);
            }
            let mut said = if *count == 1 {
                format!("Added at {}: {}.", secs(*at_ms), describe_action(action))
            } else {
                format!(
                    "Added {count} actions from {} every {}: {}.",
                    secs(*at_ms),
                    secs(*every_ms),
                    describe_action(action)
                )
            };
            if longer {
                said.push_str(&format!(
                    " The run now lasts {}, to see what follows the last one.",
                    secs(n.horizon_ms)
                ));
            }
            said
        }
        Edit::RemoveAction { index } => {
            if *index >= n.actions.len() {
                return Err(one(format!("The script has no action {}.", index + 1)));
            }
            let gone = n.actions.remove(*index);
            format!(
                "Removed the action at {}: {}.",
                secs(gone.at_ms),
                describe_action(&gone.action)
            )
        }
        Edit::SetRun { horizon_ms, seed } => {
            if !(1_000..=MAX_HORIZON_MS).contains(horizon_ms) {
                return Err(one(format!(
                    "A run lasts from 1 s to a day ({} s); not {}.",
                    MAX_HORIZON_MS / 1000,
                    secs(*horizon_ms)
                )));
            }
            n.horizon_ms = *horizon_ms;
            n.seed = *seed;
            format!("The run lasts {} (seed {seed}).", secs(*horizon_ms))
        }
        Edit::CreateRestApi { name } => {
            if n.apis.iter().any(|a| a.name == *name) {
                return Err(one(format!(
                    "ConflictException: this scenario already has an API named {name} (AWS allows twins with different ids; names here identify them)."
                )));
            }
            n.apis.push(ApiSpec {
                name: name.clone(),
                ..Default::default()
            });
            format!("Created REST API {name} with stage prod.")
        }
        Edit::PutRestApi { api } => {
            let a = n
                .apis
                .iter_mut()
                .find(|a| a.name == api.name)
                .ok_or_else(|| one(format!("NotFoundException: there is no API {}.", api.name)))?;
            *a = api.clone();
            format!(
                "Updated API {} ({} route{}).",
                api.name,
                api.routes.len(),
                if api.routes.len() == 1 { "" } else { "s" }
            )
        }
        Edit::CreateTable { spec } => {
            if n.tables.iter().any(|t| t.name == spec.name) {
                return Err(one(format!(
                    "ResourceInUseException: Table already exists: {}",
                    spec.name
                )));
            }
            n.tables.push(spec.clone());
            format!("Created table {} ({}).", spec.name, describe_table(spec))
        }
        Edit::UpdateTable { spec } => {
            let t = n
                .tables
                .iter_mut()
                .find(|t| t.name == spec.name)
                .ok_or_else(|| {
                    one(format!(
                        "ResourceNotFoundException: Requested resource not found: Table: {} not found",
                        spec.name
                    ))
                })?;
            if t.partition_key != spec.partition_key || t.sort_key != spec.sort_key {
                return Err(one(
                    "A table's key schema is set when it is created and cannot change: create a new table.".into(),
                ));
            }
            // Local secondary indexes are part of CreateTable only.
            if t.local_secondary_indexes != spec.local_secondary_indexes {
                return Err(one(
                    "ValidationException: local secondary indexes are created with the table and cannot be added, changed or removed: create a new table.".into(),
                ));
            }
            // StreamSpecification: an enabled stream's view cannot change; it is turned off
            // (its mappings deleted first) and on again, which makes a new stream.
            if let (Some(a), Some(b)) = (t.stream, spec.stream) {
                if a != b {
                    return Err(one(format!(
                        "ValidationException: Table already has an enabled stream: TableName: {}. Turn the stream off, then on with the new view (a new stream).",
                        spec.name
                    )));
                }
            }
            // UpdateTimeToLive: the attribute cannot change while TTL is on (turn it off,
            // then on with the new name); a name has 1 to 255 characters.
            if let (Some(a), Some(b)) = (&t.ttl_attribute, &spec.ttl_attribute) {
                if a != b {
                    return Err(one(format!(
                        "ValidationException: TimeToLive is active on a different AttributeName: current AttributeName is {a}. Turn TTL off, then on with {b}."
                    )));
                }
            }
            if let Some(a) = &spec.ttl_attribute {
                if a.is_empty() || a.len() > 255 {
                    return Err(one(format!(
                        "ValidationException: the TTL attribute name must have 1 to 255 characters, found {}.",
                        a.len()
                    )));
                }
            }
            *t = spec.clone();
            format!("Updated table {} ({}).", spec.name, describe_table(spec))
        }
        Edit::CreateStreamMapping { mapping } => {
            if n.stream_mappings
                .iter()
                .any(|m| m.table == mapping.table && m.function == mapping.function)
            {
                return Err(one(format!(
                    "ResourceConflictException: the stream of {} already has a mapping to {}.",
                    mapping.table, mapping.function
                )));
            }
            n.stream_mappings.push(mapping.clone());
            format!(
                "Mapped the stream of table {} to function {}.",
                mapping.table, mapping.function
            )
        }
        Edit::UpdateStreamMapping { index, mapping } => {
            replace_mapping(
                &mut n.stream_mappings,
                *index,
                mapping,
                "stream mapping",
                "stream",
                |a, b| a.table == b.table && a.function == b.function,
            )
            .map_err(one)?;
            format!(
                "Updated the mapping of the stream of {} to {}.",
                mapping.table, mapping.function
            )
        }
        Edit::DeleteStreamMapping { index } => {
            if *index >= n.stream_mappings.len() {
                return Err(one(format!("There is no stream mapping {}.", index + 1)));
            }
            let m = n.stream_mappings.remove(*index);
            format!(
                "Deleted the mapping of the stream of {} to {}.",
                m.table, m.function
            )
        }
        Edit::Replace { scenario } => {
            n = scenario.clone();
            // A pasted scenario from an older link: granted once, as opening the link does.
            if n.grant_pending {
                super::grants::least_privilege(&mut n);
                n.grant_pending = false;
            }
            "Replaced the scenario.".into()
        }
        Edit::CreateIdentity { kind, name } => {
            // IAM names are unique regardless of case (`Web` and `web` are one name).
            if let Some(other) = n
                .identities
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(name))
            {
                return Err(one(format!(
                    "EntityAlreadyExists: a role or user named {} already exists.",
                    other.name
                )));
            }
            n.identities.push(IdentitySpec {
                kind: *kind,
                name: name.clone(),
                policies: vec![],
                boundary: None,
                trust: None,
            });
            let what = match kind {
                IdentityKind::Role => "role",
                IdentityKind::User => "user",
            };
            if name == crate::core::flow::ADMIN {
                format!("Created {what} {name}: it replaces the built-in user admin (AdministratorAccess), so scripted calls made as admin now have only its policies (none yet).")
            } else {
                format!("Created {what} {name} (no policies yet: it may do nothing).")
            }
        }
        Edit::DeleteIdentity { name, .. } => {
            if let Some(f) = n.functions.iter().find(|f| f.role == *name) {
                return Err(one(format!(
                    "DeleteConflict: function {} uses {name} as its execution role; give it another role first.",
                    f.name
                )));
            }
            if !remove_where(&mut n.identities, |i| i.name == *name) {
                return Err(one(format!(
                    "NoSuchEntity: there is no role or user {name}."
                )));
            }
            format!("Deleted {name}.")
        }
        Edit::PutIdentityPolicy {
            identity,
            name,
            document,
            ..
        } => {
            let Some(i) = n.identities.iter_mut().find(|i| i.name == *identity) else {
                return Err(one(format!(
                    "NoSuchEntity: there is no role or user {identity}."
                )));
            };
            if name.trim().is_empty() {
                return Err(one("A policy needs a name.".into()));
            }
            // A new policy's name follows IAM's rule (so it is never taken for an attached
            // AWS managed policy, which is named by its ARN).
            let valid = crate::core::flow::is_iam_name(name, 128);
            if IdentitySpec::is_managed(name) {
                return Err(one(format!("{name} is an AWS managed policy, attached in the console: its text is AWS's. Delete it to detach it, or put an inline policy of your own.")));
            }
            if !valid && !i.policies.iter().any(|d| d.name == *name) {
                return Err(one(format!("ValidationError: “{name}” is not a valid policy name; a policy name has 1 to 128 letters, digits and +=,.@_-.")));
            }
            match i.policies.iter_mut().find(|d| d.name == *name) {
                Some(d) => d.text = document.clone(),
                None => i.policies.push(Doc::new(name, document)),
            }
            i.check_quotas()
                .map_err(|e| one(format!("LimitExceeded: {e}.")))?;
            format!("Put policy {name} on {identity}.")
        }
        Edit::DeleteIdentityPolicy { identity, name, .. } => {
            let Some(i) = n.identities.iter_mut().find(|i| i.name == *identity) else {
                return Err(one(format!(
                    "NoSuchEntity: there is no role or user {identity}."
                )));
            };
            if !remove_where(&mut i.policies, |d| d.name == *name) {
                return Err(one(format!(
                    "NoSuchEntity: {identity} has no policy {name}."
                )));
            }
            format!("Deleted policy {name} of {identity}.")
        }
        Edit::PutPermissionsBoundary {
            identity, document, ..
        } => {
            let Some(i) = n.identities.iter_mut().find(|i| i.name == *identity) else {
                return Err(one(format!(
                    "NoSuchEntity: there is no role or user {identity}."
                )));
            };
            i.boundary = document.as_ref().map(|d| Doc::new("Boundary", d));
            match document {
                Some(_) => format!("Set the permissions boundary of {identity}."),
                None => format!("Removed the permissions boundary of {identity}."),
            }
        }
        Edit::PutResourcePolicy { node, document } => {
            let slot = n.policy_mut(node);
            let Some(slot) = slot else {
                return Err(one(format!("{node} has no resource-based policy here (queues, topics, buckets and functions do).")));
            };
            *slot = document.clone();
            match document {
                Some(_) => format!("Set the policy of {node}."),
                None => format!("Removed the policy of {node}."),
            }
        }
    };
    let cycle = order_queues(&mut n).err();
    // Only what this edit breaks is refused: a scenario that already had a problem (an older
    // or damaged link) can still be edited, and fixed.
    let before: std::collections::BTreeSet<String> = problems(s).into_iter().collect();
    let mut errors: Vec<String> = cycle
        .into_iter()
        .chain(problems(&n))
        .filter(|e| !before.contains(e))
        .collect();
    // Lambda's check when a mapping is created or updated.
    if let Edit::CreateEventSourceMapping { mapping }
    | Edit::UpdateEventSourceMapping { mapping, .. } = edit
    {
        if let (true, Ok(flow)) = (errors.is_empty(), n.build()) {
            if let Err(e) = check_mapping(mapping, &flow.sqs, &n.functions, true) {
                errors.push(e.message);
            }
        }
    }
    if !errors.is_empty() {
        return Err(refuse(errors));
    }
    let mut done = done;
    // What the edit newly needs is granted, as the consoles do when they wire a trigger;
    // IAM edits and the JSON editor change permissions only as written.
    let iam_edit = matches!(
        edit,
        Edit::Replace { .. }
            | Edit::CreateIdentity { .. }
            | Edit::DeleteIdentity { .. }
            | Edit::PutIdentityPolicy { .. }
            | Edit::DeleteIdentityPolicy { .. }
            | Edit::PutPermissionsBoundary { .. }
            | Edit::PutResourcePolicy { .. }
    );
    if !iam_edit {
        let granted = super::grants::grant_new(s, &mut n);
        if !granted.is_empty() {
            done.push_str(&format!(" Granted {}.", granted.join("; ")));
        }
    }
    if matches!(
        edit,
        Edit::UpdateFunction { .. } | Edit::SetQueueAttributes { .. } | Edit::Replace { .. }
    ) {
        for note in visibility_notes(&n) {
            done.push(' ');
            done.push_str(&note);
        }
    }
    Ok((n, done))
}

/// Everything wrong with a scenario, each named: wiring to missing or unsupported
/// resources, duplicate names, limits of a run, and what building it refuses.
fn problems(s: &Scenario) -> Vec<String> {
    let mut errors = wiring_errors(s);
    for (kind, names) in [
        (
            "queues",
            s.queues.iter().map(|q| &q.name).collect::<Vec<_>>(),
        ),
        ("topics", s.topics.iter().map(|t| &t.name).collect()),
        ("buckets", s.buckets.iter().map(|b| &b.name).collect()),
        ("functions", s.functions.iter().map(|f| &f.name).collect()),
    ] {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(name) {
                errors.push(format!(
                    "Two {kind} are named {name}: a name is unique among the {kind} of an account."
                ));
            }
        }
    }
    if !(1_000..=MAX_HORIZON_MS).contains(&s.horizon_ms) {
        errors.push(format!(
            "The run lasts {}; a run lasts from 1 s to a day ({} s).",
            secs(s.horizon_ms),
            MAX_HORIZON_MS / 1000
        ));
    }
    if let Some((k, a)) = s
        .actions
        .iter()
        .enumerate()
        .find(|(_, a)| a.at_ms > MAX_HORIZON_MS)
    {
        errors.push(format!(
            "Action {} comes at {}, after a day: the longest run.",
            k + 1,
            secs(a.at_ms)
        ));
    }
    if let Err(e) = s.build() {
        errors.extend(e);
    }
    errors
}

/// For each mapping whose queue hides a received message for less time than its function
/// may run: what can happen. Lambda refuses such a mapping when it is created or updated,
/// but not a queue or function changed afterwards.
fn visibility_notes(s: &Scenario) -> Vec<String> {
    s.mappings
        .iter()
        .filter_map(|m| {
            let q = s.queues.iter().find(|q| q.name == m.queue)?;
            let f = s.functions.iter().find(|f| f.name == m.function)?;
            (q.attributes.visibility_timeout < f.timeout_s).then(|| {
                format!(
                    "Note: queue {} hides a received message for {} s but {} may run for {} s, so a message can come back while it is still being processed (Lambda checks this only when a mapping is created or updated; AWS advises a visibility timeout of at least six times the function's timeout).",
                    q.name, q.attributes.visibility_timeout, f.name, f.timeout_s
                )
            })
        })
        .collect()
}

/// Milliseconds as seconds: `90 s`, `1.5 s`, `0.01 s`.
fn secs(ms: u64) -> String {
    let whole = ms / 1000;
    let frac = format!("{:03}", ms % 1000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole} s")
    } else {
        format!("{whole}.{frac} s")
    }
}

/// A send to a FIFO queue needs a message group and, as the simulator's sends carry no
/// MessageDeduplicationId, the queue's content-based deduplication (SendMessage,
/// MessageGroupId and MessageDeduplicationId).
fn fifo_send_errors(s: &Scenario, queue: &str, group: Option<&String>) -> Vec<String> {
    let Some(q) = s
        .queues
        .iter()
        .find(|q| q.name == queue && q.attributes.fifo_queue)
    else {
        return vec![];
    };
    let mut errors = vec![];
    if group.is_none_or(|g| g.trim().is_empty()) {
        errors.push(format!(
            "MissingParameter: a message sent to the FIFO queue {queue} needs a message group (MessageGroupId)."
        ));
    }
    if !q.attributes.content_based_deduplication {
        errors.push(format!(
            "InvalidParameterValue: {queue} has ContentBasedDeduplication off, so each message would need a MessageDeduplicationId, which these sends do not set: turn content-based deduplication on in the queue's settings."
        ));
    }
    errors
}

fn function_mut<'a>(s: &'a mut Scenario, name: &str) -> Result<&'a mut FunctionConfig, String> {
    s.functions
        .iter_mut()
        .find(|f| f.name == name)
        .ok_or_else(|| format!("ResourceNotFoundException: there is no function {name}."))
}

fn bucket_mut<'a>(s: &'a mut Scenario, name: &str) -> Result<&'a mut BucketSpec, String> {
    s.buckets
        .iter_mut()
        .find(|b| b.name == name)
        .ok_or_else(|| format!("NoSuchBucket: there is no bucket {name}."))
}

/// Every resource's diagram id.
pub fn ids(s: &Scenario) -> Vec<String> {
    let mut v = vec![];
    v.extend(s.buckets.iter().map(|b| format!("bucket {}", b.name)));
    v.extend(s.topics.iter().map(|t| format!("topic {}", t.name)));
    v.extend(s.queues.iter().map(|q| format!("queue {}", q.name)));
    v.extend(s.functions.iter().map(|f| format!("function {}", f.name)));
    v.extend(s.tables.iter().map(|t| format!("table {}", t.name)));
    v.extend(s.apis.iter().map(|a| format!("api {}", a.name)));
    v
}

/// A table's settings in words: `partition key id (S), on-demand, stream NEW_IMAGE`.
pub fn describe_table(t: &TableSpec) -> String {
    let mut out = format!(
        "partition key {} ({:?})",
        t.partition_key.name, t.partition_key.kind
    );
    if let Some(k) = &t.sort_key {
        out.push_str(&format!(", sort key {} ({:?})", k.name, k.kind));
    }
    match t.billing {
        Billing::OnDemand => out.push_str(", on-demand"),
        Billing::Provisioned { read, write } => {
            out.push_str(&format!(", provisioned {read} RCU / {write} WCU"))
        }
    }
    if let Some(v) = t.stream {
        out.push_str(&format!(", stream {}", stream_view_name(v)));
    }
    if let Some(a) = &t.ttl_attribute {
        out.push_str(&format!(", TTL on {a}"));
    }
    for (n, kind) in [
        (t.local_secondary_indexes.len(), "local"),
        (t.global_secondary_indexes.len(), "global"),
    ] {
        if n > 0 {
            let es = if n == 1 { "" } else { "es" };
            out.push_str(&format!(", {n} {kind} secondary index{es}"));
        }
    }
    out
}

/// A stream view's API name (`NEW_AND_OLD_IMAGES`).
pub fn stream_view_name(v: StreamView) -> &'static str {
    match v {
        StreamView::KeysOnly => "KEYS_ONLY",
        StreamView::NewImage => "NEW_IMAGE",
        StreamView::OldImage => "OLD_IMAGE",
        StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
    }
}

/// What is wrong with a batch or a transaction before it runs: its JSON parameter missing
/// or malformed (templates filled), an entry that is not one of its kinds, an expression
/// that does not parse with its entry's placeholders.
fn multi_request_errors(r: &Request) -> Vec<String> {
    use crate::core::services::dynamodb::batch::Action as Write;
    let op = r.operation;
    if r.item.trim().is_empty() {
        return vec![format!(
            "{}: the {} are missing (JSON).",
            op.name(),
            op.item_parameter()
        )];
    }
    let entries = match r.filled().entries() {
        Ok(e) => e,
        Err(e) => return vec![format!("{}: {}", op.name(), e.message)],
    };
    let mut errors = vec![];
    for (k, e) in entries.iter().enumerate() {
        let ph = &e.placeholders;
        if let Some(c) = &e.condition {
            if let Err(x) = expr::parse_condition(c, ph, "ConditionExpression") {
                errors.push(format!(
                    "Entry {}: ConditionExpression: {}",
                    k + 1,
                    x.message
                ));
            }
        }
        if let Write::Update(_, u) = &e.action {
            if let Err(x) = expr::parse_update(u, ph) {
                errors.push(format!("Entry {}: UpdateExpression: {}", k + 1, x.message));
            }
        }
    }
    errors
}

/// What is wrong with a DynamoDB call before it runs, each named: the parameters its
/// operation needs, JSON that does not parse (templates inside strings are fine), and
/// expressions that do not parse.
pub fn request_errors(r: &Request) -> Vec<String> {
    let mut errors = vec![];
    let op = r.operation;
    let has = |t: &str| !t.trim().is_empty();
    if op.multi() {
        return multi_request_errors(r);
    }
    if !has(&r.table) {
        errors.push(format!("{}: name the table.", op.name()));
    }
    let item_name = if op == Operation::PutItem {
        "Item"
    } else {
        "Key"
    };
    let needs_item = !matches!(op, Operation::Query | Operation::Scan);
    if needs_item && !has(&r.item) {
        errors.push(format!(
            "{}: the {item_name} is missing (a JSON object).",
            op.name()
        ));
    }
    if op == Operation::UpdateItem && !has(&r.update) {
        errors.push("UpdateItem: the UpdateExpression is missing (SET a = :a …).".into());
    }
    if op == Operation::Query && !has(&r.key_condition) {
        errors.push("Query: the KeyConditionExpression is missing (id = :id …).".into());
    }
    // Templates are checked filled in with 1, which is JSON inside a string ("o-{{n}}")
    // and outside one ("qty": {{n}}).
    let json = |text: &str, what: &str, errors: &mut Vec<String>| -> Option<Item> {
        if !has(text) {
            return Some(Item::new());
        }
        let filled = crate::core::services::dynamodb::request::fill_templates_json(text)
            .unwrap_or_else(|| text.to_string());
        match parse_attrs(&filled, what) {
            Ok(i) => Some(i),
            Err(e) => {
                errors.push(e.message);
                None
            }
        }
    };
    if needs_item {
        json(&r.item, item_name, &mut errors);
    }
    let values = json(&r.values, "ExpressionAttributeValues", &mut errors);
    if let Some(values) = values {
        let ph = Placeholders {
            names: r.names.clone(),
            values,
        };
        let checks: [(&str, &str, u8); 4] = [
            (&r.condition, "ConditionExpression", 0),
            (&r.filter, "FilterExpression", 0),
            (&r.update, "UpdateExpression", 1),
            (&r.key_condition, "KeyConditionExpression", 2),
        ];
        for (text, what, kind) in checks {
            if !has(text) {
                continue;
            }
            let e = match kind {
                0 => expr::parse_condition(text, &ph, what).err(),
                1 => expr::parse_update(text, &ph).err(),
                // The syntax only: key names are checked against the table when it runs.
                _ => expr::parse_condition(text, &ph, what).err(),
            };
            if let Some(e) = e {
                errors.push(format!("{what}: {}", e.message));
            }
        }
    }
    errors
}

/// A warning when a rule sends a bucket's changes to a function that writes into the same
/// bucket where the rule would fire again: the recursive loop the S3 docs warn about.
fn loop_note(s: &Scenario, bucket: &str, rule: &NotificationRule) -> String {
    let Target::Lambda(f) = &rule.target else {
        return String::new();
    };
    let Some(func) = s.functions.iter().find(|x| x.name == *f) else {
        return String::new();
    };
    let writes_back = func.handler.steps.iter().any(|st| match st {
        Step::PutObject { bucket: b, key, .. } if b == bucket => {
            // The key's fixed start, before any template.
            let fixed = key.split("{{").next().unwrap_or_default();
            (fixed.starts_with(&rule.prefix) || rule.prefix.starts_with(fixed))
                && (rule.suffix.is_empty() || key.ends_with(&rule.suffix) || key.contains("{{"))
        }
        _ => false,
    });
    if writes_back
        && rule
            .events
            .iter()
            .any(|e| e.starts_with("s3:ObjectCreated"))
    {
        format!(
            " Careful: {f} writes into {bucket} where this rule fires again — a recursive loop (Lambda stops it after 16 invocations in one chain)."
        )
    } else {
        String::new()
    }
}

/// Wiring that names a resource the scenario lacks, each named.
fn wiring_errors(s: &Scenario) -> Vec<String> {
    let ids = ids(s);
    let exists = |id: &str| ids.iter().any(|x| x == id);
    let fifo = |id: &str| {
        id.strip_prefix("queue ").is_some_and(|n| {
            s.queues
                .iter()
                .any(|q| q.name == n && q.attributes.fifo_queue)
        })
    };
    let mut errors = vec![];
    for t in &s.topics {
        for sub in &t.subscriptions {
            let id = endpoint_id(&sub.endpoint);
            if !exists(&id) {
                errors.push(format!(
                    "Topic {} subscribes {id}, which does not exist.",
                    t.name
                ));
            } else if fifo(&id) {
                errors.push(format!(
                    "Topic {} is a standard topic: it cannot deliver to the FIFO {id} (SNS delivers to FIFO queues only from FIFO topics, which this simulator does not model).",
                    t.name
                ));
            }
        }
    }
    for b in &s.buckets {
        for r in &b.notifications {
            let id = target_id(&r.target);
            if !exists(&id) {
                errors.push(format!(
                    "Bucket {}: unable to validate the destination {id}, which does not exist.",
                    b.name
                ));
            } else if fifo(&id) {
                errors.push(format!(
                    "Bucket {}: S3 event notifications cannot go to a FIFO queue ({id}).",
                    b.name
                ));
            }
        }
    }
    for a in &s.apis {
        for r in &a.routes {
            if !exists(&format!("function {}", r.function)) {
                errors.push(format!(
                    "API {}: {} {} integrates function {}, which does not exist.",
                    a.name, r.method, r.path, r.function
                ));
            }
        }
    }
    for f in &s.functions {
        for d in f
            .async_config
            .on_failure
            .iter()
            .chain(&f.async_config.on_success)
        {
            let id = destination_id(d);
            if !exists(&id) {
                errors.push(format!(
                    "Function {}: the destination {id} does not exist.",
                    f.name
                ));
            }
            if fifo(&id) {
                errors.push(format!(
                    "Function {}: a destination cannot be a FIFO queue ({id}).",
                    f.name
                ));
            }
            if id == format!("function {}", f.name) {
                errors.push(format!(
                    "Function {} cannot be its own destination.",
                    f.name
                ));
            }
        }
    }
    errors
}

/// Puts every dead-letter queue before the queues that name it (the order `build` creates
/// them in), keeping the order otherwise; a redrive cycle is refused.
fn order_queues(s: &mut Scenario) -> Result<(), String> {
    let mut left = std::mem::take(&mut s.queues);
    let mut placed: Vec<QueueSpec> = vec![];
    while !left.is_empty() {
        let ready = left.iter().position(|q| {
            q.attributes.redrive_policy.as_ref().is_none_or(|r| {
                r.dead_letter_target == q.name
                    || placed.iter().any(|p| p.name == r.dead_letter_target)
                    || !left.iter().any(|l| l.name == r.dead_letter_target)
            })
        });
        match ready {
            Some(k) => placed.push(left.remove(k)),
            None => {
                let names: Vec<&str> = left.iter().map(|q| q.name.as_str()).collect();
                let message = format!(
                    "The redrive policies of {} name each other in a circle: a dead-letter queue cannot send back to its source.",
                    names.join(", ")
                );
                placed.extend(left);
                s.queues = placed;
                return Err(message);
            }
        }
    }
    s.queues = placed;
    Ok(())
}

/// Deletes a resource and the wiring that names it.
fn delete(s: &mut Scenario, node: &str) -> Result<String, String> {
    let (kind, name) = node
        .split_once(' ')
        .ok_or_else(|| format!("“{node}” is not a resource."))?;
    let found = match kind {
        "queue" => remove_where(&mut s.queues, |q| q.name == name),
        "topic" => remove_where(&mut s.topics, |t| t.name == name),
        "bucket" => remove_where(&mut s.buckets, |b| b.name == name),
        "function" => remove_where(&mut s.functions, |f| f.name == name),
        "table" => remove_where(&mut s.tables, |t| t.name == name),
        "api" => remove_where(&mut s.apis, |a| a.name == name),
        _ => false,
    };
    if !found {
        return Err(if kind == "scenario" {
            "The script is not a resource: remove its actions instead.".into()
        } else {
            format!("There is no {node}.")
        });
    }
    let mut gone: Vec<String> = vec![];
    let mut count = |what: &str, n: usize| {
        if n > 0 {
            gone.push(format!("{n} {what}{}", if n == 1 { "" } else { "s" }));
        }
    };
    let mut subs = 0;
    for t in &mut s.topics {
        let k = t.subscriptions.len();
        t.subscriptions.retain(|x| endpoint_id(&x.endpoint) != node);
        subs += k - t.subscriptions.len();
    }
    count("subscription", subs);
    let mut rules = 0;
    for b in &mut s.buckets {
        let k = b.notifications.len();
        b.notifications.retain(|r| target_id(&r.target) != node);
        rules += k - b.notifications.len();
    }
    count("notification rule", rules);
    let k = s.mappings.len();
    s.mappings.retain(|m| {
        format!("queue {}", m.queue) != node && format!("function {}", m.function) != node
    });
    count("event source mapping", k - s.mappings.len());
    let k = s.stream_mappings.len();
    s.stream_mappings.retain(|m| {
        format!("table {}", m.table) != node && format!("function {}", m.function) != node
    });
    count("stream mapping", k - s.stream_mappings.len());
    let mut routes = 0;
    for a in &mut s.apis {
        let k = a.routes.len();
        a.routes
            .retain(|r| format!("function {}", r.function) != node);
        routes += k - a.routes.len();
    }
    count("API route", routes);

    let mut redrives = 0;
    for q in &mut s.queues {
        if q.attributes
            .redrive_policy
            .as_ref()
            .is_some_and(|r| format!("queue {}", r.dead_letter_target) == node)
        {
            q.attributes.redrive_policy = None;
            redrives += 1;
        }
    }
    count("redrive policy", redrives);
    let mut dests = 0;
    for f in &mut s.functions {
        for d in [
            &mut f.async_config.on_failure,
            &mut f.async_config.on_success,
        ] {
            if d.as_ref().is_some_and(|d| destination_id(d) == node) {
                *d = None;
                dests += 1;
            }
        }
    }
    for m in &mut s.stream_mappings {
        if m.on_failure
            .as_ref()
            .is_some_and(|d| destination_id(d) == node)
        {
            m.on_failure = None;
            dests += 1;
        }
    }
    count("destination", dests);
    Ok(if gone.is_empty() {
        format!("Deleted {node}.")
    } else {
        format!(
            "Deleted {node}, and with it what named it (AWS would leave that in place, failing): {}.",
            gone.join(", ")
        )
    })
}

/// UpdateEventSourceMapping: mapping `index` of `list` becomes `new`, whose `source` and
/// function are fixed.
fn replace_mapping<T: Clone>(
    list: &mut [T],
    index: usize,
    new: &T,
    kind: &str,
    source: &str,
    same_ends: impl Fn(&T, &T) -> bool,
) -> Result<(), String> {
    let m = list
        .get_mut(index)
        .ok_or_else(|| format!("There is no {kind} {}.", index + 1))?;
    if !same_ends(m, new) {
        return Err(format!(
            "A mapping's {source} and function are fixed: delete it and create another."
        ));
    }
    *m = new.clone();
    Ok(())
}

fn remove_where<T>(v: &mut Vec<T>, f: impl Fn(&T) -> bool) -> bool {
    let k = v.len();
    v.retain(|x| !f(x));
    v.len() < k
}

/// An action with `{{n}}` in its texts replaced by `k`.
fn numbered(a: &Action, k: usize) -> Action {
    let r = |t: &String| t.replace("{{n}}", &k.to_string());
    match a {
        Action::SendMessage {
            queue,
            body,
            delay_seconds,
            group_id,
        } => Action::SendMessage {
            queue: queue.clone(),
            body: r(body),
            delay_seconds: *delay_seconds,
            group_id: group_id.as_ref().map(r),
        },
        Action::Publish {
            topic,
            message,
            attributes,
        } => Action::Publish {
            topic: topic.clone(),
            message: r(message),
            attributes: attributes.iter().map(|(k, v)| (k.clone(), r(v))).collect(),
        },
        Action::Invoke {
            function,
            payload,
            asynchronous,
        } => Action::Invoke {
            function: function.clone(),
            payload: serde_json::from_str(&r(&payload.to_string()))
                .unwrap_or_else(|_| payload.clone()),
            asynchronous: *asynchronous,
        },
        Action::PutObject {
            bucket,
            key,
            body,
            content_type,
        } => Action::PutObject {
            bucket: bucket.clone(),
            key: r(key),
            body: r(body),
            content_type: content_type.clone(),
        },
        Action::DeleteObject { bucket, key } => Action::DeleteObject {
            bucket: bucket.clone(),
            key: r(key),
        },
        Action::DynamoDb { call } => Action::DynamoDb {
            call: call.render(|t, _| t.replace("{{n}}", &k.to_string())),
        },
        Action::HttpRequest {
            api,
            method,
            path,
            body,
            api_key,
            per_second,
            for_seconds,
        } => Action::HttpRequest {
            api: api.clone(),
            method: method.clone(),
            path: r(path),
            body: r(body),
            api_key: api_key.clone(),
            per_second: *per_second,
            for_seconds: *for_seconds,
        },
    }
}

fn when_text(w: &When) -> String {
    match w {
        When::Always => "always".into(),
        When::Probability(p) => format!("with probability {p}"),
        When::FieldEquals { path, value } => format!("when {path} is “{value}”"),
        When::Missing { path } => format!("when {path} is missing"),
    }
}

/// A handler step in words: "Run 300 ms", "Fail (ValueError) when Records.0.body is
/// “poison”", "SendMessage to orders: “…”".
pub fn describe_step(step: &Step) -> String {
    match step {
        Step::Run { ms } => format!("Run {ms} ms"),
        Step::Fail {
            when,
            error_type,
            message,
        } => format!("Fail {} with {error_type}: “{message}”", when_text(when)),
        Step::SendMessage {
            queue,
            body,
            group_id,
        } => match group_id {
            Some(g) => format!("SendMessage to {queue} (group {g}): “{body}”"),
            None => format!("SendMessage to {queue}: “{body}”"),
        },
        Step::Publish {
            topic,
            message,
            attributes,
        } => publish_text(topic, message, attributes),
        Step::PutObject { bucket, key, .. } => format!("PutObject {key} into {bucket}"),
        Step::ReportBatchItemFailures { when } => {
            format!(
                "Report in batchItemFailures the records {}",
                match when {
                    When::Always => "— all of them".to_string(),
                    other => when_text(other),
                }
            )
        }
        Step::Return {
            when,
            status_code,
            body,
            ..
        } => match when {
            When::Always => format!("Return statusCode {status_code}, body “{body}”"),
            w => format!(
                "Return statusCode {status_code}, body “{body}” {}",
                when_text(w)
            ),
        },
        Step::DynamoDb { call, catch } if catch.is_empty() => call.describe(),
        Step::DynamoDb { call, catch } => {
            format!("{} (catching {})", call.describe(), catch.join(", "))
        }
    }
}

/// A Publish (a step's or the script's) in words: `Publish to orders [type=order]: “…”`.
fn publish_text(topic: &str, message: &str, attributes: &[(String, String)]) -> String {
    let attrs: Vec<String> = attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if attrs.is_empty() {
        format!("Publish to {topic}: “{message}”")
    } else {
        format!("Publish to {topic} [{}]: “{message}”", attrs.join(", "))
    }
}

/// A scripted action in words.
pub fn describe_action(a: &Action) -> String {
    match a {
        Action::SendMessage {
            queue,
            body,
            delay_seconds,
            group_id,
        } => {
            let mut t = format!("SendMessage to {queue}: “{body}”");
            if let Some(g) = group_id {
                t.push_str(&format!(" (group {g})"));
            }
            if let Some(d) = delay_seconds {
                t.push_str(&format!(" delayed {d} s"));
            }
            t
        }
        Action::Publish {
            topic,
            message,
            attributes,
        } => publish_text(topic, message, attributes),
        Action::Invoke {
            function,
            payload,
            asynchronous,
        } => format!(
            "Invoke {function} ({}) with {}",
            if *asynchronous {
                "Event, asynchronous"
            } else {
                "RequestResponse"
            },
            payload
        ),
        Action::PutObject { bucket, key, .. } => format!("PutObject {key} into {bucket}"),
        Action::DeleteObject { bucket, key } => format!("DeleteObject {key} from {bucket}"),
        Action::DynamoDb { call } => call.describe(),
        Action::HttpRequest {
            api,
            method,
            path,
            body,
            api_key,
            per_second,
            for_seconds,
        } => {
            let mut t = format!("{method} {path} to API {api}");
            if !body.is_empty() {
                t.push_str(&format!(" with body {body}"));
            }
            if api_key.is_some() {
                t.push_str(" (with the API key)");
            }
            if *per_second > 0 && *for_seconds > 0 {
                t.push_str(&format!(", {per_second} a second for {for_seconds} s"));
            }
            t
        }
    }
}

/// A notification rule in words.
pub fn describe_rule(r: &NotificationRule) -> String {
    let mut t = format!("{} → {}", r.events.join(", "), target_id(&r.target));
    if !r.prefix.is_empty() {
        t.push_str(&format!(", prefix “{}”", r.prefix));
    }
    if !r.suffix.is_empty() {
        t.push_str(&format!(", suffix “{}”", r.suffix));
    }
    t
}

/// The scenario as the JSON editor shows it: indented two spaces a level.
pub fn to_json(s: &Scenario) -> String {
    // Through a JSON value, as share links write the state: no second serializer.
    indent(
        &serde_json::to_value(s)
            .map(|v| v.to_string())
            .unwrap_or_default(),
    )
}

/// Indents compact JSON text (serde_json's pretty printer would link another copy of the
/// scenario's serializer into the page's module, ~10 KB).
fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if let Some(close) = chars.next_if(|n| *n == '}' || *n == ']') {
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// The JSON editor's text as a scenario: a syntax or shape error names its line and
/// column; limits are checked before anything is built.
pub fn from_json(text: &str) -> Result<Scenario, String> {
    if text.len() > 1_000_000 {
        return Err(format!(
            "The scenario is {} bytes; at most 1,000,000.",
            text.len()
        ));
    }
    serde_json::from_str::<Scenario>(text).map_err(|e| {
        format!(
            "Line {}, column {}: {}",
            e.line(),
            e.column(),
            e.to_string().split(" at line ").next().unwrap_or_default()
        )
    })
}

/// How many of each kind a scenario may hold, for the page's hints.
pub const LIMIT_PER_KIND: usize = MAX_PER_KIND;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::lambda::Destination;
    use crate::core::services::sns::Endpoint;
    use crate::core::services::sqs::RedrivePolicy;
    use crate::core::views::flow::templates::{scenario, TEMPLATES};

    fn ok(s: &Scenario, e: Edit) -> Scenario {
        match apply(s, &e) {
            Ok((n, _)) => n,
            Err(r) => panic!("{e:?} refused: {r:?}"),
        }
    }

    fn refused(s: &Scenario, e: Edit) -> String {
        match apply(s, &e) {
            Ok(_) => panic!("{e:?} accepted"),
            Err(r) => r.errors.join(" | "),
        }
    }

    /// Built from nothing on the page, the course's DLQ lesson plays as the template does.
    #[test]
    fn a_dlq_scenario_built_from_scratch_moves_the_poison_message() {
        let mut s = Scenario {
            horizon_ms: 150_000,
            seed: 1,
            ..Default::default()
        };
        s = ok(
            &s,
            Edit::CreateQueue {
                name: "orders".into(),
                fifo: false,
            },
        );
        s = ok(
            &s,
            Edit::CreateQueue {
                name: "orders-dlq".into(),
                fifo: false,
            },
        );
        s = ok(
            &s,
            Edit::CreateFunction {
                name: "worker".into(),
            },
        );
        // The DLQ was created after its source: the edit puts it first for CreateQueue.
        let mut a = s.queues[0].attributes.clone();
        a.redrive_policy = Some(RedrivePolicy {
            dead_letter_target: "orders-dlq".into(),
            max_receive_count: 3,
        });
        s = ok(
            &s,
            Edit::SetQueueAttributes {
                queue: "orders".into(),
                attributes: a,
            },
        );
        assert_eq!(s.queues[0].name, "orders-dlq");
        s = ok(
            &s,
            Edit::AddStep {
                function: "worker".into(),
                step: Step::Fail {
                    when: When::FieldEquals {
                        path: "Records.0.body".into(),
                        value: "poison".into(),
                    },
                    error_type: "ValueError".into(),
                    message: "bad order".into(),
                },
            },
        );
        s = ok(
            &s,
            Edit::CreateEventSourceMapping {
                mapping: Mapping {
                    queue: "orders".into(),
                    function: "worker".into(),
                    batch_size: 1,
                    ..Default::default()
                },
            },
        );
        s = ok(
            &s,
            Edit::AddActions {
                principal: String::new(),
                action: Action::SendMessage {
                    queue: "orders".into(),
                    body: "poison".into(),
                    delay_seconds: None,
                    group_id: None,
                },
                at_ms: 1_000,
                count: 1,
                every_ms: 0,
            },
        );
        let o = s.run().unwrap();
        assert!(o.trace.iter().any(|e| e.code == "SQS_MOVED_TO_DLQ"));
    }

    #[test]
    fn refusals_name_the_problem_and_change_nothing() {
        let s = scenario("dlq");
        // Lambda's own check, through the build.
        let mut f = s.functions[0].clone();
        f.timeout_s = 60;
        // Lambda checks the visibility timeout when a mapping is created or updated, not
        // when the function changes later: that is accepted, with a note of the risk.
        let (slow, said) = apply(&s, &Edit::UpdateFunction { config: f }).unwrap();
        assert!(
            said.contains(
                "queue orders hides a received message for 30 s but worker may run for 60 s"
            ),
            "{said}"
        );
        let m = slow.mappings[0].clone();
        assert!(refused(
            &slow,
            Edit::UpdateEventSourceMapping {
                index: 0,
                mapping: m
            }
        )
        .contains(
            "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
        ));
        let mut f = s.functions[0].clone();
        f.memory_mb = 64;
        assert!(refused(&s, Edit::UpdateFunction { config: f }).contains("MemorySize is 64 MB"));
        assert!(refused(
            &s,
            Edit::CreateQueue {
                name: "orders".into(),
                fifo: false
            }
        )
        .contains("QueueAlreadyExists"));
        let (same, said) = apply(
            &s,
            &Edit::CreateQueue {
                name: "orders-dlq".into(),
                fifo: false,
            },
        )
        .unwrap();
        assert_eq!(same, s);
        assert!(said.contains("changes nothing"));
        assert!(refused(
            &s,
            Edit::CreateQueue {
                name: "jobs".into(),
                fifo: true
            }
        )
        .contains("ends in .fifo"));
        assert!(refused(
            &s,
            Edit::CreateQueue {
                name: "bad name".into(),
                fifo: false
            }
        )
        .contains("contains “ ”"));
        let mut a = s.queues[1].attributes.clone();
        a.fifo_queue = true;
        assert!(refused(
            &s,
            Edit::SetQueueAttributes {
                queue: "orders".into(),
                attributes: a
            }
        )
        .contains("cannot change"));
        let mut a = s.queues[1].attributes.clone();
        a.visibility_timeout = 50_000;
        assert!(refused(
            &s,
            Edit::SetQueueAttributes {
                queue: "orders".into(),
                attributes: a
            }
        )
        .contains("VisibilityTimeout is 50000"));
        // A redrive cycle.
        let mut a = s.queues[0].attributes.clone();
        a.redrive_policy = Some(RedrivePolicy {
            dead_letter_target: "orders".into(),
            max_receive_count: 2,
        });
        assert!(refused(
            &s,
            Edit::SetQueueAttributes {
                queue: "orders-dlq".into(),
                attributes: a
            }
        )
        .contains("in a circle"));
        // Wiring to nothing.
        assert!(refused(
            &s,
            Edit::CreateEventSourceMapping {
                mapping: Mapping {
                    queue: "orders".into(),
                    function: "nobody".into(),
                    ..Default::default()
                }
            }
        )
        .contains("Function not found"));
        assert!(refused(
            &s,
            Edit::CreateEventSourceMapping {
                mapping: Mapping {
                    queue: "orders".into(),
                    function: "worker".into(),
                    ..Default::default()
                }
            }
        )
        .contains("already has a mapping"));
        let mut f = s.functions[0].clone();
        f.async_config.on_failure = Some(Destination::Sqs("missing".into()));
        assert!(refused(&s, Edit::UpdateFunction { config: f }).contains("queue missing"));
        assert!(refused(
            &s,
            Edit::SetRun {
                horizon_ms: 0,
                seed: 1
            }
        )
        .contains("from 1 s"));
        assert!(refused(
            &s,
            Edit::AddActions {
                principal: String::new(),
                action: Action::DeleteObject {
                    bucket: "b".into(),
                    key: "k".into()
                },
                at_ms: 0,
                count: MAX_ACTIONS,
                every_ms: 1,
            }
        )
        .contains("limit of 2000"));
        assert!(refused(
            &s,
            Edit::AddActions {
                principal: String::new(),
                action: Action::DeleteObject {
                    bucket: "b".into(),
                    key: "k".into()
                },
                at_ms: u64::MAX,
                count: 2,
                every_ms: u64::MAX,
            }
        )
        .contains("after a day"));
        assert!(refused(
            &s,
            Edit::Delete {
                node: "scenario".into()
            }
        )
        .contains("not a resource"));
    }

    #[test]
    fn subscriptions_and_notifications_are_checked_by_their_services() {
        let s = scenario("fanout");
        let bad = SubscriptionSpec {
            endpoint: Endpoint::Lambda("billing-worker".into()),
            filter_policy: Some(r#"{"kind": "order"}"#.into()),
            filter_policy_scope: Default::default(),
            raw_message_delivery: false,
        };
        let topic = s.topics[0].name.clone();
        // A filter policy's values are in an array.
        let e = refused(
            &s,
            Edit::Subscribe {
                topic: topic.clone(),
                subscription: bad,
            },
        );
        assert!(e.contains("Subscription of billing-worker"), "{e}");
        let p = scenario("photo");
        let b = p.buckets[0].name.clone();
        let overlap = NotificationRule {
            id: String::new(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: String::new(),
            suffix: String::new(),
            target: p.buckets[0].notifications[0].target.clone(),
        };
        let e = refused(
            &p,
            Edit::AddNotification {
                bucket: b,
                rule: overlap,
            },
        );
        assert!(e.contains("ambiguously"), "{e}");
    }

    #[test]
    fn deleting_takes_the_wiring_and_keeps_the_rest_runnable() {
        for (id, _, _) in TEMPLATES {
            let s = scenario(id);
            for node in ids(&s) {
                let (n, msg) = apply(&s, &Edit::Delete { node: node.clone() })
                    .unwrap_or_else(|r| panic!("{id}: deleting {node}: {r:?}"));
                assert!(msg.starts_with(&format!("Deleted {node}")), "{msg}");
                assert!(!ids(&n).contains(&node));
                assert!(
                    crate::core::views::flow::layout::graph(&n)
                        .1
                        .iter()
                        .filter(|e| e.kind != "call" && e.kind != "action")
                        .all(|e| e.from != node && e.to != node),
                    "{id}: wiring to {node} left"
                );
                n.run_limited(20_000).unwrap();
            }
        }
        let (_, msg) = apply(
            &scenario("dlq"),
            &Edit::Delete {
                node: "queue orders-dlq".into(),
            },
        )
        .unwrap();
        assert_eq!(
            msg,
            "Deleted queue orders-dlq, and with it what named it (AWS would leave that in place, failing): 1 redrive policy."
        );
    }

    #[test]
    fn repeated_actions_are_numbered_and_in_time_order() {
        let s = scenario("dlq");
        let n = ok(
            &s,
            Edit::AddActions {
                principal: String::new(),
                action: Action::SendMessage {
                    queue: "orders".into(),
                    body: "order {{n}}".into(),
                    delay_seconds: None,
                    group_id: None,
                },
                at_ms: 500,
                count: 3,
                every_ms: 1_000,
            },
        );
        let bodies: Vec<String> = n
            .actions
            .iter()
            .map(|a| describe_action(&a.action))
            .collect();
        assert_eq!(n.actions.len(), 6);
        assert!(n.actions.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        assert_eq!(bodies[1], "SendMessage to orders: “order 1”");
        assert_eq!(bodies[5], "SendMessage to orders: “order 3”");
    }

    #[test]
    fn steps_move_and_go() {
        let s = scenario("dlq");
        let n = ok(
            &s,
            Edit::MoveStepUp {
                function: "worker".into(),
                index: 1,
            },
        );
        assert!(matches!(n.functions[0].handler.steps[0], Step::Fail { .. }));
        let n = ok(
            &n,
            Edit::RemoveStep {
                function: "worker".into(),
                index: 0,
            },
        );
        assert_eq!(n.functions[0].handler.steps, vec![Step::Run { ms: 300 }]);
        assert!(refused(
            &n,
            Edit::MoveStepUp {
                function: "worker".into(),
                index: 0
            }
        )
        .contains("cannot move up"));
    }

    #[test]
    fn the_json_editor_round_trips_and_names_lines() {
        for (id, _, _) in TEMPLATES {
            let s = scenario(id);
            assert_eq!(from_json(&to_json(&s)).unwrap(), s);
        }
        // The editor's text is indented as serde_json's pretty printer would (keys in the
        // order a JSON value keeps them).
        for (id, _, _) in TEMPLATES {
            let s = scenario(id);
            let v: serde_json::Value = serde_json::from_str(&to_json(&s)).unwrap();
            assert_eq!(
                to_json(&s),
                serde_json::to_string_pretty(&v).unwrap(),
                "{id}"
            );
        }
        let e = from_json("{\n  \"queues\": 3\n}").unwrap_err();
        assert!(e.starts_with("Line 2, column"), "{e}");
        assert!(e.contains("expected a sequence"), "{e}");
    }

    #[test]
    fn aws_refusals_of_fifo_wiring_duplicates_and_reused_rule_ids() {
        let mut s = scenario("photo");
        s = ok(
            &s,
            Edit::CreateQueue {
                name: "jobs.fifo".into(),
                fifo: true,
            },
        );
        let b = s.buckets[0].name.clone();
        let rule = |prefix: &str, target: Target| NotificationRule {
            id: String::new(),
            events: vec!["s3:ObjectRemoved:*".into()],
            prefix: prefix.into(),
            suffix: String::new(),
            target,
        };
        assert!(refused(
            &s,
            Edit::AddNotification {
                bucket: b.clone(),
                rule: rule("a/", Target::Sqs("jobs.fifo".into()))
            }
        )
        .contains("cannot go to a FIFO queue"));
        // Ids: the smallest unused one, so removing a rule never blocks adding another.
        let f = Target::Lambda(s.functions[0].name.clone());
        let n = ok(
            &s,
            Edit::AddNotification {
                bucket: b.clone(),
                rule: rule("a/", f.clone()),
            },
        );
        let n = ok(
            &n,
            Edit::AddNotification {
                bucket: b.clone(),
                rule: rule("b/", f.clone()),
            },
        );
        let first = n.buckets[0].notifications.len() - 2;
        let n = ok(
            &n,
            Edit::RemoveNotification {
                bucket: b.clone(),
                index: first,
            },
        );
        let n = ok(
            &n,
            Edit::AddNotification {
                bucket: b.clone(),
                rule: rule("c/", f),
            },
        );
        let ids: Vec<&str> = n.buckets[0]
            .notifications
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        // Two functions of one name (a hand-edited JSON) are refused, not silently merged.
        let mut twice = s.clone();
        twice.functions.push(twice.functions[0].clone());
        assert!(refused(&s, Edit::Replace { scenario: twice }).contains("Two functions are named"));
        let mut late = s.clone();
        late.horizon_ms = 0;
        assert!(refused(
            &s,
            Edit::Replace {
                scenario: late.clone()
            }
        )
        .contains("from 1 s to a day"));
        // A scenario that already has that problem can still be edited (and fixed).
        assert!(apply(&late, &Edit::CreateTopic { name: "t".into() }).is_ok());
    }

    #[test]
    fn a_numbered_invoke_payload_is_numbered() {
        let s = scenario("async");
        let n = ok(
            &s,
            Edit::AddActions {
                principal: String::new(),
                action: Action::Invoke {
                    function: "thumbnail".into(),
                    payload: serde_json::json!({"order": "{{n}}"}),
                    asynchronous: true,
                },
                at_ms: 0,
                count: 2,
                every_ms: 1_000,
            },
        );
        let texts: Vec<String> = n
            .actions
            .iter()
            .map(|a| describe_action(&a.action))
            .collect();
        assert!(
            texts.iter().any(|t| t.contains(r#"{"order":"2"}"#)),
            "{texts:?}"
        );
    }

    #[test]
    fn fifo_sends_need_a_group_and_deduplication_and_loops_are_flagged() {
        let s = ok(
            &scenario("empty"),
            Edit::CreateQueue {
                name: "jobs.fifo".into(),
                fifo: true,
            },
        );
        let send = |group: Option<&str>| Edit::AddActions {
            principal: String::new(),
            action: Action::SendMessage {
                queue: "jobs.fifo".into(),
                body: "x".into(),
                delay_seconds: None,
                group_id: group.map(str::to_string),
            },
            at_ms: 0,
            count: 1,
            every_ms: 0,
        };
        let e = refused(&s, send(None));
        assert!(
            e.contains("needs a message group (MessageGroupId)")
                && e.contains("ContentBasedDeduplication off"),
            "{e}"
        );
        let mut a = s.queues[0].attributes.clone();
        a.content_based_deduplication = true;
        let s = ok(
            &s,
            Edit::SetQueueAttributes {
                queue: "jobs.fifo".into(),
                attributes: a,
            },
        );
        ok(&s, send(Some("g1")));
        // Subscribing the same endpoint the same way again changes nothing.
        let f = scenario("fanout");
        let again = Edit::Subscribe {
            topic: "orders".into(),
            subscription: f.topics[0].subscriptions[0].clone(),
        };
        let (same, said) = apply(&f, &again).unwrap();
        assert_eq!(same, f);
        assert!(said.contains("changes nothing"), "{said}");
        // A rule that sends the labeler's own output back to it is flagged.
        let p = scenario("photo");
        let (_, said) = apply(
            &p,
            &Edit::AddNotification {
                bucket: "photos".into(),
                rule: NotificationRule {
                    id: String::new(),
                    events: vec!["s3:ObjectCreated:*".into()],
                    prefix: "labels/".into(),
                    suffix: String::new(),
                    target: Target::Lambda("labeler".into()),
                },
            },
        )
        .unwrap();
        assert!(said.contains("recursive loop"), "{said}");
        assert_eq!(secs(10), "0.01 s");
    }

    /// A stream lesson built on the page: a table, its stream, a mapping with its
    /// settings, and the refusals AWS gives on the way.
    #[test]
    fn tables_and_stream_mappings_are_created_updated_and_deleted() {
        use crate::core::services::dynamodb::table::{KeyAttr, KeyType};
        let mut s = scenario("empty");
        let spec = TableSpec::new("orders", KeyAttr::new("id", KeyType::S));
        s = ok(&s, Edit::CreateTable { spec: spec.clone() });
        assert!(refused(&s, Edit::CreateTable { spec: spec.clone() })
            .contains("ResourceInUseException"));
        s = ok(
            &s,
            Edit::CreateFunction {
                name: "indexer".into(),
            },
        );
        let mapping = StreamMapping {
            table: "orders".into(),
            function: "indexer".into(),
            ..Default::default()
        };
        assert!(refused(
            &s,
            Edit::CreateStreamMapping {
                mapping: mapping.clone()
            }
        )
        .contains("has no stream"));
        let mut streamed = spec.clone();
        streamed.stream = Some(StreamView::NewImage);
        streamed.billing = Billing::Provisioned { read: 5, write: 5 };
        s = ok(
            &s,
            Edit::UpdateTable {
                spec: streamed.clone(),
            },
        );
        let mut rekeyed = streamed.clone();
        rekeyed.partition_key.name = "pk".into();
        assert!(refused(&s, Edit::UpdateTable { spec: rekeyed }).contains("key schema"));
        s = ok(
            &s,
            Edit::CreateStreamMapping {
                mapping: mapping.clone(),
            },
        );
        let bad = StreamMapping {
            maximum_record_age_seconds: Some(10),
            ..mapping.clone()
        };
        assert!(refused(
            &s,
            Edit::UpdateStreamMapping {
                index: 0,
                mapping: bad
            }
        )
        .contains("MaximumRecordAgeInSeconds"));
        // A put with broken JSON, a missing key, and an expression that does not parse.
        let call = |item: &str, condition: &str| Request {
            table: "orders".into(),
            item: item.into(),
            condition: condition.into(),
            ..Default::default()
        };
        let add = |c: Request| Edit::AddActions {
            principal: String::new(),
            action: Action::DynamoDb { call: c },
            at_ms: 0,
            count: 1,
            every_ms: 0,
        };
        assert!(refused(&s, add(call("{\"id\": ", ""))).contains("Item is not a valid item"));
        assert!(
            refused(&s, add(call("{\"id\": \"{{n}}\"", ""))).contains("Item is not a valid item")
        );
        assert!(refused(&s, add(call("", ""))).contains("the Item is missing"));
        assert!(
            refused(&s, add(call("{\"id\": \"a\"}", "attribute_not_exists(")))
                .contains("ConditionExpression")
        );
        // A template outside a string is JSON only once filled in: accepted.
        s = ok(&s, add(call("{\"id\": \"o-{{n}}\", \"qty\": {{n}}}", "")));
        let o = s.run().unwrap();
        assert_eq!(o.items_at("orders", 1_000).len(), 1);
        let (gone, said) = apply(
            &s,
            &Edit::Delete {
                node: "table orders".into(),
            },
        )
        .unwrap();
        assert!(gone.stream_mappings.is_empty());
        assert!(said.contains("1 stream mapping"), "{said}");
        // The script's call stays and fails at run time with AWS's error.
        let o = gone.run().unwrap();
        assert!(o
            .trace
            .iter()
            .any(|e| e.code == "DYNAMODB_REFUSED" && e.text.contains("ResourceNotFoundException")));
    }
}
