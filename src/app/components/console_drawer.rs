//! The `aws` console as a drawer on a service page: a button in the page's actions opens
//! the console page's embed (`#/embed/console?…`) in a frame along the bottom of the
//! window, started on what the page shows (the VPC builder's design, the flow template's
//! resources). The frame runs the console's own module, so a page with the drawer carries
//! none of the console's code; what is typed there is a scratch session (the full page,
//! one link away, keeps it in the sandbox).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleDrawerProps {
    /// The console's link query (`v=1&s=…`) for this page's resources; empty for the
    /// console's defaults. Made short (`platform::pack`) when the drawer opens.
    #[prop_or_default]
    pub query: AttrValue,
}

#[component]
pub fn ConsoleDrawer(p: &ConsoleDrawerProps) -> Html {
    // The query the frame was opened with: later edits on the page do not reload a
    // session being typed in.
    let opened = use_state(|| None::<AttrValue>);
    // Set while the link is being packed: more clicks meanwhile change nothing.
    let opening = use_mut_ref(|| false);
    let button = use_node_ref();
    let toggle = {
        let (opened, query) = (opened.clone(), p.query.clone());
        Callback::from(move |_: MouseEvent| match *opened {
            Some(_) => opened.set(None),
            None if *opening.borrow() => {}
            None => {
                *opening.borrow_mut() = true;
                let (opened, opening) = (opened.clone(), opening.clone());
                crate::platform::pack::compact(query.to_string(), move |short| {
                    *opening.borrow_mut() = false;
                    opened.set(Some(short.into()))
                });
            }
        })
    };
    let close = {
        let (opened, button) = (opened.clone(), button.clone());
        move || {
            opened.set(None);
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        }
    };
    let on_close = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close())
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            close();
        }
    });
    let link = |q: &str| {
        if q.is_empty() {
            "#/console".to_string()
        } else {
            format!("#/console?{q}")
        }
    };
    // Only the terminal and what it acts on (the embed's `section`).
    let embed = |q: &str| {
        if q.is_empty() {
            "#/embed/console?section=terminal".to_string()
        } else {
            format!("#/embed/console?{q}&section=terminal")
        }
    };
    html! {
        <>
            <button type="button" class="small console-drawer-button" ref={button} onclick={toggle}
                aria-expanded={opened.is_some().to_string()} aria-controls={opened.is_some().then_some("console-drawer")}
                title="The AWS CLI console on this page's resources" data-testid="console-drawer-open">{ "Console" }</button>
            if let Some(q) = &*opened {
                <aside class="console-drawer" id="console-drawer" aria-label="AWS CLI console" onkeydown={on_key} data-testid="console-drawer">
                    <div class="console-drawer-bar">
                        <strong>{ "AWS CLI console" }</strong>
                        <span class="hint">{ "on this page's resources, as they were when opened; a scratch session" }</span>
                        <a href={link(q)} data-testid="console-drawer-page">{ "Open as a page (kept in the sandbox)" }</a>
                        <button type="button" class="small" onclick={on_close} data-testid="console-drawer-close">{ "Close" }</button>
                    </div>
                    <iframe src={embed(q)} title="AWS CLI console" data-testid="console-drawer-frame"></iframe>
                </aside>
            }
        </>
    }
}
