//! The helper module's side of `components::helper_slot`: a helper module that draws a part
//! of a page (`src/bin/helper-*.rs`, exporting `mount(root, input, emit)`) runs its own Yew
//! app in the element the page hands it, in a wasm instance of its own.

/// Trees numbered below this are left to the page (see [`leave_the_page_its_trees`]).
const PAGE_TREES: usize = 8;

#[yew::component]
fn Blank() -> yew::Html {
    yew::Html::default()
}

/// Call before a helper module's first app. Yew numbers the DOM trees it controls from 1 in
/// each wasm instance, marks their elements with that number (the `__yew_subtree_id`
/// property) and hands an event to the tree whose number the closest marked element carries,
/// among the trees whose host element the event passes through. The page's app is tree 1 of
/// its own instance, hosted on an ancestor of every helper's place; were a helper's tree
/// also 1, the page would take the helper's events for its own and the helper would never
/// see them. So a helper uses up the numbers below [`PAGE_TREES`] on empty apps of detached
/// elements, which the page (one app, no portals) never reaches. Two helpers may both
/// number a tree 8: their places never nest, so no event passes through both hosts.
///
/// The page's own handlers on elements around a helper's place do not see events from
/// inside it (the page's app is not the responsible tree): a page that must hear them
/// (Escape in the Embed panel) listens with a plain DOM listener.
pub fn leave_the_page_its_trees() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        for _ in 1..PAGE_TREES {
            if let Ok(el) = document.create_element("div") {
                yew::Renderer::<Blank>::with_root(el).render().destroy();
            }
        }
    });
}
