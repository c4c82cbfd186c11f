//! Storage layout: files are cut into 256-byte sectors (the Merkle leaves) and 256 KiB
//! segments of 1,024 sectors (the upload, replication and mining unit).
//!
//! A file's root is the Merkle root over its sectors, the last one zero-padded, with zero
//! sectors padding the leaf count to a power of two. Segments are aligned subtrees of that
//! tree, so a segment is checked with its own root and a short proof to the file root.
//!
//! In the flow, a file takes its sector count rounded up to at most
//! [`MAX_FILE_SUBTREES`] set bits (padding under 1/16), as that many aligned subtrees.

use crate::{
	hash::{hash_leaf, zero_subtree, Hash},
	merkle::{depth_for, MerkleProof, MerkleTree},
	parallel::{hash_leaves_parallel, part_roots_parallel},
	ErasureError,
};
use alloc::vec::Vec;

/// Bytes per sector, the Merkle leaf of stored data.
pub const SECTOR_SIZE: usize = 256;
/// Sectors per segment.
pub const SECTORS_PER_SEGMENT: u64 = 1024;
/// Bytes per segment.
pub const SEGMENT_SIZE: usize = SECTOR_SIZE * SECTORS_PER_SEGMENT as usize;
/// Levels of a full segment's own tree.
pub const SEGMENT_HEIGHT: u32 = 10;
/// The most aligned subtrees a file is appended to the flow as.
pub const MAX_FILE_SUBTREES: u32 = 5;

/// Sectors holding `size` bytes.
pub fn sector_count(size: u64) -> u64 {
	size.div_ceil(SECTOR_SIZE as u64)
}

/// Segments holding `size` bytes.
pub fn segment_count(size: u64) -> u64 {
	size.div_ceil(SEGMENT_SIZE as u64)
}

/// Sectors a file of `sectors` takes in the flow: rounded up to at most
/// [`MAX_FILE_SUBTREES`] set bits, so padding is under 1/16 of the file.
pub fn flow_sectors(sectors: u64) -> u64 {
	let bits = 64 - sectors.leading_zeros();
	if bits <= MAX_FILE_SUBTREES {
		return sectors;
	}
	let unit = 1u64 << (bits - MAX_FILE_SUBTREES);
	sectors.div_ceil(unit) * unit
}

/// Heights of the aligned subtrees a file of `sectors` is appended as, largest first.
pub fn subtree_heights(sectors: u64) -> Vec<u32> {
	let padded = flow_sectors(sectors);
	(0..64u32).rev().filter(|bit| padded & (1 << bit) != 0).collect()
}

/// Leaf hash of a sector: `bytes` (at most 256) zero-padded to 256.
pub fn sector_leaf(bytes: &[u8]) -> Hash {
	if bytes.len() == SECTOR_SIZE {
		return hash_leaf(bytes);
	}
	let mut sector = [0u8; SECTOR_SIZE];
	sector[..bytes.len()].copy_from_slice(bytes);
	hash_leaf(&sector)
}

/// Leaf hashes of `data`'s sectors, the last one zero-padded.
fn sector_leaves(data: &[u8]) -> Vec<Hash> {
	let full = data.len() / SECTOR_SIZE;
	let whole: Vec<&[u8]> = data[..full * SECTOR_SIZE].chunks(SECTOR_SIZE).collect();
	let mut leaves = hash_leaves_parallel(&whole);
	if !data.len().is_multiple_of(SECTOR_SIZE) {
		leaves.push(sector_leaf(&data[full * SECTOR_SIZE..]));
	}
	leaves
}

/// Where a file's tree splits into segment trees and the tree above them.
#[derive(Clone, Copy, Debug)]
struct FileShape {
	/// Sector leaves after padding to a power of two.
	padded_sectors: u64,
	/// Leaves of one segment's tree: 1,024, or fewer for a file under one segment.
	segment_leaves: u64,
}

impl FileShape {
	fn of(size: u64) -> Result<Self, ErasureError> {
		if size == 0 {
			return Err(ErasureError::EmptyFile);
		}
		let padded_sectors = sector_count(size).next_power_of_two();
		Ok(FileShape { padded_sectors, segment_leaves: padded_sectors.min(SECTORS_PER_SEGMENT) })
	}

	/// Levels from a segment root to the file root.
	fn upper_depth(&self) -> u32 {
		depth_for(self.padded_sectors / self.segment_leaves)
	}
}

/// Root of one segment's tree from its bytes (at most 256 KiB), padded with zero sectors.
fn segment_tree(data: &[u8], leaves: u64) -> MerkleTree {
	let mut hashes = sector_leaves(data);
	hashes.resize(leaves as usize, zero_subtree(SECTOR_SIZE, 0));
	MerkleTree::new(hashes, zero_subtree(SECTOR_SIZE, 0))
}

/// A file's commitment tree, kept as its segment roots and the small tree above them.
/// Memory is 32 bytes a segment (512 KiB for a 4 GiB file).
#[derive(Clone, Debug)]
pub struct FileTree {
	size: u64,
	shape: FileShape,
	upper: MerkleTree,
	/// Roots of the file's flow subtrees smaller than a segment (the tail), by height.
	small_subtrees: Vec<(u32, Hash)>,
}

