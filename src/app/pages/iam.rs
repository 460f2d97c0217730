//! IAM policy evaluator page: policies by layer (SCP levels, RCPs, the resource-based policy,
//! identity-based policies, the boundary, session policies), a table of requests, and for the
//! selected request the decision, its reason, a layer-by-layer diagram and the trace of every
//! statement. The editors mark the statements the evaluation used. Everything shown comes
//! from `core::iam`; this file lays it out.

use crate::app::components::form::{on_click, on_edit};
use crate::app::components::lock::Lock;
use crate::app::hooks::{use_url_state, UrlState};
use crate::core::iam::account;
use crate::core::iam::caller::{CallerKind, Mfa};
use crate::core::iam::eval::{Decision, Evaluation, Layer, Layers, Request, ResourceKind};
use crate::core::iam::lint::Severity;
use crate::core::iam::policy::Effect;
use crate::core::iam::scenarios::{self, SCENARIOS};
use crate::core::iam::state::{
    self, layer_steps, marks, Compiled, Doc, DocReport, IamState, Mark, Place, Row, Said,
    MAX_POLICIES, MAX_REQUESTS, MAX_SCP_LEVELS,
};
use yew::prelude::*;

type Handle = UseStateHandle<IamState>;

/// Longest policy (in lines) whose editor gets a gutter and statement marks.
const MAX_GUTTER_LINES: usize = 2_000;
type Run = Result<(Request, Evaluation), Vec<String>>;

/// A callback that edits the selected request row.
fn row_edit<E: AsRef<Event> + 'static>(state: &Handle, f: fn(&mut Row, String)) -> Callback<E> {
    on_edit(state, move |s, v| {
        let i = s.selected();
        if let Some(r) = s.requests.get_mut(i) {
            f(r, v);
        }
    })
}

fn decision_class(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::ExplicitDeny => "explicit-deny",
        Decision::ImplicitDeny => "implicit-deny",
    }
}

#[component]
pub fn IamPage() -> Html {
    let url_state = use_url_state("iam", state::to_query, state::from_query);
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let s = &*state;
    let result = use_memo(s.clone(), |s| {
        let c = s.compile();
        let runs = s.run(&c);
        (c, runs, s.edited())
    });
    let (compiled, runs, edited) = &*result;
    let selected = s.selected();
    let current: Option<&(Request, Evaluation)> = runs.get(selected).and_then(|r| r.as_ref().ok());
    let clear = on_click(&state, |s| *s = IamState::empty());

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="iam" controls={controls} explorable=true lede={"Would this request be allowed, and why? Paste policies for every layer, describe requests, and see which statement decides."} reset={reset} actions={html! { <><Lock><button type="button" class="small" onclick={clear} data-testid="clear">{ "Clear" }</button></Lock><crate::app::components::console_drawer::ConsoleDrawer /></> }} link_error={(*link_error).clone()}>
            <Lock>{ scenario_picker(&state, *edited) }</Lock>
            <AccountPanel state={state.clone()} />
            <div class="iam-grid">
                <section class="panel card-panel iam-policies" aria-labelledby="iam-policies" data-embed="policies">
                    <h2 id="iam-policies">{ "Policies, layer by layer" }</h2>
                    <p class="hint">{ "Layers are listed in the order AWS evaluates them. An explicit Deny anywhere wins; otherwise every SCP level must allow, and an identity-based or resource-based policy must allow within the boundary and session policies." }</p>
                    <Lock>{ policies_view(&state, compiled, current.map(|c| &c.1)) }</Lock>
                </section>
                <section class="panel card-panel iam-requests" aria-labelledby="iam-requests" data-embed="requests">
                    <h2 id="iam-requests">{ "Requests" }</h2>
                    { requests_table(&state, runs) }
                    { decision_view(compiled, runs.get(selected), selected) }
                    { request_form(&state) }
                </section>
            </div>
        </crate::app::components::tool_frame::ToolFrame>
    }
}

#[derive(Properties, PartialEq)]
struct AccountProps {
    state: Handle,
}

