//! Unit tests of the store and the service (no network).

use crate::{
	service::{replica_segments, ShardRole, StorageError, StorageService, MAX_SEGMENTS_PER_UPLOAD},
	store::{FileKey, Placement, SegmentStore, SegmentWithProof},
};
use std::sync::Arc;
use zerog_erasure::storage::{FileTree, SEGMENT_SIZE};

pub(crate) fn file(len: usize) -> (Vec<u8>, FileTree) {
	let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
	let tree = FileTree::new(&data).unwrap();
	(data, tree)
}

pub(crate) fn segments(
	data: &[u8],
	tree: &FileTree,
	indices: impl IntoIterator<Item = u64>,
) -> Vec<SegmentWithProof> {
	indices
		.into_iter()
		.map(|i| {
			let start = i as usize * SEGMENT_SIZE;
			let end = (start + SEGMENT_SIZE).min(data.len());
			SegmentWithProof {
				index: i,
				data: data[start..end].to_vec(),
				proof: tree.segment_proof(i).unwrap(),
			}
		})
		.collect()
}

pub(crate) fn service(dir: &std::path::Path) -> StorageService {
	StorageService::new(Arc::new(SegmentStore::open(dir).unwrap()), None)
}

#[test]
fn upload_then_read_back_and_reopen() {
	let dir = tempfile::tempdir().unwrap();
	let (data, tree) = file(3 * SEGMENT_SIZE + 1000);
	let root = tree.root();
	{
		let service = service(dir.path());
		let outcome =
			service.upload(&root, data.len() as u64, &segments(&data, &tree, 0..4)).unwrap();
		assert_eq!((outcome.accepted, outcome.stored), (4, 4));
		// Uploading again stores nothing new.
		let again = service
			.upload(&root, data.len() as u64, &segments(&data, &tree, [1, 3]))
			.unwrap();
		assert_eq!((again.accepted, again.stored), (2, 0));
	}
	let store = SegmentStore::open(dir.path()).unwrap();
	let key = FileKey::new(root, data.len() as u64);
	for i in 0..4 {
		let got = store.get(&key, i).unwrap().unwrap();
		assert_eq!(got, segments(&data, &tree, [i]).remove(0));
	}
	assert_eq!(
		store.read(&key, 100, 2 * SEGMENT_SIZE).unwrap().unwrap(),
		data[100..100 + 2 * SEGMENT_SIZE]
	);
	assert_eq!(store.read(&key, data.len() as u64 - 10, 11).unwrap(), None);
	let usage = store.usage();
	assert_eq!((usage.files, usage.segments, usage.bytes), (1, 4, data.len() as u64));
}

#[test]
fn a_corrupted_segment_refuses_the_whole_batch() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	let (data, tree) = file(4 * SEGMENT_SIZE);
	let size = data.len() as u64;
	let mut batch = segments(&data, &tree, 0..4);
	batch[2].data[5] ^= 1;
	let err = service.upload(&tree.root(), size, &batch).unwrap_err();
	assert!(matches!(err, StorageError::BadSegment(2, _)), "{err:?}");
	assert!(service.store().files().is_empty(), "nothing stored");
	// A proof for another index, a short segment, an index past the end.
	let mut swapped = segments(&data, &tree, [1]);
	swapped[0].proof = tree.segment_proof(0).unwrap();
	assert!(matches!(
		service.upload(&tree.root(), size, &swapped),
		Err(StorageError::BadSegment(1, _))
	));
	let mut short = segments(&data, &tree, [0]);
	short[0].data.pop();
	assert!(matches!(
		service.upload(&tree.root(), size, &short),
		Err(StorageError::BadSegment(0, _))
	));
	let mut past = segments(&data, &tree, [3]);
	past[0].index = 4;
	assert!(matches!(
		service.upload(&tree.root(), size, &past),
		Err(StorageError::BadSegment(4, _))
	));
	// The right segments under a wrong size or root.
	assert!(service.upload(&tree.root(), size + 1, &segments(&data, &tree, [0])).is_err());
	assert!(service.upload(&[9; 32], size, &segments(&data, &tree, [0])).is_err());
	assert!(service.store().files().is_empty());
}

