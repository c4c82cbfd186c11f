//! `KvDb::get` latency in process (the database alone, no RPC): 100,000 keys of one stream,
//! gets from 8 threads at once, p50/p99, next to a `BTreeMap` lookup of the same keys as the
//! baseline.
//!
//! `cargo bench -p zerog-storage-service --bench kv`

use std::time::{Duration, Instant};
use zerog_erasure::kv::KvEntry;
use zerog_storage_service::kv_db::KvDb;

fn main() {
	let dir = tempfile::tempdir().unwrap();
	let db = KvDb::open(dir.path()).unwrap();
	let stream = [3u8; 32];
	let keys: Vec<Vec<u8>> = (0..100_000u32).map(|i| format!("key-{i:08}").into_bytes()).collect();
	for (n, chunk) in keys.chunks(1000).enumerate() {
		let entry = KvEntry {
			writes: chunk.iter().map(|k| (stream, k.clone(), vec![1u8; 256])).collect(),
			..Default::default()
		};
		db.apply(n as u64, 0, n as u64, [1; 32], vec![stream], Ok(entry.encode().unwrap()))
			.unwrap();
	}
	let baseline: std::collections::BTreeMap<Vec<u8>, Vec<u8>> =
		keys.iter().map(|k| (k.clone(), vec![1u8; 256])).collect();
	let per_thread = 100_000;
	let measure = |get: &(dyn Fn(&[u8]) -> bool + Sync)| -> (f64, f64, f64) {
		let started = Instant::now();
		let mut times: Vec<Duration> = std::thread::scope(|scope| {
			let workers: Vec<_> = (0..8)
				.map(|t| {
					let keys = &keys;
					scope.spawn(move || {
						(0..per_thread)
							.map(|i| {
								let key = &keys[(i * 7919 + t * 13) % keys.len()];
								let s = Instant::now();
								assert!(get(key));
								s.elapsed()
							})
							.collect::<Vec<_>>()
					})
				})
				.collect();
			workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
		});
		times.sort();
		let p = |q: f64| times[(times.len() as f64 * q) as usize - 1].as_secs_f64() * 1e6;
		(p(0.5), p(0.99), times.len() as f64 / started.elapsed().as_secs_f64())
	};
	let (p50, p99, rate) = measure(&|k| db.get(&stream, k, None).is_some());
	let (b50, b99, brate) = measure(&|k| baseline.contains_key(k));
	println!("KvDb::get, 100,000 keys, 8 threads x {per_thread}:");
	println!("  kv_db get:        p50 {p50:.2} µs  p99 {p99:.2} µs  {rate:.0} gets/s");
	println!("  BTreeMap baseline: p50 {b50:.2} µs  p99 {b99:.2} µs  {brate:.0} gets/s");
}
