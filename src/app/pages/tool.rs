//! A route's page: the current module's view of it, or a hand-over to the module that has
//! it. The shell's view draws the home page, a registered tool without a page yet (an
//! honest "coming soon") and the not-found page.

use crate::app::modules;
use crate::app::sandbox::use_store_watch;
use crate::core::tools;
use crate::platform::dom;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolPageProps {
    /// The route's tool id; empty for the home page.
    pub id: String,
}

#[component]
pub fn ToolPage(props: &ToolPageProps) -> Html {
    #[cfg(feature = "test-hooks")]
    if props.id == "__panic" {
        panic!("deliberate panic from the test-only route #/__panic");
    }
    let module = modules::current();
    if !module.serves(&props.id) {
        return html! { <ModuleSwitch id={props.id.clone()} /> };
    }
    // The shell draws coming-soon and not-found pages (`modules::SHELL`), so every id a
    // module serves has a view (core::tools' tests hold the registry to it).
    (module.view)(&props.id).unwrap_or_else(|| {
        web_sys::console::error_1(&"Stratus: this module has no page for its route".into());
        Html::default()
    })
}

/// A route of another module: save what is pending, then reload so index.html's loader
/// starts that module. While a save conflict waits for the user, it asks first.
#[component]
fn ModuleSwitch(props: &ToolPageProps) -> Html {
    let store = use_store_watch();
    let conflict = store
        .as_ref()
        .is_some_and(|s| s.status() == crate::app::sandbox::Status::Conflict);
    let force = use_state(|| false);
    {
        let store = store.clone();
        use_effect_with((conflict, *force), move |(conflict, force)| {
            if !*conflict || *force {
                dom::unmark_ready();
                // As after a link within one module, the new page gets the focus.
                crate::platform::storage::session_set(crate::app::FOCUS_KEY, "1");
                match store {
                    Some(s) => s.flush_then(dom::reload, *force),
                    None => dom::reload(),
                }
            }
        });
    }
    let title = tools::by_id(&props.id)
        .map(|t| t.title)
        .unwrap_or("Stratus");
    html! {
        <article class="page" data-testid="module-switch">
            <p class="boot-message" role="status">{ if conflict && !*force { format!("Before opening {title}: one choice to make") } else { format!("Opening {title}…") } }</p>
            if conflict && !*force {
                <div class="notice" role="alert">
                    <p>{ "Another tab saved this sandbox while this tab has unsaved changes. Choose a version above before leaving this page, or leave anyway." }</p>
                    <button type="button" class="small danger" onclick={{ let force = force.clone(); Callback::from(move |_| force.set(true)) }}>{ "Leave without saving this tab's changes" }</button>
                </div>
            }
        </article>
    }
}
