//! Lambda cost page: a line item per charge, today's rules beside the course notes' historic
//! 100 ms rounding, and charts of cost against memory and against invocations.

use crate::app::components::figure::{bill_table, chart};
use crate::app::components::form::{errors, kept, on_check, on_edit, text_field};
use crate::app::hooks::{use_url_state, UrlState};
use crate::core::format::money;
use crate::core::lambda::charts::{cost_vs_invocations, cost_vs_memory, cost_vs_utilization};
use crate::core::lambda::state::{self, Per, MONTH_HOURS};
use crate::core::lambda::{
    bill, break_even_utilization, per_invocation, provisioned, Arch, Billing, US_EAST_1,
};
use yew::prelude::*;

#[component]
pub fn LambdaPage() -> Html {
    let url_state = use_url_state("lambda", state::to_query, state::from_query);
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let s = &*state;
    // Keyed on the validated input and the chart assumption only: toggling the historic
    // column does not redraw the charts.
    let result = use_memo((s.input(), s.scale_duration), |(input, scale)| {
        input.clone().map(|i| {
            let now = bill(&US_EAST_1, &i);
            let then = bill(
                &US_EAST_1,
                &crate::core::lambda::LambdaInput {
                    billing: Billing::Historic,
                    ..i
                },
            );
            let charts = (
                cost_vs_memory(&US_EAST_1, &i, *scale),
                cost_vs_invocations(&US_EAST_1, &i),
            );
            (i, now, then, charts)
        })
    });
    let shown = crate::app::hooks::use_last_ok(result.clone());
    let pc = use_memo(
        (s.input(), s.provisioned, s.provisioned()),
        |(input, on, pc)| {
            if !*on {
                return None;
            }
            Some(match (input, pc) {
                (Ok(i), Ok(pc)) => Ok((
                    provisioned(&US_EAST_1, i, pc),
                    bill(
                        &US_EAST_1,
                        &crate::core::lambda::LambdaInput {
                            free_tier: false,
                            ..*i
                        },
                    ),
                    cost_vs_utilization(&US_EAST_1, i, pc),
                )),
                (Err(_), _) => Err(vec![]),
                (_, Err(e)) => Err(e.clone()),
            })
        },
    );

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="lambda" controls={controls} lede={"Price a function from its traffic, duration and memory, one line per charge."} reset={reset} link_error={(*link_error).clone()}>
            <section class="panel card-panel" aria-labelledby="lambda-inputs" data-embed="inputs">
                <h2 id="lambda-inputs">{ "Function and traffic" }</h2>
                <div class="toolbar">
                    { text_field("invocations", "Invocations", &s.invocations, "", on_edit(&state, |s, v| s.invocations = v)) }
                    <div class="field narrow">
                        <label for="per">{ "per" }</label>
                        <select id="per" data-testid="per" onchange={on_edit::<_, Event>(&state, |s, v| s.per = match v.as_str() { "second" => Per::Second, "day" => Per::Day, _ => Per::Month })}>
                            <option value="second" selected={s.per == Per::Second}>{ "second" }</option>
                            <option value="day" selected={s.per == Per::Day}>{ "day" }</option>
                            <option value="month" selected={s.per == Per::Month}>{ "month" }</option>
                        </select>
                    </div>
                    { text_field("duration", "Duration", &s.duration_ms, "ms", on_edit(&state, |s, v| s.duration_ms = v)) }
                    { text_field("memory", "Memory", &s.memory_mb, "MB", on_edit(&state, |s, v| s.memory_mb = v)) }
                    <div class="field narrow">
                        <label for="arch">{ "Architecture" }</label>
                        <select id="arch" data-testid="arch" onchange={on_edit::<_, Event>(&state, |s, v| s.arch = if v == "arm" { Arch::Arm } else { Arch::X86 })}>
                            <option value="x86" selected={s.arch == Arch::X86}>{ "x86_64" }</option>
                            <option value="arm" selected={s.arch == Arch::Arm}>{ "Arm (Graviton)" }</option>
                        </select>
                    </div>
                    { text_field("ephemeral", "Ephemeral storage", &s.ephemeral_mb, "MB", on_edit(&state, |s, v| s.ephemeral_mb = v)) }
                </div>
                <div class="checks">
                    <label><input type="checkbox" checked={s.free_tier} onchange={on_check(&state, |s, v| s.free_tier = v)} data-testid="free-tier" />{ " Apply the monthly free tier (1M requests, 400,000 GB-s)" }</label>
                    <label><input type="checkbox" checked={s.historic} onchange={on_check(&state, |s, v| s.historic = v)} data-testid="historic" />{ " Show the historic model (100 ms rounding, as in the course notes)" }</label>
                </div>
                <p class="hint">{ format!("A month is {MONTH_HOURS} hours. Prices: {} ({}), checked {}; ", US_EAST_1.id, US_EAST_1.region, US_EAST_1.checked) }
                    <a href={US_EAST_1.source} target="_blank" rel="noopener noreferrer">{ "AWS Lambda pricing" }</a>{ "." }</p>
            </section>
            { kept(&result, &shown, "lambda-errors", |(i, now, then, (by_memory, by_traffic))| html! {
                    <section class="panel card-panel" aria-labelledby="lambda-bill" data-embed="bill">
                        <h2 id="lambda-bill">{ "Monthly bill" }</h2>
                        <div class="two-col">
                            <div>
                                <h3>{ "Today: billed per 1 ms" }</h3>
                                <p class="hint" data-testid="now-billed-ms">{ format!("Each invocation is billed {} ms: {} GB-s a month.", now.billed_ms, crate::core::format::sig_grouped(now.gb_s, 6)) }</p>
                                { bill_table(&now.lines, now.total, "now") }
                            </div>
                            if s.historic {
                                <div class="historic">
                                    <h3>{ "Historic model: billed per 100 ms" }</h3>
                                    <p class="hint" data-testid="then-billed-ms">{ format!("Before December 2020 each invocation was billed {} ms: {} GB-s a month. The gap shows on short functions: try 2.35 ms (and the free tier off).", then.billed_ms, crate::core::format::sig_grouped(then.gb_s, 6)) }</p>
                                    { bill_table(&then.lines, then.total, "then") }
                                </div>
                            }
                        </div>
                        { per_invocation_view(i) }
                        { chart(by_memory.clone(), format!("Monthly cost against memory{}; the dot is this function.", if s.scale_duration { ", assuming duration shrinks as memory grows up to one vCPU at 1,769 MB" } else { " at a fixed duration" }), "chart-memory") }
                        <div class="checks"><label><input type="checkbox" checked={s.scale_duration} onchange={on_check(&state, |s, v| s.scale_duration = v)} data-testid="scale-duration" />
                            { " Assume duration shrinks as memory grows (CPU share rises with memory up to 1 vCPU at 1,769 MB; no gain beyond for single-threaded code)" }</label></div>
                        { chart(by_traffic.clone(), format!("Monthly cost against invocations (log scale) at {} MB and {} ms.", i.memory_mb, now.billed_ms), "chart-invocations") }
                    </section>
            }) }
            { provisioned_section(s, &state, &pc) }
        </crate::app::components::tool_frame::ToolFrame>
    }
}