#[test]
fn limits_are_errors() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	assert_eq!(service.upload(&[0; 32], 0, &[]), Err(StorageError::EmptyFile));
	assert!(matches!(service.upload(&[0; 32], 5 << 30, &[]), Err(StorageError::FileTooLarge(_))));
	let (data, tree) = file((MAX_SEGMENTS_PER_UPLOAD + 1) * SEGMENT_SIZE);
	let all = segments(&data, &tree, 0..(MAX_SEGMENTS_PER_UPLOAD as u64 + 1));
	assert_eq!(
		service.upload(&tree.root(), data.len() as u64, &all),
		Err(StorageError::TooManySegments(MAX_SEGMENTS_PER_UPLOAD + 1))
	);
}

#[test]
fn placements_decide_the_replica_shard_and_survive_reopen() {
	let dir = tempfile::tempdir().unwrap();
	let (data, tree) = file(6 * SEGMENT_SIZE);
	let key = FileKey::new(tree.root(), data.len() as u64);
	{
		let store = SegmentStore::open(dir.path()).unwrap();
		// The file starts at flow segment 3.
		store
			.add_placement(
				&key,
				Placement { deal: 7, start_sector: 3 * 1024, replicas: 2, end: 99 },
			)
			.unwrap();
		store.renew_placement(&key, 7, 150).unwrap();
	}
	let store = SegmentStore::open(dir.path()).unwrap();
	let (meta, held) = store.file(&key).unwrap();
	assert_eq!(
		meta.placements,
		vec![Placement { deal: 7, start_sector: 3072, replicas: 2, end: 150 }]
	);
	assert_eq!(held.count(), 0);
	// Shard 1 of 2 holds odd flow segments: file segments 0, 2, 4 (flow 3, 5, 7).
	let mask = replica_segments(&meta, ShardRole { id: 1, count: 2 }).unwrap();
	assert_eq!((0..6).filter(|i| mask.contains(*i)).collect::<Vec<_>>(), vec![0, 2, 4]);
	assert_eq!(store.remove_placement(&key, 7).unwrap(), 0);
	store.remove(&key).unwrap();
	assert!(SegmentStore::open(dir.path()).unwrap().files().is_empty());
}

#[test]
fn a_staging_copy_is_only_a_replica_inside_the_shard() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	let (data, tree) = file(4 * SEGMENT_SIZE);
	let root = tree.root();
	let key = FileKey::new(root, data.len() as u64);
	service.upload(&root, data.len() as u64, &segments(&data, &tree, 0..4)).unwrap();
	assert_eq!(service.replica_held(&key).count(), 0, "no deal, no role: staging only");
	service
		.store()
		.add_placement(&key, Placement { deal: 0, start_sector: 0, replicas: 1, end: 10 })
		.unwrap();
	assert_eq!(service.replica_held(&key).count(), 0, "not a provider");
	service.set_role(Some(ShardRole { id: 0, count: 2 }));
	assert_eq!(service.replica_held(&key).count(), 2);
	service.set_role(Some(ShardRole { id: 0, count: 1 }));
	assert_eq!(service.replica_held(&key).count(), 4);
}

#[test]
fn a_placement_is_complete_only_when_its_shard_part_is_held() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	let (data, tree) = file(4 * SEGMENT_SIZE);
	let (root, size) = (tree.root(), data.len() as u64);
	let key = FileKey::new(root, size);
	service.upload(&root, size, &segments(&data, &tree, [0, 2])).unwrap();
	// Two deals for the file: at flow segments 0..=3 and 5..=8.
	for (deal, segment) in [(3u64, 0u64), (8, 5)] {
		let placement = Placement { deal, start_sector: segment * 1024, replicas: 1, end: 10 };
		service.store().add_placement(&key, placement).unwrap();
	}
	let complete = |service: &StorageService| -> Vec<u64> {
		service.complete_deals().unwrap().1.iter().map(|held| held.deal).collect()
	};
	assert!(service.complete_deals().is_none(), "not a provider");
	// Shard 0 of 2: deal 3's part is file segments 0 and 2 (held), deal 8's is 1 and 3.
	service.set_role(Some(ShardRole { id: 0, count: 2 }));
	assert_eq!(complete(&service), vec![3]);
	service.upload(&root, size, &segments(&data, &tree, [1])).unwrap();
	assert_eq!(complete(&service), vec![3], "deal 8's part is half held");
	service.upload(&root, size, &segments(&data, &tree, [3])).unwrap();
	assert_eq!(complete(&service), vec![3, 8]);
	// A one-sector file in flow segment 0 has no part in shard 1 of 2: never complete.
	let (tiny, tiny_tree) = file(100);
	let tiny_key = FileKey::new(tiny_tree.root(), 100);
	service
		.upload(&tiny_tree.root(), 100, &segments(&tiny, &tiny_tree, [0]))
		.unwrap();
	let placement = Placement { deal: 1, start_sector: 5, replicas: 1, end: 10 };
	service.store().add_placement(&tiny_key, placement).unwrap();
	service.set_role(Some(ShardRole { id: 1, count: 2 }));
	assert!(!complete(&service).contains(&1));
	service.set_role(Some(ShardRole { id: 0, count: 2 }));
	assert_eq!(complete(&service), vec![1, 3, 8]);
}

