//! Benchmarks for every call and every piece of hook work, at their worst cases.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::Bounded, Perbill};
use zerog_erasure::{
	pora::{self, SEAL_UNIT_SIZE, SECTORS_PER_UNIT},
	storage::{FileTree, SECTORS_PER_SEGMENT, SEGMENT_SIZE},
	FlowProver,
};

fn params<T: Config>() -> ParamsOf<T> {
	StorageParams {
		price_per_sector: 1u32.into(),
		period: 10u32.into(),
		max_replicas: 8,
		max_periods: 100,
		max_file_size: 1 << 32,
		min_bond: 1u32.into(),
		unbonding_period: 10u32.into(),
		max_shards: 32,
		epoch_length: 100u32.into(),
		target_answers: 5,
		max_answers: 10,
		reward_share: Perbill::from_percent(50),
		base_reward: 1u32.into(),
		ack_window: 5u32.into(),
		void_fee: 1u32.into(),
		kv_window: 5u32.into(),
	}
}

/// A funded account.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// A one-segment file (the largest subtree count needs a larger file; see `submit`).
fn segment_file(seed: u8) -> Vec<u8> {
	(0..SEGMENT_SIZE)
		.map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
		.collect()
}

/// The submission of `data` with `tags` KV stream tags.
fn submission<T: Config>(data: &[u8], tags: u32) -> SubmissionOf<T> {
	let tree = FileTree::new(data).expect("a non-empty file");
	let tags: Vec<Tag> = (0..tags).map(|i| Tag::KvStream([i as u8; 32])).collect();
	Submission {
		root: tree.root(),
		size: data.len() as u64,
		subtrees: BoundedVec::try_from(tree.flow_subtrees()).expect("at most 5 subtrees"),
		tags: BoundedVec::try_from(tags).expect("within MaxTags"),
		replicas: 1,
		periods: 10,
	}
}

/// `MaxHoldersPerDeal` acknowledgements by other providers.
fn full_holders<T: Config>() -> BoundedVec<Holding<T::AccountId>, T::MaxHoldersPerDeal> {
	let holders = (0..T::MaxHoldersPerDeal::get())
		.map(|i| Holding { who: account("holder", i, 0), shard: Shard::ALL, generation: 1 })
		.collect::<Vec<_>>();
	BoundedVec::try_from(holders).expect("MaxHoldersPerDeal of them")
}

/// Opens deal `id` of `owner` (one sector, ending at `end`, 10 paid) without a submission.
fn insert_deal<T: Config>(owner: &T::AccountId, id: DealId, end: BlockNumberFor<T>) {
	Deals::<T>::insert(
		id,
		Deal {
			owner: owner.clone(),
			root: [id as u8; 32],
			size: 256,
			start_sector: id,
			sectors: 1,
			replicas: 1,
			start: 0u32.into(),
			end,
			paid: 10u32.into(),
			claimed: 0u32.into(),
		},
	);
	DealsByOwner::<T>::insert(owner, id, ());
}