/// One invocation and a million of them at list price: what memory settings are compared by.
fn per_invocation_view(i: &crate::core::lambda::LambdaInput) -> Html {
    let one = per_invocation(&US_EAST_1, i);
    html! {
        <div class="per-invocation" data-testid="per-invocation">
            <h3>{ "Per invocation, at list price" }</h3>
            <p class="hint">{ "First-tier duration price, no free tier: the figure to compare memory settings and architectures by." }</p>
            <table class="data bill">
                <thead><tr><th scope="col">{ "Charge" }</th><th scope="col" class="num">{ "One invocation" }</th><th scope="col" class="num">{ "Per million" }</th></tr></thead>
                <tbody>
                    { for one.lines.iter().map(|l| html! {
                        <tr>
                            <td>{ l.label }<details class="math"><summary>{ "Show the math" }</summary><crate::app::components::figure::Steps steps={l.steps.clone()} /></details></td>
                            <td class="num mono" data-testid={l.id}>{ money(l.amount) }</td>
                            <td class="num mono" data-testid={format!("{}-million", l.id)}>{ money(l.amount * 1e6) }</td>
                        </tr>
                    }) }
                    <tr class="total"><th scope="row">{ "Total" }</th>
                        <td class="num mono" data-testid="per-invocation-total">{ money(one.total) }</td>
                        <td class="num mono" data-testid="per-million-total">{ money(one.per_million()) }</td></tr>
                </tbody>
            </table>
        </div>
    }
}

