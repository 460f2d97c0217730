use super::*;
use crate::core::views::flow::templates::{scenario, TEMPLATES};

#[test]
fn every_template_runs_without_a_denial_except_the_lab() {
    for (id, _, _) in TEMPLATES {
        let o = scenario(id).run().unwrap();
        if *id == "denied" {
            assert!(!o.denials.is_empty(), "the lab shows a denial");
        } else {
            assert!(o.denials.is_empty(), "{id}: {:?}", o.denials.first());
        }
    }
}

#[test]
fn each_role_is_allowed_exactly_its_calls() {
    let s = scenario("photo");
    let labeler = s.functions.iter().find(|f| f.name == "labeler").unwrap();
    assert_eq!(labeler.role, "labeler-role");
    let role = s
        .identities
        .iter()
        .find(|i| i.name == "labeler-role")
        .unwrap();
    let policy: Value = serde_json::from_str(&role.policies[0].text).unwrap();
    assert_eq!(
        policy["Statement"],
        json!([{"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "arn:aws:s3:::photos/*"}])
    );
    // S3 may invoke the function, for this bucket only.
    let fpolicy: Value = serde_json::from_str(labeler.policy.as_deref().unwrap()).unwrap();
    assert_eq!(
        fpolicy["Statement"][0]["Principal"]["Service"],
        "s3.amazonaws.com"
    );
    assert_eq!(
        fpolicy["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:s3:::photos"
    );
}

#[test]
fn granting_twice_changes_nothing() {
    let mut s = scenario("fanout");
    let once = s.clone();
    least_privilege(&mut s);
    assert_eq!(s, once);
}

#[test]
fn removing_a_grant_denies_the_call_with_the_evaluator_reason() {
    let mut s = scenario("orders");
    let role = s
        .identities
        .iter_mut()
        .find(|i| i.name == "writer-role")
        .unwrap();
    role.policies[0].text = role.policies[0]
        .text
        .replace("dynamodb:PutItem", "dynamodb:GetItem");
    let o = s.run().unwrap();
    let d = o.denials.first().expect("the PutItem is denied");
    assert_eq!(d.action, "dynamodb:PutItem");
    assert!(d
        .message
        .contains("because no identity-based policy allows the dynamodb:PutItem action"));
    // The run fails with the service's error code, as an uncaught SDK exception.
    assert!(o
        .trace
        .iter()
        .any(|e| e.code == "LAMBDA_ERROR" && e.text.contains("AccessDeniedException")));
    assert!(o
        .trace
        .iter()
        .any(|e| e.code == "IAM_DENIED" && e.actor == "table orders"));
}

#[test]
fn a_queue_without_a_policy_loses_what_sns_sends() {
    let mut s = scenario("fanout");
    for q in &mut s.queues {
        q.policy = None;
    }
    let o = s.run().unwrap();
    assert!(!o.denials.is_empty());
    assert!(o.trace.iter().all(|e| e.code != "SQS_ENQUEUED"));
    let failed = o
        .trace
        .iter()
        .find(|e| e.code == "SNS_DELIVERY_FAILED")
        .unwrap();
    assert!(failed.text.contains("does not retry"), "{}", failed.text);
}

#[test]
fn an_older_link_is_upgraded_to_run_as_before() {
    use crate::core::views::flow::state::{from_query, FlowState};
    // A scenario saved before IAM: no roles, no policies.
    let mut old = scenario("fanout");
    old.identities.clear();
    for q in &mut old.queues {
        q.policy = None;
    }
    for f in &mut old.functions {
        f.role.clear();
        f.policy = None;
    }
    let state = FlowState {
        template: "fanout".into(),
        scenario: Some(old),
        ..FlowState::default()
    };
    let v1 = crate::core::share::to_query(&state, 1);
    let upgraded = from_query(&v1).unwrap();
    let o = upgraded.scenario().run().unwrap();
    assert!(o.denials.is_empty());
    assert_eq!(
        o.counters,
        scenario("fanout").run().unwrap().counters,
        "the upgraded scenario runs as the template does"
    );
}

#[test]
fn the_lab_denies_get_item_and_the_api_answers_502() {
    let o = scenario("denied").run().unwrap();
    let statuses: Vec<Option<u16>> = o.api_calls.iter().take(4).map(|c| c.status).collect();
    // POST 201, POST again 409, GET denied → 502, GET of a missing order denied → 502.
    assert_eq!(statuses, vec![Some(201), Some(409), Some(502), Some(502)]);
    let d = &o.denials[0];
    assert_eq!(d.action, "dynamodb:GetItem");
    assert_eq!(
        d.message,
        "User: arn:aws:sts::111122223333:assumed-role/get-order-role/get-order is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table/orders because no identity-based policy allows the dynamodb:GetItem action"
    );
    let state = o.access.iam_state(d);
    assert!(state.identity[0].text.contains("dynamodb:Query"));
    assert!(
        crate::core::iam::state::from_query(&crate::core::iam::state::to_query(&state)).is_ok()
    );
}

#[test]
fn role_names_stay_within_iam_limits_and_are_never_reused() {
    use crate::core::views::flow::edit::{apply, Edit};
    let long = "f".repeat(64);
    let s = scenario("empty");
    let (s, _) = apply(&s, &Edit::CreateFunction { name: long.clone() }).unwrap();
    let role = &s.functions[0].role;
    assert_eq!(role.len(), 64);
    assert!(role.ends_with("-role"));
    assert!(s.run().is_ok(), "the 64-character function builds");
    // A deleted function leaves its role (as AWS does); a new function of the same name gets
    // a fresh one, without the old one's permissions.
    let (s, _) = apply(
        &s,
        &Edit::Delete {
            node: format!("function {long}"),
        },
    )
    .unwrap();
    let (s, _) = apply(&s, &Edit::CreateFunction { name: long.clone() }).unwrap();
    assert!(
        s.functions[0].role.ends_with("-role-2"),
        "{}",
        s.functions[0].role
    );
    assert!(s.functions[0].role.len() <= 64);
}

#[test]
fn build_edits_say_what_they_granted() {
    use crate::core::views::flow::edit::{apply, Edit};
    let s = scenario("empty");
    let (s, _) = apply(
        &s,
        &Edit::CreateQueue {
            name: "orders".into(),
            fifo: false,
        },
    )
    .unwrap();
    let (s, _) = apply(
        &s,
        &Edit::CreateFunction {
            name: "worker".into(),
        },
    )
    .unwrap();
    let mapping = crate::core::flow::Mapping {
        queue: "orders".into(),
        function: "worker".into(),
        ..Default::default()
    };
    let (s, said) = apply(&s, &Edit::CreateEventSourceMapping { mapping }).unwrap();
    assert!(
        said.ends_with("Granted role worker-role sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage on queue orders."),
        "{said}"
    );
    // An IAM edit changes only what it says: taking the grant away is not undone later.
    let (s, _) = apply(
        &s,
        &Edit::PutIdentityPolicy {
            kind: IdentityKind::Role,
            identity: "worker-role".into(),
            name: "worker-access".into(),
            document: r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
        },
    )
    .unwrap();
    let (_, said) = apply(
        &s,
        &Edit::SetRun {
            horizon_ms: 30_000,
            seed: 2,
        },
    )
    .unwrap();
    assert!(!said.contains("Granted"), "{said}");
}

/// The flow page's PutRolePolicy follows IAM: a new name must be a valid policy name, an
/// AWS managed policy (named by its ARN, attached in the console) is not edited, and a
/// role's inline policies stay within 10,240 characters.
#[test]
fn identity_policies_follow_iams_rules() {
    use crate::core::views::flow::edit::{apply, Edit};
    let s = crate::core::views::flow::templates::scenario("photo");
    let put = |name: &str, document: &str| Edit::PutIdentityPolicy {
        kind: IdentityKind::Role,
        identity: "labeler-role".into(),
        name: name.into(),
        document: document.into(),
    };
    let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let e = apply(&s, &put("has space", doc)).unwrap_err();
    assert!(
        format!("{e:?}").contains("not a valid policy name"),
        "{e:?}"
    );
    let e = apply(&s, &put("arn:aws:iam::aws:policy/ReadOnlyAccess", doc)).unwrap_err();
    assert!(format!("{e:?}").contains("AWS managed policy"), "{e:?}");
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{}/*"}}]}}"#,
        "b".repeat(10_300)
    );
    let e = apply(&s, &put("big", &big)).unwrap_err();
    assert!(
        format!("{e:?}").contains(
            "LimitExceeded: Maximum policy size of 10240 bytes exceeded for role labeler-role"
        ),
        "{e:?}"
    );
    apply(&s, &put("extra", doc)).unwrap();
    // Names are unique regardless of case.
    let e = apply(
        &s,
        &Edit::CreateIdentity {
            kind: IdentityKind::User,
            name: "Labeler-Role".into(),
        },
    )
    .unwrap_err();
    assert!(
        format!("{e:?}").contains("a role or user named labeler-role already exists"),
        "{e:?}"
    );
}

#[test]
fn resources_are_named_as_the_page_names_them() {
    assert_eq!(
        short("arn:aws:sqs:us-east-1:111122223333:orders"),
        "queue orders"
    );
    assert_eq!(short("arn:aws:s3:::photos/*"), "objects of bucket photos");
    assert_eq!(
        short(&crate::core::flow::stream_arn("orders")),
        "the stream of table orders"
    );
    assert_eq!(
        short("arn:aws:lambda:us-east-1:111122223333:function:f"),
        "function f"
    );
    assert_eq!(short("*"), "*");
}

#[test]
fn policies_read_as_aws_writes_them() {
    let s = scenario("orders");
    let role = s
        .identities
        .iter()
        .find(|i| i.name == "writer-role")
        .unwrap();
    assert_eq!(
        role.policies[0].text,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"dynamodb:PutItem\"],\n      \"Resource\": \"arn:aws:dynamodb:us-east-1:111122223333:table/orders\"\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"sqs:DeleteMessage\", \"sqs:GetQueueAttributes\", \"sqs:ReceiveMessage\"],\n      \"Resource\": \"arn:aws:sqs:us-east-1:111122223333:orders-in\"\n    }\n  ]\n}"
    );
    // The text is the same policy.
    let v: Value = serde_json::from_str(&role.policies[0].text).unwrap();
    assert_eq!(policy_text(&v), role.policies[0].text);
}

#[test]
fn a_query_on_an_index_is_granted_and_authorized_on_the_index_arn() {
    use crate::core::views::flow::scenario::Scenario;
    let mut s: Scenario = serde_json::from_value(json!({
        "tables": [{
            "name": "orders",
            "partition_key": {"name": "id", "type": "S"},
            "billing": {"mode": "OnDemand"},
            "global_secondary_indexes": [{
                "name": "by-customer",
                "partition_key": {"name": "customer", "type": "S"},
                "projection": {"type": "All"}
            }]
        }],
        "functions": [{"name": "lister", "handler": {"steps": [
            {"step": "dynamodb", "call": {"operation": "Query", "table": "orders",
             "index_name": "by-customer", "key_condition": "customer = :c",
             "values": "{\":c\": \"c1\"}"}}
        ]}}],
        "actions": [
            {"at_ms": 0, "action": "dynamodb", "call": {"operation": "PutItem", "table": "orders",
             "item": "{\"id\": \"o-1\", \"customer\": \"c1\"}"}},
            {"at_ms": 1000, "action": "invoke", "function": "lister", "payload": {}}
        ],
        "horizon_ms": 5000
    }))
    .unwrap();
    least_privilege(&mut s);
    let role = &s.identities[0].policies[0].text;
    assert!(role.contains("table/orders/index/by-customer"), "{role}");
    let o = s.run().unwrap();
    assert!(o.denials.is_empty(), "{:?}", o.denials.first());
    assert!(o
        .trace
        .iter()
        .any(|e| e.code == "DYNAMODB_READ" && e.text.contains("1 item")));
    // A grant on the table alone does not cover its index.
    let text = s.identities[0].policies[0]
        .text
        .replace("/index/by-customer", "");
    s.identities[0].policies[0].text = text;
    let o = s.run().unwrap();
    assert_eq!(
        o.denials[0].resource,
        "arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/by-customer"
    );
}

#[test]
fn the_ttl_attribute_cannot_change_while_ttl_is_on() {
    use crate::core::views::flow::edit::{apply, Edit};
    let s = scenario("orders");
    let mut spec = s.tables[0].clone();
    spec.ttl_attribute = Some("expires".into());
    let (s, said) = apply(&s, &Edit::UpdateTable { spec: spec.clone() }).unwrap();
    assert!(said.contains("TTL on expires"), "{said}");
    spec.ttl_attribute = Some("ttl".into());
    let refused = apply(&s, &Edit::UpdateTable { spec: spec.clone() }).unwrap_err();
    assert!(refused.errors[0].contains("TimeToLive is active on a different AttributeName"));
    spec.ttl_attribute = None;
    let (s, _) = apply(&s, &Edit::UpdateTable { spec: spec.clone() }).unwrap();
    spec.ttl_attribute = Some("ttl".into());
    assert!(apply(&s, &Edit::UpdateTable { spec }).is_ok());
}

#[test]
fn a_role_that_may_not_receive_stops_its_mapping_once() {
    let mut s = scenario("dlq");
    for i in &mut s.identities {
        for d in &mut i.policies {
            d.text = d
                .text
                .replace("\"sqs:ReceiveMessage\"", "\"sqs:SendMessage\"");
        }
    }
    let o = s.run().unwrap();
    let stopped: Vec<_> = o.trace.iter().filter(|e| e.code == "ESM_DENIED").collect();
    assert_eq!(
        stopped.len(),
        1,
        "one denial, then the mapping stays stopped"
    );
    assert!(
        stopped[0].text.contains("may not call sqs:ReceiveMessage"),
        "{}",
        stopped[0].text
    );
    assert!(o.trace.iter().all(|e| e.code != "LAMBDA_START"));
    assert_eq!(o.denials[0].action, "sqs:ReceiveMessage");
}

#[test]
fn a_transaction_in_a_handler_is_granted_action_by_action_and_a_batch_table_by_table() {
    use crate::core::views::flow::scenario::Scenario;
    let table = |name: &str| {
        json!({"name": name, "partition_key": {"name": "id", "type": "S"},
               "billing": {"mode": "OnDemand"}})
    };
    let checkout = r#"[{"ConditionCheck": {"TableName": "stock", "Key": {"id": "widget"}, "ConditionExpression": "qty > :z", "ExpressionAttributeValues": {":z": 0}}}, {"Put": {"TableName": "orders", "Item": {"id": "o-1", "by": "{{request_id}}"}, "ConditionExpression": "attribute_not_exists(id)"}}]"#;
    let log = r#"{"log-{{stage}}": [{"PutRequest": {"Item": {"id": "{{request_id}}"}}}]}"#;
    let mut s: Scenario = serde_json::from_value(json!({
        "tables": [table("orders"), table("stock"), table("log-dev")],
        "functions": [{"name": "checkout", "handler": {"steps": [
            {"step": "dynamodb", "call": {"operation": "TransactWriteItems", "item": checkout},
             "catch": ["TransactionCanceledException"]},
            {"step": "dynamodb", "call": {"operation": "BatchWriteItem", "item": log}}
        ]}}],
        "actions": [
            {"at_ms": 0, "action": "dynamodb", "call": {"operation": "PutItem", "table": "stock",
             "item": "{\"id\": \"widget\", \"qty\": 1}"}},
            {"at_ms": 1000, "action": "invoke", "function": "checkout", "payload": {}},
            {"at_ms": 2000, "action": "invoke", "function": "checkout", "payload": {}}
        ],
        "horizon_ms": 5000
    }))
    .unwrap();
    least_privilege(&mut s);
    let role = s.identities[0].policies[0].text.clone();
    let policy: Value = serde_json::from_str(&role).unwrap();
    let granted: Vec<(String, String)> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|st| {
            let resources: Vec<String> = match &st["Resource"] {
                Value::String(r) => vec![r.clone()],
                Value::Array(a) => a.iter().map(|r| r.as_str().unwrap().to_string()).collect(),
                _ => vec![],
            };
            let actions: Vec<String> = st["Action"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            resources
                .into_iter()
                .flat_map(move |r| actions.clone().into_iter().map(move |a| (a, r.clone())))
        })
        .collect();
    let arn = |t: &str| format!("arn:aws:dynamodb:us-east-1:111122223333:table/{t}");
    let mut want = vec![
        ("dynamodb:ConditionCheckItem".to_string(), arn("stock")),
        ("dynamodb:PutItem".to_string(), arn("orders")),
        // A templated table name is granted as a wildcard.
        ("dynamodb:BatchWriteItem".to_string(), arn("log-*")),
    ];
    let mut got = granted.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{role}");
    let o = s.run().unwrap();
    assert!(o.denials.is_empty(), "{:?}", o.denials.first());
    // The second checkout repeats o-1: cancelled, caught, and the batch still runs.
    assert!(o.trace.iter().any(|e| e.code == "LAMBDA_CAUGHT"));
    assert_eq!(o.items_at("orders", 5_000).len(), 1);
    assert_eq!(
        o.items_at("log-dev", 5_000).len(),
        0,
        "the stage template is not `dev`"
    );
    // Without dynamodb:ConditionCheckItem the whole transaction is denied: no order.
    s.identities[0].policies[0].text =
        role.replace("\"dynamodb:ConditionCheckItem\"", "\"dynamodb:GetItem\"");
    let o = s.run().unwrap();
    assert_eq!(o.denials[0].action, "dynamodb:ConditionCheckItem");
    assert_eq!(o.denials[0].resource, arn("stock"));
    assert!(o.items_at("orders", 5_000).is_empty());
}

#[test]
fn a_local_index_is_made_with_its_table_queried_strongly_and_authorized_on_its_arn() {
    use crate::core::views::flow::edit::{apply, Edit};
    use crate::core::views::flow::scenario::Scenario;
    let mut s: Scenario = serde_json::from_value(json!({
        "tables": [{
            "name": "orders",
            "partition_key": {"name": "customer", "type": "S"},
            "sort_key": {"name": "id", "type": "S"},
            "billing": {"mode": "OnDemand"},
            "local_secondary_indexes": [{
                "name": "by-date",
                "sort_key": {"name": "date", "type": "S"},
                "projection": {"type": "All"}
            }]
        }],
        "functions": [{"name": "lister", "handler": {"steps": [
            {"step": "dynamodb", "call": {"operation": "Query", "table": "orders",
             "index_name": "by-date", "key_condition": "customer = :c AND #d >= :from",
             "names": {"#d": "date"}, "values": "{\":c\": \"c1\", \":from\": \"2026-01-01\"}",
             "consistent_read": true}}
        ]}}],
        "actions": [
            {"at_ms": 0, "action": "dynamodb", "call": {"operation": "PutItem", "table": "orders",
             "item": "{\"customer\": \"c1\", \"id\": \"o-1\", \"date\": \"2026-03-01\"}"}},
            {"at_ms": 0, "action": "dynamodb", "call": {"operation": "PutItem", "table": "orders",
             "item": "{\"customer\": \"c1\", \"id\": \"o-2\", \"date\": \"2025-12-31\"}"}},
            {"at_ms": 1000, "action": "invoke", "function": "lister", "payload": {}}
        ],
        "horizon_ms": 5000
    }))
    .unwrap();
    least_privilege(&mut s);
    assert!(s.identities[0].policies[0]
        .text
        .contains("table/orders/index/by-date"));
    let o = s.run().unwrap();
    assert!(o.denials.is_empty(), "{:?}", o.denials.first());
    // Strongly consistent on a local index: one whole read unit for the small page.
    let read = o.trace.iter().find(|e| e.code == "DYNAMODB_READ").unwrap();
    assert!(
        read.text.contains("1 item") && read.text.contains("ConsumedCapacity 1 RRU"),
        "{}",
        read.text
    );
    // UpdateTable cannot add, change or remove a local index.
    let mut spec = s.tables[0].clone();
    spec.local_secondary_indexes.clear();
    let refused = apply(&s, &Edit::UpdateTable { spec }).unwrap_err();
    assert!(
        refused.errors[0].contains("created with the table"),
        "{:?}",
        refused.errors
    );
    assert!(crate::core::views::flow::edit::describe_table(&s.tables[0])
        .contains("1 local secondary index"));
}
