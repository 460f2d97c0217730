//! Hooks shared by tool pages.

use crate::core::history::History;
use crate::platform::url;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Debounce for writing the state into the URL (browsers throttle rapid history updates).
const URL_WRITE_MS: u32 = 250;

/// A tool's state kept in the URL fragment's query.
pub struct UrlState<T: 'static> {
    pub state: UseStateHandle<T>,
    /// Set when the link could not be read; the tool then starts from its defaults.
    pub link_error: UseStateHandle<Option<String>>,
    /// Every change of the state, for undo and redo (`core::history`).
    history: Rc<RefCell<History<T>>>,
    /// Whether there is something to undo and to redo, for the buttons.
    steps: UseStateHandle<(bool, bool)>,
    to_query: fn(&T) -> String,
    /// Set when the tool's saved state in the sandbox could not be read: Reset removes it
    /// (the student chose to start again), so the message does not come back.
    forget_saved: Option<Callback<()>>,
}

/// What the frame of a tool page offers for its state: undo, redo and the state's query
/// for a share link.
#[derive(Clone, PartialEq)]
pub struct Controls {
    pub undo: Callback<()>,
    pub redo: Callback<()>,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Ends the current undo step: call before a change made by a button (an applied edit),
    /// so it is a step of its own even right after typing.
    pub seal: Callback<()>,
    /// The state's query now (`v=…&s=…`).
    pub query: Callback<(), String>,
}

impl<T: Clone + Default + PartialEq + 'static> UrlState<T> {
    /// Undo, redo and the share query, for `ToolFrame`.
    pub fn controls(&self) -> Controls {
        let step = |back: bool| {
            let (history, state, steps) =
                (self.history.clone(), self.state.clone(), self.steps.clone());
            Callback::from(move |_: ()| {
                let mut h = history.borrow_mut();
                let next = if back { h.undo() } else { h.redo() }.cloned();
                if let Some(next) = next {
                    steps.set((h.undo_steps() > 0, h.redo_steps() > 0));
                    drop(h);
                    state.set(next);
                }
            })
        };
        let (state, to_query) = (self.state.clone(), self.to_query);
        let history = self.history.clone();
        Controls {
            undo: step(true),
            redo: step(false),
            can_undo: self.steps.0,
            can_redo: self.steps.1,
            seal: Callback::from(move |_: ()| history.borrow_mut().seal()),
            query: Callback::from(move |_: ()| to_query(&state)),
        }
    }

    /// A callback that restores the tool's defaults and clears any link message; Reset is
    /// an undo step of its own.
    pub fn reset(&self) -> Callback<MouseEvent> {
        let (state, link_error) = (self.state.clone(), self.link_error.clone());
        let history = self.history.clone();
        let forget_saved = self.forget_saved.clone();
        Callback::from(move |_| {
            history.borrow_mut().seal();
            state.set(T::default());
            if link_error.is_some() {
                if let Some(forget) = &forget_saved {
                    forget.emit(());
                }
            }
            link_error.set(None);
        })
    }
}

/// Session-storage key for a tool's state written as the page was hidden: "old query\nnew".
fn flushed_key(tool: &str) -> String {
    format!("stratus.flushed.{tool}")
}

/// Session-storage key for the last query this tab wrote into the URL for a tool, with the
/// open sandbox's id: "sandbox id\nquery".
fn wrote_key(tool: &str) -> String {
    format!("stratus.wrote.{tool}")
}

/// Where a state comes from, for the message when it cannot be read.
#[derive(Clone, Copy)]
enum Source {
    Link,
    /// The open sandbox: sandboxes check only a state's shape (`sandbox::Slot::shape`), so
    /// this is where a damaged one is found. It stays saved until the student changes the
    /// tool (or presses Reset).
    Sandbox,
}

fn load<T: Default>(
    query: &str,
    from_query: fn(&str) -> Result<T, String>,
    source: Source,
) -> (T, Option<String>) {
    match from_query(query) {
        Ok(state) => (state, None),
        Err(e) => (
            T::default(),
            Some(match source {
                Source::Link => format!("This link could not be opened: {e}. The tool starts fresh; nothing else was changed."),
                Source::Sandbox => format!("This tool's saved state in the sandbox could not be read: {e}. The tool starts fresh; the saved state is kept until you change something here."),
            }),
        ),
    }
}

