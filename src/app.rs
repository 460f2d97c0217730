//! The Yew application: routing, the page shell and the start-up sequence.
//!
//! Routes use the URL fragment (`#/cidr`), so the app works from any static host and any
//! sub-path with no server rewrites, and nothing after `#` is ever sent to a server.

pub mod components;
pub mod helper_app;
pub mod hooks;
pub mod modules;
pub mod pages;
pub mod router;
pub mod sandbox;

use crate::core::prefs::{Prefs, PrefsAction, PRESENTER_KEY, THEME_KEY};
use crate::platform::{self, dom, storage};
use components::header::SiteHeader;
use pages::tool::ToolPage;
use sandbox::SandboxProvider;
use std::rc::Rc;
use yew::prelude::*;

/// Every route of the app. A tool route is `/{tool id}` from the registry in
/// [`crate::core::tools`]; an id that is not in the registry renders the not-found page.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// `#/`
    Home,
    /// `#/<id>`
    Tool { id: String },
    /// One tool without the app chrome, for iframes (docs/embedding.md): `#/embed/<id>`.
    Embed { id: String },
    /// Any other path (`#/404`, `#/a/b`).
    NotFound,
}

/// The id [`Route::NotFound`] is drawn under: not a tool's, so it belongs to the shell.
const NOT_FOUND_ID: &str = "404";

pub(crate) fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <ToolPage id={String::new()} /> },
        Route::Tool { id } => html! { <ToolPage {id} /> },
        Route::Embed { id } => html! { <ToolPage {id} /> },
        // Drawn by the shell's module (`modules::SHELL`): a tool's module switches to it.
        Route::NotFound => html! { <ToolPage id={NOT_FOUND_ID.to_string()} /> },
    }
}

/// Preferences as a Yew reducer over the pure [`Prefs`] state machine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrefsState(pub Prefs);

impl Reducible for PrefsState {
    type Action = PrefsAction;
    fn reduce(self: Rc<Self>, action: PrefsAction) -> Rc<Self> {
        Rc::new(PrefsState(self.0.apply(action)))
    }
}

fn stored_prefs() -> Prefs {
    Prefs::from_stored(
        storage::get(THEME_KEY).as_deref(),
        storage::get(PRESENTER_KEY).as_deref(),
    )
}

/// The whole app: header, routed main content and footer.
#[component]
pub fn App() -> Html {
    let prefs = use_reducer(|| PrefsState(stored_prefs()));

    // Reflect preferences on <html> and remember them whenever they change. `index.html`
    // applies the stored values before the app loads, so this never causes a flash.
    use_effect_with(prefs.0, |prefs| {
        dom::apply_prefs(*prefs);
        storage::set(THEME_KEY, prefs.theme.as_str());
        storage::set(PRESENTER_KEY, prefs.presenter_str());
    });

    // The first render is on screen and every handler is attached: the app is interactive.
    let on_prefs = {
        let prefs = prefs.clone();
        Callback::from(move |action| prefs.dispatch(action))
    };

    html! {
        <router::Router>
            <a class="skip-link" href="#main" onclick={skip_to_main()}>{ "Skip to content" }</a>
            <SandboxProvider>
                <SiteHeader prefs={prefs.0} {on_prefs} />
                <sandbox::SaveIndicator />
                <main id="main" tabindex="-1">
                    <router::RouteView />
                </main>
            </SandboxProvider>
            <footer class="site-footer">
                <p>
                    { "Stratus runs entirely in your browser: nothing you enter leaves this device. " }
                    { "Figures are for learning; check AWS's own pages before you spend money." }
                </p>
                <p class="muted">{ format!("Version {}", env!("CARGO_PKG_VERSION")) }</p>
            </footer>
        </router::Router>
    }
}

