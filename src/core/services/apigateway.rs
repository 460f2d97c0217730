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
/// An API key's shortest value (CreateApiKey).
pub const MIN_KEY_CHARS: usize = 20;
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
        // One variable part per level: `/orders/{id}` beside `/orders/{orderId}` is
        // refused, as API Gateway refuses the second resource.
        for (k, part) in segs.iter().enumerate().filter(|(_, p)| p.starts_with('{')) {
            let prefix = &segs[..k];
            for other in &api.routes {
                let o = segments(&other.path);
                if o.len() > k && o[..k] == *prefix && o[k].starts_with('{') && o[k] != *part {
                    return Err(bad(format!(
                        "A sibling ({}) of {} already has a variable path part: only one is allowed at a level.",
                        o[k], part
                    )));
                }
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
        if p.rate > 0.0 && p.burst == 0 {
            return Err(bad(
                "A usage plan's burst is at least 1 when its rate is above 0 (a bucket of 0 lets nothing through).".into(),
            ));
        }
    }
    if api.routes.iter().any(|r| r.api_key_required) {
        if api.api_key.chars().count() < MIN_KEY_CHARS {
            return Err(bad(format!(
                "A method requires an API key: give the API a key of at least {MIN_KEY_CHARS} characters."
            )));
        }
        if api.usage_plan.is_none() {
            return Err(bad(
                "A method requires an API key: the key must belong to a usage plan on the stage, or every request is refused (403).".into(),
            ));
        }
    }
    Ok(())
}

/// How specific a route's part is: a literal part beats a `{param}`, which beats a greedy
/// `{proxy+}`.
fn rank(part: &str) -> u8 {
    if part.starts_with('{') && part.ends_with("+}") {
        0
    } else if part.starts_with('{') && part.ends_with('}') {
        1
    } else {
        2
    }
}

