//! A flow scenario: the resources an account starts with and the actions a script makes at
//! given times. Links and sandboxes store the scenario, not the run: replaying it on the
//! engine (`core::flow`) is deterministic, so a link reproduces the whole run.

use crate::core::flow::{
    check_stream_mapping, node_arn, Access, Action, Denial, Flow, IdentitySpec, Mapping,
    ResourcePolicy, Resources, StreamMapping,
};
use crate::core::services::apigateway::{self, ApiSpec};
use crate::core::services::dynamodb::table::{items_at, ItemChange, Table, TableSpec};
use crate::core::services::lambda::FunctionConfig;
use crate::core::services::s3::{NotificationRule, Versioning, S3};
use crate::core::services::sns::filter::FilterPolicyScope;
use crate::core::services::sns::{Endpoint, Sns};
use crate::core::services::sqs::{QueueAttributes, Sqs};
use crate::core::sim::TraceEntry;
use serde::{Deserialize, Serialize};

/// Runs stop here at the latest: a day of virtual time.
pub const MAX_HORIZON_MS: u64 = 86_400_000;
/// At most this many scripted actions (a link stays a link).
pub const MAX_ACTIONS: usize = 2_000;
/// A run stops after this many engine events or trace entries (a runaway scenario stays
/// answerable).
pub const MAX_EVENTS: usize = 200_000;
pub const MAX_TRACE: usize = 300_000;
/// At most this many resources of each kind, subscriptions per topic, rules per bucket and
/// steps per handler: a scenario is a lesson, and a link stays a link.
pub const MAX_PER_KIND: usize = 50;
/// Roles and users: each function's own role, and as many more.
pub const MAX_IDENTITIES: usize = 2 * MAX_PER_KIND;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueSpec {
    pub name: String,
    #[serde(default)]
    pub attributes: QueueAttributes,
    /// The queue's `Policy` attribute (a resource-based policy, JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionSpec {
    pub endpoint: Endpoint,
    #[serde(default)]
    pub filter_policy: Option<String>,
    #[serde(default)]
    pub filter_policy_scope: FilterPolicyScope,
    #[serde(default)]
    pub raw_message_delivery: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSpec {
    pub name: String,
    #[serde(default)]
    pub subscriptions: Vec<SubscriptionSpec>,
    /// The topic's access policy (a resource-based policy, JSON). Without one, the
    /// account's own identities still publish with identity-based policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketSpec {
    pub name: String,
    #[serde(default)]
    pub versioning: Versioning,
    #[serde(default)]
    pub notifications: Vec<NotificationRule>,
    /// The bucket policy (JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// An action at a time (ms from the start).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timed {
    pub at_ms: u64,
    #[serde(flatten)]
    pub action: Action,
    /// The role or user that makes the call ("" for the built-in user `admin`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub principal: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// Queues in creation order (a dead-letter queue before the queue that names it).
    pub queues: Vec<QueueSpec>,
    pub topics: Vec<TopicSpec>,
    pub buckets: Vec<BucketSpec>,
    pub functions: Vec<FunctionConfig>,
    pub mappings: Vec<Mapping>,
    /// DynamoDB tables (CreateTable), empty at the start: the script fills them.
    pub tables: Vec<TableSpec>,
    /// Event source mappings from table streams to functions.
    pub stream_mappings: Vec<StreamMapping>,
    /// API Gateway REST APIs (one stage each) with Lambda proxy integrations.
    pub apis: Vec<ApiSpec>,
    /// IAM roles and users with their policies: functions' execution roles and the
    /// identities scripted calls are made as.
    pub identities: Vec<IdentitySpec>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Timed>,
    /// Set by the upgrade of a link made before IAM was enforced: the flow page grants the
    /// scenario least privilege for what it does when it opens it (`state::from_query`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub grant_pending: bool,
    /// How long to run, ms.
    #[serde(skip_serializing_if = "is_zero")]
    pub horizon_ms: u64,
    #[serde(skip_serializing_if = "is_zero")]
    pub seed: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A queue's depth at a moment: (name, visible, in flight, delayed).
pub type Depth = (String, usize, usize, usize);

/// The result of a run: the trace, the moves, counters at the end, and the queues' depth
/// sampled over time for the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub trace: Vec<TraceEntry>,
    pub moves: Vec<crate::core::flow::Move>,
    pub counters: std::collections::BTreeMap<String, crate::core::flow::Counters>,
    /// (time ms, queue → (visible, in flight, delayed)) every `sample_ms`.
    pub samples: Vec<(u64, Vec<Depth>)>,
    pub sample_ms: u64,
    pub end_ms: u64,
    /// The run stopped at the event limit before the horizon.
    pub cut_short: bool,
    /// How far the engine's clock got, ms (before `end_ms` when cut short).
    pub ran_ms: u64,
    /// Each table's definition and every change to its items, to show it at any moment.
    pub tables: Vec<(TableSpec, Vec<ItemChange>)>,
    /// Every DynamoDB call with the capacity it consumed, in time order.
    pub table_calls: Vec<crate::core::flow::TableCall>,
    /// Every API request with its response, in the order answered.
    pub api_calls: Vec<crate::core::flow::ApiCall>,
    /// Billable requests (the cost of the run).
    pub usage: crate::core::flow::Usage,
    /// Every call IAM refused, in time order.
    pub denials: Vec<Denial>,
    /// The account's identities and policies (to open a denial on the IAM page).
    pub access: std::rc::Rc<Access>,
}

impl Outcome {
    /// The items of table `name` at `at_ms` (empty for an unknown table).
    pub fn items_at(
        &self,
        name: &str,
        at_ms: u64,
    ) -> Vec<crate::core::services::dynamodb::expr::Item> {
        self.tables
            .iter()
            .find(|(spec, _)| spec.name == name)
            .map(|(spec, changes)| items_at(spec, changes, at_ms))
            .unwrap_or_default()
    }
}

/// A scenario's resources without its script: what the sandbox's account keeps as its
/// `serverless` part, shared by the flow page and the console. The same JSON as a
/// [`Scenario`] with no actions (so the console, which never reads a script, links no
/// reader of the script's actions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Definitions {
    /// Queues in creation order (a dead-letter queue before the queue that names it).
    pub queues: Vec<QueueSpec>,
    pub topics: Vec<TopicSpec>,
    pub buckets: Vec<BucketSpec>,
    pub functions: Vec<FunctionConfig>,
    pub mappings: Vec<Mapping>,
    pub tables: Vec<TableSpec>,
    pub stream_mappings: Vec<StreamMapping>,
    pub apis: Vec<ApiSpec>,
    pub identities: Vec<IdentitySpec>,
}

