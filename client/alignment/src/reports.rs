//! Reports between commit and reveal.
//!
//! An operator commits to its verdicts during the era and reveals them with the same salt
//! after it. If the node restarts in between and forgets them, the commitment cannot be
//! opened and the era's reward is lost. So each report is kept on disk under the node's base
//! path until its era is over. It is written atomically through a `.tmp` file and a rename.

use codec::{Decode, Encode};
use std::{
	fs, io,
	path::{Path, PathBuf},
};
use zerog_data_plane::files::{invalid, replace_file};

/// One era's report: the verdicts, in subject order, as `(ok, evidence)` (SCALE-identical
/// to `pallet_alignment::Verdict`), the salt of the commitment, and the era's seed the
/// checks followed.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct StoredReport {
	/// The era.
	pub era: u32,
	/// `(ok, evidence)` per subject.
	pub verdicts: Vec<(bool, [u8; 32])>,
	/// The salt the commitment was made with.
	pub salt: [u8; 32],
	/// The era's seed as the checks read it ([`UNKNOWN_SEED`] in a report kept by an older
	/// version). On a branch that lost, an era has another seed and other subjects.
	pub seed: [u8; 32],
}

/// The seed of a report written before reports kept it.
pub const UNKNOWN_SEED: [u8; 32] = [0; 32];

/// A report as versions before the seed kept it.
#[derive(Decode)]
struct StoredReportV0 {
	era: u32,
	verdicts: Vec<(bool, [u8; 32])>,
	salt: [u8; 32],
}

impl StoredReport {
	/// Whether the report was made for the era drawn with `seed` (an older report, which did
	/// not keep its seed, is taken to be).
	pub fn follows(&self, seed: &[u8; 32]) -> bool {
		self.seed == *seed || self.seed == UNKNOWN_SEED
	}

	fn decode_any(bytes: &[u8]) -> Result<Self, codec::Error> {
		let mut input = bytes;
		match StoredReport::decode(&mut input) {
			Ok(report) if input.is_empty() => Ok(report),
			_ => {
				let mut input = bytes;
				let v0 = StoredReportV0::decode(&mut input)?;
				if !input.is_empty() {
					return Err("trailing bytes".into());
				}
				Ok(StoredReport {
					era: v0.era,
					verdicts: v0.verdicts,
					salt: v0.salt,
					seed: UNKNOWN_SEED,
				})
			},
		}
	}
}

/// A fresh, unpredictable salt (the OS's randomness).
pub fn fresh_salt() -> [u8; 32] {
	rand::random()
}

/// The reports of one operator, one file per era.
pub struct ReportStore {
	dir: PathBuf,
}

impl ReportStore {
	/// The store in `dir`, created if needed.
	pub fn open(dir: &Path) -> io::Result<Self> {
		fs::create_dir_all(dir)?;
		Ok(ReportStore { dir: dir.to_path_buf() })
	}

	fn name(era: u32) -> String {
		format!("era-{era}.scale")
	}

	/// Keeps `report`, replacing an earlier one of the same era.
	pub fn save(&self, report: &StoredReport) -> io::Result<()> {
		replace_file(&self.dir, &Self::name(report.era), &report.encode())
	}

	/// The report of `era`, if one was kept.
	pub fn load(&self, era: u32) -> io::Result<Option<StoredReport>> {
		match fs::read(self.dir.join(Self::name(era))) {
			Ok(bytes) => StoredReport::decode_any(&bytes)
				.map(Some)
				.map_err(|e| invalid(format!("report of era {era}: {e}"))),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e),
		}
	}

	/// Deletes the reports of eras before `era`; returns how many.
	pub fn prune_before(&self, era: u32) -> io::Result<usize> {
		let mut removed = 0;
		for entry in fs::read_dir(&self.dir)? {
			let name = entry?.file_name().to_string_lossy().into_owned();
			let old = name
				.strip_prefix("era-")
				.and_then(|rest| rest.strip_suffix(".scale"))
				.and_then(|n| n.parse::<u32>().ok())
				.is_some_and(|n| n < era);
			if old {
				fs::remove_file(self.dir.join(&name))?;
				removed += 1;
			}
		}
		Ok(removed)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn report(era: u32) -> StoredReport {
		StoredReport {
			era,
			verdicts: vec![(true, [1; 32]), (false, [2; 32])],
			salt: fresh_salt(),
			seed: [era as u8 + 1; 32],
		}
	}

	#[test]
	fn a_report_of_the_older_format_still_loads_and_follows_any_seed() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReportStore::open(dir.path()).unwrap();
		let old = report(7);
		let bytes = (old.era, old.verdicts.clone(), old.salt).encode();
		fs::write(dir.path().join("era-7.scale"), bytes).unwrap();
		let loaded = store.load(7).unwrap().unwrap();
		assert_eq!(loaded, StoredReport { seed: UNKNOWN_SEED, ..old.clone() });
		assert!(loaded.follows(&[3; 32]));
		// A report that kept its seed follows only that seed.
		assert!(old.follows(&old.seed));
		assert!(!old.follows(&[3; 32]));
	}

	#[test]
	fn reports_survive_a_reopen_and_old_ones_are_pruned() {
		let dir = tempfile::tempdir().unwrap();
		let (four, five) = (report(4), report(5));
		{
			let store = ReportStore::open(dir.path()).unwrap();
			store.save(&four).unwrap();
			store.save(&five).unwrap();
			assert_eq!(store.load(6).unwrap(), None);
		}
		let store = ReportStore::open(dir.path()).unwrap();
		assert_eq!(store.load(4).unwrap(), Some(four));
		assert_eq!(store.prune_before(5).unwrap(), 1);
		assert_eq!(store.load(4).unwrap(), None);
		assert_eq!(store.load(5).unwrap(), Some(five));
	}

	#[test]
	fn salts_differ_and_a_corrupt_file_is_an_error() {
		assert_ne!(fresh_salt(), fresh_salt());
		let dir = tempfile::tempdir().unwrap();
		let store = ReportStore::open(dir.path()).unwrap();
		fs::write(dir.path().join("era-3.scale"), b"\x07").unwrap();
		assert_eq!(store.load(3).unwrap_err().kind(), io::ErrorKind::InvalidData);
	}

	#[test]
	fn the_stored_verdicts_encode_like_the_pallets() {
		let stored = report(1).verdicts;
		let pallet: Vec<pallet_alignment::Verdict> = stored
			.iter()
			.map(|(ok, evidence)| pallet_alignment::Verdict { ok: *ok, evidence: *evidence })
			.collect();
		assert_eq!(stored.encode(), pallet.encode());
	}
}
