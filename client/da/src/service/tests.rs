//! Tests of the DA service: submit, rebuild, repair, the off-chain host and pruning.

use super::*;
use crate::chain::{ChainBlob, ChainView};

struct Chain(Vec<Hash>);
impl ChainView for Chain {
	fn blob(&self, _id: u64) -> Option<ChainBlob> {
		None
	}
	fn blob_id(&self, root: &Hash) -> Option<u64> {
		self.0.iter().position(|r| r == root).map(|i| i as u64)
	}
}

/// Stores chunks `indices` of `encoded`, with their proofs, as fetched ones would be.
fn hold(da: &DaService, encoded: &zerog_erasure::EncodedBlob, indices: std::ops::Range<u32>) {
	let proofs: Vec<(u32, MerkleProof)> = indices.map(|i| (i, encoded.proof(i).unwrap())).collect();
	let chunks = proofs.iter().map(|(i, proof)| (*i, encoded.chunk(*i), proof));
	da.store().put(&encoded.commitment, chunks).unwrap();
}

/// A blob coded to chunks of no single codeword: chunk 0 flipped after coding, and the
/// result committed to (a malicious submitter's).
fn bad_encoding() -> zerog_erasure::EncodedBlob {
	let blob: Vec<u8> = (0..100_000u32).map(|i| (i * 13) as u8).collect();
	let mut chunks = code_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	chunks.bytes[0] ^= 1;
	commit_chunks(chunks, blob.len() as u32, CodecId::ReedSolomonSimd)
}

fn service(dir: &std::path::Path, rt: &tokio::runtime::Runtime) -> Arc<DaService> {
	let store = Arc::new(ChunkStore::open(dir).unwrap());
	Arc::new(DaService::new(store, None, rt.handle().clone()))
}

#[test]
fn submit_rebuild_and_refuse_bad_sizes() {
	let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let blob: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
	let (commitment, _) = da.submit(&blob).unwrap();
	assert_eq!(da.store().held(&commitment.root).len(), 3072);
	assert_eq!(da.rebuild(&commitment).unwrap(), blob);
	let chunk = da.chunk_anywhere(&commitment, 3000).unwrap();
	commitment.verify_chunk(3000, &chunk.chunk, &chunk.proof).unwrap();
	assert_eq!(da.chunk_anywhere(&commitment, 3072), Err(DaError::BadIndex(3072)));
	assert_eq!(da.submit(&[]), Err(DaError::EmptyBlob));
	let too_big = vec![0u8; MAX_BLOB_SIZE as usize + 1];
	assert_eq!(da.submit(&too_big), Err(DaError::BlobTooLarge(too_big.len() as u64)));
	assert_eq!(da.store().roots(), vec![commitment.root], "a refused blob leaves nothing");
	// Without enough chunks and no peers, rebuilding fails clearly.
	let mut other = commitment.clone();
	other.root = [9; 32];
	assert_eq!(da.rebuild(&other), Err(DaError::NotEnoughChunks { have: 0 }));
}

#[test]
fn chunks_of_no_single_codeword_are_refused_alike() {
	let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let bad = bad_encoding();
	hold(&da, &bad, 0..3072);
	assert_eq!(da.rebuild(&bad.commitment), Err(DaError::BadEncoding));
}

#[test]
fn offchain_host_reports_stored_and_failed() {
	let rt = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(1)
		.enable_all()
		.build()
		.unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let (commitment, _) = da.submit(b"some blob bytes").unwrap();
	let host = OffchainHost(da.clone());
	assert_eq!(host.fetch_chunks(0, &commitment, &[0, 1, 3071]), FetchStatus::Stored);
	assert!(host.chunk(&commitment.root, 5).is_some());
	let mut unknown = commitment.clone();
	unknown.root = [1; 32];
	// No network: the fetch ends at once without the chunks.
	assert_eq!(host.fetch_chunks(1, &unknown, &[0]), FetchStatus::Failed);
	assert!(host.chunk(&unknown.root, 0).is_none());
}