#[tokio::test]
async fn uploads_without_a_deal_are_dropped_after_the_grace() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	let (data, tree) = file(1000);
	service.upload(&tree.root(), 1000, &segments(&data, &tree, [0])).unwrap();
	service.maintain(3600).await;
	assert_eq!(service.store().files().len(), 1, "kept within the grace");
	tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
	service.maintain(0).await;
	assert!(service.store().files().is_empty());
}

/// Lists no peers, and makes the node's provider shard known while it is asked: what the
/// chain follower does at start while the replica keeper already runs.
struct RoleArrivesWhileAsking(Arc<StorageService>);

impl zerog_data_plane::request_response::PeerSource for RoleArrivesWhileAsking {
	fn peers(&self) -> futures::future::BoxFuture<'static, Vec<sc_network::PeerId>> {
		self.0.set_role(Some(ShardRole { id: 0, count: 1 }));
		Box::pin(async { Vec::new() })
	}
}

/// Seen once in CI: a provider killed and restarted lost its whole replica, because its
/// role was read before peers were asked and its own copy counted as the replica seen.
#[tokio::test]
async fn a_restarted_provider_keeps_its_replica_when_its_role_arrives_late() {
	let dir = tempfile::tempdir().unwrap();
	let service = Arc::new(service(dir.path()));
	let (data, tree) = file(4 * SEGMENT_SIZE);
	let root = tree.root();
	service.upload(&root, data.len() as u64, &segments(&data, &tree, 0..4)).unwrap();
	let placement = Placement { deal: 0, start_sector: 0, replicas: 1, end: 10 };
	let key = FileKey::new(root, data.len() as u64);
	service.store().add_placement(&key, placement).unwrap();
	let network = crate::protocol::tests::ScriptedNetwork {
		quick: sc_network::PeerId::random(),
		stalled: sc_network::PeerId::random(),
		answer: Vec::new(),
	};
	let peers = Arc::new(RoleArrivesWhileAsking(service.clone()));
	service.set_fetcher(Arc::new(crate::protocol::SegmentFetcher::new(
		Arc::new(network),
		peers,
		"/test/segments/1".into(),
		None,
	)));
	assert_eq!(service.role(), None, "just restarted: the shard is not known yet");
	service.maintain(3600).await;
	assert_eq!(service.role(), Some(ShardRole { id: 0, count: 1 }));
	assert_eq!(service.store().file(&key).unwrap().1.count(), 4, "the replica was kept");
}

