//! Between Solidity values and the pallet's types; errors as reverts; events.

use crate::IInft;
use alloc::{format, vec::Vec};
use alloy_core::primitives::{Address, Bytes, FixedBytes, IntoLogData, U256};
use codec::{Decode, DecodeAll, MaxEncodedLen};
use frame_support::{traits::Get, weights::Weight, BoundedVec};
use pallet_inft::{ProofSignature, ProofsOf, TokenId, TransferProofOf};
use pallet_revive::{
	precompiles::{Error, Ext, RuntimeCosts, H160, H256},
	AddressMapper,
};
use sp_runtime::{DispatchError, ModuleError};

/// A revert with `inft: <why>`.
pub fn revert(why: &str) -> Error {
	Error::Revert(format!("inft: {why}").into())
}

/// A failed pallet call as a revert: `inft: <error name>` for a pallet error (of any
/// pallet), the error's debug form otherwise.
pub fn dispatch_revert(error: DispatchError) -> Error {
	match error {
		DispatchError::Module(ModuleError { message: Some(name), .. }) => revert(name),
		other => revert(&format!("{other:?}")),
	}
}

/// Refuses state changes in a static call (`StateChangeDenied`) and in a delegate call.
pub fn ensure_mutable<T: pallet_revive::Config>(env: &impl Ext<T = T>) -> Result<(), Error> {
	if env.is_read_only() {
		return Err(pallet_revive::Error::<T>::StateChangeDenied.into());
	}
	if env.is_delegate_call() {
		return Err(pallet_revive::Error::<T>::PrecompileDelegateDenied.into());
	}
	Ok(())
}

/// The account of `msg.sender`.
pub fn caller<T: pallet_revive::Config>(env: &impl Ext<T = T>) -> Result<T::AccountId, Error> {
	env.caller()
		.account_id()
		.cloned()
		.map_err(|_| revert("the caller has no account"))
}

/// A token id; ids beyond `u64` name no token.
pub fn token_id(id: &U256) -> Result<TokenId, Error> {
	TokenId::try_from(*id).map_err(|_| revert("UnknownToken"))
}

/// Bytes a storage proof carries besides the value (key and trie overhead).
const PROOF_OVERHEAD: u64 = 128;

/// Charges `reads` storage reads of values up to `max_len` bytes each, as FRAME prices
/// them: the database read weight, and the values' largest size as proof size.
pub fn charge_reads<T: pallet_revive::Config>(
	env: &mut impl Ext<T = T>,
	reads: u64,
	max_len: usize,
) -> Result<(), Error> {
	let db = <T as frame_system::Config>::DbWeight::get().reads(reads);
	env.charge(db.saturating_add(Weight::from_parts(
		0,
		reads.saturating_mul(max_len as u64 + PROOF_OVERHEAD),
	)))?;
	Ok(())
}

/// The account of an Ethereum address (a mapped account, or the address's fallback
/// account), charging the mapping's storage read.
pub fn account_of<T: pallet_revive::Config>(
	env: &mut impl Ext<T = T>,
	address: &Address,
) -> Result<T::AccountId, Error> {
	charge_reads(env, 1, <T::AccountId as MaxEncodedLen>::max_encoded_len())?;
	Ok(env.to_account_id(&H160(address.0 .0)))
}

/// The Ethereum address of an account.
pub fn address_of<T: pallet_revive::Config>(account: &T::AccountId) -> Address {
	Address::from(T::AddressMapper::to_address(account).0)
}

/// An account given by its 32-byte id.
pub fn account_from_id<T: frame_system::Config>(
	id: &FixedBytes<32>,
) -> Result<T::AccountId, Error> {
	T::AccountId::decode_all(&mut &id.0[..]).map_err(|_| revert("not an account id"))
}

/// `bytes` within a bound, or a revert saying which field is too long.
pub fn bounded<S: Get<u32>>(bytes: &[u8], field: &str) -> Result<BoundedVec<u8, S>, Error> {
	BoundedVec::try_from(bytes.to_vec())
		.map_err(|_| revert(&format!("{field} longer than {} bytes", S::get())))
}

/// A proof signature: exactly 65 bytes are an Ethereum `personal_sign` signature `(r, s, v)`;
/// anything else must be a SCALE-encoded [`ProofSignature`], i.e. `0x00 ‖ SCALE(signature)`
/// for a Substrate key. (A SCALE `MultiSignature` alone can be 65 bytes too, hence the
/// prefix.)
pub fn signature<Signature: Decode>(
	bytes: &Bytes,
	field: &str,
) -> Result<ProofSignature<Signature>, Error> {
	if let Ok(ethereum) = <[u8; 65]>::try_from(&bytes[..]) {
		return Ok(ProofSignature::Ethereum(ethereum));
	}
	ProofSignature::<Signature>::decode_all(&mut &bytes[..])
		.map_err(|_| revert(&format!("{field} is neither 65 bytes nor a SCALE ProofSignature")))
}

/// The proofs of a transfer or clone.
pub fn proofs<T: pallet_inft::Config>(
	proofs: &[IInft::TransferProof],
) -> Result<ProofsOf<T>, Error> {
	let converted = proofs
		.iter()
		.map(|proof| {
			Ok(TransferProofOf::<T> {
				oracle: account_from_id::<T>(&proof.oracle)?,
				new_data_hash: proof.newDataHash.0,
				new_sealed_key: bounded(&proof.newSealedKey, "newSealedKey")?,
				receiver_key: bounded(&proof.receiverKey, "receiverKey")?,
				ownership: signature(&proof.ownershipSignature, "ownershipSignature")?,
				access: signature(&proof.accessSignature, "accessSignature")?,
			})
		})
		.collect::<Result<Vec<_>, Error>>()?;
	BoundedVec::try_from(converted).map_err(|_| revert("WrongProofCount"))
}

/// Emits a Solidity event from the precompile's address, charging for it as a contract's
/// `LOG` would be.
pub fn emit<T: pallet_revive::Config>(
	env: &mut impl Ext<T = T>,
	event: IInft::IInftEvents,
) -> Result<(), Error> {
	let (topics, data) = event.into_log_data().split();
	let topics: Vec<H256> = topics.into_iter().map(|topic| H256(topic.0)).collect();
	env.frame_meter_mut().charge_weight_token(RuntimeCosts::DepositEvent {
		num_topic: topics.len() as u32,
		len: data.len() as u32,
	})?;
	env.deposit_event(topics, data.to_vec());
	Ok(())
}
