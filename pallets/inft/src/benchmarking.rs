//! Benchmarks of `pallet_inft`, each at its worst case: full-length descriptions, URIs and
//! sealed keys, and access proofs signed by the receiver's assistant (the receiver's own
//! check fails first, so each item costs three signature checks).

use crate::{pallet::*, types::*, Pallet as Inft};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;
use zerog_traits::BenchmarkKeys;

/// Key numbers: the oracle and the receiver's assistant sign; the receiver's key is
/// another one that signs nothing.
const ORACLE: u32 = 1;
const RECEIVER: u32 = 2;
const ASSISTANT: u32 = 3;

fn funded<T: Config>(who: &T::AccountId) {
	T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 4u32.into());
}

fn full<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![byte; S::get() as usize])
}

/// A token of `n` full-size items minted by `owner`.
fn token<T: Config>(owner: &T::AccountId, n: u32) -> TokenId {
	let data: Vec<MintItemOf<T>> =
		(0..n).map(|i| (full::<T::MaxDescriptionLen>(b'd'), [i as u8; 32])).collect();
	Inft::<T>::do_mint(owner.clone(), BoundedVec::truncate_from(data), full(b'k'), full(b'u'))
		.expect("funded")
}

/// The worst-case proofs for moving `id` to the receiver.
fn proofs<T: Config>(id: TokenId) -> ProofsOf<T> {
	let token = Tokens::<T>::get(id).expect("minted");
	let genesis = Inft::<T>::genesis_hash();
	let receiver_key = full::<T::MaxReceiverKeyLen>(b'r');
	let proofs: Vec<TransferProofOf<T>> = token
		.data
		.iter()
		.enumerate()
		.map(|(i, item)| {
			let new_hash = [i as u8 + 100; 32];
			let sealed = full::<T::MaxSealedKeyLen>(b's');
			let ownership = ownership_message(
				&genesis,
				id,
				&item.data_hash,
				&new_hash,
				&sealed,
				&receiver_key,
				token.nonce,
			);
			let access = access_message(&genesis, id, &new_hash, &receiver_key, token.nonce);
			TransferProof {
				oracle: T::BenchmarkHelper::signer(ORACLE),
				new_data_hash: new_hash,
				new_sealed_key: sealed,
				receiver_key: receiver_key.clone(),
				ownership: ProofSignature::Substrate(T::BenchmarkHelper::sign(ORACLE, &ownership)),
				access: ProofSignature::Substrate(T::BenchmarkHelper::sign(ASSISTANT, &access)),
			}
		})
		.collect();
	BoundedVec::truncate_from(proofs)
}

/// An owner with a token of `n` items, a registered oracle, and a receiver whose assistant
/// signs; returns (owner, token, receiver).
fn ready<T: Config>(n: u32) -> (T::AccountId, TokenId, T::AccountId) {
	let owner: T::AccountId = whitelisted_caller();
	funded::<T>(&owner);
	let id = token::<T>(&owner, n);
	Oracles::<T>::insert(
		T::BenchmarkHelper::signer(ORACLE),
		OracleInfo { kind: OracleKind::Tee, attestation: Some([1; 32]) },
	);
	let receiver = T::BenchmarkHelper::signer(RECEIVER);
	funded::<T>(&receiver);
	Assistants::<T>::insert(&receiver, T::BenchmarkHelper::signer(ASSISTANT));
	(owner, id, receiver)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_oracle() {
		let oracle: T::AccountId = account("oracle", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Root, oracle.clone(), OracleKind::Zkp, Some([3; 32]));
		assert!(Oracles::<T>::contains_key(&oracle));
	}

	#[benchmark]
	fn remove_oracle() {
		let oracle: T::AccountId = account("oracle", 0, 0);
		Oracles::<T>::insert(&oracle, OracleInfo { kind: OracleKind::Tee, attestation: None });
		#[extrinsic_call]
		_(RawOrigin::Root, oracle.clone());
		assert!(!Oracles::<T>::contains_key(&oracle));
	}

	#[benchmark]
	fn mint(n: Linear<0, { T::MaxDataItems::get() }>) {
		let owner: T::AccountId = whitelisted_caller();
		funded::<T>(&owner);
		let data: Vec<MintItemOf<T>> =
			(0..n).map(|i| (full::<T::MaxDescriptionLen>(b'd'), [i as u8; 32])).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), BoundedVec::truncate_from(data), full(b'k'), full(b'u'));
		assert_eq!(NextTokenId::<T>::get(), 1);
	}

	#[benchmark]
	fn transfer(n: Linear<1, { T::MaxDataItems::get() }>) {
		let (owner, id, receiver) = ready::<T>(n);
		let proofs = proofs::<T>(id);
		for i in 0..T::MaxAuthorizedUsers::get() {
			Inft::<T>::do_authorize(owner.clone(), id, account("user", i, 0)).expect("funded");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, receiver.clone(), proofs);
		assert_eq!(Tokens::<T>::get(id).map(|t| t.owner), Some(receiver));
	}

	#[benchmark]
	fn clone_token(n: Linear<1, { T::MaxDataItems::get() }>) {
		let (owner, id, receiver) = ready::<T>(n);
		let proofs = proofs::<T>(id);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, receiver.clone(), proofs);
		assert_eq!(Tokens::<T>::get(id + 1).map(|t| t.owner), Some(receiver));
	}

	#[benchmark]
	fn authorize_usage() {
		let (owner, id, _) = ready::<T>(0);
		for i in 1..T::MaxAuthorizedUsers::get() {
			Inft::<T>::do_authorize(owner.clone(), id, account("user", i, 0)).expect("funded");
		}
		let user: T::AccountId = account("user", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, user.clone());
		assert!(Authorizations::<T>::get(id).contains(&user));
	}

	#[benchmark]
	fn revoke_authorization() {
		let (owner, id, _) = ready::<T>(0);
		for i in 0..T::MaxAuthorizedUsers::get() {
			Inft::<T>::do_authorize(owner.clone(), id, account("user", i, 0)).expect("funded");
		}
		let user: T::AccountId = account("user", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, user.clone());
		assert!(!Authorizations::<T>::get(id).contains(&user));
	}

	#[benchmark]
	fn delegate_access() {
		let user: T::AccountId = whitelisted_caller();
		funded::<T>(&user);
		let assistant: T::AccountId = account("assistant", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), Some(assistant.clone()));
		assert_eq!(Assistants::<T>::get(&user), Some(assistant));
	}

	#[benchmark]
	fn burn() {
		let (owner, id, _) = ready::<T>(T::MaxDataItems::get());
		for i in 0..T::MaxAuthorizedUsers::get() {
			Inft::<T>::do_authorize(owner.clone(), id, account("user", i, 0)).expect("funded");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!Tokens::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(Inft, crate::mock::new_test_ext(), crate::mock::Test);
}