/// Finding 5 of issue 31: anyone can open a deal for an honest file's root with another
/// size (the chain checks neither) before the honest deal lands. Keyed by root alone, every
/// node then refused the honest deal's placement and its uploads ("root already stored with
/// size 1"), and skipped the deal for good: the file never reached its replicas, and checks
/// on it failed, so its honest providers were slashed.
#[tokio::test]
async fn a_root_placed_with_another_size_does_not_block_the_honest_file() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	service.set_role(Some(ShardRole { id: 0, count: 1 }));
	let (data, tree) = file(3 * SEGMENT_SIZE + 5);
	let (root, size) = (tree.root(), data.len() as u64);
	let (honest, squat) = (FileKey::new(root, size), FileKey::new(root, 1));

	// The squat lands first (1 sector), then the honest deal.
	let at = |deal, start_sector| Placement { deal, start_sector, replicas: 1, end: 10 };
	service.store().add_placement(&squat, at(0, 0)).unwrap();
	service
		.store()
		.add_placement(&honest, at(1, 1024))
		.expect("the honest deal is placed");
	service
		.upload(&root, size, &segments(&data, &tree, 0..4))
		.expect("its data is taken");

	assert_eq!(service.replica_held(&honest).count(), 4, "a full replica of the honest file");
	assert_eq!(service.replica_held(&squat).count(), 0);
	assert_eq!(service.store().sizes_of(&root), vec![(1, 0), (size, 4)]);
	assert_eq!(service.segment(&root, Some(size), 3).await.unwrap().data, data[3 * SEGMENT_SIZE..]);
	assert_eq!(service.report(&root, Some(size)).await.unwrap().local_segments, 4);
	// Without a size the root is ambiguous here: refused, never guessed.
	let ambiguous = StorageError::AmbiguousRoot(vec![1, size]);
	assert_eq!(service.segment(&root, None, 0).await.unwrap_err(), ambiguous);
	// The squat's file has no data anywhere.
	assert_eq!(
		service.segment(&root, Some(1), 0).await.unwrap_err(),
		StorageError::SegmentUnavailable(0)
	);
	// Both survive a restart, each with its own deals.
	drop(service);
	let store = SegmentStore::open(dir.path()).unwrap();
	assert_eq!(store.file(&honest).unwrap().0.placements, vec![at(1, 1024)]);
	assert_eq!(store.file(&squat).unwrap().0.placements, vec![at(0, 0)]);
}

/// The same file with zero bytes appended has the same root, so a squatter can upload it
/// (from the honest bytes any node serves). It must never stand in for the honest file.
#[tokio::test]
async fn a_zero_extended_squat_with_data_never_stands_in_for_the_honest_file() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	let (data, tree) = file(3 * SEGMENT_SIZE + 5);
	let mut longer = data.clone();
	longer.resize(4 * SEGMENT_SIZE, 0);
	let longer_tree = FileTree::new(&longer).unwrap();
	assert_eq!(longer_tree.root(), tree.root(), "zero padding: one root, two sizes");
	let root = tree.root();
	service
		.upload(&root, longer.len() as u64, &segments(&longer, &longer_tree, 0..4))
		.unwrap();
	service.upload(&root, data.len() as u64, &segments(&data, &tree, 0..4)).unwrap();

	let honest = FileKey::new(root, data.len() as u64);
	assert_eq!(service.store().read(&honest, 0, data.len()).unwrap().unwrap(), data);
	let last = service.segment(&root, Some(data.len() as u64), 3).await.unwrap();
	assert_eq!(last.data, data[3 * SEGMENT_SIZE..]);
	assert!(matches!(
		service.segment(&root, None, 3).await,
		Err(StorageError::AmbiguousRoot(sizes)) if sizes.len() == 2
	));
}

#[tokio::test]
async fn a_root_known_with_several_sizes_and_no_data_needs_a_size() {
	let dir = tempfile::tempdir().unwrap();
	let service = service(dir.path());
	let root = [4; 32];
	for (deal, size) in [(0, 1), (1, 5000)] {
		let placement = Placement { deal, start_sector: 0, replicas: 1, end: 10 };
		service.store().add_placement(&FileKey::new(root, size), placement).unwrap();
	}
	assert_eq!(
		service.segment(&root, None, 0).await.unwrap_err(),
		StorageError::AmbiguousRoot(vec![1, 5000])
	);
	assert_eq!(
		service.report(&root, None).await.unwrap_err(),
		StorageError::AmbiguousRoot(vec![1, 5000])
	);
	assert_eq!(service.report(&root, Some(5000)).await.unwrap().segments, 1);
}

#[test]
fn a_store_of_the_older_layout_is_renamed_at_open() {
	let dir = tempfile::tempdir().unwrap();
	let (data, tree) = file(2 * SEGMENT_SIZE);
	let key = FileKey::new(tree.root(), data.len() as u64);
	service(dir.path())
		.upload(&key.root, key.size, &segments(&data, &tree, 0..2))
		.unwrap();
	// The older layout named a file's folder by its root alone.
	let new = dir.path().join(format!("{}-{}", hex::encode(key.root), key.size));
	let old = dir.path().join(hex::encode(key.root));
	std::fs::rename(&new, &old).unwrap();
	// Other entries of the folder are left alone.
	std::fs::write(dir.path().join("deal-scan"), b"").unwrap();

	let store = SegmentStore::open(dir.path()).unwrap();
	assert_eq!(store.read(&key, 0, data.len()).unwrap().unwrap(), data);
	assert!(new.is_dir() && !old.exists());
	assert!(dir.path().join("deal-scan").is_file());
	assert_eq!(store.files().len(), 1);
}

