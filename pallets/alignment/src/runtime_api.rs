//! The runtime API that alignment nodes, wallets and the node's RPC use to read alignment
//! state. Record types are parameters so that the runtime names them with its own bounds:
//! `AlignmentApi<Block, AccountId, Balance, BlockNumber, LicenceOf<Runtime>, EraOf<Runtime>>`.

use crate::types::{EraIndex, EraOutcome, LicenceId, Operator};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Alignment state: licences, operators, the running era and finalized outcomes.
	///
	/// Version 2 adds `reporting_weight`: since issue 31, a licence counts for an operator
	/// only in the eras that start after it was delegated, and an era's subjects are drawn
	/// once its randomness is fresh, so `operator().licences` no longer tells whether a report
	/// can be committed.
	#[api_version(2)]
	pub trait AlignmentApi<AccountId, Balance, BlockNumber, LicenceRecord, EraRecord>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		LicenceRecord: Codec,
		EraRecord: Codec,
	{
		/// A licence.
		fn licence(id: LicenceId) -> Option<LicenceRecord>;
		/// The ids of the licences `owner` holds.
		fn licences_of(owner: AccountId) -> Vec<LicenceId>;
		/// What a licence has accrued and `claim_rewards` would mint.
		fn pending_rewards(id: LicenceId) -> Option<Balance>;
		/// An operator's delegated licences and reward index.
		fn operator(who: AccountId) -> Option<Operator<Balance>>;
		/// The era whose checks run now, with its seed and subjects.
		fn current_era() -> Option<(EraIndex, EraRecord)>;
		/// The era whose reports are revealed now, its record, and the block the window closes at.
		fn revealing() -> Option<(EraIndex, EraRecord, BlockNumber)>;
		/// Whether `operator` has committed, and revealed, its report of `era`.
		fn report_status(era: EraIndex, operator: AccountId) -> (bool, bool);
		/// What a finalized era found (the last 64 eras are kept).
		fn outcome(era: EraIndex) -> Option<EraOutcome<Balance>>;
		/// The votes `operator`'s report of `era` weighs or would weigh (the licences
		/// delegated to it before `era` started and still delegated); `None` while `era`'s
		/// subjects are not drawn yet, when no report can be committed; 0 when `operator` has
		/// not committed and could not (another era, or full slots of heavier commitments).
		#[api_version(2)]
		fn reporting_weight(era: EraIndex, operator: AccountId) -> Option<u32>;
	}
}
