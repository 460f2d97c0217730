//! Amazon SQS: standard and FIFO queues, their messages and the rules that move them —
//! delay, visibility timeout, receive count, redrive to a dead-letter queue, retention,
//! FIFO ordering per message group with group blocking, and deduplication.
//!
//! The model is passive and exact in time: every operation takes the account's virtual time
//! (ms), and [`Sqs::advance`] reports what happened between calls (a message became
//! visible again, a delayed one became available, one expired), so the flow simulator can
//! trace it. Nothing here reads a clock or draws a random number.
//!
//! Sources (Amazon SQS Developer Guide): "Amazon SQS visibility timeout" (default 30 s,
//! 0 s–12 h, from the time of receipt; ChangeMessageVisibility counts from the call; a
//! message whose visibility timeout expires is visible again), "Using dead-letter queues"
//! (a message is moved when its ReceiveCount exceeds maxReceiveCount, on a receive attempt;
//! a FIFO queue's DLQ must be FIFO and a standard one's standard; the enqueue timestamp is
//! kept for standard queues, so retention counts from the original send), "Amazon SQS
//! message quotas" (delay 0–900 s, retention 60 s–14 days, wait 0–20 s, 1–10 messages a
//! receive, bodies up to 1 MiB), "FIFO queue logic" (order per MessageGroupId; no further
//! messages of a group are returned while one is in flight; the 5-minute deduplication
//! interval; content-based deduplication is the SHA-256 of the body), and DeleteMessage
//! ("you must provide the most recently received receipt handle … otherwise the request
//! succeeds, but the message might not be deleted"). Course notes digest §14 (L2063–2224).
//!
//! Simplified, and said so in docs/flow.md: short polling returns every available message
//! (AWS samples a subset of its servers, so a short poll can come back empty); standard
//! queues deliver in send order and never duplicate on their own (AWS may do both).

use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// 12 hours, the largest visibility timeout.
pub const MAX_VISIBILITY_S: u32 = 43_200;
/// The longest delay: 15 minutes.
pub const MAX_DELAY_S: u32 = 900;
/// Retention: 1 minute to 14 days.
pub const MIN_RETENTION_S: u32 = 60;
pub const MAX_RETENTION_S: u32 = 1_209_600;
/// The longest long poll.
pub const MAX_WAIT_S: u32 = 20;
/// Messages one ReceiveMessage returns at most.
pub const MAX_RECEIVE: u32 = 10;
/// The largest message body, 1 MiB (since August 2025; the course notes' 256 KB is the old
/// limit, digest Z8).
pub const MAX_MESSAGE_BYTES: usize = 1_048_576;
/// maxReceiveCount's range in a redrive policy.
pub const MAX_RECEIVE_COUNT: u32 = 1_000;
/// The FIFO deduplication interval.
pub const DEDUP_INTERVAL_MS: u64 = 5 * 60 * 1000;

/// A queue's settings, as CreateQueue and SetQueueAttributes take them (seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct QueueAttributes {
    pub visibility_timeout: u32,
    pub message_retention_period: u32,
    pub delay_seconds: u32,
    pub receive_message_wait_time_seconds: u32,
    /// Bytes, 1,024 to 1,048,576.
    pub maximum_message_size: u32,
    pub redrive_policy: Option<RedrivePolicy>,
    pub fifo_queue: bool,
    pub content_based_deduplication: bool,
}

impl Default for QueueAttributes {
    /// AWS's defaults: visibility 30 s, retention 4 days, no delay, short polling, 1 MiB.
    fn default() -> Self {
        QueueAttributes {
            visibility_timeout: 30,
            message_retention_period: 345_600,
            delay_seconds: 0,
            receive_message_wait_time_seconds: 0,
            maximum_message_size: MAX_MESSAGE_BYTES as u32,
            redrive_policy: None,
            fifo_queue: false,
            content_based_deduplication: false,
        }
    }
}

/// Where messages go after too many receives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedrivePolicy {
    /// The dead-letter queue's name.
    pub dead_letter_target: String,
    pub max_receive_count: u32,
}

/// Where a message is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    /// Sent with a delay: not receivable until `visible_at_ms`.
    Delayed,
    /// Receivable.
    Visible,
    /// Received and not deleted: invisible until `visible_at_ms`.
    InFlight,
}

/// One message in a queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// `m-1`, `m-2` … in send order across the account's queues.
    pub message_id: String,
    pub body: String,
    /// Message attributes (name → string value).
    pub attributes: BTreeMap<String, String>,
    /// When it was first sent (SentTimestamp); kept when it moves to a dead-letter queue, so
    /// retention counts from here.
    pub sent_ms: u64,
    pub state: State,
    /// When a delayed or in-flight message becomes visible.
    pub visible_at_ms: u64,
    /// ApproximateReceiveCount.
    pub receive_count: u32,
    pub first_receive_ms: Option<u64>,
    /// When the latest receive happened: the visibility timeout may reach 12 hours from it.
    pub received_ms: Option<u64>,
    /// The latest receipt handle; only it deletes the message.
    pub receipt_handle: Option<String>,
    /// FIFO: MessageGroupId, MessageDeduplicationId and SequenceNumber.
    pub group_id: Option<String>,
    pub dedup_id: Option<String>,
    pub sequence_number: Option<u64>,
    /// An opaque tag of what sent it (the flow engine keeps its trace entry here, so a
    /// batch's cause chains back through the queue).
    #[serde(default)]
    pub origin: Option<u64>,
}

