//! Benchmarks for every call at its worst case; `settle` up to `MaxSettleBatch` receipts.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::Bounded, Perbill};

fn params<T: Config>() -> ParamsOf<T> {
	ComputeParams {
		min_bond: 100u32.into(),
		record_deposit: 10u32.into(),
		refund_delay: 10u32.into(),
		unbonding_period: 10u32.into(),
		max_task_duration: 100u32.into(),
		ack_window: 10u32.into(),
		timeout_share: Perbill::from_percent(30),
	}
}

/// A well-funded account.
fn fund<T: Config>(who: &T::AccountId) {
	T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	fund::<T>(&who);
	who
}

/// The largest service record: longest model and URL, a TEE attestation; signer key 0.
fn info<T: Config>(kind: ServiceKind) -> ServiceInfoOf<T> {
	let mut endpoint = b"https://".to_vec();
	endpoint.resize(T::MaxUrlLen::get() as usize, b'a');
	ServiceInfo {
		kind,
		model: BoundedVec::try_from(vec![b'm'; T::MaxModelLen::get() as usize])
			.expect("at the bound"),
		endpoint: BoundedVec::try_from(endpoint).expect("at the bound"),
		input_price: 1u32.into(),
		output_price: 2u32.into(),
		verifiability: Verifiability::Tee,
		signer: T::BenchmarkHelper::signer(0),
		attestation: Some(TeeAttestation { kind: TeeKind::IntelTdx, report_hash: [7; 32] }),
	}
}

/// A provider with a registered service of `kind`.
fn provider<T: Config>(kind: ServiceKind) -> T::AccountId {
	Params::<T>::put(params::<T>());
	let provider = funded::<T>("provider", 0);
	Pallet::<T>::register_service(
		RawOrigin::Signed(provider.clone()).into(),
		info::<T>(kind),
		100u32.into(),
	)
	.expect("registers");
	provider
}

/// `user` deposits `amount` into its ledger.
fn ledger<T: Config>(user: &T::AccountId, amount: u32) {
	Pallet::<T>::deposit(RawOrigin::Signed(user.clone()).into(), amount.into()).expect("deposits");
}

/// `user` funds `provider` with `amount` and queues `refunds` refunds of 1.
fn sub_account<T: Config>(user: &T::AccountId, provider: &T::AccountId, amount: u32, refunds: u32) {
	ledger::<T>(user, amount);
	let origin = || RawOrigin::Signed(user.clone());
	Pallet::<T>::transfer_to_provider(origin().into(), provider.clone(), amount.into())
		.expect("funds");
	for _ in 0..refunds {
		Pallet::<T>::request_refund(origin().into(), provider.clone(), 1u32.into())
			.expect("queues");
	}
}

/// Moves to block `n`.
fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

/// A fine-tuning task of 1,000 with `provider`.
fn task<T: Config>(provider: &T::AccountId) -> (T::AccountId, TaskId) {
	let user = funded::<T>("user", 0);
	ledger::<T>(&user, 1_000);
	let id = NextTaskId::<T>::get();
	let deliver_by: BlockNumberFor<T> = frame_system::Pallet::<T>::block_number() + 50u32.into();
	Pallet::<T>::create_task(
		RawOrigin::Signed(user.clone()).into(),
		provider.clone(),
		[1; 32],
		1_000u32.into(),
		deliver_by,
	)
	.expect("creates");
	(user, id)
}

