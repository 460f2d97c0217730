//! Virtual time and the event queue. Nothing here reads the OS clock: time moves only when
//! the simulation pops an event or is told to advance.

use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// An event's handle, to cancel it (a visibility timeout ended early by a delete, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId(pub u64);

/// The clock and the events waiting on it. `E` is the simulation's event type.
#[derive(Clone, Debug)]
pub struct Clock<E> {
    now_ms: u64,
    next: u64,
    /// (time, sequence): the sequence breaks ties in scheduling order.
    queue: BinaryHeap<Reverse<(u64, u64)>>,
    events: HashMap<u64, E>,
}

impl<E> Default for Clock<E> {
    fn default() -> Self {
        Clock {
            now_ms: 0,
            next: 0,
            queue: BinaryHeap::new(),
            events: HashMap::new(),
        }
    }
}

impl<E> Clock<E> {
    /// A clock at time 0 with nothing scheduled.
    pub fn new() -> Clock<E> {
        Clock::default()
    }

    /// The virtual time, in milliseconds since the simulation started.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Schedules `event` `delay_ms` from now (saturating at the end of time, `u64::MAX`).
    pub fn schedule(&mut self, delay_ms: u64, event: E) -> EventId {
        self.schedule_at(self.now_ms.saturating_add(delay_ms), event)
    }

    /// Schedules `event` at an absolute time; a time in the past means "now" (time never
    /// runs backwards).
    pub fn schedule_at(&mut self, at_ms: u64, event: E) -> EventId {
        let seq = self.next;
        self.next += 1;
        self.queue.push(Reverse((at_ms.max(self.now_ms), seq)));
        self.events.insert(seq, event);
        EventId(seq)
    }

    /// Cancels a scheduled event; returns it, or `None` when it already ran or was cancelled.
    pub fn cancel(&mut self, id: EventId) -> Option<E> {
        self.events.remove(&id.0)
    }

    /// Drops every pending event; the time and the event ids go on (ids already handed out
    /// are never reused, so a stale one cancels nothing).
    pub fn clear_pending(&mut self) {
        self.queue.clear();
        self.events.clear();
    }

    /// How many events are waiting.
    pub fn pending(&self) -> usize {
        self.events.len()
    }

    /// The time of the next event, if any.
    pub fn next_at(&mut self) -> Option<u64> {
        self.skip_cancelled();
        self.queue.peek().map(|Reverse((at, _))| *at)
    }

    fn skip_cancelled(&mut self) {
        while let Some(Reverse((_, seq))) = self.queue.peek() {
            if self.events.contains_key(seq) {
                break;
            }
            self.queue.pop();
        }
    }

    /// Moves time to the next event and returns it, or `None` when nothing is scheduled.
    pub fn pop(&mut self) -> Option<(u64, EventId, E)> {
        self.skip_cancelled();
        let Reverse((at, seq)) = self.queue.pop()?;
        let event = self.events.remove(&seq)?;
        self.now_ms = at;
        Some((at, EventId(seq), event))
    }

    /// Pops the next event if it is due at or before `until_ms`; otherwise moves time to
    /// `until_ms` and returns `None`.
    pub fn pop_until(&mut self, until_ms: u64) -> Option<(u64, EventId, E)> {
        match self.next_at() {
            Some(at) if at <= until_ms => self.pop(),
            _ => {
                self.now_ms = self.now_ms.max(until_ms);
                None
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn events_come_in_time_order_ties_in_scheduling_order() {
        let mut c = Clock::new();
        c.schedule(30, "c");
        c.schedule(10, "a");
        c.schedule(10, "b");
        let late = c.schedule(20, "cancelled");
        assert_eq!(c.cancel(late), Some("cancelled"));
        assert_eq!(c.cancel(late), None);
        let order: Vec<_> = std::iter::from_fn(|| c.pop())
            .map(|(t, _, e)| (t, e))
            .collect();
        assert_eq!(order, [(10, "a"), (10, "b"), (30, "c")]);
        assert_eq!(c.now_ms(), 30);
        // The past is now; the end of time saturates.
        c.schedule_at(5, "late");
        assert_eq!(c.pop().map(|x| x.0), Some(30));
        c.schedule(u64::MAX, "never");
        assert_eq!(c.next_at(), Some(u64::MAX));
    }

    #[test]
    fn time_advances_only_to_what_is_due() {
        let mut c = Clock::new();
        c.schedule(1_000, 1);
        assert_eq!(c.pop_until(500), None);
        assert_eq!(c.now_ms(), 500);
        assert_eq!(c.pop_until(2_000).map(|x| x.2), Some(1));
        assert_eq!(c.now_ms(), 1_000);
        assert_eq!(c.pending(), 0);
    }
}
