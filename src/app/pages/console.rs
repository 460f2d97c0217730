//! The `aws` console page: a terminal running the AWS CLI and a small shell against the
//! sandbox's simulated account (`core::cli`), beside the account's instances, the virtual
//! clock and the calls IAM let through or refused. Everything shown comes from the session
//! (`core::views::console`); this file lays it out and handles the keyboard: Enter runs,
//! ↑/↓ walk the history, Tab completes.

use crate::app::hooks::{use_url_state, UrlState};
use crate::core::cli::complete::{common_prefix, complete};
use crate::core::services::ec2::compute::{self, catalog};
use crate::core::services::ec2::network::model::ip_text;
use crate::core::services::ec2::network::templates::TEMPLATES;
use crate::core::views::console::{
    self as state, reconcile, refuse, with_account, ConsoleState, Session,
};
use crate::core::views::flow::templates as flow_templates;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Commands a student can put in the input with one click (not run until Enter).
const EXAMPLES: &[(&str, &str)] = &[
    ("Who am I?", "aws sts get-caller-identity"),
    ("Instances as a table", "aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,InstanceType,State.Name,PublicIpAddress]' --output table"),
    ("Make a key pair", "aws ec2 create-key-pair --key-name my-key --query KeyMaterial --output text > my-key.pem"),
    ("Launch an instance", "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --key-name my-key --query 'Instances[0].InstanceId' --output text"),
    ("Wait until running", "aws ec2 wait instance-running --filters Name=instance-state-name,Values=pending,running"),
    ("Open port 22", "aws ec2 authorize-security-group-ingress --group-id sg-default-main --protocol tcp --port 22 --cidr 0.0.0.0/0"),
    ("Read metadata (on an instance)", "TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600') && curl -s -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/"),
    ("Upload a photo (photo template)", "echo meow > cat.jpg && aws s3 cp cat.jpg s3://photos/uploads/"),
    ("List the bucket (photo template)", "aws s3 ls s3://photos --recursive --summarize"),
    ("Invoke the labeler (photo template)", "aws lambda invoke --function-name labeler --cli-binary-format raw-in-base64-out --payload '{\"Records\": []}' out.json && cat out.json"),
    ("A queue and a message", "aws sqs create-queue --queue-name jobs && aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --message-body hello"),
    ("A table and an item", "aws dynamodb create-table --table-name notes --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST && aws dynamodb put-item --table-name notes --item '{\"id\": {\"S\": \"n-1\"}}' --return-consumed-capacity TOTAL"),
];

/// Flow trace entries the page lists (the latest).
const EVENTS_SHOWN: usize = 12;

