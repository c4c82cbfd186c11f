//! Benchmarks for every call and every piece of hook work, at their worst cases.

use super::*;
use crate::pallet::*;
use alloc::vec;
use codec::{Decode, Encode};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Bounded, Zero},
	Perbill, RuntimeAppPublic,
};
use zerog_erasure::{hash::hash_leaf, BlobCommitment, CodecId, MerkleProof, MAX_BLOB_SIZE};

fn params<T: Config>() -> ParamsOf<T> {
	DaParams {
		min_bond: 1u32.into(),
		committee_size: T::MaxCommitteeSize::get(),
		epoch_length: 100u32.into(),
		attest_window: 10u32.into(),
		retention: 1000u32.into(),
		unbonding_period: 10u32.into(),
		fee_per_blob: 10u32.into(),
		fee_per_byte: 1u32.into(),
		base_fee: 1u32.into(),
		challenge_period: 10u32.into(),
		challenges_per_round: T::MaxChallengesPerRound::get(),
		answer_window: 5u32.into(),
		slash: Perbill::from_percent(10),
		challenge_reward: 1u32.into(),
	}
}

/// A funded account.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// An operator key from fixed bytes (no signing needed).
fn placeholder_key<T: Config>(seed: u8) -> T::OperatorKey {
	T::OperatorKey::decode(&mut &[seed; 32][..]).expect("32 bytes decode as an sr25519 key")
}

/// A fresh key from the keystore and its proof of possession for `who`.
fn key_with_proof<T: Config>(
	who: &T::AccountId,
) -> (T::OperatorKey, <T::OperatorKey as RuntimeAppPublic>::Signature) {
	let key = T::OperatorKey::generate_pair(None);
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let proof = key.sign(&key_proof_payload(&genesis, who)).expect("the keystore holds the key");
	(key, proof)
}

/// Registers `who` through the call, with a fresh key and its proof.
fn registered<T: Config>(who: &T::AccountId) -> Result<(), BenchmarkError> {
	let (key, proof) = key_with_proof::<T>(who);
	Pallet::<T>::register_operator(
		RawOrigin::Signed(who.clone()).into(),
		key,
		100u32.into(),
		proof,
	)?;
	Ok(())
}

/// Registers `who` as an operator with a key from the keystore (so it can sign).
fn signing_operator<T: Config>(who: &T::AccountId) -> T::OperatorKey {
	let key = T::OperatorKey::generate_pair(None);
	let bond: BalanceOf<T> = 1_000u32.into();
	Operators::<T>::insert(who, Operator { key: key.clone(), bond, unbonding_until: None });
	OperatorByKey::<T>::insert(&key, who);
	key
}

/// A committee of `size` operators for the current epoch; the last one can sign.
fn committee<T: Config>(size: u32) -> (T::AccountId, T::OperatorKey) {
	let mut members = vec![];
	for i in 0..size - 1 {
		let who: T::AccountId = account("member", i, 0);
		Operators::<T>::insert(
			&who,
			Operator {
				key: placeholder_key::<T>(i as u8),
				bond: 1_000u32.into(),
				unbonding_until: None,
			},
		);
		members.push((who, 1_000u32.into()));
	}
	let signer: T::AccountId = account("signer", 0, 0);
	let key = signing_operator::<T>(&signer);
	members.push((signer.clone(), 1_000u32.into()));
	let epoch = CurrentEpoch::<T>::get();
	let bonds: alloc::vec::Vec<BalanceOf<T>> = members.iter().map(|(_, bond)| *bond).collect();
	let seats = crate::committee::seats(&[7u8; 32], &bonds);
	Committees::<T>::insert(epoch, BoundedVec::try_from(members).expect("size <= max"));
	Seats::<T>::insert(epoch, BoundedVec::try_from(seats).expect("size <= max"));
	EpochSeeds::<T>::insert(epoch, [7u8; 32]);
	(signer, key)
}

/// Records blob `id` directly, pending with a deadline at `deadline`.
fn pending_blob<T: Config>(id: BlobId, owner: &T::AccountId, deadline: BlockNumberFor<T>) {
	let commitment = BlobCommitment {
		root: sp_io::hashing::blake2_256(&id.encode()),
		size: 1_000,
		codec: CodecId::ReedSolomonSimd,
	};
	BlobByRoot::<T>::insert(commitment.root, id);
	Blobs::<T>::insert(
		id,
		Blob {
			owner: owner.clone(),
			commitment,
			epoch: CurrentEpoch::<T>::get(),
			fee: 100u32.into(),
			deadline,
			status: BlobStatus::Pending,
			attested_stake: 0u32.into(),
			expires_at: None,
		},
	);
	NextBlobId::<T>::put(id + 1);
}

