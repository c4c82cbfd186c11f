//! Minting, moving, cloning and burning tokens; authorizations and assistants; deposits.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, Get},
};
use sp_runtime::traits::{Saturating, Zero};

/// Bytes a token record takes besides its variable parts (owner, depositor, deposit, nonce,
/// length prefixes).
const TOKEN_OVERHEAD_BYTES: u32 = 128;

impl<T: Config> Pallet<T> {
	fn hold(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&HoldReason::Deposit.into(), who, amount)
	}

	fn release(who: &T::AccountId, amount: BalanceOf<T>) {
		if !amount.is_zero() {
			let _ = T::Currency::release(
				&HoldReason::Deposit.into(),
				who,
				amount,
				Precision::BestEffort,
			);
		}
	}

	/// The deposit of a token with descriptions of `description_lens` bytes and a URI of
	/// `uri_len` bytes: sized for full-length sealed keys, so transfers never change it.
	pub fn token_deposit(
		description_lens: impl Iterator<Item = u32>,
		uri_len: u32,
	) -> BalanceOf<T> {
		let per_item = 32u32.saturating_add(T::MaxSealedKeyLen::get());
		let bytes = description_lens
			.map(|len| len.saturating_add(per_item))
			.fold(TOKEN_OVERHEAD_BYTES.saturating_add(uri_len), u32::saturating_add);
		T::TokenDeposit::get().saturating_add(T::ByteDeposit::get().saturating_mul(bytes.into()))
	}

	fn owned(who: &T::AccountId, id: TokenId) -> Result<TokenOf<T>, DispatchError> {
		let token = Tokens::<T>::get(id).ok_or(Error::<T>::UnknownToken)?;
		ensure!(token.owner == *who, Error::<T>::NotOwner);
		Ok(token)
	}

	fn next_id() -> Result<TokenId, DispatchError> {
		let id = NextTokenId::<T>::get();
		NextTokenId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Ok(id)
	}

	/// Mints a token for `who`, as `mint` does; returns its id (for callers other than
	/// extrinsics, such as the Solidity precompile).
	pub fn do_mint(
		who: T::AccountId,
		data: BoundedVec<MintItemOf<T>, T::MaxDataItems>,
		sealed_key: SealedKeyOf<T>,
		uri: BoundedVec<u8, T::MaxUriLen>,
	) -> Result<TokenId, DispatchError> {
		let deposit =
			Self::token_deposit(data.iter().map(|(d, _)| d.len() as u32), uri.len() as u32);
		Self::hold(&who, deposit)?;
		let id = Self::next_id()?;
		let items: Vec<DataItemOf<T>> = data
			.into_iter()
			.map(|(description, data_hash)| DataItem {
				description,
				data_hash,
				sealed_key: sealed_key.clone(),
			})
			.collect();
		let count = items.len() as u32;
		let token = TokenOf::<T> {
			owner: who.clone(),
			data: BoundedVec::truncate_from(items),
			uri,
			nonce: 0,
			depositor: who.clone(),
			deposit,
		};
		Tokens::<T>::insert(id, token);
		Self::deposit_event(Event::Minted { token: id, owner: who, items: count });
		Ok(id)
	}

	/// Ends a token's authorizations, returning their deposits to `owner`.
	fn clear_authorizations(id: TokenId, owner: &T::AccountId) {
		let users = Authorizations::<T>::take(id);
		Self::release(
			owner,
			T::AuthorizationDeposit::get().saturating_mul((users.len() as u32).into()),
		);
	}

	fn publish(id: TokenId, to: &T::AccountId, new_data: &[([u8; 32], SealedKeyOf<T>)]) {
		if !new_data.is_empty() {
			let sealed_keys = new_data.iter().map(|(_, key)| key.clone()).collect();
			Self::deposit_event(Event::PublishedSealedKey {
				token: id,
				to: to.clone(),
				sealed_keys,
			});
		}
	}

	pub(crate) fn do_transfer(
		who: T::AccountId,
		id: TokenId,
		to: T::AccountId,
		proofs: ProofsOf<T>,
	) -> DispatchResult {
		let mut token = Self::owned(&who, id)?;
		ensure!(to != who, Error::<T>::SameOwner);
		let new_data = Self::check_proofs(id, &token, &to, &proofs)?;
		for (item, (hash, key)) in token.data.iter_mut().zip(new_data.iter()) {
			item.data_hash = *hash;
			item.sealed_key = key.clone();
		}
		token.owner = to.clone();
		token.nonce = token.nonce.saturating_add(1);
		Self::clear_authorizations(id, &who);
		Tokens::<T>::insert(id, token);
		Self::deposit_event(Event::Transferred { token: id, from: who, to: to.clone() });
		Self::publish(id, &to, &new_data);
		Ok(())
	}

	/// Clones token `id` for `to`, as `clone_token` does; returns the new token's id.
	pub fn do_clone(
		who: T::AccountId,
		id: TokenId,
		to: T::AccountId,
		proofs: ProofsOf<T>,
	) -> Result<TokenId, DispatchError> {
		let mut token = Self::owned(&who, id)?;
		let new_data = Self::check_proofs(id, &token, &to, &proofs)?;
		let deposit = Self::token_deposit(
			token.data.iter().map(|i| i.description.len() as u32),
			token.uri.len() as u32,
		);
		Self::hold(&who, deposit)?;
		let new_id = Self::next_id()?;
		let data: Vec<DataItemOf<T>> = token
			.data
			.iter()
			.zip(new_data.iter())
			.map(|(item, (hash, key))| DataItem {
				description: item.description.clone(),
				data_hash: *hash,
				sealed_key: key.clone(),
			})
			.collect();
		let clone = TokenOf::<T> {
			owner: to.clone(),
			data: BoundedVec::truncate_from(data),
			uri: token.uri.clone(),
			nonce: 0,
			depositor: who,
			deposit,
		};
		Tokens::<T>::insert(new_id, clone);
		// The source's proofs were used at this nonce.
		token.nonce = token.nonce.saturating_add(1);
		Tokens::<T>::insert(id, token);
		Self::deposit_event(Event::Cloned { token: id, new_token: new_id, to: to.clone() });
		Self::publish(new_id, &to, &new_data);
		Ok(new_id)
	}

	pub(crate) fn do_authorize(
		who: T::AccountId,
		id: TokenId,
		user: T::AccountId,
	) -> DispatchResult {
		Self::owned(&who, id)?;
		let mut users = Authorizations::<T>::get(id);
		ensure!(!users.contains(&user), Error::<T>::AlreadyAuthorized);
		users.try_push(user.clone()).map_err(|_| Error::<T>::TooManyUsers)?;
		Self::hold(&who, T::AuthorizationDeposit::get())?;
		Authorizations::<T>::insert(id, users);
		Self::deposit_event(Event::UsageAuthorized { token: id, user });
		Ok(())
	}

	pub(crate) fn do_revoke(who: T::AccountId, id: TokenId, user: T::AccountId) -> DispatchResult {
		Self::owned(&who, id)?;
		let mut users = Authorizations::<T>::get(id);
		let position = users.iter().position(|u| *u == user).ok_or(Error::<T>::NotAuthorized)?;
		users.swap_remove(position);
		if users.is_empty() {
			Authorizations::<T>::remove(id);
		} else {
			Authorizations::<T>::insert(id, users);
		}
		Self::release(&who, T::AuthorizationDeposit::get());
		Self::deposit_event(Event::AuthorizationRevoked { token: id, user });
		Ok(())
	}

	pub(crate) fn do_delegate(
		who: T::AccountId,
		assistant: Option<T::AccountId>,
	) -> DispatchResult {
		let had = Assistants::<T>::contains_key(&who);
		match &assistant {
			Some(assistant) => {
				if !had {
					Self::hold(&who, T::AssistantDeposit::get())?;
				}
				Assistants::<T>::insert(&who, assistant);
			},
			None => {
				ensure!(had, Error::<T>::NoAssistant);
				Assistants::<T>::remove(&who);
				Self::release(&who, T::AssistantDeposit::get());
			},
		}
		Self::deposit_event(Event::AccessDelegated { user: who, assistant });
		Ok(())
	}

	pub(crate) fn do_burn(who: T::AccountId, id: TokenId) -> DispatchResult {
		let token = Self::owned(&who, id)?;
		Self::clear_authorizations(id, &who);
		Tokens::<T>::remove(id);
		Self::release(&token.depositor, token.deposit);
		Self::deposit_event(Event::Burned { token: id });
		Ok(())
	}

	/// Whether `user` may use token `id`: its owner or an authorized user.
	pub fn may_use(id: TokenId, user: &T::AccountId) -> bool {
		Tokens::<T>::get(id).is_some_and(|t| t.owner == *user)
			|| Authorizations::<T>::get(id).contains(user)
	}
}