type PcResult = Option<
    Result<
        (
            crate::core::lambda::ProvisionedBill,
            crate::core::lambda::LambdaBill,
            String,
        ),
        Vec<String>,
    >,
>;

/// Provisioned concurrency for the same traffic, beside on-demand without free tier.
fn provisioned_section(
    s: &state::LambdaState,
    state: &yew::UseStateHandle<state::LambdaState>,
    pc: &PcResult,
) -> Html {
    let break_even = break_even_utilization(&US_EAST_1, s.arch);
    html! {
        <section class="panel card-panel" aria-labelledby="lambda-pc" data-embed="provisioned">
            <h2 id="lambda-pc">{ "Provisioned concurrency" }</h2>
            <div class="checks"><label><input type="checkbox" checked={s.provisioned} onchange={on_check(state, |s, v| s.provisioned = v)} data-testid="provisioned" />
                { " Price this traffic with provisioned concurrency too" }</label></div>
            if s.provisioned {
                <div class="toolbar">
                    { text_field("pc-concurrency", "Concurrency", &s.pc_concurrency, "environments", on_edit(state, |s, v| s.pc_concurrency = v)) }
                    { text_field("pc-hours", "Enabled", &s.pc_hours, "hours a month", on_edit(state, |s, v| s.pc_hours = v)) }
                </div>
                <p class="hint">{ format!("Enabled time is taken as one period, billed rounded up to 5 minutes; every invocation is assumed to fall in the enabled hours, spread evenly, and work beyond the configured concurrency spills over to on-demand rates. The free tier does not apply to a function with provisioned concurrency. {} rates: ${} per GB-s configured, ${} per GB-s of duration ", if s.arch == Arch::Arm { "Arm" } else { "x86" }, US_EAST_1.provisioned_rates(s.arch).0, US_EAST_1.provisioned_rates(s.arch).1) }
                    <abbr title={US_EAST_1.provisioned_source}>{ "(sources)" }</abbr>{ "." }</p>
                { match pc {
                    None => html! {},
                    Some(Err(e)) if e.is_empty() => html! { <p class="hint">{ "Fix the function and traffic above first." }</p> },
                    Some(Err(e)) => errors(e, "pc-errors"),
                    Some(Ok((pcb, od, svg))) => html! {
                        <>
                            <dl class="figures">
                                <div class="figure"><dt>{ "Utilization" }</dt><dd>
                                    <span class="value" data-testid="pc-utilization">{ format!("{}%", crate::core::durability::math::sig(pcb.utilization * 100.0, 3)) }</span>
                                    <span class="figure-note">{ format!("{} GB-s of work in {} GB-s configured", crate::core::format::sig_grouped(pcb.used_gb_s, 6), crate::core::format::sig_grouped(pcb.configured_gb_s, 6)) }</span>
                                </dd></div>
                                <div class="figure"><dt>{ "Break-even" }</dt><dd>
                                    <span class="value" data-testid="pc-break-even">{ format!("{:.1}%", break_even * 100.0) }</span>
                                    <span class="figure-note">{ "above this utilization provisioned concurrency costs less" }</span>
                                </dd></div>
                                <div class="figure"><dt>{ "Cheaper here" }</dt><dd>
                                    <span class="value" data-testid="pc-verdict">{ if pcb.total < od.total { "provisioned concurrency" } else if pcb.total > od.total { "on-demand" } else { "the same" } }</span>
                                    <span class="figure-note">{ format!("{} vs {} a month", money(pcb.total), money(od.total)) }</span>
                                </dd></div>
                            </dl>
                            <div class="two-col">
                                <div>
                                    <h3>{ "With provisioned concurrency" }</h3>
                                    { bill_table(&pcb.lines, pcb.total, "pc") }
                                </div>
                                <div>
                                    <h3>{ "On-demand, without free tier" }</h3>
                                    { bill_table(&od.lines, od.total, "od") }
                                </div>
                            </div>
                            { chart(svg.clone(), format!("Monthly cost of the same work against the utilization of {} environments for {} h; the line marks the break-even at {:.1}% (at first-tier prices), the dot this traffic.", s.pc_concurrency.trim(), s.pc_hours.trim(), break_even * 100.0), "chart-provisioned") }
                        </>
                    },
                } }
            }
        </section>
    }
}
