//! Which data a check asks a subject for. Every operator derives the same choice from the
//! subject's check seed (`pallet_alignment::check_seed`) and the same chain state: the
//! candidates are read at the era's first block. So honest operators ask for the same bytes
//! and report the same evidence. Each asks with its own challenge ([`answer_challenge`]), so
//! the subject's signed answer is a receipt that only this operator's check obtains.

use std::collections::BTreeMap;
use zerog_erasure::{
	storage::{segment_count, SECTORS_PER_SEGMENT},
	Hash,
};

pub use zerog_traits::answers::{answer_challenge, is_idle_pass, needs_receipt, nothing_to_check};

/// A number in `[0, bound)` from `seed` and `counter` (`bound` > 0).
pub fn draw(seed: &[u8; 32], counter: u32, bound: u64) -> u64 {
	let mut input = [0u8; 36];
	input[..32].copy_from_slice(seed);
	input[32..].copy_from_slice(&counter.to_le_bytes());
	let hash = sp_crypto_hashing::blake2_256(&input);
	u64::from_le_bytes(hash[..8].try_into().expect("8 bytes")) % bound
}

/// A live storage file a provider may be challenged on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageCandidate {
	/// The file root.
	pub root: Hash,
	/// The file size in bytes.
	pub size: u64,
	/// Its first sector in the flow.
	pub start_sector: u64,
}

/// Who holds a deal by acknowledgement: (account, generation) pairs, as the chain's
/// `fileStorage.holders` lists them.
pub type DealHolders = Vec<([u8; 32], u32)>;

/// The files a provider is checked on when acknowledgements are on: those of `files` (deal
/// id, file) whose deal `holders` lists with `who` at its current `generation`, in the
/// order of `files`. A deal submitted without data is acknowledged by nobody, so it never
/// becomes anyone's challenge.
pub fn acknowledged_files(
	files: &[(u64, StorageCandidate)],
	holders: &BTreeMap<u64, DealHolders>,
	who: &[u8; 32],
	generation: u32,
) -> Vec<StorageCandidate> {
	files
		.iter()
		.filter(|(deal, _)| {
			holders
				.get(deal)
				.is_some_and(|list| list.iter().any(|h| h == &(*who, generation)))
		})
		.map(|(_, file)| file.clone())
		.collect()
}

/// The segments of `file` that a provider of shard (`id`, `count`) keeps: those whose flow
/// segment index is `id` modulo `count`.
pub fn segments_in_shard(file: &StorageCandidate, id: u32, count: u32) -> Vec<u64> {
	if count == 0 {
		return Vec::new();
	}
	let first = file.start_sector / SECTORS_PER_SEGMENT;
	(0..segment_count(file.size))
		.filter(|i| (first + i) % count as u64 == id as u64)
		.collect()
}

/// The storage challenge of a provider of shard (`id`, `count`): (candidate, segment index),
/// or `None` when no candidate has a segment in the shard.
pub fn storage_challenge(
	seed: &[u8; 32],
	candidates: &[StorageCandidate],
	id: u32,
	count: u32,
) -> Option<(usize, u64)> {
	if candidates.is_empty() {
		return None;
	}
	let start = draw(seed, 0, candidates.len() as u64) as usize;
	(0..candidates.len())
		.map(|step| (start + step) % candidates.len())
		.find_map(|c| {
			let segments = segments_in_shard(&candidates[c], id, count);
			(!segments.is_empty())
				.then(|| (c, segments[draw(seed, 1, segments.len() as u64) as usize]))
		})
}