impl Definitions {
    /// A scenario of these resources with no script.
    pub fn scenario(&self) -> Scenario {
        Scenario::default().with_definitions(self)
    }

    /// The account these resources make ([`Scenario::build`], with its errors).
    pub fn build(&self) -> Result<Flow, Vec<String>> {
        self.scenario().build()
    }

    /// Whether both define the same resources, in whatever order they list them.
    pub fn same(&self, other: &Definitions) -> bool {
        canonical(self) == canonical(other)
    }

    /// What `other` changes in IAM alone (roles and users, resources' policies), when the
    /// resources are otherwise the same: the changed roles and users by name, then the
    /// resources whose policy changed (`queue orders`). `None` when anything else changed,
    /// and an empty list when nothing did.
    pub fn iam_changes(&self, other: &Definitions) -> Option<Vec<String>> {
        let mut changed: Vec<String> = vec![];
        for i in &other.identities {
            if self.identities.iter().find(|o| o.name == i.name) != Some(i) {
                changed.push(i.name.clone());
            }
        }
        for o in &self.identities {
            if !other.identities.iter().any(|i| i.name == o.name) {
                changed.push(o.name.clone());
            }
        }
        // This account with `other`'s IAM must be `other`: nothing else changed.
        let mut aligned = self.scenario();
        aligned.identities = other.identities.clone();
        let mut theirs = other.scenario();
        let mut nodes: Vec<String> = aligned
            .resource_policies()
            .into_iter()
            .map(|r| r.name)
            .collect();
        for r in theirs.resource_policies() {
            if !nodes.contains(&r.name) {
                nodes.push(r.name);
            }
        }
        for node in nodes {
            let (Some(mine), Some(t)) = (aligned.policy_mut(&node), theirs.policy_mut(&node))
            else {
                continue;
            };
            if mine != t {
                mine.clone_from(t);
                changed.push(node);
            }
        }
        aligned.definitions().same(other).then_some(changed)
    }

