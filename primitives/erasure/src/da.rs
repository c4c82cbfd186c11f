//! Data-availability layout: a blob becomes `k` data chunks extended to `n = 3k` coded
//! chunks, committed by a Merkle root over the coded chunks.
//!
//! ## Why k = 1024 for every blob
//! The largest blob, [`MAX_BLOB_SIZE`] = 32,505,852 bytes (0G's maximum: a 1024 x 1024 matrix
//! of 31-byte field elements less a 4-byte length), cut into 1024 data chunks gives chunks of
//! 31,744 bytes (a multiple of the codec's 64-byte block) and 3,072 coded chunks of 97.5 MB in
//! all. A committee of up to 1,024 members then holds 3 chunks each (about 93 KiB), and any
//! third of the members together hold `k` chunks, enough to rebuild. Keeping `k` fixed
//! spreads every blob, small or large, over the whole committee, and gives every chunk proof
//! the same depth (12 levels), so the runtime's verification cost is one constant. The price
//! is that a tiny blob still costs 3,072 chunks of at least 64 bytes (192 KiB coded).

use crate::{
	codecs::{Chunks, ErasureCodec, ReedSolomonSimd},
	hash::{hash_leaf, Hash},
	merkle::{MerkleProof, MerkleTree},
	CodecId, ErasureError,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The largest blob, in bytes.
pub const MAX_BLOB_SIZE: u32 = 32_505_852;
/// Data chunks per blob (`k`): any `k` coded chunks rebuild the blob.
pub const DATA_CHUNKS: u32 = 1024;
/// Coded chunks per data chunk: `n = 3k`.
pub const EXTENSION_FACTOR: u32 = 3;
/// Coded chunks per blob (`n`).
pub const CODED_CHUNKS: u32 = DATA_CHUNKS * EXTENSION_FACTOR;
/// Levels of a blob's chunk tree (3,072 chunks padded to 4,096 leaves).
pub const CHUNK_PROOF_DEPTH: u32 = 12;
/// The leaf that pads the chunk tree to a power of two.
pub const CHUNK_TREE_PAD: Hash = [0u8; 32];

/// What a blob is bound to on chain: the Merkle root over its coded chunks, its size and
/// the codec that produced them. Everything else (chunk count, chunk size) follows.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct BlobCommitment {
	/// Merkle root over the `n` coded chunks (blake2b-256, padded to 4,096 leaves).
	pub root: Hash,
	/// The blob's size in bytes.
	pub size: u32,
	/// The erasure code used.
	pub codec: CodecId,
}

/// How a blob of a given size is cut.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BlobLayout {
	/// Blob size in bytes.
	pub size: u32,
	/// Bytes per chunk.
	pub chunk_size: u32,
	/// The codec.
	pub codec: CodecId,
}

impl BlobLayout {
	/// The layout of a `size`-byte blob coded with `codec`; refuses empty and oversized blobs.
	pub fn new(size: u64, codec: CodecId) -> Result<Self, ErasureError> {
		if size == 0 {
			return Err(ErasureError::EmptyBlob);
		}
		if size > MAX_BLOB_SIZE as u64 {
			return Err(ErasureError::BlobTooLarge { size, max: MAX_BLOB_SIZE });
		}
		let k = DATA_CHUNKS as usize;
		let chunk_size = match codec {
			CodecId::ReedSolomonSimd => ReedSolomonSimd::chunk_size(size as usize, k),
			#[cfg(feature = "novelpoly")]
			CodecId::ReedSolomonNovelPoly => {
				crate::codecs::ReedSolomonNovelPoly::chunk_size(size as usize, k)
			},
			#[cfg(not(feature = "novelpoly"))]
			CodecId::ReedSolomonNovelPoly => return Err(ErasureError::CodecUnavailable(codec)),
		};
		Ok(BlobLayout { size: size as u32, chunk_size: chunk_size as u32, codec })
	}

