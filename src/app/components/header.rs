//! The site header: brand, tool navigation and the display controls.

use super::nav_link::NavLink;
use crate::app::Route;
use crate::core::prefs::{Prefs, PrefsAction, Theme};
use crate::core::tools::TOOLS;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SiteHeaderProps {
    pub prefs: Prefs,
    pub on_prefs: Callback<PrefsAction>,
}

#[component]
pub fn SiteHeader(props: &SiteHeaderProps) -> Html {
    let theme = props.prefs.theme;
    let presenter = props.prefs.presenter;
    let on_theme = props
        .on_prefs
        .reform(|_: MouseEvent| PrefsAction::CycleTheme);
    let on_presenter = props
        .on_prefs
        .reform(|_: MouseEvent| PrefsAction::TogglePresenter);
    let theme_hint = format!(
        "Colour theme: {}. Press to switch to {}.",
        theme.label(),
        theme.next().label()
    );

    html! {
        <header class="site-header">
            <div class="bar">
                <NavLink to={Route::Home} class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                        <path d="M8 22a6 6 0 0 1 .6-12A8 8 0 0 1 24 11a5.5 5.5 0 0 1 0 11z" />
                    </svg>
                    <span>{ "Stratus" }</span>
                </NavLink>
                <div class="controls" role="group" aria-label="Display">
                    <button
                        type="button"
                        class="control"
                        data-testid="theme-toggle"
                        data-theme-choice={theme.as_str()}
                        aria-label={theme_hint.clone()}
                        title={theme_hint}
                        onclick={on_theme}
                    >
                        <span aria-hidden="true" class="control-icon">{ theme_icon(theme) }</span>
                        <span class="control-text">{ format!("Theme: {}", theme.label()) }</span>
                    </button>
                    <button
                        type="button"
                        class="control"
                        data-testid="presenter-toggle"
                        aria-pressed={if presenter { "true" } else { "false" }}
                        title="Large type for projectors"
                        onclick={on_presenter}
                    >
                        <span aria-hidden="true" class="control-icon">{ "A+" }</span>
                        <span class="control-text">{ "Presenter" }</span>
                    </button>
                </div>
            </div>
            <nav aria-label="Tools">
                <ul class="nav-list">
                    { for TOOLS.iter().map(|tool| html! {
                        <li key={tool.id}>
                            <NavLink to={Route::Tool { id: tool.id.to_string() }} class="nav-link">
                                { tool.nav_label }
                            </NavLink>
                        </li>
                    }) }
                </ul>
            </nav>
        </header>
    }
}

fn theme_icon(theme: Theme) -> &'static str {
    match theme {
        Theme::System => "◐",
        Theme::Light => "☀",
        Theme::Dark => "☾",
    }
}
