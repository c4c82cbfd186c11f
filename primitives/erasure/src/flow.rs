//! The flow: one global append-only log of every stored file, committed by an incremental
//! Merkle tree over 256-byte sectors.
//!
//! [`Flow`] keeps only the peaks (one root per set bit of the length, O(log n)) and is what
//! the runtime stores. Files are appended as aligned subtree roots (see
//! [`crate::storage::FileTree::flow_subtrees`]); the flow is first padded with zero sectors
//! to the alignment of the file's largest subtree. The root is the tree padded with zero
//! sectors to a power of two.
//!
//! [`FlowProver`] (node side) also remembers every appended subtree root, so that it can
//! prove any sector given the path inside that sector's own subtree (from the file's data).

use crate::{
	hash::{hash_node, zero_subtree, Hash},
	merkle::{depth_for, MerkleProof},
	storage::SECTOR_SIZE,
	ErasureError,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Roots of all-zero subtrees over zero sectors, by height.
pub struct ZeroHashes(Vec<Hash>);

impl ZeroHashes {
	/// Zero roots for heights `0..=max_height`.
	pub fn up_to(max_height: u32) -> Self {
		let mut hashes = Vec::with_capacity(max_height as usize + 1);
		hashes.push(zero_subtree(SECTOR_SIZE, 0));
		for h in 1..=max_height as usize {
			hashes.push(hash_node(&hashes[h - 1], &hashes[h - 1]));
		}
		ZeroHashes(hashes)
	}

	/// Root of an all-zero subtree of `height`.
	pub fn at(&self, height: u32) -> Hash {
		self.0[height as usize]
	}
}

/// The flow's commitment state: its length in sectors and one peak per set bit of it.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, TypeInfo)]
pub struct Flow {
	length: u64,
	/// Peak roots, largest subtree first (the set bits of `length`, high to low).
	peaks: Vec<Hash>,
}

impl Decode for Flow {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let length = u64::decode(input)?;
		let peaks = Vec::<Hash>::decode(input)?;
		if peaks.len() as u32 != length.count_ones() {
			return Err("flow peaks do not match its length".into());
		}
		Ok(Flow { length, peaks })
	}
}

impl MaxEncodedLen for Flow {
	fn max_encoded_len() -> usize {
		// length + compact(64) + 64 peaks
		8 + 1 + 64 * 32
	}
}

impl Flow {
	/// An empty flow.
	pub fn new() -> Self {
		Self::default()
	}

	/// Length in sectors, padding included.
	pub fn length(&self) -> u64 {
		self.length
	}

	/// Heights of the peaks, largest first.
	fn peak_heights(&self) -> impl Iterator<Item = u32> + '_ {
		(0..64u32).rev().filter(move |bit| self.length & (1u64 << bit) != 0)
	}

	/// Appends one aligned subtree of `height` with `root`. The length must be a multiple
	/// of `2^height`.
	fn push_subtree(&mut self, height: u32, root: Hash) -> Result<(), ErasureError> {
		debug_assert!(self.length.is_multiple_of(1u64 << height), "subtree not aligned");
		let new_length = self
			.length
			.checked_add(1u64 << height)
			.filter(|l| *l < 1 << 63)
			.ok_or(ErasureError::FlowFull)?;
		let mut node = root;
		let mut level = height;
		while self.length & (1u64 << level) != 0 {
			let left = self.peaks.pop().expect("a set bit has a peak");
			node = hash_node(&left, &node);
			level += 1;
		}
		self.peaks.push(node);
		self.length = new_length;
		Ok(())
	}

	/// Appends `count` zero sectors as aligned zero subtrees; returns them as
	/// (start, height) pairs.
	pub fn append_zeros(
		&mut self,
		mut count: u64,
		zeros: &ZeroHashes,
	) -> Result<Vec<(u64, u32)>, ErasureError> {
		let mut appended = Vec::new();
		while count > 0 {
			let align = if self.length == 0 { 63 } else { self.length.trailing_zeros() };
			let height = align.min(63 - count.leading_zeros());
			appended.push((self.length, height));
			self.push_subtree(height, zeros.at(height))?;
			count -= 1 << height;
		}
		Ok(appended)
	}

	/// Zero sectors needed before a file whose largest subtree has `height`.
	pub fn padding_before(&self, height: u32) -> u64 {
		let unit = 1u64 << height;
		(unit - self.length % unit) % unit
	}

	/// Appends a file given as its aligned subtrees (height, root), largest first, after
	/// padding for alignment. Returns the file's first sector in the flow.
	pub fn append_file(&mut self, subtrees: &[(u32, Hash)]) -> Result<u64, ErasureError> {
		let zeros = ZeroHashes::up_to(63);
		self.append_file_with(subtrees, &zeros).map(|(start, _)| start)
	}

	fn append_file_with(
		&mut self,
		subtrees: &[(u32, Hash)],
		zeros: &ZeroHashes,
	) -> Result<(u64, Vec<(u64, u32)>), ErasureError> {
		let first = subtrees.first().ok_or(ErasureError::EmptyFile)?.0;
		if subtrees.windows(2).any(|w| w[1].0 >= w[0].0) || first > 62 {
			return Err(ErasureError::SubtreesNotDecreasing);
		}
		let total: u64 = subtrees.iter().map(|(h, _)| 1u64 << h).sum();
		let padding = self.padding_before(first);
		if self.length.checked_add(padding + total).filter(|l| *l < 1 << 63).is_none() {
			return Err(ErasureError::FlowFull);
		}
		let pads = self.append_zeros(padding, zeros)?;
		let start = self.length;
		for &(height, root) in subtrees {
			self.push_subtree(height, root)?;
		}
		Ok((start, pads))
	}

	/// The root: the tree over all sectors, padded with zero sectors to a power of two.
	pub fn root(&self) -> Hash {
		let depth = depth_for(self.length);
		let zeros = ZeroHashes::up_to(depth);
		if self.length == 0 {
			return zeros.at(0);
		}
		let mut node: Option<Hash> = None;
		let mut height = 0u32;
		let heights: Vec<u32> = self.peak_heights().collect();
		for (peak, peak_height) in self.peaks.iter().zip(heights).rev() {
			node = Some(match node {
				None => {
					height = peak_height;
					*peak
				},
				Some(mut right) => {
					while height < peak_height {
						right = hash_node(&right, &zeros.at(height));
						height += 1;
					}
					height += 1;
					hash_node(peak, &right)
				},
			});
		}
		let mut root = node.expect("a non-empty flow has a peak");
		while height < depth {
			root = hash_node(&root, &zeros.at(height));
			height += 1;
		}
		root
	}
}