    /// A short fingerprint of the resources, in whatever order they are listed: 16 hex
    /// digits of FNV-1a (64-bit) over their JSON in name order. Lets a tool tell whether
    /// the account still holds what it last wrote there without keeping a copy.
    pub fn fingerprint(&self) -> String {
        // Through a JSON value, as links are written (`share::to_query`): no second
        // serializer of every resource type in the modules.
        let text = serde_json::to_value(canonical(self))
            .map(|v| v.to_string())
            .unwrap_or_default();
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        format!("{hash:016x}")
    }
}

impl Scenario {
    /// The resources alone ([`Definitions`]).
    pub fn definitions(&self) -> Definitions {
        Definitions {
            queues: self.queues.clone(),
            topics: self.topics.clone(),
            buckets: self.buckets.clone(),
            functions: self.functions.clone(),
            mappings: self.mappings.clone(),
            tables: self.tables.clone(),
            stream_mappings: self.stream_mappings.clone(),
            apis: self.apis.clone(),
            identities: self.identities.clone(),
        }
    }

    /// This scenario's script (actions, horizon, seed) on the resources `defs` defines.
    pub fn with_definitions(&self, defs: &Definitions) -> Scenario {
        let d = defs.clone();
        Scenario {
            queues: d.queues,
            topics: d.topics,
            buckets: d.buckets,
            functions: d.functions,
            mappings: d.mappings,
            tables: d.tables,
            stream_mappings: d.stream_mappings,
            apis: d.apis,
            identities: d.identities,
            actions: self.actions.clone(),
            grant_pending: self.grant_pending,
            horizon_ms: self.horizon_ms,
            seed: self.seed,
        }
    }

    /// The account the scenario starts with, built through the services' own operations so
    /// a bad scenario (from a damaged link) is refused with AWS's errors, each named.
    pub fn build(&self) -> Result<Flow, Vec<String>> {
        let mut errors = vec![];
        let mut sqs = Sqs::default();
        for q in &self.queues {
            if let Err(e) = sqs.create_queue(&q.name, q.attributes.clone()) {
                errors.push(format!("Queue {}: {}", q.name, e.message));
            }
        }
        let mut sns = Sns::default();
        for t in &self.topics {
            if let Err(e) = sns.create_topic(&t.name) {
                errors.push(format!("Topic {}: {}", t.name, e.message));
                continue;
            }
            for s in &t.subscriptions {
                if let Err(e) = sns.subscribe(
                    &t.name,
                    s.endpoint.clone(),
                    s.filter_policy.as_deref(),
                    s.filter_policy_scope,
                    s.raw_message_delivery,
                ) {
                    errors.push(format!(
                        "Subscription of {} to {}: {}",
                        s.endpoint.name(),
                        t.name,
                        e.message
                    ));
                }
            }
        }
        let mut s3 = S3::default();
        for b in &self.buckets {
            let made = s3
                .create_bucket(&b.name)
                .and_then(|_| {
                    if b.versioning == Versioning::Off {
                        Ok(())
                    } else {
                        s3.put_bucket_versioning(&b.name, b.versioning)
                    }
                })
                .and_then(|_| s3.put_notifications(&b.name, b.notifications.clone()));
            if let Err(e) = made {
                errors.push(format!("Bucket {}: {}", b.name, e.message));
            }
        }
        let mut tables = std::collections::BTreeMap::new();
        for t in &self.tables {
            if tables.contains_key(&t.name) {
                errors.push(format!(
                    "Table {}: ResourceInUseException: Table already exists: {}",
                    t.name, t.name
                ));
                continue;
            }
            match Table::create(t.clone(), 0) {
                Ok(table) => {
                    tables.insert(t.name.clone(), table);
                }
                Err(e) => errors.push(format!("Table {}: {}", t.name, e.message)),
            }
        }
        for m in &self.stream_mappings {
            if let Err(e) = check_stream_mapping(m, &tables, &self.functions, &sqs, &sns) {
                errors.push(format!(
                    "Stream mapping {} → {}: {}",
                    m.table, m.function, e.message
                ));
            }
        }
        let mut api_names = std::collections::BTreeSet::new();
        for a in &self.apis {
            if !api_names.insert(&a.name) {
                errors.push(format!(
                    "API {}: two APIs of this scenario have this name.",
                    a.name
                ));
            }
            if let Err(e) = apigateway::check(a) {
                errors.push(format!("API {}: {}", a.name, e.message));
            }
        }
        if self.actions.len() > MAX_ACTIONS {
            errors.push(format!(
                "{} actions; a scenario holds at most {MAX_ACTIONS}.",
                self.actions.len()
            ));
        }
        errors.extend(self.size_errors());
        let access = Access::build(&self.identities, self.resource_policies())
            .map_err(|e| errors.extend(e))
            .ok();
        for t in &self.actions {
            if !t.principal.is_empty()
                && !self.identities.iter().any(|i| i.name == t.principal)
                && t.principal != crate::core::flow::ADMIN
            {
                errors.push(format!(
                    "An action at {} ms is made by {}, which is no role or user of this scenario.",
                    t.at_ms, t.principal
                ));
            }
        }
        let Some(access) = access.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let resources = Resources {
            sqs,
            sns,
            s3,
            functions: self.functions.clone(),
            mappings: self.mappings.clone(),
            tables,
            stream_mappings: self.stream_mappings.clone(),
            apis: self.apis.clone(),
            access,
        };
        let mut flow = Flow::new(resources, self.seed).map_err(|e| vec![e.message])?;
        for a in &self.actions {
            flow.at_as(a.at_ms.min(MAX_HORIZON_MS), a.action.clone(), &a.principal);
        }
        Ok(flow)
    }

