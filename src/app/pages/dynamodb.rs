//! DynamoDB capacity page: item size, one request's capacity, a workload's RCU and WCU, and
//! its monthly cost on demand against provisioned, with charts. All numbers come from
//! `core::dynamodb`; this file only lays them out.

use crate::app::components::figure::{bill_table, chart, Steps};
use crate::app::components::form::{
    errors, input_value, kept, on_check, on_click, on_edit, text_field,
};
use crate::app::hooks::{use_url_state, UrlState};
use crate::core::dynamodb::capacity::{self, Consistency, Per};
use crate::core::dynamodb::charts::{break_even, cost_vs_traffic, cost_vs_utilization};
use crate::core::dynamodb::item::{parse_item, ItemSize, JsonKind, MAX_ITEM_BYTES};
use crate::core::dynamodb::request::{request_cost, size_text, units_text, Op};
use crate::core::dynamodb::state::{
    self, course_examples, report, DynamoState, Line, MAX_LINES, TABLE,
};
use crate::core::format::{money, thousands};
use yew::prelude::*;

/// A callback that edits workload line `n` with the control's new text.
fn line_edit<E: AsRef<Event> + 'static>(
    state: &UseStateHandle<DynamoState>,
    n: usize,
    f: fn(&mut Line, String),
) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |e: E| {
        let mut s = (*state).clone();
        if let Some(l) = s.lines.get_mut(n) {
            f(l, input_value(e.as_ref()));
        }
        state.set(s);
    })
}

fn per_from(v: &str) -> Per {
    match v {
        "minute" => Per::Minute,
        "hour" => Per::Hour,
        "day" => Per::Day,
        "month" => Per::Month,
        _ => Per::Second,
    }
}

fn mode_from(v: &str) -> Consistency {
    match v {
        "strong" => Consistency::Strong,
        "transactional" => Consistency::Transactional,
        _ => Consistency::Eventual,
    }
}

/// Numbers listed in "How sizes are counted"; the rest are summarised.
const NUMBERS_SHOWN: usize = 50;

/// The pasted item's size, or why it cannot be read.
type ItemResult = Result<(ItemSize, JsonKind), String>;

