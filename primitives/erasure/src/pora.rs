//! Proof of Random Access: sealing stored data to a miner, mining tries, and what the chain
//! checks of a winning answer. Shared by miners (node side) and pallet-storage (runtime).
//!
//! - **Seal unit**: 4 KiB = 16 sectors, an aligned height-4 subtree of the flow.
//! - **Sealing** binds a copy to one miner id, so one copy cannot serve many miners: each
//!   32-byte word is XORed with the hash of the previous *sealed* word (the seed, from the
//!   miner id and the unit's position, for the first). Sealing is sequential; unsealing is
//!   128 independent hashes.
//! - **A try** (epoch context, miner id, nonce) recalls one 256 KiB segment of the miner's
//!   shard and one 4 KiB unit inside it; its quality is the hash of (context, miner, nonce,
//!   sealed unit). It wins when the quality is at most `target / shard count`: a miner that
//!   holds 1/k of the flow faces a k-times harder target.
//! - **The answer** carries the sealed 4 KiB unit (not the 256 KiB segment) and the Merkle
//!   proof of that unit's subtree root to the epoch's flow root. The chain unseals it,
//!   rebuilds the unit root, checks the proof and recomputes the quality.

use crate::{
	hash::{hash_leaf, Hash},
	merkle::{depth_for, MerkleProof},
	storage::{SECTORS_PER_SEGMENT, SECTOR_SIZE},
	ErasureError,
};

/// Bytes of a seal unit.
pub const SEAL_UNIT_SIZE: usize = 4096;
/// Sectors of a seal unit.
pub const SECTORS_PER_UNIT: u64 = (SEAL_UNIT_SIZE / SECTOR_SIZE) as u64;
/// Height of a seal unit's subtree in the flow.
pub const UNIT_HEIGHT: u32 = 4;
/// Seal units per segment.
pub const UNITS_PER_SEGMENT: u64 = SECTORS_PER_SEGMENT / SECTORS_PER_UNIT;
/// Words of a seal unit.
const WORDS: usize = SEAL_UNIT_SIZE / 32;

/// blake2b-256 of `parts` under PoRA's own personalisation.
fn hash(parts: &[&[u8]]) -> Hash {
	let mut state = blake2b_simd::Params::new().hash_length(32).personal(b"zerog-pora").to_state();
	for part in parts {
		state.update(part);
	}
	let mut out = [0u8; 32];
	out.copy_from_slice(state.finalize().as_bytes());
	out
}

/// The first mask of unit `unit` (its index among the flow's 4 KiB units) for `miner`.
fn seed(miner: &Hash, unit: u64) -> Hash {
	hash(&[b"seal", miner, &unit.to_le_bytes()])
}

/// Seals unit `unit` of the flow for `miner`, in place.
pub fn seal(miner: &Hash, unit: u64, data: &mut [u8; SEAL_UNIT_SIZE]) {
	let mut previous = seed(miner, unit);
	for word in data.chunks_exact_mut(32) {
		let mask = hash(&[&previous]);
		for (byte, m) in word.iter_mut().zip(mask) {
			*byte ^= m;
		}
		previous.copy_from_slice(word);
	}
}

/// Unseals unit `unit` sealed for `miner`, in place.
pub fn unseal(miner: &Hash, unit: u64, data: &mut [u8; SEAL_UNIT_SIZE]) {
	let mut previous = seed(miner, unit);
	for i in 0..WORDS {
		let sealed: Hash = data[i * 32..][..32].try_into().expect("32 bytes");
		let mask = hash(&[&previous]);
		for (byte, m) in data[i * 32..][..32].iter_mut().zip(mask) {
			*byte ^= m;
		}
		previous = sealed;
	}
}

/// An epoch's mining context: hash(randomness, flow root, flow length).
pub fn epoch_context(randomness: &[u8], flow_root: &Hash, flow_length: u64) -> Hash {
	hash(&[b"context", randomness, flow_root, &flow_length.to_le_bytes()])
}

/// The unit a try recalls: a segment of the miner's shard (`shard_id` of `shard_count`)
/// in a flow of `flow_length` sectors, then a unit inside it. `None` when the shard holds
/// no segment yet.
pub fn recall_unit(
	context: &Hash,
	miner: &Hash,
	nonce: &Hash,
	flow_length: u64,
	shard_id: u32,
	shard_count: u32,
) -> Option<u64> {
	let segments = flow_length.div_ceil(SECTORS_PER_SEGMENT);
	let (id, count) = (shard_id as u64, shard_count.max(1) as u64);
	if id >= segments {
		return None;
	}
	let shard_segments = (segments - id).div_ceil(count);
	let draw = hash(&[b"recall", context, miner, nonce]);
	let pick = u64::from_le_bytes(draw[..8].try_into().expect("8 bytes"));
	let segment = id + (pick % shard_segments) * count;
	let units = flow_length.div_ceil(SECTORS_PER_UNIT);
	let in_segment = (units - segment * UNITS_PER_SEGMENT).min(UNITS_PER_SEGMENT);
	let offset = u64::from_le_bytes(draw[8..16].try_into().expect("8 bytes")) % in_segment;
	Some(segment * UNITS_PER_SEGMENT + offset)
}

