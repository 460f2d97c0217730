//! A tool's page. Built tools render their own view; planned ones say honestly that they
//! are coming and what they will do, with no sample output.

use super::home::StatusBadge;
use super::not_found::NotFoundPage;
use crate::app::components::nav_link::NavLink;
use crate::app::{use_title, Route};
use crate::core::tools::{self, Tool};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolPageProps {
    pub id: String,
}

#[component]
pub fn ToolPage(props: &ToolPageProps) -> Html {
    #[cfg(feature = "test-hooks")]
    if props.id == "__panic" {
        panic!("deliberate panic from the test-only route #/__panic");
    }
    match tools::by_id(&props.id) {
        Some(tool) if tool.id == "cidr" => html! { <super::cidr::CidrPage /> },
        Some(tool) if tool.id == "drive-failure" => {
            html! { <super::drive_failure::DriveFailurePage /> }
        }
        Some(tool) if tool.id == "lambda" => html! { <super::lambda::LambdaPage /> },
        Some(tool) if tool.id == "dynamodb" => html! { <super::dynamodb::DynamoDbPage /> },
        Some(tool) if tool.id == "sandboxes" => html! { <super::sandboxes::SandboxesPage /> },
        Some(tool) if tool.id == "vpc" => html! { <super::vpc::VpcPage /> },
        // Every other registered tool is still planned.
        Some(tool) => html! { <ComingSoon {tool} /> },
        None => html! { <NotFoundPage /> },
    }
}

#[derive(Properties, PartialEq)]
struct ComingSoonProps {
    tool: &'static Tool,
}

#[component]
fn ComingSoon(props: &ComingSoonProps) -> Html {
    let tool = props.tool;
    use_title(tool.title);
    html! {
        <article class="page tool-page" data-testid={format!("tool-page-{}", tool.id)}>
            <header class="page-header">
                <h1 data-testid="page-title">{ tool.title }</h1>
                <StatusBadge status={tool.status} />
            </header>
            <p class="lede">{ tool.tagline }</p>
            <div class="notice" role="note">
                <h2>{ "This tool is not built yet" }</h2>
                <p>
                    { "It is on the way. Until it lands, this page shows no numbers at all \
                       rather than made-up ones." }
                </p>
            </div>
            <h2>{ "What it will let you do" }</h2>
            <ul class="capabilities">
                { for tool.capabilities.iter().map(|line| html! { <li>{ *line }</li> }) }
            </ul>
            <p><NavLink to={Route::Home}>{ "Back to all tools" }</NavLink></p>
        </article>
    }
}
