//! The records this pallet stores and the call arguments it takes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Id of a fine-tuning task.
pub type TaskId = u64;

/// The domain tag that starts every signed receipt message (see [`receipt_message`]).
pub const RECEIPT_DOMAIN: &[u8; 24] = b"zerog:compute:receipt:v1";

/// What a service sells.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ServiceKind {
	/// Inference, settled by signed receipts.
	Inference,
	/// Fine-tuning, paid through escrowed tasks.
	FineTuning,
}

/// How a service's answers can be checked.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Verifiability {
	/// No verification: users trust the provider.
	None,
	/// The signer key lives in a trusted execution environment with a published attestation.
	Tee,
}

/// The kind of trusted execution environment an attestation comes from.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum TeeKind {
	/// Intel TDX.
	IntelTdx,
	/// Intel SGX.
	IntelSgx,
	/// AMD SEV-SNP.
	AmdSevSnp,
	/// NVIDIA confidential computing (H100/H200), usually alongside a CPU TEE.
	NvidiaCc,
}

/// A TEE attestation: its kind and the hash of the report (the report itself is off chain).
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct TeeAttestation {
	/// Which TEE produced the report.
	pub kind: TeeKind,
	/// blake2-256 (or the vendor's digest) of the attestation report.
	pub report_hash: [u8; 32],
}

/// What a provider says about its service: registered and updated as one record.
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
#[scale_info(skip_type_params(MaxModelLen, MaxUrlLen))]
pub struct ServiceInfo<AccountId, Balance, MaxModelLen: Get<u32>, MaxUrlLen: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Inference or fine-tuning.
	pub kind: ServiceKind,
	/// The model served (a name such as `llama-3.1-8b-instruct`, or a storage root in hex).
	pub model: BoundedVec<u8, MaxModelLen>,
	/// Where users send requests: an `http://` or `https://` URL.
	pub endpoint: BoundedVec<u8, MaxUrlLen>,
	/// Price per input unit (per token for inference; per dataset byte for fine-tuning).
	pub input_price: Balance,
	/// Price per output unit.
	pub output_price: Balance,
	/// Whether the signer key is attested.
	pub verifiability: Verifiability,
	/// The account whose key co-signs receipts (the gateway's or the enclave's key).
	pub signer: AccountId,
	/// The TEE attestation; required with `Verifiability::Tee`, refused without it.
	pub attestation: Option<TeeAttestation>,
}

/// A registered service.
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
#[scale_info(skip_type_params(MaxModelLen, MaxUrlLen))]
pub struct Service<AccountId, Balance, BlockNumber, MaxModelLen: Get<u32>, MaxUrlLen: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// What the provider published.
	pub info: ServiceInfo<AccountId, Balance, MaxModelLen, MaxUrlLen>,
	/// The bond held from the provider (less anything slashed).
	pub bond: Balance,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Set by `retire_service` (or a slash below `min_bond`): the bond comes back at this block.
	pub retiring_until: Option<BlockNumber>,
}

/// A user's ledger: funds deposited and not given to any provider's sub-account.
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug, Default)]
pub struct Ledger<Balance> {
	/// Unallocated funds.
	pub available: Balance,
	/// The storage deposit held for this record.
	pub deposit: Balance,
}

/// A pending refund from a sub-account.
#[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
pub struct Refund<Balance, BlockNumber> {
	/// How much goes back to the ledger.
	pub amount: Balance,
	/// From which block it can be processed.
	pub unlock_at: BlockNumber,
}

/// A user's sub-account with one provider.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxRefunds))]
pub struct SubAccount<AccountId, Balance, BlockNumber, MaxRefunds: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Funds the provider may settle against, pending refunds included.
	pub balance: Balance,
	/// Refunds requested and not processed, oldest first; their sum never exceeds `balance`.
	pub refunds: BoundedVec<Refund<Balance, BlockNumber>, MaxRefunds>,
	/// The signer the user acknowledged; receipts must be co-signed by it.
	pub signer: Option<AccountId>,
	/// Nonce of the last settled receipt.
	pub nonce: u64,
	/// Cumulative fee of the last settled receipt: the total paid to the provider so far.
	pub settled: Balance,
	/// The storage deposit held for this record.
	pub deposit: Balance,
}