/// The DA challenge of a member, from the chunks assigned to it per live blob: (blob id,
/// chunk index), or `None` when nothing is assigned to it.
pub fn da_challenge(seed: &[u8; 32], assigned: &[(u64, Vec<u32>)]) -> Option<(u64, u32)> {
	if assigned.is_empty() {
		return None;
	}
	let start = draw(seed, 0, assigned.len() as u64) as usize;
	(0..assigned.len())
		.map(|step| &assigned[(start + step) % assigned.len()])
		.find_map(|(blob, chunks)| {
			(!chunks.is_empty())
				.then(|| (*blob, chunks[draw(seed, 1, chunks.len() as u64) as usize]))
		})
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_erasure::SEGMENT_SIZE;

	fn file(root: u8, segments: u64, start_segment: u64) -> StorageCandidate {
		StorageCandidate {
			root: [root; 32],
			size: segments * SEGMENT_SIZE as u64,
			start_sector: start_segment * SECTORS_PER_SEGMENT,
		}
	}

	#[test]
	fn shards_count_flow_segments_not_file_segments() {
		// A file starting at flow segment 3: its segments are flow segments 3, 4, 5, 6.
		let f = file(1, 4, 3);
		assert_eq!(segments_in_shard(&f, 0, 2), vec![1, 3]);
		assert_eq!(segments_in_shard(&f, 1, 2), vec![0, 2]);
		assert_eq!(segments_in_shard(&f, 0, 1), vec![0, 1, 2, 3]);
		assert!(segments_in_shard(&f, 0, 0).is_empty());
	}

	#[test]
	fn the_same_seed_picks_the_same_challenge_and_seeds_spread() {
		let files = vec![file(1, 4, 0), file(2, 1, 4), file(3, 8, 5)];
		let a = storage_challenge(&[7; 32], &files, 1, 4);
		assert_eq!(a, storage_challenge(&[7; 32], &files, 1, 4));
		let (c, segment) = a.unwrap();
		assert!(segments_in_shard(&files[c], 1, 4).contains(&segment));
		let picks: std::collections::BTreeSet<_> =
			(0..64u8).filter_map(|s| storage_challenge(&[s; 32], &files, 1, 4)).collect();
		assert!(picks.len() > 2, "{picks:?}");
	}

	#[test]
	fn no_candidate_in_the_shard_means_nothing_to_check() {
		// One one-segment file at flow segment 0; shard 1 of 2 holds none of it.
		assert_eq!(storage_challenge(&[1; 32], &[file(1, 1, 0)], 1, 2), None);
		assert_eq!(storage_challenge(&[1; 32], &[], 0, 1), None);
		assert_eq!(da_challenge(&[1; 32], &[(3, vec![]), (4, vec![])]), None);
		assert_eq!(da_challenge(&[1; 32], &[]), None);
	}

	#[test]
	fn junk_deals_never_become_a_providers_challenge() {
		// 40 deals nobody acknowledged, and deal 40 that provider 9 holds.
		let files: Vec<(u64, StorageCandidate)> =
			(0..41u64).map(|deal| (deal, file(deal as u8, 1, deal))).collect();
		let holders = BTreeMap::from([(40, vec![([9; 32], 2)]), (7, vec![([8; 32], 0)])]);
		let mine = acknowledged_files(&files, &holders, &[9; 32], 2);
		assert_eq!(mine, vec![files[40].1.clone()]);
		for seed in 0..64u8 {
			assert_eq!(storage_challenge(&[seed; 32], &mine, 0, 1).map(|(c, _)| c), Some(0));
		}
		// An acknowledgement of an earlier generation (an old shard) does not count.
		assert!(acknowledged_files(&files, &holders, &[9; 32], 3).is_empty());
		// Another holder's deal is not this provider's.
		assert!(acknowledged_files(&files, &holders, &[7; 32], 0).is_empty());
	}

	#[test]
	fn da_challenges_pick_an_assigned_chunk() {
		let assigned = vec![(10, vec![]), (11, vec![4, 9]), (12, vec![100])];
		for s in 0..32u8 {
			let (blob, chunk) = da_challenge(&[s; 32], &assigned).unwrap();
			assert!(assigned.iter().any(|(b, chunks)| *b == blob && chunks.contains(&chunk)));
		}
	}
}
