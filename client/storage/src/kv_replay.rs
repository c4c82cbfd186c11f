//! The KV replayer's rule for one log entry (issue 31, finding 8): apply it, skip it, or
//! wait, from the chain's verdict on its data and what fetching its bytes gave.
//!
//! With a verdict every KV node decides alike: an `Available` entry is applied whenever its
//! bytes arrive (a node waits for them, however long), an `Unavailable` one is skipped with
//! the same reason everywhere, and nothing is decided on a node's clock. Only entries
//! written before the chain kept verdicts ([`Verdict::Legacy`]) still use the node's
//! timeout, as before.

use std::time::Duration;

/// The reason recorded for an entry the chain decided `Unavailable`, the same on every node.
pub const UNAVAILABLE: &str =
	"data unavailable: no provider acknowledged all of it within the chain's KV window";

/// The chain's verdict on an entry's data, as the replayer reads it at the finalized block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
	/// No verdict: an entry written before the chain kept them (or with `kv_window` 0).
	Legacy,
	/// Not decided yet.
	Pending,
	/// Every segment was acknowledged by a provider: apply it once the bytes arrive.
	Available,
	/// Not held in full within the window: skip it.
	Unavailable,
}

impl Verdict {
	/// Whether the entry's bytes are needed to decide (the replayer fetches them only then).
	pub fn needs_bytes(self) -> bool {
		matches!(self, Verdict::Legacy | Verdict::Available)
	}
}

/// Why an entry's bytes are not here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
	/// Not fetched yet: the network may still give them (the error).
	Retry(String),
	/// Never usable, whatever the network gives: the entry is out of the replayer's rules
	/// (for example too large). Deterministic, so every node skips it alike.
	Never(String),
}

/// What the replayer does with the entry now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
	/// Apply the entry with these bytes, or record it skipped with this reason.
	Apply(Result<Vec<u8>, String>),
	/// Try again later.
	Wait,
}

