//! Erasure codecs behind one trait. Each commitment records its codec's id, so a chain can
//! change codec later without reinterpreting old blobs.

use crate::{CodecId, ErasureError};
use alloc::vec::Vec;

/// Coded chunks of one blob in one buffer: chunk `i` is `bytes[i * chunk_size..][..chunk_size]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunks {
	/// Bytes per chunk.
	pub chunk_size: usize,
	/// All chunks, back to back.
	pub bytes: Vec<u8>,
}

impl Chunks {
	/// Chunk `index`.
	pub fn get(&self, index: usize) -> &[u8] {
		&self.bytes[index * self.chunk_size..(index + 1) * self.chunk_size]
	}

	/// Number of chunks.
	pub fn count(&self) -> usize {
		self.bytes.len().checked_div(self.chunk_size).unwrap_or(0)
	}

	/// Chunks in index order.
	pub fn iter(&self) -> core::slice::Chunks<'_, u8> {
		self.bytes.chunks(self.chunk_size)
	}
}

/// An erasure code: cuts a payload into `k` data chunks, extends them to `n` coded chunks of
/// equal size, and rebuilds the payload from any `k` of them.
pub trait ErasureCodec {
	/// The id recorded in commitments.
	const ID: CodecId;

	/// Bytes per chunk for a payload of `size` bytes in `k` data chunks.
	fn chunk_size(size: usize, k: usize) -> usize;

	/// The `n` coded chunks of `payload`.
	fn encode(payload: &[u8], k: usize, n: usize) -> Result<Chunks, ErasureError>;

	/// Rebuilds the `size`-byte payload from at least `k` chunks given as (index, bytes).
	fn reconstruct(
		size: usize,
		k: usize,
		n: usize,
		chunks: &[(usize, &[u8])],
	) -> Result<Vec<u8>, ErasureError>;
}

/// Reed-Solomon with `reed-solomon-simd`: systematic (chunks `0..k` are the payload itself,
/// zero-padded), `n - k` recovery chunks. Chunk sizes are multiples of 64 bytes, the codec's
/// SIMD block, and columns at 64-byte boundaries code independently, so large blobs are
/// encoded on several threads column by column with byte-identical results.
pub struct ReedSolomonSimd;

/// Granularity of chunk sizes for [`ReedSolomonSimd`].
pub const SIMD_BLOCK: usize = 64;

/// Encoders kept between calls: an encoder's working space for a large blob is tens of
/// MiB, and reusing it saves the allocation and its page faults on every blob. At most one
/// per thread is kept.
#[cfg(feature = "std")]
static ENCODER_POOL: std::sync::Mutex<Vec<reed_solomon_simd::ReedSolomonEncoder>> =
	std::sync::Mutex::new(Vec::new());

fn take_encoder(
	k: usize,
	recovery: usize,
	width: usize,
) -> Result<reed_solomon_simd::ReedSolomonEncoder, ErasureError> {
	let refused = |_| ErasureError::CodecFailed("reed-solomon-simd refused the shard layout");
	#[cfg(feature = "std")]
	if let Some(mut encoder) = ENCODER_POOL.lock().ok().and_then(|mut pool| pool.pop()) {
		encoder.reset(k, recovery, width).map_err(refused)?;
		return Ok(encoder);
	}
	reed_solomon_simd::ReedSolomonEncoder::new(k, recovery, width).map_err(refused)
}

fn return_encoder(encoder: reed_solomon_simd::ReedSolomonEncoder) {
	#[cfg(feature = "std")]
	if let Ok(mut pool) = ENCODER_POOL.lock() {
		if pool.len() < threads() {
			pool.push(encoder);
		}
	}
	#[cfg(not(feature = "std"))]
	drop(encoder);
}

/// Where the recovery chunks go: a pointer into the output buffer, written by several
/// threads at disjoint column ranges.
struct RecoveryOut(*mut u8);
// SAFETY: threads write only their own column range of each row (see `encode`).
unsafe impl Send for RecoveryOut {}
unsafe impl Sync for RecoveryOut {}

