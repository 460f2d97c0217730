//! The open sandbox and the list of saved ones, shared with every page through a context.
//!
//! Tools never talk to storage: `use_url_state` reads a tool's saved state from the active
//! sandbox when the URL carries none, and hands every change back with `set_tool_query`.
//! Saving is debounced; the status (saved, saving, failed, memory only) is shown in the
//! page header. When IndexedDB is missing or fails, everything keeps working in memory and
//! the message offers an export.

use crate::core::sandbox::{self, Sandbox};
use crate::platform::storage::{session_set, session_take};
use crate::platform::{idb, storage};
use gloo::timers::callback::Timeout;
use indexed_db_futures::database::Database;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

const ACTIVE_KEY: &str = "stratus.sandbox";
const SAVE_MS: u32 = 400;
/// Session-storage key for work held in memory, carried across a module switch.
const CARRY_KEY: &str = "stratus.carry";
/// Local-storage key prefix for the open sandbox with edits not yet in IndexedDB when the
/// page was hidden or left (a reload, a closed tab), one key per page (`<prefix><tab>`):
/// written synchronously, since an IndexedDB save started then may not finish. Removed by
/// the save that stores exactly that copy; read (and removed) at the next start.
const UNLOAD_PREFIX: &str = "stratus.unsaved.";

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Loading,
    Saved,
    Saving,
    Failed(String),
    /// Storage is unavailable: work stays in this tab.
    Memory(String),
    /// Another tab saved the open sandbox: the user chooses which version wins.
    Conflict,
}

#[derive(Default)]
struct Model {
    list: Vec<Sandbox>,
    active: Option<String>,
    status: Option<Status>,
    notices: Vec<String>,
    undo: Option<Sandbox>,
    db: Option<Rc<Database>>,
    ready: bool,
    pending: Option<Timeout>,
    /// Sandboxes changed since the last save.
    dirty: std::collections::BTreeSet<String>,
    /// The revision of each sandbox as this tab last read or wrote it in storage.
    known: std::collections::BTreeMap<String, u64>,
    /// Sandboxes this tab may save over another tab's newer version (the user chose so).
    forced: std::collections::BTreeSet<String>,
    /// Tells other tabs about saves: `{"id": …, "revision": …, "tab": …}`.
    channel: Option<web_sys::BroadcastChannel>,
    tab: u64,
}

/// The handle pages get from the context. It never changes identity, so tools that only
/// read and write their state through it do not re-render when a save completes; views of
/// the store itself (status line, sandboxes page) watch [`Revision`] too.
#[derive(Clone)]
pub struct Store {
    model: Rc<RefCell<Model>>,
    refresh: Callback<()>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.model, &other.model)
    }
}

/// Bumped on every change of the store: the context that views of it subscribe to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Revision(u64);

fn now() -> u64 {
    js_sys::Date::now() as u64
}

fn random() -> u64 {
    (js_sys::Math::random() * 2f64.powi(53)) as u64
}

impl Store {
    pub fn ready(&self) -> bool {
        self.model.borrow().ready
    }

    pub fn status(&self) -> Status {
        self.model
            .borrow()
            .status
            .clone()
            .unwrap_or(Status::Loading)
    }

    pub fn notices(&self) -> Vec<String> {
        self.model.borrow().notices.clone()
    }

    pub fn list(&self) -> Vec<Sandbox> {
        sandbox::sorted(self.model.borrow().list.clone())
    }

    /// Reads the open sandbox without copying it.
    fn with_active<R>(&self, f: impl FnOnce(&Sandbox) -> R) -> Option<R> {
        let m = self.model.borrow();
        let id = m.active.as_ref()?;
        m.list.iter().find(|s| &s.id == id).map(f)
    }

    /// When the active sandbox last changed (ms), to key work on its contents.
    pub fn active_updated(&self) -> Option<u64> {
        self.with_active(|s| s.updated)
    }

