//! Which of the chain's deals this node has recorded in its store, kept next to the store so
//! that a restart goes on where it stopped.
//!
//! Deals are numbered from 0. The chain follower records every deal below `next`, except
//! those in `unplaced`: deals it could not record (a runtime-API call or the disk failed).
//! Those are tried again at every step, so a failure delays a placement and never loses it
//! (a cursor that only moved forward skipped a failed deal for good). How many wait is
//! reported (`storage_info.unplacedDeals`, `zerog_storage_unplaced_deals`).

use codec::{Decode, Encode};
use std::{collections::BTreeSet, io, path::Path};
use zerog_data_plane::files::replace_file;

/// The file under the store's directory that keeps the scan.
pub const DEAL_SCAN_FILE: &str = "deal-scan";

/// How far the deal scan got.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct DealScan {
	/// Every deal below this was seen.
	next: u64,
	/// Deals seen but not recorded: retried at every step.
	unplaced: BTreeSet<u64>,
}

impl DealScan {
	/// The scan saved in `dir`; a fresh scan (from deal 0) when there is none or it cannot be
	/// read. Starting over is safe: recording a deal twice changes nothing.
	pub fn load(dir: &Path) -> Self {
		match std::fs::read(dir.join(DEAL_SCAN_FILE)) {
			Ok(bytes) => DealScan::decode(&mut &bytes[..]).unwrap_or_else(|e| {
				log::warn!(target: "storage", "deal scan unreadable ({e}): scanning from deal 0");
				DealScan::default()
			}),
			Err(_) => DealScan::default(),
		}
	}

	/// Saves the scan in `dir`.
	pub fn save(&self, dir: &Path) -> io::Result<()> {
		replace_file(dir, DEAL_SCAN_FILE, &self.encode())
	}

	/// Records deals: first those left unplaced, then `self.next..next_id`. `place` records
	/// one deal (a deal gone from the chain counts as recorded) or says why it could not.
	/// Returns whether the scan changed (and should be saved).
	pub fn step(&mut self, next_id: u64, mut place: impl FnMut(u64) -> Result<(), String>) -> bool {
		let before = self.clone();
		let retried = std::mem::take(&mut self.unplaced);
		for id in retried.into_iter().chain(self.next..next_id) {
			if let Err(e) = place(id) {
				log::warn!(target: "storage", "deal {id} not recorded, retried at the next block: {e}");
				self.unplaced.insert(id);
			}
		}
		self.next = self.next.max(next_id);
		before != *self
	}

	/// Deals seen but not recorded yet.
	pub fn unplaced(&self) -> u64 {
		self.unplaced.len() as u64
	}

	/// The first deal id not seen yet.
	pub fn next(&self) -> u64 {
		self.next
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_failed_placement_is_retried_and_reported() {
		let dir = tempfile::tempdir().unwrap();
		let mut scan = DealScan::load(dir.path());
		let mut placed = Vec::new();

		// Deal 2's record fails (say the disk was full): the scan goes on past it, keeps it.
		let changed = scan.step(4, |id| match id {
			2 => Err("disk full".into()),
			_ => {
				placed.push(id);
				Ok(())
			},
		});
		assert!(changed);
		assert_eq!((scan.next(), scan.unplaced()), (4, 1));
		assert_eq!(placed, vec![0, 1, 3]);
		scan.save(dir.path()).unwrap();

		// After a restart, deal 2 is tried again before the new deal 4, and recorded.
		let mut scan = DealScan::load(dir.path());
		assert_eq!((scan.next(), scan.unplaced()), (4, 1));
		placed.clear();
		assert!(scan.step(5, |id| {
			placed.push(id);
			Ok(())
		}));
		assert_eq!(placed, vec![2, 4]);
		assert_eq!((scan.next(), scan.unplaced()), (5, 0));

		// Nothing new: nothing to save.
		assert!(!scan.step(5, |_| unreachable!("nothing to place")));
	}

	#[test]
	fn an_unreadable_scan_starts_over_from_deal_0() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join(DEAL_SCAN_FILE), b"\x01").unwrap();
		assert_eq!(DealScan::load(dir.path()), DealScan::default());
	}
}