/// The step for an entry with `verdict`, given `fetched` (what fetching its bytes gave, when
/// [`Verdict::needs_bytes`]), after `waited` on it; `legacy_timeout` is the node's timeout
/// for entries without a verdict.
pub fn step(
	verdict: Verdict,
	fetched: Option<Result<Vec<u8>, Missing>>,
	waited: Duration,
	legacy_timeout: Duration,
) -> Step {
	match (verdict, fetched) {
		(Verdict::Unavailable, _) => Step::Apply(Err(UNAVAILABLE.into())),
		(Verdict::Pending, _) | (_, None) => Step::Wait,
		(_, Some(Ok(bytes))) => Step::Apply(Ok(bytes)),
		(_, Some(Err(Missing::Never(why)))) => Step::Apply(Err(why)),
		// The chain says the data exists: wait for it, never skip.
		(Verdict::Available, Some(Err(Missing::Retry(_)))) => Step::Wait,
		(Verdict::Legacy, Some(Err(Missing::Retry(why)))) => {
			if waited < legacy_timeout {
				Step::Wait
			} else {
				Step::Apply(Err(format!(
					"data unavailable after {}s: {why}",
					legacy_timeout.as_secs()
				)))
			}
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::kv_db::{KvDb, Outcome};
	use zerog_erasure::kv::KvEntry;

	const TIMEOUT: Duration = Duration::from_secs(30);

	/// A KV node: replays entry 0 by `step` until it is applied or skipped, its bytes
	/// arriving after `arrives` (never with `None`), polling every second.
	fn replay(
		dir: &std::path::Path,
		verdict_at: impl Fn(Duration) -> Verdict,
		bytes: &[u8],
		arrives: Option<Duration>,
	) -> KvDb {
		let db = KvDb::open(dir).unwrap();
		let mut waited = Duration::ZERO;
		loop {
			let verdict = verdict_at(waited);
			let fetched = verdict.needs_bytes().then(|| match arrives {
				Some(at) if waited >= at => Ok(bytes.to_vec()),
				_ => Err(Missing::Retry("no peer has it".into())),
			});
			match step(verdict, fetched, waited, TIMEOUT) {
				Step::Apply(data) => {
					db.apply(0, 0, 0, [1; 32], vec![[7; 32]], data).unwrap();
					return db;
				},
				Step::Wait => waited += Duration::from_secs(1),
			}
			assert!(waited < Duration::from_secs(3_600), "never decided");
		}
	}

	fn entry() -> Vec<u8> {
		KvEntry { writes: vec![([7; 32], b"k".to_vec(), b"v".to_vec())], ..Default::default() }
			.encode()
			.unwrap()
	}

	/// The attack: the writer of an entry nobody holds hands its bytes to one KV node just
	/// before the timeout and to another just after. Decided by each node's clock (the rule
	/// before verdicts, still used for entries without one) the two nodes end in different
	/// states; decided by the chain's verdict they end alike, whoever got the bytes when.
	#[test]
	fn two_kv_nodes_that_got_an_entry_at_different_times_end_alike_under_the_chains_verdict() {
		let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
		let bytes = entry();
		let early = Some(TIMEOUT - Duration::from_secs(1));
		let late = Some(TIMEOUT + Duration::from_secs(1));
		let legacy = |_| Verdict::Legacy;
		let a = replay(dirs[0].path(), legacy, &bytes, early);
		let b = replay(dirs[1].path(), legacy, &bytes, late);
		assert_eq!(a.outcome(0).unwrap().1, Outcome::Applied);
		assert!(matches!(b.outcome(0).unwrap().1, Outcome::Skipped(_)), "the old rule diverges");

		// The chain decided `Unavailable` at its deadline (say 20 s in): both skip it, with
		// the same reason, whether or not they ever got the bytes.
		let unavailable = |t: Duration| {
			if t < Duration::from_secs(20) {
				Verdict::Pending
			} else {
				Verdict::Unavailable
			}
		};
		let c = replay(dirs[2].path(), unavailable, &bytes, Some(Duration::ZERO));
		let d = replay(dirs[3].path(), unavailable, &bytes, None);
		assert_eq!(c.outcome(0), d.outcome(0));
		assert_eq!(c.outcome(0).unwrap().1, Outcome::Skipped(UNAVAILABLE.into()));
		assert_eq!(c.stats(), d.stats());
	}

	#[test]
	fn an_available_entry_waits_for_its_bytes_however_late_they_come() {
		let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
		let bytes = entry();
		let available = |_| Verdict::Available;
		let a = replay(dirs[0].path(), available, &bytes, Some(Duration::ZERO));
		let b = replay(dirs[1].path(), available, &bytes, Some(10 * TIMEOUT));
		assert_eq!(a.outcome(0).unwrap().1, Outcome::Applied);
		assert_eq!(b.outcome(0), a.outcome(0));
		assert_eq!(b.get(&[7; 32], b"k", None), a.get(&[7; 32], b"k", None));
	}

	#[test]
	fn the_rule_for_each_verdict() {
		let never = || Some(Err(Missing::Never("entry file of 0 bytes".into())));
		let retry = || Some(Err(Missing::Retry("timeout".into())));
		let long = 2 * TIMEOUT;
		assert_eq!(step(Verdict::Pending, None, long, TIMEOUT), Step::Wait);
		assert_eq!(
			step(Verdict::Unavailable, None, Duration::ZERO, TIMEOUT),
			Step::Apply(Err(UNAVAILABLE.into()))
		);
		assert_eq!(step(Verdict::Available, retry(), long, TIMEOUT), Step::Wait);
		assert_eq!(
			step(Verdict::Available, never(), Duration::ZERO, TIMEOUT),
			Step::Apply(Err("entry file of 0 bytes".into()))
		);
		assert_eq!(
			step(Verdict::Available, Some(Ok(vec![1])), Duration::ZERO, TIMEOUT),
			Step::Apply(Ok(vec![1]))
		);
		assert_eq!(
			step(Verdict::Legacy, retry(), TIMEOUT - Duration::from_secs(1), TIMEOUT),
			Step::Wait
		);
		assert!(matches!(step(Verdict::Legacy, retry(), TIMEOUT, TIMEOUT), Step::Apply(Err(_))));
		assert_eq!(step(Verdict::Available, None, Duration::ZERO, TIMEOUT), Step::Wait);
		assert!(!Verdict::Pending.needs_bytes() && !Verdict::Unavailable.needs_bytes());
		assert!(Verdict::Available.needs_bytes() && Verdict::Legacy.needs_bytes());
	}
}
