//! Storage layout and the flow: file roots, segment and sector proofs, and a flow built by
//! appending subtree roots that equals the tree built from scratch.

use zerog_erasure::{
	flow::FlowProver,
	hash::zero_subtree,
	storage::{self, sector_leaf, verify_sector, verify_segment, FileTree},
	ErasureError, Flow, MerkleTree, SECTOR_SIZE, SEGMENT_SIZE,
};

fn bytes(len: usize, seed: u64) -> Vec<u8> {
	let mut state = seed.wrapping_add(0x9e3779b97f4a7c15);
	(0..len)
		.map(|_| {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			state as u8
		})
		.collect()
}

fn sector(data: &[u8], index: u64) -> &[u8] {
	let start = index as usize * SECTOR_SIZE;
	&data[start..(start + SECTOR_SIZE).min(data.len())]
}

#[test]
fn file_root_is_the_sector_tree_and_segments_prove() {
	for size in [
		1,
		255,
		256,
		257,
		5_000,
		SEGMENT_SIZE - 1,
		SEGMENT_SIZE,
		SEGMENT_SIZE + 1,
		3 * SEGMENT_SIZE + 77,
	] {
		let data = bytes(size, size as u64);
		let tree = FileTree::new(&data).unwrap();
		let leaves: Vec<_> = data.chunks(SECTOR_SIZE).map(sector_leaf).collect();
		let naive = MerkleTree::new(leaves, zero_subtree(SECTOR_SIZE, 0));
		assert_eq!(tree.root(), naive.root(), "size {size}");

		for index in 0..storage::segment_count(size as u64) {
			let start = index as usize * SEGMENT_SIZE;
			let segment = &data[start..(start + SEGMENT_SIZE).min(size)];
			let proof = tree.segment_proof(index).unwrap();
			verify_segment(&tree.root(), size as u64, index, segment, &proof).unwrap();
			let mut flipped = segment.to_vec();
			flipped[0] ^= 1;
			assert_eq!(
				verify_segment(&tree.root(), size as u64, index, &flipped, &proof),
				Err(ErasureError::ProofDoesNotMatchRoot)
			);
		}
		for index in [0, storage::sector_count(size as u64) - 1] {
			let proof = tree.sector_proof(&data, index).unwrap();
			verify_sector(&tree.root(), size as u64, index, sector(&data, index), &proof).unwrap();
		}
	}
}

#[test]
fn bad_segments_are_refused() {
	let data = bytes(2 * SEGMENT_SIZE + 10, 5);
	let tree = FileTree::new(&data).unwrap();
	let size = data.len() as u64;
	let proof = tree.segment_proof(1).unwrap();
	assert_eq!(
		verify_segment(&tree.root(), size, 3, &data[..10], &proof),
		Err(ErasureError::LeafIndexOutOfRange)
	);
	assert!(matches!(
		verify_segment(&tree.root(), size, 1, &data[..100], &proof),
		Err(ErasureError::WrongChunkSize { .. })
	));
	assert_eq!(
		verify_segment(&tree.root(), size, 0, &data[..SEGMENT_SIZE], &proof),
		Err(ErasureError::ProofDoesNotMatchRoot)
	);
	assert_eq!(FileTree::new(&[]).err(), Some(ErasureError::EmptyFile));
}

#[test]
fn file_padding_in_the_flow_stays_under_a_sixteenth() {
	for sectors in (1..5000u64).chain([1 << 20, (1 << 20) + 1, 123_456_789]) {
		let padded = storage::flow_sectors(sectors);
		assert!(padded >= sectors);
		assert!(storage::subtree_heights(sectors).len() <= storage::MAX_FILE_SUBTREES as usize);
		assert!((padded - sectors) * 16 <= sectors, "{sectors} -> {padded}");
	}
}

#[test]
fn appended_flow_equals_the_tree_built_from_scratch_and_every_sector_proves() {
	let sizes =
		[1, 300, 70_000, SEGMENT_SIZE + 5, 256, 3 * SEGMENT_SIZE + 1000, 9_999, 2 * SEGMENT_SIZE];
	let zero_leaf = zero_subtree(SECTOR_SIZE, 0);
	let mut prover = FlowProver::new();
	let mut flow = Flow::new();
	let mut leaves: Vec<[u8; 32]> = Vec::new();
	let mut files = Vec::new();

	for (i, size) in sizes.into_iter().enumerate() {
		let data = bytes(size, i as u64);
		let tree = FileTree::new(&data).unwrap();
		let subtrees = tree.flow_subtrees();
		let start = prover.append_file(&subtrees).unwrap();
		assert_eq!(flow.append_file(&subtrees).unwrap(), start);
		assert_eq!(flow.root(), prover.flow().root());

		leaves.resize(start as usize, zero_leaf);
		leaves.extend(data.chunks(SECTOR_SIZE).map(sector_leaf));
		let occupied: u64 = subtrees.iter().map(|(h, _)| 1u64 << h).sum();
		leaves.resize((start + occupied) as usize, zero_leaf);
		assert_eq!(leaves.len() as u64, flow.length());

		let scratch = MerkleTree::new(leaves.clone(), zero_leaf);
		assert_eq!(flow.root(), scratch.root(), "after file {i} of {size} bytes");
		files.push((start, data, tree));
	}

	let root = flow.root();
	let depth = zerog_erasure::merkle::depth_for(flow.length());
	for (start, data, tree) in &files {
		for index in 0..storage::sector_count(data.len() as u64) {
			let position = start + index;
			let (_, height) = prover.entry_of(position).unwrap();
			let in_file = tree.sector_proof(data, index).unwrap();
			let proof = prover.proof(position, &in_file.siblings[..height as usize]).unwrap();
			proof.verify(&root, sector_leaf(sector(data, index)), depth).unwrap();
		}
	}
}

#[test]
fn flow_state_round_trips_through_scale_and_rejects_bad_peaks() {
	use codec::{Decode, Encode};
	let mut flow = Flow::new();
	let tree = FileTree::new(&bytes(10_000, 1)).unwrap();
	flow.append_file(&tree.flow_subtrees()).unwrap();
	let encoded = flow.encode();
	assert_eq!(Flow::decode(&mut &encoded[..]).unwrap(), flow);
	let mut forged = encoded.clone();
	forged[0] ^= 0x02; // change the length's bits so they no longer match the peaks
	assert!(Flow::decode(&mut &forged[..]).is_err());
	assert!(encoded.len() <= <Flow as codec::MaxEncodedLen>::max_encoded_len());
}

#[test]
fn appends_must_be_decreasing() {
	let mut flow = Flow::new();
	assert_eq!(flow.append_file(&[]), Err(ErasureError::EmptyFile));
	assert_eq!(
		flow.append_file(&[(1, [0; 32]), (2, [0; 32])]),
		Err(ErasureError::SubtreesNotDecreasing)
	);
	assert_eq!(flow.length(), 0, "a refused append leaves the flow untouched");
}
