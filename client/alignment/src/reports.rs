//! Reports between commit and reveal.
//!
//! An operator commits to its verdicts during the era and reveals them with the same salt
//! after it. If the node restarts in between and forgets them, the commitment cannot be
//! opened and the era's reward is lost. So each report is kept on disk under the node's base
//! path until its era is over. It is written atomically through a `.tmp` file and a rename.
//! A file starts with [`REPORT_FORMAT`]; files of older versions (without receipts) still
//! load, with no receipts.

use codec::{Decode, Encode};
use sp_runtime::MultiSignature;
use std::{
	fs, io,
	path::{Path, PathBuf},
};
use zerog_data_plane::files::{invalid, replace_file};

/// A verdict as reported: `(ok, evidence, receipt)`, SCALE-identical to
/// `pallet_alignment::ReportedVerdict`. The receipt is the subject's signature over this
/// operator's challenge and the evidence, for a pass on something checked.
pub type ReportedVerdict = (bool, [u8; 32], Option<MultiSignature>);

/// The first bytes of a report file of this version.
pub const REPORT_FORMAT: &[u8; 4] = b"zgr2";

/// One era's report: the verdicts, in subject order, the salt of the commitment, the era's
/// seed the checks followed and the operator they were made for (receipts answer its
/// challenges only).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct StoredReport {
	/// The era.
	pub era: u32,
	/// `(ok, evidence, receipt)` per subject.
	pub verdicts: Vec<ReportedVerdict>,
	/// The salt the commitment was made with.
	pub salt: [u8; 32],
	/// The era's seed as the checks read it ([`UNKNOWN_SEED`] in a report kept by an older
	/// version). On a branch that lost, an era has another seed and other subjects.
	pub seed: [u8; 32],
	/// The operator account the checks were made for ([`UNKNOWN_OPERATOR`] in a report kept
	/// by a version before receipts).
	pub operator: [u8; 32],
}

/// The operator of a report written before reports kept it.
pub const UNKNOWN_OPERATOR: [u8; 32] = [0; 32];

/// The seed of a report written before reports kept it.
pub const UNKNOWN_SEED: [u8; 32] = [0; 32];

/// A report as versions before receipts kept it.
#[derive(Decode)]
struct StoredReportV1 {
	era: u32,
	verdicts: Vec<(bool, [u8; 32])>,
	salt: [u8; 32],
	seed: [u8; 32],
}

/// A report as versions before the seed kept it.
#[derive(Decode)]
struct StoredReportV0 {
	era: u32,
	verdicts: Vec<(bool, [u8; 32])>,
	salt: [u8; 32],
}

/// Verdicts of an older version, without receipts.
fn without_receipts(verdicts: Vec<(bool, [u8; 32])>) -> Vec<ReportedVerdict> {
	verdicts.into_iter().map(|(ok, evidence)| (ok, evidence, None)).collect()
}

/// Decodes all of `bytes` as a `T`, or fails.
fn decode_whole<T: Decode>(bytes: &[u8]) -> Result<T, codec::Error> {
	let mut input = bytes;
	let value = T::decode(&mut input)?;
	if !input.is_empty() {
		return Err("trailing bytes".into());
	}
	Ok(value)
}

impl StoredReport {
	/// Whether the report was made for the era drawn with `seed` (an older report, which did
	/// not keep its seed, is taken to be).
	pub fn follows(&self, seed: &[u8; 32]) -> bool {
		self.seed == *seed || self.seed == UNKNOWN_SEED
	}

	/// Whether the report was made for `operator` (a node whose key changed between the
	/// checks and the commitment has receipts for another account's challenges). An older
	/// report, which did not keep its operator, is taken to be.
	pub fn made_for(&self, operator: &[u8; 32]) -> bool {
		self.operator == *operator || self.operator == UNKNOWN_OPERATOR
	}

	fn decode_any(bytes: &[u8]) -> Result<Self, codec::Error> {
		if let Some(current) = bytes.strip_prefix(REPORT_FORMAT) {
			return decode_whole(current);
		}
		match decode_whole::<StoredReportV1>(bytes) {
			Ok(v1) => Ok(StoredReport {
				era: v1.era,
				verdicts: without_receipts(v1.verdicts),
				salt: v1.salt,
				seed: v1.seed,
				operator: UNKNOWN_OPERATOR,
			}),
			Err(_) => {
				let v0 = decode_whole::<StoredReportV0>(bytes)?;
				Ok(StoredReport {
					era: v0.era,
					verdicts: without_receipts(v0.verdicts),
					salt: v0.salt,
					seed: UNKNOWN_SEED,
					operator: UNKNOWN_OPERATOR,
				})
			},
		}
	}

	fn encode_current(&self) -> Vec<u8> {
		[&REPORT_FORMAT[..], &self.encode()].concat()
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
		replace_file(&self.dir, &Self::name(report.era), &report.encode_current())
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
		let receipt = MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([3; 64]));
		StoredReport {
			era,
			verdicts: vec![(true, [1; 32], Some(receipt)), (false, [2; 32], None)],
			salt: fresh_salt(),
			seed: [era as u8 + 1; 32],
			operator: [9; 32],
		}
	}

	#[test]
	fn reports_of_the_older_formats_still_load_without_receipts() {
		let dir = tempfile::tempdir().unwrap();
		let store = ReportStore::open(dir.path()).unwrap();
		let old = report(7);
		let plain = vec![(true, [1u8; 32]), (false, [2u8; 32])];
		let unsigned = vec![(true, [1; 32], None), (false, [2; 32], None)];
		// Before the seed.
		fs::write(dir.path().join("era-7.scale"), (7u32, plain.clone(), old.salt).encode())
			.unwrap();
		let loaded = store.load(7).unwrap().unwrap();
		let expected = StoredReport {
			seed: UNKNOWN_SEED,
			verdicts: unsigned.clone(),
			operator: UNKNOWN_OPERATOR,
			..old.clone()
		};
		assert_eq!(loaded, expected);
		assert!(loaded.follows(&[3; 32]));
		// Before receipts.
		let v1 = (7u32, plain, old.salt, old.seed).encode();
		fs::write(dir.path().join("era-7.scale"), v1).unwrap();
		let loaded = store.load(7).unwrap().unwrap();
		let expected =
			StoredReport { verdicts: unsigned, operator: UNKNOWN_OPERATOR, ..old.clone() };
		assert_eq!(loaded, expected);
		assert!(loaded.made_for(&[4; 32]));
		// A report that kept its seed and operator follows only that seed, for that operator.
		assert!(old.follows(&old.seed));
		assert!(!old.follows(&[3; 32]));
		assert!(old.made_for(&[9; 32]));
		assert!(!old.made_for(&[4; 32]));
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
		let pallet: Vec<pallet_alignment::ReportedVerdict> = stored
			.iter()
			.map(|(ok, evidence, receipt)| pallet_alignment::ReportedVerdict {
				ok: *ok,
				evidence: *evidence,
				receipt: receipt.clone(),
			})
			.collect();
		assert_eq!(stored.encode(), pallet.encode());
	}
}
