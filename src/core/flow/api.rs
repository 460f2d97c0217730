//! API Gateway in the flow engine: a request to an API's stage is throttled (the account's
//! bucket, the stage's, the usage plan's), routed, checked for its API key, and sent to
//! the route's function with Lambda proxy integration; the response is the function's
//! result, or what API Gateway answers by itself (`services::apigateway`): 403 Missing
//! Authentication Token, 403 Forbidden, 429 Too Many Requests or Limit Exceeded, 500 when
//! Lambda refuses the invocation, 502 for a function error or a malformed result, 504 when
//! the integration timeout ends first (the function runs on).

use super::{Event, Flow, Move, Origin, EPOCH_MS};
use crate::core::services::apigateway::{
    self, gateway_response, proxy_event, proxy_response, ApiSpec, Bucket, ACCOUNT_BURST,
    ACCOUNT_RATE,
};
use crate::core::services::lambda::{self, Ending};
use crate::core::sim::{EventId, TraceId, TraceKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// A load sends at most this many requests (a link stays answerable).
pub const MAX_LOAD: u64 = 50_000;

/// The most requests a scenario's loads send in all (a link stays answerable).
pub const MAX_LOADS_TOTAL: u64 = 50_000;

/// One request and its response, for the page's request list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApiCall {
    /// When it was sent, ms.
    pub at_ms: u64,
    pub api: String,
    pub method: String,
    pub path: String,
    /// The response's status, or none while waiting (and for an API that does not exist:
    /// no host answers).
    pub status: Option<u16>,
    pub body: String,
    /// From request to response, ms.
    pub latency_ms: Option<u64>,
    /// The request's trace entry, then the response's.
    pub trace: TraceId,
}

/// A request waiting for its function.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    /// Its entry in `Flow::api_calls`.
    index: usize,
    api: String,
    at_ms: u64,
    /// The request's trace entry.
    cause: TraceId,
    timeout: EventId,
    answered: bool,
}

/// The APIs and their throttling state.
pub(super) struct Apis {
    specs: BTreeMap<String, ApiSpec>,
    account: Bucket,
    stages: BTreeMap<String, Bucket>,
    keys: BTreeMap<String, Bucket>,
    /// (API, day) → requests with the key that day.
    quota: BTreeMap<(String, u64), u64>,
    pending: BTreeMap<String, Pending>,
    requests: u64,
}

impl Apis {
    /// The APIs as defined, by name.
    pub(super) fn specs(&self) -> impl Iterator<Item = &ApiSpec> {
        self.specs.values()
    }

    pub(super) fn new(specs: Vec<ApiSpec>) -> Apis {
        Apis {
            specs: specs.into_iter().map(|a| (a.name.clone(), a)).collect(),
            account: Bucket::new(ACCOUNT_BURST),
            stages: BTreeMap::new(),
            keys: BTreeMap::new(),
            quota: BTreeMap::new(),
            pending: BTreeMap::new(),
            requests: 0,
        }
    }
}

