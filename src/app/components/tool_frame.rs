//! The frame every tool page shares: the document title and heading from the tool's
//! registry entry, Undo and Redo (buttons, Ctrl+Z and Ctrl+Shift+Z), Copy share link, the
//! Embed button, the page's own actions, Reset, the lede and the banner for a link that
//! could not be opened.

use crate::app::components::embed::EmbedCode;
use crate::app::components::lock::Lock;
use crate::app::hooks::Controls;
use crate::app::use_title;
use crate::platform::{files, url};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolFrameProps {
    /// The tool's registry id (`core::tools`): its title, module and test ids.
    pub tool: &'static str,
    /// One sentence under the heading; none when empty.
    #[prop_or_default]
    pub lede: AttrValue,
    pub reset: Callback<MouseEvent>,
    /// Undo, redo and the share link of the page's state (`UrlState::controls`).
    pub controls: Controls,
    /// Buttons before Reset (Clear …).
    #[prop_or_default]
    pub actions: Html,
    /// After Reset (a status line).
    #[prop_or_default]
    pub status: Html,
    /// Why the link could not be opened, when it could not.
    #[prop_or_default]
    pub link_error: Option<String>,
    /// Whether the page places its own `Lock`s (pages with controls to explore in a
    /// read-only embed); otherwise all its children are locked there.
    #[prop_or_default]
    pub explorable: bool,
    #[prop_or_default]
    pub children: Html,
}

/// Whether a key event's target edits text itself (its own undo comes first there).
fn in_text_field(e: &KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let text_input = el.tag_name() == "INPUT"
        && matches!(
            el.get_attribute("type").unwrap_or_default().as_str(),
            "" | "text" | "search" | "number" | "email" | "url" | "tel" | "password"
        );
    text_input
        || el.tag_name() == "TEXTAREA"
        || el
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable())
}

#[component]
pub fn ToolFrame(p: &ToolFrameProps) -> Html {
    let tool = crate::core::tools::by_id(p.tool);
    let title = tool.map(|t| t.title).unwrap_or(p.tool);
    let module = tool.map(|t| t.module).unwrap_or(p.tool);
    use_title(title);
    let share_status = use_state(String::new);
    // The keyboard listener lives as long as the page; it reads the latest controls.
    let latest = use_mut_ref(|| p.controls.clone());
    *latest.borrow_mut() = p.controls.clone();
    use_effect_with((), move |_| {
        let listener = gloo::utils::document().body().map(|body| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            gloo::events::EventListener::new_with_options(&body, "keydown", options, move |e| {
                use wasm_bindgen::JsCast;
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if !(e.ctrl_key() || e.meta_key()) || e.alt_key() || in_text_field(e) {
                    return;
                }
                let c = latest.borrow().clone();
                match e.key().as_str() {
                    "z" | "Z" if e.shift_key() => c.redo.emit(()),
                    "z" | "Z" => c.undo.emit(()),
                    "y" | "Y" => c.redo.emit(()),
                    _ => return,
                }
                e.prevent_default();
            })
        });
        move || drop(listener)
    });
    let on_share = {
        let (query, share_status) = (p.controls.query.clone(), share_status.clone());
        Callback::from(move |_| {
            let share_status = share_status.clone();
            let query = query.emit(());
            // The page's address now, at the click (the link is for this page).
            let page = url::with_fragment_query("");
            let link = async move {
                let short = crate::platform::pack::compacted(query).await;
                if short.is_empty() {
                    page
                } else {
                    format!("{page}?{short}")
                }
            };
            files::copy_text_soon(link, move |ok| {
                share_status.set(if ok {
                    "Link copied: it reproduces everything on this page.".into()
                } else {
                    "Copy failed: copy the address bar instead.".into()
                })
            });
        })
    };
    let c = &p.controls;
    // aria-disabled rather than disabled: a button that has just undone the last step keeps
    // the keyboard focus instead of dropping it to the page.
    let when = |cb: &Callback<()>, can: bool| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| {
            if can {
                cb.emit(())
            }
        })
    };
    let undo = when(&c.undo, c.can_undo);
    let redo = when(&c.redo, c.can_redo);
    html! {
        <article class={classes!("page", "tool", module)} data-testid={format!("tool-page-{}", p.tool)}>
            <header class="page-header">
                <h1 data-testid="page-title">{ title }</h1>
                <div class="page-actions">
                    <button type="button" class="small history-button" onclick={undo} aria-disabled={(!c.can_undo).to_string()} title="Undo (Ctrl+Z)" aria-keyshortcuts="Control+Z" data-testid="undo"><span aria-hidden="true">{ "↶ " }</span>{ "Undo" }</button>
                    <button type="button" class="small history-button" onclick={redo} aria-disabled={(!c.can_redo).to_string()} title="Redo (Ctrl+Shift+Z)" aria-keyshortcuts="Control+Shift+Z" data-testid="redo"><span aria-hidden="true">{ "↷ " }</span>{ "Redo" }</button>
                    <button type="button" class="small share-button" onclick={on_share} data-testid="share-link">{ "Copy share link" }</button>
                    <EmbedCode tool={p.tool} />
                    { p.actions.clone() }
                    <Lock><button type="button" class="small" onclick={p.reset.clone()} data-testid="reset">{ "Reset" }</button></Lock>
                    <span role="status" class="muted" data-testid="share-status">{ (*share_status).clone() }</span>
                    { p.status.clone() }
                </div>
            </header>
            if !p.lede.is_empty() {
                <p class="lede">{ p.lede.clone() }</p>
            }
            if let Some(e) = &p.link_error {
                <p class="banner-error" role="alert" data-testid="link-error">{ e }</p>
            }
            if p.explorable {
                { p.children.clone() }
            } else {
                <Lock>{ p.children.clone() }</Lock>
            }
        </article>
    }
}