#[component]
pub fn ConsolePage() -> Html {
    let url_state = use_url_state("console", state::to_query, state::from_query);
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let session = use_mut_ref(|| Session::new(&state));
    // The state as the session runs it: the saved state, taking in a network the VPC
    // builder, or serverless resources the flow page, changed in the sandbox's account
    // since (`views::console::reconcile`). It is saved with the next command, so undo never
    // meets a step that redoes itself. A state that shares no network or resources (a link
    // whose session changed none) runs on what the sandbox's account had when the page
    // opened, so opening it loses nothing there. (Read once: the account later holds this
    // page's own writes, and an undo back to a state before a launch must not take the
    // launch back in.)
    let store = crate::app::sandbox::use_store();
    let in_sandbox = store.is_some();
    let opened_on = use_memo((), {
        let store = store.clone();
        move |_| {
            // Read from text, as the state's own reader reads them: `from_value` would link
            // a second copy of the network's reader (40 KB gzip, measured).
            let part = |key: &str| {
                store
                    .as_ref()
                    .and_then(|s| s.account_part(key))
                    .map(|p| p.to_string())
            };
            let network = part("ec2").and_then(|p| {
                serde_json::from_str::<crate::core::services::ec2::network::Network>(&p).ok()
            });
            let resources = part("serverless").and_then(|p| {
                serde_json::from_str::<crate::core::views::flow::scenario::Definitions>(&p).ok()
            });
            (network, resources)
        }
    });
    // Shared, not copied, by every render and handler (a state holds up to 400 lines and
    // the networks it took in).
    let synced = use_mut_ref(|| None::<(ConsoleState, std::rc::Rc<ConsoleState>)>);
    let state_now: std::rc::Rc<ConsoleState> = {
        let mut memo = synced.borrow_mut();
        match &*memo {
            Some((saved, now)) if saved == &*state => now.clone(),
            _ => {
                let mut loaded = (*state).clone();
                if loaded.account.is_none() {
                    loaded.account = opened_on.0.clone();
                }
                if loaded.resources.is_none() {
                    loaded.resources = opened_on.1.clone();
                }
                let mut sess = session.borrow_mut();
                sess.sync(&loaded);
                let now = match reconcile(&loaded, &sess) {
                    Some(next) => {
                        sess.sync(&next);
                        next
                    }
                    None => loaded,
                };
                let now = std::rc::Rc::new(now);
                *memo = Some(((*state).clone(), now.clone()));
                now
            }
        }
    };
    // A new line: run it, then save it with the network it leaves in the account (only in
    // a sandbox: a link outside one replays its lines and needs no copy of the result).
    let push_line = {
        let (state, session, state_now) = (state.clone(), session.clone(), state_now.clone());
        Callback::from(move |line: String| {
            let mut next = (*state_now).clone();
            next.lines.push(line);
            session.borrow_mut().sync(&next);
            let mut next = with_account(next, &session.borrow());
            if !in_sandbox {
                next.account = None;
                next.resources = None;
                next.shared.clear();
            }
            state.set(next);
        })
    };
    // Reset starts a new session; in a sandbox, on the account's network and serverless
    // resources as they are (the account keeps what the session built, and the VPC builder
    // and the flow page still show it).
    let reset = {
        let (state, now) = (state.clone(), state_now.clone());
        Callback::from(move |e: MouseEvent| {
            reset.emit(e);
            if let Some(anew) = now.anew_on_account().filter(|_| in_sandbox) {
                state.set(anew);
            }
        })
    };
    let input = use_state(String::new);
    // Where ↑/↓ stand in the history (None: the line being typed).
    let recall = use_state(|| None::<usize>);
    let hint = use_state(|| None::<String>);
    let input_ref = use_node_ref();
    let log_ref = use_node_ref();

    // Keep the end of the transcript in view.
    {
        let log_ref = log_ref.clone();
        let n = session.borrow().entries.len();
        use_effect_with(n, move |_| {
            if let Some(el) = log_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let (input, recall, hint) = (input.clone(), recall.clone(), hint.clone());
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            input.set(el.value());
            recall.set(None);
            hint.set(None);
        })
    };

    let onkeydown = {
        let (state, input, recall, hint, session, seal, push_line) = (
            state_now.clone(),
            input.clone(),
            recall.clone(),
            hint.clone(),
            session.clone(),
            controls.seal.clone(),
            push_line.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let history_len = session.borrow().console.history.len();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = (*input).clone();
                    if let Some(why) = refuse(&state, &line) {
                        hint.set(Some(why));
                        return;
                    }
                    seal.emit(());
                    push_line.emit(line);
                    input.set(String::new());
                    recall.set(None);
                    hint.set(None);
                }
                "ArrowUp" | "ArrowDown" if history_len > 0 => {
                    let guard = session.borrow();
                    let history = &guard.console.history;
                    e.prevent_default();
                    let up = e.key() == "ArrowUp";
                    // An undo may have shortened the history since the last key.
                    let last = history.len() - 1;
                    let pos = match ((*recall).map(|k| k.min(last)), up) {
                        (None, true) => Some(last),
                        (None, false) => None,
                        (Some(0), true) => Some(0),
                        (Some(k), true) => Some(k - 1),
                        (Some(k), false) if k < last => Some(k + 1),
                        (Some(_), false) => None,
                    };
                    recall.set(pos);
                    input.set(
                        pos.and_then(|k| history.get(k).cloned())
                            .unwrap_or_default(),
                    );
                }
                "Tab" => {
                    e.prevent_default();
                    let line = (*input).clone();
                    let cands = complete(&session.borrow().console, &line);
                    let word_start = line
                        .char_indices()
                        .rev()
                        .find(|(_, ch)| ch.is_whitespace())
                        .map_or(0, |(k, ch)| k + ch.len_utf8());
                    let typed = &line[word_start..];
                    match cands.len() {
                        0 => hint.set(Some("No completions.".into())),
                        1 => {
                            input.set(format!("{}{} ", &line[..word_start], cands[0]));
                            hint.set(None);
                        }
                        _ => {
                            let prefix = common_prefix(&cands);
                            if prefix.len() > typed.len() {
                                input.set(format!("{}{prefix}", &line[..word_start]));
                            }
                            hint.set(Some(cands.join("  ")));
                        }
                    }
                }
                "l" if e.ctrl_key() => {
                    e.prevent_default();
                    seal.emit(());
                    push_line.emit("clear".into());
                }
                _ => {}
            }
        })
    };

    let focus_input = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        })
    };

    // A starting network replaces the account's (the VPC builder then shows it too).
    let on_template = {
        let (state, now, seal) = (state.clone(), state_now.clone(), controls.seal.clone());
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            seal.emit(());
            state.set(now.with_network_template(&el.value(), in_sandbox));
        })
    };

    // New serverless resources: a new session on the same network. They replace the
    // account's (the flow page then shows them too).
    let on_serverless = {
        let (state, now, seal) = (state.clone(), state_now.clone(), controls.seal.clone());
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            seal.emit(());
            state.set(now.with_serverless_template(&el.value(), in_sandbox));
        })
    };

    // Why the session's serverless resources are not the account's (only in a sandbox).
    let unshared = in_sandbox.then(|| session.borrow().unshareable()).flatten();
    let own_network =
        state_now.network.is_some() || state_now.replaced.iter().any(|r| r.network.is_some());
    let own_resources =
        state_now.definitions.is_some() || state_now.replaced.iter().any(|r| r.resources.is_some());
    let s = session.borrow();
    let prompt = s.console.prompt();
    let now = s.console.now();
    let connected = s.console.host.clone();

    let instances = s.console.account.ec2.instances.iter().map(|i| {
        let c = &i.compute;
        let bill = compute::bill(c, now);
        let cost = match bill.usd {
            Some(usd) => format!("${usd:.6}"),
            None => "price not in the table".into(),
        };
        let arch = catalog::image(&c.image_id).map_or("", |img| img.arch.name());
        html! {
            <tr data-testid="console-instance" data-instance={i.id.clone()}>
                <td><code>{ &i.id }</code>{ if i.name != i.id { format!(" ({})", i.name) } else { String::new() } }</td>
                <td>{ format!("{} · {arch}", c.instance_type) }</td>
                <td data-testid="console-instance-state" class={classes!("state", c.state.name())}>{ format!("{} ({})", c.state.name(), c.state.code()) }</td>
                <td>{ compute::public_address(&s.console.account.ec2, i).map(ip_text).unwrap_or_else(|| "–".into()) }</td>
                <td data-testid="console-instance-bill" title={format!("{} s billed: each start at least 60 s, then per second", bill.billed_s)}>{ format!("{} s · {cost}", bill.billed_s) }</td>
            </tr>
        }
    });

    let calls = s.console.account.trace.entries().iter().rev().take(8).map(|t| {
        html! {
            <li data-testid="console-call" class={classes!(if t.code == "API_CALL" { "ok" } else { "refused" })}>
                <span class="when">{ compute::iso_time(t.at_ms)[11..19].to_string() }</span>{ " " }
                <code>{ t.actor.rsplit(':').next().unwrap_or_default().to_string() }</code>{ " " }
                <span class="code">{ t.code }</span>{ " " }{ &t.text }
            </li>
        }
    });

    let flow = &s.console.flow;
    let events = flow.trace.entries().iter().rev().take(EVENTS_SHOWN).map(|t| {
        let failed = t.code.contains("DENIED") || t.code.contains("REFUSED") || t.code.contains("ERROR") || t.code.contains("DLQ") || t.code.contains("THROTTLED");
        html! {
            <li data-testid="console-event" data-code={t.code} class={classes!(if failed { "refused" } else { "ok" })}>
                <span class="when">{ compute::iso_time(t.at_ms)[11..19].to_string() }</span>{ " " }
                <code>{ t.actor.rsplit(['/', ':']).next().unwrap_or_default().to_string() }</code>{ " " }
                <span class="code">{ t.code }</span>{ " " }{ &t.text }
            </li>
        }
    });
    let mut resources: Vec<(String, String)> = Vec::new();
    for b in flow.s3.buckets.values() {
        let n = flow.s3.current(&b.name, "").map_or(0, Iterator::count);
        resources.push((
            format!("bucket {}", b.name),
            format!("{n} object{}", if n == 1 { "" } else { "s" }),
        ));
    }
    for q in flow.sqs.queues.values() {
        let (mut visible, mut in_flight, mut delayed) = (0, 0, 0);
        for m in &q.messages {
            match m.state {
                crate::core::services::sqs::State::Visible => visible += 1,
                crate::core::services::sqs::State::InFlight => in_flight += 1,
                crate::core::services::sqs::State::Delayed => delayed += 1,
            }
        }
        resources.push((
            format!("queue {}", q.name),
            format!("{visible} visible · {in_flight} in flight · {delayed} delayed"),
        ));
    }
    for t in flow.sns.topics.values() {
        let n = t.subscriptions.len();
        resources.push((
            format!("topic {}", t.name),
            format!("{n} subscription{}", if n == 1 { "" } else { "s" }),
        ));
    }
    for f in flow.functions.values() {
        let n = flow.counters.get(&f.name).map_or(0, |c| c.invocations);
        resources.push((
            format!("function {}", f.name),
            format!("{n} invocation{}", if n == 1 { "" } else { "s" }),
        ));
    }
    for t in flow.tables.values() {
        let n = t.len();
        resources.push((
            format!("table {}", t.spec.name),
            format!("{n} item{}", if n == 1 { "" } else { "s" }),
        ));
    }
    let resource_rows = resources.iter().map(|(name, what)| html! {
        <tr data-testid="console-resource" data-resource={name.clone()}><td><code>{ name }</code></td><td data-testid="console-resource-state">{ what }</td></tr>
    });
    let no_calls = s.console.account.trace.entries().is_empty();
    let no_events = flow.trace.entries().is_empty();

    let examples: Vec<Html> = EXAMPLES.iter().enumerate().map(|(k, (label, cmd))| {
        let (input, input_ref) = (input.clone(), input_ref.clone());
        let cmd = cmd.to_string();
        let onclick = Callback::from(move |_: MouseEvent| {
            input.set(cmd.clone());
            if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
        html! { <li><button type="button" class="small" {onclick} data-testid={format!("console-example-{k}")}>{ *label }</button></li> }
    }).collect();

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="console" controls={controls.clone()} lede={"Type AWS CLI commands against this sandbox's simulated account: launch an instance, connect to it, read its metadata; upload to S3, send to SQS, invoke Lambda, write to DynamoDB, and watch what each call sets off. Nothing leaves the page."} reset={reset} link_error={(*link_error).clone()}>
            <div class="console-layout">
                <section class="panel terminal-panel" aria-labelledby="console-terminal-title" data-embed="terminal">
                    <h2 id="console-terminal-title" class="visually-hidden">{ "Terminal" }</h2>
                    <div class="terminal" onclick={focus_input}>
                        <div class="term-log" ref={log_ref} role="log" aria-live="polite" aria-label="Terminal output" data-testid="console-terminal">
                            <Transcript session={session.clone()} shown={(s.entries.len(), s.cleared)} />
                        </div>
                        <div class="term-input">
                            <label for="console-input" class="term-prompt" data-testid="console-prompt">{ prompt }</label>
                            <input id="console-input" ref={input_ref} type="text" value={(*input).clone()} {oninput} {onkeydown}
                                autocomplete="off" autocapitalize="off" spellcheck="false" data-testid="console-input"
                                aria-describedby="console-hint" />
                        </div>
                        <div id="console-hint" class="term-hint" role="status" data-testid="console-hint">{ (*hint).clone().unwrap_or_default() }</div>
                    </div>
                    <h3 id="console-instances-title">{ "Instances in the account" }</h3>
                    <div class="table-scroll">
                        <table class="data" aria-labelledby="console-instances-title" data-testid="console-instances">
                            <thead><tr><th scope="col">{ "Instance" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "State (code)" }</th><th scope="col">{ "Public IPv4" }</th><th scope="col">{ "Billed so far" }</th></tr></thead>
                            <tbody>{ for instances }</tbody>
                        </table>
                    </div>
                    <h3 id="console-serverless-title">{ "Serverless resources" }</h3>
                    <div class="table-scroll">
                        <table class="data" aria-labelledby="console-serverless-title" data-testid="console-resources">
                            <thead><tr><th scope="col">{ "Resource" }</th><th scope="col">{ "State now" }</th></tr></thead>
                            <tbody>{ for resource_rows }</tbody>
                        </table>
                    </div>
                    <h3 id="console-events-title">{ "What the services did" }</h3>
                    <p class="hint" id="console-events-hint">{ "The flow simulator's trace of this account, latest first: each of your calls and what it set off." }</p>
                    if no_events {
                        <p class="hint" data-testid="console-events-empty">{ "Nothing yet: an upload, a message or an invocation shows up here with what it caused." }</p>
                    }
                    <ul class="call-list" aria-labelledby="console-events-title" aria-describedby="console-events-hint" data-testid="console-events">{ for events }</ul>
                </section>
                <aside class="panel console-side" aria-label="The account" data-embed="account">
                    <h2>{ "Account 111122223333 · us-east-1" }</h2>
                    <p class="clock">{ "Virtual time " }<time data-testid="console-clock">{ compute::iso_time(now).replace('T', " ").replace("+00:00", " UTC") }</time>
                        { " · each line takes 5 s; sleep and aws ec2 wait take longer." }</p>
                    if let Some(id) = connected {
                        <p data-testid="console-connected">{ "Connected to " }<code>{ id }</code>{ ": exit to leave." }</p>
                    }
                    if in_sandbox && state_now.account.is_some() {
                        <p class="hint" data-testid="console-shared">{ "This session's network is the sandbox account's: the VPC builder shows what you change here, and its edits show up here." }</p>
                    }
                    if let Some(why) = &unshared {
                        <p class="finding warning" role="status" data-testid="console-not-shared">{ format!("This session's serverless resources cannot be shared with the flow page as they are now, so the sandbox keeps the ones it had: {why}") }</p>
                    } else if in_sandbox && state_now.resources.is_some() {
                        <p class="hint" data-testid="console-shared-serverless">{ "This session's buckets, queues, topics, functions and tables are the sandbox account's: the flow page runs its script on what you make here, and its edits show up here." }</p>
                    }
                    <div class="field">
                        <label for="console-template">{ "Starting network (a VPC builder template)" }</label>
                        <select id="console-template" onchange={on_template} data-testid="console-template">
                            if own_network {
                                <option value="" selected=true disabled=true>{ "The VPC builder's design" }</option>
                            }
                            { for TEMPLATES.iter().map(|t| html! { <option value={t.0} selected={!own_network && state_now.template == t.0}>{ t.1 }</option> }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="console-serverless">{ "Starting serverless resources (a flow simulator template)" }</label>
                        <select id="console-serverless" onchange={on_serverless} data-testid="console-serverless">
                            if own_resources {
                                <option value="" selected=true disabled=true>{ "The sandbox account's resources" }</option>
                            }
                            { for flow_templates::TEMPLATES.iter().map(|t| html! { <option value={t.0} selected={!own_resources && state_now.serverless == t.0}>{ t.1 }</option> }) }
                        </select>
                    </div>
                    <h3 id="console-calls-title">{ "Latest calls" }</h3>
                    if no_calls {
                        <p class="hint" data-testid="console-calls-empty">{ "No calls yet: each aws command's call, allowed or refused, is listed here." }</p>
                    }
                    <ul class="call-list" aria-labelledby="console-calls-title" data-testid="console-calls">{ for calls }</ul>
                    <h3>{ "Try" }</h3>
                    <ul class="example-list">{ for examples }</ul>
                </aside>
            </div>
        </crate::app::components::tool_frame::ToolFrame>
    }
}

#[derive(Properties, Clone)]
struct TranscriptProps {
    session: std::rc::Rc<std::cell::RefCell<Session>>,
    /// (entries, entries cleared): the transcript re-renders only when these change, not on
    /// every keystroke in the input.
    shown: (usize, usize),
}

impl PartialEq for TranscriptProps {
    fn eq(&self, other: &Self) -> bool {
        self.shown == other.shown && std::rc::Rc::ptr_eq(&self.session, &other.session)
    }
}

/// The command lines on screen and what each printed.
#[component]
fn Transcript(props: &TranscriptProps) -> Html {
    let s = props.session.borrow();
    if s.visible().is_empty() {
        return html! {
            <p class="term-welcome">{ "Your computer, set up for the IAM user student (see cat ~/.aws/credentials). Type help, or aws help. Tab completes; ↑ and ↓ recall earlier lines." }</p>
        };
    }
    let entries = s.visible().iter().enumerate().map(|(k, e)| {
        if e.note {
            return html! {
                <div class="term-entry term-note" data-testid="console-note" key={format!("{}-{k}", s.cleared)}>
                    <pre class="term-out">{ &e.out.stdout }</pre>
                    if !e.out.stderr.is_empty() {
                        <pre class="term-err">{ &e.out.stderr }</pre>
                    }
                </div>
            };
        }
        html! {
            <div class="term-entry" data-testid="console-entry" key={format!("{}-{k}", s.cleared)}>
                <div class="term-command"><span class="term-prompt">{ &e.prompt }</span>{ " " }<span data-testid="console-command">{ &e.line }</span></div>
                if !e.out.stdout.is_empty() {
                    <pre class="term-out" data-testid="console-stdout">{ &e.out.stdout }</pre>
                }
                if !e.out.stderr.is_empty() {
                    <pre class="term-err" data-testid="console-stderr">{ &e.out.stderr }</pre>
                }
                if e.out.code != 0 {
                    <div class="term-code" data-testid="console-exit">{ format!("exit code {}", e.out.code) }</div>
                }
            </div>
        }
    });
    html! { <>{ for entries }</> }
}