/// One receipt in a `settle` batch. The provider is the caller.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, TypeInfo, PartialEq, Eq, Debug)]
pub struct Receipt<AccountId, Balance, Signature> {
	/// The user who authorized the spend.
	pub user: AccountId,
	/// Strictly above the last settled nonce of (user, provider).
	pub nonce: u64,
	/// Everything the user has authorized to this provider so far; never decreases.
	pub cumulative_fee: Balance,
	/// Hash of the requests this receipt covers (for disputes; the chain only records it).
	pub requests_hash: [u8; 32],
	/// The user's signature over [`receipt_message`].
	pub user_signature: Signature,
	/// The acknowledged signer's signature over the same message.
	pub signer_signature: Signature,
}

/// The bytes both parties sign: [`RECEIPT_DOMAIN`] followed by the SCALE encoding of
/// `(genesis_hash, provider, user, nonce, cumulative_fee, requests_hash)`.
pub fn receipt_message<Hash: Encode, AccountId: Encode, Balance: Encode>(
	genesis_hash: &Hash,
	provider: &AccountId,
	user: &AccountId,
	nonce: u64,
	cumulative_fee: &Balance,
	requests_hash: &[u8; 32],
) -> alloc::vec::Vec<u8> {
	let mut message = RECEIPT_DOMAIN.to_vec();
	(genesis_hash, provider, user, nonce, cumulative_fee, requests_hash).encode_to(&mut message);
	message
}

/// Where a fine-tuning task is.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxKeyLen))]
pub enum TaskState<BlockNumber, MaxKeyLen: Get<u32>>
where
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Waiting for the provider's model.
	Open,
	/// The model is delivered; the user acknowledges by `ack_by` or the timeout split applies.
	Delivered {
		/// Storage root of the fine-tuned model (encrypted).
		model_root: [u8; 32],
		/// The model's key, encrypted to the user.
		encrypted_key: BoundedVec<u8, MaxKeyLen>,
		/// Last block at which the user's acknowledgement pays the full fee.
		ack_by: BlockNumber,
	},
}

/// A fine-tuning task with its escrowed fee.
#[derive(
	CloneNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxKeyLen))]
pub struct Task<AccountId, Balance, BlockNumber, MaxKeyLen: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Who pays.
	pub user: AccountId,
	/// Who trains.
	pub provider: AccountId,
	/// Storage root of the training dataset.
	pub dataset_root: [u8; 32],
	/// The escrowed fee.
	pub fee: Balance,
	/// The storage deposit held from the user.
	pub deposit: Balance,
	/// Last block at which the provider may deliver.
	pub deliver_by: BlockNumber,
	/// Open or delivered.
	pub state: TaskState<BlockNumber, MaxKeyLen>,
}

/// Parameters, set by `ParamsOrigin`.
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ComputeParams<Balance, BlockNumber> {
	/// Least bond a service holds.
	pub min_bond: Balance,
	/// Storage deposit held per ledger, sub-account and task record.
	pub record_deposit: Balance,
	/// Blocks between `request_refund` and the refund becoming processable.
	pub refund_delay: BlockNumber,
	/// Blocks between `retire_service` and `withdraw_bond`.
	pub unbonding_period: BlockNumber,
	/// Longest delivery deadline a task may ask for, in blocks from its creation.
	pub max_task_duration: BlockNumber,
	/// Blocks the user has, after delivery, to acknowledge a task.
	pub ack_window: BlockNumber,
	/// The provider's share of a delivered task's fee when the user never acknowledges.
	pub timeout_share: Perbill,
}