    /// Runs the scenario to its horizon (at most a day), sampling queue depths.
    pub fn run(&self) -> Result<Outcome, Vec<String>> {
        self.run_limited(MAX_EVENTS)
    }

    /// Every resource-based policy of the scenario with the ARN of its resource.
    pub fn resource_policies(&self) -> Vec<ResourcePolicy> {
        let queues = self.queues.iter().map(|q| ("queue", &q.name, &q.policy));
        let topics = self.topics.iter().map(|t| ("topic", &t.name, &t.policy));
        let buckets = self.buckets.iter().map(|b| ("bucket", &b.name, &b.policy));
        let functions = self
            .functions
            .iter()
            .map(|f| ("function", &f.name, &f.policy));
        queues
            .chain(topics)
            .chain(buckets)
            .chain(functions)
            .filter_map(|(kind, name, policy)| {
                let node = format!("{kind} {name}");
                Some(ResourcePolicy {
                    arn: node_arn(&node)?,
                    name: node,
                    text: policy.clone()?,
                })
            })
            .collect()
    }

    /// The resource-based policy of the resource the diagram names `node` (`queue orders`):
    /// a queue's, topic's, bucket's or function's; `None` for any other node.
    pub fn policy_mut(&mut self, node: &str) -> Option<&mut Option<String>> {
        let (kind, name) = node.split_once(' ')?;
        match kind {
            "queue" => self
                .queues
                .iter_mut()
                .find(|q| q.name == name)
                .map(|q| &mut q.policy),
            "topic" => self
                .topics
                .iter_mut()
                .find(|t| t.name == name)
                .map(|t| &mut t.policy),
            "bucket" => self
                .buckets
                .iter_mut()
                .find(|b| b.name == name)
                .map(|b| &mut b.policy),
            "function" => self
                .functions
                .iter_mut()
                .find(|f| f.name == name)
                .map(|f| &mut f.policy),
            _ => None,
        }
    }

