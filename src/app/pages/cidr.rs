//! The CIDR and VPC address planner page: five tabs over `core::cidr`, with the whole state
//! in the URL fragment (`#/cidr?v=1&s=...`, see docs/cidr.md).

mod aws;
mod explain;
mod lists;
mod plan;
mod subnets;

use crate::app::hooks::{use_url_state, UrlState};
use crate::core::cidr::share::{self, CidrState, Tab};

use yew::prelude::*;

#[component]
pub fn CidrPage() -> Html {
    let url_state = use_url_state("cidr", share::to_query, share::from_query);
    let on_reset = url_state.reset();
    let controls = url_state.controls();
    let UrlState {
        state, link_error, ..
    } = url_state;

    let edit = |f: fn(&mut CidrState, String)| set(&state, f);
    let set_tab = set(&state, |s, tab| s.tab = tab);
    let on_table = set(&state, |s, table| s.table = table);
    let on_plan = set(&state, |s, plan| s.plan = plan);
    let on_aws = set(&state, |s, aws| s.aws = aws);
    let on_tab_key = {
        let set_tab = set_tab.clone();
        let current = state.tab;
        Callback::from(move |e: KeyboardEvent| {
            let i = Tab::ALL.iter().position(|t| *t == current).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => Tab::ALL[(i + 1) % Tab::ALL.len()],
                "ArrowLeft" => Tab::ALL[(i + Tab::ALL.len() - 1) % Tab::ALL.len()],
                "Home" => Tab::ALL[0],
                "End" => Tab::ALL[Tab::ALL.len() - 1],
                _ => return,
            };
            e.prevent_default();
            set_tab.emit(next);
            focus_tab(next);
        })
    };

    let s = &*state;
    let panel = match s.tab {
        Tab::Explain => {
            html! { <explain::ExplainTab value={s.explain.clone()} on_change={edit(|s, v| s.explain = v)} /> }
        }
        Tab::Subnets => {
            html! { <subnets::SubnetsTab table={s.table.clone()} on_change={on_table} /> }
        }
        Tab::Lists => html! {
            <lists::ListsTab range={s.range.clone()} list={s.list.clone()}
                on_range={edit(|s, v| s.range = v)} on_list={edit(|s, v| s.list = v)} />
        },
        Tab::Plan => html! { <plan::PlanTab plan={s.plan.clone()} on_change={on_plan} /> },
        Tab::Aws => html! { <aws::AwsTab aws={s.aws.clone()} on_change={on_aws} /> },
    };

    html! {
        <crate::app::components::tool_frame::ToolFrame tool="cidr" controls={controls} explorable=true reset={on_reset} link_error={(*link_error).clone()}>
            <div class="tabs" role="tablist" data-embed="tabs" aria-label="Planner views" onkeydown={on_tab_key}>
                { for Tab::ALL.iter().map(|t| {
                    let selected = *t == s.tab;
                    let onclick = { let set_tab = set_tab.clone(); let t = *t; Callback::from(move |_| set_tab.emit(t)) };
                    html! {
                        <button type="button" role="tab" id={format!("tab-{}", t.id())}
                            aria-selected={if selected { "true" } else { "false" }}
                            aria-controls="cidr-panel" tabindex={if selected { "0" } else { "-1" }}
                            data-testid={format!("tab-{}", t.id())} {onclick}>
                            { t.label() }
                        </button>
                    }
                }) }
            </div>
            <section id="cidr-panel" role="tabpanel" data-embed="tab" aria-labelledby={format!("tab-{}", s.tab.id())} class="panel"><crate::app::components::lock::Lock>
                { panel }
            </crate::app::components::lock::Lock></section>
        </crate::app::components::tool_frame::ToolFrame>
    }
}

/// A callback that stores a new value into one part of the planner's state.
fn set<T: 'static>(state: &UseStateHandle<CidrState>, f: fn(&mut CidrState, T)) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |v: T| {
        let mut s = (*state).clone();
        f(&mut s, v);
        state.set(s);
    })
}

fn focus_tab(tab: Tab) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab.id())))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
