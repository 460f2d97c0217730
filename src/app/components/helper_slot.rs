//! A place on the page drawn by a helper module's own Yew app (`platform::helper::mount`):
//! a part a page can do without at its first load (the VPC builder's editor, the Embed
//! panel) lives in a module of its own, fetched once the page has drawn itself or once the
//! part is opened (docs/size.md). The page hands the part its input as text on every
//! change; the part answers in text. While the module loads the place says so; should it
//! fail, the reason shows instead. The helper's side is `app::helper_app`.

use crate::platform::helper;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelperSlotProps {
    /// The helper module (`stratus-helper-<helper>`).
    pub helper: &'static str,
    /// The part's input, in the text the module reads (compared by pointer first: memoize it).
    pub input: Rc<String>,
    /// What shows while the module loads ("Loading the editor…").
    pub loading: AttrValue,
    /// Test ids: `<testid>-loading` while it loads, `<testid>-error` for why it failed.
    pub testid: &'static str,
    /// The part's answers, handled after the module's own handler has returned; `Err` (an
    /// answer that cannot be read) shows in the part's place.
    #[prop_or_default]
    pub on_answer: Option<Callback<String, Result<(), String>>>,
}

#[component]
pub fn HelperSlot(p: &HelperSlotProps) -> Html {
    let root = use_node_ref();
    let mounted = use_mut_ref(|| None::<helper::Mounted>);
    // None while the module loads; then Ok, or why it could not be shown.
    let status = use_state(|| None::<Result<(), String>>);
    // The latest input and answer handler, read when the module answers or finishes loading
    // (a callback captured at mount would act on the page's state of that moment).
    let latest = use_mut_ref(|| p.input.clone());
    *latest.borrow_mut() = p.input.clone();
    let on_answer = use_mut_ref(|| None);
    *on_answer.borrow_mut() = p.on_answer.clone();
    {
        let (root, mounted, status, latest, name) = (
            root.clone(),
            mounted.clone(),
            status.clone(),
            latest.clone(),
            p.helper,
        );
        use_effect_with((), move |_| {
            let alive = Rc::new(Cell::new(true));
            let (still, kept) = (alive.clone(), mounted.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some(el) = root.cast::<web_sys::Element>() else {
                    return;
                };
                let told = status.clone();
                let emit = Box::new(move |text: String| {
                    let (on_answer, told) = (on_answer.clone(), told.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let handler = on_answer.borrow().clone();
                        if let Some(Err(e)) = handler.map(|h: Callback<_, _>| h.emit(text)) {
                            told.set(Some(Err(e)));
                        }
                    });
                });
                let first = latest.borrow().clone();
                let result = helper::mount(name, &el, &first, emit).await;
                if !still.get() {
                    return;
                }
                match result {
                    Ok(m) => {
                        let now = latest.borrow().clone();
                        let shown = if now != first { m.update(&now) } else { Ok(()) };
                        *kept.borrow_mut() = Some(m);
                        status.set(Some(shown));
                    }
                    Err(e) => status.set(Some(Err(e))),
                }
            });
            move || {
                alive.set(false);
                mounted.borrow_mut().take();
            }
        });
    }
    {
        let (mounted, status) = (mounted.clone(), status.clone());
        use_effect_with(p.input.clone(), move |input| {
            if let Some(m) = &*mounted.borrow() {
                match m.update(input) {
                    Err(e) => status.set(Some(Err(e))),
                    // A later update that works clears an earlier failure.
                    Ok(()) if matches!(*status, Some(Err(_))) => status.set(Some(Ok(()))),
                    Ok(()) => {}
                }
            }
        });
    }
    html! {
        <>
            <div ref={root}></div>
            { match &*status {
                None => html! { <p class="hint" aria-busy="true" data-testid={format!("{}-loading", p.testid)}>{ p.loading.clone() }</p> },
                Some(Err(e)) => html! { <p class="error" role="status" data-testid={format!("{}-error", p.testid)}>{ e }</p> },
                Some(Ok(())) => html! {},
            } }
        </>
    }
}
