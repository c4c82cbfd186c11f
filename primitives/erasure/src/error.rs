//! The one error type of this crate: every way data can be refused, as a sentence.

use crate::CodecId;

/// Why a blob, file, chunk or proof was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErasureError {
	/// A blob must hold at least one byte.
	EmptyBlob,
	/// The blob is larger than [`crate::MAX_BLOB_SIZE`].
	BlobTooLarge {
		/// Its size in bytes.
		size: u64,
		/// The largest size allowed.
		max: u32,
	},
	/// Fewer chunks than the data chunk count `k` were given, so the blob cannot be rebuilt.
	NotEnoughChunks {
		/// Distinct chunks given.
		have: u32,
		/// Chunks needed.
		need: u32,
	},
	/// A chunk index is not below the coded chunk count `n`.
	ChunkIndexOutOfRange {
		/// The index given.
		index: u32,
		/// The chunk count.
		count: u32,
	},
	/// A chunk does not have the layout's chunk size.
	WrongChunkSize {
		/// The size the layout fixes.
		expected: u32,
		/// The size given.
		got: u32,
	},
	/// The same chunk index was given twice.
	DuplicateChunk(u32),
	/// A Merkle proof has the wrong number of levels for its tree.
	ProofWrongDepth {
		/// Levels the tree has.
		expected: u32,
		/// Levels the proof has.
		got: u32,
	},
	/// A Merkle proof does not lead to the committed root.
	ProofDoesNotMatchRoot,
	/// A leaf index is outside its tree.
	LeafIndexOutOfRange,
	/// The codec is not compiled into this build (enable its feature).
	CodecUnavailable(CodecId),
	/// The codec library refused the data; should not happen for a valid layout.
	CodecFailed(&'static str),
	/// A committee must have at least one member.
	EmptyCommittee,
	/// A file must hold at least one byte.
	EmptyFile,
	/// The subtrees of a flow append are not in strictly decreasing size.
	SubtreesNotDecreasing,
	/// The flow would exceed 2^63 sectors.
	FlowFull,
	/// The chunks committed to are not one codeword: the blob rebuilt from them codes to
	/// other chunks. Its submitter committed to a bad encoding, and no reader gets its data.
	NotOneCodeword,
}

impl core::fmt::Display for ErasureError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		core::fmt::Debug::fmt(self, f)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for ErasureError {}
