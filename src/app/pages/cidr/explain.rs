//! Explain tab: everything about one address or block.

use crate::app::components::figure::FigureView;
use crate::app::components::form::input_value;
use crate::core::cidr::explain::{explain, Explanation};
use crate::core::cidr::special::{self, Relation};
use crate::core::cidr::Block;
use yew::prelude::*;

const EXAMPLES: [&str; 5] = [
    "10.0.0.0/16",
    "10.0.0.5/24",
    "169.254.169.254",
    "100.64.0.0/10",
    "2001:db8::/56",
];

#[derive(Properties, PartialEq)]
pub struct ExplainTabProps {
    pub value: String,
    pub on_change: Callback<String>,
}

#[component]
pub fn ExplainTab(props: &ExplainTabProps) -> Html {
    let result = use_memo(props.value.clone(), |v| {
        Block::parse(v)
            .map(|p| explain(&p))
            .map_err(|e| e.to_string())
    });
    let oninput = props.on_change.reform(|e: InputEvent| input_value(&e));
    let error: Option<String> = result.as_ref().as_ref().err().cloned();
    html! {
        <div class="explain">
            <div class="field">
                <label for="explain-input">{ "Address or block" }</label>
                <input id="explain-input" type="text" inputmode="text" autocomplete="off" spellcheck="false"
                    class="mono wide" value={props.value.clone()} {oninput}
                    aria-invalid={if error.is_some() { "true" } else { "false" }}
                    aria-describedby="explain-hint explain-error" data-testid="explain-input" />
                <p id="explain-hint" class="hint">
                    { "IPv4 or IPv6, with or without a prefix length. Try: " }
                    { for EXAMPLES.iter().map(|ex| {
                        let on_change = props.on_change.clone();
                        let v = ex.to_string();
                        html! { <button type="button" class="chip" onclick={Callback::from(move |_| on_change.emit(v.clone()))}>{ *ex }</button> }
                    }) }
                </p>
                <p id="explain-error" class="error" role="status" data-testid="explain-error">{ error.clone().unwrap_or_default() }</p>
            </div>
            if let Ok(e) = &*result {
                <ExplanationView explanation={e.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ExplanationViewProps {
    explanation: Explanation,
}

#[component]
fn ExplanationView(props: &ExplanationViewProps) -> Html {
    let e = &props.explanation;
    let category = e
        .special
        .iter()
        .find(|m| m.relation == Relation::Inside)
        .map(|m| m.range.name)
        .unwrap_or_else(|| special::default_label(&e.block));
    html! {
        <>
            <h2 class="result-title"><span class="mono" data-testid="cidr-block">{ e.block.to_string() }</span>{ " · " }<span data-testid="cidr-category">{ category }</span></h2>
            if !e.notices.is_empty() {
                <ul class="notices" data-testid="cidr-notices">
                    { for e.notices.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
            <dl class="figures">
                { for e.figures.iter().map(|f| html! { <FigureView figure={f.clone()} /> }) }
            </dl>

            <h3>{ "Binary" }</h3>
            <p class="hint">{ format!("The first {} bits (highlighted) are the network; the rest pick a host.", e.block.prefix) }</p>
            <div class="binary mono" data-testid="cidr-binary" aria-label={format!("Binary form, {} network bits", e.block.prefix)}>
                { for e.bit_groups.iter().enumerate().map(|(g, bits)| {
                    let width = bits.len();
                    html! {
                        <span class="bit-group">
                            { for bits.chars().enumerate().map(|(i, c)| {
                                let net = g * width + i < e.block.prefix as usize;
                                html! { <span class={if net { "bit net" } else { "bit host" }}>{ c }</span> }
                            }) }
                        </span>
                    }
                }) }
            </div>

            <h3>{ "Addresses AWS reserves in this subnet" }</h3>
            if e.aws_reserved.is_empty() {
                <p class="muted" data-testid="aws-reserved-none">{ format!("Not a valid AWS subnet size (IPv4 /16 to /28, IPv6 {}), so no addresses are reserved.", crate::core::cidr::explain::AWS_V6_SUBNET_RULE) }</p>
            } else {
                <table class="data" data-testid="aws-reserved">
                    <thead><tr><th scope="col">{ "Address" }</th><th scope="col">{ "Offset" }</th><th scope="col">{ "Role" }</th></tr></thead>
                    <tbody>
                        { for e.aws_reserved.iter().enumerate().map(|(i, r)| html! {
                            <tr><td class="mono" data-testid={format!("aws-reserved-{i}")}>{ r.addr.to_string() }</td><td>{ r.offset }</td><td>{ r.role }</td></tr>
                        }) }
                    </tbody>
                </table>
            }

            <h3>{ "Special ranges" }</h3>
            if e.special.is_empty() {
                <p data-testid="special-none">{ special::default_label(&e.block) }{ ": it is in none of the special-purpose ranges." }</p>
            } else {
                <ul class="special" data-testid="special-ranges">
                    { for e.special.iter().map(|m| html! {
                        <li>
                            <strong>{ if m.relation == Relation::Inside { "Inside " } else { "Contains " } }{ m.range.name }</strong>
                            { " " }<span class="mono">{ m.range.cidr }</span>{ format!(" ({}). ", m.range.reference) }{ m.range.about }
                        </li>
                    }) }
                </ul>
            }
        </>
    }
}
