//! The `vpc-editor` helper module: the VPC builder's inspector and create form
//! (`stratus::app::pages::vpc::editor`), which the builder mounts into its two editor places
//! once it has drawn itself (`EditorSlot` in `src/app/pages/vpc.rs`), through index.html's
//! `stratusHelper("vpc-editor")`. The page and the module speak text
//! (`stratus::core::views::vpc::editor`): the shown network and selection in, the new
//! network, a refusal or a resource to open out.

#[cfg(target_arch = "wasm32")]
mod editor {
    use std::rc::Rc;
    use stratus::app::pages::vpc::editor::{Editor, EditorProps};
    use stratus::core::views::vpc::editor::{read_input, EditorEvent};
    use wasm_bindgen::prelude::*;
    use yew::{AppHandle, Callback, Renderer};

    /// One mounted editor place: the page updates it and takes it down.
    #[wasm_bindgen]
    pub struct EditorHandle {
        app: Option<AppHandle<Editor>>,
        emit: Callback<EditorEvent>,
    }

    /// Starts an editor in `root` with the page's input (`editor::input_json`); its answers
    /// go to `emit` as text (`EditorEvent::encode`).
    #[wasm_bindgen]
    pub fn mount(root: web_sys::Element, input: &str, emit: js_sys::Function) -> EditorHandle {
        stratus::app::helper_app::leave_the_page_its_trees();
        let emit = Callback::from(move |e: EditorEvent| {
            let _ = emit.call1(&JsValue::NULL, &JsValue::from_str(&e.encode()));
        });
        let props = EditorProps {
            input: Rc::new(read_input(input)),
            emit: emit.clone(),
        };
        EditorHandle {
            app: Some(Renderer::<Editor>::with_root_and_props(root, props).render()),
            emit,
        }
    }

    #[wasm_bindgen]
    impl EditorHandle {
        /// The page's new input: the editor draws it, keeping what the user has typed.
        pub fn update(&mut self, input: &str) {
            if let Some(app) = &mut self.app {
                app.update(EditorProps {
                    input: Rc::new(read_input(input)),
                    emit: self.emit.clone(),
                });
            }
        }

        /// Takes the editor down (the page closed its place).
        pub fn destroy(&mut self) {
            if let Some(app) = self.app.take() {
                app.destroy();
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The VPC editor runs in the browser, loaded by the VPC builder (see README.md).");
    std::process::exit(2);
}
