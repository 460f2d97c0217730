//! Shown for any address that is not a page of the app.

use crate::app::components::nav_link::NavLink;
use crate::app::{use_title, Route};
use yew::prelude::*;

#[component]
pub fn NotFoundPage() -> Html {
    use_title("Page not found");
    html! {
        <article class="page" data-testid="not-found">
            <h1 data-testid="page-title">{ "There is no page at this address" }</h1>
            <p>
                { "The link may be mistyped, or it may come from a newer version of Stratus. \
                   Pick a tool from the navigation above, or start from the home page." }
            </p>
            <p><NavLink to={Route::Home}>{ "Go to the home page" }</NavLink></p>
        </article>
    }
}
