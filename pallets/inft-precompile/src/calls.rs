//! The state-changing functions: each charges the pallet call's measured weight first,
//! refuses static and delegate calls, performs the call for `msg.sender`'s account and
//! emits the Solidity events.

use crate::{
	convert::{
		account_of, address_of, bounded, caller, dispatch_revert, emit, ensure_mutable, proofs,
		revert, token_id,
	},
	IInft::{self, IInftEvents as Event},
};
use alloc::vec::Vec;
use alloy_core::{
	primitives::{Address, Bytes, U256},
	sol_types::SolCall,
};
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use pallet_inft::{Pallet as Inft, ProofsOf, TokenId, WeightInfo};
use pallet_revive::precompiles::{Error, Ext};

type InftWeights<T> = <T as pallet_inft::Config>::WeightInfo;

/// Charges `weight`, then checks that the call may change state; returns the caller's
/// account and address.
fn begin<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	weight: frame_support::weights::Weight,
) -> Result<(T::AccountId, Address), Error> {
	env.charge(weight)?;
	ensure_mutable(env)?;
	let who = caller(env)?;
	let address = address_of::<T>(&who);
	Ok((who, address))
}

/// A proof count for weighing: no more than a token can have (more is refused anyway).
fn proof_count<T: pallet_inft::Config>(proofs: &[IInft::TransferProof]) -> u32 {
	(proofs.len() as u32).min(<T as pallet_inft::Config>::MaxDataItems::get())
}

/// The new sealed keys, for `PublishedSealedKey`.
fn sealed_keys<T: pallet_inft::Config>(proofs: &ProofsOf<T>) -> Vec<Bytes> {
	proofs
		.iter()
		.map(|proof| Bytes::copy_from_slice(&proof.new_sealed_key))
		.collect()
}

/// `mint(data, sealedKey, uri)`.
pub fn mint<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::mintCall,
) -> Result<Vec<u8>, Error> {
	let items = (call.data.len() as u32).min(<T as pallet_inft::Config>::MaxDataItems::get());
	let (who, sender) = begin(env, InftWeights::<T>::mint(items))?;
	let data = call
		.data
		.iter()
		.map(|item| Ok((bounded(item.description.as_bytes(), "description")?, item.dataHash.0)))
		.collect::<Result<Vec<_>, Error>>()?;
	let data = BoundedVec::try_from(data).map_err(|_| revert("too many data items"))?;
	let sealed_key = bounded(&call.sealedKey, "sealedKey")?;
	let uri = bounded(call.uri.as_bytes(), "uri")?;
	let id = Inft::<T>::do_mint(who, data, sealed_key, uri).map_err(dispatch_revert)?;
	emit(
		env,
		Event::Transfer(IInft::Transfer {
			from: Address::ZERO,
			to: sender,
			tokenId: U256::from(id),
		}),
	)?;
	Ok(IInft::mintCall::abi_encode_returns(&U256::from(id)))
}

/// `transfer(tokenId, to, proofs)`.
pub fn transfer<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::transferCall,
) -> Result<Vec<u8>, Error> {
	let (who, sender) = begin(env, InftWeights::<T>::transfer(proof_count::<T>(&call.proofs)))?;
	let id = token_id(&call.tokenId)?;
	let proofs = proofs::<T>(&call.proofs)?;
	let keys = sealed_keys::<T>(&proofs);
	let to = account_of(env, &call.to)?;
	Inft::<T>::transfer(RawOrigin::Signed(who).into(), id, to, proofs).map_err(dispatch_revert)?;
	emit(
		env,
		Event::Transfer(IInft::Transfer { from: sender, to: call.to, tokenId: call.tokenId }),
	)?;
	publish(env, call.to, call.tokenId, keys)?;
	Ok(Vec::new())
}

