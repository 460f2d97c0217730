//! Serverless flow simulator: a scenario from the course runs on the engine
//! (`core::flow`); the page plays it back — the diagram with tokens moving along the wiring,
//! a timeline to play, pause, step and scrub, per-resource counters, and the event log in
//! which every line says why (the accessible view of the animation). Failures can be
//! injected into functions. Logic lives in `core::views::flow`.

mod api;
mod build;
mod cost;
mod permissions;
mod tables;

use crate::app::components::console_drawer::ConsoleDrawer;
use crate::app::components::form::{input_value, on_edit};
use crate::app::components::lock::Lock;
use crate::app::hooks::{use_url_state_saving, UrlState};
use crate::core::views::flow::edit::{self, Edit, Refusal};
use crate::core::views::flow::layout::{
    concurrency_chart, count_text, depth_chart, draw, frame_at, layers, light, mermaid,
    now_fraction, ordered,
};
use crate::core::views::flow::state::{self, FlowState, Injection};
use crate::core::views::flow::templates::{self, TEMPLATES};
use crate::platform::files;
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Playback speeds: virtual seconds per real second.
const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];
/// The playback tick, ms of real time.
const TICK_MS: u32 = 100;
/// Log lines shown at most (the newest).
const LOG_LINES: usize = 150;

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// A test id from a resource id: `queue orders-dlq` → `queue-orders-dlq`, `queue jobs.fifo`
/// → `queue-jobs.fifo` (names keep their dots and underscores, so no two collide).
fn slug(node: &str) -> String {
    node.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[component]
pub fn FlowPage() -> Html {
    // In a sandbox the account keeps the resources (the console shares them): saved
    // explicitly, even while they are the template's.
    let url_state = use_url_state_saving(
        "flow",
        state::to_query,
        state::from_query,
        state::FlowState::saved,
    );
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let s = &*state;
    // The scenario as built (the Build panel edits it) and as run (with injected failures).
    let base = use_memo((s.template.clone(), s.scenario.clone()), |(t, edited)| {
        edited.clone().unwrap_or_else(|| templates::scenario(t))
    });
    let scenario = use_memo(
        (s.template.clone(), s.scenario.clone(), s.injections.clone()),
        |_| s.scenario(),
    );
    let outcome = use_memo(scenario.clone(), |sc| sc.run());
    let edit_message = use_state(|| None::<Result<String, Refusal>>);
    // The bill shows the run, or a month at its rate.
    let month = use_state(|| false);
    // Priced once per run (and per choice), not on every frame of playback; the outcome
    // follows the scenario, so the scenario keys it.
    let bill = {
        let outcome = outcome.clone();
        use_memo((scenario.clone(), *month), move |(sc, m)| match &*outcome {
            Ok(o) => Some(crate::core::views::flow::cost::bill(sc, o, *m)),
            Err(_) => None,
        })
    };
    // Each denial's link to the IAM page, once per run.
    let denial_links = {
        let outcome = outcome.clone();
        use_memo(scenario.clone(), move |_| match &*outcome {
            Ok(o) => permissions::denial_links(o),
            Err(_) => vec![],
        })
    };
    // The last edit's message stays only for the scenario that edit made: undo, redo or a
    // link change the scenario without an edit, and the message goes.
    let edited = use_mut_ref(|| false);
    {
        let (edit_message, edited) = (edit_message.clone(), edited.clone());
        use_effect_with(base.clone(), move |_| {
            if !std::mem::take(&mut *edited.borrow_mut()) {
                edit_message.set(None);
            }
        });
    }
    let end_ms = match &*outcome {
        Ok(o) => o.end_ms,
        Err(_) => 0,
    };
    // The playhead lives here while it moves (shared with the timer, so scrubbing or
    // stepping during playback moves it); the link keeps where it stops.
    let time = use_state(|| s.time_ms.min(end_ms));
    let playhead = use_mut_ref(|| s.time_ms.min(end_ms));
    let playing = use_state(|| false);
    let speed = use_state(|| 10u32);
    // The latest state, for callbacks kept by the timer across renders: committing the
    // time must not put back an older state (an injection made while playing).
    let latest = use_mut_ref(|| s.clone());
    *latest.borrow_mut() = s.clone();
    // Applies an edit to the scenario as built; true when it was accepted. Kept across
    // playback's renders (the Build panel does not re-render on every tick).
    let apply_edit = {
        let (state, seal, latest, edit_message, edited) = (
            state.clone(),
            controls.seal.clone(),
            latest.clone(),
            edit_message.clone(),
            edited.clone(),
        );
        use_callback(base.clone(), move |e: Result<Edit, String>, base| {
            match e.map(|e| edit::apply(base, &e)) {
                // A form's field did not parse: the form says so; the last edit's message goes.
                Err(_) => {
                    edit_message.set(None);
                    false
                }
                Ok(Ok((n, said))) => {
                    seal.emit(());
                    *edited.borrow_mut() = true;
                    let mut x = latest.borrow().clone();
                    // A deleted function takes its injected failure with it, a deleted resource
                    // its selection.
                    x.injections
                        .retain(|f, _| n.functions.iter().any(|g| g.name == *f));
                    if !x.selected.is_empty()
                        && x.selected != "scenario"
                        && !edit::ids(&n).contains(&x.selected)
                    {
                        x.selected.clear();
                    }
                    x.scenario = Some(n);
                    state.set(x);
                    edit_message.set(Some(Ok(said)));
                    true
                }
                Ok(Err(r)) => {
                    edit_message.set(Some(Err(r)));
                    false
                }
            }
        })
    };
    {
        let (time, playhead) = (time.clone(), playhead.clone());
        use_effect_with(s.time_ms, move |t| {
            *playhead.borrow_mut() = *t;
            time.set(*t);
        });
    }
    let commit = {
        let (state, seal, latest) = (state.clone(), controls.seal.clone(), latest.clone());
        Callback::from(move |t: u64| {
            seal.emit(());
            let mut x = latest.borrow().clone();
            x.time_ms = t;
            state.set(x);
        })
    };
    {
        let (time, playing, commit, playhead) = (
            time.clone(),
            playing.clone(),
            commit.clone(),
            playhead.clone(),
        );
        use_effect_with((*playing, *speed, end_ms), move |(on, speed, end)| {
            let (on, speed, end) = (*on, *speed as u64, *end);
            let interval = on.then(|| {
                Interval::new(TICK_MS, move || {
                    let now = (*playhead.borrow()).min(end);
                    let t = now.saturating_add(speed * TICK_MS as u64).min(end);
                    *playhead.borrow_mut() = t;
                    time.set(t);
                    if t >= end {
                        playing.set(false);
                        commit.emit(t);
                    }
                })
            });
            move || drop(interval)
        });
    }
    let t = (*time).min(end_ms);
    // The log line picked out in the diagram (its trace id), until playback resumes.
    let lit = use_state(|| None::<u64>);
    {
        let lit = lit.clone();
        use_effect_with(scenario.clone(), move |_| lit.set(None));
    }
    // The charts are drawn once per run; playback moves their "now" line (`--now`).
    let charts = use_memo(outcome.clone(), |o| match &**o {
        Ok(o) => {
            let (concurrency, peaks) = concurrency_chart(&scenario, o);
            Some((
                AttrValue::from(depth_chart(o)),
                AttrValue::from(concurrency),
                peaks,
            ))
        }
        Err(_) => None,
    });
    let toggle_play = {
        let (playing, commit, playhead, time, lit) = (
            playing.clone(),
            commit.clone(),
            playhead.clone(),
            time.clone(),
            lit.clone(),
        );
        Callback::from(move |_| {
            lit.set(None);
            if *playing {
                commit.emit(t);
            } else if t >= end_ms {
                // Play again: from the start.
                *playhead.borrow_mut() = 0;
                time.set(0);
            }
            playing.set(!*playing);
        })
    };
    let step = {
        let (outcome, commit, time, playhead) = (
            outcome.clone(),
            commit.clone(),
            time.clone(),
            playhead.clone(),
        );
        Callback::from(move |_| {
            if let Ok(o) = &*outcome {
                let next = o.trace.partition_point(|e| e.at_ms <= t);
                if let Some(e) = o.trace.get(next) {
                    *playhead.borrow_mut() = e.at_ms;
                    time.set(e.at_ms);
                    commit.emit(e.at_ms);
                }
            }
        })
    };
    let scrub = {
        let (time, playhead) = (time.clone(), playhead.clone());
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = input_value(e.as_ref()).parse::<u64>() {
                *playhead.borrow_mut() = v;
                time.set(v);
            }
        })
    };
    let scrub_done = {
        let commit = commit.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = input_value(&e).parse::<u64>() {
                commit.emit(v);
            }
        })
    };
    let select = {
        let (state, edit_message) = (state.clone(), edit_message.clone());
        Callback::from(move |id: String| {
            // The last edit's message belongs to what was being edited.
            edit_message.set(None);
            let mut x = (*state).clone();
            x.selected = if x.selected == id { String::new() } else { id };
            state.set(x);
        })
    };
    let on_diagram = {
        let select = select.clone();
        Callback::from(move |e: MouseEvent| {
            use wasm_bindgen::JsCast;
            let id = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-node]").ok().flatten())
                .and_then(|el| el.get_attribute("data-node"));
            if let Some(id) = id {
                select.emit(id);
            }
        })
    };
    let on_diagram_key = {
        let select = select.clone();
        Callback::from(move |e: KeyboardEvent| {
            use wasm_bindgen::JsCast;
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            let id = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("data-node"));
            if let Some(id) = id {
                e.prevent_default();
                select.emit(id);
            }
        })
    };
    let load_template = {
        let edit_message = edit_message.clone();
        let load = on_edit::<_, Event>(&state, |s, v| {
            *s = FlowState {
                template: v,
                ..Default::default()
            }
        });
        Callback::from(move |e: Event| {
            edit_message.set(None);
            load.emit(e);
        })
    };
    let description = TEMPLATES
        .iter()
        .find(|(id, _, _)| *id == s.template)
        .map(|(_, _, d)| *d)
        .unwrap_or("");

    let (run, rest) = match &*outcome {
        Err(errors) => (
            html! {
                <ul class="error-list" role="alert" data-testid="flow-errors">{ for errors.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            },
            html! {},
        ),
        Ok(o) => {
            let mut frame = frame_at(o, t);
            if let Some(id) = *lit {
                light(&mut frame, o, id);
            }
            let diagram = layers(&scenario, &frame, &s.selected);
            let counters = &frame.counters;
            // The log up to the shown time (found by bisection: this runs on every frame),
            // or a resource's lines: what it did, and what moved into or out of it.
            let upto = o.trace.partition_point(|e| e.at_ms <= t);
            let (count, lines): (usize, Vec<&crate::core::sim::TraceEntry>) =
                if s.selected.is_empty() {
                    (
                        upto,
                        o.trace[upto.saturating_sub(LOG_LINES)..upto]
                            .iter()
                            .collect(),
                    )
                } else {
                    let touching: std::collections::BTreeSet<u64> = o
                        .moves
                        .iter()
                        .filter(|m| m.from == s.selected || m.to == s.selected)
                        .map(|m| m.trace.0)
                        .collect();
                    let mine = |e: &&crate::core::sim::TraceEntry| {
                        e.actor == s.selected || touching.contains(&e.id.0)
                    };
                    let count = o.trace[..upto].iter().filter(mine).count();
                    let mut last: Vec<_> = o.trace[..upto]
                        .iter()
                        .rev()
                        .filter(mine)
                        .take(LOG_LINES)
                        .collect();
                    last.reverse();
                    (count, last)
                };
            let hidden = count.saturating_sub(LOG_LINES);
            // Exports are written when asked for, not on every frame of playback.
            let export_svg = {
                let (scenario, outcome, selected) =
                    (scenario.clone(), outcome.clone(), s.selected.clone());
                Callback::from(move |_| {
                    if let Ok(o) = &*outcome {
                        let d = draw(&scenario, &frame_at(o, t), &selected);
                        let _ = files::download("stratus-flow.svg", "image/svg+xml", &d.svg);
                    }
                })
            };
            let export_mermaid = {
                let scenario = scenario.clone();
                Callback::from(move |_| {
                    let _ = files::download("stratus-flow.mmd", "text/plain", &mermaid(&scenario));
                })
            };
            let export_log = {
                let outcome = outcome.clone();
                Callback::from(move |_| {
                    if let Ok(o) = &*outcome {
                        let json = serde_json::to_string_pretty(&o.trace).unwrap_or_default();
                        let _ = files::download("stratus-flow-log.json", "application/json", &json);
                    }
                })
            };
            (
                html! {
                    <section class="panel card-panel" aria-labelledby="flow-run" data-embed="diagram">
                        <h2 id="flow-run">{ "Run" }</h2>
                        <div class="toolbar timeline">
                            <button type="button" class="primary" onclick={toggle_play} data-testid="play" aria-pressed={(*playing).to_string()}>{ if *playing { "Pause" } else if t >= end_ms { "Play again" } else { "Play" } }</button>
                            <button type="button" onclick={step} data-testid="step" disabled={t >= end_ms}>{ "Next event" }</button>
                            <div class="field narrow">
                                <label for="speed">{ "Speed" }</label>
                                <select id="speed" data-testid="speed" onchange={{ let speed = speed.clone(); Callback::from(move |e: Event| speed.set(input_value(&e).parse().unwrap_or(10))) }}>
                                    { for SPEEDS.iter().map(|v| html! { <option value={v.to_string()} selected={*v == *speed}>{ format!("{v}×") }</option> }) }
                                </select>
                            </div>
                            <div class="field scrub">
                                <label for="scrub">{ "Time" }</label>
                                <input id="scrub" type="range" min="0" max={end_ms.to_string()} step="100" value={t.to_string()} oninput={scrub} onchange={scrub_done} data-testid="scrub" aria-valuetext={seconds(t)} />
                            </div>
                            <output class="clock" data-testid="flow-time" aria-live="off">{ format!("{} of {}", seconds(t), seconds(end_ms)) }</output>
                        </div>
                        if o.cut_short {
                            <p class="hint" data-testid="flow-cut-short">{ "The run stopped early: it reached the simulator's limit of events." }</p>
                        }
                        <div class="diagram-scroll" onclick={on_diagram} onkeydown={on_diagram_key} data-testid="flow-diagram">
                            // The base layer stays while the clock runs (its markup is unchanged);
                        // only the live layer over it is redrawn.
                        <div class="diagram-stack" style={format!("width:{:.3}rem", diagram.width / 16.0)}>
                            { Html::from_html_unchecked(AttrValue::from(diagram.base)) }
                            { Html::from_html_unchecked(AttrValue::from(diagram.live)) }
                        </div>
                        </div>
                        <p class="hint scroll-hint" data-testid="flow-scroll-hint">{ "The diagram is wider than this screen: swipe it sideways to see the rest." }</p>
                    <p class="hint">{ "Dots are messages and events moving along the wiring; a red outline marks a failure in the last second. Click a resource to keep only its lines in the log (and to edit it under Build); click a log line's time to see its moment here, its path in teal." }</p>
                        <div class="toolbar">
                            <button type="button" class="small" onclick={export_svg} data-testid="export-flow-svg">{ "Export SVG" }</button>
                            <button type="button" class="small" onclick={export_mermaid} data-testid="export-mermaid">{ "Export Mermaid" }</button>
                            <button type="button" class="small" onclick={export_log} data-testid="export-log">{ "Export log (JSON)" }</button>
                        </div>
                    </section>
                },
                html! {
                    <>
                    <section class="panel card-panel" aria-labelledby="flow-counters" data-embed="counters">
                        <h2 id="flow-counters">{ format!("Counters at {}", seconds(t)) }</h2>
                        if !scenario.queues.is_empty() {
                            <figure class="chart" data-testid="flow-chart">
                                // Scrolls sideways on a phone, like the calculators' charts.
                                <div style={format!("--now:{:.4}", now_fraction(o, t))}>{ charts.as_ref().as_ref().map(|c| Html::from_html_unchecked(c.0.clone())).unwrap_or_default() }</div>
                                <figcaption class="hint">{ "Messages in each queue (visible, in flight and delayed) over the run; the dashed line is the moment shown." }<span class="chart-hint">{ " Swipe the chart sideways to see the whole run." }</span></figcaption>
                            </figure>
                        }
                            if !scenario.functions.is_empty() {
                                <figure class="chart" data-testid="flow-concurrency-chart">
                                    <div style={format!("--now:{:.4}", now_fraction(o, t))}>{ charts.as_ref().as_ref().map(|c| Html::from_html_unchecked(c.1.clone())).unwrap_or_default() }</div>
                                    <figcaption class="hint">{ "Concurrent executions of each function over the run (the most at once in each interval); a dotted line is its reserved concurrency, the most it may run at once (invocations beyond it are throttled). " }<span data-testid="flow-concurrency-peaks">{ charts.as_ref().as_ref().filter(|c| !c.2.is_empty()).map(|c| format!("{}.", c.2.join("; "))).unwrap_or_default() }</span><span class="chart-hint">{ " Swipe the chart sideways to see the whole run." }</span></figcaption>
                                </figure>
                            }
                        <div class="table-scroll"><table class="data" data-testid="flow-counters-table">
                            <thead><tr><th scope="col">{ "Resource" }</th><th scope="col">{ "So far" }</th></tr></thead>
                            <tbody>
                                { for counters.iter().map(|(node, m)| html! {
                                    <tr data-testid={format!("counter-{}", slug(node))}>
                                        <th scope="row">{ node }</th>
                                        <td>{ for ordered(m).map(|(k, v)| html! { <span class="counter" data-testid={format!("counter-{}-{}", slug(node), k.replace(' ', "-"))}>{ count_text(v, k) }</span> }) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table></div>
                    </section>
                    { api::requests(o, &base, t, &apply_edit) }
                    { tables::viewer(o, t, slug) }
                    { permissions::denials(o, t, &denial_links) }
                    { bill.as_ref().as_ref().map(|b| cost::view(b, *month, { let month = month.clone(); Callback::from(move |_| month.set(!*month)) })).unwrap_or_default() }
                    <section class="panel card-panel" aria-labelledby="flow-log" data-embed="log">
                        <h2 id="flow-log">{ "Event log" }</h2>
                        <p class="hint">
                            { format!("{} line{} up to {}", count, if count == 1 { "" } else { "s" }, seconds(t)) }
                            if !s.selected.is_empty() {
                                { format!(", only {} — ", s.selected) }
                                <button type="button" class="link" data-testid="log-show-all" onclick={{ let select = select.clone(); let sel = s.selected.clone(); Callback::from(move |_| select.emit(sel.clone())) }}>{ "show all" }</button>
                            }
                            { ". Newest first; each line says what happened and why." }
                        </p>
                        <ol class="flow-log" data-testid="flow-log" reversed=true>
                            { for lines.iter().rev().take(LOG_LINES).map(|e| {
                                let jump = {
                                    let (select, actor, sel) = (select.clone(), e.actor.clone(), s.selected.clone());
                                    Callback::from(move |_| {
                                        if sel != actor {
                                            select.emit(actor.clone());
                                            // The log is redrawn for that resource: focus goes to its
                                            // "show all", which undoes the filter (lines are not keyed:
                                            // keeping each line's element would cost every frame of playback).
                                            gloo::timers::callback::Timeout::new(0, || {
                                                use wasm_bindgen::JsCast;
                                                if let Some(b) = web_sys::window()
                                                    .and_then(|w| w.document())
                                                    .and_then(|d| d.query_selector("[data-testid=log-show-all]").ok().flatten())
                                                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                                                {
                                                    let _ = b.focus();
                                                }
                                            })
                                            .forget();
                                        }
                                    })
                                };
                                let show = {
                                    let (lit, id, at, playing, commit, playhead, time) = (lit.clone(), e.id.0, e.at_ms, playing.clone(), commit.clone(), playhead.clone(), time.clone());
                                    Callback::from(move |_| {
                                        playing.set(false);
                                        *playhead.borrow_mut() = at;
                                        time.set(at);
                                        commit.emit(at);
                                        lit.set(Some(id));
                                        // The diagram shows the moment: bring it into view.
                                        if let Some(d) = web_sys::window()
                                            .and_then(|w| w.document())
                                            .and_then(|d| d.query_selector("[data-testid=flow-diagram]").ok().flatten())
                                        {
                                            d.scroll_into_view_with_bool(true);
                                        }
                                    })
                                };
                                let is_lit = *lit == Some(e.id.0);
                                html! {
                                    <li class={classes!("log-line", e.code.to_ascii_lowercase(), is_lit.then_some("lit"))} data-testid="log-line" data-code={e.code} aria-current={is_lit.then_some("true")}>
                                        <button type="button" class="link mono small" data-testid="log-show" onclick={show} aria-label={format!("Show {} in the diagram", seconds(e.at_ms))} title="Show this moment in the diagram, this line's path picked out">{ seconds(e.at_ms) }</button>{ " " }
                                        <button type="button" class="link" onclick={jump}>{ &e.actor }</button>{ " · " }
                                        <span class="mono small">{ e.code }</span>{ " " }
                                        <span>{ &e.text }</span>
                                    </li>
                                }
                            }) }
                        </ol>
                        if hidden > 0 {
                            <p class="hint">{ format!("{hidden} earlier lines are in the JSON export.") }</p>
                        }
                    </section>
                    </>
                },
            )
        }
    };

    // The console starts from this scenario's resources: a course template's by name, an
    // edited scenario's carried in the link. In a sandbox the console shares them through
    // the account, and its own link keeps the session there. The drawer is an embed, which
    // has no sandbox: it always gets them.
    let in_sandbox = crate::app::sandbox::use_store().is_some();
    let console_query = use_memo((s.template.clone(), base.clone()), |(t, b)| {
        let defs = b.definitions();
        AttrValue::from(if defs == templates::scenario(t).definitions() {
            crate::core::views::console::serverless_link(t)
        } else {
            crate::core::views::console::definitions_link(
                serde_json::to_value(defs).unwrap_or_default(),
            )
        })
    });

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="flow" controls={controls} explorable=true lede={"Requests, messages and events moving through API Gateway, S3, SNS, SQS, Lambda and DynamoDB on a virtual clock: play it, pause it, step through it, and read why each thing happened."} reset={reset} actions={html! { <ConsoleDrawer query={(*console_query).clone()} /> }} link_error={(*link_error).clone()}>
            <section class="panel card-panel" aria-labelledby="flow-scenario" data-embed="diagram">
                <h2 id="flow-scenario">{ "Scenario" }</h2>
                <div class="toolbar">
                    <Lock><div class="field">
                        <label for="flow-template">{ "Scenario from the course" }</label>
                        <select id="flow-template" data-testid="flow-template" onchange={load_template}>
                            { for TEMPLATES.iter().map(|(id, title, _)| html! { <option value={*id} selected={s.template == *id}>{ *title }</option> }) }
                        </select>
                    </div></Lock>
                    <a class="button small" href={if in_sandbox { "#/console".to_string() } else { format!("#/console?{console_query}") }} data-testid="flow-open-console" title="The AWS CLI console on this scenario's buckets, queues, topics, functions and tables: make the calls yourself">{ "Open in the AWS CLI console" }</a>
                </div>
                <p data-testid="flow-description">
                    if s.scenario.is_some() { <strong>{ "Edited. " }</strong>{ "Started from: " } }
                    { description }
                </p>
                if in_sandbox {
                    <p class="hint" data-testid="flow-shared">{ "In this sandbox the resources are the account's: the AWS CLI console works on what you build here, and what you make there shows up here. The script stays this page's." }</p>
                }
                <Lock><fieldset class="injections" data-testid="injections">
                    <legend>{ "Inject a failure" }</legend>
                    { for scenario.functions.iter().map(|f| {
                        let name = f.name.clone();
                        let current = s.injections.get(&f.name).copied();
                        let on_change = on_edit::<_, Event>(&state, move |s, v| {
                            match Injection::from_id(&v) {
                                Some(i) => { s.injections.insert(name.clone(), i); }
                                None => { s.injections.remove(&name); }
                            }
                        });
                        html! {
                            <div class="field narrow">
                                <label for={format!("inject-{}", f.name)}>{ format!("Function {}", f.name) }</label>
                                <select id={format!("inject-{}", f.name)} data-testid={format!("inject-{}", f.name)} onchange={on_change}>
                                    <option value="" selected={current.is_none()}>{ "works as written" }</option>
                                    { for Injection::ALL.iter().map(|i| html! { <option value={i.id()} selected={current == Some(*i)}>{ i.label() }</option> }) }
                                </select>
                            </div>
                        }
                    }) }
                </fieldset></Lock>
            </section>
            { run }
            <section class="panel card-panel" aria-labelledby="flow-build" data-embed="build">
                <h2 id="flow-build" tabindex="-1">{ "Build: create, wire and edit" }</h2>
                <p class="hint">{ "Pick a resource here or in the diagram to edit it; with none picked, edit the script of timed actions. Each change is the AWS call named on its button, checked as AWS checks it: a refusal says why and changes nothing. Undo takes a change back." }</p>
                <Lock><build::BuildPanel scenario={base.clone()} selected={AttrValue::from(s.selected.clone())} on_edit={apply_edit.clone()} select={select.clone()} message={(*edit_message).clone()} /></Lock>
            </section>
            <Lock><permissions::PermissionsPanel scenario={base.clone()} on_edit={apply_edit.clone()} message={(*edit_message).clone()} /></Lock>
            { rest }
        </crate::app::components::tool_frame::ToolFrame>
    }
}
