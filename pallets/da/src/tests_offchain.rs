//! The off-chain worker, against a mock node host: it votes once chunks are stored,
//! waits while they are fetched, does not repeat itself every block, repairs a share it was
//! never served during the repair window, acts for every operator key the node holds,
//! answers challenges with the chunk the node holds, and does nothing on a node without the
//! DA host.

use crate::{mock::*, pallet::*, types::*, OPERATOR_KEY_TYPE};
use codec::Decode;
use frame_support::{assert_ok, traits::Hooks};
use sp_core::offchain::{
	testing::{TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use std::sync::{Arc, Mutex};
use zerog_da_io::{DaHost, DaHostExt, FetchStatus};
use zerog_erasure::{BlobCommitment, CodecId, Hash, MerkleProof};

/// A node host whose answers the test sets.
#[derive(Default)]
struct MockHost {
	status: Mutex<Option<FetchStatus>>,
	chunk: Mutex<Option<(Vec<u8>, MerkleProof)>>,
	asked: Mutex<Vec<(u64, Vec<u32>)>>,
	repairs: Mutex<Vec<(u64, Vec<u32>)>>,
}

impl DaHost for MockHost {
	fn fetch_chunks(&self, blob: u64, _: &BlobCommitment, indices: &[u32]) -> FetchStatus {
		self.asked.lock().unwrap().push((blob, indices.to_vec()));
		self.status.lock().unwrap().unwrap_or(FetchStatus::Failed)
	}
	fn repair_chunks(&self, blob: u64, _: &BlobCommitment, indices: &[u32]) -> FetchStatus {
		self.repairs.lock().unwrap().push((blob, indices.to_vec()));
		self.status.lock().unwrap().unwrap_or(FetchStatus::Failed)
	}
	fn chunk(&self, _: &Hash, _: u32) -> Option<(Vec<u8>, MerkleProof)> {
		self.chunk.lock().unwrap().clone()
	}
}

type Pool = Arc<parking_lot::RwLock<sp_core::offchain::testing::PoolState>>;

/// Test externalities with an off-chain context, operator 2's key in the keystore and,
/// when `host` is given, the DA host.
fn offchain_ext(host: Option<Arc<MockHost>>) -> (TestExt, Pool) {
	offchain_ext_with_keys(host, &[2])
}

/// As [`offchain_ext`], with the keys of operators `operators` in the keystore.
fn offchain_ext_with_keys(host: Option<Arc<MockHost>>, operators: &[u8]) -> (TestExt, Pool) {
	let mut ext = new_test_ext();
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	for who in operators {
		let seed = format!("0x{}", hex::encode([*who; 32]));
		keystore.sr25519_generate_new(OPERATOR_KEY_TYPE, Some(&seed)).unwrap();
	}
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	if let Some(host) = host {
		ext.register_extension(DaHostExt(host));
	}
	(ext, pool_state)
}

fn sent_calls(pool: &Pool) -> Vec<Call<Test>> {
	pool.read()
		.transactions
		.iter()
		.map(|bytes| {
			let xt = frame_system::mocking::MockUncheckedExtrinsic::<Test>::decode(&mut &bytes[..])
				.unwrap();
			match xt.function {
				RuntimeCall::Da(call) => call,
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

fn submit() {
	let commitment = BlobCommitment { root: [7; 32], size: 300, codec: CodecId::ReedSolomonSimd };
	assert_ok!(Da::submit_blob(RuntimeOrigin::signed(4), commitment));
}

#[test]
fn attests_once_chunks_are_stored_and_not_every_block() {
	let host = Arc::new(MockHost::default());
	let (mut ext, pool) = offchain_ext(Some(host.clone()));
	ext.execute_with(|| {
		submit();
		// Still fetching: nothing sent.
		*host.status.lock().unwrap() = Some(FetchStatus::Pending);
		Da::offchain_worker(1);
		assert!(sent_calls(&pool).is_empty());
		let (blob, indices) = host.asked.lock().unwrap()[0].clone();
		assert_eq!(blob, 0);
		assert_eq!(indices, Da::chunks_of(0, &2), "it asks for exactly its assigned chunks");

		// Stored: a valid vote is sent, once, naming this block (whose hash the executive
		// records before the off-chain worker runs).
		frame_system::BlockHash::<Test>::insert(1, hash_of_block(1));
		*host.status.lock().unwrap() = Some(FetchStatus::Stored);
		Da::offchain_worker(1);
		let calls = sent_calls(&pool);
		assert_eq!(calls.len(), 1);
		let Call::vote { vote, signature } = &calls[0] else { panic!("not a vote") };
		assert_eq!((vote.operator, vote.at, vote.held.ids().collect::<Vec<_>>()), (2, 1, vec![0]));
		Da::offchain_worker(2);
		assert_eq!(sent_calls(&pool).len(), 1, "not repeated in the next block");

		// Included in block 2 and counted: nothing more is sent for it.
		run_to(2);
		assert_ok!(Da::check_vote(vote, signature));
		assert_ok!(Da::vote(RuntimeOrigin::none(), vote.clone(), signature.clone()));
		run_to(3);
		assert!(crate::tests::attested(2, 0));
		Da::offchain_worker(10);
		assert_eq!(sent_calls(&pool).len(), 1);
	});
}

#[test]
fn answers_its_challenges_with_the_chunk_the_node_holds() {
	let host = Arc::new(MockHost::default());
	let (mut ext, pool) = offchain_ext(Some(host.clone()));
	ext.execute_with(|| {
		submit();
		for who in [1, 2, 3] {
			assert_ok!(crate::tests::attest(who, 0));
		}
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
		// Run until operator 2 is challenged.
		let mut now = 1;
		while !Challenges::<Test>::iter().any(|(_, c)| c.member == 2) {
			now += 1;
			run_to(now);
			assert!(now < 200, "operator 2 never challenged");
		}
		// The node lost the chunk: nothing to send.
		Da::offchain_worker(now);
		assert!(sent_calls(&pool).is_empty());
		// The node holds it: the answer carries it.
		let proof = MerkleProof { index: 0, siblings: vec![[0; 32]; 12] };
		*host.chunk.lock().unwrap() = Some((vec![1, 2, 3], proof.clone()));
		Da::offchain_worker(now);
		let calls = sent_calls(&pool);
		assert!(!calls.is_empty());
		let Call::answer_challenge { answer, signature } = &calls[0] else {
			panic!("not an answer")
		};
		assert_eq!((answer.chunk.clone(), answer.proof.clone()), (vec![1, 2, 3], proof));
		assert!(matches!(Da::check_answer(answer, signature), Ok((2, _))));
	});
}

#[test]
fn does_nothing_without_the_node_host() {
	let (mut ext, pool) = offchain_ext(None);
	ext.execute_with(|| {
		submit();
		Da::offchain_worker(1);
		assert!(sent_calls(&pool).is_empty());
	});
}

#[test]
fn repairs_a_share_it_never_got_during_the_repair_window_only() {
	let host = Arc::new(MockHost::default());
	let (mut ext, pool) = offchain_ext(Some(host.clone()));
	ext.execute_with(|| {
		// The submitter served operators 1 and 3 only; they certify the blob at block 1.
		submit();
		assert_ok!(crate::tests::attest(3, 0));
		assert_ok!(crate::tests::attest(1, 0));
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
		// Operator 2's worker asks its node to repair exactly its share, and attests nothing.
		*host.status.lock().unwrap() = Some(FetchStatus::Pending);
		Da::offchain_worker(1);
		assert_eq!(host.repairs.lock().unwrap().clone(), vec![(0, Da::chunks_of(0, &2))]);
		assert!(sent_calls(&pool).is_empty());
		// Still rebuilding: asked again next block; once held, not again for a while.
		*host.status.lock().unwrap() = Some(FetchStatus::Stored);
		run_to(2);
		Da::offchain_worker(2);
		assert_eq!(host.repairs.lock().unwrap().len(), 2);
		run_to(3);
		Da::offchain_worker(3);
		assert_eq!(host.repairs.lock().unwrap().len(), 2, "held: no need to ask every block");
		// After the window the blob is challengeable, and the share is the member's to keep.
		run_to(1 + FIRST_REPAIR_WINDOW);
		assert_eq!(LiveBlobCount::<Test>::get(), 1);
		Da::offchain_worker(1 + FIRST_REPAIR_WINDOW + 10);
		assert_eq!(host.repairs.lock().unwrap().len(), 2);
	});
}

#[test]
fn an_attester_is_not_asked_to_repair() {
	let host = Arc::new(MockHost::default());
	let (mut ext, _pool) = offchain_ext(Some(host.clone()));
	ext.execute_with(|| {
		submit();
		assert_ok!(crate::tests::attest(3, 0));
		assert_ok!(crate::tests::attest(2, 0));
		assert_eq!(Blobs::<Test>::get(0).unwrap().status, BlobStatus::Available);
		Da::offchain_worker(1);
		assert!(host.repairs.lock().unwrap().is_empty());
	});
}

#[test]
fn a_node_with_two_operator_keys_attests_for_both_in_one_run() {
	let host = Arc::new(MockHost::default());
	let (mut ext, pool) = offchain_ext_with_keys(Some(host.clone()), &[2, 1]);
	ext.execute_with(|| {
		submit();
		*host.status.lock().unwrap() = Some(FetchStatus::Stored);
		Da::offchain_worker(1);
		let mut attesters: Vec<u64> = sent_calls(&pool)
			.into_iter()
			.map(|call| match call {
				Call::vote { vote, .. } => vote.operator,
				other => panic!("unexpected {other:?}"),
			})
			.collect();
		attesters.sort();
		assert_eq!(attesters, vec![1, 2], "the first operator's mark held back the second");
	});
}
