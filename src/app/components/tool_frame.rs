//! The frame every tool page shares: the document title and heading from the tool's
//! registry entry, the Embed button, the page's own actions, Reset, the lede and the banner
//! for a link that could not be opened.

use crate::app::components::embed::EmbedCode;
use crate::app::use_title;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolFrameProps {
    /// The tool's registry id (`core::tools`): its title, module and test ids.
    pub tool: &'static str,
    /// One sentence under the heading; none when empty.
    #[prop_or_default]
    pub lede: AttrValue,
    pub reset: Callback<MouseEvent>,
    /// Buttons before Reset (Copy share link, Clear …).
    #[prop_or_default]
    pub actions: Html,
    /// After Reset (a status line).
    #[prop_or_default]
    pub status: Html,
    /// Why the link could not be opened, when it could not.
    #[prop_or_default]
    pub link_error: Option<String>,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn ToolFrame(p: &ToolFrameProps) -> Html {
    let tool = crate::core::tools::by_id(p.tool);
    let title = tool.map(|t| t.title).unwrap_or(p.tool);
    let module = tool.map(|t| t.module).unwrap_or(p.tool);
    use_title(title);
    html! {
        <article class={classes!("page", "tool", module)} data-testid={format!("tool-page-{}", p.tool)}>
            <header class="page-header">
                <h1 data-testid="page-title">{ title }</h1>
                <div class="page-actions">
                    <EmbedCode tool={p.tool} />
                    { p.actions.clone() }
                    <button type="button" class="small" onclick={p.reset.clone()} data-testid="reset">{ "Reset" }</button>
                    { p.status.clone() }
                </div>
            </header>
            if !p.lede.is_empty() {
                <p class="lede">{ p.lede.clone() }</p>
            }
            if let Some(e) = &p.link_error {
                <p class="banner-error" role="alert" data-testid="link-error">{ e }</p>
            }
            { p.children.clone() }
        </article>
    }
}