mod mining {
	use super::*;
	use crate::{
		miner::{prover_until, EpochTask, FlowIndex, Miner},
		service::ShardRole,
	};
	use zerog_erasure::pora;

	/// Three files of odd sizes appended to a flow; the store holds two of them.
	#[test]
	fn wins_prove_against_the_flow_root_and_units_not_held_are_skipped() {
		let dir = tempfile::tempdir().unwrap();
		let service = service(dir.path());
		let mut appends = Vec::new();
		let mut prover = zerog_erasure::FlowProver::new();
		let mut held = Vec::new();
		for (i, len) in [5 * SEGMENT_SIZE + 777, 3 * SEGMENT_SIZE, 3000].into_iter().enumerate() {
			let (mut data, _) = file(len);
			data.iter_mut().for_each(|b| *b ^= i as u8 + 1);
			let tree = FileTree::new(&data).unwrap();
			let start = prover.append_file(&tree.flow_subtrees()).unwrap();
			appends.push((start, tree.flow_subtrees()));
			if i != 1 {
				let count = zerog_erasure::storage::segment_count(len as u64);
				service
					.upload(&tree.root(), len as u64, &segments(&data, &tree, 0..count))
					.unwrap();
				service
					.store()
					.add_placement(
						&FileKey::new(tree.root(), len as u64),
						Placement { deal: i as u64, start_sector: start, replicas: 1, end: 9 },
					)
					.unwrap();
				held.push((start, data));
			}
		}
		let flow = prover.flow().clone();
		let task = EpochTask {
			epoch: 3,
			context: [7; 32],
			flow_root: flow.root(),
			flow_length: flow.length(),
			target: u128::MAX,
			miner_id: [9; 32],
			shard: ShardRole { id: 0, count: 1 },
		};
		let replayed = prover_until(&appends, task.flow_length).unwrap();
		assert_eq!(replayed.flow().root(), task.flow_root);
		let index = FlowIndex::of(service.store(), &appends, task.flow_length);
		let miner = Miner::new(service.store().clone());
		let (mut wins, mut skipped) = (0, 0);
		for n in 0u64..400 {
			let mut nonce = [0u8; 32];
			nonce[..8].copy_from_slice(&n.to_le_bytes());
			let Some((unit, sealed)) = miner.try_nonce(&task, &index, &nonce) else {
				skipped += 1;
				continue;
			};
			let win = miner
				.answer(&task, &index, &replayed, nonce, unit, sealed)
				.expect("a held unit has a proof");
			// What the pallet checks.
			assert_eq!(
				pora::recall_unit(&task.context, &task.miner_id, &nonce, task.flow_length, 0, 1),
				Some(unit)
			);
			let mut data: [u8; 4096] = win.sealed.clone().try_into().unwrap();
			pora::unseal(&task.miner_id, unit, &mut data);
			if let Err(e) = pora::verify_unit(&task.flow_root, task.flow_length, &data, &win.proof)
			{
				panic!(
					"unit {unit} (sector {}) of {:?}: {e:?}; appends {:?}",
					unit * 16,
					task.flow_length,
					appends
						.iter()
						.map(|(s, t)| (*s, t.iter().map(|x| x.0).collect::<Vec<_>>()))
						.collect::<Vec<_>>()
				);
			}
			wins += 1;
		}
		assert!(wins > 50 && skipped > 0, "{wins} wins, {skipped} tries on units not held");
	}
}

mod kv {
	use crate::kv_db::{KvDb, Outcome};
	use zerog_erasure::kv::{AclOp, KvEntry};

	const S: [u8; 32] = [1; 32];
	const ALICE: [u8; 32] = [0xa; 32];
	const BOB: [u8; 32] = [0xb; 32];
	const EVE: [u8; 32] = [0xe; 32];

