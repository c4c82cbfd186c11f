//! Spreading hashing over the machine's cores (with `std`); sequential without.

use crate::hash::{hash_leaves, Hash};
use alloc::vec::Vec;

/// Leaf hashes of `leaves`, on all cores when there is enough data to be worth it.
pub fn hash_leaves_parallel(leaves: &[&[u8]]) -> Vec<Hash> {
	#[cfg(feature = "std")]
	{
		let total: usize = leaves.iter().map(|l| l.len()).sum();
		let threads = crate::codecs::threads();
		if threads > 1 && total >= (1 << 20) && leaves.len() >= threads {
			let per = leaves.len().div_ceil(threads);
			return std::thread::scope(|scope| {
				let handles: Vec<_> =
					leaves.chunks(per).map(|part| scope.spawn(move || hash_leaves(part))).collect();
				handles
					.into_iter()
					.flat_map(|h| h.join().expect("hashing does not panic"))
					.collect()
			});
		}
	}
	hash_leaves(leaves)
}

/// `root(part)` of each `size`-byte part of `data` (the last may be shorter), in order, on all
/// cores when there is enough data to be worth it.
pub fn part_roots_parallel(
	data: &[u8],
	size: usize,
	root: impl Fn(&[u8]) -> Hash + Sync,
) -> Vec<Hash> {
	#[cfg(feature = "std")]
	{
		let threads = crate::codecs::threads();
		let parts = data.len().div_ceil(size);
		if threads > 1 && data.len() >= (4 << 20) && parts >= threads {
			let per = parts.div_ceil(threads) * size;
			let root = &root;
			return std::thread::scope(|scope| {
				let handles: Vec<_> = data
					.chunks(per)
					.map(|span| {
						scope.spawn(move || span.chunks(size).map(root).collect::<Vec<_>>())
					})
					.collect();
				handles
					.into_iter()
					.flat_map(|h| h.join().expect("hashing does not panic"))
					.collect()
			});
		}
	}
	data.chunks(size).map(root).collect()
}