    /// Reads a part of the active sandbox's account with `f`, without copying it.
    pub fn read_account_part<R>(
        &self,
        key: &str,
        f: impl FnOnce(&serde_json::Value) -> R,
    ) -> Option<R> {
        self.with_active(|s| s.account.get(key).map(f)).flatten()
    }

    pub fn active_id(&self) -> Option<String> {
        self.model.borrow().active.clone()
    }

    pub fn active_name(&self) -> Option<String> {
        self.with_active(|s| s.name.clone())
    }

    pub fn undo_available(&self) -> Option<String> {
        self.model.borrow().undo.as_ref().map(|s| s.name.clone())
    }

    pub fn tool_query(&self, tool: &str) -> String {
        self.with_active(|s| s.tool_query(tool)).unwrap_or_default()
    }

    /// A part of the active sandbox's account (`ec2`: EC2's network), as saved.
    pub fn account_part(&self, key: &str) -> Option<serde_json::Value> {
        self.with_active(|s| s.account.get(key).cloned()).flatten()
    }

    /// Records a tool's new state in the active sandbox and schedules a save.
    pub fn set_tool_query(&self, tool: &str, query: &str) {
        self.change_active(|s| s.set_tool_query(tool, query));
    }

    /// Replaces a part of the active sandbox's account (`Sandbox::set_account_part`) and
    /// schedules a save; `false` without an open sandbox.
    pub fn set_account_part(&self, key: &str, part: Option<serde_json::Value>) -> bool {
        self.change_active(|s| s.set_account_part(key, part))
    }

    /// Applies `change` to the active sandbox; when it changed something, dates it and
    /// schedules a save. Returns whether there was a sandbox to change.
    fn change_active(&self, change: impl FnOnce(&mut Sandbox) -> bool) -> bool {
        let id = {
            let mut m = self.model.borrow_mut();
            let Some(id) = m.active.clone() else {
                return false;
            };
            let Some(s) = m.list.iter_mut().find(|s| s.id == id) else {
                return false;
            };
            if !change(s) {
                return true;
            }
            s.updated = now();
            id
        };
        self.schedule_save(id);
        true
    }

    fn schedule_save(&self, id: String) {
        let this = self.clone();
        let mut m = self.model.borrow_mut();
        if matches!(m.status, Some(Status::Memory(_))) {
            return;
        }
        if m.status != Some(Status::Conflict) {
            m.status = Some(Status::Saving);
        }
        m.dirty.insert(id);
        m.pending = Some(Timeout::new(SAVE_MS, move || this.save_now()));
        drop(m);
        self.refresh.emit(());
    }

    /// Saves every changed sandbox, in one go after the debounce. A sandbox another tab has
    /// saved since this tab last read it is not overwritten: the user is asked instead.
    fn save_now(&self) {
        let this = self.clone();
        spawn_local(async move { this.save_dirty().await });
    }

    /// Before the page is replaced (a route of another module): saves what is pending at
    /// once, then calls `done`. Work that could not be saved (no IndexedDB, a full disk) is
    /// carried over in this tab's session storage and picked up by the next module. When
    /// the save finds that another tab saved meanwhile, `done` waits for the user's choice
    /// (the caller asks again once the conflict is settled) unless `anyway`.
    pub fn flush_then(&self, done: fn(), anyway: bool) {
        let pending = {
            let mut m = self.model.borrow_mut();
            m.pending.take().is_some() || !m.dirty.is_empty()
        };
        let this = self.clone();
        spawn_local(async move {
            if pending {
                this.save_dirty().await;
            }
            let unsaved = matches!(
                this.model.borrow().status,
                Some(Status::Memory(_) | Status::Failed(_))
            );
            if unsaved {
                if let Some(s) = this.with_active(|s| s.clone()) {
                    session_set(CARRY_KEY, &sandbox::to_json(&s));
                }
            }
            if anyway || this.status() != Status::Conflict {
                done();
            }
        });
    }

