//! Sandboxes: the saved workspaces. Create, open, rename, duplicate, delete with undo,
//! export to a JSON file and import one (file picker or drag and drop).

use crate::app::components::form::input_value;
use crate::app::sandbox::{use_store_watch, Status, Store};
use crate::app::use_title;
use crate::core::sandbox::{self, Sandbox};
use crate::platform::files;
use yew::prelude::*;

fn when(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(d.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

fn export(s: &Sandbox) {
    if files::download(
        &sandbox::file_name(s),
        "application/json",
        &sandbox::to_json(s),
    )
    .is_err()
    {
        web_sys::console::warn_1(&"Stratus could not start the download".into());
    }
}

/// A share link made for a sandbox, and whether it reached the clipboard.
#[derive(Clone, PartialEq)]
struct Shared {
    url: String,
    copied: bool,
}

/// What an import is waiting for.
#[derive(Clone, PartialEq)]
enum Import {
    Idle,
    Done(String),
    Failed(String),
    /// The file's sandbox has the id of one already saved: ask before replacing.
    Conflict(Box<Sandbox>),
}

fn read_file(file: web_sys::File, store: Store, import: UseStateHandle<Import>) {
    if file.size() > sandbox::MAX_IMPORT_BYTES as f64 {
        import.set(Import::Failed(format!(
            "“{}” is {} bytes; a sandbox file may be at most {} bytes.",
            file.name(),
            crate::core::format::thousands(file.size() as u128),
            crate::core::format::thousands(sandbox::MAX_IMPORT_BYTES as u128)
        )));
        return;
    }
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let file = gloo::file::File::from(file);
        let text = match gloo::file::futures::read_as_text(&file).await {
            Ok(t) => t,
            Err(e) => {
                import.set(Import::Failed(format!("“{name}” could not be read: {e}.")));
                return;
            }
        };
        match sandbox::from_json(&text) {
            Err(e) => import.set(Import::Failed(format!("“{name}” was not imported. {e}"))),
            Ok(s) => match store.import(s.clone(), false) {
                Ok(()) => import.set(Import::Done(format!("Imported “{}”.", s.name))),
                Err(sandbox::ImportError::Exists { .. }) => {
                    import.set(Import::Conflict(Box::new(s)))
                }
            },
        }
    });
}

