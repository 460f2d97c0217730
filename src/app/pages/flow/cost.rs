//! The flow page's bill: what the run's usage costs, line by line with the math, or a
//! month at the run's rate (`core::views::flow::cost`).

use crate::core::views::flow::cost::{dollars, Bill, MONTH_HOURS, US_EAST_1};
use yew::prelude::*;

fn link(url: &str) -> Html {
    // A source may carry a note after the address.
    let (href, rest) = url.split_once(' ').unwrap_or((url, ""));
    html! { <>{ " " }<a href={href.to_string()} rel="noopener" target="_blank">{ href.to_string() }</a>{ rest.to_string() }</> }
}

/// The cost section: the whole run's bill, or a month at its rate (`toggle` switches).
pub fn view(b: &Bill, month: bool, toggle: Callback<()>) -> Html {
    let onchange = Callback::from(move |_: Event| toggle.emit(()));
    let what = if month {
        format!("A month ({MONTH_HOURS} h) at this run's rate")
    } else {
        "The whole run".to_string()
    };
    html! {
        <section class="panel card-panel" aria-labelledby="flow-cost-h" data-embed="counters" data-testid="flow-cost">
            <h2 id="flow-cost-h">{ "Cost of the whole run" }</h2>
            <label class="check"><input type="checkbox" data-testid="flow-cost-month" checked={month} {onchange} />{ format!(" Scale to a month ({MONTH_HOURS} h) at this run's rate") }</label>
            <p class="hint" data-testid="flow-cost-scale" aria-live="polite">{ b.scale_math.clone() }</p>
            if b.lines.is_empty() {
                <p class="hint" data-testid="flow-cost-total">{ "Nothing billable yet: no function ran, no request was made." }</p>
            } else {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Bill lines">
                    <table class="data" data-testid="flow-cost-lines">
                        <thead><tr><th scope="col">{ "Service" }</th><th scope="col">{ "Usage" }</th><th scope="col">{ "Quantity" }</th><th scope="col">{ "Cost" }</th></tr></thead>
                        <tbody>
                            { for b.lines.iter().enumerate().map(|(k, l)| html! {
                                <tr data-testid={format!("flow-cost-line-{k}")}>
                                    <th scope="row">{ l.service }</th>
                                    <td>
                                        { l.item.clone() }
                                        <details><summary class="small">{ "the math" }<span class="visually-hidden">{ format!(" for {} {}", l.service, l.item) }</span></summary><p class="mono small">{ l.math.clone() }</p></details>
                                    </td>
                                    <td class="mono">{ quantity(l.quantity) }</td>
                                    <td class="mono">{ dollars(l.cost) }</td>
                                </tr>
                            }) }
                        </tbody>
                        <tfoot><tr><th scope="row" colspan="3">{ format!("{what}, before free tiers") }</th><td class="mono" data-testid="flow-cost-total"><strong>{ dollars(b.total) }</strong></td></tr></tfoot>
                    </table>
                </div>
            }
            <p class="hint small">
                { format!("Prices: {} (checked {}); Lambda and DynamoDB from the calculators' tables (x86, first duration tier). Sources:", US_EAST_1.region, US_EAST_1.checked) }
                { link(US_EAST_1.sqs_source) }{ "," }{ link(US_EAST_1.sns_source) }{ "," }{ link(US_EAST_1.s3_source) }{ "," }{ link(US_EAST_1.api_source) }{ "." }
            </p>
        </section>
    }
}

fn quantity(x: f64) -> String {
    crate::core::views::flow::cost::num(x)
}
