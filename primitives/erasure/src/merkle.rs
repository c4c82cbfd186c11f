//! Binary Merkle trees padded to a power of two, their proofs, and bounded verification.

use crate::{
	hash::{hash_level, hash_node, Hash},
	ErasureError,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The deepest proof accepted: 2^48 leaves (an 64 PiB flow of 256-byte sectors).
pub const MAX_PROOF_DEPTH: u32 = 48;

/// A path from a leaf to the root: the sibling at each level, bottom first. The leaf's
/// index decides, level by level, whether the sibling is on the left or the right.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MerkleProof {
	/// Position of the leaf among the tree's leaves.
	pub index: u64,
	/// Sibling hashes, from the leaf's level up to just below the root.
	pub siblings: Vec<Hash>,
}

impl MerkleProof {
	/// The root this proof leads to from `leaf`. Costs one hash per level.
	pub fn root_from(&self, leaf: Hash) -> Hash {
		let mut node = leaf;
		let mut index = self.index;
		for sibling in &self.siblings {
			node =
				if index & 1 == 0 { hash_node(&node, sibling) } else { hash_node(sibling, &node) };
			index >>= 1;
		}
		node
	}

	/// Checks that `leaf` sits at `self.index` in a tree of `depth` levels with `root`.
	/// Refuses proofs of the wrong depth or past [`MAX_PROOF_DEPTH`] before hashing.
	pub fn verify(&self, root: &Hash, leaf: Hash, depth: u32) -> Result<(), ErasureError> {
		let got = self.siblings.len() as u32;
		if got != depth || depth > MAX_PROOF_DEPTH {
			return Err(ErasureError::ProofWrongDepth { expected: depth, got });
		}
		if depth < 64 && self.index >> depth != 0 {
			return Err(ErasureError::LeafIndexOutOfRange);
		}
		if &self.root_from(leaf) == root {
			Ok(())
		} else {
			Err(ErasureError::ProofDoesNotMatchRoot)
		}
	}
}

/// Levels of a tree over `leaves` leaves padded to a power of two (0 for one leaf).
pub fn depth_for(leaves: u64) -> u32 {
	leaves.max(1).next_power_of_two().trailing_zeros()
}

/// A whole Merkle tree in memory: every level, leaves first, padded to a power of two.
#[derive(Clone, Debug)]
pub struct MerkleTree {
	levels: Vec<Vec<Hash>>,
	leaf_count: u64,
}

impl MerkleTree {
	/// Builds the tree over `leaves` (leaf hashes), padding with `pad` leaves up to the next
	/// power of two. Padding nodes above are the hashes of padding below.
	pub fn new(mut leaves: Vec<Hash>, pad: Hash) -> Self {
		let leaf_count = leaves.len() as u64;
		let width = leaves.len().max(1).next_power_of_two();
		leaves.resize(width, pad);
		let mut levels = alloc::vec![leaves];
		while levels.last().map(|l| l.len()).unwrap_or(1) > 1 {
			let below = levels.last().expect("at least one level");
			let above: Vec<Hash> = hash_level(below);
			levels.push(above);
		}
		MerkleTree { levels, leaf_count }
	}

	/// The root.
	pub fn root(&self) -> Hash {
		self.levels.last().expect("a tree has a root level")[0]
	}

	/// Levels between the leaves and the root.
	pub fn depth(&self) -> u32 {
		(self.levels.len() - 1) as u32
	}

	/// Leaves given (before padding).
	pub fn leaf_count(&self) -> u64 {
		self.leaf_count
	}

	/// The node at `level` (0 = leaves, padded) and `index` within that level.
	pub fn node(&self, level: u32, index: u64) -> Option<Hash> {
		self.levels.get(level as usize)?.get(index as usize).copied()
	}

	/// The proof for leaf `index`, or `None` past the given leaves.
	pub fn proof(&self, index: u64) -> Option<MerkleProof> {
		if index >= self.leaf_count {
			return None;
		}
		let mut position = index as usize;
		let mut siblings = Vec::with_capacity(self.levels.len() - 1);
		for level in &self.levels[..self.levels.len() - 1] {
			siblings.push(level[position ^ 1]);
			position >>= 1;
		}
		Some(MerkleProof { index, siblings })
	}
}
