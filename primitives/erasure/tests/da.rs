//! DA layout: any k of n chunks rebuild a blob; fewer give a clear error; proofs catch
//! flipped bytes and wrong indices; sizes at and past the limits; chunks of no single
//! codeword are refused by checked rebuilds.

use proptest::prelude::*;
use zerog_erasure::{
	code_blob, commit_chunks, encode_blob, reconstruct_blob, reconstruct_verified, BlobLayout,
	CodecId, ErasureError, CODED_CHUNKS, DATA_CHUNKS, MAX_BLOB_SIZE,
};

/// Deterministic pseudo-random bytes.
fn bytes(len: usize, seed: u64) -> Vec<u8> {
	let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
	(0..len)
		.map(|_| {
			state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			(state >> 33) as u8
		})
		.collect()
}

/// `count` distinct chunk indices chosen by `seed`.
fn pick(count: u32, seed: u64) -> Vec<u32> {
	let mut all: Vec<u32> = (0..CODED_CHUNKS).collect();
	let mut state = seed | 1;
	for i in (1..all.len()).rev() {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		all.swap(i, (state % (i as u64 + 1)) as usize);
	}
	all.truncate(count as usize);
	all
}

/// The codecs compiled in (novelpoly with `--features novelpoly`).
fn codecs() -> Vec<CodecId> {
	let mut codecs = vec![CodecId::ReedSolomonSimd];
	if cfg!(feature = "novelpoly") {
		codecs.push(CodecId::ReedSolomonNovelPoly);
	}
	codecs
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

	#[test]
	fn any_k_chunks_rebuild_the_blob(size in 1usize..200_000, seed in any::<u64>(), novel in any::<bool>()) {
		let codec = if novel && cfg!(feature = "novelpoly") {
			CodecId::ReedSolomonNovelPoly
		} else {
			CodecId::ReedSolomonSimd
		};
		let blob = bytes(size, seed);
		let encoded = encode_blob(&blob, codec).unwrap();
		let chosen = pick(DATA_CHUNKS, seed);
		let chunks: Vec<(u32, &[u8])> = chosen.iter().map(|&i| (i, encoded.chunk(i))).collect();
		prop_assert_eq!(reconstruct_blob(&encoded.commitment, &chunks).unwrap(), blob);
	}

	#[test]
	fn k_minus_one_chunks_are_not_enough(size in 1usize..50_000, seed in any::<u64>()) {
		let encoded = encode_blob(&bytes(size, seed), CodecId::ReedSolomonSimd).unwrap();
		let chosen = pick(DATA_CHUNKS - 1, seed);
		let chunks: Vec<(u32, &[u8])> = chosen.iter().map(|&i| (i, encoded.chunk(i))).collect();
		prop_assert_eq!(
			reconstruct_blob(&encoded.commitment, &chunks),
			Err(ErasureError::NotEnoughChunks { have: DATA_CHUNKS - 1, need: DATA_CHUNKS })
		);
	}

	#[test]
	fn a_flipped_byte_fails_its_proof(size in 1usize..50_000, seed in any::<u64>(), index in 0..CODED_CHUNKS, at in any::<usize>()) {
		let encoded = encode_blob(&bytes(size, seed), CodecId::ReedSolomonSimd).unwrap();
		let proof = encoded.proof(index).unwrap();
		let mut chunk = encoded.chunk(index).to_vec();
		prop_assert!(encoded.commitment.verify_chunk(index, &chunk, &proof).is_ok());
		let at = at % chunk.len();
		chunk[at] ^= 0x01;
		prop_assert_eq!(
			encoded.commitment.verify_chunk(index, &chunk, &proof),
			Err(ErasureError::ProofDoesNotMatchRoot)
		);
	}

	#[test]
	fn a_proof_for_i_fails_at_j(size in 1usize..50_000, seed in any::<u64>(), i in 0..CODED_CHUNKS, j in 0..CODED_CHUNKS) {
		prop_assume!(i != j);
		let encoded = encode_blob(&bytes(size, seed), CodecId::ReedSolomonSimd).unwrap();
		// Equal chunks (zero padding) may legitimately share a proof path.
		prop_assume!(encoded.chunk(i) != encoded.chunk(j));
		let mut proof = encoded.proof(i).unwrap();
		// As given (index i) the proof does not vouch for chunk j's bytes at j...
		prop_assert!(encoded.commitment.verify_chunk(j, encoded.chunk(i), &proof).is_err());
		// ...nor does relabelling it with j's index make it fit.
		proof.index = j as u64;
		prop_assert!(encoded.commitment.verify_chunk(j, encoded.chunk(i), &proof).is_err());
	}
}

