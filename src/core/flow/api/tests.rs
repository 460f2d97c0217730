//! API Gateway in the flow engine against its documented behaviour.

use crate::core::views::flow::scenario::{Outcome, Scenario};
use serde_json::json;

/// Runs a scenario given as JSON, its roles and policies granted least privilege.
fn run(v: serde_json::Value) -> Outcome {
    let mut s = serde_json::from_value::<Scenario>(v).expect("a valid scenario");
    crate::core::views::flow::grants::least_privilege(&mut s);
    s.run().expect("the scenario builds")
}

fn statuses(o: &Outcome) -> Vec<u16> {
    o.api_calls.iter().map(|c| c.status.unwrap_or(0)).collect()
}

fn get(at_ms: u64, path: &str, key: Option<&str>) -> serde_json::Value {
    json!({"at_ms": at_ms, "action": "http_request", "api": "shop", "method": "GET",
           "path": path, "api_key": key})
}

/// The course's derived example (digest §20): 12,000 requests a second against the
/// account's 10,000 a second with a burst of 5,000. The burst lasts 2.5 s (spent at 2,000 a
/// second); from then on about 2,000 requests a second get 429.
#[test]
fn twelve_thousand_a_second_leaves_about_two_thousand_a_second_throttled() {
    let o = run(json!({
        "apis": [{"name": "shop"}],
        "actions": [{"at_ms": 0, "action": "http_request", "api": "shop", "method": "GET",
                     "path": "/nothing", "per_second": 12000, "for_seconds": 4}],
        "horizon_ms": 5_000
    }));
    assert!(!o.cut_short);
    let throttled = |from: u64, to: u64| {
        o.api_calls
            .iter()
            .filter(|c| c.status == Some(429) && (from..to).contains(&c.at_ms))
            .count()
    };
    assert_eq!(throttled(0, 2_400), 0);
    let last_second = throttled(3_000, 4_000);
    assert!((1_990..=2_010).contains(&last_second), "{last_second}");
    // What passes throttling finds no route: API Gateway's own 403.
    assert!(o
        .api_calls
        .iter()
        .filter(|c| c.status == Some(403))
        .all(|c| c.body == r#"{"message":"Missing Authentication Token"}"#));
}

const KEY: &str = "k-123-abcdefghijklmnop";

/// A method that requires an API key: without it 403 Forbidden; with it, the usage plan's
/// daily quota of 2 lets two through and answers the third 429 Limit Exceeded.
#[test]
fn api_keys_and_usage_plan_quotas() {
    let o = run(json!({
        "functions": [{"name": "list", "handler": {"steps": [
            {"step": "return", "status_code": 200, "body": "[]"}]}}],
        "apis": [{"name": "shop", "api_key": "k-123-abcdefghijklmnop",
                  "usage_plan": {"rate": 100, "burst": 100, "quota_per_day": 2},
                  "routes": [{"method": "GET", "path": "/items", "function": "list",
                              "api_key_required": true}]}],
        "actions": [get(0, "/items", None), get(100, "/items", Some("wrong")),
                    get(200, "/items", Some(KEY)), get(300, "/items", Some(KEY)),
                    get(400, "/items", Some(KEY))],
        "horizon_ms": 2_000
    }));
    assert_eq!(statuses(&o), [403, 403, 200, 200, 429]);
    assert_eq!(o.api_calls[0].body, r#"{"message":"Forbidden"}"#);
    assert_eq!(o.api_calls[4].body, r#"{"message":"Limit Exceeded"}"#);
}

/// Lambda proxy integration: a function that returns no proxy result, or fails, is a 502;
/// one Lambda refuses (reserved concurrency 0) is a 500; the query string reaches the event.
#[test]
fn proxy_integration_errors() {
    let o = run(json!({
        "functions": [
            {"name": "silent"},
            {"name": "broken", "handler": {"steps": [
                {"step": "fail", "when": "always", "error_type": "TypeError", "message": "x is undefined"}]}},
            {"name": "closed", "reserved_concurrency": 0},
            {"name": "echo", "handler": {"steps": [
                {"step": "return", "status_code": 200, "body": "{{queryStringParameters.q}} {{pathParameters.id}}"}]}}
        ],
        "apis": [{"name": "shop", "routes": [
            {"method": "GET", "path": "/silent", "function": "silent"},
            {"method": "GET", "path": "/broken", "function": "broken"},
            {"method": "GET", "path": "/closed", "function": "closed"},
            {"method": "ANY", "path": "/echo/{id}", "function": "echo"}]}],
        "actions": [get(0, "/silent", None), get(100, "/broken", None),
                    get(200, "/closed", None), get(300, "/echo/7?q=hi", None)],
        "horizon_ms": 2_000
    }));
    assert_eq!(statuses(&o), [502, 502, 500, 200]);
    assert_eq!(o.api_calls[3].body, "hi 7");
    assert!(o.api_calls[0].body.contains("Internal server error"));
}

/// The most specific resource wins, part by part, before the method; a function that ends
/// exactly at the integration timeout is too late (504); a request still waiting when the
/// run ends is listed without a status.
#[test]
fn routing_precedence_timeout_ties_and_waiting_requests() {
    let o = run(json!({
        "functions": [
            {"name": "latest", "handler": {"steps": [{"step": "return", "status_code": 200, "body": "latest"}]}},
            {"name": "one", "handler": {"steps": [{"step": "return", "status_code": 200, "body": "one"}]}},
            {"name": "tie", "timeout_s": 10, "handler": {"steps": [{"step": "run", "ms": 1000},
                {"step": "return", "status_code": 200, "body": "late"}]}},
            {"name": "slow", "timeout_s": 60, "handler": {"steps": [{"step": "run", "ms": 50000}]}}
        ],
        "apis": [{"name": "shop", "timeout_ms": 1000, "routes": [
            {"method": "GET", "path": "/orders/{id}", "function": "one"},
            {"method": "ANY", "path": "/orders/latest", "function": "latest"},
            {"method": "GET", "path": "/tie", "function": "tie"},
            {"method": "GET", "path": "/slow", "function": "slow"}]}],
        "actions": [get(0, "/orders/latest", None), get(10, "/orders/7", None),
                    get(20, "/tie", None), get(30, "/slow", None), get(40, "/nope%20x?a=1", None)],
        "horizon_ms": 1_500
    }));
    let by_path = |p: &str| o.api_calls.iter().find(|c| c.path == p).unwrap();
    assert_eq!(by_path("/orders/latest").body, "latest");
    assert_eq!(by_path("/orders/7").body, "one");
    assert_eq!(by_path("/tie").status, Some(504));
    // The slow one's 504 comes at 1,030 ms, inside the run.
    assert_eq!(by_path("/slow").status, Some(504));
    let still = run(json!({
        "functions": [{"name": "slow", "timeout_s": 60, "handler": {"steps": [{"step": "run", "ms": 50000}]}}],
        "apis": [{"name": "shop", "routes": [{"method": "GET", "path": "/slow", "function": "slow"}]}],
        "actions": [get(0, "/slow", None)],
        "horizon_ms": 5_000
    }));
    assert_eq!(still.api_calls.len(), 1);
    assert_eq!(still.api_calls[0].status, None);
}

/// A crafted link cannot schedule unbounded loads.
#[test]
fn loads_are_bounded() {
    let load = json!({"at_ms": 0, "action": "http_request", "api": "shop", "method": "GET",
                      "path": "/", "per_second": 50000, "for_seconds": 1});
    let s: Scenario = serde_json::from_value(json!({
        "apis": [{"name": "shop"}], "actions": [load.clone(), load], "horizon_ms": 2_000
    }))
    .unwrap();
    assert!(s.run().unwrap_err()[0].contains("at most 50000 in all"));
}