/// In a sandbox: the account's roles, users and resource policies (the flow page's and the
/// console's), loaded into the layers to evaluate requests as them, and saved back
/// (`core::iam::account`). The account is the sandbox's, not the link's: nothing of it goes
/// into this page's state.
#[component]
fn AccountPanel(props: &AccountProps) -> Html {
    let store = crate::app::sandbox::use_store_watch();
    let picked_identity = use_state(String::new);
    let picked_resource = use_state(String::new);
    // What was loaded last, as the account held it (the save buttons write to it), and
    // the last save's outcome.
    let loaded_identity = use_state(|| None::<crate::core::flow::IdentitySpec>);
    let loaded_resource = use_state(|| None::<account::AccountPolicy>);
    let note = use_state(|| None::<Result<String, String>>);
    // Read once per change of the sandbox, not at every keystroke on the page.
    let key = store
        .as_ref()
        .and_then(|s| Some((s.active_id()?, s.active_updated()?)));
    let account = use_memo(key, {
        let store = store.clone();
        move |_| {
            store
                .and_then(|s| s.read_account_part("serverless", account::read))
                .unwrap_or_default()
        }
    });
    let Some(store) = store.filter(|s| s.active_id().is_some()) else {
        return html! {};
    };
    if account.identities.is_empty() && account.policies.is_empty() {
        return html! {};
    }
    let state = &props.state;
    let identity = account
        .identities
        .iter()
        .find(|i| i.name == *picked_identity)
        .or(account.identities.first())
        .cloned();
    let resource = account
        .policies
        .iter()
        .find(|r| r.node == *picked_resource)
        .or(account.policies.first())
        .cloned();
    let load_identity = {
        let (state, loaded, note) = (state.clone(), loaded_identity.clone(), note.clone());
        let identity = identity.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = &identity {
                let mut s = (*state).clone();
                match s.load_identity(i) {
                    Ok(()) => {
                        state.set(s);
                        loaded.set(Some(i.clone()));
                        note.set(None);
                    }
                    Err(e) => note.set(Some(Err(e))),
                }
            }
        })
    };
    let load_resource = {
        let (state, loaded, note) = (state.clone(), loaded_resource.clone(), note.clone());
        let resource = resource.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(r) = &resource {
                let mut s = (*state).clone();
                s.load_resource_policy(r);
                state.set(s);
                loaded.set(Some(r.clone()));
                note.set(None);
            }
        })
    };
    // Each save writes the part back and, when it succeeds, takes what it wrote as loaded.
    let save_identity = saver(
        state,
        &note,
        &store,
        &loaded_identity,
        |i| &i.name,
        account::save_identity,
        |a, name| a.identities.into_iter().find(|i| i.name == name),
    );
    let save_resource = saver(
        state,
        &note,
        &store,
        &loaded_resource,
        |r| &r.node,
        account::save_resource_policy,
        |a, node| a.policies.into_iter().find(|r| r.node == node),
    );
    let kind = |k: crate::core::flow::IdentityKind| match k {
        crate::core::flow::IdentityKind::Role => "role",
        crate::core::flow::IdentityKind::User => "user",
    };
    // A save writes to what was loaded last, and only while the page still evaluates as
    // it (every request its) or holds its policy: after Clear, a scenario or an undo to
    // before the load, there is nothing of it on the page to save. And only while the
    // account still holds it as loaded: a change made since (in the console drawer, on
    // another page) is not written over; the page asks to load it again.
    let page = &**state;
    let identity_on_page = (*loaded_identity).as_ref().filter(|l| {
        !page.requests.is_empty() && page.requests.iter().all(|r| r.caller.name == l.name)
    });
    let identity_target = identity_on_page.map(|l| (l, account.identities.contains(l)));
    let resource_on_page = (*loaded_resource).as_ref().filter(|l| {
        page.resource
            .as_ref()
            .is_some_and(|d| d.name == format!("{} policy", l.node))
    });
    let resource_target = resource_on_page.map(|l| (l, account.policies.contains(l)));
    html! {
        <section class="panel card-panel" aria-labelledby="iam-account-h" data-embed="account" data-testid="iam-account">
            <h2 id="iam-account-h">{ "The sandbox account" }</h2>
            <p class="hint">{ "The roles, users and resource policies of this sandbox's account: the flow page's functions run as these roles, and the console's aws iam commands change them. Load one to evaluate requests as it, edit its policies below, and save them back." }</p>
            if let Some(i) = &identity {
                <div class="toolbar">
                    <div class="field narrow">
                        <label for="iam-account-identity">{ "Role or user" }</label>
                        <select id="iam-account-identity" data-testid="iam-account-identity" onchange={{ let p = picked_identity.clone(); Callback::from(move |e: Event| p.set(crate::app::components::form::input_value(&e))) }}>
                            { for account.identities.iter().map(|o| html! { <option value={o.name.clone()} selected={o.name == i.name}>{ format!("{} {} · {} polic{}", kind(o.kind), o.name, o.policies.len(), if o.policies.len() == 1 { "y" } else { "ies" }) }</option> }) }
                        </select>
                    </div>
                    <button type="button" class="small" onclick={load_identity} data-testid="iam-account-load-identity">{ "Evaluate as it" }</button>
                    if let Some((l, current)) = identity_target {
                        if current {
                            <button type="button" class="small" onclick={save_identity} data-testid="iam-account-save-identity">{ format!("Save the identity-based policies and boundary to {} {}", kind(l.kind), l.name) }</button>
                        } else {
                            <p class="hint" data-testid="iam-account-stale">{ format!("The account's {} {} changed after you loaded it (or is gone): load it again before saving, so that change is not written over.", kind(l.kind), l.name) }</p>
                        }
                    }
                </div>
            }
            if let Some(r) = &resource {
                <div class="toolbar">
                    <div class="field narrow">
                        <label for="iam-account-resource">{ "Resource policy" }</label>
                        <select id="iam-account-resource" data-testid="iam-account-resource" onchange={{ let p = picked_resource.clone(); Callback::from(move |e: Event| p.set(crate::app::components::form::input_value(&e))) }}>
                            { for account.policies.iter().map(|o| html! { <option value={o.node.clone()} selected={o.node == r.node}>{ o.node.clone() }</option> }) }
                        </select>
                    </div>
                    <button type="button" class="small" onclick={load_resource} data-testid="iam-account-load-resource">{ "Load its policy" }</button>
                    if let Some((l, current)) = resource_target {
                        if current {
                            <button type="button" class="small" onclick={save_resource} data-testid="iam-account-save-resource">{ format!("Save the resource-based policy to {}", l.node) }</button>
                        } else {
                            <p class="hint" data-testid="iam-account-stale">{ format!("The policy of {} changed in the account after you loaded it (or the resource is gone): load it again before saving.", l.node) }</p>
                        }
                    }
                </div>
            }
            if let Some(outcome) = &*note {
                <p class={if outcome.is_ok() { "hint" } else { "finding error" }} role="status" data-testid="iam-account-note">{ match outcome { Ok(t) | Err(t) => t.clone() } }</p>
            }
        </section>
    }
}

