//! The flow diagram: the scenario's resources as shapes in columns (the script, buckets and
//! topics, queues, functions), the wiring as edges (notifications, subscriptions, event
//! source mappings, redrive, destinations, the calls a handler makes), and — at a moment of
//! the run — what is moving along the edges as tokens and each resource's counters. Also the
//! same architecture as Mermaid `architecture-beta` text.

use super::scenario::{Outcome, Scenario};
use crate::core::format::xml_escape as esc;
use crate::core::services::lambda::{Destination, Step};
use crate::core::services::s3::Target;
use crate::core::services::sns::Endpoint;
use crate::core::views::vpc::layout::fit;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

const COL_W: f64 = 230.0;
const NODE_W: f64 = 180.0;
const NODE_H: f64 = 72.0;
const GAP: f64 = 26.0;
const TOP: f64 = 40.0;
const LEFT: f64 = 20.0;
/// How long a token takes to cross an edge on screen, in virtual ms.
pub const TOKEN_MS: u64 = 1_500;

/// A resource of the diagram: its id (the trace's actor name: `queue orders`), kind, name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub column: usize,
}

/// An edge: from, to, and what it is (`notification`, `subscription`, `mapping`,
/// `redrive`, `destination`, `call`, `action`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: &'static str,
}

/// A subscription's endpoint as a diagram id: `queue billing`, `function worker`.
pub fn endpoint_id(e: &Endpoint) -> String {
    match e {
        Endpoint::Sqs(n) => format!("queue {n}"),
        Endpoint::Lambda(n) => format!("function {n}"),
    }
}

/// A notification rule's target as a diagram id.
pub fn target_id(t: &Target) -> String {
    match t {
        Target::Lambda(n) => format!("function {n}"),
        Target::Sqs(n) => format!("queue {n}"),
        Target::Sns(n) => format!("topic {n}"),
    }
}

/// An asynchronous invocation's destination as a diagram id.
pub fn destination_id(d: &Destination) -> String {
    match d {
        Destination::Sqs(n) => format!("queue {n}"),
        Destination::Sns(n) => format!("topic {n}"),
        Destination::Lambda(n) => format!("function {n}"),
    }
}

/// The resources and wiring of a scenario.
pub fn graph(s: &Scenario) -> (Vec<Node>, Vec<Edge>) {
    let mut nodes = vec![Node {
        id: "scenario".into(),
        kind: "scenario",
        name: "timed actions".into(),
        column: 0,
    }];
    let mut add = |kind: &'static str, name: &str, column: usize| {
        nodes.push(Node {
            id: format!("{kind} {name}"),
            kind,
            name: name.into(),
            column,
        })
    };
    for b in &s.buckets {
        add("bucket", &b.name, 1);
    }
    for t in &s.topics {
        add("topic", &t.name, 1);
    }
    for a in &s.apis {
        add("api", &a.name, 1);
    }
    // Tables beside buckets: like a bucket, a table is written by the script and by
    // functions, and its stream sends on to functions to the right.
    for t in &s.tables {
        add("table", &t.name, 1);
    }
    for q in &s.queues {
        add("queue", &q.name, 2);
    }
    for f in &s.functions {
        add("function", &f.name, 3);
    }

    let mut edges: BTreeSet<Edge> = BTreeSet::new();
    let mut edge = |from: String, to: String, kind: &'static str| {
        edges.insert(Edge { from, to, kind });
    };
    for a in &s.actions {
        let to = match &a.action {
            crate::core::flow::Action::SendMessage { queue, .. } => format!("queue {queue}"),
            crate::core::flow::Action::Publish { topic, .. } => format!("topic {topic}"),
            crate::core::flow::Action::Invoke { function, .. } => format!("function {function}"),
            crate::core::flow::Action::PutObject { bucket, .. }
            | crate::core::flow::Action::DeleteObject { bucket, .. } => format!("bucket {bucket}"),
            crate::core::flow::Action::DynamoDb { call } if call.operation.multi() => {
                for t in call_tables(call) {
                    edge("scenario".into(), t, "action");
                }
                continue;
            }
            crate::core::flow::Action::DynamoDb { call } => format!("table {}", call.table.trim()),
            crate::core::flow::Action::HttpRequest { api, .. } => format!("api {api}"),
        };
        edge("scenario".into(), to, "action");
    }
    for b in &s.buckets {
        for r in &b.notifications {
            edge(
                format!("bucket {}", b.name),
                target_id(&r.target),
                "notification",
            );
        }
    }
    for t in &s.topics {
        for sub in &t.subscriptions {
            edge(
                format!("topic {}", t.name),
                endpoint_id(&sub.endpoint),
                "subscription",
            );
        }
    }
    for q in &s.queues {
        if let Some(r) = &q.attributes.redrive_policy {
            edge(
                format!("queue {}", q.name),
                format!("queue {}", r.dead_letter_target),
                "redrive",
            );
        }
    }
    for m in &s.mappings {
        edge(
            format!("queue {}", m.queue),
            format!("function {}", m.function),
            "mapping",
        );
    }

    for f in &s.functions {
        let from = format!("function {}", f.name);
        for d in f
            .async_config
            .on_failure
            .iter()
            .chain(&f.async_config.on_success)
        {
            edge(from.clone(), destination_id(d), "destination");
        }
        for step in &f.handler.steps {
            let to = match step {
                Step::SendMessage { queue, .. } => format!("queue {queue}"),
                Step::Publish { topic, .. } => format!("topic {topic}"),
                Step::PutObject { bucket, .. } => format!("bucket {bucket}"),
                Step::DynamoDb { call, .. } if call.operation.multi() => {
                    for t in call_tables(call) {
                        edge(from.clone(), t, "call");
                    }
                    continue;
                }
                Step::DynamoDb { call, .. } => format!("table {}", call.table.trim()),
                _ => continue,
            };
            edge(from.clone(), to, "call");
        }
    }
    for a in &s.apis {
        for r in &a.routes {
            edge(
                format!("api {}", a.name),
                format!("function {}", r.function),
                "integration",
            );
        }
    }
    for m in &s.stream_mappings {
        let from = format!("table {}", m.table);
        edge(from.clone(), format!("function {}", m.function), "stream");
        if let Some(d) = &m.on_failure {
            edge(from, destination_id(d), "destination");
        }
    }
    (nodes, edges.into_iter().collect())
}

