//! Amazon SNS: topics, subscriptions of SQS queues and Lambda functions, and Publish, which
//! offers each message to every subscription and delivers it where the subscription's
//! filter policy (`filter`) lets it through — the fan-out of the course notes (digest §15,
//! L2226–2298).
//!
//! Sources (Amazon SNS Developer Guide): "Fanout to Amazon SQS queues" (every subscribed
//! queue receives a copy; the body is the JSON notification unless raw message delivery is
//! on), "Invoking Lambda functions using Amazon SNS notifications" (an asynchronous
//! invocation with a `Records[].Sns` event), "Amazon SNS message filtering", and the quota
//! of 256 KB per published message.

pub mod filter;

use crate::core::sim::AwsError;
use filter::{FilterPolicy, FilterPolicyScope, Match, MessageAttribute};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest message Publish takes: 256 KB.
pub const MAX_MESSAGE_BYTES: usize = 262_144;

/// What a subscription delivers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "protocol", content = "endpoint", rename_all = "lowercase")]
pub enum Endpoint {
    /// A queue, by name.
    Sqs(String),
    /// A function, by name.
    Lambda(String),
}

impl Endpoint {
    pub fn name(&self) -> &str {
        match self {
            Endpoint::Sqs(n) | Endpoint::Lambda(n) => n,
        }
    }
}

/// A subscription: its endpoint, its filter policy (text, checked when set) and scope, and
/// raw message delivery (SQS only: the body is the message itself, not the notification).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub endpoint: Endpoint,
    #[serde(default)]
    pub filter_policy: Option<String>,
    #[serde(default)]
    pub filter_policy_scope: FilterPolicyScope,
    #[serde(default)]
    pub raw_message_delivery: bool,
}

impl Subscription {
    /// Whether a message passes this subscription's filter policy, and why.
    pub fn accepts(&self, attributes: &BTreeMap<String, MessageAttribute>, message: &str) -> Match {
        match &self.filter_policy {
            None => Match {
                matched: true,
                reason: "no filter policy: every message is delivered".into(),
            },
            Some(p) => match FilterPolicy::parse(p, self.filter_policy_scope) {
                Ok(policy) => policy.evaluate(attributes, message),
                Err(e) => Match {
                    matched: false,
                    reason: e,
                },
            },
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub name: String,
    pub subscriptions: Vec<Subscription>,
}

/// Every topic of the account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sns {
    pub topics: BTreeMap<String, Topic>,
    pub subscribed: u64,
    pub published: u64,
}

fn not_found(topic: &str) -> AwsError {
    AwsError::new("NotFound", 404, format!("Topic does not exist: {topic}."))
}

impl Sns {
    /// CreateTopic: 1–256 letters, digits, hyphens and underscores. Creating an existing
    /// topic succeeds (it is returned).
    pub fn create_topic(&mut self, name: &str) -> Result<(), AwsError> {
        let ok = !name.is_empty()
            && name.len() <= 256
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(AwsError::new(
                "InvalidParameter",
                400,
                format!(
                    "“{name}”: a topic name has 1 to 256 letters, digits, hyphens and underscores."
                ),
            ));
        }
        self.topics
            .entry(name.to_string())
            .or_insert_with(|| Topic {
                name: name.to_string(),
                subscriptions: vec![],
            });
        Ok(())
    }

    /// Subscribe, with an optional filter policy (refused whole when it breaks a rule).
    pub fn subscribe(
        &mut self,
        topic: &str,
        endpoint: Endpoint,
        filter_policy: Option<&str>,
        scope: FilterPolicyScope,
        raw_message_delivery: bool,
    ) -> Result<String, AwsError> {
        if let Some(p) = filter_policy {
            FilterPolicy::parse(p, scope).map_err(|e| AwsError::new("InvalidParameter", 400, e))?;
        }
        let next = self.subscribed + 1;
        let t = self.topics.get_mut(topic).ok_or_else(|| not_found(topic))?;
        self.subscribed = next;
        let id = format!("sub-{next}");
        t.subscriptions.push(Subscription {
            id: id.clone(),
            endpoint,
            filter_policy: filter_policy.map(str::to_string),
            filter_policy_scope: scope,
            raw_message_delivery,
        });
        Ok(id)
    }

    /// Publish: checks the message and gives it an id (`n-1` …); the caller offers it to
    /// each subscription ([`Subscription::accepts`]).
    pub fn publish(&mut self, topic: &str, message: &str) -> Result<(String, &Topic), AwsError> {
        if message.is_empty() {
            return Err(AwsError::new("InvalidParameter", 400, "Empty message"));
        }
        if message.len() > MAX_MESSAGE_BYTES {
            return Err(AwsError::new(
                "InvalidParameter",
                400,
                format!(
                    "The message is {} bytes; a message is at most 262,144 bytes (256 KB).",
                    message.len()
                ),
            ));
        }
        if !self.topics.contains_key(topic) {
            return Err(not_found(topic));
        }
        self.published += 1;
        let id = format!("n-{}", self.published);
        Ok((id, &self.topics[topic]))
    }
}