/// Puts blob `id` alone in epoch `id` and makes every epoch from 0 on finished, so that
/// removing the blobs in order prunes one epoch each: the worst case of a removal.
fn alone_in_its_epoch<T: Config>(id: BlobId, blobs: u64) {
	let epoch = id as EpochIndex;
	Blobs::<T>::mutate(id, |b| b.as_mut().expect("recorded").epoch = epoch);
	EpochBlobs::<T>::insert(epoch, 1);
	EpochSeeds::<T>::insert(epoch, [7u8; 32]);
	CurrentEpoch::<T>::put(blobs as EpochIndex);
}

#[benchmarks(where T: Config)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_operator() {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("operator", 0);
		let (key, proof) = key_with_proof::<T>(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key, 100u32.into(), proof);
		assert!(Operators::<T>::contains_key(&who));
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("operator", 0);
		registered::<T>(&who)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 50u32.into());
		assert_eq!(Operators::<T>::get(&who).unwrap().bond, 150u32.into());
		Ok(())
	}

	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("operator", 0);
		registered::<T>(&who)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Operators::<T>::get(&who).unwrap().unbonding_until.is_some());
		Ok(())
	}

	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		Params::<T>::put(params::<T>());
		let who = funded::<T>("operator", 0);
		registered::<T>(&who)?;
		Pallet::<T>::unbond(RawOrigin::Signed(who.clone()).into())?;
		let until = Operators::<T>::get(&who).and_then(|op| op.unbonding_until);
		frame_system::Pallet::<T>::set_block_number(until.ok_or("unbonding")?);
		// Every epoch it may hold chunks of has been pruned.
		OldestKeptEpoch::<T>::put(LeftInEpoch::<T>::get(&who).ok_or("left")? + 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Operators::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn submit_blob() {
		Params::<T>::put(params::<T>());
		committee::<T>(1);
		Pallet::<T>::open_fee_pool();
		let owner = funded::<T>("owner", 0);
		let commitment =
			BlobCommitment { root: [9; 32], size: MAX_BLOB_SIZE, codec: CodecId::ReedSolomonSimd };
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), commitment);
		assert!(BlobByRoot::<T>::contains_key([9u8; 32]));
	}

	// The largest committee, so that checking the seat decodes the most.
	#[benchmark]
	fn vote(b: Linear<1, { VoteBitmapBytes::<T>::get() }>) {
		Params::<T>::put(params::<T>());
		let (signer, key) = committee::<T>(T::MaxCommitteeSize::get());
		let now = frame_system::Pallet::<T>::block_number() + 1u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		let at = now - 1u32.into();
		let bits = BoundedVec::try_from(vec![0xffu8; b as usize]).expect("b <= the bound");
		let signed = VoteOf::<T> {
			operator: signer,
			epoch: CurrentEpoch::<T>::get(),
			seat: T::MaxCommitteeSize::get() - 1,
			at,
			at_hash: frame_system::Pallet::<T>::block_hash(at),
			held: BlobBits { first: 0, bits },
		};
		let signature = key
			.sign(&vote_payload(&Pallet::<T>::genesis_hash(), &signed))
			.expect("in keystore");
		#[extrinsic_call]
		_(RawOrigin::None, signed, signature);
		assert_eq!(Votes::<T>::get()[0].held.count(), 8 * b);
	}

	// `v` votes of distinct seats, `m` blob mentions among them, over `d` pending blobs; each
	// mention adds a seat to a tally, and the blobs reach quorum (queueing their expiry and
	// repair window).
	#[benchmark]
	fn count_votes(
		v: Linear<1, { T::MaxCommitteeSize::get().min(T::MaxOperators::get()) }>,
		m: Linear<
			1,
			{ T::MaxVoteBlobs::get() * T::MaxCommitteeSize::get().min(T::MaxOperators::get()) },
		>,
		d: Linear<1, { crate::votes::max_counted_blobs::<T>() }>,
	) {
		let p = params::<T>();
		Params::<T>::put(p.clone());
		committee::<T>(T::MaxCommitteeSize::get());
		let owner = funded::<T>("owner", 0);
		let now = frame_system::Pallet::<T>::block_number() + 1u32.into();
		frame_system::Pallet::<T>::set_block_number(now);
		let per_queue = T::MaxBlobsPerBlock::get() as u64;
		for id in 0..d as u64 {
			let deadline = now + ((id / per_queue) as u32).into();
			pending_blob::<T>(id, &owner, deadline);
			Deadlines::<T>::mutate(deadline, |due| due.try_push(id).expect("per_queue each"));
		}
		// Vote `i` names `k` consecutive blobs from `i * k`, wrapping around the `d` (a vote
		// spans at most `MaxVoteBlobs` ids).
		let k = m.div_ceil(v).min(d).min(T::MaxVoteBlobs::get());
		let mut votes = BoundedVec::<CastVoteOf<T>, T::MaxOperators>::new();
		for i in 0..v {
			let start = ((i as u64 * k as u64) % d as u64).min((d - k) as u64);
			let ids: alloc::vec::Vec<BlobId> = (start..start + k as u64).collect();
			let held = BlobBits::from_ids(&ids).expect("within d <= MaxVoteBlobs");
			let cast = CastVote { epoch: CurrentEpoch::<T>::get(), seat: i, held };
			votes.try_push(cast).expect("v <= MaxOperators");
		}
		Votes::<T>::put(votes);
		#[block]
		{
			Pallet::<T>::count_votes(now + 1u32.into(), &p);
		}
		assert!(Votes::<T>::get().is_empty());
	}

	#[benchmark]
	fn answer_challenge() {
		Params::<T>::put(params::<T>());
		let (signer, key) = committee::<T>(1);
		let pool = Pallet::<T>::fee_pool();
		T::Currency::set_balance(&pool, 1_000_000u32.into());
		// The largest chunk, with a proof whose root we make the commitment's.
		let layout =
			zerog_erasure::BlobLayout::new(MAX_BLOB_SIZE as u64, CodecId::ReedSolomonSimd).unwrap();
		let chunk = vec![3u8; layout.chunk_size as usize];
		let proof = MerkleProof { index: 5, siblings: vec![[1u8; 32]; 12] };
		let root = proof.root_from(hash_leaf(&chunk));
		let owner = funded::<T>("owner", 0);
		pending_blob::<T>(0, &owner, 100u32.into());
		Blobs::<T>::mutate(0, |b| {
			let b = b.as_mut().unwrap();
			b.commitment =
				BlobCommitment { root, size: MAX_BLOB_SIZE, codec: CodecId::ReedSolomonSimd };
			b.status = BlobStatus::Available;
		});
		let deadline = frame_system::Pallet::<T>::block_number() + 5u32.into();
		Challenges::<T>::insert(0, Challenge { blob: 0, chunk: 5, member: signer, deadline });
		let answer = ChallengeAnswer { challenge: 0, chunk, proof };
		let seed = EpochSeeds::<T>::get(CurrentEpoch::<T>::get()).expect("committee() set it");
		let payload = answer_payload(&Pallet::<T>::genesis_hash(), &root, &seed, &answer);
		let signature = key.sign(&payload).expect("key in keystore");
		#[extrinsic_call]
		_(RawOrigin::None, answer, signature);
		assert!(!Challenges::<T>::contains_key(0));
	}

	// Measures the pallet's own checks; what the persister does is weighed by the pallet
	// behind it (the runtime here has none and refuses, which is fine for this measure).
	#[benchmark]
	fn persist() {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		pending_blob::<T>(0, &owner, 100u32.into());
		Blobs::<T>::mutate(0, |b| b.as_mut().unwrap().status = BlobStatus::Available);
		#[block]
		{
			let _ = Pallet::<T>::persist(RawOrigin::Signed(owner).into(), 0);
		}
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

	#[benchmark]
	fn start_epoch(o: Linear<1, { T::MaxOperators::get() }>) {
		Params::<T>::put(params::<T>());
		for i in 0..o {
			let who: T::AccountId = account("candidate", i, 0);
			Operators::<T>::insert(
				&who,
				Operator {
					key: placeholder_key::<T>(i as u8),
					bond: (1_000u32 + i).into(),
					unbonding_until: None,
				},
			);
		}
		// The worst case also prunes as many finished epochs as an epoch start may.
		let pruned = crate::blobs::PRUNED_PER_EPOCH_START;
		for epoch in 0..pruned {
			Committees::<T>::insert(epoch, CommitteeOf::<T>::default());
			Seats::<T>::insert(epoch, SeatsOf::<T>::default());
			EpochSeeds::<T>::insert(epoch, [7u8; 32]);
		}
		CurrentEpoch::<T>::put(pruned);
		#[block]
		{
			Pallet::<T>::start_epoch(pruned + 1);
		}
		assert!(Committees::<T>::contains_key(pruned + 1));
		assert_eq!(OldestKeptEpoch::<T>::get(), pruned);
	}

	#[benchmark]
	fn on_deadlines(n: Linear<0, { T::MaxBlobsPerBlock::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		let pool = Pallet::<T>::fee_pool();
		T::Currency::set_balance(&pool, 1_000_000u32.into());
		let now = frame_system::Pallet::<T>::block_number();
		for id in 0..n as u64 {
			pending_blob::<T>(id, &owner, now);
			alone_in_its_epoch::<T>(id, n as u64);
		}
		#[block]
		{
			for id in 0..n as u64 {
				Pallet::<T>::close_unattested(id, now);
			}
		}
		assert_eq!(Blobs::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn on_expiries(n: Linear<0, { T::MaxBlobsPerBlock::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		// Each with a full committee's attestations, which go with it in one write.
		let mut full = TallyOf::<T>::default();
		for seat in 0..T::MaxCommitteeSize::get() {
			full.add(seat, 3).expect("seats below MaxCommitteeSize fit");
		}
		for id in 0..n as u64 {
			pending_blob::<T>(id, &owner, 0u32.into());
			alone_in_its_epoch::<T>(id, n as u64);
			Pallet::<T>::add_live(id);
			Tallies::<T>::insert(id, full.clone());
		}
		#[block]
		{
			for id in 0..n as u64 {
				Pallet::<T>::expire(id);
			}
		}
		assert_eq!(LiveBlobCount::<T>::get(), 0);
	}

	#[benchmark]
	fn on_repair_ends(n: Linear<0, { T::MaxBlobsPerBlock::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		let now = frame_system::Pallet::<T>::block_number();
		let mut due = BoundedVec::<BlobId, T::MaxBlobsPerBlock>::new();
		for id in 0..n as u64 {
			pending_blob::<T>(id, &owner, 0u32.into());
			Blobs::<T>::mutate(id, |blob| {
				if let Some(blob) = blob {
					blob.status = BlobStatus::Available;
				}
			});
			due.try_push(id).expect("n is at most MaxBlobsPerBlock");
		}
		RepairEnds::<T>::insert(now, due);
		#[block]
		{
			Pallet::<T>::end_repair_windows(now);
		}
		assert_eq!(LiveBlobCount::<T>::get(), n);
	}

	#[benchmark]
	fn issue_challenges(n: Linear<0, { T::MaxChallengesPerRound::get() }>) {
		let mut p = params::<T>();
		p.challenges_per_round = n;
		Params::<T>::put(p.clone());
		committee::<T>(T::MaxCommitteeSize::get());
		let owner = funded::<T>("owner", 0);
		pending_blob::<T>(0, &owner, 0u32.into());
		Pallet::<T>::add_live(0);
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			Pallet::<T>::issue_challenges(now, &p);
		}
		assert_eq!(NextChallengeId::<T>::get(), n as u64);
	}

	#[benchmark]
	fn close_challenges(n: Linear<0, { T::MaxChallengesPerRound::get() }>) {
		Params::<T>::put(params::<T>());
		let owner = funded::<T>("owner", 0);
		pending_blob::<T>(0, &owner, 0u32.into());
		let now = frame_system::Pallet::<T>::block_number();
		let mut due = BoundedVec::<ChallengeId, T::MaxChallengesPerRound>::new();
		for i in 0..n {
			let member = funded::<T>("member", i);
			let bond: BalanceOf<T> = 1_000u32.into();
			T::Currency::hold(&HoldReason::OperatorBond.into(), &member, bond).expect("funded");
			Operators::<T>::insert(
				&member,
				Operator { key: placeholder_key::<T>(i as u8), bond, unbonding_until: None },
			);
			Challenges::<T>::insert(
				i as u64,
				Challenge { blob: 0, chunk: 0, member, deadline: now },
			);
			due.try_push(i as u64).expect("n <= max");
		}
		ChallengeDeadlines::<T>::insert(now, due);
		#[block]
		{
			Pallet::<T>::close_challenges(now);
		}
		assert_eq!(Challenges::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
