//! Ranges & lists tab: a range to its minimal CIDR list; a list of blocks aggregated and
//! checked for overlaps.

use crate::app::components::figure::Steps;
use crate::app::components::form::input_value;
use crate::core::cidr::explain::count_text;
use crate::core::cidr::ranges::{
    aggregate, conflicts, parse_list, parse_range, range_steps, range_to_blocks,
};
use crate::core::format::thousands;
use yew::prelude::*;

/// Most conflicting pairs listed; the total is always given.
const PAIR_LIMIT: usize = 200;

#[derive(Properties, PartialEq)]
pub struct ListsTabProps {
    pub range: String,
    pub list: String,
    pub on_range: Callback<String>,
    pub on_list: Callback<String>,
}

#[component]
pub fn ListsTab(props: &ListsTabProps) -> Html {
    let range = use_memo(props.range.clone(), |r| {
        parse_range(r).map(|(a, b)| {
            let (blocks, steps) = (
                range_to_blocks(a.family, a.value, b.value),
                range_steps(a.family, a.value, b.value),
            );
            (a, b, blocks, steps)
        })
    });
    let list = use_memo(props.list.clone(), |text| {
        let (entries, errors) = parse_list(text);
        let blocks: Vec<_> = entries.iter().map(|e| e.block).collect();
        let (pairs, total) = conflicts(&entries, PAIR_LIMIT);
        (entries.len(), errors, aggregate(&blocks), pairs, total)
    });
    let (count, errors, aggregated, pairs, total) = &*list;
    html! {
        <div class="lists">
            <section aria-labelledby="range-title">
                <h2 id="range-title">{ "Range to CIDR blocks" }</h2>
                <div class="field">
                    <label for="range-input">{ "Address range (first-last)" }</label>
                    <input id="range-input" type="text" class="mono wide" value={props.range.clone()} spellcheck="false" autocomplete="off"
                        oninput={props.on_range.reform(|e: InputEvent| input_value(&e))}
                        aria-invalid={if range.is_err() { "true" } else { "false" }} aria-describedby="range-error" data-testid="range-input" />
                    <p id="range-error" class="error" role="status" data-testid="range-error">{ range.as_ref().as_ref().err().cloned().unwrap_or_default() }</p>
                </div>
                if let Ok((a, b, blocks, steps)) = &*range {
                    <p>
                        { "The smallest exact cover of " }<span class="mono">{ format!("{a} – {b}") }</span>{ " is " }
                        <strong data-testid="range-count">{ blocks.len() }</strong>{ if blocks.len() == 1 { " block:" } else { " blocks:" } }
                    </p>
                    <table class="data" data-testid="range-blocks">
                        <thead><tr><th scope="col">{ "Block" }</th><th scope="col" class="num">{ "Addresses" }</th></tr></thead>
                        <tbody>
                            { for blocks.iter().map(|b| html! { <tr><td class="mono" data-testid="range-block">{ b.to_string() }</td><td class="num">{ count_text(b) }</td></tr> }) }
                        </tbody>
                    </table>
                    <details class="math">
                        <summary>{ "Show the math" }</summary>
                        <p>{ "From the low end, take the largest block that starts exactly there (its start must be a multiple of its size) and does not pass the end of the range; repeat from the next address. Each block is as large as alignment allows, so no smaller list exists." }</p>
                        <Steps steps={steps.clone()} />
                    </details>
                }
            </section>

            <section aria-labelledby="list-title">
                <h2 id="list-title">{ "Aggregate and check a list" }</h2>
                <div class="field">
                    <label for="list-input">{ "Blocks, one per line (commas and spaces also separate; # starts a comment)" }</label>
                    <textarea id="list-input" class="mono wide" rows="8" spellcheck="false" value={props.list.clone()}
                        oninput={props.on_list.reform(|e: InputEvent| input_value(&e))} data-testid="list-input" />
                </div>
                if !errors.is_empty() {
                    <ul class="error-list" role="status" data-testid="list-errors">
                        { for errors.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }
                    </ul>
                }
                <div class="two-col">
                    <div>
                        <h3>{ "Aggregated" }</h3>
                        <p class="hint">{ format!("{count} blocks in, {} out: the same addresses, merged wherever neighbours combine.", aggregated.len()) }</p>
                        <ul class="mono plain" data-testid="list-aggregated">
                            { for aggregated.iter().map(|b| html! { <li>{ b.to_string() }</li> }) }
                        </ul>
                    </div>
                    <div>
                        <h3>{ "Overlaps" }</h3>
                        if *total == 0 {
                            <p data-testid="list-no-conflicts">{ "No two blocks overlap." }</p>
                        } else {
                            <p data-testid="list-conflict-count">{ format!("{} overlapping pair{}", thousands(*total as u128), if *total == 1 { "" } else { "s" }) }
                                { if *total as usize > PAIR_LIMIT { format!(" (the first {PAIR_LIMIT} are listed)") } else { String::new() } }</p>
                            <ul class="conflicts" data-testid="list-conflicts">
                                { for pairs.iter().map(|p| html! { <li>{ p.describe() }</li> }) }
                            </ul>
                        }
                    </div>
                </div>
            </section>
        </div>
    }
}