#[test]
fn sizes_at_the_edges() {
	let chunk_boundary = 64 * DATA_CHUNKS as usize; // the smallest chunk size fills here
	for size in [1, 2, chunk_boundary - 1, chunk_boundary, chunk_boundary + 1, 1 << 20] {
		for codec in codecs() {
			let blob = bytes(size, size as u64);
			let encoded = encode_blob(&blob, codec).unwrap();
			assert_eq!(encoded.commitment.size as usize, size);
			let parity: Vec<(u32, &[u8])> =
				(DATA_CHUNKS..2 * DATA_CHUNKS).map(|i| (i, encoded.chunk(i))).collect();
			assert_eq!(
				reconstruct_blob(&encoded.commitment, &parity).unwrap(),
				blob,
				"{size} {codec:?}"
			);
		}
	}
}

#[test]
fn empty_and_oversized_blobs_are_refused() {
	assert_eq!(encode_blob(&[], CodecId::ReedSolomonSimd).err(), Some(ErasureError::EmptyBlob));
	assert_eq!(
		BlobLayout::new(MAX_BLOB_SIZE as u64 + 1, CodecId::ReedSolomonSimd),
		Err(ErasureError::BlobTooLarge { size: MAX_BLOB_SIZE as u64 + 1, max: MAX_BLOB_SIZE })
	);
	let too_big = vec![0u8; MAX_BLOB_SIZE as usize + 1];
	assert!(matches!(
		encode_blob(&too_big, CodecId::ReedSolomonSimd),
		Err(ErasureError::BlobTooLarge { .. })
	));
}

#[test]
fn the_largest_blob_round_trips_from_parity_only() {
	let blob = bytes(MAX_BLOB_SIZE as usize, 7);
	let encoded = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	let layout = encoded.commitment.layout().unwrap();
	assert_eq!(layout.chunk_size, 31_744, "1024 chunks of 31 KiB");
	let parity: Vec<(u32, &[u8])> =
		(2 * DATA_CHUNKS..3 * DATA_CHUNKS).map(|i| (i, encoded.chunk(i))).collect();
	assert_eq!(reconstruct_blob(&encoded.commitment, &parity).unwrap(), blob);
}

#[test]
fn bad_chunk_sets_are_refused() {
	let encoded = encode_blob(&bytes(5000, 1), CodecId::ReedSolomonSimd).unwrap();
	let c = &encoded.commitment;
	let chunk = encoded.chunk(0);
	assert_eq!(
		reconstruct_blob(c, &[(CODED_CHUNKS, chunk)]),
		Err(ErasureError::ChunkIndexOutOfRange { index: CODED_CHUNKS, count: CODED_CHUNKS })
	);
	assert_eq!(
		reconstruct_blob(c, &[(0, &chunk[1..])]),
		Err(ErasureError::WrongChunkSize {
			expected: chunk.len() as u32,
			got: chunk.len() as u32 - 1
		})
	);
	assert_eq!(
		reconstruct_blob(c, &[(0, chunk), (0, chunk)]),
		Err(ErasureError::DuplicateChunk(0))
	);
	let proof = encoded.proof(0).unwrap();
	let mut short = proof.clone();
	short.siblings.pop();
	assert!(matches!(c.verify_chunk(0, chunk, &short), Err(ErasureError::ProofWrongDepth { .. })));
	assert_eq!(
		c.verify_chunk(CODED_CHUNKS, chunk, &proof),
		Err(ErasureError::ChunkIndexOutOfRange { index: CODED_CHUNKS, count: CODED_CHUNKS })
	);
}

