//! Drawing an epoch's committee: seats filled one by one, each by a draw weighted by bond
//! among the operators not yet seated, from the epoch's randomness; then what each seat's
//! attestation counts for ([`seats`]).

use crate::types::Seat;
use alloc::vec::Vec;
use sp_runtime::traits::UniqueSaturatedInto;
use zerog_erasure::{assign_chunks, CODED_CHUNKS};

/// A number in `[0, bound)` from `seed` and `counter` (bias under 2^-64 for bounds < 2^64).
fn draw_below(seed: &[u8; 32], counter: u32, bound: u128) -> u128 {
	let mut input = [0u8; 36];
	input[..32].copy_from_slice(seed);
	input[32..].copy_from_slice(&counter.to_le_bytes());
	let hash = sp_io::hashing::blake2_256(&input);
	let mut wide = [0u8; 16];
	wide.copy_from_slice(&hash[..16]);
	u128::from_le_bytes(wide) % bound
}

/// Picks up to `seats` of `candidates` (account, bond), each seat with probability
/// proportional to bond among those left. Candidates with a zero bond are never drawn.
/// Returns the committee in seat order. Cost: O(seats x candidates).
pub fn draw_committee<AccountId, Balance>(
	seed: &[u8; 32],
	mut candidates: Vec<(AccountId, Balance)>,
	seats: u32,
) -> Vec<(AccountId, Balance)>
where
	Balance: UniqueSaturatedInto<u128> + Copy,
{
	let weight = |b: &Balance| -> u128 { (*b).unique_saturated_into() };
	candidates.retain(|(_, bond)| weight(bond) > 0);
	let mut total: u128 = candidates.iter().map(|(_, b)| weight(b)).fold(0, u128::saturating_add);
	let mut committee = Vec::with_capacity(seats.min(candidates.len() as u32) as usize);
	for seat in 0..seats {
		if candidates.is_empty() || total == 0 {
			break;
		}
		let mut target = draw_below(seed, seat, total);
		let mut chosen = candidates.len() - 1;
		for (i, (_, bond)) in candidates.iter().enumerate() {
			let w = weight(bond);
			if target < w {
				chosen = i;
				break;
			}
			target -= w;
		}
		let member = candidates.swap_remove(chosen);
		total -= weight(&member.1);
		committee.push(member);
	}
	committee
}

/// Voting weights of a committee with `bonds` (in seat order): each bond, except that the
/// largest counts for at most the other bonds together. No member alone then holds more
/// than half of the committee's weight, so none reaches the 2/3 stake quorum by itself,
/// however large its bond. A committee of one keeps its bond.
pub fn voting_weights(bonds: &[u128]) -> Vec<u128> {
	let total = bonds.iter().fold(0u128, |sum, b| sum.saturating_add(*b));
	let Some((top, largest)) = bonds.iter().enumerate().max_by_key(|(_, b)| **b) else {
		return Vec::new();
	};
	let others = total.saturating_sub(*largest);
	let mut weights = bonds.to_vec();
	if bonds.len() > 1 && *largest > others {
		weights[top] = others;
	}
	weights
}

/// The seats of a committee drawn with `bonds` (in seat order) under the epoch's `seed`:
/// each seat's voting weight ([`voting_weights`]) and how many of each blob's coded chunks
/// [`zerog_erasure::assign_chunks`] gives it. Cost: O(seats + coded chunks).
pub fn seats<Balance>(seed: &[u8; 32], bonds: &[Balance]) -> Vec<Seat<Balance>>
where
	Balance: UniqueSaturatedInto<u128> + TryFrom<u128> + Copy,
{
	let raw: Vec<u128> = bonds.iter().map(|b| (*b).unique_saturated_into()).collect();
	let weights = voting_weights(&raw);
	let Ok(assignment) = assign_chunks(seed, bonds.len() as u32, CODED_CHUNKS) else {
		return Vec::new();
	};
	let mut chunks = alloc::vec![0u32; bonds.len()];
	for chunk in 0..CODED_CHUNKS {
		if let Some(seat) = assignment.holder(chunk) {
			chunks[seat as usize] += 1;
		}
	}
	bonds
		.iter()
		.zip(weights)
		.zip(chunks)
		// A weight is at most its bond, so it converts back.
		.map(|((bond, weight), chunks)| Seat {
			weight: Balance::try_from(weight).unwrap_or(*bond),
			chunks,
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_largest_bond_counts_for_at_most_all_the_others() {
		assert_eq!(voting_weights(&[100, 200, 300]), vec![100, 200, 300]);
		assert_eq!(voting_weights(&[100, 950, 200]), vec![100, 300, 200]);
		assert_eq!(voting_weights(&[5, 1]), vec![1, 1]);
		assert_eq!(voting_weights(&[7]), vec![7]);
		assert_eq!(voting_weights(&[]), Vec::<u128>::new());
	}

	#[test]
	fn seats_hold_every_chunk_once() {
		for members in [1u32, 3, 4, 5, 7, 1000, 1024] {
			let bonds: Vec<u64> = (0..members as u64).map(|i| 1_000 + i).collect();
			let seats = seats(&[3; 32], &bonds);
			assert_eq!(seats.len(), members as usize);
			assert_eq!(seats.iter().map(|s| s.chunks).sum::<u32>(), CODED_CHUNKS);
			let (low, high) = (CODED_CHUNKS / members, CODED_CHUNKS.div_ceil(members));
			assert!(seats.iter().all(|s| s.chunks == low || s.chunks == high));
		}
	}
}