/// Encodes columns `[from, to)` of every data chunk and writes the recovery chunks' same
/// columns into `out` (the recovery part of the chunk buffer, `recovery * chunk_size` bytes).
fn simd_encode_columns(
	data: &[u8],
	out: &RecoveryOut,
	chunk_size: usize,
	k: usize,
	recovery: usize,
	from: usize,
	to: usize,
) -> Result<(), ErasureError> {
	let width = to - from;
	let mut encoder = take_encoder(k, recovery, width)?;
	for i in 0..k {
		let start = i * chunk_size;
		encoder
			.add_original_shard(&data[start + from..start + to])
			.map_err(|_| ErasureError::CodecFailed("reed-solomon-simd refused a shard"))?;
	}
	{
		let result = encoder
			.encode()
			.map_err(|_| ErasureError::CodecFailed("reed-solomon-simd encode"))?;
		for (r, shard) in result.recovery_iter().enumerate() {
			debug_assert_eq!(shard.len(), width);
			// SAFETY: `out` holds `recovery * chunk_size` bytes; row `r`, columns
			// `[from, to)` are inside it and written by this call only.
			unsafe {
				core::ptr::copy_nonoverlapping(
					shard.as_ptr(),
					out.0.add(r * chunk_size + from),
					width,
				);
			}
		}
	}
	return_encoder(encoder);
	Ok(())
}

/// Rebuilds the data chunks' columns `[from, to)` from the given chunks.
fn simd_decode_columns(
	k: usize,
	recovery: usize,
	chunks: &[(usize, &[u8])],
	from: usize,
	to: usize,
) -> Result<Vec<(usize, Vec<u8>)>, ErasureError> {
	let mut decoder = reed_solomon_simd::ReedSolomonDecoder::new(k, recovery, to - from)
		.map_err(|_| ErasureError::CodecFailed("reed-solomon-simd refused the shard layout"))?;
	for (index, chunk) in chunks {
		let column = &chunk[from..to];
		let added = if *index < k {
			decoder.add_original_shard(*index, column)
		} else {
			decoder.add_recovery_shard(*index - k, column)
		};
		added.map_err(|_| ErasureError::CodecFailed("reed-solomon-simd refused a shard"))?;
	}
	let result = decoder
		.decode()
		.map_err(|_| ErasureError::CodecFailed("reed-solomon-simd decode"))?;
	Ok(result.restored_original_iter().map(|(i, shard)| (i, shard.to_vec())).collect())
}

/// The most threads coding and hashing may use; 0 means all the machine's cores.
#[cfg(feature = "std")]
static MAX_THREADS: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// Caps the threads that encoding, decoding and hashing use (0: all cores). For benchmarks
/// and for nodes that must leave cores to block import.
#[cfg(feature = "std")]
pub fn set_max_threads(threads: usize) {
	MAX_THREADS.store(threads, core::sync::atomic::Ordering::Relaxed);
}

/// Threads available to this crate's work.
#[cfg(feature = "std")]
pub(crate) fn threads() -> usize {
	let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	match MAX_THREADS.load(core::sync::atomic::Ordering::Relaxed) {
		0 => cores,
		cap => cap.min(cores),
	}
}

/// How many threads to spread `chunk_size`-byte columns over: one per 64 KiB of payload per
/// column block, at most the machine's parallelism.
fn column_splits(chunk_size: usize, k: usize) -> Vec<(usize, usize)> {
	#[cfg(feature = "std")]
	let threads = threads();
	#[cfg(not(feature = "std"))]
	let threads = 1usize;
	let blocks = chunk_size / SIMD_BLOCK;
	// Below ~1 MiB of payload the thread start costs more than it saves.
	let wanted = if chunk_size * k < (1 << 20) { 1 } else { threads.min(blocks).max(1) };
	let per = blocks.div_ceil(wanted);
	(0..wanted)
		.map(|t| (t * per * SIMD_BLOCK, ((t + 1) * per).min(blocks) * SIMD_BLOCK))
		.filter(|(from, to)| from < to)
		.collect()
}

/// Runs `work` on each column range, on separate threads when there is more than one.
fn run_columns<T: Send>(
	splits: &[(usize, usize)],
	work: impl Fn(usize, usize) -> Result<T, ErasureError> + Sync,
) -> Result<Vec<T>, ErasureError> {
	#[cfg(feature = "std")]
	if splits.len() > 1 {
		return std::thread::scope(|scope| {
			let handles: Vec<_> = splits
				.iter()
				.map(|&(from, to)| {
					let work = &work;
					scope.spawn(move || work(from, to))
				})
				.collect();
			handles
				.into_iter()
				.map(|h| h.join().unwrap_or(Err(ErasureError::CodecFailed("worker panicked"))))
				.collect()
		});
	}
	splits.iter().map(|&(from, to)| work(from, to)).collect()
}

impl ErasureCodec for ReedSolomonSimd {
	const ID: CodecId = CodecId::ReedSolomonSimd;