/// `clone(tokenId, to, proofs)`.
pub fn clone<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::cloneCall,
) -> Result<Vec<u8>, Error> {
	let (who, _) = begin(env, InftWeights::<T>::clone_token(proof_count::<T>(&call.proofs)))?;
	let id = token_id(&call.tokenId)?;
	let proofs = proofs::<T>(&call.proofs)?;
	let keys = sealed_keys::<T>(&proofs);
	let to = account_of(env, &call.to)?;
	let new_id: TokenId = Inft::<T>::do_clone(who, id, to, proofs).map_err(dispatch_revert)?;
	let new_token = U256::from(new_id);
	emit(
		env,
		Event::Cloned(IInft::Cloned { tokenId: call.tokenId, newTokenId: new_token, to: call.to }),
	)?;
	emit(
		env,
		Event::Transfer(IInft::Transfer { from: Address::ZERO, to: call.to, tokenId: new_token }),
	)?;
	publish(env, call.to, new_token, keys)?;
	Ok(IInft::cloneCall::abi_encode_returns(&new_token))
}

fn publish<T: pallet_revive::Config>(
	env: &mut impl Ext<T = T>,
	to: Address,
	token: U256,
	sealed_keys: Vec<Bytes>,
) -> Result<(), Error> {
	if sealed_keys.is_empty() {
		return Ok(());
	}
	emit(
		env,
		Event::PublishedSealedKey(IInft::PublishedSealedKey {
			to,
			tokenId: token,
			sealedKeys: sealed_keys,
		}),
	)
}

/// `authorizeUsage(tokenId, user)`.
pub fn authorize_usage<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::authorizeUsageCall,
) -> Result<Vec<u8>, Error> {
	let (who, sender) = begin(env, InftWeights::<T>::authorize_usage())?;
	let id = token_id(&call.tokenId)?;
	let user = account_of(env, &call.user)?;
	Inft::<T>::authorize_usage(RawOrigin::Signed(who).into(), id, user).map_err(dispatch_revert)?;
	emit(
		env,
		Event::Authorization(IInft::Authorization {
			from: sender,
			to: call.user,
			tokenId: call.tokenId,
		}),
	)?;
	Ok(Vec::new())
}

/// `revokeAuthorization(tokenId, user)`.
pub fn revoke_authorization<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::revokeAuthorizationCall,
) -> Result<Vec<u8>, Error> {
	let (who, sender) = begin(env, InftWeights::<T>::revoke_authorization())?;
	let id = token_id(&call.tokenId)?;
	let user = account_of(env, &call.user)?;
	Inft::<T>::revoke_authorization(RawOrigin::Signed(who).into(), id, user)
		.map_err(dispatch_revert)?;
	emit(
		env,
		Event::AuthorizationRevoked(IInft::AuthorizationRevoked {
			from: sender,
			to: call.user,
			tokenId: call.tokenId,
		}),
	)?;
	Ok(Vec::new())
}

/// `delegateAccess(assistant)`; the zero address removes the assistant.
pub fn delegate_access<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::delegateAccessCall,
) -> Result<Vec<u8>, Error> {
	let (who, sender) = begin(env, InftWeights::<T>::delegate_access())?;
	let assistant = if call.assistant == Address::ZERO {
		None
	} else {
		Some(account_of(env, &call.assistant)?)
	};
	Inft::<T>::delegate_access(RawOrigin::Signed(who).into(), assistant)
		.map_err(dispatch_revert)?;
	emit(
		env,
		Event::DelegateAccess(IInft::DelegateAccess { user: sender, assistant: call.assistant }),
	)?;
	Ok(Vec::new())
}

/// `burn(tokenId)`.
pub fn burn<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &IInft::burnCall,
) -> Result<Vec<u8>, Error> {
	let (who, sender) = begin(env, InftWeights::<T>::burn())?;
	let id = token_id(&call.tokenId)?;
	Inft::<T>::burn(RawOrigin::Signed(who).into(), id).map_err(dispatch_revert)?;
	emit(
		env,
		Event::Transfer(IInft::Transfer { from: sender, to: Address::ZERO, tokenId: call.tokenId }),
	)?;
	Ok(Vec::new())
}
