//! Settlement of inference receipts.

use crate::pallet::*;
use crate::types::*;
use frame_support::{ensure, pallet_prelude::DispatchResult};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, Verify, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, which every receipt message starts with after the domain
	/// tag (a receipt for another chain does not verify here).
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The message `user` and the signer sign for a receipt to `provider` on this chain.
	pub fn receipt_message_for(
		provider: &T::AccountId,
		user: &T::AccountId,
		nonce: u64,
		cumulative_fee: &BalanceOf<T>,
		requests_hash: &[u8; 32],
	) -> alloc::vec::Vec<u8> {
		receipt_message(&Self::genesis_hash(), provider, user, nonce, cumulative_fee, requests_hash)
	}

	/// Checks one receipt against its sub-account and updates the sub-account; returns what
	/// the provider is owed for it. Nothing is written when a check fails.
	fn settle_one(
		provider: &T::AccountId,
		receipt: &ReceiptOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let user = &receipt.user;
		let mut sub = SubAccounts::<T>::get(user, provider).ok_or(Error::<T>::UnknownSubAccount)?;
		let signer = sub.signer.clone().ok_or(Error::<T>::SignerNotAcknowledged)?;
		ensure!(receipt.nonce > sub.nonce, Error::<T>::StaleNonce);
		ensure!(receipt.cumulative_fee >= sub.settled, Error::<T>::FeeDecreased);
		let due = receipt.cumulative_fee - sub.settled;
		ensure!(due <= sub.balance, Error::<T>::OverBudget);
		let message = Self::receipt_message_for(
			provider,
			user,
			receipt.nonce,
			&receipt.cumulative_fee,
			&receipt.requests_hash,
		);
		ensure!(receipt.user_signature.verify(&message[..], user), Error::<T>::BadUserSignature);
		ensure!(
			receipt.signer_signature.verify(&message[..], &signer),
			Error::<T>::BadSignerSignature
		);

		sub.balance -= due;
		sub.nonce = receipt.nonce;
		sub.settled = receipt.cumulative_fee;
		// Refunds may only return what is left: settlement may spend funds pending refund,
		// which is what the refund delay is for.
		let pending = Self::pending_refunds(&sub);
		if pending > sub.balance {
			let excess = pending - sub.balance;
			let cut = Self::cut_refunds(&mut sub, excess);
			Self::deposit_event(Event::RefundsReduced {
				user: user.clone(),
				provider: provider.clone(),
				amount: cut,
			});
		}
		SubAccounts::<T>::insert(user, provider, sub);
		Self::deposit_event(Event::ReceiptSettled {
			user: user.clone(),
			provider: provider.clone(),
			nonce: receipt.nonce,
			paid: due,
			requests_hash: receipt.requests_hash,
		});
		Ok(due)
	}

	pub(crate) fn do_settle(
		provider: T::AccountId,
		receipts: alloc::vec::Vec<ReceiptOf<T>>,
	) -> DispatchResult {
		ensure!(!receipts.is_empty(), Error::<T>::EmptyBatch);
		let mut paid: BalanceOf<T> = Zero::zero();
		for receipt in &receipts {
			let due = Self::settle_one(&provider, receipt)?;
			paid = paid.checked_add(&due).ok_or(Error::<T>::Overflow)?;
		}
		Self::pay_out(&provider, paid)?;
		Self::deposit_event(Event::BatchSettled {
			provider,
			receipts: receipts.len() as u32,
			paid,
		});
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// Every provider with a live service (for the runtime API).
	pub fn live_providers() -> alloc::vec::Vec<T::AccountId> {
		Services::<T>::iter()
			.filter(|(_, s)| s.retiring_until.is_none())
			.map(|(p, _)| p)
			.collect()
	}

	/// The last settled (nonce, cumulative fee) of (user, provider) (for the runtime API).
	pub fn settled(user: &T::AccountId, provider: &T::AccountId) -> (u64, BalanceOf<T>) {
		SubAccounts::<T>::get(user, provider)
			.map(|s| (s.nonce, s.settled))
			.unwrap_or_default()
	}
}
