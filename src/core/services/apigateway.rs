//! Amazon API Gateway REST APIs as the flow simulator runs them: resources and methods
//! with Lambda proxy integrations, throttling by token buckets (the account's 10,000
//! requests a second with a burst of 5,000, and a stage's own lower limits), API keys with
//! a usage plan (rate, burst and a daily quota), the integration timeout, and the answers
//! API Gateway gives by itself when the function cannot.
//!
//! Sources (API Gateway Developer Guide): "Throttle requests to your REST APIs" (token
//! bucket; 10,000 requests per second and a burst of 5,000 per account and Region; 429 Too
//! Many Requests), "Amazon API Gateway quotas" (integration timeout 50 ms – 29 s; since
//! June 2024 a Regional or private REST API can raise it past 29 s through a quota
//! request), "Set up Lambda proxy integrations" (the input event and the output the function
//! must return: statusCode, headers, body), "Handle Lambda errors in API Gateway" (502 for
//! a function error or a malformed proxy response), "Gateway response types" (403 Missing
//! Authentication Token for a route that does not exist, 403 Forbidden for a missing API
//! key, 429 Limit Exceeded for a usage plan's quota, 504 Endpoint request timed out, 500
//! when Lambda refuses the invocation). Course notes digest §20.

use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The account's steady rate across all APIs in a Region, requests a second.
pub const ACCOUNT_RATE: f64 = 10_000.0;
/// The account's burst, requests.
pub const ACCOUNT_BURST: u32 = 5_000;
/// The default and, for edge-optimized APIs, largest integration timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 29_000;
pub const MIN_TIMEOUT_MS: u64 = 50;
/// The largest timeout a Regional or private REST API may be raised to by a quota
/// request (the simulator's cap; AWS grants it case by case).
pub const RAISED_TIMEOUT_MAX_MS: u64 = 300_000;
/// Methods a route may answer (`ANY` answers all of them).
pub const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY",
];

/// Where the API is served from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndpointType {
    #[default]
    Regional,
    EdgeOptimized,
    Private,
}

/// A method on a resource path, integrated with a function (AWS_PROXY).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// `GET`, `POST` … or `ANY`.
    pub method: String,
    /// A resource path: `/orders`, `/orders/{id}`, `/files/{proxy+}`.
    pub path: String,
    pub function: String,
    #[serde(default)]
    pub api_key_required: bool,
}

/// A usage plan for the API's key: its own throttle and a daily quota.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsagePlan {
    /// Requests a second.
    pub rate: f64,
    pub burst: u32,
    /// Requests a day; absent is unlimited.
    #[serde(default)]
    pub quota_per_day: Option<u64>,
}

/// A REST API deployed to one stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiSpec {
    pub name: String,
    pub endpoint: EndpointType,
    pub stage: String,
    pub routes: Vec<Route>,
    /// The stage's throttle: requests a second and burst (absent: the account's).
    pub rate_limit: Option<f64>,
    pub burst_limit: Option<u32>,
    /// The integration timeout, ms.
    pub timeout_ms: u64,
    /// The usage plan of the API's one key (sent in `x-api-key`).
    pub usage_plan: Option<UsagePlan>,
    /// The key's value.
    pub api_key: String,
}

impl Default for ApiSpec {
    fn default() -> Self {
        ApiSpec {
            name: String::new(),
            endpoint: EndpointType::Regional,
            stage: "prod".into(),
            routes: vec![],
            rate_limit: None,
            burst_limit: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            usage_plan: None,
            api_key: String::new(),
        }
    }
}

fn bad(m: String) -> AwsError {
    AwsError::new("BadRequestException", 400, m)
}

