//! A computed figure with its "show the math" steps.

use crate::core::steps::Figure;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FigureViewProps {
    pub figure: Figure,
}

/// Renders a figure as a term/value pair; its steps open in a disclosure.
#[component]
pub fn FigureView(props: &FigureViewProps) -> Html {
    let f = &props.figure;
    html! {
        <div class="figure">
            <dt>{ f.label }</dt>
            <dd>
                <span class="value" data-testid={f.id}>{ &f.value }</span>
                if let Some(note) = &f.note {
                    <span class="figure-note">{ note }</span>
                }
                if !f.steps.is_empty() {
                    <details class="math">
                        <summary>{ "Show the math" }</summary>
                        <Steps steps={f.steps.clone()} />
                    </details>
                }
            </dd>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct StepsProps {
    pub steps: Vec<crate::core::steps::Step>,
}

/// An ordered list of derivation steps.
#[component]
pub fn Steps(props: &StepsProps) -> Html {
    html! {
        <ol class="steps">
            { for props.steps.iter().map(|s| html! {
                <li>
                    <span class="step-label">{ &s.label }</span>
                    <code class="step-formula">{ &s.formula }</code>
                    <span class="step-result">{ "= " }{ &s.result }</span>
                </li>
            }) }
        </ol>
    }
}