	/// Checks that `chunk` could be coded chunk `index`: index in range, exact size.
	pub fn check_chunk(&self, index: u32, chunk: &[u8]) -> Result<(), ErasureError> {
		if index >= CODED_CHUNKS {
			return Err(ErasureError::ChunkIndexOutOfRange { index, count: CODED_CHUNKS });
		}
		if chunk.len() != self.chunk_size as usize {
			return Err(ErasureError::WrongChunkSize {
				expected: self.chunk_size,
				got: chunk.len() as u32,
			});
		}
		Ok(())
	}

	/// Bytes of all coded chunks together.
	pub fn coded_size(&self) -> u64 {
		self.chunk_size as u64 * CODED_CHUNKS as u64
	}
}

impl BlobCommitment {
	/// The layout this commitment implies.
	pub fn layout(&self) -> Result<BlobLayout, ErasureError> {
		BlobLayout::new(self.size as u64, self.codec)
	}

	/// Checks that `chunk` is coded chunk `index` of this blob. Costs 13 hashes.
	pub fn verify_chunk(
		&self,
		index: u32,
		chunk: &[u8],
		proof: &MerkleProof,
	) -> Result<(), ErasureError> {
		self.layout()?.check_chunk(index, chunk)?;
		if proof.index != index as u64 {
			return Err(ErasureError::ProofDoesNotMatchRoot);
		}
		proof.verify(&self.root, hash_leaf(chunk), CHUNK_PROOF_DEPTH)
	}
}

/// A blob after coding: its chunks, their tree and the commitment.
pub struct EncodedBlob {
	/// What goes on chain.
	pub commitment: BlobCommitment,
	/// The `n` coded chunks.
	pub chunks: Chunks,
	tree: MerkleTree,
}

impl EncodedBlob {
	/// Coded chunk `index`.
	pub fn chunk(&self, index: u32) -> &[u8] {
		self.chunks.get(index as usize)
	}

	/// The proof of chunk `index` against the commitment's root.
	pub fn proof(&self, index: u32) -> Option<MerkleProof> {
		self.tree.proof(index as u64)
	}
}

/// Builds the Merkle tree over coded chunks, hashing leaves on all cores.
pub fn chunk_tree(chunks: &Chunks) -> MerkleTree {
	let leaves: Vec<&[u8]> = chunks.iter().collect();
	MerkleTree::new(crate::parallel::hash_leaves_parallel(&leaves), CHUNK_TREE_PAD)
}

/// Erasure-codes `blob` with `codec` and commits to the coded chunks.
pub fn encode_blob(blob: &[u8], codec: CodecId) -> Result<EncodedBlob, ErasureError> {
	let chunks = code_blob(blob, codec)?;
	Ok(commit_chunks(chunks, blob.len() as u32, codec))
}

/// The coding half of [`encode_blob`]: the `n` coded chunks of `blob`.
pub fn code_blob(blob: &[u8], codec: CodecId) -> Result<Chunks, ErasureError> {
	let layout = BlobLayout::new(blob.len() as u64, codec)?;
	let (k, n) = (DATA_CHUNKS as usize, CODED_CHUNKS as usize);
	let chunks = match codec {
		CodecId::ReedSolomonSimd => ReedSolomonSimd::encode(blob, k, n)?,
		#[cfg(feature = "novelpoly")]
		CodecId::ReedSolomonNovelPoly => crate::codecs::ReedSolomonNovelPoly::encode(blob, k, n)?,
		#[cfg(not(feature = "novelpoly"))]
		CodecId::ReedSolomonNovelPoly => return Err(ErasureError::CodecUnavailable(codec)),
	};
	debug_assert_eq!(chunks.chunk_size, layout.chunk_size as usize);
	Ok(chunks)
}

/// The hashing half of [`encode_blob`]: the Merkle tree over coded `chunks` of a `size`-byte
/// blob, and its commitment.
pub fn commit_chunks(chunks: Chunks, size: u32, codec: CodecId) -> EncodedBlob {
	let tree = chunk_tree(&chunks);
	let commitment = BlobCommitment { root: tree.root(), size, codec };
	EncodedBlob { commitment, chunks, tree }
}