    /// The page is being hidden or left (`visibilitychange` to hidden, `pagehide`): keeps
    /// the open sandbox's unsaved edits in local storage at once (synchronously), then
    /// starts saving them to IndexedDB. The next start applies the kept copy unless storage
    /// already holds that save or a newer one.
    pub fn flush_for_unload(&self) {
        let pending = {
            let mut m = self.model.borrow_mut();
            m.pending.take().is_some() || !m.dirty.is_empty()
        };
        if !pending {
            return;
        }
        if let Some(s) = self.with_active(|s| s.clone()) {
            storage::try_set(&self.unload_key(), &sandbox::to_json(&s));
        }
        if self.model.borrow().db.is_some() {
            self.save_now();
        }
    }

    /// This page's key for the copy kept at a hide.
    fn unload_key(&self) -> String {
        format!("{UNLOAD_PREFIX}{}", self.model.borrow().tab)
    }

    async fn save_dirty(&self) {
        let (db, ids) = {
            let mut m = self.model.borrow_mut();
            (m.db.clone(), std::mem::take(&mut m.dirty))
        };
        let Some(db) = db else { return };
        // Nothing to write (a flush after the debounce already ran): the status stands; a
        // save that wrote nothing must not report "Saved" over a failure.
        if ids.is_empty() {
            return;
        }
        let this = self.clone();
        {
            let mut failed = None;
            for id in ids {
                let stored = match idb::get(&db, &id).await {
                    Ok(s) => s.map(|s| s.revision),
                    Err(e) => {
                        failed = Some(e.0);
                        None
                    }
                };
                let (s, newer_elsewhere) = {
                    let m = this.model.borrow();
                    let known = m.known.get(&id).copied();
                    let newer = match (stored, known) {
                        (Some(st), Some(k)) => st > k,
                        (Some(_), None) => true,
                        _ => false,
                    };
                    (
                        m.list.iter().find(|s| s.id == id).cloned(),
                        newer && !m.forced.contains(&id),
                    )
                };
                let Some(mut s) = s else { continue };
                if newer_elsewhere {
                    let mut m = this.model.borrow_mut();
                    m.dirty.insert(id.clone());
                    if m.active.as_deref() == Some(id.as_str()) {
                        m.status = Some(Status::Conflict);
                    }
                    continue;
                }
                s.revision = stored.unwrap_or(0).max(s.revision) + 1;
                match idb::put(&db, &s).await {
                    Ok(()) => {
                        // The copy kept at a hide is stored now, if it is this one.
                        let key = this.unload_key();
                        let kept = storage::get(&key).and_then(|t| sandbox::from_json(&t).ok());
                        if kept.is_some_and(|k| {
                            k.id == s.id
                                && sandbox::Sandbox {
                                    revision: s.revision,
                                    ..k
                                } == s
                        }) {
                            storage::remove(&key);
                        }
                        let mut m = this.model.borrow_mut();
                        m.known.insert(id.clone(), s.revision);
                        m.forced.remove(&id);
                        if let Some(x) = m.list.iter_mut().find(|x| x.id == id) {
                            x.revision = s.revision;
                        }
                        if let Some(c) = &m.channel {
                            let msg =
                                serde_json::json!({"id": id, "revision": s.revision, "tab": m.tab});
                            let _ = c.post_message(&msg.to_string().into());
                        }
                    }
                    Err(e) => {
                        // Still to be saved: the next save (an edit, a flush) tries again.
                        this.model.borrow_mut().dirty.insert(id.clone());
                        failed = Some(e.0);
                    }
                }
            }
            let mut m = this.model.borrow_mut();
            if m.status != Some(Status::Conflict) && (m.dirty.is_empty() || failed.is_some()) {
                m.status = Some(match failed {
                    None => Status::Saved,
                    Some(e) => Status::Failed(e),
                });
            }
            drop(m);
            this.refresh.emit(());
        }
    }

