//! A router link that marks itself `aria-current="page"` and moves focus to the new page.

use crate::app::router::{use_navigate, use_route};
use crate::app::{focus_main, Route};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NavLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn NavLink(props: &NavLinkProps) -> Html {
    let current = use_route();
    let navigate = use_navigate();
    let is_current = current == props.to;
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |event: MouseEvent| {
            // Let the browser handle "open in new tab" and friends.
            if event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key() {
                return;
            }
            if let Some(navigate) = &navigate {
                event.prevent_default();
                navigate.emit(to.clone());
                focus_main();
            }
        })
    };
    html! {
        <a
            class={props.class.clone()}
            href={format!("#{}", props.to.to_path())}
            aria-current={is_current.then_some("page")}
            {onclick}
        >
            { props.children.clone() }
        </a>
    }
}
