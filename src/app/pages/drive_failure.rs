//! Drive failure and durability page: one drive, a fleet, redundancy. Thin over
//! `core::durability`; the whole state lives in the URL fragment.

use crate::app::components::figure::{chart, figures};
use crate::app::components::form::{kept, on_edit, text_field};
use crate::app::hooks::{use_url_state, UrlState};
use crate::core::durability::charts;
use crate::core::durability::math::{fmt_prob, nines, sig};
use crate::core::durability::state::{self, compare, RateKind};
use crate::core::durability::Scheme;
use yew::prelude::*;

fn nines_text(loss: f64) -> String {
    let n = nines(loss);
    if n.is_finite() {
        sig(n.floor(), 3)
    } else {
        "∞".into()
    }
}

#[component]
pub fn DriveFailurePage() -> Html {
    let url_state = use_url_state("drive-failure", state::to_query, state::from_query);
    let reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;
    let s = &*state;
    // Each section recomputes only when its own inputs change; the fleet's charts are drawn
    // from the fleet result, once.
    let one = use_memo((s.rate_kind, s.rate.clone(), s.period_days.clone()), {
        let s = s.clone();
        move |_| s.one_drive()
    });
    let fleet = use_memo(
        (
            s.rate_kind,
            s.rate.clone(),
            s.drives.clone(),
            s.fleet_days.clone(),
            s.at_least.clone(),
        ),
        {
            let s = s.clone();
            move |_| {
                s.fleet().map(|f| {
                    let charts = (
                        charts::distribution(&f.bars),
                        charts::any_failure_vs_fleet(f.q, f.drives),
                    );
                    (f, charts)
                })
            }
        },
    );
    let red = use_memo(s.redundancy_input(), |input| {
        input
            .as_ref()
            .map(|i| (crate::core::durability::redundancy(i), compare(i)))
            .map_err(Clone::clone)
    });
    let one_shown = crate::app::hooks::use_last_ok(one.clone());
    let fleet_shown = crate::app::hooks::use_last_ok(fleet.clone());
    let red_shown = crate::app::hooks::use_last_ok(red.clone());
    let rate_label = if s.rate_kind == RateKind::Afr {
        "Annualized failure rate"
    } else {
        "MTBF"
    };
    let rate_unit = if s.rate_kind == RateKind::Afr {
        "%"
    } else {
        "hours"
    };

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="drive-failure" controls={controls} lede={"Is a hard drive failing today rarer than rolling six 1s in a row? How many failures does a fleet see, and how much redundancy keeps data safe?"} reset={reset} link_error={(*link_error).clone()}>

            <section class="panel card-panel" aria-labelledby="one-title" data-embed="one-drive">
                <h2 id="one-title">{ "One drive" }</h2>
                <div class="toolbar">
                    <div class="field narrow">
                        <label for="rate-kind">{ "Given as" }</label>
                        <select id="rate-kind" data-testid="rate-kind" onchange={on_edit::<_, Event>(&state, |s, v| {
                            s.rate_kind = if v == "mtbf" { RateKind::Mtbf } else { RateKind::Afr };
                            s.rate = if v == "mtbf" { "1000000".into() } else { "2".into() };
                        })}>
                            <option value="afr" selected={s.rate_kind == RateKind::Afr}>{ "AFR" }</option>
                            <option value="mtbf" selected={s.rate_kind == RateKind::Mtbf}>{ "MTBF" }</option>
                        </select>
                    </div>
                    { text_field("rate", rate_label, &s.rate, rate_unit, on_edit(&state, |s, v| s.rate = v)) }
                    { text_field("period-days", "Period", &s.period_days, "days", on_edit(&state, |s, v| s.period_days = v)) }
                </div>
                { kept(&one, &one_shown, "one-errors", |d| figures(&d.figures)) }
                <p class="assumptions">{ "Assumes a constant failure rate: a drive is as likely to fail on any day of the year, so (1 − p)^365 = 1 − AFR." }</p>
            </section>

            <section class="panel card-panel" aria-labelledby="fleet-title" data-embed="fleet">
                <h2 id="fleet-title">{ "A fleet of drives" }</h2>
                <div class="toolbar">
                    { text_field("drives", "Drives", &s.drives, "", on_edit(&state, |s, v| s.drives = v)) }
                    { text_field("fleet-days", "Period", &s.fleet_days, "days", on_edit(&state, |s, v| s.fleet_days = v)) }
                    { text_field("at-least", "k for P(≥ k failures)", &s.at_least, "", on_edit(&state, |s, v| s.at_least = v)) }
                </div>
                { kept(&fleet, &fleet_shown, "fleet-errors", |(f, (dist, curve))| html! {
                    <>
                        { figures(&f.figures) }
                        { chart(dist.clone(), format!("Distribution of failures among {} drives: binomial bars, Poisson approximation line.", f.drives), "chart-distribution") }
                        { chart(curve.clone(), "Chance of at least one failure against fleet size; the dot is this fleet.".into(), "chart-fleet") }
                    </>
                }) }
                <p class="assumptions">{ "Assumes drives fail independently at the same constant rate; the number of failures is then binomial, and Poisson with the same mean when drives are many." }</p>
            </section>

            <section class="panel card-panel" aria-labelledby="red-title" data-embed="redundancy">
                <h2 id="red-title">{ "Redundancy" }</h2>
                <div class="toolbar">
                    <div class="field">
                        <label for="scheme">{ "Scheme" }</label>
                        <select id="scheme" data-testid="scheme" onchange={on_edit::<_, Event>(&state, |s, v| {
                            s.scheme = Scheme::ALL.into_iter().find(|x| x.id() == v).unwrap_or(Scheme::Raid5);
                            if s.scheme == Scheme::Replication { s.set_size = "3".into(); }
                            if matches!(s.scheme, Scheme::Raid5 | Scheme::Raid6) { s.set_size = "8".into(); }
                        })}>
                            { for Scheme::ALL.iter().map(|x| html! { <option value={x.id()} selected={s.scheme == *x}>{ x.label() }</option> }) }
                        </select>
                    </div>
                    if matches!(s.scheme, Scheme::Raid5 | Scheme::Raid6) {
                        { text_field("set-size", "Drives in the set", &s.set_size, "", on_edit(&state, |s, v| s.set_size = v)) }
                    }
                    if s.scheme == Scheme::Replication {
                        { text_field("set-size", "Copies", &s.set_size, "", on_edit(&state, |s, v| s.set_size = v)) }
                    }
                    if s.scheme == Scheme::Erasure {
                        { text_field("data", "Data shards k", &s.data, "", on_edit(&state, |s, v| s.data = v)) }
                        { text_field("parity", "Parity shards m", &s.parity, "", on_edit(&state, |s, v| s.parity = v)) }
                    }
                    { text_field("rebuild-days", "Rebuild time", &s.rebuild_days, "days", on_edit(&state, |s, v| s.rebuild_days = v)) }
                    { text_field("drive-tb", "Drive size", &s.drive_tb, "TB", on_edit(&state, |s, v| s.drive_tb = v)) }
                    <div class="field narrow">
                        <label for="ure">{ "Read errors" }</label>
                        <select id="ure" data-testid="ure" onchange={on_edit::<_, Event>(&state, |s, v| s.ure = v)}>
                            <option value="1e-14" selected={s.ure == "1e-14"}>{ "1 per 10^14 bits (consumer)" }</option>
                            <option value="1e-15" selected={s.ure == "1e-15"}>{ "1 per 10^15 bits (enterprise)" }</option>
                            <option value="0" selected={s.ure == "0"}>{ "ignore" }</option>
                        </select>
                    </div>
                </div>
                { kept(&red, &red_shown, "red-errors", |(r, rows)| html! {
                        <>
                            <p class="hint" data-testid="red-shape">{ format!("{} shards in all; data survives while at most {} are lost at once.", r.n, r.parity) }</p>
                            { figures(&r.figures) }
                            <h3>{ "Side by side" }</h3>
                            <table class="data" data-testid="red-compare">
                                <thead><tr><th scope="col">{ "Medium" }</th><th scope="col" class="num">{ "Annual loss, this scheme" }</th><th scope="col" class="num">{ "Nines" }</th><th scope="col" class="num">{ "Parity for 11 nines (same k)" }</th></tr></thead>
                                <tbody>
                                    { for rows.iter().map(|row| html! {
                                        <tr>
                                            <td>{ row.label }</td>
                                            <td class="num mono">{ fmt_prob(row.annual_loss) }</td>
                                            <td class="num">{ nines_text(row.annual_loss) }</td>
                                            <td class="num">{ row.parity_for_11_nines.map(|m| m.to_string()).unwrap_or_else(|| "more than 32".into()) }</td>
                                        </tr>
                                    }) }
                                    <tr class="target"><td>{ "S3-like design target" }</td><td class="num mono">{ "1.00e-11" }</td><td class="num">{ "11" }</td><td class="num">{ "—" }</td></tr>
                                </tbody>
                            </table>
                        </>
            }) }
                <div class="assumptions">
                    <p><strong>{ "Assumptions. " }</strong>{ "Failures are independent and spread evenly over the year (Backblaze's durability model). A rebuild window is the time to replace a failed drive and copy its data back; data is lost only if more drives than there is parity fail inside one window." }</p>
                    <p>{ "An unrecoverable read error counts only when a rebuild has no parity left, and then loses at least part of the data. With very large drives that can make a mirror lose some data more often than a single drive fails outright: the two are different losses." }</p>
                </div>
            </section>
        </crate::app::components::tool_frame::ToolFrame>
    }
}
