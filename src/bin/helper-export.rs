//! The `export` helper module: no page of its own, loaded on demand by index.html's
//! `stratusHelper("export")` when a page first shows an export that needs the whole EC2
//! network model (the CIDR planner's plan tab, the VPC builder's Terraform and
//! CloudFormation panel). Its functions wrap `core::views::vpc::exports`, JSON in and out.

#[cfg(target_arch = "wasm32")]
mod exports {
    use stratus::core::views::vpc::exports;
    use wasm_bindgen::prelude::*;

    /// A plan's builder link, Terraform and CloudFormation (`exports::plan_exports`).
    #[wasm_bindgen]
    pub fn plan_exports(state: &str) -> String {
        exports::plan_exports(state)
    }

    /// A design as Terraform (`tf`) or CloudFormation (`cfn`) (`exports::network_export`).
    #[wasm_bindgen]
    pub fn network_export(network: &str, format: &str) -> String {
        exports::network_export(network, format)
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The export helper runs in the browser, loaded by the app's pages (see README.md).");
    std::process::exit(2);
}
