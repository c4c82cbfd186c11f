//! The records of the registry: tokens and their data items, oracles, and the proofs a
//! transfer or clone carries.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

/// A token's id.
pub type TokenId = u64;

/// What kind of verifier an oracle key belongs to.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub enum OracleKind {
	/// A trusted execution environment that re-encrypts the data inside an enclave.
	Tee,
	/// A zero-knowledge verifier of the re-encryption.
	Zkp,
}

/// A registered oracle.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
)]
pub struct OracleInfo {
	/// TEE or ZKP.
	pub kind: OracleKind,
	/// Hash of the enclave's attestation report (or of the verifier's setup), when published.
	pub attestation: Option<[u8; 32]>,
}

/// One piece of a token's private data: a public description, the hash of the encrypted
/// data, and the data key sealed to the owner.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxDescription, MaxSealedKey))]
pub struct DataItem<MaxDescription: Get<u32>, MaxSealedKey: Get<u32>> {
	/// What the data is (public), e.g. `model weights` or `memory`.
	pub description: BoundedVec<u8, MaxDescription>,
	/// Hash of the encrypted data (where it is stored is up to the owner: a storage root,
	/// a URL).
	pub data_hash: [u8; 32],
	/// The data key, sealed (encrypted) to the current owner's public key.
	pub sealed_key: BoundedVec<u8, MaxSealedKey>,
}

/// A token.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxItems, MaxDescription, MaxSealedKey, MaxUri))]
// The SCALE derives repeat the parameters' bounds in their own where-clauses.
#[allow(clippy::multiple_bound_locations)]
pub struct Token<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxItems: Get<u32>,
	MaxDescription: Get<u32>,
	MaxSealedKey: Get<u32>,
	MaxUri: Get<u32>,
> {
	/// The owner.
	pub owner: AccountId,
	/// The private data items (none: a plain NFT that moves without proofs).
	pub data: BoundedVec<DataItem<MaxDescription, MaxSealedKey>, MaxItems>,
	/// Public metadata URI.
	pub uri: BoundedVec<u8, MaxUri>,
	/// The nonce the next transfer's or clone's proofs must sign; it rises with each one,
	/// so a proof is never accepted twice.
	pub nonce: u64,
	/// Who paid the storage deposit (returned on burn).
	pub depositor: AccountId,
	/// The deposit held.
	pub deposit: Balance,
}

/// A signature in a proof: by a Substrate key of the signing account, or by the Ethereum
/// key behind the account's H160 address (EIP-191 `personal_sign` over the keccak-256 of
/// the message), so that Solidity users and wallets can make proofs too.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub enum ProofSignature<Signature> {
	/// sr25519, ed25519 or ecdsa over the message bytes (the runtime's `MultiSignature`).
	Substrate(Signature),
	/// secp256k1 `(r, s, v)` over `keccak256("\x19Ethereum Signed Message:\n32" ‖
	/// keccak256(message))`.
	Ethereum([u8; 65]),
}

/// The proofs for one data item of a transfer or clone.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSealedKey, MaxReceiverKey))]
// The SCALE derives repeat the parameters' bounds in their own where-clauses.
#[allow(clippy::multiple_bound_locations)]
pub struct TransferProof<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Signature: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxSealedKey: Get<u32>,
	MaxReceiverKey: Get<u32>,
> {
	/// The oracle that re-encrypted the data.
	pub oracle: AccountId,
	/// Hash of the data re-encrypted for the receiver.
	pub new_data_hash: [u8; 32],
	/// The data key sealed to the receiver.
	pub new_sealed_key: BoundedVec<u8, MaxSealedKey>,
	/// The receiver's public encryption key the data was re-encrypted to.
	pub receiver_key: BoundedVec<u8, MaxReceiverKey>,
	/// The oracle's signature over [`ownership_message`].
	pub ownership: ProofSignature<Signature>,
	/// The receiver's (or its delegated assistant's) signature over [`access_message`].
	pub access: ProofSignature<Signature>,
}

/// The domain tag of ownership proofs.
pub const OWNERSHIP_DOMAIN: &[u8; 23] = b"zerog:inft:ownership:v1";
/// The domain tag of access proofs.
pub const ACCESS_DOMAIN: &[u8; 20] = b"zerog:inft:access:v1";

/// What an oracle signs for one data item: `SCALE(OWNERSHIP_DOMAIN, genesis, token,
/// old_data_hash, new_data_hash, new_sealed_key, receiver_key, nonce)`.
#[allow(clippy::too_many_arguments)]
pub fn ownership_message<GenesisHash: Encode>(
	genesis: &GenesisHash,
	token: TokenId,
	old_data_hash: &[u8; 32],
	new_data_hash: &[u8; 32],
	new_sealed_key: &[u8],
	receiver_key: &[u8],
	nonce: u64,
) -> alloc::vec::Vec<u8> {
	(
		OWNERSHIP_DOMAIN,
		genesis,
		token,
		old_data_hash,
		new_data_hash,
		new_sealed_key,
		receiver_key,
		nonce,
	)
		.encode()
}

/// What the receiver (or its assistant) signs for one data item: `SCALE(ACCESS_DOMAIN,
/// genesis, token, new_data_hash, receiver_key, nonce)`.
pub fn access_message<GenesisHash: Encode>(
	genesis: &GenesisHash,
	token: TokenId,
	new_data_hash: &[u8; 32],
	receiver_key: &[u8],
	nonce: u64,
) -> alloc::vec::Vec<u8> {
	(ACCESS_DOMAIN, genesis, token, new_data_hash, receiver_key, nonce).encode()
}

/// The 32 bytes an Ethereum signer signs with `personal_sign` for `message`:
/// `keccak256(message)`. The signature is over the EIP-191 hash of these bytes.
pub fn ethereum_digest(message: &[u8]) -> [u8; 32] {
	sp_io::hashing::keccak_256(message)
}

/// The EIP-191 hash an Ethereum signature over `message` is checked against.
pub fn eip191_hash(message: &[u8]) -> [u8; 32] {
	let mut prefixed = alloc::vec::Vec::with_capacity(28 + 32);
	prefixed.extend_from_slice(b"\x19Ethereum Signed Message:\n32");
	prefixed.extend_from_slice(&ethereum_digest(message));
	sp_io::hashing::keccak_256(&prefixed)
}
