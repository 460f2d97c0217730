//! Read-only embeds lock the design, not exploration (docs/embedding.md): a `ro=1` embed
//! provides [`Locked`], and each page wraps the controls that change what the lecturer
//! prepared (inputs, policies, the VPC design) in [`Lock`]; tabs, the reachability question,
//! requests to evaluate and "Show the math" stay usable.

use yew::prelude::*;

/// Whether the page is a read-only embed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Locked(pub bool);

#[derive(Properties, PartialEq)]
pub struct LockProps {
    #[prop_or_default]
    pub children: Html,
}

/// Its children; in a read-only embed, disabled (a fieldset without a frame).
#[component]
pub fn Lock(p: &LockProps) -> Html {
    // `Locked` does not change while a page lives: the two shapes never swap.
    if !use_context::<Locked>().unwrap_or_default().0 {
        return p.children.clone();
    }
    html! {
        <fieldset class="lock" disabled=true>
            <legend class="visually-hidden">{ "Locked in this read-only demo" }</legend>
            { p.children.clone() }
        </fieldset>
    }
}