    /// Another tab saved sandbox `id` at `revision`.
    fn heard(&self, id: String, revision: u64) {
        let (stale, active, db) = {
            let m = self.model.borrow();
            (
                !matches!(m.known.get(&id), Some(k) if *k >= revision),
                m.active.as_deref() == Some(id.as_str()),
                m.db.clone(),
            )
        };
        if !stale {
            return;
        }
        if active {
            self.model.borrow_mut().status = Some(Status::Conflict);
            self.refresh.emit(());
            return;
        }
        // Not on screen here: take the other tab's version quietly.
        let Some(db) = db else { return };
        let this = self.clone();
        spawn_local(async move {
            if let Ok(Some(s)) = idb::get(&db, &id).await {
                let mut m = this.model.borrow_mut();
                m.known.insert(id.clone(), s.revision);
                // Its version replaces this tab's, unsaved change or not.
                m.dirty.remove(&id);
                m.list.retain(|x| x.id != id);
                m.list.push(s);
                drop(m);
                this.refresh.emit(());
            }
        });
    }

    /// Conflict: keep this tab's version and save it over the other tab's.
    pub fn keep_mine(&self) {
        let id = self.model.borrow().active.clone();
        if let Some(id) = id {
            let mut m = self.model.borrow_mut();
            m.forced.insert(id.clone());
            m.status = Some(Status::Saving);
            m.dirty.insert(id.clone());
            drop(m);
            self.schedule_save(id);
        }
    }

    /// Conflict: load the other tab's version and show it (the page reloads so every tool
    /// starts from it).
    pub fn take_theirs(&self) {
        self.model.borrow_mut().dirty.clear();
        // The open tool's state is in the URL; drop it so the saved state is used.
        crate::platform::url::replace_fragment_query("");
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }

    fn insert(&self, s: Sandbox, activate: bool) {
        let id = s.id.clone();
        {
            let mut m = self.model.borrow_mut();
            m.list.retain(|x| x.id != id);
            m.list.push(s);
            if activate {
                m.active = Some(id.clone());
            }
        }
        if activate {
            storage::set(ACTIVE_KEY, &id);
        }
        self.schedule_save(id);
    }

    /// Creates a sandbox and opens it.
    pub fn create(&self, name: &str) -> Result<(), String> {
        let name = sandbox::clean_name(name)?;
        self.insert(
            Sandbox::new(sandbox::new_id(random(), now()), &name, now()),
            true,
        );
        Ok(())
    }

    pub fn open(&self, id: &str) {
        let found = {
            let mut m = self.model.borrow_mut();
            match m.list.iter_mut().find(|s| s.id == id) {
                Some(s) => {
                    s.opened = now();
                    m.active = Some(id.to_string());
                    true
                }
                None => false,
            }
        };
        if found {
            storage::set(ACTIVE_KEY, id);
            self.schedule_save(id.to_string());
        }
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<(), String> {
        let name = sandbox::clean_name(name)?;
        {
            let mut m = self.model.borrow_mut();
            let s = m
                .list
                .iter_mut()
                .find(|s| s.id == id)
                .ok_or("That sandbox no longer exists.")?;
            s.name = name;
            s.updated = now();
        }
        self.schedule_save(id.to_string());
        Ok(())
    }

    pub fn duplicate(&self, id: &str) {
        let copy = self
            .model
            .borrow()
            .list
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.duplicate(sandbox::new_id(random(), now()), now()));
        if let Some(c) = copy {
            self.insert(c, false);
        }
    }

    /// Deletes a sandbox, keeping it for undo. The active one cannot be deleted.
    pub fn delete(&self, id: &str) {
        let removed = {
            let mut m = self.model.borrow_mut();
            if m.active.as_deref() == Some(id) {
                return;
            }
            let pos = m.list.iter().position(|s| s.id == id);
            pos.map(|p| m.list.remove(p))
        };
        let Some(removed) = removed else { return };
        let db = self.model.borrow().db.clone();
        self.model.borrow_mut().undo = Some(removed);
        if let Some(db) = db {
            let this = self.clone();
            let id = id.to_string();
            spawn_local(async move {
                if let Err(e) = idb::delete(&db, &id).await {
                    this.model.borrow_mut().status = Some(Status::Failed(e.0));
                }
                this.refresh.emit(());
            });
        }
        self.refresh.emit(());
    }

