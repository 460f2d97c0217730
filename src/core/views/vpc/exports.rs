//! The exports that need the whole EC2 network model, served by the `export` helper module
//! (`src/bin/helper-export.rs`) so that the pages showing them do not carry the model in
//! their first load (docs/size.md, "Cut: exports in a helper module").
//!
//! Both sides speak JSON strings: the page sends its state, the helper answers with the
//! texts. Every function here is plain Rust, tested natively; the helper only wraps them.

use super::plan as vpc_plan;
use crate::core::cidr::plan::plan;
use crate::core::cidr::share::PlanState;
use crate::core::services::ec2::network::export;
use crate::core::services::ec2::network::model::Network;
use serde::{Deserialize, Serialize};

/// The helper's name in index.html's table of helper modules (`window.stratusHelpers`).
pub const HELPER: &str = "export";

/// What the CIDR planner shows for a plan that builds as a network: the VPC builder's link
/// query, and the network as Terraform and as CloudFormation. Each is `Err` with the reason
/// when the plan cannot be built (the EC2 call that refused, or the plan's own errors).
/// The plan's JSON export (`Plan::to_json`) comes along: it needs no network, but its
/// pretty-printed serializer is code the planner's first load then does without.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanExports {
    pub builder: Result<String, String>,
    pub terraform: Result<String, String>,
    pub cloudformation: Result<String, String>,
    pub json: Result<String, String>,
}

/// The helper's `plan_exports`: `state` is a [`PlanState`] as JSON; the answer is a
/// [`PlanExports`] as JSON. Never panics: unreadable input is an `Err` in every field.
pub fn plan_exports(state: &str) -> String {
    let exports = match serde_json::from_str::<PlanState>(state)
        .map_err(|e| format!("The plan could not be read: {e}"))
        .and_then(|s| {
            s.to_input()
                .and_then(|i| plan(&i))
                .map_err(|errors| errors.join(" "))
        }) {
        Ok(p) => PlanExports {
            builder: vpc_plan::builder_query(&p),
            terraform: vpc_plan::terraform(&p),
            cloudformation: vpc_plan::cloudformation(&p),
            json: Ok(p.to_json()),
        },
        Err(e) => PlanExports {
            builder: Err(e.clone()),
            terraform: Err(e.clone()),
            cloudformation: Err(e.clone()),
            json: Err(e),
        },
    };
    serde_json::to_string(&exports).unwrap_or_default()
}

/// Reads the helper's answer to [`plan_exports`]; `Err` names what was wrong with it.
pub fn read_plan_exports(answer: &str) -> Result<PlanExports, String> {
    serde_json::from_str(answer)
        .map_err(|e| format!("The export helper's answer could not be read: {e}"))
}

/// The formats [`network_export`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terraform,
    CloudFormation,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Terraform, Format::CloudFormation];

    /// The name the page sends: `tf` or `cfn`.
    pub fn id(self) -> &'static str {
        match self {
            Format::Terraform => "tf",
            Format::CloudFormation => "cfn",
        }
    }

    /// The format named `id` ([`Format::id`]).
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// The helper's `network_export`: `network` is a [`Network`] as JSON (as the VPC builder
/// saves it), `format` is `tf` or `cfn` ([`Format::id`]). The answer is a
/// `Result<String, String>` as JSON: the text, or why there is none.
pub fn network_export(network: &str, format: &str) -> String {
    let text = serde_json::from_str::<Network>(network)
        .map_err(|e| format!("The design could not be read: {e}"))
        .and_then(|n| match Format::from_id(format) {
            Some(Format::Terraform) => Ok(export::terraform(&n)),
            Some(Format::CloudFormation) => Ok(export::cloudformation(&n)),
            None => Err(format!("No export format {format:?} (tf or cfn).")),
        });
    serde_json::to_string(&text).unwrap_or_default()
}

/// Reads the helper's answer to [`network_export`].
pub fn read_network_export(answer: &str) -> Result<String, String> {
    serde_json::from_str::<Result<String, String>>(answer)
        .map_err(|e| format!("The export helper's answer could not be read: {e}"))
        .and_then(|r| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::templates::TEMPLATES;

    #[test]
    fn a_plan_exports_what_the_planner_built_directly() {
        // The oracle: the same calls made in one module, as the page made them before.
        let state = PlanState::default();
        let p = plan(&state.to_input().unwrap()).unwrap();
        let got =
            read_plan_exports(&plan_exports(&serde_json::to_string(&state).unwrap())).unwrap();
        assert_eq!(got.builder, vpc_plan::builder_query(&p));
        assert_eq!(got.terraform, vpc_plan::terraform(&p));
        assert_eq!(got.cloudformation, vpc_plan::cloudformation(&p));
        assert_eq!(got.json, Ok(p.to_json()));
        assert!(got.terraform.unwrap().contains("resource \"aws_vpc\""));
    }

    #[test]
    fn a_plan_that_does_not_build_says_why_in_every_field() {
        let state = PlanState {
            vpc: "10.0.0.0/33".into(),
            ..PlanState::default()
        };
        let got =
            read_plan_exports(&plan_exports(&serde_json::to_string(&state).unwrap())).unwrap();
        let why = got.builder.unwrap_err();
        assert!(why.contains("/0 to /32"), "{why}");
        assert_eq!(got.terraform, Err(why.clone()));
        assert_eq!(got.cloudformation, Err(why.clone()));
        assert_eq!(got.json, Err(why));
        let bad = read_plan_exports(&plan_exports("{not json")).unwrap();
        assert!(bad
            .terraform
            .unwrap_err()
            .starts_with("The plan could not be read"));
        assert!(read_plan_exports("").is_err());
    }

    #[test]
    fn every_template_exports_what_the_exporter_writes() {
        for (id, _) in TEMPLATES {
            let n = crate::core::views::vpc::state::template(id);
            let json = serde_json::to_string(&n).unwrap();
            assert_eq!(
                read_network_export(&network_export(&json, "tf")),
                Ok(export::terraform(&n)),
                "{id}"
            );
            assert_eq!(
                read_network_export(&network_export(&json, Format::CloudFormation.id())),
                Ok(export::cloudformation(&n)),
                "{id}"
            );
        }
        assert!(read_network_export(&network_export("{}", "yaml")).is_err());
        assert!(read_network_export(&network_export("[", "tf"))
            .unwrap_err()
            .starts_with("The design could not be read"));
    }
}
