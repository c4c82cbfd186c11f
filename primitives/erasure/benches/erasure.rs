//! Erasure coding benchmark: encode + commit and rebuild for 1, 8 and 32 MiB blobs with both
//! codecs, against the raw codec + hash cost measured in the same run; Merkle proof checks.
//!
//! Run: `cargo bench -p zerog-erasure --features novelpoly`. Prints MiB/s of payload.

use std::time::{Duration, Instant};
use zerog_erasure::{
	encode_blob, hash::hash_leaf, reconstruct_blob, reconstruct_verified, set_max_threads, CodecId,
	CODED_CHUNKS, DATA_CHUNKS,
};

const MIB: usize = 1 << 20;

/// Median wall time of `f` over `runs` runs (after one warm-up).
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
	f();
	let mut times: Vec<Duration> = (0..runs)
		.map(|_| {
			let start = Instant::now();
			f();
			start.elapsed()
		})
		.collect();
	times.sort();
	times[runs / 2]
}

fn mibps(bytes: usize, time: Duration) -> f64 {
	bytes as f64 / MIB as f64 / time.as_secs_f64()
}

fn payload(size: usize) -> Vec<u8> {
	(0..size).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect()
}

/// The raw cost on one core: reed-solomon-simd's own one-shot encode, then blake2b over
/// every coded chunk. What our encode + commit is measured against.
fn raw_codec_plus_hash(blob: &[u8]) {
	let k = DATA_CHUNKS as usize;
	let size = blob.len().div_ceil(k).div_ceil(64) * 64;
	let mut padded = blob.to_vec();
	padded.resize(k * size, 0);
	let recovery = reed_solomon_simd::encode(k, 2 * k, padded.chunks(size)).unwrap();
	for chunk in padded.chunks(size).chain(recovery.iter().map(|c| c.as_slice())) {
		std::hint::black_box(hash_leaf(chunk));
	}
}

fn main() {
	let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
	println!("zerog-erasure benchmark: k = {DATA_CHUNKS}, n = {CODED_CHUNKS}, median of {runs} runs, MiB/s of payload");
	println!("{:<44} {:>8} {:>10} {:>10}", "case", "size", "time", "MiB/s");
	let row = |name: &str, size: usize, time: Duration| {
		println!(
			"{:<44} {:>6.1} MiB {:>8.1}ms {:>10.1}",
			name,
			size as f64 / MIB as f64,
			time.as_secs_f64() * 1e3,
			mibps(size, time)
		);
	};

	for size in [MIB, 8 * MIB, zerog_erasure::MAX_BLOB_SIZE as usize] {
		let blob = payload(size);
		let size = blob.len();

		set_max_threads(1);
		let raw = median(runs, || raw_codec_plus_hash(&blob));
		row("baseline: raw simd encode + blake2b, 1 core", size, raw);
		let one = median(runs, || drop(encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap()));
		row("simd encode + commit, 1 core", size, one);
		set_max_threads(0);
		let all = median(runs, || drop(encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap()));
		row("simd encode + commit, all cores", size, all);
		let novel_runs = if size > 8 * MIB { 1 } else { runs.min(3) };
		let novel =
			median(novel_runs, || drop(encode_blob(&blob, CodecId::ReedSolomonNovelPoly).unwrap()));
		row("novelpoly encode + commit", size, novel);

		let simd = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
		let parity: Vec<(u32, &[u8])> =
			(2 * DATA_CHUNKS..3 * DATA_CHUNKS).map(|i| (i, simd.chunk(i))).collect();
		set_max_threads(1);
		let rebuild_one =
			median(runs, || drop(reconstruct_blob(&simd.commitment, &parity).unwrap()));
		row("simd rebuild from k parity chunks, 1 core", size, rebuild_one);
		set_max_threads(0);
		let rebuild = median(runs, || drop(reconstruct_blob(&simd.commitment, &parity).unwrap()));
		row("simd rebuild from k parity chunks, all cores", size, rebuild);
		let verified =
			median(runs, || drop(reconstruct_verified(&simd.commitment, &parity).unwrap()));
		row("simd rebuild + re-encode check (one codeword), all cores", size, verified);

		let novel_blob = encode_blob(&blob, CodecId::ReedSolomonNovelPoly).unwrap();
		let novel_parity: Vec<(u32, &[u8])> =
			(2 * DATA_CHUNKS..3 * DATA_CHUNKS).map(|i| (i, novel_blob.chunk(i))).collect();
		let novel_rebuild = median(novel_runs, || {
			drop(reconstruct_blob(&novel_blob.commitment, &novel_parity).unwrap())
		});
		row("novelpoly rebuild from k parity chunks", size, novel_rebuild);

		println!(
            "  -> 1-core encode+commit / raw = {:.2} (goal <= 1.3); simd / novelpoly = {:.1}x (goal >= 8)",
            one.as_secs_f64() / raw.as_secs_f64(),
            novel.as_secs_f64() / all.as_secs_f64(),
        );
	}

	let blob = payload(8 * MIB);
	let encoded = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	let proof = encoded.proof(1234).unwrap();
	let chunk = encoded.chunk(1234).to_vec();
	let iterations = 20_000u32;
	let start = Instant::now();
	for _ in 0..iterations {
		encoded
			.commitment
			.verify_chunk(1234, std::hint::black_box(&chunk), &proof)
			.unwrap();
	}
	let per = start.elapsed() / iterations;
	println!(
		"chunk proof verification (12 levels + leaf of {} bytes): {:.1} us",
		chunk.len(),
		per.as_secs_f64() * 1e6
	);
}
