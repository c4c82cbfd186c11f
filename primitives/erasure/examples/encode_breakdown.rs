//! Where the time of encode + commit goes for the largest blob: erasure coding versus
//! hashing the coded chunks, on one thread and on all.
//! Run: `cargo run --release -p zerog-erasure --example encode_breakdown`.

use std::time::Instant;
use zerog_erasure::{da::chunk_tree, ErasureCodec, ReedSolomonSimd, MAX_BLOB_SIZE};
/// Times encoding and tree hashing separately, three runs each.
fn main() {
	let blob: Vec<u8> = (0..MAX_BLOB_SIZE as usize).map(|i| ((i * 7) >> 3) as u8).collect();
	for threads in [1, 2] {
		zerog_erasure::set_max_threads(threads);
		for _ in 0..3 {
			let t = Instant::now();
			let chunks = ReedSolomonSimd::encode(&blob, 1024, 3072).unwrap();
			let e = t.elapsed();
			let t = Instant::now();
			let tree = chunk_tree(&chunks);
			let h = t.elapsed();
			std::hint::black_box(tree.root());
			println!("threads {threads}: encode {:?} hash {:?}", e, h);
		}
	}
}