/// A save button's callback: writes the page's policies to what `loaded` names with
/// `save`, stores the account's part, and takes what was written as loaded (`reread`).
fn saver<T: Clone + 'static>(
    state: &Handle,
    note: &UseStateHandle<Option<Result<String, String>>>,
    store: &crate::app::sandbox::Store,
    loaded: &UseStateHandle<Option<T>>,
    key: fn(&T) -> &String,
    save: fn(&mut serde_json::Value, &str, &IamState) -> Result<String, String>,
    reread: fn(account::AccountIam, &str) -> Option<T>,
) -> Callback<MouseEvent> {
    let (state, note, store, loaded) = (state.clone(), note.clone(), store.clone(), loaded.clone());
    Callback::from(move |_: MouseEvent| {
        let Some(target) = (*loaded).as_ref().map(|t| key(t).clone()) else {
            return;
        };
        let mut part = store.account_part("serverless").unwrap_or_default();
        let outcome = save(&mut part, &target, &state);
        if outcome.is_ok() {
            loaded.set(reread(account::read(&part), &target));
            store.set_account_part("serverless", Some(part));
        }
        note.set(Some(outcome));
    })
}

fn scenario_picker(state: &Handle, edited: bool) -> Html {
    let s = &**state;
    let current = scenarios::by_id(&s.scenario);
    html! {
        <section class="panel card-panel" aria-labelledby="iam-scenarios" data-embed="scenarios">
            <h2 id="iam-scenarios">{ "Scenarios" }</h2>
            <ul class="scenario-list">
                { for SCENARIOS.iter().map(|sc| {
                    let load = on_click(state, move |s| *s = sc.state());
                    html! {
                        <li><button type="button" class="small" aria-pressed={(s.scenario == sc.id).to_string()} onclick={load} data-testid={format!("scenario-{}", sc.id)}>{ sc.title }</button></li>
                    }
                }) }
            </ul>
            if let Some(sc) = current {
                if edited {
                    <p class="hint" data-testid="scenario-edited">{ format!("Started from \"{}\" and changed since; load it again to start over.", sc.title) }</p>
                }
                <p data-testid="scenario-summary">{ sc.summary }</p>
                <p class="hint" data-testid="scenario-source">{ "Source: " }{ linked(sc.source) }</p>
            } else {
                <p class="hint">{ "Load a scenario to start from an example; your own policies and requests are kept in the link and the open sandbox." }</p>
            }
        </section>
    }
}

/// Text with its `https://` addresses as links (the AWS pages scenarios cite).
fn linked(text: &str) -> Html {
    let mut parts: Vec<Html> = vec![];
    let mut rest = text;
    while let Some(at) = rest.find("https://") {
        parts.push(html! { { &rest[..at] } });
        let url_len = rest[at..]
            .find(|c: char| c == ')' || c.is_whitespace())
            .unwrap_or(rest.len() - at);
        let url = &rest[at..at + url_len];
        parts.push(html! { <a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ url.trim_start_matches("https://") }</a> });
        rest = &rest[at + url_len..];
    }
    parts.push(html! { { rest } });
    parts.into_iter().collect()
}

/// The hint under a layer's heading.
fn layer_hint(layer: &str) -> &'static str {
    match layer {
        "scp" => "Service control policies cap what the organization's users and roles may do. Level 0 is the root, then each OU, the last level the account; every level must allow. They grant nothing by themselves.",
        "rcp" => "Resource control policies cap what anyone may do to the organization's resources; only their denies count (RCPFullAWSAccess is attached everywhere).",
        "resource" => "The policy on the resource: a bucket, queue, topic or function policy, a role's trust policy or a KMS key policy. It names principals.",
        "identity" => "Policies attached to the caller (the IAM user or role, directly or through groups).",
        "boundary" => "The most an identity-based policy can grant the caller; it grants nothing by itself.",
        _ => "Policies passed with AssumeRole or GetFederationToken: the session gets at most what they allow.",
    }
}