	fn put(key: &str, value: &str) -> KvEntry {
		KvEntry { writes: vec![(S, key.into(), value.into())], ..Default::default() }
	}

	fn bytes(entry: KvEntry) -> Result<Vec<u8>, String> {
		Ok(entry.encode().unwrap())
	}

	#[test]
	fn acl_versions_conflicts_and_skips_replay_the_same_after_reopen() {
		let dir = tempfile::tempdir().unwrap();
		{
			let db = KvDb::open(dir.path()).unwrap();
			// Alice creates the stream (admin) and grants Bob.
			let mut first = put("a", "1");
			first.acl.push((S, AclOp::GrantWriter(BOB)));
			assert_eq!(db.apply(0, 0, 10, ALICE, vec![S], bytes(first)).unwrap(), Outcome::Applied);
			assert_eq!(
				db.apply(1, 0, 11, BOB, vec![S], bytes(put("b", "2"))).unwrap(),
				Outcome::Applied
			);
			// Eve is no writer: refused, nothing written.
			assert!(matches!(
				db.apply(2, 0, 12, EVE, vec![S], bytes(put("a", "evil"))).unwrap(),
				Outcome::Rejected(_)
			));
			// Bob may not grant.
			let mut grant = put("c", "3");
			grant.acl.push((S, AclOp::GrantWriter(EVE)));
			assert!(matches!(
				db.apply(3, 0, 13, BOB, vec![S], bytes(grant)).unwrap(),
				Outcome::Rejected(_)
			));
			// A lost upload is skipped; the next entry applies.
			assert!(matches!(
				db.apply(4, 0, 14, ALICE, vec![S], Err("no data".into())).unwrap(),
				Outcome::Skipped(_)
			));
			assert_eq!(
				db.apply(5, 0, 15, ALICE, vec![S], bytes(put("a", "5"))).unwrap(),
				Outcome::Applied
			);
			// Bob read "a" at version 1; it changed at 5: conflict.
			let stale =
				KvEntry { based_on: Some(1), reads: vec![(S, b"a".to_vec())], ..put("b", "stale") };
			assert!(matches!(
				db.apply(6, 0, 16, BOB, vec![S], bytes(stale)).unwrap(),
				Outcome::Rejected(_)
			));
			let fresh =
				KvEntry { based_on: Some(5), reads: vec![(S, b"a".to_vec())], ..put("b", "7") };
			assert_eq!(db.apply(7, 0, 17, BOB, vec![S], bytes(fresh)).unwrap(), Outcome::Applied);
			// A stream not in the tags may not be touched; out-of-order versions are refused.
			let other = KvEntry {
				writes: vec![([2; 32], b"x".to_vec(), b"y".to_vec())],
				..Default::default()
			};
			assert!(matches!(
				db.apply(8, 0, 18, ALICE, vec![S], bytes(other)).unwrap(),
				Outcome::Rejected(_)
			));
			assert!(db.apply(42, 0, 19, ALICE, vec![S], bytes(put("z", "z"))).is_err());
		}
		let db = KvDb::open(dir.path()).unwrap();
		let stats = db.stats();
		assert_eq!((stats.next, stats.applied, stats.rejected, stats.skipped), (9, 4, 4, 1));
		assert_eq!(db.get(&S, b"a", None).unwrap().value, b"5");
		assert_eq!(db.get(&S, b"a", Some(4)).unwrap().value, b"1");
		assert_eq!(db.get(&S, b"a", Some(4)).unwrap().version, 0);
		assert_eq!(db.get(&S, b"b", None).unwrap().value, b"7");
		assert_eq!(db.get(&S, b"c", None), None);
		assert_eq!(db.get(&S, b"b", Some(0)), None);
		assert_eq!(db.seek(&S, None, true, None).unwrap().key, b"a");
		assert_eq!(db.seek(&S, Some(b"a"), true, None).unwrap().key, b"b");
		assert_eq!(db.seek(&S, Some(b"b"), true, None), None);
		assert_eq!(db.seek(&S, None, false, None).unwrap().key, b"b");
		assert_eq!(db.seek(&S, Some(b"b"), false, None).unwrap().key, b"a");
		assert_eq!(db.outcome(12).unwrap().0, 2);
		assert!(matches!(db.outcome(14).unwrap().1, Outcome::Skipped(_)));
	}
}
