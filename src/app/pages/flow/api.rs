//! The flow page's API Gateway parts: the API editor (routes, stage throttle, integration
//! timeout, API key and usage plan), the request console, and the list of requests with
//! their responses at the playhead.

use super::build::{button, check, choice, chosen, delete_button, input, local_error, submit};
use crate::app::components::form::typed;
use crate::core::flow::Action;
use crate::core::services::apigateway::{
    ApiSpec, EndpointType, Route, UsagePlan, DEFAULT_TIMEOUT_MS, METHODS,
};
use crate::core::views::flow::edit::Edit;
use crate::core::views::flow::scenario::{Outcome, Scenario};
use std::rc::Rc;
use yew::prelude::*;

fn options(v: &[&str]) -> Vec<(String, String)> {
    v.iter().map(|x| (x.to_string(), x.to_string())).collect()
}

/// A decimal number from a field (empty is `None`).
fn decimal(label: &str, text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match crate::core::parse_float::parse_f64(&t.replace(',', "")) {
        Some(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err(format!("{label}: “{t}” is not a number of 0 or more.")),
    }
}

fn whole_opt(label: &str, text: &str) -> Result<Option<u64>, String> {
    let t = text.trim().replace([',', '_'], "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u64>()
        .map(Some)
        .map_err(|_| format!("{label}: “{}” is not a whole number.", text.trim()))
}

fn text_of<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct ApiProps {
    pub api: ApiSpec,
    pub scenario: Rc<Scenario>,
    pub on_edit: Callback<Result<Edit, String>, bool>,
}

/// The editor of a REST API.
#[component]
pub fn ApiEditor(props: &ApiProps) -> Html {
    let a = &props.api;
    let endpoint = use_state(|| format!("{:?}", a.endpoint));
    let rate = use_state(|| text_of(a.rate_limit));
    let burst = use_state(|| text_of(a.burst_limit));
    let timeout = use_state(|| format!("{}", a.timeout_ms as f64 / 1000.0));
    let key = use_state(|| a.api_key.clone());
    let plan_rate = use_state(|| text_of(a.usage_plan.as_ref().map(|p| p.rate)));
    let plan_burst = use_state(|| text_of(a.usage_plan.as_ref().map(|p| p.burst)));
    let plan_quota = use_state(|| text_of(a.usage_plan.as_ref().and_then(|p| p.quota_per_day)));
    let err = use_state(|| None::<String>);
    {
        let (endpoint, rate, burst, timeout, key, plan_rate, plan_burst, plan_quota) = (
            endpoint.clone(),
            rate.clone(),
            burst.clone(),
            timeout.clone(),
            key.clone(),
            plan_rate.clone(),
            plan_burst.clone(),
            plan_quota.clone(),
        );
        // The stage settings without the routes: adding a route keeps what is typed here.
        let settings = (
            a.endpoint,
            a.rate_limit.map(f64::to_bits),
            a.burst_limit,
            a.timeout_ms,
            a.api_key.clone(),
            a.usage_plan
                .as_ref()
                .map(|p| (p.rate.to_bits(), p.burst, p.quota_per_day)),
        );
        let err = err.clone();
        use_effect_with(settings, move |(e, r, b, t, k, p)| {
            err.set(None);
            endpoint.set(format!("{e:?}"));
            rate.set(text_of(r.map(f64::from_bits)));
            burst.set(text_of(*b));
            timeout.set(format!("{}", *t as f64 / 1000.0));
            key.set(k.clone());
            plan_rate.set(text_of(p.map(|p| f64::from_bits(p.0))));
            plan_burst.set(text_of(p.map(|p| p.1)));
            plan_quota.set(text_of(p.and_then(|p| p.2)));
        });
    }
    let onsubmit = {
        let (endpoint, rate, burst, timeout, key, plan_rate, plan_burst, plan_quota, base) = (
            endpoint.clone(),
            rate.clone(),
            burst.clone(),
            timeout.clone(),
            key.clone(),
            plan_rate.clone(),
            plan_burst.clone(),
            plan_quota.clone(),
            a.clone(),
        );
        submit(&err, &props.on_edit, move || {
            let mut api = base.clone();
            api.endpoint = match endpoint.as_str() {
                "EdgeOptimized" => EndpointType::EdgeOptimized,
                "Private" => EndpointType::Private,
                _ => EndpointType::Regional,
            };
            api.rate_limit = decimal("Rate limit", &rate)?;
            api.burst_limit =
                whole_opt("Burst limit", &burst)?.map(|b| b.min(u32::MAX as u64) as u32);
            let t = decimal("Integration timeout", &timeout)?
                .ok_or("Integration timeout: enter seconds (0.05 to 29).")?;
            api.timeout_ms = (t * 1000.0).round().min(u64::MAX as f64) as u64;
            api.api_key = key.trim().to_string();
            api.usage_plan = match decimal("Usage plan rate", &plan_rate)? {
                None => None,
                Some(r) => Some(UsagePlan {
                    rate: r,
                    burst: whole_opt("Usage plan burst", &plan_burst)?
                        .unwrap_or(0)
                        .min(u32::MAX as u64) as u32,
                    quota_per_day: whole_opt("Usage plan quota", &plan_quota)?,
                }),
            };
            Ok(Edit::PutRestApi { api })
        })
    };
    let add_route = use_add_route(&AddRouteProps {
        api: a.clone(),
        functions: props
            .scenario
            .functions
            .iter()
            .map(|f| (f.name.clone(), f.name.clone()))
            .collect(),
        on_edit: props.on_edit.clone(),
    });
    let endpoints = options(&["Regional", "EdgeOptimized", "Private"]);
    html! {
        <div data-testid="editor-api">
            <h3>{ format!("REST API {} (stage {})", a.name, a.stage) }</h3>
            <h4>{ "Routes (Lambda proxy integration)" }</h4>
            if a.routes.is_empty() { <p class="hint">{ "No routes yet: every request gets 403 Missing Authentication Token." }</p> }
            <ol class="edit-list" data-testid="routes">
                { for a.routes.iter().enumerate().map(|(k, r)| {
                    let mut without = a.clone();
                    without.routes.remove(k);
                    html! {
                        <li data-testid={format!("route-{k}")}>
                            <span class="mono">{ format!("{} {} → {}{}", r.method, r.path, r.function, if r.api_key_required { " (API key required)" } else { "" }) }</span>{ " " }
                            { button("Remove", format!("route-{k}-remove"), &props.on_edit, Edit::PutRestApi { api: without }) }
                        </li>
                    }
                }) }
            </ol>
            { add_route }
            <h4>{ "Stage settings" }</h4>
            <form onsubmit={onsubmit}>
                <div class="toolbar">
                    { choice("api-endpoint".into(), "Endpoint type", &endpoints, &endpoint) }
                    { input("api-rate".into(), "Rate limit", "req/s", &rate) }
                    { input("api-burst".into(), "Burst limit", "", &burst) }
                    { input("api-timeout".into(), "Integration timeout", "s", &timeout) }
                </div>
                <div class="toolbar">
                    { input("api-key".into(), "API key", "", &key) }
                    { input("api-plan-rate".into(), "Usage plan rate", "req/s", &plan_rate) }
                    { input("api-plan-burst".into(), "Usage plan burst", "", &plan_burst) }
                    { input("api-plan-quota".into(), "Quota", "req/day", &plan_quota) }
                </div>
                <p class="hint">{ format!("Empty rate and burst: the account's 10,000 requests a second with a burst of 5,000, shared by all APIs. The integration timeout is 0.05–{} s by default; since June 2024 a Regional or private API may raise it past 29 s with a quota increase (edge-optimized APIs may not). The usage plan (empty rate: none) throttles and counts the requests to routes that require the API key.", DEFAULT_TIMEOUT_MS / 1000) }</p>
                <button type="submit" class="small primary" data-testid="api-save">{ "Save (UpdateStage)" }</button>
                { local_error(&err) }
            </form>
            <div class="toolbar delete-row">{ delete_button("Delete API", &props.on_edit, Edit::Delete { node: format!("api {}", a.name) }) }</div>
        </div>
    }
}

struct AddRouteProps {
    api: ApiSpec,
    functions: Vec<(String, String)>,
    on_edit: Callback<Result<Edit, String>, bool>,
}

#[hook]
fn use_add_route(props: &AddRouteProps) -> Html {
    let method = use_state(|| "GET".to_string());
    let path = use_state(|| "/orders/{id}".to_string());
    let function = use_state(String::new);
    let keyed = use_state(|| false);
    let err = use_state(|| None::<String>);
    let onsubmit = {
        let (method, path, function, keyed) = (
            method.clone(),
            path.clone(),
            function.clone(),
            keyed.clone(),
        );
        let (base, functions) = (props.api.clone(), props.functions.clone());
        submit(&err, &props.on_edit, move || {
            let function = chosen(&functions, &function);
            if function.is_empty() {
                return Err("Create a function first: a route integrates one.".into());
            }
            let mut api = base.clone();
            api.routes.push(Route {
                method: (*method).clone(),
                path: path.trim().to_string(),
                function,
                api_key_required: *keyed,
            });
            Ok(Edit::PutRestApi { api })
        })
    };
    html! {
        <form class="toolbar" onsubmit={onsubmit} data-testid="route-form">
            { choice("route-method".into(), "Method", &options(&METHODS), &method) }
            <div class="field">
                <label for="route-path">{ "Resource path" }</label>
                <input id="route-path" type="text" class="mono" autocomplete="off" spellcheck="false" value={(*path).clone()} oninput={typed(&path)} data-testid="route-path" />
            </div>
            { choice("route-function".into(), "Function", &props.functions, &function) }
            { check("route-key".into(), "API key required", &keyed) }
            <button type="submit" class="small" data-testid="route-submit">{ "Add route (PutMethod)" }</button>
            { local_error(&err) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub scenario: Rc<Scenario>,
    /// The playhead, ms: a request is sent then.
    pub at_ms: u64,
    pub on_edit: Callback<Result<Edit, String>, bool>,
}

/// Sends one request at the playhead (an action added to the script).
#[component]
pub fn ApiConsole(props: &ConsoleProps) -> Html {
    let s = &*props.scenario;
    let api = use_state(String::new);
    let method = use_state(|| "GET".to_string());
    let path = use_state(|| "/orders/o-1".to_string());
    let body = use_state(String::new);
    let with_key = use_state(|| false);
    let err = use_state(|| None::<String>);
    let apis: Vec<(String, String)> = s
        .apis
        .iter()
        .map(|a| (a.name.clone(), a.name.clone()))
        .collect();
    let at = props.at_ms;
    let onsubmit = {
        let (api, method, path, body, with_key) = (
            api.clone(),
            method.clone(),
            path.clone(),
            body.clone(),
            with_key.clone(),
        );
        let (apis, specs) = (apis.clone(), s.apis.clone());
        submit(&err, &props.on_edit, move || {
            let name = chosen(&apis, &api);
            let spec = specs
                .iter()
                .find(|a| a.name == name)
                .ok_or("Create an API first (Build → Create → API Gateway REST API).")?;
            let p = path.trim();
            if !p.starts_with('/') {
                return Err(format!("Path: “{p}” must start with /."));
            }
            Ok(Edit::AddActions {
                principal: String::new(),
                action: Action::HttpRequest {
                    api: name,
                    method: (*method).clone(),
                    path: p.to_string(),
                    body: (*body).clone(),
                    api_key: with_key.then(|| spec.api_key.clone()),
                    per_second: 0,
                    for_seconds: 0,
                },
                at_ms: at,
                count: 1,
                every_ms: 0,
            })
        })
    };
    let methods: Vec<&str> = METHODS.iter().copied().filter(|m| *m != "ANY").collect();
    html! {
        <form onsubmit={onsubmit} data-testid="api-console">
            <div class="toolbar">
                { choice("console-api".into(), "API", &apis, &api) }
                { choice("console-method".into(), "Method", &options(&methods), &method) }
                <div class="field">
                    <label for="console-path">{ "Path" }</label>
                    <input id="console-path" type="text" class="mono" autocomplete="off" spellcheck="false" value={(*path).clone()} oninput={typed(&path)} data-testid="console-path" />
                </div>
                { check("console-key".into(), "Send the API key", &with_key) }
            </div>
            <div class="field wide">
                <label for="console-body">{ "Body" }</label>
                <input id="console-body" type="text" class="mono" autocomplete="off" spellcheck="false" value={(*body).clone()} oninput={typed(&body)} data-testid="console-body" />
            </div>
            <button type="submit" class="small primary" data-testid="console-send">{ format!("Send at {:.1} s", at as f64 / 1000.0) }</button>
            { local_error(&err) }
        </form>
    }
}

/// Requests listed at most (the newest).
const REQUESTS_SHOWN: usize = 30;

/// The requests sent up to `now_ms` with their responses (or "waiting" when the response
/// comes later), newest first, and the console.
pub fn requests(
    o: &Outcome,
    s: &Rc<Scenario>,
    now_ms: u64,
    on_edit: &Callback<Result<Edit, String>, bool>,
) -> Html {
    if s.apis.is_empty() {
        return html! {};
    }
    let mut sent: Vec<_> = o.api_calls.iter().filter(|c| c.at_ms <= now_ms).collect();
    sent.sort_by_key(|c| (c.at_ms, c.trace.0));
    let done = |c: &crate::core::flow::ApiCall| {
        c.status.is_some() && c.latency_ms.is_some_and(|l| c.at_ms + l <= now_ms)
    };
    let answered = sent.iter().filter(|c| done(c)).count();
    html! {
        <section class="panel card-panel" aria-labelledby="flow-api-h" data-embed="counters" data-testid="flow-api">
            <h2 id="flow-api-h">{ "API requests" }</h2>
            <p class="hint" data-testid="flow-api-summary">{ format!("{} request{} sent by {:.1} s, {answered} answered. Newest first.", sent.len(), if sent.len() == 1 { "" } else { "s" }, now_ms as f64 / 1000.0) }</p>
            <crate::app::components::lock::Lock><ApiConsole scenario={s.clone()} at_ms={now_ms} on_edit={on_edit.clone()} /></crate::app::components::lock::Lock>
            if !sent.is_empty() {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Requests and responses">
                    <table class="data" data-testid="flow-api-calls">
                        <thead><tr><th scope="col">{ "Sent" }</th><th scope="col">{ "Request" }</th><th scope="col">{ "Status" }</th><th scope="col">{ "Latency" }</th><th scope="col">{ "Body" }</th></tr></thead>
                        <tbody>
                            { for sent.iter().rev().take(REQUESTS_SHOWN).map(|c| {
                                let done = done(c);
                                html! {
                                    <tr data-status={if done { c.status.unwrap_or(0).to_string() } else { "waiting".to_string() }}>
                                        <td class="mono">{ format!("{:.3} s", c.at_ms as f64 / 1000.0) }</td>
                                        <td class="mono">{ format!("{} {}", c.method, c.path) }</td>
                                        if done {
                                            <td class="mono"><strong>{ c.status.unwrap_or(0) }</strong></td>
                                            <td class="mono">{ format!("{} ms", c.latency_ms.unwrap_or(0)) }</td>
                                            <td class="mono">{ &c.body }</td>
                                        } else if c.status.is_none() && c.latency_ms.is_none() && !c.body.is_empty() {
                                            <td colspan="3" class="hint">{ format!("no answer: {}", c.body) }</td>
                                        } else {
                                            <td colspan="3" class="hint">{ "waiting for the response…" }</td>
                                        }
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