/// What the diagram shows at one moment: tokens on edges and counters on shapes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    /// (from, to, progress 0–1, the trace entry's code).
    pub tokens: Vec<(String, String, f64, &'static str)>,
    /// Node → counter lines.
    pub counts: BTreeMap<String, String>,
    /// Node → counter → value (what the lines say), as [`counters_at`] gives them.
    pub counters: BTreeMap<String, BTreeMap<&'static str, u64>>,
    /// Nodes where something failed at this moment (the last second).
    pub failing: BTreeSet<String>,
    /// Edges (from, to) and nodes picked out in the log: what one line's event moved along
    /// and who did it.
    pub lit_edges: BTreeSet<(String, String)>,
    pub lit_nodes: BTreeSet<String>,
}

/// Picks out, in `frame`, the actor of trace entry `id` and the edges its event took: its
/// own moves and those of the entries it caused directly (a notification's delivery is
/// recorded where the function queues the event), and when there are none, the move that
/// brought it about.
pub fn light(frame: &mut Frame, o: &Outcome, id: u64) {
    let Some(e) = o.trace.get(id as usize) else {
        return;
    };
    frame.lit_nodes.insert(e.actor.clone());
    let caused = |m: &crate::core::flow::Move| {
        m.trace.0 == id
            || o.trace
                .get(m.trace.0 as usize)
                .is_some_and(|x| x.cause.map(|c| c.0) == Some(id))
    };
    let mut edges: BTreeSet<(String, String)> = o
        .moves
        .iter()
        .filter(|m| caused(m))
        .map(|m| (m.from.clone(), m.to.clone()))
        .collect();
    if edges.is_empty() {
        if let Some(c) = e.cause {
            edges.extend(
                o.moves
                    .iter()
                    .filter(|m| m.trace == c && m.to == e.actor)
                    .map(|m| (m.from.clone(), m.to.clone())),
            );
        }
    }
    frame.lit_edges.extend(edges);
}

/// The counters of every resource at `t_ms`, from the trace.
pub fn counters_at(o: &Outcome, t_ms: u64) -> BTreeMap<String, BTreeMap<&'static str, u64>> {
    let mut c: BTreeMap<String, BTreeMap<&'static str, u64>> = BTreeMap::new();
    for e in o.trace.iter().take_while(|e| e.at_ms <= t_ms) {
        let key = match e.code {
            "LAMBDA_START" => "invocations",
            "LAMBDA_ERROR" => "errors",
            "LAMBDA_THROTTLED" | "ESM_THROTTLED" => "throttles",
            "LAMBDA_RECURSIVE_LOOP_STOPPED" => "loop stops",
            "SQS_ENQUEUED" => "enqueued",
            "SQS_MOVED_TO_DLQ" => "to DLQ",
            "SQS_SEND_REFUSED" => "sends refused",
            "SNS_RECEIVED" => "published",
            "SNS_DELIVERED" => "delivered",
            "SNS_FILTERED_OUT" => "filtered out",
            "S3_STORED" => "objects put",
            "S3_NOTIFICATION" => "notifications",
            "APIGW_RECEIVED" => "requests",
            "APIGW_CLIENT_ERROR" => "4xx",
            "APIGW_SERVER_ERROR" => "5xx",
            "DYNAMODB_READ" => "reads",
            "DYNAMODB_WRITTEN" => "writes",
            "DYNAMODB_CONDITION_FAILED" => "condition failures",
            "DYNAMODB_THROTTLED" => "throttles",
            "DYNAMODB_UNPROCESSED" => "partial batches",
            "DYNAMODB_TRANSACTION_CANCELED" => "cancelled transactions",
            "STREAM_RETRY" => "stream retries",
            "STREAM_RECORDS_DISCARDED" => "discards",
            "IAM_DENIED" => "denied",
            _ => continue,
        };
        // No allocation for a resource already counted (this runs on every frame).
        let m = match c.get_mut(&e.actor) {
            Some(m) => m,
            None => c.entry(e.actor.clone()).or_default(),
        };
        *m.entry(key).or_default() += 1;
    }
    // A dead-letter queue counts what the redrive moved into it (the source counts "to DLQ").
    for m in o.moves.iter().take_while(|m| m.at_ms <= t_ms) {
        if o.trace.get(m.trace.0 as usize).map(|e| e.code) == Some("SQS_MOVED_TO_DLQ") {
            *c.entry(m.to.clone())
                .or_default()
                .entry("moved in")
                .or_default() += 1;
        }
    }
    if let Some((_, depths)) = o.samples.iter().take_while(|(at, _)| *at <= t_ms).last() {
        for (q, v, f, d) in depths {
            let m = c.entry(format!("queue {q}")).or_default();
            m.insert("visible", *v as u64);
            m.insert("in flight", *f as u64);
            if *d > 0 {
                m.insert("delayed", *d as u64);
            }
        }
    }
    c
}

