//! The runtime API the node (RPC, off-chain services) uses to read DA state.

use crate::types::{Blob, BlobId, Challenge, ChallengeId, EpochIndex};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// DA state for the node: blobs, committees, chunk assignment, open challenges.
	pub trait DaApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A blob's record (status, commitment, deadline, expiry), if it is still kept.
		fn blob(id: BlobId) -> Option<Blob<AccountId, Balance, BlockNumber>>;
		/// The current epoch.
		fn current_epoch() -> EpochIndex;
		/// An epoch's committee with the bonds it was drawn with.
		fn committee(epoch: EpochIndex) -> Vec<(AccountId, Balance)>;
		/// The coded chunks of `blob` that `member` must hold.
		fn chunks_of(blob: BlobId, member: AccountId) -> Vec<u32>;
		/// The open challenges `member` must answer.
		fn open_challenges(member: AccountId) -> Vec<(ChallengeId, Challenge<AccountId, BlockNumber>)>;
	}
}