fn policies_view(state: &Handle, c: &Compiled, e: Option<&Evaluation>) -> Html {
    let s = &**state;
    let report = |place: Place| c.docs.iter().find(|d| d.place == place);
    let editor_at = |place: Place, doc: &Doc| match report(place) {
        Some(r) => editor(state, place, doc, r, e),
        None => html! {},
    };
    let add = |what: &'static str, f: fn(&mut IamState), disabled: bool, id: &'static str| {
        html! { <button type="button" class="small" onclick={on_click(state, f)} {disabled} data-testid={id}>{ what }</button> }
    };
    html! {
        <>
            <fieldset class="layer" data-testid="layer-scps">
                <legend>{ "Service control policies (SCPs)" }</legend>
                <p class="hint">{ layer_hint("scp") }</p>
                { for s.scps.iter().enumerate().map(|(l, level)| html! {
                    <div class="scp-level" data-testid={format!("scp-level-{l}")}>
                        <h3>{ capitalize(&scp_level_name(l, s.scps.len())) }</h3>
                        { for level.iter().enumerate().map(|(i, d)| editor_at(Place::Scp(l, i), d)) }
                        <div class="toolbar">
                            <button type="button" class="small" disabled={level.len() >= MAX_POLICIES} onclick={on_click(state, move |s| if let Some(v) = s.scps.get_mut(l) { v.push(Doc::new("", scenarios::template(Place::Scp(l, 0)))) })} data-testid={format!("add-scp-{l}")}>{ "Add an SCP at this level" }</button>
                            <button type="button" class="small" onclick={on_click(state, move |s| { if l < s.scps.len() { s.scps.remove(l); } })} data-testid={format!("remove-scp-level-{l}")}>{ "Remove this level" }</button>
                        </div>
                    </div>
                }) }
                { add("Add an SCP level", |s| s.scps.push(vec![Doc::new("FullAWSAccess", scenarios::template(Place::Scp(0, 0)))]), s.scps.len() >= MAX_SCP_LEVELS, "add-scp-level") }
            </fieldset>
            <fieldset class="layer" data-testid="layer-rcps">
                <legend>{ "Resource control policies (RCPs)" }</legend>
                <p class="hint">{ layer_hint("rcp") }</p>
                { for s.rcps.iter().enumerate().map(|(i, d)| editor_at(Place::Rcp(i), d)) }
                { add("Add an RCP", |s| s.rcps.push(Doc::new("", scenarios::template(Place::Rcp(0)))), s.rcps.len() >= MAX_POLICIES, "add-rcp") }
            </fieldset>
            <fieldset class="layer" data-testid="layer-resource">
                <legend>{ "Resource-based policy" }</legend>
                <p class="hint">{ layer_hint("resource") }</p>
                if let Some(d) = &s.resource {
                    <div class="field narrow">
                        <label for="resource-kind">{ "It is" }</label>
                        <select id="resource-kind" data-testid="resource-kind" onchange={on_edit::<_, Event>(state, |s, v| s.resource_kind = match v.as_str() { "role-trust" => ResourceKind::RoleTrust, "kms-key" => ResourceKind::KmsKey, _ => ResourceKind::Generic })}>
                            <option value="generic" selected={s.resource_kind == ResourceKind::Generic}>{ "a bucket, queue, topic or function policy" }</option>
                            <option value="role-trust" selected={s.resource_kind == ResourceKind::RoleTrust}>{ "a role's trust policy" }</option>
                            <option value="kms-key" selected={s.resource_kind == ResourceKind::KmsKey}>{ "a KMS key policy" }</option>
                        </select>
                    </div>
                    if s.resource_kind != ResourceKind::Generic {
                        <p class="hint">{ "Trust policies and key policies must allow the caller even within the account: an identity-based policy alone is not enough." }</p>
                    }
                    { editor_at(Place::Resource, d) }
                } else {
                    { add("Add a resource-based policy", |s| s.resource = Some(Doc::new("", scenarios::template(Place::Resource))), false, "add-resource") }
                }
            </fieldset>
            <fieldset class="layer" data-testid="layer-identity">
                <legend>{ "Identity-based policies" }</legend>
                <p class="hint">{ layer_hint("identity") }</p>
                { for s.identity.iter().enumerate().map(|(i, d)| editor_at(Place::Identity(i), d)) }
                { add("Add an identity-based policy", |s| s.identity.push(Doc::new("", scenarios::template(Place::Identity(0)))), s.identity.len() >= MAX_POLICIES, "add-identity") }
            </fieldset>
            <fieldset class="layer" data-testid="layer-boundary">
                <legend>{ "Permissions boundary" }</legend>
                <p class="hint">{ layer_hint("boundary") }</p>
                if let Some(d) = &s.boundary {
                    { editor_at(Place::Boundary, d) }
                } else {
                    { add("Add a permissions boundary", |s| s.boundary = Some(Doc::new("", scenarios::template(Place::Boundary))), false, "add-boundary") }
                }
            </fieldset>
            <fieldset class="layer" data-testid="layer-session">
                <legend>{ "Session policies" }</legend>
                <p class="hint">{ layer_hint("session") }</p>
                { for s.session.iter().enumerate().map(|(i, d)| editor_at(Place::Session(i), d)) }
                { add("Add a session policy", |s| s.session.push(Doc::new("", scenarios::template(Place::Session(0)))), s.session.len() >= MAX_POLICIES, "add-session") }
            </fieldset>
        </>
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect())
        .unwrap_or_default()
}