#[cfg(not(feature = "novelpoly"))]
#[test]
fn a_codec_left_out_of_the_build_is_refused_clearly() {
	assert_eq!(
		encode_blob(b"x", CodecId::ReedSolomonNovelPoly).err(),
		Some(ErasureError::CodecUnavailable(CodecId::ReedSolomonNovelPoly))
	);
}

#[cfg(feature = "novelpoly")]
#[test]
fn the_two_codecs_commit_differently_and_say_so() {
	let blob = bytes(10_000, 3);
	let simd = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap().commitment;
	let novel = encode_blob(&blob, CodecId::ReedSolomonNovelPoly).unwrap().commitment;
	assert_eq!(simd.codec, CodecId::ReedSolomonSimd);
	assert_eq!(novel.codec, CodecId::ReedSolomonNovelPoly);
	assert_ne!(simd.root, novel.root);
}

#[test]
fn threaded_encoding_matches_one_thread() {
	// Large enough to be split over threads; compare against data chunks being the payload
	// (systematic) and against a decode from parity only.
	let blob = bytes(4 << 20, 11);
	let encoded = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	let k = DATA_CHUNKS as usize;
	let size = encoded.chunks.chunk_size;
	let mut data = encoded.chunks.bytes[..k * size].to_vec();
	data.truncate(blob.len());
	assert_eq!(data, blob, "data chunks are the blob itself");
	let single = reed_solomon_simd::encode(
		k,
		2 * k,
		(0..k).map(|i| {
			let mut chunk =
				blob.get(i * size..((i + 1) * size).min(blob.len())).unwrap_or(&[]).to_vec();
			chunk.resize(size, 0);
			chunk
		}),
	)
	.unwrap();
	for (r, shard) in single.iter().enumerate() {
		assert_eq!(shard.as_slice(), encoded.chunk((k + r) as u32), "recovery chunk {r}");
	}
}

/// A submitter's attack on readers: it commits to coded chunks of which one is not what the
/// code gives. Unchecked rebuilds from different chunk sets disagree; checked ones refuse
/// the blob for every reader alike.
#[test]
fn chunks_of_no_single_codeword_are_refused_by_every_checked_rebuild() {
	let blob = bytes(50_000, 3);
	let mut chunks = code_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	let size = chunks.chunk_size;
	let forged = 2 * size..3 * size; // chunk 2
	chunks.bytes[forged].iter_mut().for_each(|b| *b ^= 0x5a);
	let bad = commit_chunks(chunks, blob.len() as u32, CodecId::ReedSolomonSimd);
	let with_2: Vec<(u32, &[u8])> = (0..DATA_CHUNKS).map(|i| (i, bad.chunk(i))).collect();
	let without_2: Vec<(u32, &[u8])> = (3..DATA_CHUNKS + 3).map(|i| (i, bad.chunk(i))).collect();
	assert_ne!(
		reconstruct_blob(&bad.commitment, &with_2).unwrap(),
		reconstruct_blob(&bad.commitment, &without_2).unwrap(),
		"two readers of the same commitment got different blobs"
	);
	for parts in [&with_2, &without_2] {
		assert_eq!(reconstruct_verified(&bad.commitment, parts), Err(ErasureError::NotOneCodeword));
	}
	// One codeword: every checked rebuild gives the blob.
	let good = encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	let parts: Vec<(u32, &[u8])> =
		pick(DATA_CHUNKS, 9).iter().map(|&i| (i, good.chunk(i))).collect();
	assert_eq!(reconstruct_verified(&good.commitment, &parts).unwrap(), blob);
}
