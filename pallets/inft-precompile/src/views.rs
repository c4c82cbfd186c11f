//! The view functions. Each charges the storage reads it makes, priced as FRAME prices
//! them (`convert::charge_reads`).

use crate::{
	convert::{account_of, address_of, charge_reads, revert, token_id},
	IInft::{self, *},
};
use alloc::vec::Vec;
use alloy_core::{
	primitives::{Address, Bytes, FixedBytes},
	sol_types::SolCall,
};
use codec::MaxEncodedLen;
use frame_support::traits::Get;
use pallet_inft::{Assistants, Authorizations, Pallet as Inft, TokenOf, Tokens};
use pallet_revive::precompiles::{Error, Ext};

/// Reads token `id`, charging the read; unknown tokens revert.
fn token<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	id: &alloy_core::primitives::U256,
) -> Result<TokenOf<T>, Error> {
	charge_reads(env, 1, TokenOf::<T>::max_encoded_len())?;
	Tokens::<T>::get(token_id(id)?).ok_or_else(|| revert("UnknownToken"))
}

/// `ownerOf(tokenId)`.
pub fn owner_of<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &ownerOfCall,
) -> Result<Vec<u8>, Error> {
	let token = token(env, &call.tokenId)?;
	Ok(ownerOfCall::abi_encode_returns(&address_of::<T>(&token.owner)))
}

/// `dataOf(tokenId)`.
pub fn data_of<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &dataOfCall,
) -> Result<Vec<u8>, Error> {
	let token = token(env, &call.tokenId)?;
	let items: Vec<IInft::DataItem> = token
		.data
		.iter()
		.map(|item| IInft::DataItem {
			description: alloc::string::String::from_utf8_lossy(&item.description).into_owned(),
			dataHash: FixedBytes(item.data_hash),
			sealedKey: Bytes::copy_from_slice(&item.sealed_key),
		})
		.collect();
	Ok(dataOfCall::abi_encode_returns(&items))
}

/// `tokenURI(tokenId)`.
pub fn token_uri<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &tokenURICall,
) -> Result<Vec<u8>, Error> {
	let token = token(env, &call.tokenId)?;
	Ok(tokenURICall::abi_encode_returns(
		&alloc::string::String::from_utf8_lossy(&token.uri).into_owned(),
	))
}

/// `nonceOf(tokenId)`.
pub fn nonce_of<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &nonceOfCall,
) -> Result<Vec<u8>, Error> {
	let token = token(env, &call.tokenId)?;
	Ok(nonceOfCall::abi_encode_returns(&token.nonce))
}

/// The authorized users of `id`, charging the read.
fn users<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	id: &alloy_core::primitives::U256,
) -> Result<Vec<T::AccountId>, Error> {
	let max_len = <T::AccountId as MaxEncodedLen>::max_encoded_len()
		* <T as pallet_inft::Config>::MaxAuthorizedUsers::get() as usize
		+ 5;
	charge_reads(env, 1, max_len)?;
	// Ids beyond u64 name no token, hence no users.
	Ok(token_id(id)
		.map(|id| Authorizations::<T>::get(id).into_inner())
		.unwrap_or_default())
}

/// `isAuthorized(tokenId, user)`.
pub fn is_authorized<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &isAuthorizedCall,
) -> Result<Vec<u8>, Error> {
	let users = users(env, &call.tokenId)?;
	let user = account_of(env, &call.user)?;
	Ok(isAuthorizedCall::abi_encode_returns(&users.contains(&user)))
}

/// `authorizedUsersOf(tokenId)`.
pub fn authorized_users_of<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &authorizedUsersOfCall,
) -> Result<Vec<u8>, Error> {
	let users: Vec<Address> = users(env, &call.tokenId)?.iter().map(address_of::<T>).collect();
	Ok(authorizedUsersOfCall::abi_encode_returns(&users))
}

/// `assistantOf(user)`.
pub fn assistant_of<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &assistantOfCall,
) -> Result<Vec<u8>, Error> {
	charge_reads(env, 1, <T::AccountId as MaxEncodedLen>::max_encoded_len())?;
	let user = account_of(env, &call.user)?;
	let assistant = Assistants::<T>::get(&user)
		.map(|a| address_of::<T>(&a))
		.unwrap_or(Address::ZERO);
	Ok(assistantOfCall::abi_encode_returns(&assistant))
}

/// `accountOf(addr)`.
pub fn account_of_address<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &accountOfCall,
) -> Result<Vec<u8>, Error> {
	let account = account_of(env, &call.addr)?;
	let id = codec::Encode::encode(&account);
	let id: [u8; 32] = id.try_into().map_err(|_| revert("account ids are not 32 bytes here"))?;
	Ok(accountOfCall::abi_encode_returns(&FixedBytes(id)))
}

/// The genesis hash as 32 bytes, charging its read.
fn genesis<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
) -> Result<T::Hash, Error> {
	charge_reads(env, 1, 32)?;
	Ok(Inft::<T>::genesis_hash())
}

/// `genesisHash()`.
pub fn genesis_hash<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
) -> Result<Vec<u8>, Error> {
	let hash = genesis(env)?;
	let bytes: [u8; 32] =
		hash.as_ref().try_into().map_err(|_| revert("hashes are not 32 bytes here"))?;
	Ok(genesisHashCall::abi_encode_returns(&FixedBytes(bytes)))
}

/// `ownershipMessage(tokenId, oldDataHash, newDataHash, newSealedKey, receiverKey, nonce)`.
pub fn ownership_message<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &ownershipMessageCall,
) -> Result<Vec<u8>, Error> {
	let genesis = genesis(env)?;
	let message = pallet_inft::ownership_message(
		&genesis,
		token_id(&call.tokenId)?,
		&call.oldDataHash.0,
		&call.newDataHash.0,
		&call.newSealedKey,
		&call.receiverKey,
		call.nonce,
	);
	Ok(ownershipMessageCall::abi_encode_returns(&Bytes::from(message)))
}

/// `accessMessage(tokenId, newDataHash, receiverKey, nonce)`.
pub fn access_message<T: pallet_revive::Config + pallet_inft::Config>(
	env: &mut impl Ext<T = T>,
	call: &accessMessageCall,
) -> Result<Vec<u8>, Error> {
	let genesis = genesis(env)?;
	let message = pallet_inft::access_message(
		&genesis,
		token_id(&call.tokenId)?,
		&call.newDataHash.0,
		&call.receiverKey,
		call.nonce,
	);
	Ok(accessMessageCall::abi_encode_returns(&Bytes::from(message)))
}