/// A queue and its messages in send order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub name: String,
    pub attributes: QueueAttributes,
    pub messages: Vec<Message>,
    /// FIFO: deduplication ids seen in the last 5 minutes: when, and the message's id.
    pub dedup: BTreeMap<String, (u64, String)>,
    /// No message changes on its own before this time (ms): `advance` skips the queue
    /// until then. 0 means "look".
    #[serde(skip)]
    pub next_change_ms: u64,
}

/// A message delivered by ReceiveMessage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    pub message_id: String,
    pub receipt_handle: String,
    pub body: String,
    pub attributes: BTreeMap<String, String>,
    /// ApproximateReceiveCount after this receive.
    pub receive_count: u32,
    pub sent_ms: u64,
    pub group_id: Option<String>,
    /// The sender's tag ([`Message::origin`]).
    pub origin: Option<u64>,
}

/// What SendMessage answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// Enqueued with this id (FIFO: and sequence number).
    Queued {
        message_id: String,
        sequence_number: Option<u64>,
    },
    /// A FIFO duplicate within the deduplication interval: accepted, not enqueued again
    /// (AWS answers success with the first message's id).
    Duplicate { message_id: String },
}

/// What DeleteMessage did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    /// The receipt handle is not the latest one: the call succeeds, the message stays.
    StaleReceipt,
    /// The message is already gone (deleted, moved or expired): success, nothing to do.
    AlreadyGone,
}

/// Something the queue did on its own between calls, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueEvent {
    /// A delayed message became receivable.
    DelayEnded { queue: String, message_id: String },
    /// An in-flight message's visibility timeout expired: it can be received again.
    VisibleAgain {
        queue: String,
        message_id: String,
        receive_count: u32,
    },
    /// A message outlived the queue's retention period and was deleted.
    Expired { queue: String, message_id: String },
    /// A receive found a message past maxReceiveCount and moved it to the DLQ.
    MovedToDeadLetterQueue {
        queue: String,
        dlq: String,
        message_id: String,
        receive_count: u32,
        max_receive_count: u32,
    },
}

/// Every queue of the account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sqs {
    pub queues: BTreeMap<String, Queue>,
    /// Messages sent so far (ids), and receipts issued (handles).
    pub sent: u64,
    pub receipts: u64,
}

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::new("InvalidParameterValue", 400, message)
}

fn invalid_attribute(message: impl Into<String>) -> AwsError {
    AwsError::new("InvalidAttributeValue", 400, message)
}

fn no_queue(name: &str) -> AwsError {
    AwsError::new(
        "AWS.SimpleQueueService.NonExistentQueue",
        400,
        format!("The specified queue {name} does not exist."),
    )
}

/// Checks a queue name: 1–80 letters, digits, hyphens and underscores, and a FIFO queue's
/// name ends in `.fifo` (CreateQueue, QueueName).
pub fn check_name(name: &str, fifo: bool) -> Result<(), AwsError> {
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    if name.is_empty() || name.len() > 80 {
        return Err(invalid(format!(
            "A queue name has 1 to 80 characters; “{name}” has {}.",
            name.chars().count()
        )));
    }
    if let Some(c) = stem
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(invalid(format!(
            "“{name}” contains “{c}”: a queue name has letters, digits, hyphens and underscores (and .fifo at the end of a FIFO queue's)."
        )));
    }
    if fifo != name.ends_with(".fifo") {
        return Err(invalid(if fifo {
            format!("A FIFO queue's name ends in .fifo; “{name}” does not.")
        } else {
            format!("“{name}” ends in .fifo, which only a FIFO queue's name may.")
        }));
    }
    Ok(())
}

/// Checks every attribute against its range, naming the attribute and the range.
pub fn check_attributes(a: &QueueAttributes) -> Result<(), AwsError> {
    let range = |name: &str, v: u32, lo: u32, hi: u32| {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            Err(invalid_attribute(format!(
                "{name} is {v}; it must be from {lo} to {hi}."
            )))
        }
    };
    range(
        "VisibilityTimeout",
        a.visibility_timeout,
        0,
        MAX_VISIBILITY_S,
    )?;
    range(
        "MessageRetentionPeriod",
        a.message_retention_period,
        MIN_RETENTION_S,
        MAX_RETENTION_S,
    )?;
    range("DelaySeconds", a.delay_seconds, 0, MAX_DELAY_S)?;
    range(
        "ReceiveMessageWaitTimeSeconds",
        a.receive_message_wait_time_seconds,
        0,
        MAX_WAIT_S,
    )?;
    range(
        "MaximumMessageSize",
        a.maximum_message_size,
        1_024,
        MAX_MESSAGE_BYTES as u32,
    )?;
    if let Some(r) = &a.redrive_policy {
        range("maxReceiveCount", r.max_receive_count, 1, MAX_RECEIVE_COUNT)?;
    }
    if a.content_based_deduplication && !a.fifo_queue {
        return Err(invalid_attribute(
            "ContentBasedDeduplication applies to FIFO queues only.",
        ));
    }
    Ok(())
}

