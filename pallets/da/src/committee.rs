//! Drawing an epoch's committee: seats filled one by one, each by a draw weighted by bond
//! among the operators not yet seated, from the epoch's randomness.

use alloc::vec::Vec;
use sp_runtime::traits::UniqueSaturatedInto;

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
