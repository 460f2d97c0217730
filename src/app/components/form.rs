//! Small helpers for form controls.

use yew::prelude::*;

/// The value of an input, select or textarea that fired an event.
pub fn input_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// A labelled text input with an optional unit after it; `id` is also its test id.
pub fn text_field(
    id: &'static str,
    label: &'static str,
    value: &str,
    unit: &'static str,
    oninput: Callback<InputEvent>,
) -> Html {
    html! {
        <div class="field narrow">
            <label for={id}>{ label }</label>
            <span class="with-unit">
                <input id={id} type="text" inputmode="decimal" autocomplete="off" value={value.to_string()} {oninput} data-testid={id} />
                if !unit.is_empty() { <span class="unit">{ unit }</span> }
            </span>
        </div>
    }
}

/// A list of input errors, announced politely.
pub fn errors(list: &[String], id: &'static str) -> Html {
    html! {
        <ul class="error-list" role="status" data-testid={id}>
            { for list.iter().map(|e| html! { <li>{ e }</li> }) }
        </ul>
    }
}

/// The errors of the current input and, below them, the last result that computed, dimmed
/// and marked as stale: bills, figures and charts do not vanish while a number is being
/// typed. `shown` comes from [`crate::app::hooks::use_last_ok`]; the stale block's test id
/// is the errors' id with `-stale` for `-errors` (`lambda-errors` → `lambda-stale`).
pub fn kept<T>(
    now: &Result<T, Vec<String>>,
    shown: &Result<T, Vec<String>>,
    errors_id: &'static str,
    render: impl Fn(&T) -> Html,
) -> Html {
    let stale_id = format!("{}-stale", errors_id.trim_end_matches("-errors"));
    match (now, shown) {
        (Ok(v), _) => render(v),
        (Err(e), Ok(last)) => html! {
            <>
                { errors(e, errors_id) }
                <div class="stale" data-testid={stale_id}>
                    <p class="stale-note">{ "The last result that computed, until the input above is corrected:" }</p>
                    { render(last) }
                </div>
            </>
        },
        (Err(e), Err(_)) => errors(e, errors_id),
    }
}

/// A callback for an input (`InputEvent`) or select (`Event`) that writes the control's new
/// text into a tool's state with `f`.
pub fn on_edit<S: Clone + 'static, E: AsRef<Event> + 'static>(
    state: &UseStateHandle<S>,
    f: impl Fn(&mut S, String) + 'static,
) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |e: E| {
        let mut s = (*state).clone();
        f(&mut s, input_value(e.as_ref()));
        state.set(s);
    })
}

/// A callback that changes a tool's state with `f` on a click.
pub fn on_click<S: Clone + 'static>(
    state: &UseStateHandle<S>,
    f: impl Fn(&mut S) + 'static,
) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| {
        let mut s = (*state).clone();
        f(&mut s);
        state.set(s);
    })
}

/// Whether the checkbox that fired an event is checked.
pub fn checked(e: &Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// A callback for a checkbox that writes its state into a tool's state with `f`.
pub fn on_check<S: Clone + 'static>(
    state: &UseStateHandle<S>,
    f: fn(&mut S, bool),
) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        let mut s = (*state).clone();
        f(&mut s, checked(&e));
        state.set(s);
    })
}

/// Binds a text input to a local field: updated on every keystroke, so a re-render caused by
/// another control never puts an old value back.
pub fn typed(field: &UseStateHandle<String>) -> Callback<InputEvent> {
    let field = field.clone();
    Callback::from(move |e: InputEvent| field.set(input_value(&e)))
}

/// Binds a select to a local field.
pub fn picked(field: &UseStateHandle<String>) -> Callback<Event> {
    let field = field.clone();
    Callback::from(move |e: Event| field.set(input_value(&e)))
}
