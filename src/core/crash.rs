//! The crash report shown when the app panics.
//!
//! A panic in wasm leaves the module unusable, so the browser layer's panic hook turns the
//! panic into a [`CrashReport`] and fills in the error banner that `index.html` carries
//! (its buttons are plain JavaScript, so they keep working after the module has died).
//! This module only formats; it has no browser dependency.

/// What is known about a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrashReport {
    /// The panic message.
    pub message: String,
    /// `file:line:column` where the panic happened, when known.
    pub location: Option<String>,
    /// The page address at the time (the URL fragment holds the app state).
    pub url: String,
    /// The browser's user-agent string.
    pub user_agent: String,
    /// The app version (the crate version).
    pub version: String,
}

/// Longest message kept in a report; a runaway message must not freeze the page.
pub const MAX_MESSAGE_CHARS: usize = 2_000;

impl CrashReport {
    /// The one-line summary shown in the banner.
    pub fn summary(&self) -> String {
        let message = self.trimmed_message();
        if message.is_empty() {
            "Stratus stopped because of an internal error.".to_string()
        } else {
            format!("Stratus stopped because of an internal error: {message}")
        }
    }

    /// The text the "copy details" button copies, for a bug report.
    pub fn details(&self) -> String {
        let mut out = String::new();
        out.push_str("Stratus crash report\n");
        out.push_str(&format!("version: {}\n", self.version));
        out.push_str(&format!("message: {}\n", self.trimmed_message()));
        out.push_str(&format!(
            "location: {}\n",
            self.location.as_deref().unwrap_or("unknown")
        ));
        out.push_str(&format!("url: {}\n", self.url));
        out.push_str(&format!("browser: {}\n", self.user_agent));
        out
    }

    fn trimmed_message(&self) -> String {
        let message = self.message.trim();
        if message.chars().count() > MAX_MESSAGE_CHARS {
            let cut: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
            format!("{cut}…")
        } else {
            message.to_string()
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn sample() -> CrashReport {
        CrashReport {
            message: "index out of bounds".into(),
            location: Some("src/app.rs:10:5".into()),
            url: "http://127.0.0.1:8080/#/cidr".into(),
            user_agent: "HeadlessChrome/156".into(),
            version: "0.1.0".into(),
        }
    }

    #[test]
    fn details_name_every_field() {
        let details = sample().details();
        for needle in [
            "version: 0.1.0",
            "message: index out of bounds",
            "location: src/app.rs:10:5",
            "url: http://127.0.0.1:8080/#/cidr",
            "browser: HeadlessChrome/156",
        ] {
            assert!(details.contains(needle), "{needle} missing from {details}");
        }
    }

    #[test]
    fn summary_handles_empty_and_long_messages() {
        let empty = CrashReport::default();
        assert_eq!(
            empty.summary(),
            "Stratus stopped because of an internal error."
        );
        assert!(empty.details().contains("location: unknown"));

        let long = CrashReport {
            message: "é".repeat(MAX_MESSAGE_CHARS * 3),
            ..CrashReport::default()
        };
        let summary = long.summary();
        assert!(summary.ends_with('…'));
        assert!(summary.chars().count() < MAX_MESSAGE_CHARS + 100);
    }
}
