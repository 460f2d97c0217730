//! VPC plan tab: tiers × AZs → subnets, a block map, and exports.

use crate::app::components::export::ExportBox;
use crate::app::components::figure::Steps;
use crate::app::components::form::{checked, input_value};
use crate::app::hooks::use_helper;
use crate::core::cidr::plan::{az_letter, plan, Plan, MAX_AZS, MAX_TIERS};
use crate::core::cidr::share::{PlanState, SizeKind, TierDraft};
use crate::core::format::thousands;
use crate::core::views::vpc::exports::{read_plan_exports, PlanExports, HELPER};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlanTabProps {
    pub plan: PlanState,
    pub on_change: Callback<PlanState>,
}

/// An edit of the plan inputs with the new text of the field that changed.
type PlanEdit = Box<dyn Fn(&mut PlanState, String)>;

fn edit_plan<E: AsRef<Event> + 'static>(
    st: &PlanState,
    on_change: &Callback<PlanState>,
    f: PlanEdit,
) -> Callback<E> {
    let (st, on_change) = (st.clone(), on_change.clone());
    Callback::from(move |e: E| {
        let mut s = st.clone();
        f(&mut s, input_value(e.as_ref()));
        on_change.emit(s);
    })
}

/// Shown while the export helper loads (a moment, once per visit).
const PENDING: &str = "Building the plan's network…";
/// The same for the JSON export, which needs no network.
const PENDING_JSON: &str = "Writing the plan's JSON…";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Json,
    Terraform,
    CloudFormation,
}

