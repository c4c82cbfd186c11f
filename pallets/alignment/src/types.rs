//! The records this pallet stores and the call arguments it takes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{MultiSignature, Perbill};
pub use zerog_traits::answers::{
	answer_challenge, answer_message, is_idle_pass, needs_receipt, nothing_to_check,
};

/// Id of a licence.
pub type LicenceId = u32;

/// Index of an era.
pub type EraIndex = u32;

/// The domain tag that starts every report commitment (see [`report_commitment`]).
pub const REPORT_DOMAIN: &[u8; 25] = b"zerog:alignment:report:v2";

/// The domain tag of the seed a subject's check is derived from (see [`check_seed`]).
pub const CHECK_DOMAIN: &[u8; 24] = b"zerog:alignment:check:v1";

/// Something an alignment node checks in an era: a provider of one of the three services.
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
pub enum Subject<AccountId> {
	/// A storage provider: prove a random segment of its shard.
	Storage(AccountId),
	/// A DA operator: serve a random chunk assigned to it.
	Da(AccountId),
	/// A compute provider: its endpoint answers a health check with the registered signer.
	Compute(AccountId),
}

impl<AccountId> Subject<AccountId> {
	/// The provider account behind the subject.
	pub fn account(&self) -> &AccountId {
		match self {
			Subject::Storage(who) | Subject::Da(who) | Subject::Compute(who) => who,
		}
	}
}

/// One check's outcome in a report.
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
pub struct Verdict {
	/// The subject answered correctly.
	pub ok: bool,
	/// What the check saw: for a pass, the blake2-256 of the data the subject served (so
	/// honest operators agree on it), or [`nothing_to_check`]; for a failure, anything.
	pub evidence: [u8; 32],
}

/// A verdict as an operator reports it: with, for a pass, the subject's receipt. The chain
/// keeps the [`Verdict`] once the receipt is checked.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, TypeInfo, PartialEq, Eq, Debug)]
pub struct ReportedVerdict {
	/// The subject answered correctly.
	pub ok: bool,
	/// As [`Verdict::evidence`].
	pub evidence: [u8; 32],
	/// For a pass on something checked (evidence other than [`nothing_to_check`]): the
	/// subject's signature, by the key it was drawn with, over
	/// `answer_message(answer_challenge(check_seed, operator), evidence)` (see
	/// [`zerog_traits::answers`]). It shows that this operator got the answer from the
	/// subject itself. Ignored on a failure.
	pub receipt: Option<MultiSignature>,
}

impl ReportedVerdict {
	/// The verdict the chain keeps.
	pub fn verdict(&self) -> Verdict {
		Verdict { ok: self.ok, evidence: self.evidence }
	}
}

/// A licence: a share of the era rewards, delegated to an operator that runs the checks.
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
pub struct Licence<AccountId, Balance> {
	/// Who holds it and receives its rewards.
	pub owner: AccountId,
	/// The operator it is delegated to.
	pub operator: Option<AccountId>,
	/// The holder reward index when the licence was last paid.
	pub holder_index: Balance,
	/// The operator's reward index when the licence was last paid (or delegated).
	pub operator_index: Balance,
}

/// An operator: an account with licences delegated to it.
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
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Operator<Balance> {
	/// Licences delegated to it.
	pub licences: u32,
	/// Reward per licence earned by agreeing with the quorum, summed over eras.
	pub reward_index: Balance,
}

/// An era: when it started, its seed and what its operators check.
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
#[scale_info(skip_type_params(MaxSubjects))]
pub struct Era<AccountId, BlockNumber, MaxSubjects: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The block it started at.
	pub start: BlockNumber,
	/// Randomness every check of the era is derived from (see [`check_seed`]).
	pub seed: [u8; 32],
	/// The subjects, in the order a report's verdicts follow.
	pub subjects: BoundedVec<Subject<AccountId>, MaxSubjects>,
}

/// What an era's finalization found.
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
	Default,
)]
pub struct EraOutcome<Balance> {
	/// Operators that revealed a report.
	pub reporters: u32,
	/// Of those, operators that agreed with the quorum (and had licences).
	pub agreeing: u32,
	/// Subjects declared faulty.
	pub faulty: u32,
	/// Paid to every licence.
	pub holder_reward: Balance,
	/// Paid, in addition, to every licence of an agreeing operator.
	pub active_reward: Balance,
	/// Everything the era accrued to licences (never above the emission).
	pub accrued: Balance,
}

/// Parameters, set by the admin origin (governance).
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
pub struct AlignmentParams<Balance, BlockNumber> {
	/// Price of a licence bought with `buy_licence` (goes to the sale proceeds).
	pub licence_price: Balance,
	/// Most licences that may ever exist (bought and minted).
	pub max_supply: u32,
	/// Blocks per era; an era's checks are committed within it.
	pub era_length: BlockNumber,
	/// Blocks after an era ends in which its reports are revealed (at most `era_length`).
	pub reveal_window: BlockNumber,
	/// Storage providers sampled per era.
	pub storage_samples: u32,
	/// DA operators sampled per era.
	pub da_samples: u32,
	/// Compute services sampled per era.
	pub compute_samples: u32,
	/// Fewest revealed reports for the quorum to decide anything.
	pub min_reports: u32,
	/// A subject is faulty when more than this share of the reporters failed it.
	pub fault_threshold: Perbill,
	/// An operator agrees with the quorum when it matches at least this share of subjects.
	pub agreement_threshold: Perbill,
	/// Share of a faulty provider's bond slashed.
	pub slash: Perbill,
	/// New currency per era, paid out to licences.
	pub emission_per_era: Balance,
	/// Share of the emission paid to every licence; the rest goes to licences of agreeing
	/// operators.
	pub holder_share: Perbill,
}

/// The bytes an operator commits to: `blake2_256(SCALE(REPORT_DOMAIN, era, operator,
/// verdicts, salt))`, the verdicts with their receipts. `reveal_report` recomputes it from
/// the revealed verdicts and salt.
pub fn report_commitment<AccountId: Encode>(
	era: EraIndex,
	operator: &AccountId,
	verdicts: &[ReportedVerdict],
	salt: &[u8; 32],
) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(REPORT_DOMAIN, era, operator, verdicts, salt).encode())
}

/// The seed of subject number `index` of an era with `era_seed`: what a checker derives its
/// challenge from (which segment, which blob and chunk, which health-check nonce). Every
/// operator derives the same challenge, so honest ones see the same evidence.
pub fn check_seed(era_seed: &[u8; 32], index: u32) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(CHECK_DOMAIN, era_seed, index).encode())
}