fn deliver<T: Config>(provider: &T::AccountId, id: TaskId) {
	let key = BoundedVec::try_from(vec![9u8; T::MaxKeyLen::get() as usize]).expect("at the bound");
	Pallet::<T>::deliver_task(RawOrigin::Signed(provider.clone()).into(), id, [2; 32], key)
		.expect("delivers");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_service() {
		Params::<T>::put(params::<T>());
		let provider = funded::<T>("provider", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), info::<T>(ServiceKind::Inference), 100u32.into());
		assert!(Services::<T>::contains_key(&provider));
	}

	#[benchmark]
	fn update_service() {
		let provider = provider::<T>(ServiceKind::Inference);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), info::<T>(ServiceKind::FineTuning));
		assert_eq!(Services::<T>::get(&provider).expect("kept").info.kind, ServiceKind::FineTuning);
	}

	#[benchmark]
	fn retire_service() {
		let provider = provider::<T>(ServiceKind::Inference);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()));
		assert!(Services::<T>::get(&provider).expect("kept").retiring_until.is_some());
	}

	#[benchmark]
	fn withdraw_bond() {
		let provider = provider::<T>(ServiceKind::Inference);
		Pallet::<T>::retire_service(RawOrigin::Signed(provider.clone()).into()).expect("retires");
		set_block::<T>(1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()));
		assert!(!Services::<T>::contains_key(&provider));
	}

	/// A first deposit: the ledger's record deposit is held too.
	#[benchmark]
	fn deposit() {
		Params::<T>::put(params::<T>());
		let user = funded::<T>("user", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), 1_000u32.into());
		assert!(Ledgers::<T>::contains_key(&user));
	}

	#[benchmark]
	fn withdraw() {
		Params::<T>::put(params::<T>());
		let user = funded::<T>("user", 0);
		ledger::<T>(&user, 1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), 1_000u32.into());
		assert_eq!(Ledgers::<T>::get(&user).expect("kept").available, 0u32.into());
	}

	/// Every pending refund is cancelled and the rest comes from the ledger.
	#[benchmark]
	fn transfer_to_provider() {
		let provider = provider::<T>(ServiceKind::Inference);
		let user = funded::<T>("user", 0);
		sub_account::<T>(&user, &provider, 1_000, T::MaxPendingRefunds::get());
		ledger::<T>(&user, 1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), provider.clone(), 1_000u32.into());
		assert!(SubAccounts::<T>::get(&user, &provider).expect("kept").refunds.is_empty());
	}

	#[benchmark]
	fn request_refund() {
		let provider = provider::<T>(ServiceKind::Inference);
		let user = funded::<T>("user", 0);
		sub_account::<T>(&user, &provider, 1_000, T::MaxPendingRefunds::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), provider.clone(), 1u32.into());
		assert_eq!(
			SubAccounts::<T>::get(&user, &provider).expect("kept").refunds.len() as u32,
			T::MaxPendingRefunds::get()
		);
	}

	/// Every pending refund is due.
	#[benchmark]
	fn process_refunds() {
		let provider = provider::<T>(ServiceKind::Inference);
		let user = funded::<T>("user", 0);
		sub_account::<T>(&user, &provider, 1_000, T::MaxPendingRefunds::get());
		set_block::<T>(1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), provider.clone());
		assert!(SubAccounts::<T>::get(&user, &provider).expect("kept").refunds.is_empty());
	}

	/// A new sub-account (its record deposit is held).
	#[benchmark]
	fn acknowledge_signer() {
		let provider = provider::<T>(ServiceKind::Inference);
		let user = funded::<T>("user", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), provider.clone());
		assert!(SubAccounts::<T>::get(&user, &provider).expect("created").signer.is_some());
	}

	/// `n` receipts from `n` users, each spending its whole sub-account, so that every
	/// receipt also cuts a full list of pending refunds.
	#[benchmark]
	fn settle(n: Linear<1, { T::MaxSettleBatch::get() }>) {
		let provider = provider::<T>(ServiceKind::Inference);
		let mut receipts = Vec::new();
		for seed in 1..=n {
			let user = T::BenchmarkHelper::signer(seed);
			fund::<T>(&user);
			sub_account::<T>(&user, &provider, 1_000, T::MaxPendingRefunds::get());
			Pallet::<T>::acknowledge_signer(
				RawOrigin::Signed(user.clone()).into(),
				provider.clone(),
			)
			.expect("acknowledges");
			let fee: BalanceOf<T> = 1_000u32.into();
			let message = Pallet::<T>::receipt_message_for(&provider, &user, 1, &fee, &[3; 32]);
			receipts.push(Receipt {
				user,
				nonce: 1,
				cumulative_fee: fee,
				requests_hash: [3; 32],
				user_signature: T::BenchmarkHelper::sign(seed, &message),
				signer_signature: T::BenchmarkHelper::sign(0, &message),
			});
		}
		let receipts = BoundedVec::try_from(receipts).expect("within the batch bound");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), receipts);
		assert_eq!(Pallet::<T>::settled(&T::BenchmarkHelper::signer(n), &provider).0, 1);
	}

	#[benchmark]
	fn create_task() {
		let provider = provider::<T>(ServiceKind::FineTuning);
		let user = funded::<T>("user", 0);
		ledger::<T>(&user, 1_000);
		let deliver_by: BlockNumberFor<T> = 50u32.into();
		#[extrinsic_call]
		_(RawOrigin::Signed(user), provider, [1; 32], 1_000u32.into(), deliver_by);
		assert_eq!(NextTaskId::<T>::get(), 1);
	}

	/// The longest encrypted key.
	#[benchmark]
	fn deliver_task() {
		let provider = provider::<T>(ServiceKind::FineTuning);
		let (_, id) = task::<T>(&provider);
		let key =
			BoundedVec::try_from(vec![9u8; T::MaxKeyLen::get() as usize]).expect("at the bound");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, [2; 32], key);
		assert!(matches!(Tasks::<T>::get(id).expect("kept").state, TaskState::Delivered { .. }));
	}

	#[benchmark]
	fn acknowledge_task() {
		let provider = provider::<T>(ServiceKind::FineTuning);
		let (user, id) = task::<T>(&provider);
		deliver::<T>(&provider, id);
		#[extrinsic_call]
		_(RawOrigin::Signed(user), id);
		assert!(!Tasks::<T>::contains_key(id));
	}

	/// A delivered, unacknowledged task: the split pays both sides.
	#[benchmark]
	fn expire_task() {
		let provider = provider::<T>(ServiceKind::FineTuning);
		let (user, id) = task::<T>(&provider);
		deliver::<T>(&provider, id);
		set_block::<T>(1_000);
		#[extrinsic_call]
		_(RawOrigin::Signed(user), id);
		assert!(!Tasks::<T>::contains_key(id));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params::<T>());
		assert!(Params::<T>::get().is_some());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
