//! # zerog-erasure
//!
//! The bytes the runtime and the node must agree on: how data is cut, erasure-coded and
//! committed. No_std, so the runtime verifies with the same code the node proves with.
//!
//! - [`codecs`]: the [`ErasureCodec`] trait; `reed-solomon-simd` (default) and
//!   `reed-solomon-novelpoly` (feature `novelpoly`). A [`CodecId`] goes into every commitment.
//! - [`da`]: a blob of 1 to [`MAX_BLOB_SIZE`] bytes becomes `k = 1024` data chunks extended to
//!   `n = 3072` coded chunks; [`BlobCommitment`] = Merkle root + size + codec.
//! - [`merkle`]: binary Merkle trees (blake2b-256, domain-separated leaves and nodes),
//!   proofs, and verification with bounded cost.
//! - [`storage`]: 256-byte sectors, 256 KiB segments, file roots and segment/sector proofs.
//! - [`flow`]: the append-only flow of all files, as an incremental Merkle tree.
//! - [`assignment`]: which DA committee member holds which chunks.
//!
//! ```
//! use zerog_erasure::{encode_blob, reconstruct_blob, CodecId, DATA_CHUNKS};
//! let blob = b"rollup batch #1".repeat(1000);
//! let encoded = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
//! // Any k chunks rebuild it; here the last k (all parity).
//! let chunks: Vec<(u32, &[u8])> =
//!     (2 * DATA_CHUNKS..3 * DATA_CHUNKS).map(|i| (i, encoded.chunk(i))).collect();
//! assert_eq!(reconstruct_blob(&encoded.commitment, &chunks).unwrap(), blob);
//! // Each chunk is checked against the commitment with its proof.
//! let proof = encoded.proof(7).unwrap();
//! encoded.commitment.verify_chunk(7, encoded.chunk(7), &proof).unwrap();
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod assignment;
pub mod codec_id;
pub mod codecs;
pub mod da;
pub mod error;
pub mod flow;
pub mod hash;
pub mod kv;
pub mod merkle;
mod parallel;
pub mod pora;
pub mod storage;

pub use assignment::{assign_chunks, ChunkAssignment};
pub use codec_id::CodecId;
#[cfg(feature = "std")]
pub use codecs::set_max_threads;
#[cfg(feature = "novelpoly")]
pub use codecs::ReedSolomonNovelPoly;
pub use codecs::{Chunks, ErasureCodec, ReedSolomonSimd};
pub use da::{
	code_blob, commit_chunks, encode_blob, reconstruct_blob, reconstruct_verified,
	reencode_verified, BlobCommitment, BlobLayout, EncodedBlob, CHUNK_PROOF_DEPTH, CODED_CHUNKS,
	DATA_CHUNKS, EXTENSION_FACTOR, MAX_BLOB_SIZE,
};
pub use error::ErasureError;
pub use flow::{Flow, FlowProver};
pub use hash::Hash;
pub use merkle::{MerkleProof, MerkleTree};
pub use storage::{FileTree, SECTOR_SIZE, SEGMENT_SIZE};