/// Reads the state from the fragment on load, rewrites the fragment (debounced, with
/// `history.replaceState`) when the state changes, and reloads when another link is opened.
#[hook]
pub fn use_url_state<T>(
    tool: &'static str,
    to_query: fn(&T) -> String,
    from_query: fn(&str) -> Result<T, String>,
) -> UrlState<T>
where
    T: Clone + PartialEq + Default + 'static,
{
    use_url_state_saving(tool, to_query, from_query, T::clone)
}

/// [`use_url_state`] for a tool that saves a fuller form of its state in the sandbox than
/// its link carries (`saved`: the VPC builder's network, explicit even when a template's).
#[hook]
pub fn use_url_state_saving<T>(
    tool: &'static str,
    to_query: fn(&T) -> String,
    from_query: fn(&str) -> Result<T, String>,
    saved: fn(&T) -> T,
) -> UrlState<T>
where
    T: Clone + PartialEq + Default + 'static,
{
    let location = crate::app::router::use_location();
    let query = location.query.clone();
    // A reload started before the last edit reached the URL still carries the old query:
    // the edit written when the page was hidden (see below) replaces exactly that query.
    let start_query = use_memo((), {
        let query = query.clone();
        move |_| {
            crate::platform::storage::session_take(&flushed_key(tool))
                .filter(|_| crate::platform::dom::is_reload())
                .and_then(|t| {
                    let (from, to) = t.split_once('\n')?;
                    (from == query).then(|| to.to_string())
                })
                .unwrap_or(query)
        }
    });
    let store = crate::app::sandbox::use_store();
    // A URL this tab wrote itself for the open sandbox (a reload, the Back button after
    // another tool) is not a link: the sandbox holds that state or a newer one, and the part
    // of the account another tool changed since (the console and the VPC builder share the
    // network).
    let own_url = use_memo((), {
        let query = (*start_query).clone();
        let store = store.clone();
        move |_| {
            !query.is_empty()
                && store
                    .and_then(|s| s.active_id())
                    .zip(crate::platform::storage::session_get(&wrote_key(tool)))
                    .is_some_and(|(id, wrote)| wrote == format!("{id}\n{query}"))
        }
    });
    // A link's own state wins; without one the tool resumes from the open sandbox.
    let initial = use_memo((), {
        let query = (*start_query).clone();
        let store = store.clone();
        let own_url = *own_url;
        move |_| {
            if query.is_empty() || own_url {
                let saved = store.map(|s| s.tool_query(tool)).unwrap_or_default();
                load(&saved, from_query, Source::Sandbox)
            } else {
                load(&query, from_query, Source::Link)
            }
        }
    });
    // The state came from the open sandbox, not from a link.
    let from_sandbox = start_query.is_empty() || *own_url;
    // Only for a state read from the sandbox (a link's state was never saved).
    let forget_saved = (from_sandbox && initial.1.is_some())
        .then_some(store.clone())
        .flatten()
        .map(|store| {
            Callback::from(move |_: ()| {
                store.set_tool_query(tool, &to_query(&saved(&T::default())))
            })
        });
    // Only the user's edits are saved: opening a link does not overwrite the sandbox.
    let touched = use_mut_ref(|| false);
    let state = use_state(|| initial.0.clone());
    let link_error = use_state(|| initial.1.clone());
    let history = use_mut_ref(|| History::new(initial.0.clone()));
    // The present state's fields (its query as a JSON object), to name what a change changed.
    let fields = use_mut_ref(|| fields_of(&to_query(&initial.0)));
    let steps = use_state(|| (false, false));
    let last_written = use_mut_ref(|| query.clone());
    let pending = use_mut_ref(|| None::<Timeout>);
    // The write the debounce is holding back, so that hiding or leaving the page can run
    // it at once (a reload or a closed tab would otherwise lose the last edit).
    let flush = use_mut_ref(|| None::<Box<dyn FnOnce()>>);
    // The state the pending update has not yet written to the sandbox: leaving the page
    // (another route, another module) still records an edit made in the last moments.
    let unsaved = use_mut_ref(|| None::<T>);
    // The state last read from the address or the sandbox: the present state differs from
    // it once the user edits.
    let loaded = use_mut_ref(|| initial.0.clone());

    {
        let (state, link_error, last_written, flush, loaded) = (
            state.clone(),
            link_error.clone(),
            last_written.clone(),
            flush.clone(),
            loaded.clone(),
        );
        // Every reading of the address (`visit`) is read, unless it is the address this page
        // wrote last and holds (Back to it): the same link opened again after an edit opens
        // again, even while the edit waits to be written.
        use_effect_with(location, move |location| {
            let query = &location.query;
            if query.is_empty() {
                // A bare tool address (the header's link to this tool, typed) is no link:
                // the tool keeps its state, as it resumes on one, and the address shows it.
                if !last_written.borrow().is_empty() {
                    url::replace_fragment_query(&last_written.borrow());
                }
                return;
            }
            let edited = flush.borrow().is_some() && *state != *loaded.borrow();
            if *query != *last_written.borrow() || edited {
                let (s, e) = load(query, from_query, Source::Link);
                *last_written.borrow_mut() = query.clone();
                *loaded.borrow_mut() = s.clone();
                state.set(s);
                link_error.set(e);
            }
        });
    }
    {
        let (pending, unsaved, store) = (pending.clone(), unsaved.clone(), store.clone());
        use_effect_with((), move |_| {
            move || {
                // Unmounting: the URL now belongs to the next page, but the sandbox still
                // gets this page's last edit.
                pending.borrow_mut().take();
                if let (Some(s), Some(store)) = (unsaved.borrow_mut().take(), store) {
                    store.set_tool_query(tool, &to_query(&saved(&s)));
                }
            }
        });
    }
    {
        let (pending, flush, store) = (pending.clone(), flush.clone(), store.clone());
        let last_written = last_written.clone();
        use_effect_with((), move |_| {
            let on_hide = move || {
                pending.borrow_mut().take();
                let write = flush.borrow_mut().take();
                if let Some(write) = write {
                    let before = last_written.borrow().clone();
                    write();
                    let after = last_written.borrow().clone();
                    // Only the app keeps it (embeds on one slide would share the key).
                    if before != after && store.is_some() {
                        crate::platform::storage::session_set(
                            &flushed_key(tool),
                            &format!("{before}\n{after}"),
                        );
                    }
                }
                if let Some(store) = &store {
                    store.flush_for_unload();
                }
            };
            let listeners = crate::platform::dom::on_page_hide(on_hide);
            move || drop(listeners)
        });
    }
    {
        let last_written = last_written.clone();
        let flush = flush.clone();
        // The state is serialized once per change (undo's grouping reads its fields); writing
        // the URL and the sandbox waits for the debounce: typing only resets the timer.
        let initial = initial.clone();
        let (history, steps, fields) = (history.clone(), steps.clone(), fields.clone());
        use_effect_with((*state).clone(), move |s| {
            let s = s.clone();
            let q = to_query(&s);
            // Every change is a step to undo (an undo or redo is already the present); typing
            // in one field is one step: the key names the fields that changed.
            let now_fields = fields_of(&q);
            let key = changed_keys(&fields.borrow(), &now_fields);
            *fields.borrow_mut() = now_fields;
            let mut h = history.borrow_mut();
            if h.record(s.clone(), js_sys::Date::now() as u64, &key) {
                let now = (h.undo_steps() > 0, h.redo_steps() > 0);
                if *steps != now {
                    steps.set(now);
                }
            }
            drop(h);
            let last_written = last_written.clone();
            if s != initial.0 {
                *touched.borrow_mut() = true;
            }
            let touched_now = *touched.borrow();
            // A state read from the sandbox is the sandbox's too: a URL written for it is
            // this tab's own (a later Back resumes from the sandbox, not from this URL).
            let own = (touched_now || from_sandbox).then_some(store).flatten();
            let save = touched_now.then(|| own.clone()).flatten();
            *unsaved.borrow_mut() = save.is_some().then(|| s.clone());
            let unsaved = unsaved.clone();
            let write = move || {
                unsaved.borrow_mut().take();
                let rewrote = q != *last_written.borrow();
                if rewrote {
                    url::replace_fragment_query(&q);
                    *last_written.borrow_mut() = q.clone();
                }
                if let Some(store) = &save {
                    store.set_tool_query(tool, &to_query(&saved(&s)));
                }
                if let Some(store) = own.filter(|_| rewrote || save.is_some()) {
                    if let Some(id) = store.active_id() {
                        crate::platform::storage::session_set(
                            &wrote_key(tool),
                            &format!("{id}\n{q}"),
                        );
                    }
                }
            };
            *flush.borrow_mut() = Some(Box::new(write));
            let flush = flush.clone();
            *pending.borrow_mut() = Some(Timeout::new(URL_WRITE_MS, move || {
                let write = flush.borrow_mut().take();
                if let Some(write) = write {
                    write();
                    // The URL is current again: an edit kept at a hide is history now.
                    crate::platform::storage::session_take(&flushed_key(tool));
                }
            }));
        });
    }
    UrlState {
        state,
        link_error,
        history,
        steps,
        to_query,
        forget_saved,
    }
}