    pub fn undo_delete(&self) {
        let s = self.model.borrow_mut().undo.take();
        if let Some(s) = s {
            self.insert(s, false);
        }
    }

    /// Adds an imported sandbox; an existing one with the same id is replaced only when
    /// `replace` is set (the page asks first).
    pub fn import(&self, s: Sandbox, replace: bool) -> Result<(), sandbox::ImportError> {
        sandbox::check_import(&self.model.borrow().list, &s, replace)?;
        self.insert(s, false);
        Ok(())
    }

    /// Keeps an imported sandbox beside the existing one, under a new id.
    pub fn import_copy(&self, s: &Sandbox) {
        self.insert(s.duplicate(sandbox::new_id(random(), now()), now()), false);
    }
}

/// Joins the tabs' channel: saves by other tabs arrive as `heard`.
fn listen(store: &Store) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(channel) = web_sys::BroadcastChannel::new("stratus-sandboxes") else {
        return;
    };
    let this = store.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                return;
            };
            let tab = this.model.borrow().tab;
            if let (Some(id), Some(rev), Some(from)) =
                (v["id"].as_str(), v["revision"].as_u64(), v["tab"].as_u64())
            {
                if from != tab {
                    this.heard(id.to_string(), rev);
                }
            }
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The channel lives as long as the page.
    on_message.forget();
    let mut m = store.model.borrow_mut();
    m.tab = random();
    m.channel = Some(channel);
}

/// A counter bumped on every change, so the context value differs and pages re-render.
#[derive(Default, PartialEq)]
struct Generation(u64);

impl Reducible for Generation {
    type Action = ();
    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Generation(self.0 + 1))
    }
}

#[derive(Properties, PartialEq)]
pub struct ProviderProps {
    pub children: Html,
}

