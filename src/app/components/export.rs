//! Text the user can take away: shown read-only, copyable and downloadable.

use crate::platform::files;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportBoxProps {
    /// Used in test ids: `export-{id}`.
    pub id: AttrValue,
    pub label: AttrValue,
    pub filename: AttrValue,
    pub mime: AttrValue,
    pub text: AttrValue,
    /// Set while the text is being written elsewhere (a helper module): the text is a
    /// placeholder, so Copy and Download wait.
    #[prop_or_default]
    pub busy: bool,
}

#[component]
pub fn ExportBox(props: &ExportBoxProps) -> Html {
    let status = use_state(String::new);
    let on_copy = {
        let text = props.text.to_string();
        let status = status.clone();
        Callback::from(move |_| {
            let status = status.clone();
            files::copy_text(&text, move |ok| {
                status.set(if ok {
                    "Copied.".into()
                } else {
                    "Copy failed; select the text and copy it by hand.".into()
                })
            });
        })
    };
    let on_download = {
        let (name, mime, text) = (
            props.filename.to_string(),
            props.mime.to_string(),
            props.text.to_string(),
        );
        let status = status.clone();
        Callback::from(move |_| {
            status.set(match files::download(&name, &mime, &text) {
                Ok(()) => format!("Saved as {name}."),
                Err(_) => "The browser refused the download; copy the text instead.".into(),
            })
        })
    };
    let area_id = format!("export-{}", props.id);
    html! {
        <div class="export">
            <div class="export-bar">
                <label for={area_id.clone()}>{ &props.label }</label>
                <button type="button" class="small" onclick={on_copy} disabled={props.busy} data-testid={format!("export-{}-copy", props.id)}>{ "Copy" }</button>
                <button type="button" class="small" onclick={on_download} disabled={props.busy} data-testid={format!("export-{}-download", props.id)}>{ "Download" }</button>
                <span role="status" class="muted">{ (*status).clone() }</span>
            </div>
            <textarea id={area_id} readonly=true rows="12" aria-busy={if props.busy { "true" } else { "false" }} spellcheck="false" data-testid={format!("export-{}", props.id)} value={props.text.clone()} />
        </div>
    }
}