/// A flow that also remembers every appended subtree, to prove any sector.
#[derive(Clone, Debug, Default)]
pub struct FlowProver {
	flow: Flow,
	/// Appended subtrees by first sector: (height, root).
	entries: BTreeMap<u64, (u32, Hash)>,
}

impl FlowProver {
	/// An empty flow.
	pub fn new() -> Self {
		Self::default()
	}

	/// The commitment state.
	pub fn flow(&self) -> &Flow {
		&self.flow
	}

	/// Appends a file as [`Flow::append_file`] does and records its subtrees.
	pub fn append_file(&mut self, subtrees: &[(u32, Hash)]) -> Result<u64, ErasureError> {
		let zeros = ZeroHashes::up_to(63);
		let (start, pads) = self.flow.append_file_with(subtrees, &zeros)?;
		for (pad_start, height) in pads {
			self.entries.insert(pad_start, (height, zeros.at(height)));
		}
		let mut position = start;
		for &(height, root) in subtrees {
			self.entries.insert(position, (height, root));
			position += 1 << height;
		}
		Ok(start)
	}

	/// The appended subtree holding `sector`: (start, height).
	pub fn entry_of(&self, sector: u64) -> Option<(u64, u32)> {
		let (&start, &(height, _)) = self.entries.range(..=sector).next_back()?;
		(sector < start + (1 << height)).then_some((start, height))
	}

	/// The node at `level` and `index`, or `None` when it lies strictly inside an appended
	/// subtree (only the file's data can give it).
	fn node(
		&self,
		level: u32,
		index: u64,
		zeros: &ZeroHashes,
		memo: &mut BTreeMap<(u32, u64), Hash>,
	) -> Option<Hash> {
		let start = index << level;
		if start >= self.flow.length {
			return Some(zeros.at(level));
		}
		if let Some(hash) = memo.get(&(level, index)) {
			return Some(*hash);
		}
		if let Some((&entry_start, &(height, root))) = self.entries.range(..=start).next_back() {
			if entry_start == start && height == level {
				return Some(root);
			}
			if height > level && start < entry_start + (1 << height) {
				return None;
			}
		}
		if level == 0 {
			return None;
		}
		let left = self.node(level - 1, index * 2, zeros, memo)?;
		let right = self.node(level - 1, index * 2 + 1, zeros, memo)?;
		let hash = hash_node(&left, &right);
		memo.insert((level, index), hash);
		Some(hash)
	}

	/// Proof of `sector` against the flow root, given `inner`: the siblings of the sector
	/// inside its own appended subtree, bottom first (from the file's sector proof: its
	/// first `height` siblings).
	pub fn proof(&self, sector: u64, inner: &[Hash]) -> Result<MerkleProof, ErasureError> {
		let (_, height) = self.entry_of(sector).ok_or(ErasureError::LeafIndexOutOfRange)?;
		if inner.len() as u32 != height {
			return Err(ErasureError::ProofWrongDepth {
				expected: height,
				got: inner.len() as u32,
			});
		}
		let depth = depth_for(self.flow.length);
		let zeros = ZeroHashes::up_to(depth);
		let mut memo = BTreeMap::new();
		let mut siblings = inner.to_vec();
		for level in height..depth {
			let sibling = (sector >> level) ^ 1;
			siblings.push(
				self.node(level, sibling, &zeros, &mut memo)
					.ok_or(ErasureError::LeafIndexOutOfRange)?,
			);
		}
		Ok(MerkleProof { index: sector, siblings })
	}
}