#[component]
pub fn SandboxesPage() -> Html {
    use_title("Sandboxes");
    let store = use_store_watch();
    let new_name = use_state(String::new);
    let create_error = use_state(|| None::<String>);
    let renaming = use_state(|| None::<(String, String)>);
    let import = use_state(|| Import::Idle);
    let drag = use_state(|| false);
    let shared = use_state(|| None::<Result<Shared, String>>);
    // A shared sandbox arrives as `#/sandboxes?z=…`: shown as a preview, saved only on
    // request; one with a single tool opens that tool.
    let location = crate::app::router::use_location();
    let (payload, visit) = (location.query, location.visit);
    // The reading of the address whose preview was saved or dismissed: the same link opened
    // again (a new reading) shows its preview again.
    let preview_closed = use_state(|| None::<u32>);
    let preview = use_memo(payload, |q| {
        crate::core::urlcodec::pairs(q)
            .find(|(k, _)| *k == "z")
            .map(|(_, v)| sandbox::from_link(v))
    });
    // A shared sandbox of one tool opens that tool directly, with the shared settings (not
    // saved: the tool page is a link's view until the visitor edits it).
    use_effect_with(preview.clone(), |preview| {
        if let Some(Ok(sb)) = preview.as_ref() {
            if let (1, Some(id)) = (sb.tools.len(), sb.tools.keys().next()) {
                // The readable form: the tool's page would unpack a short one at once, and
                // this one opens in every browser (docs/size.md).
                let query = sb.tool_query(id);
                let url = format!("{}#/{id}?{query}", crate::platform::url::base());
                if let Some(w) = web_sys::window() {
                    let _ = w.location().replace(&url);
                }
            }
        }
    });
    let Some(store) = store else {
        return html! {};
    };
    let list = store.list();
    let active = store.active_id().unwrap_or_default();

    let on_create = {
        let (store, new_name, create_error) =
            (store.clone(), new_name.clone(), create_error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match store.create(&new_name) {
                Ok(()) => {
                    new_name.set(String::new());
                    create_error.set(None);
                }
                Err(e) => create_error.set(Some(e)),
            }
        })
    };
    let on_file = {
        let (store, import) = (store.clone(), import.clone());
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(file) = input
                .as_ref()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            {
                read_file(file, store.clone(), import.clone());
            }
            if let Some(i) = input {
                i.set_value("");
            }
        })
    };
    let on_drop = {
        let (store, import, drag) = (store.clone(), import.clone(), drag.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                read_file(file, store.clone(), import.clone());
            }
        })
    };
    let on_drag_over = {
        let drag = drag.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            drag.set(true);
        })
    };
    let on_drag_leave = {
        let drag = drag.clone();
        Callback::from(move |_: DragEvent| drag.set(false))
    };

    let row = |s: &Sandbox| {
        let id = s.id.clone();
        let is_active = id == active;
        let editing = renaming
            .as_ref()
            .filter(|(rid, _)| *rid == id)
            .map(|(_, t)| t.clone());
        let open = {
            let (store, id) = (store.clone(), id.clone());
            Callback::from(move |_| store.open(&id))
        };
        let duplicate = {
            let (store, id) = (store.clone(), id.clone());
            Callback::from(move |_| store.duplicate(&id))
        };
        let delete = {
            let (store, id) = (store.clone(), id.clone());
            Callback::from(move |_| store.delete(&id))
        };
        let start_rename = {
            let (renaming, id, name) = (renaming.clone(), id.clone(), s.name.clone());
            Callback::from(move |_| renaming.set(Some((id.clone(), name.clone()))))
        };
        let sb = s.clone();
        html! {
            <li class={classes!("sandbox-row", is_active.then_some("active"))} data-testid="sandbox-row" key={id.clone()}>
                if let Some(text) = editing {
                    <form class="toolbar" onsubmit={{
                        let (store, renaming, id, text) = (store.clone(), renaming.clone(), id.clone(), text.clone());
                        Callback::from(move |e: SubmitEvent| {
                            e.prevent_default();
                            if store.rename(&id, &text).is_ok() { renaming.set(None); }
                        })
                    }}>
                        <label class="visually-hidden" for="rename-input">{ "New name" }</label>
                        <input id="rename-input" type="text" value={text.clone()} data-testid="rename-input" maxlength="80"
                            oninput={{ let (renaming, id) = (renaming.clone(), id.clone()); Callback::from(move |e: InputEvent| renaming.set(Some((id.clone(), input_value(&e))))) }} />
                        <button type="submit" class="small" data-testid="rename-save">{ "Save name" }</button>
                        if sandbox::clean_name(&text).is_err() {
                            <span class="error" role="status">{ sandbox::clean_name(&text).err().unwrap_or_default() }</span>
                        }
                    </form>
                } else {
                    <div class="sandbox-title">
                        <strong data-testid="sandbox-name">{ &s.name }</strong>
                        if is_active { <span class="badge" data-testid="sandbox-active">{ "open" }</span> }
                        <span class="muted">{ format!(" · {} tool(s) · last opened {}", s.tools.len(), when(s.opened)) }</span>
                    </div>
                }
                <div class="toolbar">
                    if !is_active { <button type="button" class="small" onclick={open} data-testid="open">{ "Open" }</button> }
                    <button type="button" class="small" onclick={start_rename} data-testid="rename">{ "Rename" }</button>
                    <button type="button" class="small" onclick={duplicate} data-testid="duplicate">{ "Duplicate" }</button>
                    <button type="button" class="small" onclick={Callback::from(move |_| export(&sb))} data-testid="export">{ "Export" }</button>
                    <button type="button" class="small" data-testid="share" onclick={{
                        let (shared, sb) = (shared.clone(), s.clone());
                        Callback::from(move |_| match sandbox::to_link(&sb) {
                            Ok(z) => {
                                let href = crate::platform::url::with_fragment_query("");
                                let link = format!("{href}?z={z}");
                                let (done, url) = (shared.clone(), link.clone());
                                files::copy_text(&link, move |copied| done.set(Some(Ok(Shared { url, copied }))));
                                shared.set(Some(Ok(Shared { url: link, copied: false })));
                            }
                            Err(e) => shared.set(Some(Err(e))),
                        })
                    }}>{ "Share link" }</button>
                    if !is_active { <button type="button" class="small danger" onclick={delete} data-testid="delete">{ "Delete" }</button> }
                </div>
            </li>
        }
    };

    html! {
        <article class="page tool sandboxes" data-testid="tool-page-sandboxes">
            <header class="page-header"><h1 data-testid="page-title">{ "Sandboxes" }</h1></header>
            <p class="lede">{ "A sandbox keeps the state of every calculator. The open one saves itself as you work; it lives in this browser only, so export it to keep a copy or move it." }</p>
            if let Status::Memory(e) | Status::Failed(e) = store.status() {
                <p class="banner-error" role="alert" data-testid="storage-error">{ e }{ " Use Export to keep a copy in a file." }</p>
            }
            if !store.notices().is_empty() {
                <ul class="error-list" data-testid="storage-notices">{ for store.notices().iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
            if let Some(name) = store.undo_available() {
                <p class="finding warning" role="status">{ format!("Deleted “{name}”. ") }
                    <button type="button" class="small" data-testid="undo-delete" onclick={{ let store = store.clone(); Callback::from(move |_| store.undo_delete()) }}>{ "Undo" }</button></p>
            }
            if *preview_closed != Some(visit) {
                { match &*preview {
                    None => html! {},
                    Some(Err(e)) => html! { <p class="banner-error" role="alert" data-testid="shared-error">{ format!("This shared sandbox could not be opened. {e}") }</p> },
                    Some(Ok(sb)) => {
                        let save = {
                            let (store, sb, closed) = (store.clone(), sb.clone(), preview_closed.clone());
                            Callback::from(move |_| {
                                store.import_copy(&sb);
                                crate::platform::url::replace_fragment_query("");
                                closed.set(Some(visit));
                            })
                        };
                        let dismiss = {
                            let closed = preview_closed.clone();
                            Callback::from(move |_| {
                                crate::platform::url::replace_fragment_query("");
                                closed.set(Some(visit));
                            })
                        };
                        html! {
                            <section class="panel card-panel preview" aria-labelledby="sb-preview" data-testid="shared-preview">
                                <h2 id="sb-preview">{ format!("Shared with you: “{}”", sb.name) }</h2>
                                <p>{ "A preview: nothing is saved in this browser unless you choose to. Open a tool to see its settings." }</p>
                                <ul>
                                    { for sb.tools.keys().map(|id| {
                                        let title = crate::core::tools::by_id(id).map(|t| t.title).unwrap_or("tool");
                                        html! { <li><a href={format!("#/{id}?{}", sb.tool_query(id))} data-testid={format!("preview-open-{id}")}>{ title }</a></li> }
                                    }) }
                                </ul>
                                if sb.tools.is_empty() { <p class="muted">{ "It holds no tool settings yet." }</p> }
                                <div class="toolbar">
                                    <button type="button" onclick={save} data-testid="shared-save">{ "Save to my sandboxes" }</button>
                                    <button type="button" class="small" onclick={dismiss} data-testid="shared-dismiss">{ "Dismiss" }</button>
                                </div>
                            </section>
                        }
                    }
                } }
            }
            { match &*shared {
                None => html! {},
                Some(Ok(link)) => html! { <p class="finding" role="status" data-testid="share-message">{ "Share link (the sandbox travels inside it; nothing is uploaded): " }<code class="share-link" data-testid="share-link">{ &link.url }</code>{ if link.copied { " — copied." } else { "" } }</p> },
                Some(Err(e)) => html! { <p class="banner-error" role="status" data-testid="share-message">{ e }</p> },
            } }
            <section class="panel card-panel" aria-labelledby="sb-list">
                <h2 id="sb-list">{ "Your sandboxes" }</h2>
                <ul class="sandbox-list" data-testid="sandbox-list">{ for list.iter().map(row) }</ul>
                <form class="toolbar" onsubmit={on_create}>
                    <div class="field narrow">
                        <label for="new-name">{ "New sandbox" }</label>
                        <input id="new-name" type="text" maxlength="80" placeholder="Week 3: VPCs" value={(*new_name).clone()} data-testid="new-name"
                            oninput={{ let new_name = new_name.clone(); Callback::from(move |e: InputEvent| new_name.set(input_value(&e))) }} />
                    </div>
                    <button type="submit" data-testid="create-sandbox">{ "Create and open" }</button>
                </form>
                if let Some(e) = &*create_error { <p class="error" role="status" data-testid="create-error">{ e }</p> }
            </section>
            <section class="panel card-panel" aria-labelledby="sb-import">
                <h2 id="sb-import">{ "Import" }</h2>
                <div class={classes!("drop-zone", drag.then_some("over"))} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave} data-testid="drop-zone">
                    <label for="import-file">{ "Choose a sandbox file (.json) or drop it here" }</label>
                    <input id="import-file" type="file" accept="application/json,.json" onchange={on_file} data-testid="import-file" />
                </div>
                { match &*import {
                    Import::Idle => html! {},
                    Import::Done(m) => html! { <p class="finding" role="status" data-testid="import-message">{ m }</p> },
                    Import::Failed(m) => html! { <p class="banner-error" role="status" data-testid="import-message">{ m }</p> },
                    Import::Conflict(s) => {
                        let (replace, keep, cancel) = {
                            let (st, i, s1) = (store.clone(), import.clone(), (**s).clone());
                            let (st2, i2, s2) = (store.clone(), import.clone(), (**s).clone());
                            let i3 = import.clone();
                            (
                                Callback::from(move |_| { let _ = st.import(s1.clone(), true); i.set(Import::Done(format!("Replaced “{}” with the file.", s1.name))); }),
                                Callback::from(move |_| { st2.import_copy(&s2); i2.set(Import::Done(format!("Imported “{}” as a copy.", s2.name))); }),
                                Callback::from(move |_| i3.set(Import::Idle)),
                            )
                        };
                        html! {
                            <div class="finding warning" role="alert" data-testid="import-conflict">
                                <p>{ format!("You already have this sandbox (“{}”). Replace it with the file, or keep both?", s.name) }</p>
                                <div class="toolbar">
                                    <button type="button" class="small" onclick={replace} data-testid="import-replace">{ "Replace" }</button>
                                    <button type="button" class="small" onclick={keep} data-testid="import-keep">{ "Keep both" }</button>
                                    <button type="button" class="small" onclick={cancel} data-testid="import-cancel">{ "Cancel" }</button>
                                </div>
                            </div>
                        }
                    }
                } }
            </section>
        </article>
    }
}