/// The route a request takes and its path parameters: API Gateway picks the most specific
/// resource, part by part from the left (a literal part before a `{param}`, a `{param}`
/// before a greedy `{proxy+}`), then on that resource the exact method before `ANY`.
pub fn route<'a>(
    api: &'a ApiSpec,
    method: &str,
    path: &str,
) -> Option<(&'a Route, BTreeMap<String, String>)> {
    let want = segments(path);
    // (how specific, exact method), the route, its path parameters.
    type Found<'r> = ((Vec<u8>, bool), &'r Route, BTreeMap<String, String>);
    let mut best: Option<Found> = None;
    for r in &api.routes {
        if r.method != method && r.method != "ANY" {
            continue;
        }
        let segs = segments(&r.path);
        let mut params = BTreeMap::new();
        let mut ranks = vec![];
        let mut ok = true;
        let mut k = 0;
        while k < segs.len() {
            let s = segs[k];
            ranks.push(rank(s));
            if rank(s) == 0 {
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
            if rank(s) == 1 {
                params.insert(s[1..s.len() - 1].to_string(), w.to_string());
            } else if s != *w {
                ok = false;
                break;
            }
            k += 1;
        }
        if !ok || k != want.len() {
            continue;
        }
        let score = (ranks, r.method == method);
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

/// `%41` and `+` in a query string, decoded (malformed escapes stay as they are).
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        match bytes[k] {
            b'+' => out.push(b' '),
            b'%' if k + 2 < bytes.len() => match (hex(bytes[k + 1]), hex(bytes[k + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    k += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        k += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
    let pairs: Vec<(String, String)> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (url_decode(k), url_decode(v)),
            None => (url_decode(p), String::new()),
        })
        .collect();
    let (query, multi_query) = if pairs.is_empty() {
        (Value::Null, Value::Null)
    } else {
        let mut one = Map::new();
        let mut many: Map<String, Value> = Map::new();
        for (k, v) in &pairs {
            one.insert(k.clone(), json!(v));
            match many.get_mut(k) {
                Some(Value::Array(list)) => list.push(json!(v)),
                _ => {
                    many.insert(k.clone(), json!([v]));
                }
            }
        }
        (Value::Object(one), Value::Object(many))
    };
    let mut headers = Map::new();
    headers.insert(
        "Host".into(),
        json!(format!(
            "{}.execute-api.{}.amazonaws.com",
            api_id(api),
            crate::core::account::SANDBOX_REGION
        )),
    );
    if !body.is_empty() {
        headers.insert("Content-Type".into(), json!("application/json"));
    }
    if let Some(k) = api_key {
        headers.insert("x-api-key".into(), json!(k));
    }
    let multi_headers: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.clone(), json!([v])))
        .collect();
    let key_used = api_key.filter(|_| route.api_key_required);
    json!({
        "resource": route.path,
        "path": path_only,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": if params.is_empty() { Value::Null } else { json!(params) },
        "stageVariables": Value::Null,
        "requestContext": {
            "accountId": crate::core::account::SANDBOX_ACCOUNT,
            "apiId": api_id(api),
            "domainName": format!("{}.execute-api.{}.amazonaws.com", api_id(api), crate::core::account::SANDBOX_REGION),
            "httpMethod": method,
            "path": format!("/{}{}", api.stage, path_only),
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTimeEpoch": epoch_ms,
            "resourceId": format!("r{:05x}", route.path.len() * 7919 % 0xfffff),
            "resourcePath": route.path,
            "stage": api.stage,
            "identity": { "sourceIp": "198.51.100.7", "apiKey": key_used },
        },
        "body": if body.is_empty() { Value::Null } else { json!(body) },
        "isBase64Encoded": false,
    })
}

/// The API's id as the simulator makes it: ten lowercase letters and digits from its name.
pub fn api_id(api: &ApiSpec) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in api.name.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    (0..10)
        .map(|k| {
            let d = ((h >> (k * 5)) & 31) as u8;
            (if d < 10 { b'0' + d } else { b'a' + d - 10 }) as char
        })
        .collect()
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

    /// API Gateway's precedence: the resource first (literal before parameter, part by part
    /// from the left), then the method (exact before ANY).
    #[test]
    fn the_most_specific_resource_wins_before_the_method() {
        let a = api(&[("GET", "/orders/{id}"), ("ANY", "/orders/latest")]);
        assert_eq!(
            route(&a, "GET", "/orders/latest").unwrap().0.path,
            "/orders/latest"
        );
        let b = api(&[("GET", "/{a}/b/c"), ("GET", "/x/{b}/{c}")]);
        assert_eq!(route(&b, "GET", "/x/b/c").unwrap().0.path, "/x/{b}/{c}");
        let c = api(&[("GET", "/orders/{id}"), ("POST", "/orders/{orderId}")]);
        assert!(check(&c)
            .unwrap_err()
            .message
            .contains("only one is allowed"));
    }

    #[test]
    fn query_strings_are_decoded_into_the_event() {
        let a = api(&[("GET", "/s")]);
        let e = proxy_event(
            &a,
            &a.routes[0],
            "GET",
            "/s?q=a+b%21&q=2&x=%zz",
            &BTreeMap::new(),
            "",
            None,
            "r",
            0,
        );
        assert_eq!(e["queryStringParameters"]["q"], "2");
        assert_eq!(
            e["multiValueQueryStringParameters"]["q"],
            json!(["a b!", "2"])
        );
        assert_eq!(e["queryStringParameters"]["x"], "%zz");
        let bare = proxy_event(
            &a,
            &a.routes[0],
            "GET",
            "/s?",
            &BTreeMap::new(),
            "",
            None,
            "r",
            0,
        );
        assert!(bare["queryStringParameters"].is_null());
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
        a.burst_limit = None;
        a.routes[0].api_key_required = true;
        assert!(check(&a)
            .unwrap_err()
            .message
            .contains("at least 20 characters"));
        a.api_key = "abcdefghijklmnopqrstu".into();
        assert!(check(&a).unwrap_err().message.contains("usage plan"));
        a.usage_plan = Some(UsagePlan {
            rate: 5.0,
            burst: 0,
            quota_per_day: None,
        });
        assert!(check(&a)
            .unwrap_err()
            .message
            .contains("burst is at least 1"));
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