/// Fills the expiry list of block `at` with `count` placeholder ids.
fn fill_expiries<T: Config>(at: BlockNumberFor<T>, count: u32) {
	let ids: Vec<DealId> = (1_000_000..1_000_000 + count as u64).collect();
	Expiries::<T>::insert(at, BoundedVec::try_from(ids).expect("within the bound"));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: 5 subtrees (most hashing into the flow), `t` KV tags to new streams.
	#[benchmark]
	fn submit(t: Linear<0, { T::MaxTags::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		// 0b11111 sectors: five subtrees.
		let data = vec![7u8; 31 * 256];
		let s = submission::<T>(&data, t);
		assert_eq!(s.subtrees.len(), 5);
		// A long flow, so that appending merges many peaks.
		FlowState::<T>::mutate(|flow| {
			let zeros = zerog_erasure::flow::ZeroHashes::up_to(40);
			flow.append_zeros((1 << 40) - 1, &zeros).expect("room in the flow");
		});
		// Every block a deadline may fall in is full but the last, which is one short.
		let earliest = frame_system::Pallet::<T>::block_number() + params::<T>().ack_window;
		let max = T::MaxExpiriesPerBlock::get() as u64;
		for extra in 0..ACK_DEADLINE_SLACK {
			let room = if extra + 1 == ACK_DEADLINE_SLACK { 1 } else { 0 };
			let others: Vec<DealId> = (1_000_000..1_000_000 + max - room).collect();
			AckDeadlines::<T>::insert(
				earliest + extra.into(),
				BoundedVec::try_from(others.clone()).expect("bound"),
			);
			// The same for the KV deadlines (`kv_window` equals `ack_window` here).
			KvDeadlines::<T>::insert(
				earliest + extra.into(),
				BoundedVec::try_from(others).expect("bound"),
			);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), s);
		assert!(Deals::<T>::contains_key(0));
	}

	/// Worst case: both expiry lists (old and new end) hold `e` - 1 other deals.
	#[benchmark]
	fn renew(e: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		Pallet::<T>::submit(
			RawOrigin::Signed(owner.clone()).into(),
			submission::<T>(&[1u8; 256], 0),
		)
		.expect("submits");
		let deal = Deals::<T>::get(0).expect("deal 0");
		let mut old: Vec<DealId> = (1_000_000..1_000_000 + e as u64 - 1).collect();
		old.insert(0, 0);
		Expiries::<T>::insert(
			deal.end,
			BoundedVec::<DealId, T::MaxExpiriesPerBlock>::try_from(old).expect("bound"),
		);
		let new_end = deal.end + 10u32.into();
		fill_expiries::<T>(new_end, e - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0, 1);
		assert_eq!(Deals::<T>::get(0).expect("deal 0").end, new_end);
	}

	#[benchmark]
	fn register_provider() {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("provider", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), [1u8; 32], 1_000u32.into(), Shard { id: 3, count: 32 });
		assert!(Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_shard() {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("provider", 0);
		Pallet::<T>::register_provider(
			RawOrigin::Signed(who.clone()).into(),
			[1; 32],
			1_000u32.into(),
			Shard::ALL,
		)
		.expect("registers");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Shard { id: 1, count: 2 });
		assert_eq!(Providers::<T>::get(&who).expect("provider").shard.count, 2);
	}

	#[benchmark]
	fn unbond() {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("provider", 0);
		Pallet::<T>::register_provider(
			RawOrigin::Signed(who.clone()).into(),
			[1; 32],
			1_000u32.into(),
			Shard::ALL,
		)
		.expect("registers");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Providers::<T>::get(&who).expect("provider").unbonding_until.is_some());
	}

	#[benchmark]
	fn withdraw() {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("provider", 0);
		Pallet::<T>::register_provider(
			RawOrigin::Signed(who.clone()).into(),
			[1; 32],
			1_000u32.into(),
			Shard::ALL,
		)
		.expect("registers");
		Pallet::<T>::unbond(RawOrigin::Signed(who.clone()).into()).expect("unbonds");
		frame_system::Pallet::<T>::set_block_number(1_000u32.into());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params::<T>());
		assert_eq!(Params::<T>::get(), Some(params::<T>()));
		Ok(())
	}

	/// `d` deals expire in one block.
	#[benchmark]
	fn on_expiries(d: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		let mut ids = vec![];
		for id in 0..d as u64 {
			insert_deal::<T>(&owner, id, 5u32.into());
			Holders::<T>::insert(id, full_holders::<T>());
			ids.push(id);
		}
		Expiries::<T>::insert(
			BlockNumberFor::<T>::from(5u32),
			BoundedVec::try_from(ids).expect("bound"),
		);
		#[block]
		{
			// Block 5 is not an epoch start (epochs are 100 blocks): only expiries run.
			Pallet::<T>::on_initialize(5u32.into());
		}
		assert!(Expiries::<T>::get(BlockNumberFor::<T>::from(5u32)).is_empty());
	}

	/// `n` deals acknowledged in one call, each held by `MaxHoldersPerDeal - 1` others (the
	/// longest lists to decode and write).
	#[benchmark]
	fn acknowledge(n: Linear<1, { T::MaxAcksPerCall::get() }>) {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("provider", 0);
		Pallet::<T>::register_provider(
			RawOrigin::Signed(who.clone()).into(),
			[9; 32],
			1u32.into(),
			Shard::ALL,
		)
		.expect("registers");
		let owner = funded::<T>("owner", 0);
		let mut others = full_holders::<T>();
		others.pop();
		let mut deals = vec![];
		for id in 0..n as u64 {
			insert_deal::<T>(&owner, id, 50u32.into());
			Holders::<T>::insert(id, others.clone());
			// A pending KV entry: the acknowledgement checks its coverage by every holder.
			KvVerdicts::<T>::insert(id, KvData::Pending { deadline: 5u32.into() });
			deals.push(id);
		}
		let deals = BoundedVec::try_from(deals).expect("within MaxAcksPerCall");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), deals, Shard::ALL);
		assert!(Pallet::<T>::is_acknowledged(&who, n as u64 - 1));
		assert_eq!(KvVerdicts::<T>::get(n as u64 - 1), Some(KvData::Available));
	}

	/// `d` deals reach their acknowledgement deadline unheld and are voided, each refunded
	/// and each taken out of an expiry list of `d` deals.
	#[benchmark]
	fn on_ack_deadlines(d: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		let pool = Pallet::<T>::pool();
		T::Currency::set_balance(&pool, BalanceOf::<T>::max_value() / 1_000_000u32.into());
		let end: BlockNumberFor<T> = 50u32.into();
		let ids: Vec<DealId> = (0..d as u64).collect();
		for id in &ids {
			insert_deal::<T>(&owner, *id, end);
		}
		Expiries::<T>::insert(end, BoundedVec::try_from(ids.clone()).expect("bound"));
		AckDeadlines::<T>::insert(
			BlockNumberFor::<T>::from(5u32),
			BoundedVec::try_from(ids).expect("bound"),
		);
		#[block]
		{
			// Block 5 is not an epoch start (epochs are 100 blocks) and nothing expires.
			Pallet::<T>::on_initialize(5u32.into());
		}
		assert!(Deals::<T>::iter().next().is_none());
	}

	/// An epoch start that forgets an epoch with `a` recorded answers.
	#[benchmark]
	fn start_pora_epoch(a: Linear<0, 10>) {
		Params::<T>::put(params::<T>());
		CurrentPoraEpoch::<T>::put(1);
		for i in 0..a {
			SeenAnswers::<T>::insert(0, ([i as u8; 32], [0u8; 32]), ());
		}
		#[block]
		{
			Pallet::<T>::start_pora_epoch(2, &params::<T>());
		}
		assert_eq!(CurrentPoraEpoch::<T>::get(), 2);
	}

	/// A real winning answer on a one-segment file, paid from its deal and the reserve.
	#[benchmark]
	fn submit_pora() {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		let data = segment_file(1);
		let s = submission::<T>(&data, 0);
		let mut prover = FlowProver::new();
		prover.append_file(&s.subtrees).expect("appends");
		Pallet::<T>::submit(RawOrigin::Signed(owner).into(), s).expect("submits");
		RewardReserve::<T>::put(BalanceOf::<T>::from(1_000u32));
		T::Currency::mint_into(&Pallet::<T>::pool(), 1_000u32.into()).expect("mints");
		let miner = funded::<T>("miner", 0);
		let miner_id = [2u8; 32];
		Pallet::<T>::register_provider(
			RawOrigin::Signed(miner.clone()).into(),
			miner_id,
			1_000u32.into(),
			Shard::ALL,
		)
		.expect("registers");
		// The miner holds the deal, last in a full list of holders.
		let mut others = full_holders::<T>();
		others.pop();
		Holders::<T>::insert(0, others);
		Pallet::<T>::acknowledge(
			RawOrigin::Signed(miner.clone()).into(),
			BoundedVec::try_from(vec![0]).expect("one deal"),
			Shard::ALL,
		)
		.expect("acknowledges");
		frame_system::Pallet::<T>::set_block_number(5u32.into());
		Pallet::<T>::start_pora_epoch(1, &params::<T>());
		Epochs::<T>::mutate(1, |info| info.as_mut().expect("epoch 1").target = u128::MAX);
		let info = Epochs::<T>::get(1).expect("epoch 1");
		let nonce = [0u8; 32];
		let unit = pora::recall_unit(&info.context, &miner_id, &nonce, info.flow_length, 0, 1)
			.expect("a unit");
		let sector = unit * SECTORS_PER_UNIT;
		let local = sector % SECTORS_PER_SEGMENT;
		let mut sealed: [u8; SEAL_UNIT_SIZE] =
			data[local as usize * 256..][..SEAL_UNIT_SIZE].try_into().expect("4 KiB");
		pora::seal(&miner_id, unit, &mut sealed);
		let tree = FileTree::new(&data).expect("tree");
		let inner = tree.sector_proof(&data, local).expect("sector proof").siblings;
		let proof = pora::unit_proof(&prover.proof(sector, &inner).expect("flow proof"))
			.expect("unit proof");
		let answer = PoraAnswer {
			epoch: 1,
			miner_id,
			nonce,
			unit,
			deal: Some(0),
			sealed: sealed.to_vec(),
			proof,
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(miner), answer);
		assert_eq!(EpochAnswers::<T>::get(1), 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