impl FileTree {
	/// Builds the tree of `data`.
	pub fn new(data: &[u8]) -> Result<Self, ErasureError> {
		let shape = FileShape::of(data.len() as u64)?;
		let segment_roots: Vec<Hash> = part_roots_parallel(data, SEGMENT_SIZE, |segment| {
			segment_tree(segment, shape.segment_leaves).root()
		});
		let upper = MerkleTree::new(segment_roots, zero_subtree(SECTOR_SIZE, SEGMENT_HEIGHT));
		// Subtrees below segment height sit inside the last segment; hash them from data.
		let mut small_subtrees = Vec::new();
		let mut offset = 0u64;
		for height in subtree_heights(sector_count(data.len() as u64)) {
			if height < SEGMENT_HEIGHT && shape.padded_sectors > (1 << height) {
				let start = (offset as usize * SECTOR_SIZE).min(data.len());
				let end = ((offset + (1 << height)) as usize * SECTOR_SIZE).min(data.len());
				small_subtrees.push((height, segment_tree(&data[start..end], 1 << height).root()));
			}
			offset += 1 << height;
		}
		Ok(FileTree { size: data.len() as u64, shape, upper, small_subtrees })
	}

	/// The file root: what a storage deal commits to.
	pub fn root(&self) -> Hash {
		self.upper.root()
	}

	/// The file's size in bytes.
	pub fn size(&self) -> u64 {
		self.size
	}

	/// Levels of the file tree (sector proofs have this many siblings).
	pub fn depth(&self) -> u32 {
		depth_for(self.shape.padded_sectors)
	}

	/// The (height, root) of each aligned subtree the file is appended to the flow as,
	/// largest first.
	pub fn flow_subtrees(&self) -> Vec<(u32, Hash)> {
		let mut small = self.small_subtrees.iter();
		let mut offset = 0u64;
		subtree_heights(sector_count(self.size))
			.into_iter()
			.map(|height| {
				let root = if self.shape.padded_sectors == 1 << height {
					self.root()
				} else if height >= SEGMENT_HEIGHT {
					let level = height - SEGMENT_HEIGHT;
					self.upper.node(level, offset >> height).expect("subtree inside the file tree")
				} else {
					small.next().expect("small subtrees recorded in order").1
				};
				offset += 1 << height;
				(height, root)
			})
			.collect()
	}

	/// Proof of segment `index` against the file root.
	pub fn segment_proof(&self, index: u64) -> Option<MerkleProof> {
		self.upper.proof(index)
	}

	/// Proof of sector `index` against the file root; needs that sector's segment bytes.
	pub fn sector_proof(&self, data: &[u8], index: u64) -> Option<MerkleProof> {
		let per_segment = self.shape.segment_leaves;
		let segment = index / per_segment;
		let start = (segment * SEGMENT_SIZE as u64) as usize;
		if start >= data.len() {
			return None;
		}
		let end = (start + SEGMENT_SIZE).min(data.len());
		sector_proof_in_segment(self.size, &data[start..end], &self.segment_proof(segment)?, index)
	}
}

/// Proof of sector `index` against the root of a file of `size` bytes, from the bytes of the
/// segment holding it and that segment's proof (what a node that stores the segment has).
/// Sectors past the data inside that segment are its zero padding and can be proved too.
pub fn sector_proof_in_segment(
	size: u64,
	segment: &[u8],
	segment_proof: &MerkleProof,
	index: u64,
) -> Option<MerkleProof> {
	let shape = FileShape::of(size).ok()?;
	let per_segment = shape.segment_leaves;
	if index / per_segment != segment_proof.index || segment_proof.index >= segment_count(size) {
		return None;
	}
	let inner = segment_tree(segment, per_segment).proof(index % per_segment)?;
	let mut siblings = inner.siblings;
	siblings.extend(segment_proof.siblings.iter().copied());
	Some(MerkleProof { index, siblings })
}

/// Checks that `segment` (its bytes: 256 KiB, or less for the last one) is segment `index`
/// of the file with `root` and `size`.
pub fn verify_segment(
	root: &Hash,
	size: u64,
	index: u64,
	segment: &[u8],
	proof: &MerkleProof,
) -> Result<(), ErasureError> {
	let shape = FileShape::of(size)?;
	let count = segment_count(size);
	if index >= count {
		return Err(ErasureError::LeafIndexOutOfRange);
	}
	let expected =
		if index + 1 == count { size - index * SEGMENT_SIZE as u64 } else { SEGMENT_SIZE as u64 };
	if segment.len() as u64 != expected {
		return Err(ErasureError::WrongChunkSize {
			expected: expected as u32,
			got: segment.len() as u32,
		});
	}
	if proof.index != index {
		return Err(ErasureError::ProofDoesNotMatchRoot);
	}
	let segment_root = segment_tree(segment, shape.segment_leaves).root();
	proof.verify(root, segment_root, shape.upper_depth())
}

/// Checks that `sector` (its bytes, at most 256) is sector `index` of the file with `root`
/// and `size`.
pub fn verify_sector(
	root: &Hash,
	size: u64,
	index: u64,
	sector: &[u8],
	proof: &MerkleProof,
) -> Result<(), ErasureError> {
	let shape = FileShape::of(size)?;
	if index >= sector_count(size) || sector.len() > SECTOR_SIZE {
		return Err(ErasureError::LeafIndexOutOfRange);
	}
	if proof.index != index {
		return Err(ErasureError::ProofDoesNotMatchRoot);
	}
	proof.verify(root, sector_leaf(sector), depth_for(shape.padded_sectors))
}
