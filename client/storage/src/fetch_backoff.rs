//! When to ask peers again for a file's missing replica segments after asking got nothing.
//!
//! A deal can name data nobody has (an attacker pays for deals it never uploads, issue 31
//! finding 3; they are voided only after the acknowledgement window, hours on a production
//! chain). Asked at the replica keeper's pace (every couple of seconds, every peer in turn),
//! 40 such deals made each provider send about 60 requests a second to its peers, and the
//! peers' answers to holding challenges queued behind them. After
//! [`FetchBackoff::PATIENT_TRIES`] empty tries a file is asked for less and less often, up
//! to once per [`FetchBackoff::MAX_DELAY`]; any segment that arrives resets it. A file whose
//! data reaches a peer late is thus fetched at most [`FetchBackoff::MAX_DELAY`] later.

use std::{
	collections::HashMap,
	hash::Hash,
	time::{Duration, Instant},
};

/// Per-file state of the empty tries.
#[derive(Clone, Copy, Debug)]
struct Tries {
	/// Empty tries in a row.
	empty: u32,
	/// Not asked again before this.
	until: Instant,
}

/// The empty tries of each file key `K`.
#[derive(Debug)]
pub struct FetchBackoff<K> {
	files: HashMap<K, Tries>,
}

impl<K> Default for FetchBackoff<K> {
	fn default() -> Self {
		FetchBackoff { files: HashMap::new() }
	}
}

impl<K: Hash + Eq + Clone> FetchBackoff<K> {
	/// Empty tries at the keeper's own pace before waiting longer.
	pub const PATIENT_TRIES: u32 = 5;
	/// The first wait after the patient tries; it doubles with each empty try.
	pub const FIRST_DELAY: Duration = Duration::from_secs(4);
	/// The longest wait between two tries.
	pub const MAX_DELAY: Duration = Duration::from_secs(32);

	/// Whether `key` may be asked for at `now`.
	pub fn ready(&self, key: &K, now: Instant) -> bool {
		self.files.get(key).is_none_or(|tries| now >= tries.until)
	}

	/// Records what asking for `key` at `now` got: `segments` verified segments.
	pub fn record(&mut self, key: &K, segments: usize, now: Instant) {
		if segments > 0 {
			self.files.remove(key);
			return;
		}
		let tries = self.files.entry(key.clone()).or_insert(Tries { empty: 0, until: now });
		tries.empty = tries.empty.saturating_add(1);
		let Some(doublings) = tries.empty.checked_sub(Self::PATIENT_TRIES + 1) else {
			tries.until = now;
			return;
		};
		let delay = Self::FIRST_DELAY
			.checked_mul(1 << doublings.min(16))
			.map_or(Self::MAX_DELAY, |delay| delay.min(Self::MAX_DELAY));
		tries.until = now + delay;
	}

	/// Forgets files `keep` refuses (gone from the store).
	pub fn retain(&mut self, keep: impl Fn(&K) -> bool) {
		self.files.retain(|key, _| keep(key));
	}

	/// Files waiting after empty tries.
	pub fn len(&self) -> usize {
		self.files.len()
	}

	/// Whether no file waits.
	pub fn is_empty(&self) -> bool {
		self.files.is_empty()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	type Backoff = FetchBackoff<u8>;

	#[test]
	fn a_file_nobody_has_is_asked_for_less_often_up_to_the_cap() {
		let mut backoff = Backoff::default();
		let start = Instant::now();
		let mut now = start;
		// The patient tries: asked again at once.
		for _ in 0..Backoff::PATIENT_TRIES {
			assert!(backoff.ready(&1, now));
			backoff.record(&1, 0, now);
		}
		assert!(backoff.ready(&1, now));
		// Then 4 s, 8 s, 16 s, 32 s, 32 s...
		let mut waits = Vec::new();
		for _ in 0..6 {
			backoff.record(&1, 0, now);
			let mut wait = Duration::ZERO;
			while !backoff.ready(&1, now + wait) {
				wait += Duration::from_secs(1);
			}
			waits.push(wait.as_secs());
			now += wait;
		}
		assert_eq!(waits, vec![4, 8, 16, 32, 32, 32]);
		// Another file is not held back.
		assert!(backoff.ready(&2, now));
		// A segment arriving resets it.
		backoff.record(&1, 3, now);
		assert!(backoff.ready(&1, now));
		assert!(backoff.is_empty());
	}

	#[test]
	fn files_gone_from_the_store_are_forgotten() {
		let mut backoff = Backoff::default();
		let now = Instant::now();
		backoff.record(&1, 0, now);
		backoff.record(&2, 0, now);
		backoff.retain(|key| *key == 2);
		assert_eq!(backoff.len(), 1);
		assert!(backoff.ready(&1, now));
	}
}
