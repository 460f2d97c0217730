//! The `embed` helper module: the Embed panel's options and code
//! (`stratus::app::components::embed::EmbedPanel`), which every tool page's Embed button
//! mounts into its panel the first time it opens (`HelperSlot` in
//! `src/app/components/helper_slot.rs`), through index.html's `stratusHelper("embed")`. The
//! page sends the tool's registry id and the panel's opening number; the panel reads the
//! page's settings from the address each time it draws.

#[cfg(target_arch = "wasm32")]
mod panel {
    use std::rc::Rc;
    use stratus::app::components::embed::{EmbedPanel, EmbedPanelProps};
    use wasm_bindgen::prelude::*;
    use yew::{AppHandle, Renderer};

    /// One mounted panel: the page updates it and takes it down.
    #[wasm_bindgen]
    pub struct PanelHandle {
        app: Option<AppHandle<EmbedPanel>>,
    }

    /// Starts the panel in `root` with the page's `input` (`EmbedPanelProps::input`: the
    /// tool's registry id and the panel's opening number). It sends no answers:
    /// `_emit` is part of the mount protocol every helper part shares.
    #[wasm_bindgen]
    pub fn mount(root: web_sys::Element, input: &str, _emit: js_sys::Function) -> PanelHandle {
        stratus::app::helper_app::leave_the_page_its_trees();
        let props = EmbedPanelProps {
            input: Rc::new(input.to_string()),
        };
        PanelHandle {
            app: Some(Renderer::<EmbedPanel>::with_root_and_props(root, props).render()),
        }
    }

    #[wasm_bindgen]
    impl PanelHandle {
        /// The page's new input: the panel opened again, and draws itself again.
        pub fn update(&mut self, input: &str) {
            if let Some(app) = &mut self.app {
                app.update(EmbedPanelProps {
                    input: Rc::new(input.to_string()),
                });
            }
        }

        /// Takes the panel down (the page closed it).
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
    eprintln!("The Embed panel runs in the browser, loaded by a tool page (see README.md).");
    std::process::exit(2);
}
