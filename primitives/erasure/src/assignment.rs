//! Which committee member holds which coded chunks: a pure function of the epoch's
//! randomness, the committee size and the chunk count, shared by the runtime (to check who
//! must attest and answer challenges) and the node (to know what to fetch).
//!
//! The members are shuffled with a Fisher–Yates permutation driven by blake2b of the
//! randomness; chunk `c` goes to the member at position `c mod m` of that order. Each member
//! holds `n/m` chunks (±1), and any third of the members together hold at least `k = n/3`
//! chunks when `m` divides `n` (for 1,024 members and 3,072 chunks: 3 each).

use crate::{hash::Hash, ErasureError};
use alloc::vec::Vec;

/// The chunks-to-members map for one blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkAssignment {
	/// Member index at each position of the shuffled order.
	order: Vec<u32>,
	/// Position of each member in the shuffled order.
	position: Vec<u32>,
	chunks: u32,
}

/// A 64-bit random draw number `counter` from `randomness`.
fn draw(randomness: &Hash, counter: u32) -> u64 {
	let hash = blake2b_simd::Params::new()
		.hash_length(8)
		.personal(b"zerog-assign")
		.to_state()
		.update(randomness)
		.update(&counter.to_le_bytes())
		.finalize();
	let mut bytes = [0u8; 8];
	bytes.copy_from_slice(hash.as_bytes());
	u64::from_le_bytes(bytes)
}

/// Assigns `chunks` chunks to a committee of `members` (identified by index `0..members`).
pub fn assign_chunks(
	randomness: &Hash,
	members: u32,
	chunks: u32,
) -> Result<ChunkAssignment, ErasureError> {
	if members == 0 {
		return Err(ErasureError::EmptyCommittee);
	}
	let mut order: Vec<u32> = (0..members).collect();
	for i in (1..members).rev() {
		// Modulo bias is below 2^-40 for committees under 2^24.
		let j = (draw(randomness, i) % (i as u64 + 1)) as u32;
		order.swap(i as usize, j as usize);
	}
	let mut position = alloc::vec![0u32; members as usize];
	for (pos, member) in order.iter().enumerate() {
		position[*member as usize] = pos as u32;
	}
	Ok(ChunkAssignment { order, position, chunks })
}

impl ChunkAssignment {
	/// The member that holds `chunk`.
	pub fn holder(&self, chunk: u32) -> Option<u32> {
		(chunk < self.chunks).then(|| self.order[(chunk as usize) % self.order.len()])
	}

	/// The chunks `member` holds, in increasing order.
	pub fn chunks_of(&self, member: u32) -> impl Iterator<Item = u32> + '_ {
		let members = self.order.len() as u32;
		let first = self.position.get(member as usize).copied().unwrap_or(self.chunks);
		(first..self.chunks).step_by(members as usize)
	}

	/// Committee size.
	pub fn members(&self) -> u32 {
		self.order.len() as u32
	}
}