fn item_section(s: &DynamoState, item: &ItemResult, state: &UseStateHandle<DynamoState>) -> Html {
    let body = match item {
        Err(e) => {
            html! { <p class="banner-error" role="status" data-testid="item-error">{ e.clone() }</p> }
        }
        Ok((size, kind)) => {
            let kind = *kind;
            let limit = size.check_limit();
            let share = size.total as f64 / MAX_ITEM_BYTES as f64 * 100.0;
            let use_size = {
                let bytes = size.total;
                on_click(state, move |s| {
                    s.sizes = format!("{bytes} B");
                    s.stored_size = format!("{bytes} B");
                })
            };
            html! {
                <>
                    <p class="hint" data-testid="item-kind">{ match kind {
                        JsonKind::Dynamo => "Read as DynamoDB JSON (typed values such as {\"S\": …}).",
                        _ => "Read as plain JSON: strings → S, numbers → N, true/false → BOOL, null → NULL, arrays → L, objects → M.",
                    } }</p>
                    <dl class="figures">
                        <div class="figure"><dt>{ "Billable size" }</dt><dd>
                            <span class="value" data-testid="item-size">{ format!("{} bytes", thousands(size.total as u128)) }</span>
                            <span class="figure-note" data-testid="item-share">{ format!("{} · {share:.2}% of the 400 KB limit", size_text(size.total)) }</span>
                        </dd></div>
                        <div class="figure"><dt>{ "Per request" }</dt><dd>
                            <span class="value" data-testid="item-units">{ format!("{} RCU strong · {} WCU", capacity::read_blocks(size.total), capacity::write_blocks(size.total)) }</span>
                            <span class="figure-note">{ "a read rounds up to 4 KB, a write to 1 KB" }</span>
                        </dd></div>
                    </dl>
                    { match &limit {
                        Err(e) => html! { <p class="banner-error" role="status" data-testid="item-error">{ e.clone() }</p> },
                        Ok(true) => html! { <p class="finding warning" role="status" data-testid="item-warning">{ "Above 90% of the 400 KB item limit: one more attribute may make writes fail. Consider moving large values to S3 and keeping a pointer." }</p> },
                        Ok(false) => html! {},
                    } }
                    <div class="table-scroll">
                    <table class="data" data-testid="item-breakdown">
                        <caption class="visually-hidden">{ "Size of each attribute" }</caption>
                        <thead><tr><th scope="col">{ "Attribute" }</th><th scope="col">{ "Type" }</th><th scope="col" class="num">{ "Name" }</th><th scope="col" class="num">{ "Value" }</th><th scope="col" class="num">{ "Bytes" }</th></tr></thead>
                        <tbody>
                            { for size.attributes.iter().map(|a| html! {
                                <tr>
                                    <td class="mono">{ &a.name }</td>
                                    <td class="mono">{ a.type_name }</td>
                                    <td class="num mono">{ a.name_bytes }</td>
                                    <td class="num mono">{ thousands(a.value_bytes as u128) }</td>
                                    <td class="num mono" data-testid={format!("attr-bytes-{}", a.name)}>{ thousands((a.name_bytes + a.value_bytes) as u128) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                    <details class="math"><summary>{ "How sizes are counted" }</summary>
                        <ul class="notes">
                            <li>{ "Every attribute costs its name in UTF-8 bytes plus its value." }</li>
                            <li>{ "Strings: UTF-8 bytes. Binary: the raw bytes (base64 in the JSON is decoded first)." }</li>
                            <li>{ "Numbers: the digits are grouped in pairs outward from the decimal point (1.5 → 01|50); pairs of zeros at either end are dropped; 1 byte per pair, plus 1, plus 1 more for a negative number. Zero is 1 byte; the largest number is 21. (The Developer Guide's “1 byte per 2 significant digits, plus 1” is a shortcut: it is wrong for decimals, negatives and zero.)" }</li>
                            <li>{ "Booleans and null: 1 byte. Lists and maps: 3 bytes plus 1 per element, plus the elements (and map keys)." }</li>
                            <li>{ "Sets: the sum of their elements." }</li>
                        </ul>
                        if !size.numbers.is_empty() {
                            <table class="data" data-testid="item-numbers">
                                <caption>{ "Numbers in this item, pair by pair" }</caption>
                                <thead><tr><th scope="col">{ "Where" }</th><th scope="col">{ "Pairs → bytes" }</th></tr></thead>
                                <tbody>
                                    { for size.numbers.iter().take(NUMBERS_SHOWN).enumerate().map(|(k, (path, n))| html! {
                                        <tr>
                                            <td class="mono">{ path }</td>
                                            <td class="mono" data-testid={format!("number-{k}")}>{ n.explain() }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                            if size.numbers.len() > NUMBERS_SHOWN {
                                <p class="hint">{ format!("{} more numbers are counted the same way.", thousands((size.numbers.len() - NUMBERS_SHOWN) as u128)) }</p>
                            }
                        }
                    </details>
                    if limit.is_ok() {
                        <button type="button" class="small" onclick={use_size} data-testid="use-item-size">{ "Use this size below" }</button>
                    }
                </>
            }
        }
    };
    let kind_select = on_edit::<_, Event>(state, |s, v| {
        s.kind = match v.as_str() {
            "plain" => JsonKind::Plain,
            "dynamo" => JsonKind::Dynamo,
            _ => JsonKind::Auto,
        }
    });
    html! {
        <section class="panel card-panel" aria-labelledby="ddb-item" data-embed="item">
            <h2 id="ddb-item">{ "Item size" }</h2>
            <div class="field">
                <label for="item">{ "Item as JSON (plain or DynamoDB JSON)" }</label>
                <textarea id="item" rows="8" spellcheck="false" data-testid="item" value={s.item.clone()} oninput={on_edit(state, |s, v| s.item = v)} />
            </div>
            <div class="toolbar"><div class="field narrow">
                <label for="kind">{ "Read it as" }</label>
                <select id="kind" data-testid="kind" onchange={kind_select}>
                    <option value="auto" selected={s.kind == JsonKind::Auto}>{ "detect" }</option>
                    <option value="plain" selected={s.kind == JsonKind::Plain}>{ "plain JSON" }</option>
                    <option value="dynamo" selected={s.kind == JsonKind::Dynamo}>{ "DynamoDB JSON" }</option>
                </select>
            </div></div>
            { body }
        </section>
    }
}

fn request_section(s: &DynamoState, state: &UseStateHandle<DynamoState>) -> Html {
    let op = s.op;
    let result = s
        .request()
        .and_then(|r| request_cost(&r).map_err(|e| vec![e]));
    html! {
        <section class="panel card-panel" aria-labelledby="ddb-request" data-embed="request">
            <h2 id="ddb-request">{ "One request" }</h2>
            <div class="toolbar">
                <div class="field narrow">
                    <label for="op">{ "Operation" }</label>
                    <select id="op" data-testid="op" onchange={on_edit::<_, Event>(state, |s, v| s.op = Op::from_name(&v))}>
                        { for Op::ALL.iter().map(|o| html! { <option value={o.name()} selected={*o == op}>{ o.name() }</option> }) }
                    </select>
                </div>
                if op.has_consistency() {
                    <div class="field narrow">
                        <label for="consistency">{ "Read" }</label>
                        <select id="consistency" data-testid="consistency" onchange={on_edit::<_, Event>(state, |s, v| s.consistency = mode_from(&v))}>
                            <option value="eventual" selected={s.consistency == Consistency::Eventual}>{ "eventually consistent" }</option>
                            <option value="strong" selected={s.consistency != Consistency::Eventual}>{ "strongly consistent" }</option>
                        </select>
                    </div>
                }
                if op.reads_many() {
                    { text_field("items-read", "Items read", &s.items_read, "", on_edit(state, |s, v| s.items_read = v)) }
                }
                { text_field("sizes", if op.takes_list() { "Item sizes" } else if op.reads_many() { "Average item size" } else { "Item size" }, &s.sizes, "KB", on_edit(state, |s, v| s.sizes = v)) }
                if !op.is_read() {
                    { text_field("gsis", "Projected size in each GSI", &s.gsis, "KB", on_edit(state, |s, v| s.gsis = v)) }
                }
            </div>
            <p class="hint">{ if op.takes_list() {
                "List one size per item, separated by commas; 25 x 2 means 25 items of 2 KB. Sizes are in KB (1,024 bytes) unless written as 300 B."
            } else {
                "Sizes are in KB (1,024 bytes) unless written as 300 B."
            } }{ if op.is_read() { "" } else { " GSIs: one size per index the write reaches (leave empty for none)." } }</p>
            { match result {
                Err(e) => errors(&e, "request-errors"),
                Ok(c) => html! {
                    <>
                        <dl class="figures">
                            <div class="figure"><dt>{ "Consumes" }</dt><dd>
                                <span class="value" data-testid="request-units">{ format!("{} {}", units_text(c.units), c.unit) }</span>
                                <span class="figure-note">{ format!("the same number of {} on demand", if c.unit == "RCU" { "read request units" } else { "write request units" }) }</span>
                                <details class="math"><summary>{ "Show the math" }</summary><Steps steps={c.steps.clone()} /></details>
                            </dd></div>
                            if let Some(p) = c.pages {
                                <div class="figure"><dt>{ "Pages" }</dt><dd>
                                    <span class="value" data-testid="request-pages">{ thousands(p as u128) }</span>
                                    <span class="figure-note">{ "a Query or Scan returns at most 1 MB per call" }</span>
                                </dd></div>
                            }
                        </dl>
                        <ul class="notes" data-testid="request-notes">{ for c.notes.iter().map(|n| html! { <li>{ *n }</li> }) }</ul>
                    </>
                },
            } }
        </section>
    }
}

fn workload_section(s: &DynamoState, state: &UseStateHandle<DynamoState>) -> Html {
    let month_hours = s.month_hours().unwrap_or(730.0);
    let add = |write: bool| {
        on_click(state, move |s| {
            if s.lines.len() < MAX_LINES {
                s.lines.push(Line {
                    write,
                    mode: if write {
                        Consistency::Strong
                    } else {
                        Consistency::Eventual
                    },
                    size: if write { "1".into() } else { "4".into() },
                    ..Default::default()
                });
            }
        })
    };
    html! {
        <section class="panel card-panel" aria-labelledby="ddb-workload" data-embed="workload">
            <h2 id="ddb-workload">{ "Workload → capacity" }</h2>
            <p class="hint">{ "Each line is a kind of request at an average rate. It starts with the course notes' five worked examples." }</p>
            <div class="table-scroll">
            <table class="data workload" data-testid="workload">
                <thead><tr>
                    <th scope="col">{ "Request" }</th><th scope="col">{ "Rate" }</th><th scope="col">{ "per" }</th>
                    <th scope="col">{ "Item size (KB)" }</th><th scope="col">{ "Kind" }</th><th scope="col" class="num">{ "Needs" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th>
                </tr></thead>
                <tbody>
                    { for s.lines.iter().enumerate().map(|(n, l)| {
                        let k = n + 1;
                        let remove = on_click(state, move |s| { if n < s.lines.len() { s.lines.remove(n); } });
                        html! {
                            <tr key={n}>
                                <td><select aria-label={format!("Line {k}: reads or writes")} data-testid={format!("line-{k}-kind")} onchange={line_edit::<Event>(state, n, |l, v| { l.write = v == "write"; l.mode = if l.write { Consistency::Strong } else { Consistency::Eventual }; })}>
                                    <option value="read" selected={!l.write}>{ "reads" }</option>
                                    <option value="write" selected={l.write}>{ "writes" }</option>
                                </select></td>
                                <td><input type="text" inputmode="decimal" class="rate" aria-label={format!("Line {k}: rate")} data-testid={format!("line-{k}-rate")} value={l.rate.clone()} oninput={line_edit::<InputEvent>(state, n, |l, v| l.rate = v)} /></td>
                                <td><select aria-label={format!("Line {k}: per")} data-testid={format!("line-{k}-per")} onchange={line_edit::<Event>(state, n, |l, v| l.per = per_from(&v))}>
                                    { for [Per::Second, Per::Minute, Per::Hour, Per::Day, Per::Month].iter().map(|p| html! { <option value={p.label()} selected={*p == l.per}>{ p.label() }</option> }) }
                                </select></td>
                                <td><input type="text" inputmode="decimal" class="size" aria-label={format!("Line {k}: item size")} data-testid={format!("line-{k}-size")} value={l.size.clone()} oninput={line_edit::<InputEvent>(state, n, |l, v| l.size = v)} /></td>
                                <td><select aria-label={format!("Line {k}: kind")} data-testid={format!("line-{k}-mode")} onchange={line_edit::<Event>(state, n, |l, v| l.mode = mode_from(&v))}>
                                    if l.write {
                                        <option value="strong" selected={l.mode != Consistency::Transactional}>{ "standard" }</option>
                                        <option value="transactional" selected={l.mode == Consistency::Transactional}>{ "transactional" }</option>
                                    } else {
                                        <option value="eventual" selected={l.mode == Consistency::Eventual}>{ "eventually consistent" }</option>
                                        <option value="strong" selected={l.mode == Consistency::Strong}>{ "strongly consistent" }</option>
                                        <option value="transactional" selected={l.mode == Consistency::Transactional}>{ "transactional" }</option>
                                    }
                                </select></td>
                                <td class="num mono" data-testid={format!("line-{k}-units")}>{ l.units(month_hours).unwrap_or_else(|| "—".into()) }</td>
                                <td><button type="button" class="small" aria-label={format!("Remove line {k}")} data-testid={format!("line-{k}-remove")} onclick={remove}>{ "✕" }</button></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            <div class="toolbar">
                <button type="button" class="small" onclick={add(false)} disabled={s.lines.len() >= MAX_LINES} data-testid="add-read">{ "Add reads" }</button>
                <button type="button" class="small" onclick={add(true)} disabled={s.lines.len() >= MAX_LINES} data-testid="add-write">{ "Add writes" }</button>
                <button type="button" class="small" onclick={on_click(state, |s| s.lines = course_examples())} data-testid="course-examples">{ "Course examples" }</button>
            </div>
        </section>
    }
}

#[component]
pub fn DynamoDbPage() -> Html {
    let url_state = use_url_state("dynamodb", state::to_query, state::from_query);
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let s = &*state;
    // The item is parsed only when its text or reading changes (it may be 400 KB).
    let item = use_memo((s.item.clone(), s.kind), |(text, kind)| {
        parse_item(text, *kind)
            .map(|(attrs, k)| (ItemSize::of(&attrs), k))
            .map_err(|e| e.to_string())
    });
    // Costs and charts depend only on the validated workload.
    let costs = use_memo(s.workload(), |w| {
        w.clone().map(|w| {
            let r = report(&w, &TABLE);
            let crossing = break_even(&w, &TABLE);
            let charts = (cost_vs_utilization(&w, &TABLE), cost_vs_traffic(&w, &TABLE));
            (w, r, crossing, charts)
        })
    });
    let costs_shown = crate::app::hooks::use_last_ok(costs.clone());

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="dynamodb" controls={controls} lede={"Size an item, see what each request consumes, turn a workload into RCU and WCU, and price it both ways."} reset={reset} link_error={(*link_error).clone()}>
            { item_section(s, &item, &state) }
            { request_section(s, &state) }
            { workload_section(s, &state) }
            <section class="panel card-panel" aria-labelledby="ddb-cost" data-embed="cost">
                <h2 id="ddb-cost">{ "Monthly cost" }</h2>
                <div class="toolbar">
                    { text_field("month-hours", "Month", &s.month_hours, "hours", on_edit(&state, |s, v| s.month_hours = v)) }
                    { text_field("utilization", "Target utilization", &s.utilization, "%", on_edit(&state, |s, v| s.utilization = v)) }
                    { text_field("stored-items", "Items stored", &s.stored_items, "", on_edit(&state, |s, v| s.stored_items = v)) }
                    { text_field("stored-size", "Average item", &s.stored_size, "KB", on_edit(&state, |s, v| s.stored_size = v)) }
                </div>
                <div class="checks">
                    <label><input type="checkbox" checked={s.free_tier} onchange={on_check(&state, |s, v| s.free_tier = v)} data-testid="free-tier" />{ " Apply the always-free tier (25 RCU, 25 WCU, 25 GB of storage)" }</label>
                </div>
                <p class="hint">{ format!("Provisioned capacity is sized so the average load uses the target utilization (auto scaling aims at 70% by default). Prices: {} ({}, {} table class), effective {}, checked {}; ", TABLE.id, TABLE.region, TABLE.table_class, TABLE.effective, TABLE.checked) }
                    <a href={TABLE.source} target="_blank" rel="noopener noreferrer">{ "Amazon DynamoDB pricing" }</a>{ "." }</p>
                { kept(&costs, &costs_shown, "workload-errors", |(w, r, crossing, (by_util, by_traffic))| html! {
                        <>
                            <dl class="figures">
                                <div class="figure"><dt>{ "Read capacity" }</dt><dd>
                                    <span class="value" data-testid="total-rcu">{ format!("{} RCU", thousands(r.capacity.rcu as u128)) }</span>
                                    <span class="figure-note">{ format!("{} exactly, rounded up", units_text(r.capacity.rcu_exact)) }</span>
                                </dd></div>
                                <div class="figure"><dt>{ "Write capacity" }</dt><dd>
                                    <span class="value" data-testid="total-wcu">{ format!("{} WCU", thousands(r.capacity.wcu as u128)) }</span>
                                    <span class="figure-note">{ format!("{} exactly, rounded up", units_text(r.capacity.wcu_exact)) }</span>
                                </dd></div>
                            </dl>
                            <details class="math"><summary>{ "Show the math" }</summary><Steps steps={r.capacity.steps.clone()} /></details>
                            <div class="two-col">
                                <div>
                                    <h3>{ "On-demand" }</h3>
                                    <p class="hint">{ format!("${} per million read request units, ${} per million write request units.", TABLE.rru_million, TABLE.wru_million) }</p>
                                    { bill_table(&r.on_demand, r.on_demand_total, "od") }
                                </div>
                                <div>
                                    <h3>{ format!("Provisioned at {}%", units_text(w.utilization * 100.0)) }</h3>
                                    <p class="hint">{ format!("${} per RCU-hour, ${} per WCU-hour, {} hours.", TABLE.rcu_hour, TABLE.wcu_hour, units_text(w.month_hours)) }</p>
                                    { bill_table(&r.provisioned, r.provisioned_total, "prov") }
                                </div>
                            </div>
                            <div class="callout" data-testid="ratio-callout">
                                <h3>{ "“On-demand is 2.5× more expensive”?" }</h3>
                                { match r.ratio {
                                    Some(x) => html! { <p>{ "For this workload, on-demand requests cost " }<strong data-testid="ratio">{ format!("{x:.2}×") }</strong>{ format!(" provisioned capacity at {}% utilization (before free tiers).", units_text(w.utilization * 100.0)) }</p> },
                                    None => html! { <p data-testid="ratio">{ "With no traffic there is nothing to compare: both modes cost only storage." }</p> },
                                } }
                                <p data-testid="break-even">{ format!("From prices alone, provisioned is cheaper above {:.1}% utilization (reads and writes alike) and on-demand below; at 100% on-demand costs {:.2}×. ", r.break_even.0 * 100.0, 1.0 / r.break_even.0) }
                                    { match crossing {
                                        Some(u) => format!("With this workload's rounding and free tier, the crossing is at {:.1}%.", u * 100.0),
                                        None => "With this workload, provisioned never costs less: the free tier or rounding keeps it above on-demand.".to_string(),
                                    } }</p>
                                <p class="hint">{ "The course notes' 2.5× is a rule of thumb from before the November 2024 on-demand price cut; the real ratio depends on how much of the provisioned capacity you use." }</p>
                                <details class="math"><summary>{ "Show the math" }</summary><Steps steps={r.ratio_steps.clone()} /></details>
                            </div>
                            { chart(by_util.clone(), format!("Monthly cost against target utilization: on-demand is flat; provisioned falls as utilization rises; the vertical line is the break-even point{}; the dot is your setting.", crossing.map(|u| format!(" ({:.1}%)", u * 100.0)).unwrap_or_default()), "chart-utilization") }
                            { chart(by_traffic.clone(), format!("Monthly cost against traffic, from none to four times this workload's {} requests per second (same mix of requests); the dots are this workload. Provisioned stays flat while the free tier covers it.", units_text(w.requests_per_second())), "chart-traffic") }
                            <h3>{ "Table class" }</h3>
                            <p data-testid="storage-share">{ format!("Storage is {:.1}% of the provisioned bill. ", r.storage_share * 100.0) }
                                { "Standard-IA trades cheaper storage for dearer requests; AWS suggests considering it when storage is about half of a table's cost or more. Its prices are not in a verified table here yet, so Stratus does not price it rather than guess." }</p>
                            <p class="hint">{ format!("Total on-demand {} · provisioned {} a month.", money(r.on_demand_total), money(r.provisioned_total)) }</p>
                        </>
                }) }
            </section>
        </crate::app::components::tool_frame::ToolFrame>
    }
}
