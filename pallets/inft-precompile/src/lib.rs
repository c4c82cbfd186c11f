//! # pallet-inft-precompile
//!
//! zerog's iNFT registry ([`pallet_inft`]) for Solidity contracts and Ethereum wallets: a
//! pallet-revive precompile at the fixed address [`INFT_ADDRESS`]
//! (`0x0000000000000000000000000000000078570000`), whose interface is `IInft.sol` in this
//! crate.
//!
//! - The caller is the account of `msg.sender` (an EOA or a contract). Deposits are held
//!   from it, as for the extrinsics.
//! - State-changing functions are refused in static calls and delegate calls.
//! - Each function charges the weight of the pallet call it performs (from the pallet's
//!   measured `weights.rs`) before doing anything; views charge the storage reads they
//!   make.
//! - Failures revert with `Error(string)`: `inft: <pallet error>`, e.g.
//!   `inft: BadAccessProof`. State changes of a reverted call are rolled back.
//! - Solidity events (`Transfer`, `Cloned`, `PublishedSealedKey`, `Authorization`,
//!   `AuthorizationRevoked`, `DelegateAccess`) are emitted next to the pallet's own events.
//!
//! Add [`InftPrecompile`] to `pallet_revive::Config::Precompiles` in the runtime.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod calls;
mod convert;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod views;

use alloc::vec::Vec;
use core::{marker::PhantomData, num::NonZero};
use pallet_revive::precompiles::{AddressMatcher, Error, Ext, Precompile};

alloy_core::sol!("IInft.sol");

/// The precompile's index: bytes 16-17 of its address (after ERC-7857).
pub const INFT_PRECOMPILE_INDEX: u16 = 0x7857;

/// The precompile's address, `0x0000000000000000000000000000000078570000`.
pub const INFT_ADDRESS: [u8; 20] = {
	let mut address = [0u8; 20];
	let index = INFT_PRECOMPILE_INDEX.to_be_bytes();
	address[16] = index[0];
	address[17] = index[1];
	address
};

/// The iNFT precompile for runtime `T`.
pub struct InftPrecompile<T>(PhantomData<T>);

impl<T: pallet_revive::Config + pallet_inft::Config> Precompile for InftPrecompile<T> {
	type T = T;
	type Interface = IInft::IInftCalls;
	const MATCHER: AddressMatcher =
		AddressMatcher::Fixed(match NonZero::new(INFT_PRECOMPILE_INDEX) {
			Some(index) => index,
			None => panic!("the index is not zero"),
		});
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = T>,
	) -> Result<Vec<u8>, Error> {
		use IInft::IInftCalls as Call;
		match input {
			Call::mint(call) => calls::mint(env, call),
			Call::transfer(call) => calls::transfer(env, call),
			Call::clone(call) => calls::clone(env, call),
			Call::authorizeUsage(call) => calls::authorize_usage(env, call),
			Call::revokeAuthorization(call) => calls::revoke_authorization(env, call),
			Call::delegateAccess(call) => calls::delegate_access(env, call),
			Call::burn(call) => calls::burn(env, call),
			Call::ownerOf(call) => views::owner_of(env, call),
			Call::dataOf(call) => views::data_of(env, call),
			Call::tokenURI(call) => views::token_uri(env, call),
			Call::nonceOf(call) => views::nonce_of(env, call),
			Call::isAuthorized(call) => views::is_authorized(env, call),
			Call::authorizedUsersOf(call) => views::authorized_users_of(env, call),
			Call::assistantOf(call) => views::assistant_of(env, call),
			Call::accountOf(call) => views::account_of_address(env, call),
			Call::genesisHash(_) => views::genesis_hash(env),
			Call::ownershipMessage(call) => views::ownership_message(env, call),
			Call::accessMessage(call) => views::access_message(env, call),
		}
	}
}