/// A path's segments (`/orders/{id}` → `orders`, `{id}`).
fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Checks an API as CreateRestApi, PutMethod and UpdateStage would: the name, each route's
/// method and path, the throttle and the timeout.
pub fn check(api: &ApiSpec) -> Result<(), AwsError> {
    if api.name.trim().is_empty() || api.name.len() > 128 {
        return Err(bad(format!(
            "“{}”: an API's name has 1 to 128 characters.",
            api.name
        )));
    }
    let stage_ok = !api.stage.is_empty()
        && api.stage.len() <= 128
        && api
            .stage
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !stage_ok {
        return Err(bad(format!(
            "Stage name “{}”: 1 to 128 letters, digits, hyphens and underscores.",
            api.stage
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for r in &api.routes {
        if !METHODS.contains(&r.method.as_str()) {
            return Err(bad(format!(
                "Method {}: one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY.",
                r.method
            )));
        }
        if !r.path.starts_with('/') {
            return Err(bad(format!(
                "Resource path “{}” must start with /.",
                r.path
            )));
        }
        let segs = segments(&r.path);
        for (k, s) in segs.iter().enumerate() {
            let param = s.starts_with('{') && s.ends_with('}');
            let greedy = *s == "{proxy+}" || (param && s.ends_with("+}"));
            let ok = if param {
                let inner = &s[1..s.len() - 1];
                let inner = inner.strip_suffix('+').unwrap_or(inner);
                !inner.is_empty()
                    && inner
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            } else {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | ':'))
            };
            if !ok {
                return Err(bad(format!(
                    "Resource path “{}”: “{s}” is not a path part (letters, digits, - _ . ~, or a {{parameter}}).",
                    r.path
                )));
            }
            if greedy && k + 1 != segs.len() {
                return Err(bad(format!(
                    "Resource path “{}”: a greedy {{proxy+}} parameter must be the last part.",
                    r.path
                )));
            }
        }
        // Two routes for one method on one resource (parameter names aside).
        let shape: Vec<String> = segs
            .iter()
            .map(|s| {
                if s.starts_with('{') {
                    "{}".to_string()
                } else {
                    s.to_string()
                }
            })
            .collect();
        if !seen.insert((r.method.clone(), shape)) {
            return Err(AwsError::new(
                "ConflictException",
                409,
                format!(
                    "Method already exists for this resource: {} {}",
                    r.method, r.path
                ),
            ));
        }
    }
    if let Some(rate) = api.rate_limit {
        if !(rate.is_finite() && (0.0..=ACCOUNT_RATE).contains(&rate)) {
            return Err(bad(format!(
                "The stage's rate limit is {rate} requests a second; it is from 0 to the account's {ACCOUNT_RATE}."
            )));
        }
    }
    if api.burst_limit.is_some_and(|b| b > ACCOUNT_BURST) {
        return Err(bad(format!(
            "The stage's burst limit cannot exceed the account's {ACCOUNT_BURST}."
        )));
    }
    let max = match api.endpoint {
        EndpointType::EdgeOptimized => DEFAULT_TIMEOUT_MS,
        _ => RAISED_TIMEOUT_MAX_MS,
    };
    if !(MIN_TIMEOUT_MS..=max).contains(&api.timeout_ms) {
        return Err(bad(format!(
            "The integration timeout is {} ms; it is from {MIN_TIMEOUT_MS} ms to {} for {} API ({}).",
            api.timeout_ms,
            if max == DEFAULT_TIMEOUT_MS { "29 s" } else { "300 s" },
            match api.endpoint {
                EndpointType::EdgeOptimized => "an edge-optimized",
                EndpointType::Regional => "a Regional",
                EndpointType::Private => "a private",
            },
            if max == DEFAULT_TIMEOUT_MS {
                "edge-optimized APIs keep the 29 s limit"
            } else {
                "past 29 s only with a quota increase, possible since June 2024"
            }
        )));
    }
    if let Some(p) = &api.usage_plan {
        if !(p.rate.is_finite() && p.rate >= 0.0) {
            return Err(bad(
                "A usage plan's rate is 0 or more requests a second.".into()
            ));
        }
    }
    Ok(())
}

/// The route a request takes and its path parameters: literal parts before parameters,
/// a greedy `{proxy+}` last; the method must match or the route be `ANY`.
pub fn route<'a>(
    api: &'a ApiSpec,
    method: &str,
    path: &str,
) -> Option<(&'a Route, BTreeMap<String, String>)> {
    let want = segments(path);
    let mut best: Option<(u32, &Route, BTreeMap<String, String>)> = None;
    for r in &api.routes {
        if r.method != method && r.method != "ANY" {
            continue;
        }
        let segs = segments(&r.path);
        let mut params = BTreeMap::new();
        let mut score = 0u32;
        let mut ok = true;
        let mut k = 0;
        while k < segs.len() {
            let s = segs[k];
            if s.starts_with('{') && s.ends_with("+}") {
                if k >= want.len() {
                    ok = false;
                    break;
                }
                params.insert(s[1..s.len() - 2].to_string(), want[k..].join("/"));
                k = want.len();
                break;
            }
            let Some(w) = want.get(k) else {
                ok = false;
                break;
            };
            if s.starts_with('{') && s.ends_with('}') {
                params.insert(s[1..s.len() - 1].to_string(), w.to_string());
                score += 1;
            } else if s == *w {
                score += 2;
            } else {
                ok = false;
                break;
            }
            k += 1;
        }
        if !ok || k != want.len() {
            continue;
        }
        // An exact method beats ANY.
        if r.method == method {
            score += 1;
        }
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, r, params));
        }
    }
    best.map(|(_, r, p)| (r, p))
}