/// Loads the sandboxes, then renders its children with the store in context.
#[component]
pub fn SandboxProvider(props: &ProviderProps) -> Html {
    let generation = use_reducer(Generation::default);
    let model = use_mut_ref(Model::default);
    let refresh = {
        let generation = generation.dispatcher();
        Callback::from(move |_| generation.dispatch(()))
    };
    let store = Store {
        model: model.clone(),
        refresh,
    };
    {
        // Changes made outside a tool (a rename, a delete) are kept when the page goes too.
        let store = store.clone();
        use_effect_with((), move |_| {
            let listeners = crate::platform::dom::on_page_hide(move || store.flush_for_unload());
            move || drop(listeners)
        });
    }
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            crate::platform::dom::measure_start("stratus:open");
            spawn_local(async move {
                let loaded = match idb::open().await {
                    Ok(db) => {
                        let db = Rc::new(db);
                        match idb::list(&db).await {
                            Ok((list, damaged)) => Ok((db, list, damaged)),
                            Err(e) => Err(e),
                        }
                    }
                    Err(e) => Err(e),
                };
                let first = {
                    let mut m = store.model.borrow_mut();
                    match loaded {
                        Ok((db, list, damaged)) => {
                            m.known = list.iter().map(|s| (s.id.clone(), s.revision)).collect();
                            m.db = Some(db);
                            m.list = list;
                            m.notices = damaged;
                            m.status = Some(Status::Saved);
                        }
                        Err(e) => {
                            m.status = Some(Status::Memory(e.0));
                        }
                    }
                    // Work the previous module of this tab could not save comes first; it is
                    // saved again when storage allows.
                    let carried = session_take(CARRY_KEY).and_then(|t| sandbox::from_json(&t).ok());
                    if let Some(s) = carried {
                        storage::set(ACTIVE_KEY, &s.id);
                        if m.db.is_some() {
                            m.dirty.insert(s.id.clone());
                        }
                        m.list.retain(|x| x.id != s.id);
                        m.list.push(s);
                    }
                    // Edits kept when a page of this app was last hidden or left, unless
                    // storage has that save already, another tab saved after it, or the
                    // sandbox was deleted since (a never-saved one is kept).
                    for s in storage::take_prefixed(UNLOAD_PREFIX)
                        .iter()
                        .filter_map(|t| sandbox::from_json(t).ok())
                    {
                        let stored = m.list.iter().find(|x| x.id == s.id);
                        let apply = match stored {
                            Some(x) => x.revision <= s.revision && *x != s,
                            None => s.revision == 0,
                        };
                        if apply {
                            if m.db.is_some() {
                                m.dirty.insert(s.id.clone());
                            }
                            m.list.retain(|x| x.id != s.id);
                            m.list.push(s);
                        }
                    }
                    let wanted = storage::get(ACTIVE_KEY);
                    m.active = wanted
                        .filter(|id| m.list.iter().any(|s| &s.id == id))
                        .or_else(|| m.list.iter().max_by_key(|s| s.opened).map(|s| s.id.clone()));
                    m.ready = true;
                    m.active.is_none()
                };
                if first {
                    let _ = store.create("My sandbox");
                }
                listen(&store);
                if !store.model.borrow().dirty.is_empty() {
                    store.save_now();
                }
                crate::platform::dom::measure_end("stratus:open");
                store.refresh.emit(());
                // Once the pages have rendered (Yew renders in a microtask): ready, and the
                // focus on the page when a link reloaded into this module.
                let focus = session_take(crate::app::FOCUS_KEY).is_some();
                Timeout::new(0, move || {
                    if focus {
                        crate::app::focus_main();
                    }
                    crate::platform::dom::mark_ready();
                })
                .forget();
            });
        });
    }
    html! {
        <ContextProvider<Store> context={store.clone()}>
            <ContextProvider<Revision> context={Revision(generation.0)}>
                if store.ready() { { props.children.clone() } }
            </ContextProvider<Revision>>
        </ContextProvider<Store>>
    }
}

/// The store, for tools: reading and writing state, without re-rendering on saves.
#[hook]
pub fn use_store() -> Option<Store> {
    use_context::<Store>()
}

/// The store for views of it: re-renders whenever anything in it changes.
#[hook]
pub fn use_store_watch() -> Option<Store> {
    let _ = use_context::<Revision>();
    use_context::<Store>()
}

/// "Saved", "Saving…", or what went wrong, for the header.
#[component]
pub fn SaveIndicator() -> Html {
    let Some(store) = use_store_watch() else {
        return html! {};
    };
    let name = store.active_name().unwrap_or_default();
    let (class, text) = match store.status() {
        Status::Loading => ("save-status", "Loading…".to_string()),
        Status::Saved => ("save-status ok", "Saved".to_string()),
        Status::Saving => ("save-status", "Saving…".to_string()),
        Status::Failed(e) => ("save-status failed", format!("Not saved: {e}")),
        Status::Memory(e) => ("save-status failed", format!("Not saved — {e}")),
        Status::Conflict => {
            let (mine, theirs) = (store.clone(), store.clone());
            return html! {
                <div class="banner-error conflict" role="alert" data-testid="sandbox-conflict">
                    <p>{ format!("“{name}” was changed in another tab. Nothing is saved here until you choose which version to keep.") }</p>
                    <div class="toolbar">
                        <button type="button" class="small" data-testid="conflict-theirs" onclick={Callback::from(move |_| theirs.take_theirs())}>{ "Load the other tab's version" }</button>
                        <button type="button" class="small" data-testid="conflict-mine" onclick={Callback::from(move |_| mine.keep_mine())}>{ "Keep this tab's version" }</button>
                    </div>
                </div>
            };
        }
    };
    html! {
        <p class={class} role="status" data-testid="save-status">
            <a href="#/sandboxes" data-testid="active-sandbox">{ name }</a>{ " · " }{ text }
        </p>
    }
}