/// The skip link must not change the URL fragment (the router owns it): it moves focus.
/// Embedded tools (`#/embed/<tool>?…`): no header, footer or sandbox. They start from the
/// link's state and never read or write the viewer's saved sandboxes. `ro=1` in the query
/// locks the design (`components::lock`: inputs, policies, the VPC design) while tabs, the
/// reachability question and "Show the math" stay usable; index.html reports the content
/// height to the parent page.
#[component]
pub fn EmbedApp() -> Html {
    use_effect_with((), |_| dom::mark_ready());
    let read_only = platform::url::fragment_query()
        .split('&')
        .any(|p| p == "ro=1");
    html! {
        <router::Router>
            <main id="main" class="embed" tabindex="-1">
                <div class="embed-frame" data-read-only={read_only.to_string()} data-testid="embed-frame">
                    <ContextProvider<components::lock::Locked> context={components::lock::Locked(read_only)}>
                        <router::RouteView />
                    </ContextProvider<components::lock::Locked>>
                </div>
                <p class="embed-credit"><a href={embed_open_link()} target="_blank" rel="noopener" data-testid="embed-open-link"
                    onpointerdown={refresh_open_link()} onfocus={refresh_open_link()} onclick={refresh_open_link()}>{ "Open in Stratus" }</a></p>
            </main>
        </router::Router>
    }
}

/// "Open in Stratus" for the embed on screen: the tool with the settings it shows now
/// (the tool keeps them in the fragment's query as they change), without embed-only options.
fn embed_open_link() -> String {
    // An edit of the last moments may not be in the address yet.
    platform::dom::request_flush();
    let path = platform::url::fragment_path();
    let tool = path.trim_start_matches("/embed/").trim_start_matches('/');
    crate::core::share::open_link(
        &platform::url::base(),
        tool,
        &platform::url::fragment_query(),
    )
}

/// Rewrites the link's address just before it is used (pointer down, keyboard focus,
/// click), since the embedded tool's settings change after the link was rendered.
fn refresh_open_link<E: AsRef<web_sys::Event>>() -> Callback<E> {
    Callback::from(|e: E| {
        use wasm_bindgen::JsCast;
        // Yew delegates events to the app's root, so the link is found from the target.
        if let Some(a) = e
            .as_ref()
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("a").ok().flatten())
        {
            let _ = a.set_attribute("href", &embed_open_link());
        }
    })
}

fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|event: MouseEvent| {
        event.prevent_default();
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
        {
            let _ = main.focus();
        }
    })
}

/// Session-storage flag: the page was reloaded into another module by a link, so the main
/// region gets the focus once it is on screen.
pub const FOCUS_KEY: &str = "stratus.focus-main";

/// Moves keyboard focus to the main region, as after a page change, and shows the new page
/// from its top (the header and navigation in view, not scrolled past them as focusing the
/// region alone would).
pub fn focus_main() {
    let window = web_sys::window();
    let main = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"));
    if let Some(main) =
        main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
    {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = main.focus_with_options(&options);
    }
    if let Some(w) = window {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Sets the document title for a page: `"{page} · Stratus"`.
#[hook]
pub fn use_title(page: &str) {
    let title = if page.is_empty() {
        "Stratus · AWS learning playground".to_string()
    } else {
        format!("{page} · Stratus")
    };
    use_effect_with(title, |title| dom::set_title(title));
}

/// Entry point of a binary: remembers which module it is, installs the panic hook and
/// mounts the app into `#app`.
pub fn start(module: modules::Module) {
    modules::set_current(module);
    yew::set_custom_panic_hook(Box::new(platform::crash::hook));
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            // Remove the "loading" placeholder that index.html shows until now.
            root.set_inner_html("");
            let embed = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .is_some_and(|h| h.starts_with("#/embed/"));
            if embed {
                yew::Renderer::<EmbedApp>::with_root(root).render();
            } else {
                yew::Renderer::<App>::with_root(root).render();
            }
        }
        None => panic!("index.html has no element with id \"app\" to mount Stratus into"),
    }
}
