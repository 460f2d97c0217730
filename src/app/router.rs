//! The app's router over the URL fragment (`#/<path>?<query>`), in place of yew-router:
//! four routes need no route recognizer, and yew-router with its history crate cost every
//! module about 19 KB gzip (docs/size.md). It keeps yew-router's `HashRouter` behaviour:
//! a fragment that does not start with `#/` becomes `#/` at start; the location is read
//! again on `popstate` (Back, Forward, a fragment typed into the address bar) and after
//! [`use_navigate`]'s push; a tool rewriting its query with `replaceState`
//! (`platform::url::replace_fragment_query`) re-renders nothing, and the same link opened
//! again after such a rewrite is read again ([`Location::visit`]). Which route a path is lives
//! in [`crate::core::tools::route_of`], tested natively. Unlike gloo's URL parsing, the path
//! is taken as written: `#/cidr#x` and `//cidr` are not found (no link of the app makes
//! them). A short link (`z=`) opened in the tab reaches the router only once `index.html`
//! has inflated it into its `s=` form (it holds the `popstate` back until then), as at
//! start (`core::share`).

use crate::app::Route;
use crate::core::tools::RoutePath;
use yew::prelude::*;

/// Where the fragment points: its path (`/cidr`, `/embed/lambda`, `/` for none) and its
/// query without the `?` (`v=1&s=…`, or "").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Location {
    pub path: String,
    pub query: String,
    /// Which reading of the address this is (0 at start, then one more per `popstate` and
    /// [`use_navigate`]): a link opened again is a new location even when its text is the
    /// one last read, as the page may have rewritten the address since
    /// (`platform::url::replace_fragment_query`).
    pub visit: u32,
}

/// Readings of the address so far ([`Location::visit`]).
static VISITS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl Location {
    fn current() -> Location {
        let path = crate::platform::url::fragment_path();
        Location {
            path: if path.is_empty() { "/".into() } else { path },
            query: crate::platform::url::fragment_query(),
            visit: VISITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

impl Route {
    /// The route of a fragment's path.
    pub fn from_path(path: &str) -> Route {
        match crate::core::tools::route_of(path) {
            RoutePath::Home => Route::Home,
            RoutePath::Tool(id) => Route::Tool { id },
            RoutePath::Embed(id) => Route::Embed { id },
            RoutePath::NotFound => Route::NotFound,
        }
    }

    /// The fragment's path for a route (`/cidr`).
    pub fn to_path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Tool { id } => format!("/{id}"),
            Route::Embed { id } => format!("/embed/{id}"),
            Route::NotFound => "/404".into(),
        }
    }
}

#[derive(Clone, PartialEq)]
struct RouterContext {
    location: Location,
    /// Pushes a history entry for a path and re-renders on it.
    navigate: Callback<String>,
}

#[derive(Properties, PartialEq)]
pub struct RouterProps {
    #[prop_or_default]
    pub children: Html,
}

/// Provides the location to [`use_location`], [`use_route`] and [`use_navigate`].
#[component]
pub fn Router(p: &RouterProps) -> Html {
    let location = use_state_eq(|| {
        ensure_route_fragment();
        Location::current()
    });
    {
        let location = location.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "popstate", move |_| {
                    location.set(Location::current())
                })
            });
            move || drop(listener)
        });
    }
    let navigate = {
        let location = location.clone();
        use_callback((), move |path: String, _| {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let url = format!("{}#{path}", crate::platform::url::base());
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            location.set(Location::current());
        })
    };
    let context = RouterContext {
        location: (*location).clone(),
        navigate,
    };
    html! {
        <ContextProvider<RouterContext> {context}>{ p.children.clone() }</ContextProvider<RouterContext>>
    }
}

/// A fragment that is not a route (none, or `#main`) becomes `#/`, as yew-router's
/// `HashRouter` made it.
fn ensure_route_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    if !hash.starts_with("#/") {
        if let Ok(history) = window.history() {
            let url = format!("{}#/", crate::platform::url::base());
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The fragment's location (the default outside a [`Router`]).
#[hook]
pub fn use_location() -> Location {
    use_context::<RouterContext>()
        .map(|c| c.location)
        .unwrap_or_default()
}

/// The current route.
#[hook]
pub fn use_route() -> Route {
    Route::from_path(&use_location().path)
}

/// Moves to a route with a new history entry (`None` outside a [`Router`]).
#[hook]
pub fn use_navigate() -> Option<Callback<Route>> {
    use_context::<RouterContext>().map(|c| c.navigate.reform(|r: Route| r.to_path()))
}

/// The page of the current route.
#[component]
pub fn RouteView() -> Html {
    crate::app::switch(use_route())
}