#[test]
fn prune_keeps_young_and_on_chain_blobs() {
	let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let (kept, _) = da.submit(b"kept on chain").unwrap();
	let (dropped, _) = da.submit(b"dropped by the chain").unwrap();
	let chain = Chain(vec![kept.root]);
	assert_eq!(da.prune(&chain, 3600), 0, "both are younger than the grace period");
	assert_eq!(da.prune(&chain, 0), 1);
	assert_eq!(da.store().roots(), vec![kept.root]);
	assert!(da.store().held(&dropped.root).is_empty());
}

/// A member that holds `k` chunks of a blob but not its own share (the submitter never
/// served it) rebuilds its share, and stores the chunks the blob commits to.
#[test]
fn repair_stores_the_committed_chunks_from_any_k() {
	let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let blob: Vec<u8> = (0..300_000u32).map(|i| (i * 11) as u8).collect();
	let encoded = zerog_erasure::encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	let commitment = encoded.commitment.clone();
	// Chunks 1,000..2,024 arrive from the other members; the share is 0, 5 and 3,071.
	hold(&da, &encoded, 1000..2024);
	let share = [0, 5, 3071];
	assert_eq!(da.repair(&commitment, &share), Ok(3));
	for index in share {
		let chunk = da.store().get(&commitment.root, index).unwrap().unwrap();
		assert_eq!(chunk.chunk, encoded.chunk(index));
		commitment.verify_chunk(index, &chunk.chunk, &chunk.proof).unwrap();
	}
	assert_eq!(da.repair(&commitment, &share), Ok(0), "nothing left to repair");
	// Too few chunks (and no peers): nothing is stored, and the error says why.
	let mut few = commitment.clone();
	few.root = [7; 32];
	assert_eq!(da.repair(&few, &share), Err(DaError::NotEnoughChunks { have: 0 }));
}

/// A submitter that committed to chunks of no single codeword cannot get a member to store
/// chunks of some other blob: the repair is refused and stores nothing.
#[test]
fn repair_of_a_bad_encoding_stores_nothing() {
	let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let bad = bad_encoding();
	hold(&da, &bad, 0..1024);
	assert_eq!(da.repair(&bad.commitment, &[2000, 2001]), Err(DaError::BadEncoding));
	assert_eq!(da.store().held(&bad.commitment.root).len(), 1024, "nothing was added");
}

/// Through the off-chain host: a repair request with `k` chunks at hand ends `Stored`.
#[test]
fn offchain_host_repairs_what_no_peer_serves() {
	let rt = tokio::runtime::Builder::new_multi_thread()
		.worker_threads(1)
		.enable_all()
		.build()
		.unwrap();
	let dir = tempfile::tempdir().unwrap();
	let da = service(dir.path(), &rt);
	let blob = vec![42u8; 50_000];
	let encoded = zerog_erasure::encode_blob(&blob, CodecId::ReedSolomonSimd).unwrap();
	hold(&da, &encoded, 0..1024);
	let host = OffchainHost(da.clone());
	// A plain fetch finds no peer with chunk 3,000 ...
	assert_eq!(host.fetch_chunks(0, &encoded.commitment, &[3000]), FetchStatus::Failed);
	// ... a repair rebuilds it (once the failed fetch may be retried).
	std::thread::sleep(RETRY_AFTER);
	// Never waited for: `Pending` until the rebuild is done.
	let status = (0..100)
		.map(|_| {
			std::thread::sleep(Duration::from_millis(50));
			host.repair_chunks(0, &encoded.commitment, &[3000])
		})
		.find(|s| *s != FetchStatus::Pending);
	assert_eq!(status, Some(FetchStatus::Stored));
	assert!(host.chunk(&encoded.commitment.root, 3000).is_some());
}