impl Flow {
    /// A client sends `method path` to the API's stage.
    pub(super) fn http_request(
        &mut self,
        api: &str,
        method: &str,
        path: &str,
        body: &str,
        api_key: Option<&str>,
    ) {
        let now = self.clock.now_ms();
        let sent = self.record(
            None,
            "scenario",
            TraceKind::Call,
            "APIGW_REQUEST",
            format!("{method} {path} to API {api}"),
        );
        let index = self.api_calls.len();
        self.api_calls.push(ApiCall {
            at_ms: now,
            api: api.to_string(),
            method: method.to_string(),
            path: path.to_string(),
            status: None,
            body: String::new(),
            latency_ms: None,
            trace: sent,
        });
        let Some(spec) = self.apis.specs.get(api).cloned() else {
            self.api_calls[index].body = format!("no API named {api}");
            self.record(
                Some(sent),
                &format!("api {api}"),
                TraceKind::Event,
                "APIGW_NOT_FOUND",
                format!("no API named {api}: the request finds no host (a DNS error, not an HTTP status)"),
            );
            return;
        };
        self.apis.requests += 1;
        let id = format!("api-{}", self.apis.requests);
        let actor = format!("api {api}");
        let arrived = self.record(
            Some(sent),
            &actor,
            TraceKind::Event,
            "APIGW_RECEIVED",
            format!("{id}: {method} {path} on stage {}", spec.stage),
        );
        self.moved(arrived, sent, actor.clone());
        let request = Pending {
            index,
            api: api.to_string(),
            at_ms: now,
            cause: arrived,
            timeout: EventId(0),
            answered: false,
        };
        let path_only = path.split('?').next().unwrap_or(path);
        let Some((route, params)) =
            apigateway::route(&spec, method, path_only).map(|(r, p)| (r.clone(), p))
        else {
            // Only the account's bucket stands before the answer to a route that is not there.
            if !self.apis.account.take(ACCOUNT_RATE, ACCOUNT_BURST, now) {
                let (s, b) = gateway_response(429, "Too Many Requests");
                return self.respond(request, s, b, "the account's 10,000 requests a second (burst 5,000) across all APIs are used up");
            }
            let (s, b) = gateway_response(403, "Missing Authentication Token");
            let why = format!(
                "no method {method} on a resource matching {path_only}: a REST API answers a route it does not have this way"
            );
            return self.respond(request, s, b, &why);
        };
        if route.api_key_required && api_key != Some(spec.api_key.as_str()) {
            let (s, b) = gateway_response(403, "Forbidden");
            return self.respond(
                request,
                s,
                b,
                "the method requires an API key (x-api-key) and none or another was sent",
            );
        }
        // Throttling, in order: the usage plan of the key, the method's stage limit, the
        // account (token buckets); the plan's quota counts what gets through.
        let plan = spec.usage_plan.clone().filter(|_| route.api_key_required);
        if let Some(plan) = &plan {
            let day = now / 86_400_000;
            let used = self
                .apis
                .quota
                .get(&(api.to_string(), day))
                .copied()
                .unwrap_or(0);
            if plan.quota_per_day.is_some_and(|q| used >= q) {
                let (s, b) = gateway_response(429, "Limit Exceeded");
                let why = format!(
                    "the usage plan's quota of {} requests a day is used up",
                    plan.quota_per_day.unwrap_or(0)
                );
                return self.respond(request, s, b, &why);
            }
            let bucket = self
                .apis
                .keys
                .entry(api.to_string())
                .or_insert_with(|| Bucket::new(plan.burst));
            if !bucket.take(plan.rate, plan.burst, now) {
                let (s, b) = gateway_response(429, "Too Many Requests");
                let why = format!(
                    "the usage plan allows {} requests a second with a burst of {}",
                    plan.rate, plan.burst
                );
                return self.respond(request, s, b, &why);
            }
        }
        let (rate, burst) = (
            spec.rate_limit.unwrap_or(ACCOUNT_RATE),
            spec.burst_limit.unwrap_or(ACCOUNT_BURST),
        );
        let stage = self
            .apis
            .stages
            .entry(format!("{api} {} {}", route.method, route.path))
            .or_insert_with(|| Bucket::new(burst));
        if !stage.take(rate, burst, now) {
            let (s, b) = gateway_response(429, "Too Many Requests");
            let why = format!(
                "stage {} allows {} {} {rate} requests a second with a burst of {burst} (token bucket)",
                spec.stage, route.method, route.path
            );
            return self.respond(request, s, b, &why);
        }
        if !self.apis.account.take(ACCOUNT_RATE, ACCOUNT_BURST, now) {
            let (s, b) = gateway_response(429, "Too Many Requests");
            return self.respond(
                request,
                s,
                b,
                "the account's 10,000 requests a second (burst 5,000) across all APIs are used up",
            );
        }
        if plan.is_some() {
            *self
                .apis
                .quota
                .entry((api.to_string(), now / 86_400_000))
                .or_default() += 1;
        }
        let event = proxy_event(
            &spec,
            &route,
            method,
            path,
            &params,
            body,
            api_key,
            &id,
            EPOCH_MS + now,
        );
        let hop = self.record(
            Some(arrived),
            &actor,
            TraceKind::Hop,
            "APIGW_INTEGRATION",
            format!(
                "{id}: {} {} → Invoke {} (RequestResponse, Lambda proxy), waiting at most {} ms",
                route.method, route.path, route.function, spec.timeout_ms
            ),
        );
        // Billed: a call that passes the key, throttling and routing (API Gateway does not
        // charge calls refused before its integration).
        self.usage.api_requests += 1;
        let mut request = request;
        request.cause = hop;
        let function_arn = super::function_arn(&route.function);
        let who = super::Who::Service {
            principal: "apigateway.amazonaws.com",
            source_arn: format!(
                "arn:aws:execute-api:{}:{}:{}/{}/{}{}",
                crate::core::account::SANDBOX_REGION,
                crate::core::account::SANDBOX_ACCOUNT,
                apigateway::api_id(&spec),
                spec.stage,
                method,
                route.path
            ),
        };
        if self
            .gate(
                &who,
                "lambda:InvokeFunction",
                &function_arn,
                &function_arn,
                &format!("function {}", route.function),
                Some(hop),
            )
            .is_err()
        {
            let (s, b) = gateway_response(500, "Internal server error");
            return self.respond(
                request,
                s,
                b,
                "Execution failed due to configuration error: Invalid permissions on Lambda function (its resource-based policy does not let apigateway.amazonaws.com invoke it)",
            );
        }
        if self
            .invoke_sync(&route.function, event, Origin::Api(id.clone()), hop)
            .is_none()
        {
            let (s, b) = gateway_response(500, "Internal server error");
            return self.respond(
                request,
                s,
                b,
                "Lambda refused the invocation (throttled or not found), which a proxy integration reports as 500",
            );
        }
        self.moves.push(Move {
            trace: hop,
            at_ms: now,
            from: actor,
            to: format!("function {}", route.function),
        });
        request.timeout = self
            .clock
            .schedule(spec.timeout_ms, Event::ApiTimeout(id.clone()));
        self.apis.pending.insert(id, request);
    }

