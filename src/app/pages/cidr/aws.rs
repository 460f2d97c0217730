//! AWS check tab: a VPC's CIDR blocks and subnets against AWS's rules.

use crate::app::components::form::input_value;
use crate::core::cidr::aws::{check, Severity, RULES};
use crate::core::cidr::share::AwsState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AwsTabProps {
    pub aws: AwsState,
    pub on_change: Callback<AwsState>,
}

#[component]
pub fn AwsTab(props: &AwsTabProps) -> Html {
    let result = use_memo(props.aws.clone(), |a| {
        let (input, errors) = a.to_input();
        (check(&input), errors)
    });
    let (findings, errors) = &*result;
    let field = |id: &'static str,
                 label: &'static str,
                 rows: &'static str,
                 value: String,
                 set: fn(&mut AwsState, String)| {
        let (st, on_change) = (props.aws.clone(), props.on_change.clone());
        let oninput = Callback::from(move |e: InputEvent| {
            let mut s = st.clone();
            set(&mut s, input_value(&e));
            on_change.emit(s);
        });
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <textarea id={id} class="mono wide" {rows} spellcheck="false" {value} {oninput} data-testid={id} />
            </div>
        }
    };
    html! {
        <div class="aws">
            <p class="hint">
                { "Checks sizes, placement, overlaps, secondary-block restrictions and quotas. Rules from the " }
                <a href={RULES.source} target="_blank" rel="noopener noreferrer">{ "Amazon VPC User Guide" }</a>{ format!(", checked {}.", RULES.checked) }
            </p>
            <div class="two-col">
                { field("aws-v4", "IPv4 VPC blocks (primary first, one per line)", "4", props.aws.v4.clone(), |s, v| s.v4 = v) }
                { field("aws-v6", "IPv6 VPC blocks (optional)", "4", props.aws.v6.clone(), |s, v| s.v6 = v) }
            </div>
            { field("aws-subnets", "Subnets: name, IPv4 block and optionally an IPv6 block, one subnet per line", "8", props.aws.subnets.clone(), |s, v| s.subnets = v) }
            if !errors.is_empty() {
                <ul class="error-list" role="status" data-testid="aws-parse-errors">
                    { for errors.iter().map(|e| html! { <li>{ e }</li> }) }
                </ul>
            }
            if findings.is_empty() && errors.is_empty() {
                <p class="ok-banner" data-testid="aws-ok">{ "AWS would accept this VPC and these subnets." }</p>
            } else if !findings.is_empty() {
                <ul class="findings" data-testid="aws-findings">
                    { for findings.iter().map(|f| html! {
                        <li class={if f.severity == Severity::Error { "finding error" } else { "finding warning" }} data-testid={format!("finding-{}", f.code)}>
                            <span class="badge">{ if f.severity == Severity::Error { "Refused" } else { "Note" } }</span>
                            <strong>{ &f.subject }</strong>{ ": " }{ &f.message }<code class="code">{ f.code }</code>
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}
