//! PoRA tries per second on one core over a stored 64 MiB file, next to its parts measured in
//! the same run: reading a 4 KiB unit from the store, and sealing one.
//!
//! `cargo bench -p zerog-storage-service --bench pora`

use std::{sync::Arc, time::Instant};
use zerog_erasure::{
	pora,
	storage::{segment_count, FileTree, SEGMENT_SIZE},
	FlowProver,
};
use zerog_storage_service::{
	miner::{EpochTask, FlowIndex, Miner},
	service::ShardRole,
	store::{Placement, SegmentStore, SegmentWithProof},
};

fn main() {
	let dir = tempfile::tempdir().unwrap();
	let store = Arc::new(SegmentStore::open(dir.path()).unwrap());
	let data: Vec<u8> =
		(0..64usize << 20).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
	let tree = FileTree::new(&data).unwrap();
	let segments: Vec<SegmentWithProof> = (0..segment_count(data.len() as u64))
		.map(|i| {
			let start = i as usize * SEGMENT_SIZE;
			SegmentWithProof {
				index: i,
				data: data[start..start + SEGMENT_SIZE].to_vec(),
				proof: tree.segment_proof(i).unwrap(),
			}
		})
		.collect();
	let file = zerog_storage_service::FileKey::new(tree.root(), data.len() as u64);
	for batch in segments.chunks(64) {
		store.put(&file, batch).unwrap();
	}
	let mut prover = FlowProver::new();
	let start = prover.append_file(&tree.flow_subtrees()).unwrap();
	store
		.add_placement(&file, Placement { deal: 0, start_sector: start, replicas: 1, end: 1 })
		.unwrap();
	let appends = vec![(start, tree.flow_subtrees())];
	let task = EpochTask {
		epoch: 0,
		context: [1; 32],
		flow_root: prover.flow().root(),
		flow_length: prover.flow().length(),
		target: 0,
		miner_id: [2; 32],
		shard: ShardRole { id: 0, count: 1 },
	};
	let index = FlowIndex::of(&store, &appends, task.flow_length);
	let miner = Miner::new(store.clone());
	let n = 20_000u64;

	let t = Instant::now();
	for i in 0..n {
		let unit = i * 7919 % (task.flow_length / 16);
		std::hint::black_box(miner.unit_data(&index, unit).unwrap());
	}
	let read = n as f64 / t.elapsed().as_secs_f64();

	let mut unit = [5u8; pora::SEAL_UNIT_SIZE];
	let t = Instant::now();
	for i in 0..n {
		pora::seal(&task.miner_id, i, &mut unit);
	}
	let seal = n as f64 / t.elapsed().as_secs_f64();

	let t = Instant::now();
	for i in 0..n {
		let mut nonce = [0u8; 32];
		nonce[..8].copy_from_slice(&i.to_le_bytes());
		std::hint::black_box(miner.try_nonce(&task, &index, &nonce));
	}
	let tries = n as f64 / t.elapsed().as_secs_f64();
	println!("PoRA on one core over a 64 MiB file ({n} each):");
	println!("  tries/s (recall + read + seal + quality): {tries:.0}");
	println!("  baseline, unit reads/s from the store:    {read:.0}");
	println!("  baseline, seals/s of 4 KiB:               {seal:.0}");
}