    /// Answers a request: the trace, the counters, the request list.
    fn respond(&mut self, mut r: Pending, status: u16, body: String, why: &str) {
        r.answered = true;
        let now = self.clock.now_ms();
        let code = match status {
            200..=399 => "APIGW_RESPONSE",
            400..=499 => "APIGW_CLIENT_ERROR",
            _ => "APIGW_SERVER_ERROR",
        };
        let latency = now - r.at_ms;
        let text = if why.is_empty() {
            format!("{status} {body} after {latency} ms")
        } else {
            format!("{status} {body} after {latency} ms: {why}")
        };
        let t = self.record(
            Some(r.cause),
            &format!("api {}", r.api),
            TraceKind::Event,
            code,
            text,
        );
        self.moves.push(Move {
            trace: t,
            at_ms: now,
            from: format!("api {}", r.api),
            to: "scenario".into(),
        });
        if let Some(c) = self.api_calls.get_mut(r.index) {
            c.status = Some(status);
            c.body = body;
            c.latency_ms = Some(latency);
            c.trace = t;
        }
    }

    /// The function's run for request `id` ended.
    pub(super) fn api_done(&mut self, id: &str, run: &lambda::Run, end: TraceId) {
        let Some(mut r) = self.apis.pending.remove(id) else {
            return;
        };
        if r.answered {
            self.record(
                Some(end),
                &format!("api {}", r.api),
                TraceKind::Event,
                "APIGW_LATE_RESULT",
                format!("{id}: the function's result came after the 504 and is thrown away (its writes stand)"),
            );
            return;
        }
        self.clock.cancel(r.timeout);
        // A run that ends as the timeout does (or after) loses: API Gateway has answered.
        let timeout = self
            .apis
            .specs
            .get(&r.api)
            .map(|a| a.timeout_ms)
            .unwrap_or(apigateway::DEFAULT_TIMEOUT_MS);
        if self.clock.now_ms() >= r.at_ms + timeout {
            r.cause = end;
            let (s, b) = gateway_response(504, "Endpoint request timed out");
            let why = format!(
                "the integration timeout of {timeout} ms ended as the function did; the result is thrown away"
            );
            return self.respond(r, s, b, &why);
        }
        r.cause = end;
        let (status, body, why) = match &run.ending {
            Ending::Returned { .. } => match proxy_response(run.response.as_ref()) {
                Ok((s, b)) => (s, b, String::new()),
                Err((s, b)) => (
                    s,
                    b,
                    "the function's result is not a proxy response (an object with a statusCode and a string body; it needs a Return step)".to_string(),
                ),
            },
            _ => {
                let (s, b) = gateway_response(502, "Internal server error");
                (s, b, "the function failed, which a proxy integration reports as 502".to_string())
            }
        };
        self.respond(r, status, body, &why);
    }

    /// The integration timeout of request `id` ended before its function.
    pub(super) fn api_timeout(&mut self, id: &str) {
        let Some(r) = self.apis.pending.get_mut(id) else {
            return;
        };
        if r.answered {
            return;
        }
        let timeout = self
            .apis
            .specs
            .get(&r.api)
            .map(|a| a.timeout_ms)
            .unwrap_or(apigateway::DEFAULT_TIMEOUT_MS);
        let copy = r.clone();
        r.answered = true;
        let (s, b) = gateway_response(504, "Endpoint request timed out");
        let why =
            format!("the integration timeout of {timeout} ms ended first; the function runs on");
        self.respond(copy, s, b, &why);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