/// Counters in the order a flow reads (cause before effect), then any other.
pub const COUNTER_ORDER: [&str; 27] = [
    "denied",
    "requests",
    "4xx",
    "5xx",
    "objects put",
    "notifications",
    "published",
    "delivered",
    "filtered out",
    "enqueued",
    "sends refused",
    "moved in",
    "visible",
    "delayed",
    "in flight",
    "to DLQ",
    "invocations",
    "errors",
    "throttles",
    "loop stops",
    "reads",
    "writes",
    "condition failures",
    "cancelled transactions",
    "partial batches",
    "stream retries",
    "discards",
];

/// A resource's counters in [`COUNTER_ORDER`].
pub fn ordered<'a>(
    m: &'a BTreeMap<&'static str, u64>,
) -> impl Iterator<Item = (&'static str, u64)> + 'a {
    let rank = |k: &str| {
        COUNTER_ORDER
            .iter()
            .position(|x| *x == k)
            .unwrap_or(COUNTER_ORDER.len())
    };
    let mut v: Vec<(&'static str, u64)> = m.iter().map(|(k, v)| (*k, *v)).collect();
    v.sort_by_key(|(k, _)| rank(k));
    v.into_iter()
}

/// "1 invocation", "3 invocations", "1 object put", "2 in flight".
pub fn count_text(n: u64, key: &str) -> String {
    let one = match key {
        "invocations" => "invocation",
        "errors" => "error",
        "throttles" => "throttled attempt",
        "sends refused" => "send refused",
        "loop stops" => "loop stop",
        "objects put" => "object put",
        "notifications" => "notification",
        "reads" => "read",
        "requests" => "request",
        "writes" => "write",
        "condition failures" => "condition failure",
        "cancelled transactions" => "cancelled transaction",
        "partial batches" => "partial batch",
        "stream retries" => "stream retry",
        "discards" => "batch discarded",
        other => other,
    };
    let many = match key {
        "throttles" => "throttled attempts",
        "discards" => "batches discarded",
        other => other,
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The frame at `t_ms`: moves of the last [`TOKEN_MS`] as tokens, counters so far.
pub fn frame_at(o: &Outcome, t_ms: u64) -> Frame {
    // The trace and the moves are in time order: find the window by bisection.
    let from = o.moves.partition_point(|m| m.at_ms + TOKEN_MS <= t_ms);
    let to = o.moves.partition_point(|m| m.at_ms <= t_ms);
    let tokens = o.moves[from..to.max(from)]
        .iter()
        .map(|m| {
            let code = o
                .trace
                .get(m.trace.0 as usize)
                .map(|e| e.code)
                .unwrap_or("");
            (
                m.from.clone(),
                m.to.clone(),
                (t_ms - m.at_ms) as f64 / TOKEN_MS as f64,
                code,
            )
        })
        .collect();
    let counters = counters_at(o, t_ms);
    let counts = counters
        .iter()
        .map(|(node, m)| {
            let line = ordered(m)
                .map(|(k, v)| count_text(v, k))
                .collect::<Vec<_>>()
                .join(" · ");
            (node.clone(), line)
        })
        .collect();
    let from = o.trace.partition_point(|e| e.at_ms + 1_000 <= t_ms);
    let to = o.trace.partition_point(|e| e.at_ms <= t_ms);
    let failing = o.trace[from..to.max(from)]
        .iter()
        .filter(|e| {
            matches!(
                e.code,
                "LAMBDA_ERROR"
                    | "LAMBDA_THROTTLED"
                    | "SQS_MOVED_TO_DLQ"
                    | "LAMBDA_RECURSIVE_LOOP_STOPPED"
                    | "ESM_THROTTLED"
                    | "SQS_SEND_REFUSED"
                    | "DYNAMODB_THROTTLED"
                    | "DYNAMODB_CONDITION_FAILED"
                    | "DYNAMODB_REFUSED"
                    | "DYNAMODB_UNPROCESSED"
                    | "DYNAMODB_TRANSACTION_CANCELED"
                    | "STREAM_RETRY"
                    | "STREAM_RECORDS_DISCARDED"
                    | "APIGW_SERVER_ERROR"
            )
        })
        .map(|e| e.actor.clone())
        .collect();
    Frame {
        tokens,
        counts,
        counters,
        failing,
        ..Default::default()
    }
}

type Rect = (f64, f64, f64, f64);

/// The diagram's columns, left to right.
const COLUMNS: [&str; 4] = [
    "Script",
    "APIs, buckets, topics, tables",
    "Queues",
    "Functions",
];

fn positions(nodes: &[Node]) -> BTreeMap<String, Rect> {
    let mut rows = [0usize; COLUMNS.len()];
    let mut out = BTreeMap::new();
    for n in nodes {
        let row = rows[n.column];
        rows[n.column] += 1;
        let x = LEFT + n.column as f64 * COL_W;
        let y = TOP + row as f64 * (NODE_H + GAP);
        out.insert(n.id.clone(), (x, y, NODE_W, NODE_H));
    }
    out
}

/// The cubic Bézier of an edge: from the right side of `a` to the left side of `b`; an edge
/// back to the same or an earlier column loops below.
fn curve(a: Rect, b: Rect) -> [(f64, f64); 4] {
    let (ax, ay) = (a.0 + a.2, a.1 + a.3 / 2.0);
    let (bx, by) = (b.0, b.1 + b.3 / 2.0);
    if bx > ax {
        let dx = (bx - ax) / 2.0;
        [(ax, ay), (ax + dx, ay), (bx - dx, by), (bx, by)]
    } else if (a.0 - b.0).abs() < 1.0 {
        // The same column (a queue and its dead-letter queue): out of the right side and
        // back into it, bulging right.
        let (ex, ey) = (b.0 + b.2, b.1 + b.3 / 2.0);
        [(ax, ay), (ax + 45.0, ay), (ex + 45.0, ey), (ex, ey)]
    } else {
        // Back: leave from the bottom, come in at the bottom.
        let (sx, sy) = (a.0 + a.2 / 2.0, a.1 + a.3);
        let (ex, ey) = (b.0 + b.2 / 2.0, b.1 + b.3);
        let low = sy.max(ey) + 40.0;
        [(sx, sy), (sx, low), (ex, low), (ex, ey)]
    }
}

fn at(c: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    (
        c.iter().zip(w).map(|(p, w)| p.0 * w).sum(),
        c.iter().zip(w).map(|(p, w)| p.1 * w).sum(),
    )
}

/// The label a kind of resource shows first.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "bucket" => "S3 bucket",
        "topic" => "SNS topic",
        "queue" => "SQS queue",
        "function" => "Lambda function",
        "table" => "DynamoDB table",
        "api" => "API Gateway REST API",
        _ => "Scenario",
    }
}

/// The diagram in two layers over the same drawing area: `base`, what changes only with the
/// scenario and the selection (columns, edges, shapes and names; the resources are the
/// focusable, clickable `g[data-node]`), and `live`, what moves with the clock (tokens,
/// counters, failure and picked-out outlines, the picked-out edges). The page keeps `base`
/// and redraws only `live` on each frame of playback, laid over it.
pub struct Layers {
    pub base: String,
    pub live: String,
    pub width: f64,
    pub height: f64,
}

/// Both layers of the diagram. `selected` outlines a resource.
pub fn layers(s: &Scenario, frame: &Frame, selected: &str) -> Layers {
    let (nodes, edges) = graph(s);
    let pos = positions(&nodes);
    let width = LEFT * 2.0 + (COLUMNS.len() - 1) as f64 * COL_W + NODE_W;
    let lowest = pos.values().map(|r| r.1 + r.3).fold(TOP + NODE_H, f64::max);
    let height = lowest + 80.0;
    let open = |class: &str, extra: &str| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" class="{class}" {extra}>"#
        )
    };
    let mut base = open("flow-diagram", r#"role="group" aria-label="Flow diagram""#);
    base.push_str(STYLE);
    base.push_str(&base_layer(&nodes, &edges, &pos, selected));
    base.push_str("</svg>");
    let mut live = open("flow-diagram flow-live", r#"aria-hidden="true""#);
    live.push_str(&live_layer(&nodes, &edges, &pos, frame));
    live.push_str("</svg>");
    Layers {
        base,
        live,
        width,
        height,
    }
}

/// The diagram as one SVG (the export): both layers in one drawing.
pub fn draw(
    s: &Scenario,
    frame: &Frame,
    selected: &str,
) -> crate::core::views::vpc::layout::Diagram {
    let (nodes, edges) = graph(s);
    let pos = positions(&nodes);
    let l = layers(s, frame, selected);
    let mut o = l.base;
    o.truncate(o.len() - "</svg>".len());
    o.push_str(&live_layer(&nodes, &edges, &pos, frame));
    o.push_str("</svg>");
    crate::core::views::vpc::layout::Diagram {
        svg: o,
        width: l.width,
        height: l.height,
    }
}

fn edge_d(c: &[(f64, f64); 4]) -> String {
    format!(
        "M{:.0},{:.0} C{:.0},{:.0} {:.0},{:.0} {:.0},{:.0}",
        c[0].0, c[0].1, c[1].0, c[1].1, c[2].0, c[2].1, c[3].0, c[3].1
    )
}

fn base_layer(
    nodes: &[Node],
    edges: &[Edge],
    pos: &BTreeMap<String, Rect>,
    selected: &str,
) -> String {
    let mut o = String::new();
    for (k, title) in COLUMNS.iter().enumerate() {
        let _ = write!(
            o,
            r#"<text class="col" x="{:.0}" y="22">{title}</text>"#,
            LEFT + k as f64 * COL_W
        );
    }
    for e in edges {
        let (Some(a), Some(b)) = (pos.get(&e.from), pos.get(&e.to)) else {
            continue;
        };
        let _ = write!(
            o,
            r#"<path class="edge {}" data-from="{}" data-to="{}" d="{}" marker-end="url(#flow-arrow)"><title>{}</title></path>"#,
            e.kind,
            esc(&e.from),
            esc(&e.to),
            edge_d(&curve(*a, *b)),
            esc(&format!("{} → {} ({})", e.from, e.to, e.kind))
        );
    }
    for n in nodes {
        let (x, y, w, h) = pos[&n.id];
        let mut class = format!("node {}", n.kind);
        if n.id == selected {
            class.push_str(" selected");
        }
        let _ = write!(
            o,
            r#"<g class="{class}" data-node="{}" tabindex="0" role="button" aria-label="{}"><rect x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="8"/>"#,
            esc(&n.id),
            esc(&format!("{} {}", kind_label(n.kind), n.name))
        );
        let _ = write!(
            o,
            r#"<text class="kind" x="{:.0}" y="{:.0}">{}</text><text class="name" x="{:.0}" y="{:.0}">{}</text></g>"#,
            x + 10.0,
            y + 15.0,
            kind_label(n.kind),
            x + 10.0,
            y + 32.0,
            esc(&fit(&n.name, w - 20.0, 14.0, true))
        );
    }
    o
}

fn live_layer(
    nodes: &[Node],
    edges: &[Edge],
    pos: &BTreeMap<String, Rect>,
    frame: &Frame,
) -> String {
    let mut o = String::new();
    for e in edges
        .iter()
        .filter(|e| frame.lit_edges.contains(&(e.from.clone(), e.to.clone())))
    {
        let (Some(a), Some(b)) = (pos.get(&e.from), pos.get(&e.to)) else {
            continue;
        };
        let _ = write!(
            o,
            r#"<path class="lit {}" data-from="{}" data-to="{}" d="{}"/>"#,
            e.kind,
            esc(&e.from),
            esc(&e.to),
            edge_d(&curve(*a, *b))
        );
    }
    for n in nodes {
        let (x, y, w, h) = pos[&n.id];
        for (set, class) in [(&frame.failing, "failing"), (&frame.lit_nodes, "lit")] {
            if set.contains(&n.id) {
                let _ = write!(
                    o,
                    r#"<rect class="outline {class}" data-node="{}" x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="8"/>"#,
                    esc(&n.id)
                );
            }
        }
        let Some(line) = frame.counts.get(&n.id) else {
            continue;
        };
        // Two lines of counters: as many as fit on the first, the rest on the second.
        let parts: Vec<&str> = line.split(" · ").collect();
        let mut first = String::new();
        let mut k = 0;
        while k < parts.len() {
            let next = if first.is_empty() {
                parts[k].to_string()
            } else {
                format!("{first} · {}", parts[k])
            };
            if crate::core::views::vpc::layout::text_px(&next, 11.0, false) > w - 20.0
                && !first.is_empty()
            {
                break;
            }
            first = next;
            k += 1;
        }
        let second = parts[k..].join(" · ");
        for (j, text) in [first, second]
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
        {
            let _ = write!(
                o,
                r#"<text class="count" data-node="{}" x="{:.0}" y="{:.0}">{}</text>"#,
                esc(&n.id),
                x + 10.0,
                y + 49.0 + j as f64 * 14.0,
                esc(&fit(text, w - 20.0, 11.0, false))
            );
        }
    }
    for (from, to, p, code) in &frame.tokens {
        let (Some(a), Some(b)) = (pos.get(from), pos.get(to)) else {
            continue;
        };
        let (tx, ty) = at(&curve(*a, *b), p.clamp(0.0, 1.0));
        let bad = matches!(*code, "SQS_MOVED_TO_DLQ");
        let _ = write!(
            o,
            r#"<circle class="token{}" cx="{tx:.1}" cy="{ty:.1}" r="6"/>"#,
            if bad { " bad" } else { "" },
        );
    }
    o
}

const STYLE: &str = r##"<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path class="head" d="M0,0 L10,5 L0,10 z"/></marker></defs><style>
.flow-diagram text{font:13px system-ui,sans-serif;fill:var(--text,#111827)}
.flow-diagram .col{font-size:12px;font-weight:600;fill:var(--muted,#4a5568)}
.flow-diagram .kind{font-size:11px;fill:var(--muted,#4a5568)}
.flow-diagram .name{font-size:14px;font-weight:700}
.flow-diagram .count{font-size:11px;fill:var(--muted,#4a5568)}
.flow-diagram .node rect{fill:var(--surface,#fff);stroke-width:2}
.flow-diagram .bucket rect{stroke:#16a34a}.flow-diagram .topic rect{stroke:#db2777}
.flow-diagram .queue rect{stroke:#d97706}.flow-diagram .table rect{stroke:#2563eb}.flow-diagram .api rect{stroke:#0891b2}.flow-diagram .function rect{stroke:#9333ea;fill:var(--surface-2,#eef1f7)}
.flow-diagram .scenario rect{stroke:var(--muted,#4a5568);stroke-dasharray:4 3}
.flow-diagram .outline{fill:none;stroke-width:4}.flow-diagram .outline.failing{stroke:var(--danger,#b91c1c)}
.flow-diagram .outline.lit{stroke:var(--path,#0f766e);stroke-width:5}
.flow-live{pointer-events:none}
.flow-diagram .node.selected rect{stroke:var(--text,#111827);stroke-width:4;stroke-dasharray:8 4}
.flow-diagram g.node:focus{outline:none}.flow-diagram g.node:focus-visible rect{stroke:var(--focus,#1d4ed8);stroke-width:5;stroke-dasharray:none}
.flow-diagram .edge{fill:none;stroke:var(--border,#94a3b8);stroke-width:2}
.flow-diagram .edge.redrive,.flow-diagram .edge.destination{stroke-dasharray:6 4}
.flow-diagram path.lit{fill:none;stroke:var(--path,#0f766e);stroke-width:5}
.flow-diagram path.lit.redrive,.flow-diagram path.lit.destination{stroke-dasharray:6 4}
.flow-diagram .head{fill:var(--border,#94a3b8)}
.flow-diagram .token{fill:var(--path,#0f766e);stroke:var(--surface,#fff);stroke-width:2}
.flow-diagram .token.bad{fill:var(--danger,#b91c1c)}
.flow-diagram [data-node]{cursor:pointer}
</style>"##;

/// Colours of the chart's lines, in queue order (then again).
const LINE_COLOURS: [&str; 6] = [
    "#2563eb", "#d97706", "#16a34a", "#db2777", "#7c3aed", "#0891b2",
];

/// One line of a chart over the run: its name, its points (time ms, value) in time order,
/// and an optional limit drawn dashed in the line's colour (a reserved concurrency).
pub struct Series {
    pub name: String,
    pub points: Vec<(u64, f64)>,
    pub limit: Option<f64>,
}

/// Lines over the run as an SVG chart: axes from 0 to the largest value (or limit) and from
/// 0 to `end_ms`, a legend under it (four names a row). `label` is the chart's accessible
/// name. The shown moment is a dashed line placed by the CSS variable `--now` (0 to 1, set
/// on an ancestor), so playback moves it without drawing the chart again.
pub fn line_chart(series: &[Series], end_ms: u64, label: &str) -> String {
    const W: f64 = 640.0;
    const L: f64 = 44.0;
    const R: f64 = 16.0;
    const T: f64 = 14.0;
    const B: f64 = 40.0;
    let rows = series.len().div_ceil(4).max(1);
    let h = 190.0 + (rows - 1) as f64 * 16.0;
    let bottom = h - B - (rows - 1) as f64 * 16.0;
    let y_max = series
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1).chain(l.limit))
        .fold(1.0, f64::max)
        .ceil();
    let end = end_ms.max(1) as f64;
    let x = |ms: u64| L + (W - L - R) * ms.min(end_ms) as f64 / end;
    let y = |v: f64| T + (bottom - T) * (1.0 - v / y_max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W:.0} {h:.0}" class="flow-chart" role="img" aria-label="{}">"#,
        esc(label)
    );
    s.push_str("<style>.flow-chart text{font:11px system-ui,sans-serif;fill:var(--muted,#4a5568)}.flow-chart .axis{stroke:var(--border,#94a3b8)}.flow-chart .now{stroke:var(--path,#0f766e);stroke-width:2;stroke-dasharray:4 3}</style>");
    let _ = write!(
        s,
        r#"<path class="axis" d="M{L:.0},{T:.0} V{bottom:.0} H{:.0}" fill="none"/>"#,
        W - R
    );
    for (v, text) in [(0.0, "0".to_string()), (y_max, format!("{y_max:.0}"))] {
        let _ = write!(
            s,
            r#"<text x="{:.0}" y="{:.0}" text-anchor="end">{text}</text>"#,
            L - 6.0,
            y(v) + 4.0
        );
    }
    for ms in [0, end_ms / 2, end_ms] {
        let _ = write!(
            s,
            r#"<text x="{:.0}" y="{:.0}" text-anchor="middle">{:.0} s</text>"#,
            x(ms),
            bottom + 14.0,
            ms as f64 / 1000.0
        );
    }
    for (k, line) in series.iter().enumerate() {
        let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
        let points: Vec<String> = line
            .points
            .iter()
            .map(|(at, v)| format!("{:.1},{:.1}", x(*at), y(*v)))
            .collect();
        // A dash pattern as well as a colour, so lines on the same values stay apart.
        let dash = ["", "8 4", "3 3", "12 4 3 4", "2 6", "16 6"][k % 6];
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2"{} points="{}"><title>{}</title></polyline>"#,
            if dash.is_empty() {
                String::new()
            } else {
                format!(r#" stroke-dasharray="{dash}""#)
            },
            points.join(" "),
            esc(&line.name)
        );
        if let Some(limit) = line.limit {
            let _ = write!(
                s,
                r#"<line class="limit" x1="{L:.0}" x2="{:.0}" y1="{2:.1}" y2="{2:.1}" stroke="{colour}" stroke-dasharray="2 4"><title>{}</title></line>"#,
                W - R,
                y(limit),
                esc(&format!("{}: limit {limit:.0}", line.name))
            );
        }
        let lx = L + (k % 4) as f64 * 150.0;
        let ly = bottom + 32.0 + (k / 4) as f64 * 16.0;
        let _ = write!(
            s,
            r#"<line x1="{lx:.0}" x2="{x2:.0}" y1="{ym:.0}" y2="{ym:.0}" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/><text x="{tx:.0}" y="{ly:.0}">{name}</text>"#,
            x2 = lx + 14.0,
            ym = ly - 4.0,
            tx = lx + 18.0,
            name = esc(&fit(&line.name, 124.0, 11.0, false))
        );
    }
    let _ = write!(
        s,
        r#"<line class="now" x1="{L:.0}" x2="{L:.0}" y1="{T:.0}" y2="{bottom:.0}" style="transform:translateX(calc(var(--now,0) * {:.0}px))"/>"#,
        W - L - R
    );
    s.push_str("</svg>");
    s
}

/// Where the shown moment is along a chart's time axis, 0 to 1 (the `--now` variable).
pub fn now_fraction(o: &Outcome, t_ms: u64) -> f64 {
    t_ms.min(o.end_ms) as f64 / o.end_ms.max(1) as f64
}

/// Each queue's messages (visible + in flight + delayed) over the run.
pub fn depth_chart(o: &Outcome) -> String {
    let queues: Vec<String> = o
        .samples
        .first()
        .map(|(_, d)| d.iter().map(|q| q.0.clone()).collect())
        .unwrap_or_default();
    let series: Vec<Series> = queues
        .iter()
        .enumerate()
        .map(|(k, q)| Series {
            name: q.clone(),
            points: o
                .samples
                .iter()
                .filter_map(|(at, d)| d.get(k).map(|q| (*at, (q.1 + q.2 + q.3) as f64)))
                .collect(),
            limit: None,
        })
        .collect();
    line_chart(&series, o.end_ms, "Messages in each queue over time")
}

/// Each function's concurrent executions over the run (+1 at each start, −1 at each end or
/// error): the most at once in each sample interval of the run (`o.sample_ms`), so a chart
/// has about 300 points whatever the traffic and no peak is lost; a reserved concurrency
/// is its line's limit. One pass over the trace.
pub fn concurrency_series(s: &Scenario, o: &Outcome) -> Vec<Series> {
    let step = o.sample_ms.max(1);
    let buckets = (o.end_ms / step) as usize + 1;
    let index: BTreeMap<String, usize> = s
        .functions
        .iter()
        .enumerate()
        .map(|(k, f)| (format!("function {}", f.name), k))
        .collect();
    let mut now = vec![0i64; s.functions.len()];
    let mut peak = vec![vec![0i64; buckets]; s.functions.len()];
    let mut last = vec![0usize; s.functions.len()];
    for e in &o.trace {
        let delta = match e.code {
            "LAMBDA_START" => 1,
            "LAMBDA_END" | "LAMBDA_ERROR" => -1,
            _ => continue,
        };
        let Some(&k) = index.get(&e.actor) else {
            continue;
        };
        let b = ((e.at_ms / step) as usize).min(buckets - 1);
        // The level carries over the intervals with no change.
        for p in peak[k].iter_mut().take(b + 1).skip(last[k] + 1) {
            *p = now[k];
        }
        now[k] = (now[k] + delta).max(0);
        peak[k][b] = peak[k][b].max(now[k]);
        last[k] = b;
    }
    s.functions
        .iter()
        .enumerate()
        .map(|(k, f)| {
            for p in peak[k].iter_mut().skip(last[k] + 1) {
                *p = now[k];
            }
            Series {
                name: f.name.clone(),
                points: peak[k]
                    .iter()
                    .enumerate()
                    .map(|(b, v)| ((b as u64 * step).min(o.end_ms), *v as f64))
                    .collect(),
                limit: f.reserved_concurrency.map(f64::from),
            }
        })
        .collect()
}

/// The functions' concurrency chart and, for screen readers and the caption, each
/// function's peak ("encoder: at most 2 at once (reserved 2)").
pub fn concurrency_chart(s: &Scenario, o: &Outcome) -> (String, Vec<String>) {
    let series = concurrency_series(s, o);
    let peaks = series
        .iter()
        .map(|l| {
            let peak = l.points.iter().map(|p| p.1).fold(0.0, f64::max);
            match l.limit {
                Some(r) => format!("{}: at most {peak:.0} at once (reserved {r:.0})", l.name),
                None => format!("{}: at most {peak:.0} at once", l.name),
            }
        })
        .collect();
    (
        line_chart(
            &series,
            o.end_ms,
            "Concurrent executions of each function over the run",
        ),
        peaks,
    )
}

/// The architecture as Mermaid `architecture-beta` text (services in the account group,
/// the script outside, edges from the wiring).
pub fn mermaid(s: &Scenario) -> String {
    let (nodes, edges) = graph(s);
    let id = |n: &str| -> String {
        n.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    let title = |t: &str| -> String {
        t.chars()
            .filter(|c| !matches!(c, '[' | ']' | '(' | ')' | ':' | '"'))
            .collect()
    };
    // Ids made unique (`queue a-b` and `queue a_b` would both read `queue_a_b`).
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for n in &nodes {
        let base = id(&n.id);
        let mut name = base.clone();
        let mut k = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}_{k}");
            k += 1;
        }
        ids.insert(n.id.clone(), name);
    }
    let mut out =
        String::from("architecture-beta\n    group account(cloud)[Account 111122223333]\n");
    for n in &nodes {
        let icon = match n.kind {
            "bucket" => "disk",
            "queue" | "topic" | "table" => "database",
            "api" => "internet",
            "function" => "server",
            _ => "internet",
        };
        let group = if n.kind == "scenario" {
            ""
        } else {
            " in account"
        };
        let _ = writeln!(
            out,
            "    service {}({icon})[{} {}]{group}",
            ids[&n.id],
            kind_label(n.kind),
            title(&n.name)
        );
    }
    // Only edges between declared services (a handler may name a resource that does not
    // exist; a function may be its own destination).
    for e in edges.iter().filter(|e| e.from != e.to) {
        if let (Some(a), Some(b)) = (ids.get(&e.from), ids.get(&e.to)) {
            let _ = writeln!(out, "    {a}:R --> L:{b}");
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::templates::scenario;
    use super::*;

    #[test]
    fn the_wiring_becomes_edges_and_the_run_moves_along_them() {
        let s = scenario("dlq");
        let (nodes, edges) = graph(&s);
        assert_eq!(nodes.len(), 1 + 2 + 1);
        let kinds: Vec<(&str, &str, &str)> = edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
            .collect();
        assert!(kinds.contains(&("queue orders", "queue orders-dlq", "redrive")));
        assert!(kinds.contains(&("queue orders", "function worker", "mapping")));
        assert!(kinds.contains(&("scenario", "queue orders", "action")));
        let o = s.run().unwrap();
        // At 90 s the poison message is moving to the DLQ, drawn as a red token.
        let moved = o.moves.iter().find(|m| m.to == "queue orders-dlq").unwrap();
        let f = frame_at(&o, moved.at_ms + 100);
        assert!(f
            .tokens
            .iter()
            .any(|t| t.1 == "queue orders-dlq" && t.3 == "SQS_MOVED_TO_DLQ"));
        assert!(f.failing.contains("queue orders"));
        let d = draw(&s, &f, "function worker");
        // The base layer does not move with the clock; the live one does.
        let (l1, l2) = (
            layers(&s, &f, "function worker"),
            layers(&s, &frame_at(&o, 1_000), "function worker"),
        );
        assert_eq!(l1.base, l2.base);
        assert_ne!(l1.live, l2.live);
        assert!(l1
            .live
            .contains(r#"class="outline failing" data-node="queue orders""#));
        assert!(d.svg.contains(r#"class="token bad""#));
        assert!(d
            .svg
            .contains(r#"<g class="node function selected" data-node="function worker""#));
        assert_eq!(count_text(1, "invocations"), "1 invocation");
        assert_eq!(count_text(2, "throttles"), "2 throttled attempts");
        assert_eq!(count_text(1, "in flight"), "1 in flight");
        let later = frame_at(&o, moved.at_ms + 1_100);
        assert!(
            later.counts["queue orders-dlq"].starts_with("1 moved in · 1 visible"),
            "{:?}",
            later.counts
        );
        let chart = depth_chart(&o);
        assert!(chart.contains("<title>orders-dlq</title>") && chart.contains(r#"class="now""#));
        let m = mermaid(&s);
        assert!(m.starts_with("architecture-beta\n"));
        assert!(m.contains("service queue_orders_dlq(database)[SQS queue orders-dlq] in account"));
        assert!(m.contains("queue_orders:R --> L:queue_orders_dlq"));
    }

    /// The throttle lesson's chart: the encoder never runs more than its reserved 2 at once,
    /// reaches 2, and ends at 0; every start has its end.
    #[test]
    fn concurrency_stays_under_the_reserved_limit() {
        let s = scenario("throttle");
        let o = s.run().unwrap();
        let series = concurrency_series(&s, &o);
        let encoder = series.iter().find(|l| l.name == "encoder").unwrap();
        assert_eq!(encoder.limit, Some(2.0));
        let peak = encoder.points.iter().map(|p| p.1).fold(0.0, f64::max);
        assert_eq!(peak, 2.0);
        assert_eq!(encoder.points.last().unwrap().1, 0.0);
        assert!(encoder.points.windows(2).all(|w| w[0].0 <= w[1].0));
        let (chart, peaks) = concurrency_chart(&s, &o);
        assert!(chart.contains(r#"class="limit""#) && chart.contains("<title>encoder</title>"));
        assert_eq!(peaks, vec!["encoder: at most 2 at once (reserved 2)"]);
        // About 300 points, however many invocations.
        assert!(encoder.points.len() <= 302, "{}", encoder.points.len());
        // Seven queues make two legend rows, none on top of another.
        let many: Vec<Series> = (0..7)
            .map(|k| Series {
                name: format!("q{k}"),
                points: vec![(0, 1.0)],
                limit: None,
            })
            .collect();
        let c = line_chart(&many, 1_000, "x");
        assert!(c.contains(r#"viewBox="0 0 640 206""#), "{c}");
    }
}

/// The node ids of the tables a batch or a transaction names (its JSON parameter, templates
/// filled; a templated table name is no node).
fn call_tables(call: &crate::core::services::dynamodb::request::Request) -> Vec<String> {
    call.filled()
        .tables()
        .into_iter()
        .filter(|t| !t.contains('*'))
        .map(|t| format!("table {t}"))
        .collect()
}