    /// What is too large in the scenario, each named.
    fn size_errors(&self) -> Vec<String> {
        let mut errors = vec![];
        let counts = [
            ("queues", self.queues.len()),
            ("topics", self.topics.len()),
            ("buckets", self.buckets.len()),
            ("functions", self.functions.len()),
            ("event source mappings", self.mappings.len()),
            ("tables", self.tables.len()),
            ("stream mappings", self.stream_mappings.len()),
            ("APIs", self.apis.len()),
        ];
        for (what, n) in counts {
            if n > MAX_PER_KIND {
                errors.push(format!(
                    "{n} {what}; a scenario holds at most {MAX_PER_KIND}."
                ));
            }
        }
        let requests: u64 = self
            .actions
            .iter()
            .map(|a| match &a.action {
                Action::HttpRequest {
                    per_second,
                    for_seconds,
                    ..
                } if *per_second > 0 && *for_seconds > 0 => {
                    (*per_second as u64).saturating_mul(*for_seconds as u64)
                }
                _ => 0,
            })
            .fold(0u64, u64::saturating_add);
        if requests > crate::core::flow::MAX_LOADS_TOTAL {
            errors.push(format!(
                "The script's loads send {requests} requests; a scenario sends at most {} in all.",
                crate::core::flow::MAX_LOADS_TOTAL
            ));
        }
        if self.identities.len() > MAX_IDENTITIES {
            errors.push(format!(
                "{} roles and users; a scenario holds at most {MAX_IDENTITIES} (a role for each of {MAX_PER_KIND} functions, and as many more).",
                self.identities.len()
            ));
        }
        for t in self
            .topics
            .iter()
            .filter(|t| t.subscriptions.len() > MAX_PER_KIND)
        {
            errors.push(format!(
                "Topic {} has {} subscriptions; at most {MAX_PER_KIND}.",
                t.name,
                t.subscriptions.len()
            ));
        }
        for b in self
            .buckets
            .iter()
            .filter(|b| b.notifications.len() > MAX_PER_KIND)
        {
            errors.push(format!(
                "Bucket {} has {} notification rules; at most {MAX_PER_KIND}.",
                b.name,
                b.notifications.len()
            ));
        }
        for f in self
            .functions
            .iter()
            .filter(|f| f.handler.steps.len() > MAX_PER_KIND)
        {
            errors.push(format!(
                "Function {} has {} steps; at most {MAX_PER_KIND}.",
                f.name,
                f.handler.steps.len()
            ));
        }
        errors
    }

    /// [`Scenario::run`] with a smaller event budget (the fuzz suite's).
    pub fn run_limited(&self, max_events: usize) -> Result<Outcome, Vec<String>> {
        let mut flow = self.build()?;
        let horizon = self.horizon_ms.clamp(1_000, MAX_HORIZON_MS);
        // About 300 samples whatever the horizon, on whole seconds.
        let sample_ms = (horizon / 300).max(1_000) / 1_000 * 1_000;
        let queues: Vec<String> = self.queues.iter().map(|q| q.name.clone()).collect();
        let mut samples = vec![];
        let mut t = 0;
        let mut events = 0;
        let mut cut_short = false;
        loop {
            let (n, stopped) = flow.run_within(t, max_events.saturating_sub(events), MAX_TRACE);
            events += n;
            let depths = queues
                .iter()
                .map(|q| {
                    let (v, f, d) = flow.sqs.counts(t, q).unwrap_or((0, 0, 0));
                    (q.clone(), v, f, d)
                })
                .collect();
            samples.push((t, depths));
            if stopped || events >= max_events {
                cut_short = true;
                break;
            }
            if t >= horizon {
                break;
            }
            t = (t + sample_ms).min(horizon);
        }
        Ok(Outcome {
            trace: flow.trace.entries().to_vec(),
            moves: flow.moves.clone(),
            counters: flow.counters.clone(),
            samples,
            sample_ms,
            end_ms: t,
            ran_ms: flow.now_ms().min(t),
            cut_short,
            tables: flow
                .tables
                .values()
                .map(|t| (t.spec.clone(), t.changes.clone()))
                .collect(),
            table_calls: flow.table_calls.clone(),
            api_calls: flow.api_calls.clone(),
            usage: flow.usage.clone(),
            denials: flow.denials.clone(),
            access: std::rc::Rc::new(flow.access.clone()),
        })
    }
}

/// The definitions with every list in name order (the order a running account keeps).
fn canonical(s: &Definitions) -> Definitions {
    let mut d = s.clone();
    d.queues.sort_by(|a, b| a.name.cmp(&b.name));
    d.topics.sort_by(|a, b| a.name.cmp(&b.name));
    d.buckets.sort_by(|a, b| a.name.cmp(&b.name));
    d.functions.sort_by(|a, b| a.name.cmp(&b.name));
    d.tables.sort_by(|a, b| a.name.cmp(&b.name));
    d.apis.sort_by(|a, b| a.name.cmp(&b.name));
    d.identities.sort_by(|a, b| a.name.cmp(&b.name));
    d
}

/// `items` (in name order) in the order of the same names in `like`, the others after.
fn in_order_of<T>(mut items: Vec<T>, like: &[T], name: fn(&T) -> &str) -> Vec<T> {
    items.sort_by_key(|t| {
        like.iter()
            .position(|l| name(l) == name(t))
            .unwrap_or(usize::MAX)
    });
    items
}