/// The last result that computed: `result` when it is `Ok`, else the previous `Ok` (or the
/// error when there never was one). With `form::kept`, results stay on screen, marked stale,
/// while an input does not parse.
#[hook]
pub fn use_last_ok<T: 'static, E: 'static>(result: Rc<Result<T, E>>) -> Rc<Result<T, E>> {
    let last = use_mut_ref(|| result.clone());
    if result.is_ok() {
        *last.borrow_mut() = result.clone();
    }
    let shown = last.borrow().clone();
    shown
}

type Fields = serde_json::Map<String, serde_json::Value>;

/// A state's fields: its query's JSON object (empty for the defaults).
fn fields_of(query: &str) -> Fields {
    match crate::core::share::query_to_value(query) {
        Some((_, serde_json::Value::Object(m))) => m,
        _ => Fields::new(),
    }
}

/// The top-level fields two states differ in, joined ("memory_mb"), for undo's grouping
/// of a burst of typing.
fn changed_keys(a: &Fields, b: &Fields) -> String {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// The answer of an asynchronous step (a helper module, the browser's deflate) for `key`:
/// `ask(key)` starts it (`None`: nothing to ask for this key), again whenever `key`
/// changes. Returns the answer for the current `key`, or `None` until it has come: an
/// answer to an older key is dropped, so a page never shows what belongs to a state it no
/// longer holds.
#[hook]
pub fn use_answer<K, V, Fut, Ask>(key: K, ask: Ask) -> Option<V>
where
    K: PartialEq + Clone + 'static,
    V: Clone + 'static,
    Fut: std::future::Future<Output = V> + 'static,
    Ask: FnOnce(&K) -> Option<Fut> + 'static,
{
    let answer = use_state(|| None::<(K, V)>);
    // The key last asked about: a slower answer to an earlier one is not kept.
    let latest = use_mut_ref(|| None::<K>);
    {
        let answer = answer.clone();
        use_effect_with(key.clone(), move |key| {
            *latest.borrow_mut() = Some(key.clone());
            if let Some(step) = ask(key) {
                let key = key.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let got = step.await;
                    if latest.borrow().as_ref() == Some(&key) {
                        answer.set(Some((key, got)));
                    }
                });
            }
        });
    }
    answer
        .as_ref()
        .filter(|(asked, _)| *asked == key)
        .map(|(_, got)| got.clone())
}

/// The answer of a helper module's function (`platform::helper::call`) for `args`
/// ([`use_answer`]); nothing is asked while `args` is `None`. `args` comes from a
/// `use_memo`, so a render that changes nothing compares one pointer, not the arguments
/// (the VPC builder's whole design as JSON).
#[hook]
pub fn use_helper(
    helper: &'static str,
    function: &'static str,
    args: Rc<Option<Vec<String>>>,
) -> Option<Result<String, String>> {
    use_answer(args, move |args| {
        let args = (**args).clone()?;
        Some(async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            crate::platform::helper::call(helper, function, &refs).await
        })
    })
}
