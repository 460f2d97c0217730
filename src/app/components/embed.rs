//! "Embed": the iframe code for the current tool and its current settings (docs/embedding.md).

use super::export::ExportBox;
use crate::core::share::embed_snippet as snippet;
use crate::platform::url;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedCodeProps {
    pub tool: &'static str,
}

/// A button that opens the embed code of the page's tool.
#[component]
pub fn EmbedCode(props: &EmbedCodeProps) -> Html {
    let open = use_state(|| false);
    let read_only = use_state(|| true);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let on_ro = {
        let read_only = read_only.clone();
        Callback::from(move |_| read_only.set(!*read_only))
    };
    let title = crate::core::tools::by_id(props.tool)
        .map(|t| t.title)
        .unwrap_or("tool");
    let base = url::with_fragment_query("");
    let base = base.split('#').next().unwrap_or_default();
    html! {
        <>
            <button type="button" class="small embed-button" aria-expanded={(*open).to_string()} onclick={toggle} data-testid="embed-open">{ "Embed" }</button>
            if *open {
                <div class="embed-panel" data-testid="embed-panel">
                    <label><input type="checkbox" checked={*read_only} onchange={on_ro} data-testid="embed-readonly" />{ " Read-only (viewers see the numbers but cannot change them)" }</label>
                    <ExportBox id="embed" label="Paste this where your slides accept HTML" filename={format!("stratus-{}-embed.html", props.tool)} mime="text/html"
                        text={snippet(base, props.tool, title, &url::fragment_query(), *read_only)} />
                    <p class="hint">{ "The settings travel inside the link: nothing is uploaded, and the embed works offline once loaded. See docs/embedding.md for slide tools." }</p>
                </div>
            }
        </>
    }
}
