//! The home page: what Stratus is, and a card for every tool in the registry; and the page of
//! a registered tool without a page yet. Both read the tools' texts (`tools::ABOUT`), which
//! only the shell's module carries.

use crate::app::components::nav_link::NavLink;
use crate::app::{use_title, Route};
use crate::core::tools::{about, in_category, Category, Status, Tool};
use yew::prelude::*;

#[component]
pub fn HomePage() -> Html {
    use_title("");
    html! {
        <div class="page home">
            <section class="hero" aria-labelledby="home-title">
                <h1 id="home-title">{ "Learn AWS by trying it, right in your browser" }</h1>
                <p class="lede">
                    { "Stratus is a playground for the ideas behind Amazon Web Services. Its \
                       calculators work out subnets, capacity units, costs and failure odds and \
                       show every step; its service models let you build a network and ask why a \
                       packet was dropped. No account, no install, no bill." }
                </p>
            </section>

            <section class="path" aria-labelledby="path-title" data-testid="first-hour">
                <h2 id="path-title">{ "Your first hour" }</h2>
                <p class="muted">{ "New here? Follow the course: each step opens a tool on its example." }</p>
                <ol class="path-steps">
                    { for crate::core::path::FIRST_HOUR.iter().enumerate().map(|(i, step)| html! {
                        <li>
                            <a href={step.href()} data-testid={format!("path-step-{}", i + 1)}>{ step.title }</a>
                            <span class="muted">{ format!(" — {}", step.text) }</span>
                        </li>
                    }) }
                </ol>
            </section>

            { for Category::ALL.into_iter().map(category_section) }

            <section class="about" aria-labelledby="about-title">
                <h2 id="about-title">{ "How Stratus works" }</h2>
                <ul class="facts">
                    <li>
                        <strong>{ "Private by design. " }</strong>
                        { "Everything is computed on your device. The app loads its own files and \
                           makes no other network request, so it also works on a lecture-hall \
                           network that has none." }
                    </li>
                    <li>
                        <strong>{ "Shows its work. " }</strong>
                        { "The tools are built so that every figure opens up into the steps \
                           that produced it, naming the AWS rule or dated price table it used." }
                    </li>
                    <li>
                        <strong>{ "Made for the classroom. " }</strong>
                        { "Presenter mode enlarges everything for a projector, and the theme \
                           follows your system or your choice." }
                    </li>
                </ul>
            </section>
        </div>
    }
}

fn category_section(category: Category) -> Html {
    let heading_id = format!("category-{category:?}").to_ascii_lowercase();
    html! {
        <section class="category" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>{ category.heading() }</h2>
            <ul class="cards">
                { for in_category(category).map(tool_card) }
            </ul>
        </section>
    }
}

fn tool_card(tool: &'static Tool) -> Html {
    html! {
        <li class="card" key={tool.id} data-testid={format!("tool-card-{}", tool.id)}>
            <h3>
                <NavLink to={Route::Tool { id: tool.id.to_string() }} class="card-link">
                    { tool.title }
                </NavLink>
            </h3>
            <p>{ about(tool.id).map(|a| a.tagline).unwrap_or_default() }</p>
            <StatusBadge status={tool.status} />
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusBadgeProps {
    pub status: Status,
}

/// "Coming soon" or "Ready", in words (colour is never the only signal).
#[component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    let (class, text) = match props.status {
        Status::Available => ("badge badge-ready", "Ready"),
        Status::ComingSoon => ("badge badge-soon", "Coming soon"),
    };
    html! { <span class={class} data-testid="tool-status">{ text }</span> }
}

#[derive(Properties, PartialEq)]
pub struct ComingSoonProps {
    pub tool: &'static Tool,
}

/// A registered tool without a page yet: an honest "coming soon" that describes it and
/// shows no numbers at all.
#[component]
pub fn ComingSoon(props: &ComingSoonProps) -> Html {
    let tool = props.tool;
    let about = about(tool.id);
    use_title(tool.title);
    html! {
        <article class="page tool-page" data-testid={format!("tool-page-{}", tool.id)}>
            <header class="page-header">
                <h1 data-testid="page-title">{ tool.title }</h1>
                <StatusBadge status={tool.status} />
            </header>
            <p class="lede">{ about.map(|a| a.tagline).unwrap_or_default() }</p>
            <div class="notice" role="note">
                <h2>{ "This tool is not built yet" }</h2>
                <p>
                    { "It is on the way. Until it lands, this page shows no numbers at all \
                       rather than made-up ones." }
                </p>
            </div>
            <h2>{ "What it will let you do" }</h2>
            <ul class="capabilities">
                { for about.map(|a| a.capabilities).unwrap_or_default().iter().map(|line| html! { <li>{ *line }</li> }) }
            </ul>
            <p><NavLink to={Route::Home}>{ "Back to all tools" }</NavLink></p>
        </article>
    }
}
