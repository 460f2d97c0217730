//! Display preferences: colour theme and presenter (large type) mode.
//!
//! Preferences are remembered in the browser's local storage as short strings under the
//! keys below. `index.html` reads the same keys before the wasm module loads, so the first
//! paint already has the right theme; keep the two in step.

/// Local-storage key of the theme choice ("system", "light" or "dark").
pub const THEME_KEY: &str = "stratus.theme";
/// Local-storage key of presenter mode ("on" or "off").
pub const PRESENTER_KEY: &str = "stratus.presenter";

/// The user's theme choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the operating system (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// Every choice, in the order the theme button cycles through them.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads the stored form; anything unknown (an old or hand-edited value) is `None`, and
    /// callers fall back to the default rather than failing.
    pub fn parse(stored: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == stored.trim())
    }

    /// Human label for the control.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// The next choice when the theme button is pressed.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// The scheme actually shown, given whether the system prefers dark.
    pub fn resolve(self, system_prefers_dark: bool) -> Scheme {
        match self {
            Theme::Light => Scheme::Light,
            Theme::Dark => Scheme::Dark,
            Theme::System if system_prefers_dark => Scheme::Dark,
            Theme::System => Scheme::Light,
        }
    }
}

/// A concrete colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

/// All display preferences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub theme: Theme,
    /// Large type and heavier outlines for projectors.
    pub presenter: bool,
}

/// A change the user asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefsAction {
    SetTheme(Theme),
    CycleTheme,
    SetPresenter(bool),
    TogglePresenter,
}

impl Prefs {
    /// Builds preferences from stored strings, ignoring missing or unknown values.
    pub fn from_stored(theme: Option<&str>, presenter: Option<&str>) -> Prefs {
        Prefs {
            theme: theme.and_then(Theme::parse).unwrap_or_default(),
            presenter: presenter.map(str::trim) == Some("on"),
        }
    }

    /// The stored form of presenter mode.
    pub fn presenter_str(self) -> &'static str {
        if self.presenter {
            "on"
        } else {
            "off"
        }
    }

    /// Applies an action, returning the new preferences.
    pub fn apply(self, action: PrefsAction) -> Prefs {
        match action {
            PrefsAction::SetTheme(theme) => Prefs { theme, ..self },
            PrefsAction::CycleTheme => Prefs {
                theme: self.theme.next(),
                ..self
            },
            PrefsAction::SetPresenter(presenter) => Prefs { presenter, ..self },
            PrefsAction::TogglePresenter => Prefs {
                presenter: !self.presenter,
                ..self
            },
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        for presenter in [false, true] {
            let prefs = Prefs {
                theme: Theme::Dark,
                presenter,
            };
            assert_eq!(
                Prefs::from_stored(Some(prefs.theme.as_str()), Some(prefs.presenter_str())),
                prefs
            );
        }
    }

    #[test]
    fn unknown_or_missing_values_fall_back_to_defaults() {
        assert_eq!(Prefs::from_stored(None, None), Prefs::default());
        assert_eq!(
            Prefs::from_stored(Some("purple"), Some("yes please")),
            Prefs::default()
        );
        assert_eq!(Theme::parse("DARK"), None);
        assert_eq!(Theme::parse(" dark\n"), Some(Theme::Dark));
    }

    #[test]
    fn cycling_visits_every_theme_and_returns() {
        let mut theme = Theme::System;
        let mut seen = vec![];
        for _ in 0..Theme::ALL.len() {
            seen.push(theme);
            theme = theme.next();
        }
        assert_eq!(theme, Theme::System);
        assert_eq!(seen, Theme::ALL.to_vec());
    }

    #[test]
    fn system_theme_follows_the_os_and_overrides_do_not() {
        assert_eq!(Theme::System.resolve(true), Scheme::Dark);
        assert_eq!(Theme::System.resolve(false), Scheme::Light);
        for os_dark in [false, true] {
            assert_eq!(Theme::Light.resolve(os_dark), Scheme::Light);
            assert_eq!(Theme::Dark.resolve(os_dark), Scheme::Dark);
        }
    }

    #[test]
    fn actions_change_only_their_own_field() {
        let start = Prefs {
            theme: Theme::Light,
            presenter: true,
        };
        assert_eq!(
            start.apply(PrefsAction::CycleTheme),
            Prefs {
                theme: Theme::Dark,
                presenter: true
            }
        );
        assert_eq!(
            start.apply(PrefsAction::TogglePresenter),
            Prefs {
                theme: Theme::Light,
                presenter: false
            }
        );
        assert_eq!(start.apply(PrefsAction::SetPresenter(true)), start);
        assert_eq!(
            start.apply(PrefsAction::SetTheme(Theme::System)).theme,
            Theme::System
        );
        // Toggling twice is the identity.
        assert_eq!(
            start
                .apply(PrefsAction::TogglePresenter)
                .apply(PrefsAction::TogglePresenter),
            start
        );
    }
}
