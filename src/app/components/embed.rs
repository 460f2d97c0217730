//! "Embed": the iframe code for the current tool and its current settings, with how the
//! embed shows them (read-only, theme, presenter, one part; docs/embedding.md). The page
//! keeps the button ([`EmbedCode`]); the panel's options and code ([`EmbedPanel`]) are drawn
//! by the `embed` helper module (`src/bin/helper-embed.rs`) once the panel is first opened,
//! so no tool's first load carries them (docs/size.md). The panel is a disclosure: it closes
//! on Escape (focus back on the button) and on a click outside.

use super::export::ExportBox;
use super::helper_slot::HelperSlot;
use crate::app::hooks::use_answer;
use crate::core::share::{embed_snippet as snippet, EmbedOptions};
use crate::platform::url;
use std::rc::Rc;
use yew::prelude::*;

/// The helper module that draws [`EmbedPanel`]; its input is the tool's registry id.
pub const HELPER: &str = "embed";

#[derive(Properties, PartialEq)]
pub struct EmbedCodeProps {
    pub tool: &'static str,
}

/// A button that opens the embed code of the page's tool.
#[component]
pub fn EmbedCode(props: &EmbedCodeProps) -> Html {
    let open = use_state(|| false);
    let wrap = use_node_ref();
    let button = use_node_ref();
    // How many times the panel has opened. Once opened it stays mounted, hidden while
    // closed, so its options stay as they were set; each opening draws it again, reading
    // the page's settings as they are then.
    let openings = use_mut_ref(|| 0u32);
    let toggle = {
        let (open, openings) = (open.clone(), openings.clone());
        Callback::from(move |_| {
            if !*open {
                *openings.borrow_mut() += 1;
            }
            open.set(!*open)
        })
    };
    // While open: a click outside the button and the panel closes it, and so does Escape
    // (focus back on the button). Plain DOM listeners: the panel is the helper module's app,
    // whose events the page's own handlers do not see (`app::helper_app`).
    {
        let (open, wrap, button) = (open.clone(), wrap.clone(), button.clone());
        use_effect_with(*open, move |is_open| {
            let listeners = is_open.then(|| {
                use wasm_bindgen::JsCast;
                let (open2, wrap2) = (open.clone(), wrap.clone());
                let outside = gloo::events::EventListener::new(
                    &gloo::utils::document(),
                    "pointerdown",
                    move |e| {
                        let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                        let inside = wrap2
                            .cast::<web_sys::Element>()
                            .is_some_and(|w| w.contains(target.as_ref()));
                        if !inside {
                            open2.set(false);
                        }
                    },
                );
                let escape = wrap.cast::<web_sys::Element>().map(|w| {
                    gloo::events::EventListener::new(&w, "keydown", move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        if e.key() == "Escape" {
                            e.stop_propagation();
                            open.set(false);
                            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                                let _ = b.focus();
                            }
                        }
                    })
                });
                (outside, escape)
            });
            move || drop(listeners)
        });
    }
    let opened = *openings.borrow();
    let input = use_memo((props.tool, opened), |(tool, n)| format!("{tool}\n{n}"));
    html! {
        <span class="embed-wrap" ref={wrap}>
            <button type="button" class="small embed-button" ref={button} aria-expanded={(*open).to_string()} aria-controls={(*open).then_some("embed-panel")} onclick={toggle} data-testid="embed-open">{ "Embed" }</button>
            if opened > 0 {
                <div class="embed-panel" id="embed-panel" hidden={!*open} data-testid={(*open).then_some("embed-panel")}>
                    <HelperSlot helper={HELPER} input={input} loading="Loading the embed options…" testid="embed" />
                </div>
            }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedPanelProps {
    /// What the page sent: the tool's registry id (`core::tools`), then a line with how many
    /// times the panel has opened (a new opening draws the panel again).
    pub input: Rc<String>,
}

/// The Embed panel's options and code, drawn by the `embed` helper module in the page's
/// panel. It reads the page's settings from the address (the fragment's query) each time
/// it draws: when it opens and when an option changes.
#[component]
pub fn EmbedPanel(props: &EmbedPanelProps) -> Html {
    let options = use_state(|| EmbedOptions {
        read_only: true,
        ..Default::default()
    });
    let set = |f: fn(&mut EmbedOptions, String)| {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let mut o = *options;
            f(&mut o, crate::app::components::form::input_value(&e));
            options.set(o);
        })
    };
    let on_ro = set(|o, _| o.read_only = !o.read_only);
    let on_presenter = set(|o, _| o.presenter = !o.presenter);
    let on_theme = set(|o, v| {
        o.dark = match v.as_str() {
            "dark" => Some(true),
            "light" => Some(false),
            _ => None,
        }
    });
    let id = props.input.lines().next().unwrap_or_default();
    let tool = crate::core::tools::by_id(id);
    let sections = tool.map(|t| t.sections).unwrap_or_default();
    let on_section = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let v = crate::app::components::form::input_value(&e);
            let mut o = *options;
            o.section = sections.iter().find(|s| s.0 == v).map(|s| s.0);
            options.set(o);
        })
    };
    // The page's settings (the fragment's query when the panel renders: it opens, or an
    // option changes) made short for the link by the browser's deflate, a moment later.
    let short = use_answer(Some(url::fragment_query()), |query| {
        query.clone().map(crate::platform::pack::compacted)
    });
    let base = url::with_fragment_query("");
    let base = base.split('#').next().unwrap_or_default();
    let demo = "static/embed-demo.html";
    let o = *options;
    let Some(tool) = tool else {
        return html! { <p class="error" role="status" data-testid="embed-error">{ format!("No tool is called {id}.") }</p> };
    };
    html! {
        <div class="embed-options">
            <label><input type="checkbox" checked={o.read_only} onchange={on_ro} data-testid="embed-readonly" />{ " Read-only (viewers see the numbers but cannot change them)" }</label>
            <label><input type="checkbox" checked={o.presenter} onchange={on_presenter} data-testid="embed-presenter" />{ " Presenter mode (large type for a projector)" }</label>
            <label>{ "Theme " }
                <select onchange={on_theme} data-testid="embed-theme">
                    <option value="" selected={o.dark.is_none()}>{ "the viewer's system setting" }</option>
                    <option value="light" selected={o.dark == Some(false)}>{ "light" }</option>
                    <option value="dark" selected={o.dark == Some(true)}>{ "dark" }</option>
                </select>
            </label>
            if !sections.is_empty() {
                <label>{ "Show " }
                    <select onchange={on_section} data-testid="embed-section">
                        <option value="" selected={o.section.is_none()}>{ "the whole tool" }</option>
                        { for sections.iter().map(|(id, label)| html! { <option value={*id} selected={o.section == Some(*id)}>{ format!("only {label}") }</option> }) }
                    </select>
                </label>
            }
            <ExportBox id="embed" label="Paste this where your slides accept HTML" filename={format!("stratus-{}-embed.html", tool.id)} mime="text/html"
                busy={short.is_none()} text={short.map(|q| snippet(base, tool.id, tool.title, &q, o)).unwrap_or_else(|| "Writing the link…".into())} />
            <p class="hint">{ "The settings travel inside the link: nothing is uploaded, and the embed works offline once loaded. " }
                <a href={demo} target="_blank" rel="noopener" data-testid="embed-help">{ "See a demo slide" }</a>{ " (docs/embedding.md covers slide tools)." }</p>
        </div>
    }
}