#[component]
pub fn PlanTab(props: &PlanTabProps) -> Html {
    let result = use_memo(props.plan.clone(), |p| p.to_input().and_then(|i| plan(&i)));
    // The builder link, Terraform and CloudFormation need the EC2 network model: the export
    // helper module builds them (core::views::vpc::exports), loaded the first time a plan
    // is shown, so the planner's first load does not carry the model.
    // A failed load is asked again when the plan changes.
    // Asked only for a plan that was made (the same state `result` was made from).
    let made = result.is_ok();
    let args = use_memo(props.plan.clone(), move |p| {
        made.then(|| vec![serde_json::to_string(p).unwrap_or_default()])
    });
    let answer = use_helper(HELPER, "plan_exports", args);
    let exports = use_memo(answer, |a| {
        a.clone().map(|a| a.and_then(|a| read_plan_exports(&a)))
    });
    let format = use_state(|| Format::Terraform);
    let st = &props.plan;
    // One callback maker for inputs (InputEvent) and selects (Event).
    let update = |f: PlanEdit| edit_plan::<Event>(st, &props.on_change, f);
    let update_input = |f: PlanEdit| edit_plan::<InputEvent>(st, &props.on_change, f);
    let add_tier = {
        let (st, on_change) = (st.clone(), props.on_change.clone());
        Callback::from(move |_| {
            let mut s = st.clone();
            let n = s.tiers.len() + 1;
            s.tiers
                .push(TierDraft::new(&format!("tier{n}"), SizeKind::Prefix, "24"));
            on_change.emit(s);
        })
    };

    html! {
        <div class="plan">
            <div class="toolbar">
                <div class="field">
                    <label for="plan-vpc">{ "VPC CIDR" }</label>
                    <input id="plan-vpc" type="text" class="mono" value={st.vpc.clone()} spellcheck="false" autocomplete="off"
                        oninput={update_input(Box::new(|s, v| s.vpc = v))} data-testid="plan-vpc" />
                </div>
                <div class="field narrow">
                    <label for="plan-azs">{ "Availability zones" }</label>
                    <select id="plan-azs" onchange={update(Box::new(|s, v| s.azs = v.parse().unwrap_or(1)))} data-testid="plan-azs">
                        { for (1..=MAX_AZS).map(|n| html! { <option value={n.to_string()} selected={st.azs == n}>{ n }</option> }) }
                    </select>
                </div>
            </div>
            <fieldset class="tiers">
                <legend>{ "Tiers (one subnet per tier in each AZ; public tiers route to an internet gateway, the others out through NAT gateways)" }</legend>
                { for st.tiers.iter().enumerate().map(|(i, t)| {
                    let remove = {
                        let (st, on_change) = (st.clone(), props.on_change.clone());
                        Callback::from(move |_| { let mut s = st.clone(); s.tiers.remove(i); on_change.emit(s); })
                    };
                    html! {
                        <div class="tier-row" data-testid={format!("tier-{i}")}>
                            <input type="text" aria-label={format!("Tier {} name", i + 1)} value={t.name.clone()} data-testid="tier-name"
                                oninput={update_input(Box::new(move |s, v| s.tiers[i].name = v))} />
                            <select aria-label={format!("Tier {} size by", i + 1)} data-testid="tier-kind"
                                onchange={update(Box::new(move |s, v| s.tiers[i].kind = if v == "hosts" { SizeKind::Hosts } else { SizeKind::Prefix }))}>
                                <option value="prefix" selected={t.kind == SizeKind::Prefix}>{ "prefix /" }</option>
                                <option value="hosts" selected={t.kind == SizeKind::Hosts}>{ "hosts ≥" }</option>
                            </select>
                            <input type="text" inputmode="numeric" class="mono narrow-input" aria-label={format!("Tier {} size", i + 1)} value={t.value.clone()} data-testid="tier-value"
                                oninput={update_input(Box::new(move |s, v| s.tiers[i].value = v))} />
                            <label class="check"><input type="checkbox" checked={t.is_public()} data-testid="tier-public"
                                onchange={{ let (st, on_change) = (st.clone(), props.on_change.clone()); Callback::from(move |e: Event| { let mut s = st.clone(); s.tiers[i].public = Some(checked(&e)); on_change.emit(s); }) }} />{ " public" }</label>
                            <button type="button" class="small" onclick={remove} aria-label={format!("Remove tier {}", t.name)}>{ "Remove" }</button>
                        </div>
                    }
                }) }
                <button type="button" class="small" onclick={add_tier} disabled={st.tiers.len() >= MAX_TIERS} data-testid="tier-add">{ "Add tier" }</button>
            </fieldset>
            { match &*result {
                Err(errors) => html! {
                    <ul class="error-list" role="status" data-testid="plan-errors">
                        { for errors.iter().map(|e| html! { <li>{ e }</li> }) }
                    </ul>
                },
                Ok(p) => html! { <PlanResult plan={p.clone()} exports={(*exports).clone()} format={*format} on_format={let f = format.clone(); Callback::from(move |x| f.set(x))} /> },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PlanResultProps {
    plan: Plan,
    /// What the export helper built from the plan; `None` until it answers.
    exports: Option<Result<PlanExports, String>>,
    format: Format,
    on_format: Callback<Format>,
}

#[component]
fn PlanResult(props: &PlanResultProps) -> Html {
    let p = &props.plan;
    let vpc_size = p.vpc.size().unwrap_or(1) as f64;
    let used: u128 = p.subnets.iter().map(|s| s.block.size().unwrap_or(0)).sum();
    let spare: u128 = p
        .spare_slots
        .iter()
        .map(|(_, b)| b.size().unwrap_or(0))
        .sum();
    let free: u128 = p.free.iter().map(|b| b.size().unwrap_or(0)).sum();
    // The block map: every piece of the VPC in address order.
    let mut pieces: Vec<(u128, u128, String, String)> = vec![];
    for s in &p.subnets {
        pieces.push((
            s.block.start,
            s.block.size().unwrap_or(0),
            format!("tier t{}", s.tier % 8),
            format!("{} {}", p.subnet_name(s), s.block),
        ));
    }
    for (t, b) in &p.spare_slots {
        pieces.push((
            b.start,
            b.size().unwrap_or(0),
            "spare".into(),
            format!("spare {} slot {b}", p.tiers[*t].name.trim()),
        ));
    }
    for b in &p.free {
        pieces.push((
            b.start,
            b.size().unwrap_or(0),
            "free".into(),
            format!("free {b}"),
        ));
    }
    pieces.sort();
    // Terraform and CloudFormation describe the network the plan builds (gateways, route
    // tables), the same one "Open in the VPC builder" shows. The JSON comes from the helper
    // too (its serializer stays out of the planner's module).
    let built =
        |pick: fn(&PlanExports) -> &Result<String, String>, pending: &str| match &props.exports {
            None => pending.to_string(),
            Some(Err(e)) => format!("# {e}"),
            Some(Ok(x)) => pick(x)
                .clone()
                .unwrap_or_else(|e| format!("# The plan could not be built as a network: {e}")),
        };
    let (text, filename, mime) = match props.format {
        Format::Csv => (p.to_csv(), "vpc-plan.csv", "text/csv"),
        Format::Json => (
            built(|x| &x.json, PENDING_JSON),
            "vpc-plan.json",
            "application/json",
        ),
        Format::Terraform => (
            built(|x| &x.terraform, PENDING),
            "vpc-plan.tf",
            "text/plain",
        ),
        Format::CloudFormation => (
            built(|x| &x.cloudformation, PENDING),
            "vpc-plan.template.json",
            "application/json",
        ),
    };
    // Copy and Download wait for the helper's text (every format but CSV).
    let busy = props.exports.is_none() && props.format != Format::Csv;
    let fmt_button = |f: Format, label: &'static str, id: &'static str| {
        let on_format = props.on_format.clone();
        html! {
            <button type="button" class="small" aria-pressed={if props.format == f { "true" } else { "false" }}
                onclick={Callback::from(move |_| on_format.emit(f))} data-testid={format!("plan-format-{id}")}>{ label }</button>
        }
    };
    html! {
        <>
            <p class="plan-summary" data-testid="plan-summary">
                { format!("{} subnets use {} of {} addresses; ", p.subnets.len(), thousands(used), thousands(p.vpc.size().unwrap_or(0))) }
                { format!("{} are held as spare AZ slots and {} are free for new tiers.", thousands(spare), thousands(free)) }
            </p>
            <div class="blockmap" role="img" aria-label="Block map of the VPC: subnets, spare AZ slots and free space in address order" data-testid="plan-blockmap">
                { for pieces.iter().map(|(_, size, class, title)| html! {
                    <span class={classes!("piece", class.clone())} style={format!("flex-grow: {:.6}", *size as f64 / vpc_size)} title={title.clone()}></span>
                }) }
            </div>
            <p class="legend hint">
                { for p.tiers.iter().enumerate().map(|(i, t)| html! { <span class="legend-item"><span class={classes!("swatch", "tier", format!("t{}", i % 8))}></span>{ t.name.trim() }</span> }) }
                <span class="legend-item"><span class="swatch spare"></span>{ "spare AZ slot" }</span>
                <span class="legend-item"><span class="swatch free"></span>{ "free" }</span>
            </p>
            <table class="data" data-testid="plan-table">
                <thead><tr><th scope="col">{ "Subnet" }</th><th scope="col">{ "Tier" }</th><th scope="col">{ "AZ" }</th><th scope="col">{ "CIDR" }</th><th scope="col" class="num">{ "Usable (AWS)" }</th></tr></thead>
                <tbody>
                    { for p.subnets.iter().map(|s| html! {
                        <tr data-testid={format!("plan-row-{}", p.subnet_name(s))}>
                            <td>{ p.subnet_name(s) }</td><td>{ p.tiers[s.tier].name.trim() }</td><td>{ az_letter(s.az) }</td>
                            <td class="mono" data-testid="plan-cidr">{ s.block.to_string() }</td><td class="num" data-testid="plan-usable">{ thousands(s.usable()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !p.free.is_empty() {
                <p>{ "Free for growth: " }<span class="mono" data-testid="plan-free">{ p.free.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", ") }</span></p>
            }
            <details class="math">
                <summary>{ "Show the math" }</summary>
                <Steps steps={p.steps.clone()} />
                <p class="hint">{ "Each tier gets one aligned block holding a subnet per AZ, rounded up to a power of two so another AZ fits later. Blocks are placed largest first, which keeps them aligned with no gaps." }</p>
            </details>
            { match props.exports.as_ref().map(|x| x.as_ref().map(|x| &x.builder)) {
                None => html! { <p class="hint" data-testid="plan-open-builder-pending">{ PENDING }</p> },
                Some(Err(e)) => html! { <p class="hint" data-testid="plan-open-builder-error">{ format!("The plan's network could not be built here: {e}") }</p> },
                Some(Ok(Ok(q))) => html! {
                    <p class="toolbar">
                        <a class="button" href={format!("#/vpc?{q}")} data-testid="plan-open-builder">{ "Open in the VPC builder" }</a>
                        <span class="hint">{ "Subnets in their AZs, an internet gateway for public tiers, a NAT gateway per AZ for the others, and an example instance per tier to ask reachability questions about." }</span>
                    </p>
                },
                Some(Ok(Err(e))) => html! { <p class="hint" data-testid="plan-open-builder-error">{ format!("This plan cannot open in the VPC builder: {e}") }</p> },
            } }
            <h3>{ "Export" }</h3>
            <div class="segmented" role="group" aria-label="Export format">
                { fmt_button(Format::Terraform, "Terraform", "terraform") }
                { fmt_button(Format::CloudFormation, "CloudFormation", "cloudformation") }
                { fmt_button(Format::Csv, "CSV", "csv") }
                { fmt_button(Format::Json, "JSON", "json") }
            </div>
            <ExportBox id="plan" label="Plan" filename={filename} mime={mime} text={text} {busy} />
        </>
    }
}
