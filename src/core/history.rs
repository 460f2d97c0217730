//! Undo and redo of a tool's state: every change the page makes is recorded; a burst of
//! changes to the same fields (typing a number) within [`COALESCE_MS`] of each other is one
//! step, so one undo takes back the whole word typed, not one character. A change of other
//! fields, or one after [`History::seal`] (Reset, an edit applied with a button), starts a
//! step of its own. Times come from the caller (the core has no clock).

/// Changes closer together than this (milliseconds) are one undo step.
pub const COALESCE_MS: u64 = 800;
/// Steps kept; the oldest go first.
pub const LIMIT: usize = 100;

/// The states before and after the current one.
#[derive(Clone, Debug, PartialEq)]
pub struct History<T> {
    past: Vec<T>,
    current: T,
    future: Vec<T>,
    /// When the current state was recorded, while a burst may still grow.
    last_ms: Option<u64>,
    /// Which fields the burst changes (`record`'s key).
    last_key: String,
}

impl<T: Clone + PartialEq> History<T> {
    /// A history whose present is `current`, with nothing to undo.
    pub fn new(current: T) -> History<T> {
        History {
            past: Vec::new(),
            current,
            future: Vec::new(),
            last_ms: None,
            last_key: String::new(),
        }
    }

    /// Ends the current burst: the next change is a step of its own.
    pub fn seal(&mut self) {
        self.last_ms = None;
    }

    /// The present state.
    pub fn current(&self) -> &T {
        &self.current
    }

    /// Records that the state became `next` at `now_ms`, changing the fields named by `key`
    /// (any text that tells kinds of change apart); returns whether it was a change. A
    /// change of the same fields within [`COALESCE_MS`] of the previous one joins its step.
    /// Redo is lost, as in every editor.
    pub fn record(&mut self, next: T, now_ms: u64, key: &str) -> bool {
        if next == self.current {
            return false;
        }
        let burst = self.last_key == key
            && self
                .last_ms
                .is_some_and(|t| now_ms.saturating_sub(t) < COALESCE_MS && !self.past.is_empty());
        self.last_key = key.to_string();
        let previous = std::mem::replace(&mut self.current, next);
        if !burst {
            self.past.push(previous);
            if self.past.len() > LIMIT {
                self.past.remove(0);
            }
        }
        self.future.clear();
        self.last_ms = Some(now_ms);
        true
    }

    /// Steps back; the state to show, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Option<&T> {
        let previous = self.past.pop()?;
        self.future
            .push(std::mem::replace(&mut self.current, previous));
        self.last_ms = None;
        Some(&self.current)
    }

    /// Steps forward again after an undo.
    pub fn redo(&mut self) -> Option<&T> {
        let next = self.future.pop()?;
        self.past.push(std::mem::replace(&mut self.current, next));
        self.last_ms = None;
        Some(&self.current)
    }

    /// How many steps can be undone.
    pub fn undo_steps(&self) -> usize {
        self.past.len()
    }

    /// How many steps can be redone.
    pub fn redo_steps(&self) -> usize {
        self.future.len()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typing_is_one_step_and_clicks_apart_are_two() {
        let mut h = History::new(String::new());
        for (i, t) in ["1", "12", "128"].iter().enumerate() {
            assert!(h.record(t.to_string(), 1_000 + i as u64 * 200, "f"));
        }
        assert!(!h.record("128".into(), 1_500, "f"), "no change, no step");
        assert_eq!(h.undo_steps(), 1);
        h.record("1280".into(), 5_000, "f");
        assert_eq!(h.undo_steps(), 2);
        assert_eq!(h.undo().unwrap(), "128");
        assert_eq!(h.undo().unwrap(), "");
        assert_eq!(h.undo(), None);
        assert_eq!(h.redo().unwrap(), "128");
        assert_eq!(h.redo_steps(), 1);
        // A new change after an undo drops what could have been redone.
        h.record("64".into(), 9_000, "f");
        assert_eq!(h.redo(), None);
        assert_eq!(h.current(), "64");
        // Right after an undo, a change starts its own step.
        h.undo();
        h.record("32".into(), 9_100, "f");
        assert_eq!(h.undo().unwrap(), "128");
    }

    #[test]
    fn other_fields_or_a_seal_start_a_new_step() {
        let mut h = History::new((0u8, 0u8));
        h.record((1, 0), 1_000, "a");
        h.record((2, 0), 1_100, "a");
        // Another field within the window: its own step.
        h.record((2, 5), 1_200, "b");
        assert_eq!(h.undo_steps(), 2);
        // A seal (Reset, an applied edit) ends the burst even for the same field.
        h.seal();
        h.record((2, 6), 1_300, "b");
        assert_eq!(h.undo_steps(), 3);
        assert_eq!(*h.undo().unwrap(), (2, 5));
        assert_eq!(*h.undo().unwrap(), (2, 0));
        assert_eq!(*h.undo().unwrap(), (0, 0));
    }

    #[test]
    fn the_oldest_steps_go_beyond_the_limit() {
        let mut h = History::new(0u32);
        for i in 1..=(LIMIT as u32 + 50) {
            h.record(i, i as u64 * 10_000, "f");
        }
        assert_eq!(h.undo_steps(), LIMIT);
        while h.undo().is_some() {}
        assert_eq!(*h.current(), 50);
    }

    proptest! {
        /// Undoing every step and redoing them all comes back to the same state, and every
        /// state passed on the way was a recorded one.
        #[test]
        fn undo_all_then_redo_all_is_the_identity(
            steps in proptest::collection::vec((0u8..5, 0u64..3_000), 0..60)
        ) {
            let mut h = History::new(0u8);
            let mut seen = vec![0u8];
            let mut t = 0;
            for (v, dt) in steps {
                t += dt;
                h.record(v, t, "f");
                seen.push(v);
            }
            let end = *h.current();
            let n = h.undo_steps();
            for _ in 0..n {
                prop_assert!(seen.contains(h.undo().unwrap()));
            }
            prop_assert_eq!(h.undo_steps(), 0);
            for _ in 0..n {
                h.redo();
            }
            prop_assert_eq!(*h.current(), end);
        }
    }
}