/// The quality of a try on a sealed unit: lower is better.
pub fn quality(context: &Hash, miner: &Hash, nonce: &Hash, sealed: &[u8; SEAL_UNIT_SIZE]) -> u128 {
	let h = hash(&[b"quality", context, miner, nonce, sealed]);
	u128::from_be_bytes(h[..16].try_into().expect("16 bytes"))
}

/// Whether `quality` wins against `target` for a miner holding one of `shard_count` shards.
pub fn wins(quality: u128, target: u128, shard_count: u32) -> bool {
	quality <= target / shard_count.max(1) as u128
}

/// Root of a unit's subtree from its (unsealed) 16 sectors.
pub fn unit_root(data: &[u8; SEAL_UNIT_SIZE]) -> Hash {
	let mut level: alloc::vec::Vec<Hash> = data.chunks_exact(SECTOR_SIZE).map(hash_leaf).collect();
	while level.len() > 1 {
		level = level.chunks_exact(2).map(|p| crate::hash::hash_node(&p[0], &p[1])).collect();
	}
	level[0]
}

/// Checks that unsealed unit `data` is unit `proof.index` of the flow with `flow_root` and
/// `flow_length` sectors.
pub fn verify_unit(
	flow_root: &Hash,
	flow_length: u64,
	data: &[u8; SEAL_UNIT_SIZE],
	proof: &MerkleProof,
) -> Result<(), ErasureError> {
	let depth = depth_for(flow_length)
		.checked_sub(UNIT_HEIGHT)
		.ok_or(ErasureError::LeafIndexOutOfRange)?;
	proof.verify(flow_root, unit_root(data), depth)
}

/// The unit proof from a sector proof (of the unit's first sector) to the flow root: the
/// sibling path above the unit's subtree.
pub fn unit_proof(sector_proof: &MerkleProof) -> Option<MerkleProof> {
	if !sector_proof.index.is_multiple_of(SECTORS_PER_UNIT)
		|| sector_proof.siblings.len() < UNIT_HEIGHT as usize
	{
		return None;
	}
	Some(MerkleProof {
		index: sector_proof.index / SECTORS_PER_UNIT,
		siblings: sector_proof.siblings[UNIT_HEIGHT as usize..].to_vec(),
	})
}

/// The next epoch's target: toward `target × wanted / answers`, moving 1/20 of the way,
/// never below half or above twice the current target. No answers counts as half of one.
pub fn next_target(target: u128, answers: u32, wanted: u32) -> u128 {
	let (answers, wanted) =
		(answers.max(1) as u128 * 2 - (answers == 0) as u128, wanted.max(1) as u128 * 2);
	// ideal = target × wanted / answers, without overflowing.
	let ideal = if target / answers > u128::MAX / wanted {
		u128::MAX
	} else {
		(target / answers).saturating_mul(wanted) + (target % answers) * wanted / answers
	};
	let moved = if ideal >= target {
		target + (ideal - target) / 20
	} else {
		target - (target - ideal) / 20
	};
	moved.clamp(target / 2, target.saturating_mul(2)).max(1)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seal_round_trips_and_depends_on_miner_and_position() {
		let data: [u8; SEAL_UNIT_SIZE] = core::array::from_fn(|i| i as u8);
		let mut sealed = data;
		seal(&[1; 32], 7, &mut sealed);
		assert_ne!(sealed, data);
		let mut other = data;
		seal(&[2; 32], 7, &mut other);
		assert_ne!(sealed, other, "another miner's copy differs");
		let mut moved = data;
		seal(&[1; 32], 8, &mut moved);
		assert_ne!(sealed, moved, "another position differs");
		unseal(&[1; 32], 7, &mut sealed);
		assert_eq!(sealed, data);
	}

	#[test]
	fn recall_stays_in_the_shard_and_the_flow() {
		let flow_length = 10 * SECTORS_PER_SEGMENT + 20; // 11 segments, the last partial
		for n in 0..200u8 {
			let nonce = [n; 32];
			let unit = recall_unit(&[3; 32], &[4; 32], &nonce, flow_length, 1, 4).unwrap();
			assert_eq!((unit / UNITS_PER_SEGMENT) % 4, 1);
			assert!(unit < flow_length.div_ceil(SECTORS_PER_UNIT));
		}
		assert_eq!(recall_unit(&[3; 32], &[4; 32], &[0; 32], SECTORS_PER_SEGMENT, 1, 2), None);
	}

	#[test]
	fn targets_move_slowly_toward_the_wanted_rate() {
		let t = 1u128 << 100;
		assert_eq!(next_target(t, 5, 5), t);
		assert!(next_target(t, 10, 5) < t && next_target(t, 10, 5) >= t / 2);
		assert!(next_target(t, 1, 5) > t && next_target(t, 1, 5) <= t * 2);
		assert!(next_target(t, 0, 5) > next_target(t, 1, 5));
		assert_eq!(next_target(u128::MAX, 0, 5), u128::MAX);
		assert!(next_target(1, 1000, 1) >= 1);
		assert!(wins(10, 100, 4) && !wins(30, 100, 4));
	}
}