/// The resources a running account holds (the console's, after its commands), as the
/// definitions a scenario starts with: each queue's attributes and policy, each topic's
/// subscriptions and policy, each bucket's versioning, notifications and policy, the
/// functions, mappings, tables, stream mappings, APIs, roles and users. Listed in `like`'s
/// order where a resource kept its name, new ones after in name order, and a dead-letter
/// queue before the queues that name it (CreateQueue checks the target exists). What the
/// resources hold (objects, messages, items) is not a definition and is left out.
pub fn definitions_of(flow: &Flow, like: &Definitions) -> Definitions {
    let policy = |kind: &str, name: &str| {
        node_arn(&format!("{kind} {name}"))
            .and_then(|arn| flow.access.resource_policy(&arn).map(str::to_string))
    };
    let queues = flow
        .sqs
        .queues
        .values()
        .map(|q| QueueSpec {
            name: q.name.clone(),
            attributes: q.attributes.clone(),
            policy: policy("queue", &q.name),
        })
        .collect();
    let mut queues = in_order_of(queues, &like.queues, |q: &QueueSpec| &q.name);
    dead_letter_queues_first(&mut queues);
    let topics = flow
        .sns
        .topics
        .values()
        .map(|t| TopicSpec {
            name: t.name.clone(),
            subscriptions: t
                .subscriptions
                .iter()
                .map(|s| SubscriptionSpec {
                    endpoint: s.endpoint.clone(),
                    filter_policy: s.filter_policy.clone(),
                    filter_policy_scope: s.filter_policy_scope,
                    raw_message_delivery: s.raw_message_delivery,
                })
                .collect(),
            policy: policy("topic", &t.name),
        })
        .collect();
    let buckets = flow
        .s3
        .buckets
        .values()
        .map(|b| BucketSpec {
            name: b.name.clone(),
            versioning: b.versioning,
            notifications: b.notifications.clone(),
            policy: policy("bucket", &b.name),
        })
        .collect();
    let functions = flow
        .functions
        .values()
        .map(|f| FunctionConfig {
            policy: policy("function", &f.name),
            ..f.clone()
        })
        .collect();
    Definitions {
        queues,
        topics: in_order_of(topics, &like.topics, |t: &TopicSpec| &t.name),
        buckets: in_order_of(buckets, &like.buckets, |b: &BucketSpec| &b.name),
        functions: in_order_of(functions, &like.functions, |f: &FunctionConfig| &f.name),
        mappings: flow.mappings.clone(),
        tables: in_order_of(
            flow.tables.values().map(|t| t.spec.clone()).collect(),
            &like.tables,
            |t: &TableSpec| &t.name,
        ),
        stream_mappings: flow.stream_mappings.clone(),
        apis: in_order_of(flow.api_specs(), &like.apis, |a: &ApiSpec| &a.name),
        identities: in_order_of(
            flow.access.identity_specs(),
            &like.identities,
            |i: &IdentitySpec| &i.name,
        ),
    }
}

