//! Holding challenges per second, both sides, over a stored 64 MiB file, next to their
//! baselines measured in the same run: answering (read the segment, hash it, sign) next to a
//! plain segment read, and verifying (Merkle proof, hash, sr25519 check) next to the Merkle
//! proof check alone. An alignment node verifies one answer per storage subject per era;
//! a provider answers one challenge per checking operator.
//!
//! `cargo bench -p zerog-storage-service --bench holding`

use sp_core::{crypto::Pair as _, sr25519};
use std::time::Instant;
use zerog_data_plane::holding::PairSigner;
use zerog_erasure::storage::{segment_count, verify_segment, FileTree, SEGMENT_SIZE};
use zerog_storage_service::{
	holding::{answer_challenge, verify_holding},
	store::{SegmentStore, SegmentWithProof},
};

fn per_second(n: u64, run: impl FnMut(u64)) -> f64 {
	let mut run = run;
	let t = Instant::now();
	for i in 0..n {
		run(i);
	}
	n as f64 / t.elapsed().as_secs_f64()
}

fn main() {
	let dir = tempfile::tempdir().unwrap();
	let store = SegmentStore::open(dir.path()).unwrap();
	let data: Vec<u8> =
		(0..64usize << 20).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
	let tree = FileTree::new(&data).unwrap();
	let (root, size) = (tree.root(), data.len() as u64);
	let file = zerog_storage_service::FileKey::new(root, size);
	let count = segment_count(size);
	let segments: Vec<SegmentWithProof> = (0..count)
		.map(|i| {
			let start = i as usize * SEGMENT_SIZE;
			SegmentWithProof {
				index: i,
				data: data[start..start + SEGMENT_SIZE].to_vec(),
				proof: tree.segment_proof(i).unwrap(),
			}
		})
		.collect();
	for batch in segments.chunks(64) {
		store.put(&file, batch).unwrap();
	}
	let provider = PairSigner(sr25519::Pair::from_seed(&[5; 32]));
	let key = provider.0.public().0;
	let n = 2_000u64;
	let index = |i: u64| i * 7919 % count;
	let challenge = |i: u64| {
		let mut c = [0u8; 32];
		c[..8].copy_from_slice(&i.to_le_bytes());
		c
	};

	let reads = per_second(n, |i| {
		std::hint::black_box(store.get(&file, index(i)).unwrap().unwrap());
	});
	let answers = per_second(n, |i| {
		std::hint::black_box(
			answer_challenge(&store, Some(&provider), &key, &file, index(i), &challenge(i))
				.unwrap(),
		);
	});
	let proofs: Vec<_> = (0..n)
		.map(|i| {
			answer_challenge(&store, Some(&provider), &key, &file, index(i), &challenge(i)).unwrap()
		})
		.collect();
	let merkle = per_second(n, |i| {
		let s = &proofs[i as usize].segment;
		verify_segment(&root, size, s.index, &s.data, &s.proof).unwrap();
	});
	let verified = per_second(n, |i| {
		verify_holding(&proofs[i as usize], &key, &file, index(i), &challenge(i)).unwrap();
	});
	let mib = |rate: f64| rate * SEGMENT_SIZE as f64 / (1 << 20) as f64;
	println!("Storage holding challenges over a 64 MiB file ({n} each, 256 KiB segments):");
	println!(
		"  answers/s (read + hash + sign):          {answers:>8.0}  ({:.0} MiB/s)",
		mib(answers)
	);
	println!("  baseline, segment reads/s:               {reads:>8.0}  ({:.0} MiB/s)", mib(reads));
	println!(
		"  verifications/s (proof + hash + sr25519): {verified:>7.0}  ({:.0} MiB/s)",
		mib(verified)
	);
	println!(
		"  baseline, Merkle proof checks/s:         {merkle:>8.0}  ({:.0} MiB/s)",
		mib(merkle)
	);
}