/// Characters a message body may hold (SendMessage, MessageBody): tab, newline, carriage
/// return, and Unicode from U+0020 except the surrogates and U+FFFE/U+FFFF.
fn body_char_ok(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// SHA-256 of the body, hex: FIFO content-based deduplication's id.
pub fn content_dedup_id(body: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SendMessage's parameters besides the queue and body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// Per-message delay (standard queues only); `None` uses the queue's.
    pub delay_seconds: Option<u32>,
    pub attributes: BTreeMap<String, String>,
    pub group_id: Option<String>,
    pub dedup_id: Option<String>,
    /// Kept with the message ([`Message::origin`]).
    pub origin: Option<u64>,
}

impl Sqs {
    pub fn queue(&self, name: &str) -> Result<&Queue, AwsError> {
        self.queues.get(name).ok_or_else(|| no_queue(name))
    }

    fn queue_mut(&mut self, name: &str) -> Result<&mut Queue, AwsError> {
        self.queues.get_mut(name).ok_or_else(|| no_queue(name))
    }

    /// CreateQueue. Creating a queue that exists with the same attributes succeeds (AWS
    /// returns its URL); with different ones it is refused (QueueAlreadyExists). A redrive
    /// policy must name an existing queue of the same type.
    pub fn create_queue(
        &mut self,
        name: &str,
        attributes: QueueAttributes,
    ) -> Result<(), AwsError> {
        check_name(name, attributes.fifo_queue)?;
        check_attributes(&attributes)?;
        if let Some(r) = &attributes.redrive_policy {
            let dlq = self.queue(&r.dead_letter_target).map_err(|_| {
                invalid_attribute(format!(
                    "The dead-letter queue {} does not exist.",
                    r.dead_letter_target
                ))
            })?;
            if dlq.attributes.fifo_queue != attributes.fifo_queue {
                return Err(invalid_attribute(format!(
                    "{} is a {} queue: a {} queue's dead-letter queue must be {} too.",
                    r.dead_letter_target,
                    if dlq.attributes.fifo_queue {
                        "FIFO"
                    } else {
                        "standard"
                    },
                    if attributes.fifo_queue {
                        "FIFO"
                    } else {
                        "standard"
                    },
                    if attributes.fifo_queue {
                        "FIFO"
                    } else {
                        "standard"
                    },
                )));
            }
            if r.dead_letter_target == name {
                return Err(invalid_attribute(
                    "A queue cannot be its own dead-letter queue.",
                ));
            }
        }
        if let Some(q) = self.queues.get(name) {
            if q.attributes == attributes {
                return Ok(());
            }
            return Err(AwsError::new(
                "QueueAlreadyExists",
                400,
                format!("A queue named {name} already exists with different attributes."),
            ));
        }
        self.queues.insert(
            name.to_string(),
            Queue {
                name: name.to_string(),
                attributes,
                messages: vec![],
                dedup: BTreeMap::new(),
                next_change_ms: 0,
            },
        );
        Ok(())
    }

    /// DeleteQueue.
    pub fn delete_queue(&mut self, name: &str) -> Result<(), AwsError> {
        self.queues
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| no_queue(name))
    }

    /// SendMessage at `now_ms`.
    pub fn send_message(
        &mut self,
        now_ms: u64,
        queue: &str,
        body: &str,
        opts: SendOptions,
    ) -> Result<Sent, AwsError> {
        let q = self.queue(queue)?;
        let a = &q.attributes;
        if body.is_empty() {
            return Err(AwsError::new(
                "MissingParameter",
                400,
                "The request must contain the parameter MessageBody.",
            ));
        }
        if body.len() > a.maximum_message_size as usize {
            return Err(invalid(format!(
                "The message is {} bytes; {queue} takes at most {} (MaximumMessageSize).",
                body.len(),
                a.maximum_message_size
            )));
        }
        if let Some(c) = body.chars().find(|c| !body_char_ok(*c)) {
            return Err(AwsError::new(
                "InvalidMessageContents",
                400,
                format!(
                    "The message contains U+{:04X}, a character SQS does not accept.",
                    c as u32
                ),
            ));
        }
        let delay = match (opts.delay_seconds, a.fifo_queue) {
            (Some(_), true) => {
                return Err(invalid(
                    "DelaySeconds cannot be set per message on a FIFO queue; set the queue's delay instead.",
                ))
            }
            (Some(d), false) if d > MAX_DELAY_S => {
                return Err(invalid(format!(
                    "DelaySeconds is {d}; it must be from 0 to {MAX_DELAY_S} (15 minutes)."
                )))
            }
            (Some(d), false) => d,
            (None, _) => a.delay_seconds,
        };
        let (group, dedup) = if a.fifo_queue {
            let group = opts.group_id.clone().ok_or_else(|| {
                AwsError::new(
                    "MissingParameter",
                    400,
                    "A FIFO queue needs a MessageGroupId on every message.",
                )
            })?;
            let dedup = match (&opts.dedup_id, a.content_based_deduplication) {
                (Some(d), _) => d.clone(),
                (None, true) => content_dedup_id(body),
                (None, false) => {
                    return Err(invalid(
                        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.",
                    ))
                }
            };
            (Some(group), Some(dedup))
        } else {
            (opts.group_id.clone(), None)
        };
        let q = self.queue_mut(queue)?;
        if let Some(d) = &dedup {
            q.dedup
                .retain(|_, (at, _)| now_ms.saturating_sub(*at) < DEDUP_INTERVAL_MS);
            if let Some((_, first)) = q.dedup.get(d) {
                return Ok(Sent::Duplicate {
                    message_id: first.clone(),
                });
            }
        }
        self.sent += 1;
        let id = format!("m-{}", self.sent);
        let sequence_number = dedup.as_ref().map(|_| self.sent);
        let q = self.queue_mut(queue)?;
        if let Some(d) = &dedup {
            q.dedup.insert(d.clone(), (now_ms, id.clone()));
        }
        let visible_at = now_ms + delay as u64 * 1000;
        let expires = now_ms + q.attributes.message_retention_period as u64 * 1000;
        let wake = if delay > 0 { visible_at } else { expires };
        q.next_change_ms = q.next_change_ms.min(wake);
        q.messages.push(Message {
            message_id: id.clone(),
            body: body.to_string(),
            attributes: opts.attributes,
            sent_ms: now_ms,
            state: if delay > 0 {
                State::Delayed
            } else {
                State::Visible
            },
            visible_at_ms: visible_at,
            receive_count: 0,
            first_receive_ms: None,
            received_ms: None,
            receipt_handle: None,
            group_id: group,
            dedup_id: dedup,
            sequence_number,
            origin: opts.origin,
        });
        Ok(Sent::Queued {
            message_id: id,
            sequence_number,
        })
    }

    /// Brings every queue to `now_ms`: delays that ended, visibility timeouts that expired
    /// and retention periods that ran out, in time order (ties in queue and message order).
    pub fn advance(&mut self, now_ms: u64) -> Vec<QueueEvent> {
        let mut events: Vec<(u64, QueueEvent)> = vec![];
        for q in self.queues.values_mut() {
            if q.next_change_ms > now_ms {
                continue;
            }
            let retention = q.attributes.message_retention_period as u64 * 1000;
            q.messages.retain(|m| {
                let expires = m.sent_ms + retention;
                if expires <= now_ms {
                    events.push((
                        expires,
                        QueueEvent::Expired {
                            queue: q.name.clone(),
                            message_id: m.message_id.clone(),
                        },
                    ));
                    false
                } else {
                    true
                }
            });
            for m in &mut q.messages {
                if m.state != State::Visible && m.visible_at_ms <= now_ms {
                    let e = if m.state == State::Delayed {
                        QueueEvent::DelayEnded {
                            queue: q.name.clone(),
                            message_id: m.message_id.clone(),
                        }
                    } else {
                        m.receipt_handle = None;
                        QueueEvent::VisibleAgain {
                            queue: q.name.clone(),
                            message_id: m.message_id.clone(),
                            receive_count: m.receive_count,
                        }
                    };
                    m.state = State::Visible;
                    events.push((m.visible_at_ms, e));
                }
            }
            q.next_change_ms = q
                .messages
                .iter()
                .flat_map(|m| {
                    let visible = (m.state != State::Visible).then_some(m.visible_at_ms);
                    visible.into_iter().chain([m.sent_ms + retention])
                })
                .min()
                .unwrap_or(u64::MAX);
        }
        events.sort_by_key(|(at, _)| *at);
        events.into_iter().map(|(_, e)| e).collect()
    }

    /// The earliest time any queue changes on its own (as of the last [`Sqs::advance`]).
    pub fn next_change_any(&self) -> Option<u64> {
        self.queues
            .values()
            .map(|q| q.next_change_ms)
            .filter(|t| *t != u64::MAX)
            .min()
    }

    /// The earliest time after `now_ms` at which something changes in `queue` on its own (a
    /// delay or visibility timeout ending, a message expiring): a long poll waits for it.
    pub fn next_change_ms(&self, queue: &str, now_ms: u64) -> Option<u64> {
        let q = self.queues.get(queue)?;
        let retention = q.attributes.message_retention_period as u64 * 1000;
        q.messages
            .iter()
            .flat_map(|m| {
                let visible = (m.state != State::Visible).then_some(m.visible_at_ms);
                visible.into_iter().chain([m.sent_ms + retention])
            })
            .filter(|t| *t > now_ms)
            .min()
    }

    /// ReceiveMessage at `now_ms`: up to `max` (1–10) visible messages, each made invisible
    /// for the queue's visibility timeout (or `visibility`), its receive count raised and a
    /// new receipt handle issued. A message already received maxReceiveCount times is moved
    /// to the dead-letter queue instead (reported in the events). FIFO: in send order per
    /// message group, skipping groups with a message in flight. `wait_seconds` is checked
    /// here; the waiting itself is the caller's (see [`Sqs::next_change_ms`]).
    pub fn receive_message(
        &mut self,
        now_ms: u64,
        queue: &str,
        max: u32,
        visibility: Option<u32>,
        wait_seconds: Option<u32>,
    ) -> Result<(Vec<Received>, Vec<QueueEvent>), AwsError> {
        if !(1..=MAX_RECEIVE).contains(&max) {
            return Err(invalid(format!(
                "MaxNumberOfMessages is {max}; it must be from 1 to {MAX_RECEIVE}."
            )));
        }
        if let Some(w) = wait_seconds.filter(|w| *w > MAX_WAIT_S) {
            return Err(invalid(format!(
                "WaitTimeSeconds is {w}; it must be from 0 to {MAX_WAIT_S}."
            )));
        }
        if let Some(v) = visibility.filter(|v| *v > MAX_VISIBILITY_S) {
            return Err(invalid(format!(
                "VisibilityTimeout is {v}; it must be from 0 to {MAX_VISIBILITY_S} (12 hours)."
            )));
        }
        let mut events = self.advance(now_ms);
        let q = self.queue(queue)?;
        let timeout = visibility.unwrap_or(q.attributes.visibility_timeout) as u64 * 1000;
        let fifo = q.attributes.fifo_queue;
        let redrive = q.attributes.redrive_policy.clone();
        // FIFO groups with a message in flight are blocked.
        let blocked: Vec<String> = if fifo {
            q.messages
                .iter()
                .filter(|m| m.state == State::InFlight)
                .filter_map(|m| m.group_id.clone())
                .collect()
        } else {
            vec![]
        };
        let mut out = vec![];
        let mut moved = vec![];
        let mut stopped_groups: Vec<String> = blocked;
        let q = self.queues.get_mut(queue).ok_or_else(|| no_queue(queue))?;
        for m in q.messages.iter_mut() {
            if out.len() as u32 >= max {
                break;
            }
            let group_blocked = fifo
                && m.group_id
                    .as_ref()
                    .is_some_and(|g| stopped_groups.contains(g));
            if m.state != State::Visible {
                // A FIFO message not receivable holds back the rest of its group.
                if let (true, Some(g)) = (fifo, &m.group_id) {
                    stopped_groups.push(g.clone());
                }
                continue;
            }
            if group_blocked {
                continue;
            }
            if let Some(r) = &redrive {
                if m.receive_count >= r.max_receive_count {
                    moved.push(m.message_id.clone());
                    events.push(QueueEvent::MovedToDeadLetterQueue {
                        queue: queue.to_string(),
                        dlq: r.dead_letter_target.clone(),
                        message_id: m.message_id.clone(),
                        receive_count: m.receive_count,
                        max_receive_count: r.max_receive_count,
                    });
                    continue;
                }
            }
            self.receipts += 1;
            let handle = format!("rh-{}-{}", m.message_id, self.receipts);
            m.state = State::InFlight;
            m.visible_at_ms = now_ms + timeout;
            m.receive_count += 1;
            m.first_receive_ms.get_or_insert(now_ms);
            m.received_ms = Some(now_ms);
            m.receipt_handle = Some(handle.clone());
            q.next_change_ms = q.next_change_ms.min(m.visible_at_ms);
            out.push(Received {
                message_id: m.message_id.clone(),
                receipt_handle: handle,
                body: m.body.clone(),
                attributes: m.attributes.clone(),
                receive_count: m.receive_count,
                sent_ms: m.sent_ms,
                group_id: m.group_id.clone(),
                origin: m.origin,
            });
        }
        if !moved.is_empty() {
            let mut taken = vec![];
            q.messages.retain(|m| {
                if moved.contains(&m.message_id) {
                    taken.push(m.clone());
                    false
                } else {
                    true
                }
            });
            if let Some(r) = &redrive {
                if let Some(dlq) = self.queues.get_mut(&r.dead_letter_target) {
                    for mut m in taken {
                        // A standard queue keeps the enqueue timestamp, so the DLQ's
                        // retention counts from the original send; a FIFO queue resets it
                        // (SQS Developer Guide, dead-letter queue retention).
                        if dlq.attributes.fifo_queue {
                            m.sent_ms = now_ms;
                        }
                        m.state = State::Visible;
                        m.receipt_handle = None;
                        dlq.next_change_ms = 0;
                        dlq.messages.push(m);
                    }
                }
            }
        }
        Ok((out, events))
    }

    /// Finds the message a receipt handle names: `rh-<message id>-<n>`.
    fn by_receipt<'a>(q: &'a mut Queue, handle: &str) -> Result<Option<&'a mut Message>, AwsError> {
        let id = handle
            .strip_prefix("rh-")
            .and_then(|rest| rest.rsplit_once('-'))
            .map(|(id, _)| id)
            .ok_or_else(|| {
                AwsError::new(
                    "ReceiptHandleIsInvalid",
                    400,
                    format!("“{handle}” is not a receipt handle of this queue."),
                )
            })?;
        Ok(q.messages.iter_mut().find(|m| m.message_id == id))
    }

    /// DeleteMessage with a receipt handle at `now_ms`.
    pub fn delete_message(
        &mut self,
        now_ms: u64,
        queue: &str,
        handle: &str,
    ) -> Result<Deleted, AwsError> {
        self.advance(now_ms);
        let q = self.queue_mut(queue)?;
        let Some(m) = Self::by_receipt(q, handle)? else {
            return Ok(Deleted::AlreadyGone);
        };
        if m.receipt_handle.as_deref() != Some(handle) {
            return Ok(Deleted::StaleReceipt);
        }
        let id = m.message_id.clone();
        q.messages.retain(|m| m.message_id != id);
        Ok(Deleted::Deleted)
    }

    /// ChangeMessageVisibility at `now_ms`: the message stays invisible for `timeout`
    /// seconds from now (0 makes it visible at once). Refused for a message not in flight
    /// (MessageNotInflight) and beyond 12 hours from its receipt.
    pub fn change_message_visibility(
        &mut self,
        now_ms: u64,
        queue: &str,
        handle: &str,
        timeout: u32,
    ) -> Result<(), AwsError> {
        self.advance(now_ms);
        let q = self.queue_mut(queue)?;
        // The message's next change moves: look again.
        q.next_change_ms = 0;
        let m = Self::by_receipt(q, handle)?
            .filter(|m| m.state == State::InFlight && m.receipt_handle.as_deref() == Some(handle))
            .ok_or_else(|| {
                AwsError::new(
                    "MessageNotInflight",
                    400,
                    "The message is not in flight: its visibility timeout has expired or it was received again.",
                )
            })?;
        let limit = m.received_ms.unwrap_or(now_ms) + MAX_VISIBILITY_S as u64 * 1000;
        let until = now_ms + timeout as u64 * 1000;
        if timeout > MAX_VISIBILITY_S || until > limit {
            return Err(invalid(format!(
                "A message stays invisible at most 12 hours after it is received; {timeout} s from now goes past that."
            )));
        }
        m.visible_at_ms = until;
        if timeout == 0 {
            m.state = State::Visible;
            m.receipt_handle = None;
        }
        Ok(())
    }

    /// PurgeQueue: every message is deleted.
    pub fn purge_queue(&mut self, queue: &str) -> Result<usize, AwsError> {
        let q = self.queue_mut(queue)?;
        let n = q.messages.len();
        q.messages.clear();
        Ok(n)
    }

    /// ApproximateNumberOfMessages, …NotVisible and …Delayed at `now_ms`.
    pub fn counts(&mut self, now_ms: u64, queue: &str) -> Result<(usize, usize, usize), AwsError> {
        self.advance(now_ms);
        let q = self.queue(queue)?;
        let n = |s: State| q.messages.iter().filter(|m| m.state == s).count();
        Ok((n(State::Visible), n(State::InFlight), n(State::Delayed)))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const S: u64 = 1000;

    fn with_dlq(max_receive_count: u32) -> Sqs {
        let mut sqs = Sqs::default();
        sqs.create_queue("orders-dlq", QueueAttributes::default())
            .unwrap();
        sqs.create_queue(
            "orders",
            QueueAttributes {
                redrive_policy: Some(RedrivePolicy {
                    dead_letter_target: "orders-dlq".into(),
                    max_receive_count,
                }),
                ..Default::default()
            },
        )
        .unwrap();
        sqs
    }

    fn receive(sqs: &mut Sqs, at: u64, q: &str) -> Vec<Received> {
        sqs.receive_message(at, q, 10, None, None).unwrap().0
    }

    /// The oracle (SQS Developer Guide, dead-letter queues): visibility 30 s,
    /// maxReceiveCount 3, a consumer that never deletes. Receives at 0, 30 and 60 s carry
    /// receive counts 1, 2, 3; the first receive at or after 90 s returns nothing and the
    /// message is then in the DLQ. With nobody polling it stays in the source queue.
    #[test]
    fn redrive_happens_on_the_receive_after_max_receive_count() {
        let mut sqs = with_dlq(3);
        sqs.send_message(0, "orders", "o-1", SendOptions::default())
            .unwrap();
        let counts: Vec<u32> = [0, 30, 60]
            .iter()
            .map(|t| receive(&mut sqs, t * S, "orders")[0].receive_count)
            .collect();
        assert_eq!(counts, [1, 2, 3]);
        assert!(
            receive(&mut sqs, 75 * S, "orders").is_empty(),
            "still in flight"
        );
        // Nobody polls from 90 s to an hour later: the message waits in the source queue.
        assert_eq!(sqs.counts(3600 * S, "orders").unwrap(), (1, 0, 0));
        let (got, events) = sqs
            .receive_message(3600 * S, "orders", 10, None, None)
            .unwrap();
        assert!(got.is_empty());
        assert!(events.iter().any(|e| matches!(
            e,
            QueueEvent::MovedToDeadLetterQueue {
                receive_count: 3,
                max_receive_count: 3,
                ..
            }
        )));
        assert_eq!(sqs.counts(3600 * S, "orders-dlq").unwrap(), (1, 0, 0));
        let moved = receive(&mut sqs, 3601 * S, "orders-dlq");
        assert_eq!(
            (moved[0].body.as_str(), moved[0].sent_ms),
            ("o-1", 0),
            "the enqueue time stays"
        );
        // A receive at exactly 90 s moves it too.
        let mut sqs = with_dlq(3);
        sqs.send_message(0, "orders", "o-1", SendOptions::default())
            .unwrap();
        for t in [0, 30, 60] {
            receive(&mut sqs, t * S, "orders");
        }
        assert!(receive(&mut sqs, 90 * S, "orders").is_empty());
        assert_eq!(sqs.counts(90 * S, "orders-dlq").unwrap().0, 1);
    }

    #[test]
    fn visibility_delete_and_stale_receipts() {
        let mut sqs = Sqs::default();
        sqs.create_queue("q", QueueAttributes::default()).unwrap();
        sqs.send_message(0, "q", "hello", SendOptions::default())
            .unwrap();
        let first = receive(&mut sqs, 0, "q").remove(0);
        assert!(
            receive(&mut sqs, 29 * S, "q").is_empty(),
            "invisible for 30 s"
        );
        let events = sqs.advance(30 * S);
        assert!(matches!(
            &events[0],
            QueueEvent::VisibleAgain {
                receive_count: 1,
                ..
            }
        ));
        let second = receive(&mut sqs, 31 * S, "q").remove(0);
        assert_eq!(second.receive_count, 2);
        // The first consumer's old receipt handle no longer deletes it.
        assert_eq!(
            sqs.delete_message(32 * S, "q", &first.receipt_handle)
                .unwrap(),
            Deleted::StaleReceipt
        );
        assert_eq!(sqs.counts(32 * S, "q").unwrap(), (0, 1, 0));
        assert_eq!(
            sqs.delete_message(33 * S, "q", &second.receipt_handle)
                .unwrap(),
            Deleted::Deleted
        );
        assert_eq!(
            sqs.delete_message(34 * S, "q", &second.receipt_handle)
                .unwrap(),
            Deleted::AlreadyGone
        );
        assert_eq!(
            sqs.delete_message(34 * S, "q", "nonsense")
                .unwrap_err()
                .code,
            "ReceiptHandleIsInvalid"
        );
        // ChangeMessageVisibility counts from the call.
        sqs.send_message(40 * S, "q", "again", SendOptions::default())
            .unwrap();
        let r = receive(&mut sqs, 40 * S, "q").remove(0);
        sqs.change_message_visibility(50 * S, "q", &r.receipt_handle, 100)
            .unwrap();
        assert!(receive(&mut sqs, 149 * S, "q").is_empty());
        assert_eq!(receive(&mut sqs, 150 * S, "q").len(), 1);
        let e = sqs
            .change_message_visibility(151 * S, "q", &r.receipt_handle, 10)
            .unwrap_err();
        assert_eq!(e.code, "MessageNotInflight");
    }

    #[test]
    fn delays_retention_and_limits() {
        let mut sqs = Sqs::default();
        sqs.create_queue(
            "q",
            QueueAttributes {
                message_retention_period: 60,
                ..Default::default()
            },
        )
        .unwrap();
        let delayed = SendOptions {
            delay_seconds: Some(10),
            ..Default::default()
        };
        sqs.send_message(0, "q", "later", delayed).unwrap();
        assert!(receive(&mut sqs, 9 * S, "q").is_empty());
        assert_eq!(sqs.next_change_ms("q", 9 * S), Some(10 * S));
        assert_eq!(receive(&mut sqs, 10 * S, "q").len(), 1);
        sqs.send_message(0, "q", "forgotten", SendOptions::default())
            .unwrap();
        let events = sqs.advance(60 * S);
        assert_eq!(
            events
                .iter()
                .filter(|e| matches!(e, QueueEvent::Expired { .. }))
                .count(),
            2
        );
        // Out-of-range values are refused by name (digest §14 tests).
        let e = sqs
            .send_message(
                0,
                "q",
                "x",
                SendOptions {
                    delay_seconds: Some(901),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert!(e.message.contains("DelaySeconds is 901"));
        assert!(sqs
            .send_message(
                0,
                "q",
                "x",
                SendOptions {
                    delay_seconds: Some(900),
                    ..Default::default()
                }
            )
            .is_ok());
        assert!(sqs
            .receive_message(0, "q", 10, None, Some(25))
            .unwrap_err()
            .message
            .contains("WaitTimeSeconds is 25"));
        assert!(sqs
            .receive_message(0, "q", 11, None, None)
            .unwrap_err()
            .message
            .contains("MaxNumberOfMessages is 11"));
        assert_eq!(
            sqs.send_message(0, "nope", "x", SendOptions::default())
                .unwrap_err()
                .code,
            "AWS.SimpleQueueService.NonExistentQueue"
        );
        let big = "x".repeat(MAX_MESSAGE_BYTES + 1);
        assert!(sqs
            .send_message(0, "q", &big, SendOptions::default())
            .is_err());
        assert_eq!(
            sqs.send_message(0, "q", "bad \u{1}", SendOptions::default())
                .unwrap_err()
                .code,
            "InvalidMessageContents"
        );
        assert!(check_name("orders.fifo", false).is_err() && check_name("orders", true).is_err());
        assert!(check_name("ok_name-1", false).is_ok());
        let bad = QueueAttributes {
            visibility_timeout: 43_201,
            ..Default::default()
        };
        assert!(Sqs::default()
            .create_queue("x", bad)
            .unwrap_err()
            .message
            .contains("VisibilityTimeout is 43201"));
        // A FIFO queue's DLQ must be FIFO.
        let mut sqs = Sqs::default();
        sqs.create_queue("dlq", QueueAttributes::default()).unwrap();
        let fifo = QueueAttributes {
            fifo_queue: true,
            redrive_policy: Some(RedrivePolicy {
                dead_letter_target: "dlq".into(),
                max_receive_count: 3,
            }),
            ..Default::default()
        };
        assert!(sqs
            .create_queue("jobs.fifo", fifo)
            .unwrap_err()
            .message
            .contains("must be FIFO"));
    }

    fn fifo() -> Sqs {
        let mut sqs = Sqs::default();
        sqs.create_queue(
            "jobs.fifo",
            QueueAttributes {
                fifo_queue: true,
                content_based_deduplication: true,
                ..Default::default()
            },
        )
        .unwrap();
        sqs
    }

    fn in_group(g: &str) -> SendOptions {
        SendOptions {
            group_id: Some(g.into()),
            ..Default::default()
        }
    }

    /// Digest §14: the same body at 0 and 299 s is dropped; at 301 s it is accepted.
    #[test]
    fn fifo_deduplication_window() {
        let mut sqs = fifo();
        assert!(matches!(
            sqs.send_message(0, "jobs.fifo", "same", in_group("a"))
                .unwrap(),
            Sent::Queued { .. }
        ));
        assert!(matches!(
            sqs.send_message(299 * S, "jobs.fifo", "same", in_group("a"))
                .unwrap(),
            Sent::Duplicate { .. }
        ));
        assert!(matches!(
            sqs.send_message(301 * S, "jobs.fifo", "same", in_group("a"))
                .unwrap(),
            Sent::Queued { .. }
        ));
        assert_eq!(
            content_dedup_id("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let e = sqs
            .send_message(0, "jobs.fifo", "x", SendOptions::default())
            .unwrap_err();
        assert_eq!(e.code, "MissingParameter");
        let mut plain = Sqs::default();
        plain
            .create_queue(
                "p.fifo",
                QueueAttributes {
                    fifo_queue: true,
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(plain
            .send_message(0, "p.fifo", "x", in_group("a"))
            .unwrap_err()
            .message
            .contains("ContentBasedDeduplication"));
    }

    /// A group is blocked while one of its messages is in flight; order holds per group.
    #[test]
    fn fifo_groups_keep_order_and_block() {
        let mut sqs = fifo();
        for (g, body) in [
            ("a", "a1"),
            ("b", "b1"),
            ("a", "a2"),
            ("a", "a3"),
            ("b", "b2"),
        ] {
            sqs.send_message(0, "jobs.fifo", body, in_group(g)).unwrap();
        }
        let first: Vec<String> = sqs
            .receive_message(0, "jobs.fifo", 1, None, None)
            .unwrap()
            .0
            .into_iter()
            .map(|r| r.body)
            .collect();
        assert_eq!(first, ["a1"]);
        // a1 in flight: group a is blocked; b comes next.
        let next = sqs
            .receive_message(S, "jobs.fifo", 10, None, None)
            .unwrap()
            .0;
        let bodies: Vec<&str> = next.iter().map(|r| r.body.as_str()).collect();
        assert_eq!(bodies, ["b1", "b2"]);
        assert!(receive(&mut sqs, 2 * S, "jobs.fifo").is_empty());
    }

    proptest! {
        /// Without failures (every receive deleted at once) no message of a standard queue
        /// is lost or delivered twice; with a consumer that never deletes, every message
        /// ends in the DLQ or expired, never anywhere else.
        #[test]
        fn messages_are_never_lost_or_duplicated(sends in proptest::collection::vec((0u64..600, 0u32..30), 1..40), polls in proptest::collection::vec(0u64..2000, 1..60)) {
            let mut sqs = with_dlq(2);
            for (at, delay) in &sends {
                sqs.send_message(at * S, "orders", &format!("{at}-{delay}"), SendOptions { delay_seconds: Some(*delay), ..Default::default() }).unwrap();
            }
            let mut times: Vec<u64> = polls.iter().map(|t| t * S).chain([700 * S, 800 * S]).collect();
            times.sort();
            let mut seen = std::collections::BTreeSet::new();
            for t in times {
                let (got, _) = sqs.receive_message(t.max(600 * S), "orders", 10, None, None).unwrap();
                for r in got {
                    prop_assert!(seen.insert(r.message_id.clone()), "{} delivered twice", r.message_id);
                    prop_assert_eq!(sqs.delete_message(t.max(600 * S), "orders", &r.receipt_handle).unwrap(), Deleted::Deleted);
                }
            }
            // Drain what is left (ten a receive).
            loop {
                let (got, _) = sqs.receive_message(900 * S, "orders", 10, None, None).unwrap();
                if got.is_empty() {
                    break;
                }
                for r in got {
                    prop_assert!(seen.insert(r.message_id.clone()), "{} delivered twice", r.message_id);
                    sqs.delete_message(900 * S, "orders", &r.receipt_handle).unwrap();
                }
            }
            prop_assert_eq!(seen.len(), sends.len());
            // Never deleting: everything ends in the DLQ (after two receives) once polled enough.
            let mut sqs = with_dlq(2);
            for (at, _) in &sends {
                sqs.send_message(at * S, "orders", "x", SendOptions::default()).unwrap();
            }
            for k in 0..4u64 {
                sqs.receive_message(1000 * S + k * 31 * S, "orders", 10, None, None).unwrap();
                sqs.receive_message(1000 * S + k * 31 * S, "orders", 10, None, None).unwrap();
                sqs.receive_message(1000 * S + k * 31 * S, "orders", 10, None, None).unwrap();
                sqs.receive_message(1000 * S + k * 31 * S, "orders", 10, None, None).unwrap();
            }
            let (v, f, d) = sqs.counts(2000 * S, "orders").unwrap();
            let (dv, _, _) = sqs.counts(2000 * S, "orders-dlq").unwrap();
            prop_assert_eq!(v + f + d + dv, sends.len());
        }
    }
}