/// Moves each dead-letter queue before the first queue whose redrive policy names it
/// (a chain of them in order; a cycle, which CreateQueue cannot make, is left as it is).
fn dead_letter_queues_first(queues: &mut Vec<QueueSpec>) {
    for _ in 0..queues.len() {
        let mut moved = false;
        for i in 0..queues.len() {
            let Some(target) = queues[i]
                .attributes
                .redrive_policy
                .as_ref()
                .map(|r| r.dead_letter_target.clone())
            else {
                continue;
            };
            if let Some(j) = queues
                .iter()
                .position(|q| q.name == target)
                .filter(|j| *j > i)
            {
                let dlq = queues.remove(j);
                queues.insert(i, dlq);
                moved = true;
                break;
            }
        }
        if !moved {
            return;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod definitions_tests {
    use super::*;
    use crate::core::views::flow::templates::{scenario, TEMPLATES};

    #[test]
    fn every_template_reads_back_from_its_running_account_unchanged() {
        // The oracle: the definitions a scenario was built from. A running account read
        // back as definitions must be them, in the same order (the diagram's order).
        for (id, _, _) in TEMPLATES {
            let s = scenario(id).definitions();
            let flow = s.build().unwrap();
            let back = definitions_of(&flow, &s);
            assert_eq!(back, s, "template {id}");
            // Without an order to follow, the same set.
            assert!(
                definitions_of(&flow, &Definitions::default()).same(&s),
                "{id}"
            );
            // And the definitions build the same account again.
            assert_eq!(
                definitions_of(&back.build().unwrap(), &s),
                back,
                "template {id}"
            );
            // The same JSON as the scenario without its script.
            let mut json = serde_json::to_value(scenario(id)).unwrap();
            for field in ["actions", "horizon_ms", "seed"] {
                json.as_object_mut().unwrap().remove(field);
            }
            assert_eq!(serde_json::to_value(&s).unwrap(), json, "template {id}");
        }
    }

    #[test]
    fn a_script_moves_onto_other_definitions_and_keeps_itself() {
        let s = scenario("photo");
        let mut other = scenario("dlq").definitions();
        other.queues.push(QueueSpec {
            name: "extra".into(),
            attributes: Default::default(),
            policy: None,
        });
        let moved = s.with_definitions(&other);
        assert_eq!(moved.actions, s.actions);
        assert_eq!((moved.horizon_ms, moved.seed), (s.horizon_ms, s.seed));
        assert_eq!(moved.definitions(), other);
        assert!(!moved.definitions().same(&s.definitions()));
        // Definitions alone write no script fields.
        let json = serde_json::to_value(s.definitions()).unwrap();
        for field in ["actions", "horizon_ms", "seed", "grant_pending"] {
            assert!(json.get(field).is_none(), "{field}");
        }
    }

    #[test]
    fn iam_changes_are_told_from_other_changes() {
        let d = scenario("denied").definitions();
        assert_eq!(d.iam_changes(&d), Some(vec![]));
        let mut roles = d.clone();
        roles.identities[1].policies[0].text.push(' ');
        roles.identities.retain(|i| i.name != "daily-report-role");
        assert_eq!(
            d.iam_changes(&roles),
            Some(vec![
                "get-order-role".to_string(),
                "daily-report-role".to_string()
            ])
        );
        let mut policy = d.clone();
        policy.functions[0].policy = None;
        let name = format!("function {}", d.functions[0].name);
        assert_eq!(d.iam_changes(&policy), Some(vec![name]));
        let mut other = d.clone();
        other.functions[0].timeout_s += 1;
        assert_eq!(d.iam_changes(&other), None);
    }

    #[test]
    fn an_account_redefined_keeps_what_stays_and_its_clock() {
        // The orders scenario run to its end: the table holds the orders, the bucket-less
        // account has its queue and writer.
        let s = scenario("orders");
        let mut flow = s.build().unwrap();
        flow.run_until(s.horizon_ms);
        let now = flow.now_ms();
        let items = flow.tables["orders"].len();
        assert!(items > 0);
        let trace = flow.trace.entries().len();
        flow.create_queue_now("console", "jobs", Default::default())
            .unwrap();
        flow.send_message_now("console", "jobs", "hello", Default::default())
            .unwrap();
        // Another tool adds a bucket and a queue and removes `jobs` (it never knew it).
        let mut defs = s.definitions();
        defs.queues.push(QueueSpec {
            name: "extra".into(),
            attributes: Default::default(),
            policy: None,
        });
        defs.buckets.push(BucketSpec {
            name: "reports".into(),
            versioning: Versioning::Off,
            notifications: vec![],
            policy: None,
        });
        flow.redefine(defs.build().unwrap());
        assert_eq!(flow.now_ms(), now, "the clock goes on");
        assert!(flow.trace.entries().len() > trace, "the trace goes on");
        assert_eq!(
            flow.tables["orders"].len(),
            items,
            "same definition: items kept"
        );
        assert!(flow.sqs.queues.contains_key("extra"));
        assert!(!flow.sqs.queues.contains_key("jobs"));
        assert_eq!(flow.s3.buckets["reports"].created_ms, now);
        assert_eq!(definitions_of(&flow, &defs), defs);
        // A bucket that has had versioning goes back to Suspended, never to Off.
        let mut versioned = defs.clone();
        versioned.buckets.last_mut().unwrap().versioning = Versioning::Enabled;
        flow.redefine(versioned.build().unwrap());
        flow.redefine(defs.build().unwrap());
        assert_eq!(flow.s3.buckets["reports"].versioning, Versioning::Suspended);
        flow.redefine(defs.build().unwrap());
        assert_eq!(flow.s3.buckets["reports"].versioning, Versioning::Suspended);
        defs.buckets.last_mut().unwrap().versioning = Versioning::Suspended;
        assert_eq!(definitions_of(&flow, &defs), defs);
        // Messages of a queue that stays are kept; new work runs on the new definitions.
        flow.send_message_now("console", "extra", "one", Default::default())
            .unwrap();
        let mut again = defs.clone();
        again.queues.retain(|q| q.name != "orders");
        again.mappings.clear();
        flow.redefine(again.build().unwrap());
        assert_eq!(flow.sqs.counts(now, "extra").unwrap().0, 1);
        // A table whose capacity changed keeps its items, as UpdateTable does.
        let created = flow.tables["orders"].created_ms();
        let mut changed = again.clone();
        changed.tables[0].billing =
            crate::core::services::dynamodb::table::Billing::Provisioned { read: 5, write: 5 };
        flow.redefine(changed.build().unwrap());
        assert_eq!(flow.tables["orders"].len(), items);
        assert_eq!(flow.tables["orders"].created_ms(), created);
        assert_eq!(flow.tables["orders"].spec, changed.tables[0]);
        // One whose keys changed is another table: it starts empty, made now.
        let mut rekeyed = changed.clone();
        rekeyed.tables[0].partition_key.name = "order_id".into();
        flow.redefine(rekeyed.build().unwrap());
        assert_eq!(flow.tables["orders"].len(), 0);
        assert_eq!(flow.tables["orders"].created_ms(), now);
        // Nothing dropped work left behind runs later.
        flow.run_until(now + 600_000);
        assert_eq!(flow.sqs.counts(now + 600_000, "extra").unwrap().0, 1);
    }

    #[test]
    fn a_subscription_that_stays_keeps_its_id() {
        let s = scenario("fanout").definitions();
        let mut flow = s.build().unwrap();
        let ids = |f: &Flow| -> Vec<String> {
            f.sns
                .topics
                .values()
                .flat_map(|t| t.subscriptions.iter().map(|s| s.id.clone()))
                .collect()
        };
        let before = ids(&flow);
        let mut fewer = s.clone();
        fewer.topics[0].subscriptions.remove(0);
        flow.redefine(fewer.build().unwrap());
        assert_eq!(ids(&flow), before[1..].to_vec());
        flow.redefine(s.build().unwrap());
        let after = ids(&flow);
        assert_eq!(after[1..], before[1..]);
        assert_eq!(
            after[0],
            format!("sub-{}", before.len() + 1),
            "a new id, never reused"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Work under way at any moment (batches polled, async retries, stream batches,
        /// API requests, TTL sweeps) is dropped by a redefinition into any other template's
        /// resources, and the account runs on without a panic, its clock never going back.
        #[test]
        fn any_account_redefined_mid_run_runs_on(a in 0..TEMPLATES.len(), b in 0..TEMPLATES.len(), at in 0u64..200_000) {
            let from = scenario(TEMPLATES[a].0);
            let to = scenario(TEMPLATES[b].0);
            let mut flow = from.build().unwrap();
            flow.run_within(at, 20_000, 50_000);
            let now = flow.now_ms();
            flow.redefine(to.definitions().build().unwrap());
            proptest::prop_assert_eq!(flow.now_ms(), now);
            proptest::prop_assert!(definitions_of(&flow, &to.definitions()) == to.definitions());
            flow.run_within(now + 300_000, 20_000, 100_000);
            proptest::prop_assert!(flow.now_ms() >= now);
        }
    }

    #[test]
    fn a_dead_letter_queue_comes_before_the_queue_that_names_it() {
        let q = |name: &str, dlq: Option<&str>| QueueSpec {
            name: name.into(),
            attributes: QueueAttributes {
                redrive_policy: dlq.map(|d| crate::core::services::sqs::RedrivePolicy {
                    dead_letter_target: d.into(),
                    max_receive_count: 3,
                }),
                ..Default::default()
            },
            policy: None,
        };
        let mut v = vec![
            q("a", Some("c")),
            q("b", None),
            q("c", Some("d")),
            q("d", None),
        ];
        dead_letter_queues_first(&mut v);
        let names: Vec<&str> = v.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["d", "c", "a", "b"]);
        // The order builds: each target exists when its queue is made.
        let s = Scenario {
            queues: v,
            ..Default::default()
        };
        assert!(s.build().is_ok());
    }
}
