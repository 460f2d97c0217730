//! The app is split into wasm modules so a visit loads only what its route needs: the shell
//! (home, coming-soon and not-found pages), the sandboxes page and one module per tool.
//! Each binary in `src/bin` starts the same app with one [`Module`]; index.html's loader
//! picks the binary from the route, and a route of another module reloads the page into it
//! (after saving). Pages a binary does not name are not linked into it.

use crate::app::pages;
use yew::prelude::*;

/// A module: its name (as in the tool registry) and the pages it renders. `view("")` is the
/// home page; `None` means "not a page of this module".
#[derive(Clone, Copy)]
pub struct Module {
    pub name: &'static str,
    pub view: fn(&str) -> Option<Html>,
}

impl Module {
    /// Whether this module renders the route `id` ("" for home).
    pub fn serves(&self, id: &str) -> bool {
        // "" (home) and unknown ids belong to the shell.
        self.name == ALL.name || self.name == crate::core::tools::module_of(id)
    }
}

/// The shell draws the home page, coming-soon pages and the not-found page (any id that is
/// no tool's), so that tool modules carry none of them.
fn shell(id: &str) -> Option<Html> {
    use crate::core::tools::{by_id, Status};
    match by_id(id) {
        _ if id.is_empty() => Some(html! { <pages::home::HomePage /> }),
        // Such a tool's module is the shell (a test in core::tools checks it).
        Some(tool) if tool.status == Status::ComingSoon => {
            Some(html! { <pages::home::ComingSoon {tool} /> })
        }
        Some(_) => None,
        None => Some(html! { <pages::not_found::NotFoundPage /> }),
    }
}

pub const SHELL: Module = Module {
    name: crate::core::tools::SHELL,
    view: shell,
};

/// The sandboxes page (`#/sandboxes`): managing, importing and sharing sandboxes. A module
/// of its own, since its page, file import and share-link writer weigh ~11% of the shell.
pub const SANDBOXES: Module = Module {
    name: "sandboxes",
    view: |id| (id == "sandboxes").then(|| html! { <pages::sandboxes::SandboxesPage /> }),
};

pub const CIDR: Module = Module {
    name: "cidr",
    view: |id| (id == "cidr").then(|| html! { <pages::cidr::CidrPage /> }),
};

pub const DYNAMODB: Module = Module {
    name: "dynamodb",
    view: |id| (id == "dynamodb").then(|| html! { <pages::dynamodb::DynamoDbPage /> }),
};

pub const LAMBDA: Module = Module {
    name: "lambda",
    view: |id| (id == "lambda").then(|| html! { <pages::lambda::LambdaPage /> }),
};

pub const DRIVE: Module = Module {
    name: "drive",
    view: |id| {
        (id == "drive-failure").then(|| html! { <pages::drive_failure::DriveFailurePage /> })
    },
};

pub const VPC: Module = Module {
    name: "vpc",
    view: |id| (id == "vpc").then(|| html! { <pages::vpc::VpcPage /> }),
};

pub const IAM: Module = Module {
    name: "iam",
    view: |id| (id == "iam").then(|| html! { <pages::iam::IamPage /> }),
};

pub const FLOW: Module = Module {
    name: "flow",
    view: |id| (id == "flow").then(|| html! { <pages::flow::FlowPage /> }),
};

pub const CONSOLE: Module = Module {
    name: "console",
    view: |id| (id == "console").then(|| html! { <pages::console::ConsolePage /> }),
};

/// Every page in one module, for the in-browser tests (tests/web.rs), which mount the app
/// directly. No binary uses it.
pub const ALL: Module = Module {
    name: "all",
    view: |id| {
        [
            SHELL, SANDBOXES, CIDR, DYNAMODB, LAMBDA, DRIVE, VPC, IAM, FLOW, CONSOLE,
        ]
        .iter()
        .find_map(|m| (m.view)(id))
    },
};

thread_local! {
    static CURRENT: std::cell::Cell<Option<Module>> = const { std::cell::Cell::new(None) };
}

/// Sets the module this binary is (before the app renders).
pub fn set_current(m: Module) {
    CURRENT.with(|c| c.set(Some(m)));
}

/// The module this binary is (`app::start` sets it before the first render). Until then, a
/// shell that renders nothing: naming [`SHELL`] here would link the home page into every
/// module.
pub fn current() -> Module {
    CURRENT.with(|c| c.get()).unwrap_or(Module {
        name: crate::core::tools::SHELL,
        view: |_| None,
    })
}
