//! The flow page's IAM: the calls IAM denied up to the playhead (each with AWS's message,
//! the evaluator's reason and a link that opens it on the IAM page), and the editor of the
//! account's roles, users, execution roles and resource-based policies. Every change is the
//! IAM (or service) call named on its button, applied through `core::views::flow::edit`.

use crate::core::flow::{IdentityKind, ADMIN};
use crate::core::views::flow::edit::{Edit, Refusal};
use crate::core::views::flow::scenario::{Outcome, Scenario};
use yew::prelude::*;

/// Denials shown at most (the JSON export and the log have every one).
const SHOWN: usize = 50;

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// Each denial's link to the IAM page (built once per run, not on every frame).
pub fn denial_links(o: &Outcome) -> Vec<String> {
    o.denials
        .iter()
        .map(|d| {
            format!(
                "#/iam?{}",
                crate::core::iam::state::to_query(&o.access.iam_state(d))
            )
        })
        .collect()
}

/// The calls IAM denied up to `t`, newest first; `links` from [`denial_links`].
pub fn denials(o: &Outcome, t: u64, links: &[String]) -> Html {
    let upto: Vec<_> = o
        .denials
        .iter()
        .zip(links)
        .filter(|(d, _)| d.at_ms <= t)
        .collect();
    if o.denials.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel card-panel" aria-labelledby="flow-denials-h" data-embed="counters" data-testid="flow-denials">
            <h2 id="flow-denials-h">{ "Denied by IAM" }</h2>
            <p class="hint" data-testid="flow-denials-count">
                { format!("{} of the run's {} denied call{} so far", upto.len(), o.denials.len(), if o.denials.len() == 1 { "" } else { "s" }) }
                { ". Each was evaluated against the caller's identity-based policies and boundary and the resource's policy; open one on the IAM page to see every statement's verdict." }
            </p>
            <ol class="denials" reversed=true>
                { for upto.iter().rev().take(SHOWN).enumerate().map(|(k, (d, href))| {
                    let href = href.to_string();
                    html! {
                        <li data-testid={format!("flow-denial-{k}")}>
                            <p>
                                <span class="mono small">{ seconds(d.at_ms) }</span>{ " " }
                                <strong data-testid={format!("flow-denial-{k}-decision")}>{ d.decision.name() }</strong>{ ": " }
                                <span class="mono" data-testid={format!("flow-denial-{k}-action")}>{ d.action.clone() }</span>
                                { " on " }<span class="mono small">{ d.resource.clone() }</span>
                            </p>
                            <p data-testid={format!("flow-denial-{k}-reason")}>{ format!("Why: {}", d.reason.strip_prefix(&format!("{}: ", d.decision.name())).unwrap_or(&d.reason)) }</p>
                            <p class="mono small" data-testid={format!("flow-denial-{k}-message")}>{ format!("{}: {}", crate::core::flow::denied_code(&d.action).0, d.message) }</p>
                            <p><a href={href} data-testid={format!("flow-denial-{k}-iam")}>{ "Open this request on the IAM page" }</a></p>
                        </li>
                    }
                }) }
            </ol>
            if upto.len() > SHOWN {
                <p class="hint">{ format!("{} earlier denials are in the log and the JSON export.", upto.len() - SHOWN) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    /// Element id and test id.
    pub id: AttrValue,
    pub label: AttrValue,
    pub text: AttrValue,
    pub save_label: AttrValue,
    /// Saves the text; true when the edit was accepted.
    pub on_save: Callback<String, bool>,
    /// Back to `text` after an accepted save (the form that adds a policy).
    #[prop_or_default]
    pub reset_on_save: bool,
    /// Shown when the policy can be removed.
    #[prop_or_default]
    pub on_delete: Option<Callback<()>>,
    #[prop_or_default]
    pub delete_label: AttrValue,
}

/// A policy's JSON text with Save (and Delete). An unsaved draft is kept when the saved
/// text changes (a grant or an undo); an untouched one follows it.
#[component]
pub fn PolicyEditor(p: &PolicyProps) -> Html {
    let draft = use_state(|| p.text.to_string());
    let shown = use_mut_ref(|| p.text.to_string());
    {
        let (draft, shown) = (draft.clone(), shown.clone());
        use_effect_with(p.text.clone(), move |t| {
            if *draft == *shown.borrow() {
                draft.set(t.to_string());
            }
            *shown.borrow_mut() = t.to_string();
        });
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(crate::app::components::form::input_value(&e))
        })
    };
    let save = {
        let (draft, on_save, reset, text) = (
            draft.clone(),
            p.on_save.clone(),
            p.reset_on_save,
            p.text.to_string(),
        );
        Callback::from(move |_| {
            if on_save.emit((*draft).clone()) && reset {
                draft.set(text.clone());
            }
        })
    };
    let rows = draft.lines().count().clamp(3, 14).to_string();
    html! {
        <div class="field wide">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <textarea id={p.id.clone()} data-testid={p.id.clone()} class="mono" {rows} spellcheck="false" value={(*draft).clone()} {oninput} />
            <div class="toolbar">
                <button type="button" data-testid={format!("{}-save", p.id)} onclick={save}>{ p.save_label.clone() }</button>
                if let Some(d) = p.on_delete.clone() {
                    <button type="button" class="secondary" data-testid={format!("{}-delete", p.id)} onclick={Callback::from(move |_| d.emit(()))}>{ p.delete_label.clone() }</button>
                }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub scenario: std::rc::Rc<Scenario>,
    pub on_edit: Callback<Result<Edit, String>, bool>,
    pub message: Option<Result<String, Refusal>>,
}

/// A name in an element id: letters, digits and `-` as they are, any other character as
/// `_` and its code in hex (`x.fifo` → `x_2efifo`), so two names never share an id.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}", c as u32));
        }
    }
    out
}