/// A token bucket: `rate` tokens a second up to `burst`, full at the start.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    tokens: f64,
    at_ms: u64,
}

impl Bucket {
    pub fn new(burst: u32) -> Bucket {
        Bucket {
            tokens: burst as f64,
            at_ms: 0,
        }
    }

    /// Takes a token at `now_ms` if there is one.
    pub fn take(&mut self, rate: f64, burst: u32, now_ms: u64) -> bool {
        let elapsed = now_ms.saturating_sub(self.at_ms) as f64 / 1000.0;
        self.tokens = (self.tokens + rate * elapsed).min(burst as f64);
        self.at_ms = self.at_ms.max(now_ms);
        if self.tokens >= 1.0 - 1e-9 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// An answer API Gateway gives itself: status and body (`{"message": …}`).
pub fn gateway_response(status: u16, message: &str) -> (u16, String) {
    (status, json!({ "message": message }).to_string())
}

/// The Lambda proxy integration's input event (payload format 1.0).
#[allow(clippy::too_many_arguments)]
pub fn proxy_event(
    api: &ApiSpec,
    route: &Route,
    method: &str,
    path: &str,
    params: &BTreeMap<String, String>,
    body: &str,
    api_key: Option<&str>,
    request_id: &str,
    epoch_ms: u64,
) -> Value {
    let (path_only, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let query: Option<Map<String, Value>> = query.map(|q| {
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), Value::String(v.to_string())),
                None => (p.to_string(), Value::String(String::new())),
            })
            .collect()
    });
    let mut headers = Map::new();
    headers.insert("Content-Type".into(), json!("application/json"));
    if let Some(k) = api_key {
        headers.insert("x-api-key".into(), json!(k));
    }
    json!({
        "resource": route.path,
        "path": path_only,
        "httpMethod": method,
        "headers": headers,
        "queryStringParameters": query,
        "pathParameters": if params.is_empty() { Value::Null } else { json!(params) },
        "stageVariables": Value::Null,
        "requestContext": {
            "resourcePath": route.path,
            "httpMethod": method,
            "stage": api.stage,
            "requestId": request_id,
            "requestTimeEpoch": epoch_ms,
            "identity": { "sourceIp": "198.51.100.7", "apiKey": api_key },
        },
        "body": if body.is_empty() { Value::Null } else { json!(body) },
        "isBase64Encoded": false,
    })
}