/// Rebuilds a blob from any `k` of its coded chunks, given as (index, bytes). Chunks should
/// have been checked against the commitment with [`BlobCommitment::verify_chunk`] first.
pub fn reconstruct_blob(
	commitment: &BlobCommitment,
	chunks: &[(u32, &[u8])],
) -> Result<Vec<u8>, ErasureError> {
	let layout = commitment.layout()?;
	let mut seen = alloc::vec![false; CODED_CHUNKS as usize];
	let mut usable: Vec<(usize, &[u8])> = Vec::with_capacity(DATA_CHUNKS as usize);
	for &(index, chunk) in chunks {
		layout.check_chunk(index, chunk)?;
		if core::mem::replace(&mut seen[index as usize], true) {
			return Err(ErasureError::DuplicateChunk(index));
		}
		// k chunks are enough; more only slow the decoder down.
		if usable.len() < DATA_CHUNKS as usize {
			usable.push((index as usize, chunk));
		}
	}
	if usable.len() < DATA_CHUNKS as usize {
		return Err(ErasureError::NotEnoughChunks { have: usable.len() as u32, need: DATA_CHUNKS });
	}
	let (size, k, n) = (layout.size as usize, DATA_CHUNKS as usize, CODED_CHUNKS as usize);
	match commitment.codec {
		CodecId::ReedSolomonSimd => ReedSolomonSimd::reconstruct(size, k, n, &usable),
		#[cfg(feature = "novelpoly")]
		CodecId::ReedSolomonNovelPoly => {
			crate::codecs::ReedSolomonNovelPoly::reconstruct(size, k, n, &usable)
		},
		#[cfg(not(feature = "novelpoly"))]
		CodecId::ReedSolomonNovelPoly => Err(ErasureError::CodecUnavailable(commitment.codec)),
	}
}

/// Rebuilds a blob as [`reconstruct_blob`] does, then codes it again and checks that the
/// chunks commit to `commitment`. Only then were the committed chunks one codeword, and every
/// reader, whichever `k` chunks it holds, gets these same bytes. Chunks of no single codeword
/// (a malicious submitter's) give [`ErasureError::NotOneCodeword`] to every reader instead of
/// different blobs to different readers. Costs one more encode and chunk tree.
pub fn reconstruct_verified(
	commitment: &BlobCommitment,
	chunks: &[(u32, &[u8])],
) -> Result<Vec<u8>, ErasureError> {
	reconstruct_checked(commitment, chunks).map(|(blob, _)| blob)
}

/// Rebuilds and checks a blob as [`reconstruct_verified`] does, and returns its coding: every
/// coded chunk with its proof. A committee member that never got its assigned chunks from the
/// submitter stores them from this (a repair), knowing they are the committed ones.
pub fn reencode_verified(
	commitment: &BlobCommitment,
	chunks: &[(u32, &[u8])],
) -> Result<EncodedBlob, ErasureError> {
	reconstruct_checked(commitment, chunks).map(|(_, encoded)| encoded)
}

fn reconstruct_checked(
	commitment: &BlobCommitment,
	chunks: &[(u32, &[u8])],
) -> Result<(Vec<u8>, EncodedBlob), ErasureError> {
	let blob = reconstruct_blob(commitment, chunks)?;
	let encoded = encode_blob(&blob, commitment.codec)?;
	if encoded.commitment != *commitment {
		return Err(ErasureError::NotOneCodeword);
	}
	Ok((blob, encoded))
}

// The depth constant matches the chunk count: 2^11 < 3,072 <= 2^12.
const _: () = assert!(
	1u64 << CHUNK_PROOF_DEPTH >= CODED_CHUNKS as u64
		&& 1u64 << (CHUNK_PROOF_DEPTH - 1) < CODED_CHUNKS as u64
);