fn scp_level_name(l: usize, n: usize) -> String {
    match l {
        0 => "level 0, the root".into(),
        l if l + 1 == n => format!("level {l}, the account"),
        l => format!("level {l}, an OU"),
    }
}

/// One policy editor: its name, the text with a gutter marking statements and errors, the
/// statements' verdicts for the selected request, and the lint findings.
fn editor(
    state: &Handle,
    place: Place,
    doc: &Doc,
    report: &DocReport,
    e: Option<&Evaluation>,
) -> Html {
    let key = place.key();
    let m = e.map(|e| marks(e, place, &report.name)).unwrap_or_default();
    let n_lines = doc.text.lines().count().max(1) + usize::from(doc.text.ends_with('\n'));
    let error_line = report.error_line();
    // Each line's class: the mark of the statement it is in, an error, a finding.
    let finding_stmts: Vec<usize> = report
        .findings
        .iter()
        .filter_map(|f| crate::core::iam::policy::statement_of_path(&f.path))
        .collect();
    let line_class_of = |ln: usize| -> String {
        let mut c = String::from("ln");
        if error_line == Some(ln) {
            c.push_str(" mark-error");
        }
        for (i, mark, effect) in &m {
            if let Some((a, b)) = report.statement(*i) {
                if (a..=b).contains(&ln) {
                    let eff = if *effect == Effect::Deny {
                        "deny"
                    } else {
                        "allow"
                    };
                    c.push_str(match mark {
                        Mark::Deciding => " mark-deciding",
                        Mark::Applies => " mark-applies",
                        Mark::Skipped => " mark-skipped",
                    });
                    c.push_str(&format!(" eff-{eff}"));
                }
            }
        }
        if finding_stmts
            .iter()
            .any(|i| report.statement(*i).is_some_and(|(a, _)| a == ln))
        {
            c.push_str(" mark-finding");
        }
        c
    };
    // One class per line, computed once; a gutter only for policies of a sane length (a
    // pasted megabyte still edits, unmarked).
    let classes: Vec<String> = if n_lines <= MAX_GUTTER_LINES {
        (1..=n_lines).map(line_class_of).collect()
    } else {
        vec![]
    };
    let described_by = [
        report.error.is_some().then(|| format!("perr-{key}")),
        (!report.findings.is_empty()).then(|| format!("lint-{key}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let on_text = on_edit::<_, InputEvent>(state, move |s, v| {
        if let Some(d) = s.doc_mut(place) {
            d.text = v;
        }
    });
    let on_name = on_edit::<_, InputEvent>(state, move |s, v| {
        if let Some(d) = s.doc_mut(place) {
            d.name = v;
        }
    });
    let remove = on_click(state, move |s| s.remove(place));
    let text_id = format!("policy-{key}");
    let layer_name = place.layer().name();
    html! {
        <div class="policy-editor" data-testid={format!("editor-{key}")}>
            <div class="editor-head">
                <label class="visually-hidden" for={format!("name-{key}")}>{ format!("Name of this {layer_name}") }</label>
                <input id={format!("name-{key}")} type="text" class="policy-name mono" value={doc.name.clone()} placeholder={report.name.clone()} oninput={on_name} data-testid={format!("name-{key}")} />
                <button type="button" class="small" onclick={remove} aria-label={format!("Remove {layer_name} {}", report.name)} data-testid={format!("remove-{key}")}>{ "Remove" }</button>
            </div>
            <div class="code-wrap">
                <div class="gutter" aria-hidden="true">
                    { for classes.iter().enumerate().map(|(i, c)| html! { <div class={c.clone()}>{ i + 1 }</div> }) }
                </div>
                <div class="code-area">
                    <div class="code-bg" aria-hidden="true">
                        { for classes.iter().map(|c| html! { <div class={c.clone()}></div> }) }
                    </div>
                    <textarea id={text_id.clone()} class="code" rows={n_lines.to_string()} wrap="off" spellcheck="false" autocomplete="off"
                        aria-label={format!("{layer_name} {} (JSON)", report.name)} aria-invalid={report.error.is_some().to_string()}
                        aria-describedby={described_by}
                        value={doc.text.clone()} oninput={on_text} data-testid={text_id} />
                </div>
            </div>
            if let Some(err) = &report.error {
                <p class="error" role="alert" id={format!("perr-{key}")} data-testid={format!("policy-error-{key}")}>{ err.to_string() }</p>
            }
            if !m.is_empty() {
                <ul class="stmt-list" data-testid={format!("statements-{key}")}>
                    { for e.into_iter().flat_map(|e| e.trace.iter()).filter(|t| t.layer == place.layer() && *t.policy == *report.name).map(|t| {
                        let mark = m.iter().find(|x| x.0 == t.index).map(|x| x.1);
                        let (cls, what) = match (&t.applies, mark) {
                            (Ok(()), Some(Mark::Deciding)) => ("deciding", format!("{}: decides", t.effect.name())),
                            (Ok(()), _) => ("applies", format!("{}: applies", t.effect.name())),
                            (Err(why), _) => ("skipped", format!("{}: does not apply: {why}", t.effect.name())),
                        };
                        html! {
                            <li class={format!("stmt {cls} eff-{}", if t.effect == Effect::Deny { "deny" } else { "allow" })} data-testid={format!("stmt-{key}-{}", t.index)}>
                                <span class="mono">{ &*t.statement }</span>
                                if let Some((a, b)) = report.statement(t.index) {
                                    <span class="muted">{ if a == b { format!(" (line {a})") } else { format!(" (lines {a}–{b})") } }</span>
                                }
                                { format!(" — {what}") }
                            </li>
                        }
                    }) }
                </ul>
            }
            if !report.findings.is_empty() {
                <ul class="findings" id={format!("lint-{key}")} data-testid={format!("findings-{key}")}>
                    { for report.findings.iter().map(|f| html! {
                        <li class={classes!("finding", if f.severity == Severity::Error { "error" } else { "warning" })}>
                            <span class="badge">{ f.severity.name() }</span>
                            <code class="code">{ f.code }</code>
                            if !f.path.is_empty() { <span class="mono">{ format!(" {}", f.path) }</span> }
                            { format!(": {}", f.message) }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

fn caller_label(r: &Row) -> String {
    match r.caller.kind {
        CallerKind::User => format!("user {}", r.caller.name),
        CallerKind::Role => format!("role {}/{}", r.caller.name, r.caller.session),
        CallerKind::Federated => format!("federated {}", r.caller.name),
        CallerKind::Service => r.caller.name.clone(),
        CallerKind::WebIdentity => format!("user of {}", r.caller.name),
        CallerKind::Anonymous => "anonymous".into(),
    }
}

/// "Test many": every request with its decision; a row's button shows it in full.
fn requests_table(state: &Handle, runs: &[Run]) -> Html {
    let s = &**state;
    let selected = s.selected();
    html! {
        <>
            <div class="table-scroll"><table class="data requests" role="table" data-testid="requests">
                <caption class="visually-hidden">{ "Requests and their decisions; choose one to see why." }</caption>
                <thead><tr>
                    <th scope="col">{ "#" }</th><th scope="col">{ "Caller" }</th><th scope="col">{ "Action" }</th>
                    <th scope="col">{ "Resource" }</th><th scope="col">{ "Decision" }</th>
                </tr></thead>
                <tbody>
                    { for s.requests.iter().enumerate().map(|(i, r)| {
                        let pick = on_click(state, move |s| s.selected = i);
                        let decision = match runs.get(i) {
                            Some(Ok((_, e))) => html! { <span class={classes!("decision-chip", decision_class(e.decision))} data-testid={format!("row-decision-{i}")}>{ e.decision.name() }</span> },
                            _ => html! { <span class="decision-chip invalid" data-testid={format!("row-decision-{i}")}>{ "—" }</span> },
                        };
                        html! {
                            <tr role="row" class={classes!((i == selected).then_some("selected"))} aria-current={(i == selected).then_some("true")}>
                                <td role="cell"><button type="button" class="small" onclick={pick} aria-pressed={(i == selected).to_string()} aria-label={format!("Show request {}", i + 1)} data-testid={format!("pick-{i}")}>{ i + 1 }</button></td>
                                <td role="cell" class="mono small">{ caller_label(r) }</td>
                                <td role="cell" class="mono small">{ r.action.trim() }</td>
                                <td role="cell" class="mono small wrap">{ r.resource.trim() }</td>
                                <td role="cell">{ decision }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table></div>
            <div class="toolbar">
                <button type="button" class="small" disabled={s.requests.len() >= MAX_REQUESTS} onclick={on_click(state, |s| { let i = s.selected(); let r = s.requests.get(i).cloned().unwrap_or_default(); s.requests.insert((i + 1).min(s.requests.len()), r); s.selected = i + 1; })} data-testid="duplicate-request">{ "Duplicate this request" }</button>
                <button type="button" class="small" disabled={s.requests.len() >= MAX_REQUESTS} onclick={on_click(state, |s| { s.requests.push(Row::default()); s.selected = s.requests.len() - 1; })} data-testid="add-request">{ "Add a request" }</button>
                <button type="button" class="small" disabled={s.requests.len() <= 1} onclick={on_click(state, |s| { let i = s.selected(); if s.requests.len() > 1 { s.requests.remove(i); } s.selected = s.selected(); })} data-testid="remove-request">{ "Remove this request" }</button>
            </div>
        </>
    }
}

fn request_form(state: &Handle) -> Html {
    let s = &**state;
    let i = s.selected();
    let Some(r) = s.requests.get(i) else {
        return html! {};
    };
    let c = &r.caller;
    let kind = c.kind;
    let name_label = match kind {
        CallerKind::User => "User name",
        CallerKind::Role => "Role name",
        CallerKind::Federated => "Federated user name",
        CallerKind::Service => "Service principal",
        CallerKind::WebIdentity => "Identity provider",
        CallerKind::Anonymous => "",
    };
    let derived = c.derived_keys();
    html! {
        <fieldset class="request-form" data-testid="request-form">
            <legend>{ format!("Request {}", i + 1) }</legend>
            <div class="toolbar">
                <div class="field narrow">
                    <label for="caller-kind">{ "Caller" }</label>
                    <select id="caller-kind" data-testid="caller-kind" onchange={row_edit::<Event>(state, |r, v| r.caller.kind = match v.as_str() { "role" => CallerKind::Role, "federated" => CallerKind::Federated, "service" => CallerKind::Service, "web-identity" => CallerKind::WebIdentity, "anonymous" => CallerKind::Anonymous, _ => CallerKind::User })}>
                        <option value="user" selected={kind == CallerKind::User}>{ "IAM user" }</option>
                        <option value="role" selected={kind == CallerKind::Role}>{ "role session" }</option>
                        <option value="federated" selected={kind == CallerKind::Federated}>{ "federated user" }</option>
                        <option value="service" selected={kind == CallerKind::Service}>{ "AWS service" }</option>
                        <option value="web-identity" selected={kind == CallerKind::WebIdentity}>{ "web identity or SAML user" }</option>
                        <option value="anonymous" selected={kind == CallerKind::Anonymous}>{ "anonymous" }</option>
                    </select>
                </div>
                if matches!(kind, CallerKind::User | CallerKind::Role | CallerKind::Federated) {
                    <div class="field id-field">
                        <label for="caller-account">{ "Account" }</label>
                        <input id="caller-account" type="text" class="mono" inputmode="numeric" autocomplete="off" value={c.account.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.caller.account = v)} data-testid="caller-account" />
                    </div>
                }
                if kind != CallerKind::Anonymous {
                    <div class="field id-field">
                        <label for="caller-name">{ name_label }</label>
                        <input id="caller-name" type="text" class="mono" autocomplete="off" value={c.name.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.caller.name = v)} data-testid="caller-name" />
                    </div>
                }
                if kind == CallerKind::Role {
                    <div class="field id-field">
                        <label for="caller-session">{ "Session name" }</label>
                        <input id="caller-session" type="text" class="mono" autocomplete="off" value={c.session.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.caller.session = v)} data-testid="caller-session" />
                    </div>
                }
                if matches!(kind, CallerKind::User | CallerKind::Role | CallerKind::Federated) {
                    <div class="field narrow">
                        <label for="caller-mfa">{ "Signed in" }</label>
                        <select id="caller-mfa" data-testid="caller-mfa" onchange={row_edit::<Event>(state, |r, v| r.caller.mfa = match v.as_str() { "yes" => Mfa::Yes, "no" => Mfa::No, _ => Mfa::Absent })}>
                            if kind == CallerKind::User {
                                <option value="absent" selected={c.mfa == Mfa::Absent}>{ "with access keys (no MFA key)" }</option>
                            }
                            <option value="no" selected={c.mfa == Mfa::No || (kind != CallerKind::User && c.mfa == Mfa::Absent)}>{ "without MFA (temporary credentials)" }</option>
                            <option value="yes" selected={c.mfa == Mfa::Yes}>{ "with MFA" }</option>
                        </select>
                    </div>
                }
            </div>
            <div class="toolbar">
                <div class="field id-field">
                    <label for="req-action">{ "Action" }</label>
                    <input id="req-action" type="text" class="mono" autocomplete="off" value={r.action.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.action = v)} data-testid="req-action" />
                </div>
                <div class="field arn-field">
                    <label for="req-resource">{ "Resource ARN" }</label>
                    <input id="req-resource" type="text" class="mono" autocomplete="off" value={r.resource.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.resource = v)} data-testid="req-resource" />
                </div>
                <div class="field id-field">
                    <label for="req-account">{ "Resource's account" }</label>
                    <input id="req-account" type="text" class="mono" inputmode="numeric" autocomplete="off" placeholder="from the ARN" value={r.resource_account.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.resource_account = v)} data-testid="req-account" />
                </div>
            </div>
            <div class="two-col">
                <div class="field">
                    <label for="req-context">{ "Context keys (key = value, or key = [a, b])" }</label>
                    <textarea id="req-context" class="mono" rows="4" spellcheck="false" placeholder="aws:SourceIp = 203.0.113.7" value={r.context.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.context = v)} data-testid="req-context" />
                </div>
                if matches!(kind, CallerKind::User | CallerKind::Role) {
                    <div class="field">
                        <label for="caller-tags">{ "Caller's tags (key=value per line)" }</label>
                        <textarea id="caller-tags" class="mono" rows="4" spellcheck="false" placeholder="team=blue" value={c.tags.clone()} oninput={row_edit::<InputEvent>(state, |r, v| r.caller.tags = v)} data-testid="caller-tags" />
                    </div>
                }
            </div>
            <p class="hint" data-testid="derived-keys">
                { "Keys AWS adds from the caller: " }
                if derived.is_empty() { { "none" } }
                { for derived.iter().enumerate().map(|(n, (k, v))| html! {
                    <>{ if n > 0 { ", " } else { "" } }<code>{ format!("{k} = {}", v.join(", ")) }</code></>
                }) }
                { ". Keys you type replace them." }
            </p>
        </fieldset>
    }
}

fn said_text(said: &Said) -> String {
    match said {
        Said::Deny => "Deny".into(),
        Said::Allow => "Allow".into(),
        Said::NoAllow => "no statement allows".into(),
        Said::Empty => "nothing attached".into(),
        Said::Skipped(why) => format!("not evaluated: {why}"),
    }
}

fn said_class(said: &Said) -> &'static str {
    match said {
        Said::Deny => "said-deny",
        Said::Allow => "said-allow",
        Said::NoAllow | Said::Empty => "said-none",
        Said::Skipped(_) => "said-skipped",
    }
}

fn layer_title(l: Layer, layers: &Layers) -> String {
    match l {
        Layer::Scp(i) => format!("SCPs at {}", scp_level_name(i, layers.scps.len())),
        Layer::Rcp => "RCPs".into(),
        Layer::Resource => "Resource-based policy".into(),
        Layer::Identity => "Identity-based policies".into(),
        Layer::Boundary => "Permissions boundary".into(),
        Layer::Session => "Session policies".into(),
    }
}

fn decision_view(c: &Compiled, run: Option<&Run>, i: usize) -> Html {
    let body = match (run, &c.layers) {
        (None, _) => return html! {},
        // A row without its own problems while a policy is broken: the list below says why.
        (Some(Err(errs)), _) if errs.is_empty() => html! {},
        (Some(Err(errs)), _) => html! {
            <div class="error-list" role="status" data-testid="request-errors">
                <p>{ "No decision yet:" }</p>
                <ul>{ for errs.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            </div>
        },
        (Some(Ok(_)), Err(_)) => html! {},
        (Some(Ok((req, e))), Ok(layers)) => {
            let steps = layer_steps(req, layers, e);
            html! {
                <>
                    <div role="status">
                        <p class={classes!("verdict", decision_class(e.decision))} data-testid="decision">{ e.decision.name() }</p>
                        <p class="reason" data-testid="reason">{ &e.reason }</p>
                    </div>
                    <ol class="layer-flow" data-testid="layer-flow" aria-label="What each layer said, in evaluation order">
                        { for steps.iter().enumerate().map(|(n, st)| html! {
                            <li class={classes!("layer-step", said_class(&st.said), st.decisive.then_some("decisive"))} data-testid={format!("flow-{n}")}>
                                <span class="layer-name">{ layer_title(st.layer, layers) }</span>
                                <span class="layer-said">{ said_text(&st.said) }</span>
                                if let Some(stmt) = &st.statement { <span class="layer-stmt mono">{ stmt }</span> }
                                if st.decisive { <span class="layer-decides">{ "decides" }</span> }
                            </li>
                        }) }
                        <li class={classes!("layer-step", "outcome", decision_class(e.decision))} data-testid="flow-outcome">
                            <span class="layer-name">{ "Decision" }</span>
                            <span class="layer-said">{ e.decision.name() }</span>
                        </li>
                    </ol>
                    <details class="trace" data-testid="trace">
                        <summary>{ format!("Every statement ({})", e.trace.len()) }</summary>
                        <div class="table-scroll"><table class="data trace-table" role="table">
                            <thead><tr><th scope="col">{ "Layer" }</th><th scope="col">{ "Policy" }</th><th scope="col">{ "Statement" }</th><th scope="col">{ "Effect" }</th><th scope="col">{ "Verdict" }</th></tr></thead>
                            <tbody>
                                { for e.trace.iter().enumerate().map(|(n, t)| {
                                    let deciding = e.deciding.as_ref().is_some_and(|d| d.0 == t.layer && d.1 == *t.policy && d.2 == *t.statement);
                                    html! {
                                        <tr role="row" class={classes!(deciding.then_some("deciding"))} data-testid={format!("trace-{n}")}>
                                            <td role="cell">{ t.layer.name() }</td>
                                            <td role="cell" class="mono small">{ &*t.policy }</td>
                                            <td role="cell" class="mono small">{ &*t.statement }</td>
                                            <td role="cell">{ t.effect.name() }</td>
                                            <td role="cell">{ match &t.applies { Ok(()) if deciding => "applies and decides".to_string(), Ok(()) => "applies".to_string(), Err(w) => format!("does not apply: {w}") } }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table></div>
                    </details>
                </>
            }
        }
    };
    html! {
        <section class="decision-panel" aria-labelledby="iam-decision">
            <h3 id="iam-decision">{ format!("Decision for request {}", i + 1) }</h3>
            if let Err(broken) = &c.layers {
                <div class="error-list" role="status" data-testid="policy-errors">
                    <p>{ "Fix these policies to get a decision (AWS would refuse them too):" }</p>
                    <ul>{ for broken.iter().map(|b| html! { <li>{ b }</li> }) }</ul>
                </div>
            }
            { body }
        </section>
    }
}