	fn chunk_size(size: usize, k: usize) -> usize {
		size.div_ceil(k).div_ceil(SIMD_BLOCK).max(1) * SIMD_BLOCK
	}

	fn encode(payload: &[u8], k: usize, n: usize) -> Result<Chunks, ErasureError> {
		let chunk_size = Self::chunk_size(payload.len(), k);
		let recovery = n - k;
		let mut bytes = Vec::with_capacity(n * chunk_size);
		bytes.extend_from_slice(payload);
		bytes.resize(n * chunk_size, 0);
		let (data, recovery_part) = bytes.split_at_mut(k * chunk_size);
		let out = RecoveryOut(recovery_part.as_mut_ptr());
		let data: &[u8] = data;
		let splits = column_splits(chunk_size, k);
		run_columns(&splits, |from, to| {
			simd_encode_columns(data, &out, chunk_size, k, recovery, from, to)
		})?;
		Ok(Chunks { chunk_size, bytes })
	}

	fn reconstruct(
		size: usize,
		k: usize,
		n: usize,
		chunks: &[(usize, &[u8])],
	) -> Result<Vec<u8>, ErasureError> {
		let chunk_size = Self::chunk_size(size, k);
		let mut payload = alloc::vec![0u8; k * chunk_size];
		let mut present = alloc::vec![false; k];
		for (index, chunk) in chunks.iter().filter(|(i, _)| *i < k) {
			payload[index * chunk_size..(index + 1) * chunk_size].copy_from_slice(chunk);
			present[*index] = true;
		}
		if present.iter().any(|p| !p) {
			let splits = column_splits(chunk_size, k);
			let restored =
				run_columns(&splits, |from, to| simd_decode_columns(k, n - k, chunks, from, to))?;
			for ((from, to), pieces) in splits.iter().zip(restored) {
				for (index, piece) in pieces {
					let start = index * chunk_size + from;
					payload[start..start + (to - from)].copy_from_slice(&piece);
				}
			}
		}
		payload.truncate(size);
		Ok(payload)
	}
}

/// Polkadot's availability code, `reed-solomon-novelpoly`: not systematic in our chunk
/// order, and single-threaded. Kept for comparison and for chains that want Polkadot's code.
#[cfg(feature = "novelpoly")]
pub struct ReedSolomonNovelPoly;

/// novelpoly's coder for `n` chunks of which `k` rebuild.
#[cfg(feature = "novelpoly")]
fn novelpoly_coder(
	n: usize,
	k: usize,
) -> Result<reed_solomon_novelpoly::ReedSolomon, ErasureError> {
	reed_solomon_novelpoly::CodeParams::derive_parameters(n, k)
		.map(|params| params.make_encoder())
		.map_err(|_| ErasureError::CodecFailed("novelpoly refused the parameters"))
}

#[cfg(feature = "novelpoly")]
impl ErasureCodec for ReedSolomonNovelPoly {
	const ID: CodecId = CodecId::ReedSolomonNovelPoly;

	fn chunk_size(size: usize, k: usize) -> usize {
		size.div_ceil(2).div_ceil(k) * 2
	}

	fn encode(payload: &[u8], k: usize, n: usize) -> Result<Chunks, ErasureError> {
		use reed_solomon_novelpoly::WrappedShard;
		let shards: Vec<WrappedShard> = novelpoly_coder(n, k)?
			.encode(payload)
			.map_err(|_| ErasureError::CodecFailed("novelpoly encode"))?;
		let chunk_size = Self::chunk_size(payload.len(), k);
		let mut bytes = Vec::with_capacity(n * chunk_size);
		for shard in shards {
			bytes.extend_from_slice(&shard.into_inner());
		}
		Ok(Chunks { chunk_size, bytes })
	}

	fn reconstruct(
		size: usize,
		k: usize,
		n: usize,
		chunks: &[(usize, &[u8])],
	) -> Result<Vec<u8>, ErasureError> {
		use reed_solomon_novelpoly::WrappedShard;
		let mut received: Vec<Option<WrappedShard>> = alloc::vec![None; n];
		for (index, chunk) in chunks {
			received[*index] = Some(WrappedShard::new(chunk.to_vec()));
		}
		let mut payload = novelpoly_coder(n, k)?
			.reconstruct(received)
			.map_err(|_| ErasureError::CodecFailed("novelpoly reconstruct"))?;
		payload.truncate(size);
		Ok(payload)
	}
}