/// Roles and users with their policies, each function's execution role, each resource's
/// policy, and the form that creates a role or user.
#[component]
pub fn PermissionsPanel(p: &PanelProps) -> Html {
    let s = &*p.scenario;
    let new_name = use_state(String::new);
    let new_kind = use_state(|| IdentityKind::Role);
    let emit = |e: Edit| {
        let on_edit = p.on_edit.clone();
        move || {
            on_edit.emit(Ok(e.clone()));
        }
    };
    let create = {
        let (on_edit, name, kind) = (p.on_edit.clone(), new_name.clone(), new_kind.clone());
        Callback::from(move |_| {
            if on_edit.emit(Ok(Edit::CreateIdentity {
                kind: *kind,
                name: name.trim().to_string(),
            })) {
                name.set(String::new());
            }
        })
    };
    let roles: Vec<&str> = s
        .identities
        .iter()
        .filter(|i| i.kind == IdentityKind::Role)
        .map(|i| i.name.as_str())
        .collect();
    let resources: Vec<(String, Option<String>)> = s
        .queues
        .iter()
        .map(|q| (format!("queue {}", q.name), q.policy.clone()))
        .chain(
            s.topics
                .iter()
                .map(|t| (format!("topic {}", t.name), t.policy.clone())),
        )
        .chain(
            s.buckets
                .iter()
                .map(|b| (format!("bucket {}", b.name), b.policy.clone())),
        )
        .chain(
            s.functions
                .iter()
                .map(|f| (format!("function {}", f.name), f.policy.clone())),
        )
        .collect();
    html! {
        <section class="panel card-panel" aria-labelledby="flow-iam-h" data-embed="build" data-testid="flow-permissions">
            <h2 id="flow-iam-h">{ "Permissions (IAM)" }</h2>
            <p class="hint">{ format!("Every call is authorized by the IAM evaluator. A function calls as its execution role; the script calls as the user {ADMIN} (AdministratorAccess) unless an action names another role or user; services (SNS, S3, API Gateway) need the target's resource-based policy. The templates start least-privilege, and each Build change grants what it newly needs, as the AWS consoles do.") }</p>
            if let Some(m) = &p.message {
                <p class={classes!("hint", m.is_err().then_some("error"))} data-testid="flow-iam-message">
                    { match m { Ok(t) => t.clone(), Err(r) => format!("Refused: {}", r.errors.join(" ")) } }
                </p>
            }
            <h3>{ "Execution roles" }</h3>
            if s.functions.is_empty() {
                <p class="hint">{ "No functions yet." }</p>
            }
            <div class="toolbar">
                { for s.functions.iter().map(|f| {
                    let id = format!("iam-role-of-{}", slug(&f.name));
                    let onchange = {
                        let (on_edit, f) = (p.on_edit.clone(), f.clone());
                        Callback::from(move |e: Event| {
                            let mut config = f.clone();
                            config.role = crate::app::components::form::input_value(&e);
                            on_edit.emit(Ok(Edit::UpdateFunction { config }));
                        })
                    };
                    html! {
                        <div class="field narrow">
                            <label for={id.clone()}>{ format!("Function {} runs as", f.name) }</label>
                            <select id={id.clone()} data-testid={id} key={format!("{}\u{0}{}", f.name, f.role)} {onchange}>
                                if !roles.contains(&f.role.as_str()) {
                                    <option value={f.role.clone()} selected=true>{ if f.role.is_empty() { "(no role)".to_string() } else { format!("{} (missing)", f.role) } }</option>
                                }
                                { for roles.iter().map(|r| html! { <option value={r.to_string()} selected={f.role == *r}>{ r.to_string() }</option> }) }
                            </select>
                        </div>
                    }
                }) }
            </div>
            <h3>{ "Roles and users" }</h3>
            { for s.identities.iter().map(|i| {
                let kind = match i.kind { IdentityKind::Role => "Role", IdentityKind::User => "User" };
                let users: Vec<&str> = s.functions.iter().filter(|f| f.role == i.name).map(|f| f.name.as_str()).collect();
                let key = slug(&i.name);
                let new_policy = (1..).map(|k| if k == 1 { format!("{}-policy", i.name) } else { format!("{}-policy-{k}", i.name) }).find(|n| !i.policies.iter().any(|d| d.name == *n)).unwrap_or_default();
                let ik = i.kind;
                let (put_label, delete_label, boundary_label, boundary_delete, delete_identity) = match ik {
                    IdentityKind::Role => ("Save (PutRolePolicy)", "Delete (DeleteRolePolicy)", "Save (PutRolePermissionsBoundary)", "Remove (DeleteRolePermissionsBoundary)", "Delete role (DeleteRole)"),
                    IdentityKind::User => ("Save (PutUserPolicy)", "Delete (DeleteUserPolicy)", "Save (PutUserPermissionsBoundary)", "Remove (DeleteUserPermissionsBoundary)", "Delete user (DeleteUser)"),
                };
                html! {
                    <details class="identity" data-testid={format!("iam-identity-{key}")} key={i.name.clone()}>
                        <summary>
                            <strong>{ format!("{kind} {}", i.name) }</strong>
                            { format!(" · {} polic{}", i.policies.len(), if i.policies.len() == 1 { "y" } else { "ies" }) }
                            if i.boundary.is_some() { { " · a permissions boundary" } }
                            if !users.is_empty() { { format!(" · execution role of {}", users.join(", ")) } }
                        </summary>
                        { for i.policies.iter().enumerate().map(|(k, d)| {
                            let (identity, name) = (i.name.clone(), d.name.clone());
                            let save = { let on_edit = p.on_edit.clone(); let (identity, name) = (identity.clone(), name.clone()); Callback::from(move |document: String| on_edit.emit(Ok(Edit::PutIdentityPolicy { kind: ik, identity: identity.clone(), name: name.clone(), document }))) };
                            let delete = { let f = emit(Edit::DeleteIdentityPolicy { kind: ik, identity, name }); Callback::from(move |_| f()) };
                            html! { <PolicyEditor key={d.name.clone()} id={format!("iam-policy-{key}-{k}")} label={format!("Policy {}", d.name)} text={d.text.clone()} save_label={put_label} on_save={save} on_delete={Some(delete)} {delete_label} /> }
                        }) }
                        {{
                            let (on_edit, identity, name) = (p.on_edit.clone(), i.name.clone(), new_policy.clone());
                            let save = Callback::from(move |document: String| on_edit.emit(Ok(Edit::PutIdentityPolicy { kind: ik, identity: identity.clone(), name: name.clone(), document })));
                            html! { <PolicyEditor key={new_policy.clone()} id={format!("iam-policy-{key}-new")} label={format!("Add policy {new_policy}")} text={String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}")} save_label={format!("Add {new_policy} ({})", if ik == IdentityKind::Role { "PutRolePolicy" } else { "PutUserPolicy" })} on_save={save} reset_on_save=true /> }
                        }}
                        {{
                            let (on_edit, identity) = (p.on_edit.clone(), i.name.clone());
                            let save = { let (on_edit, identity) = (on_edit.clone(), identity.clone()); Callback::from(move |document: String| { let document = Some(document).filter(|d| !d.trim().is_empty()); on_edit.emit(Ok(Edit::PutPermissionsBoundary { kind: ik, identity: identity.clone(), document })) }) };
                            let delete = i.boundary.is_some().then(|| Callback::from(move |_| { on_edit.emit(Ok(Edit::PutPermissionsBoundary { kind: ik, identity: identity.clone(), document: None })); }));
                            html! { <PolicyEditor id={format!("iam-boundary-{key}")} label={"Permissions boundary (empty: none)"} text={i.boundary.as_ref().map(|b| b.text.clone()).unwrap_or_default()} save_label={boundary_label} on_save={save} on_delete={delete} delete_label={boundary_delete} /> }
                        }}
                        <button type="button" class="secondary" data-testid={format!("iam-delete-{key}")} onclick={{ let f = emit(Edit::DeleteIdentity { kind: ik, name: i.name.clone() }); Callback::from(move |_| f()) }}>{ delete_identity }</button>
                    </details>
                }
            }) }
            <div class="toolbar">
                <div class="field narrow">
                    <label for="iam-new-kind">{ "Create" }</label>
                    <select id="iam-new-kind" data-testid="iam-new-kind" onchange={{ let k = new_kind.clone(); Callback::from(move |e: Event| k.set(if crate::app::components::form::input_value(&e) == "user" { IdentityKind::User } else { IdentityKind::Role })) }}>
                        <option value="role" selected={*new_kind == IdentityKind::Role}>{ "a role" }</option>
                        <option value="user" selected={*new_kind == IdentityKind::User}>{ "a user" }</option>
                    </select>
                </div>
                <div class="field narrow">
                    <label for="iam-new-name">{ "Name" }</label>
                    <input id="iam-new-name" type="text" autocomplete="off" data-testid="iam-new-name" value={(*new_name).clone()} oninput={{ let n = new_name.clone(); Callback::from(move |e: InputEvent| n.set(crate::app::components::form::input_value(&e))) }} />
                </div>
                <button type="button" data-testid="iam-new-submit" onclick={create}>{ if *new_kind == IdentityKind::Role { "Create (CreateRole)" } else { "Create (CreateUser)" } }</button>
            </div>
            <h3>{ "Resource-based policies" }</h3>
            if resources.is_empty() {
                <p class="hint">{ "No queues, topics, buckets or functions yet." }</p>
            }
            { for resources.iter().map(|(node, policy)| {
                let key = match node.split_once(' ') {
                    Some((kind, name)) => format!("{kind}-{}", slug(name)),
                    None => slug(node),
                };
                let op = match node.split_once(' ').map(|(k, _)| k) { Some("queue") => "SetQueueAttributes", Some("topic") => "SetTopicAttributes", Some("bucket") => "PutBucketPolicy", _ => "AddPermission" };
                let save = { let (on_edit, node) = (p.on_edit.clone(), node.clone()); Callback::from(move |document: String| { let document = Some(document).filter(|d| !d.trim().is_empty()); on_edit.emit(Ok(Edit::PutResourcePolicy { node: node.clone(), document })) }) };
                html! {
                    <details data-testid={format!("iam-resource-{key}")} key={node.clone()}>
                        <summary>{ format!("{node}: {}", if policy.is_some() { "a policy" } else { "no policy" }) }</summary>
                        <PolicyEditor id={format!("iam-resource-policy-{key}")} label={format!("Policy of {node} (empty: none)")} text={policy.clone().unwrap_or_default()} save_label={format!("Save ({op})")} on_save={save} />
                    </details>
                }
            }) }
        </section>
    }
}