/// What API Gateway makes of a function's result under proxy integration: the function's
/// statusCode and body, or 502 when the result is not an object with a whole statusCode
/// (and, if present, a string body).
pub fn proxy_response(result: Option<&Value>) -> Result<(u16, String), (u16, String)> {
    let malformed = || gateway_response(502, "Internal server error");
    let Some(Value::Object(o)) = result else {
        return Err(malformed());
    };
    let status = o
        .get("statusCode")
        .and_then(|s| {
            s.as_u64()
                .or_else(|| s.as_str().and_then(|t| t.parse().ok()))
        })
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(malformed)? as u16;
    let body = match o.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(malformed()),
    };
    Ok((status, body))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn api(routes: &[(&str, &str)]) -> ApiSpec {
        ApiSpec {
            name: "orders-api".into(),
            routes: routes
                .iter()
                .map(|(m, p)| Route {
                    method: m.to_string(),
                    path: p.to_string(),
                    function: format!("fn{}", p.len()),
                    api_key_required: false,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn routes_prefer_literal_parts_and_exact_methods() {
        let a = api(&[
            ("GET", "/orders/{id}"),
            ("GET", "/orders/latest"),
            ("ANY", "/orders/{id}"),
            ("GET", "/files/{proxy+}"),
        ]);
        check(&a).unwrap();
        let (r, p) = route(&a, "GET", "/orders/latest").unwrap();
        assert_eq!((r.path.as_str(), p.len()), ("/orders/latest", 0));
        let (r, p) = route(&a, "GET", "/orders/42").unwrap();
        assert_eq!((r.method.as_str(), p["id"].as_str()), ("GET", "42"));
        assert_eq!(route(&a, "DELETE", "/orders/42").unwrap().0.method, "ANY");
        assert_eq!(
            route(&a, "GET", "/files/a/b/c.txt").unwrap().1["proxy"],
            "a/b/c.txt"
        );
        assert!(route(&a, "GET", "/orders").is_none());
        assert!(route(&a, "GET", "/files").is_none());
    }

    #[test]
    fn checks_name_what_is_wrong() {
        let mut a = api(&[("GET", "/orders"), ("GET", "/orders")]);
        assert_eq!(check(&a).unwrap_err().code, "ConflictException");
        a.routes.pop();
        a.routes[0].method = "FETCH".into();
        assert!(check(&a).unwrap_err().message.contains("Method FETCH"));
        a.routes[0].method = "GET".into();
        a.routes[0].path = "/files/{proxy+}/x".into();
        assert!(check(&a)
            .unwrap_err()
            .message
            .contains("must be the last part"));
        a.routes[0].path = "/orders".into();
        a.timeout_ms = 31_000;
        a.endpoint = EndpointType::EdgeOptimized;
        assert!(check(&a)
            .unwrap_err()
            .message
            .contains("edge-optimized APIs keep the 29 s limit"));
        a.endpoint = EndpointType::Regional;
        check(&a).unwrap();
        a.burst_limit = Some(6_000);
        assert!(check(&a).is_err());
    }

    /// The token bucket: a burst of 3 at 1 a second lets 3 through at once, then one a
    /// second (API Gateway's throttling model).
    #[test]
    fn a_token_bucket_passes_the_burst_then_the_rate() {
        let mut b = Bucket::new(3);
        let at_once: Vec<bool> = (0..5).map(|_| b.take(1.0, 3, 0)).collect();
        assert_eq!(at_once, [true, true, true, false, false]);
        assert!(!b.take(1.0, 3, 999));
        assert!(b.take(1.0, 3, 1_000));
        assert!(b.take(1.0, 3, 2_000));
        assert!(!b.take(1.0, 3, 2_500));
    }

    #[test]
    fn proxy_responses_need_a_status_code_and_a_string_body() {
        assert_eq!(
            proxy_response(Some(&json!({"statusCode": 201, "body": "{\"id\":1}"}))),
            Ok((201, "{\"id\":1}".into()))
        );
        let bad = Err((502, r#"{"message":"Internal server error"}"#.to_string()));
        assert_eq!(proxy_response(None), bad);
        assert_eq!(proxy_response(Some(&json!({"body": "x"}))), bad);
        assert_eq!(
            proxy_response(Some(&json!({"statusCode": 200, "body": {"a": 1}}))),
            bad
        );
    }
}
