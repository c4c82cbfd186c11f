//! The id of an erasure code, recorded in every commitment: a chain can change codec later
//! without reinterpreting old blobs.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Which erasure code produced a blob's chunks.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum CodecId {
	/// Reed-Solomon over GF(2^16) with the Leopard FFT (crate `reed-solomon-simd`). Default.
	ReedSolomonSimd,
	/// Polkadot's availability code (crate `reed-solomon-novelpoly`), feature `novelpoly`.
	ReedSolomonNovelPoly,
}
