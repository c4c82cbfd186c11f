//! Chunk assignment: balanced, deterministic, and any third of the members can rebuild.

use zerog_erasure::{assign_chunks, ErasureError, CODED_CHUNKS, DATA_CHUNKS};

#[test]
fn every_chunk_has_one_holder_and_loads_are_balanced() {
	for members in [1u32, 2, 7, 100, 1024] {
		let a = assign_chunks(&[9; 32], members, CODED_CHUNKS).unwrap();
		let mut count = vec![0u32; members as usize];
		for chunk in 0..CODED_CHUNKS {
			let holder = a.holder(chunk).unwrap();
			count[holder as usize] += 1;
			assert!(a.chunks_of(holder).any(|c| c == chunk));
		}
		let (min, max) = (count.iter().min().unwrap(), count.iter().max().unwrap());
		assert!(max - min <= 1, "{members} members: {min}..{max}");
		assert_eq!(a.holder(CODED_CHUNKS), None);
	}
}

#[test]
fn any_third_of_a_full_committee_holds_k_chunks() {
	let a = assign_chunks(&[1; 32], 1024, CODED_CHUNKS).unwrap();
	// The worst third is any third: every member holds exactly 3 chunks.
	let held: usize = (0..1024 / 3 + 1).map(|m| a.chunks_of(m).count()).sum();
	assert!(held >= DATA_CHUNKS as usize);
}

#[test]
fn the_same_randomness_gives_the_same_map_and_other_randomness_another() {
	let a = assign_chunks(&[1; 32], 50, CODED_CHUNKS).unwrap();
	assert_eq!(a, assign_chunks(&[1; 32], 50, CODED_CHUNKS).unwrap());
	assert_ne!(a, assign_chunks(&[2; 32], 50, CODED_CHUNKS).unwrap());
	assert_eq!(assign_chunks(&[1; 32], 0, CODED_CHUNKS), Err(ErasureError::EmptyCommittee));
}
