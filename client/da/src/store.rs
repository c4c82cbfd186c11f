//! The on-disk chunk store: the coded chunks (with their Merkle proofs) this node holds, by
//! blob root.
//!
//! Layout under the store's directory, one folder per blob (`<root hex>/`):
//! - `meta`: the SCALE-encoded [`StoredMeta`] (commitment, when first stored);
//! - `chunks`: fixed slots, slot `i` = chunk `i` followed by its 12 proof siblings;
//! - `held`: a 3,072-bit bitmap of the slots written, replaced atomically after the slots.
//!
//! A crash between writing slots and the bitmap loses only the unrecorded slots. The store
//! is reopened from disk at start, so chunks survive restarts.

use codec::{Decode, Encode};
use parking_lot::Mutex;
use std::{
	collections::HashMap,
	fs, io,
	os::unix::fs::FileExt,
	path::{Path, PathBuf},
};
use zerog_data_plane::files::{index_root_dirs, invalid, now_secs, replace_file};
use zerog_erasure::{BlobCommitment, Hash, MerkleProof, CHUNK_PROOF_DEPTH, CODED_CHUNKS};

/// Bytes of a chunk's proof in its slot: the sibling hashes (the index is the slot's).
const PROOF_BYTES: usize = CHUNK_PROOF_DEPTH as usize * 32;
/// Words of the held-chunks bitmap.
const BITMAP_WORDS: usize = CODED_CHUNKS as usize / 64;

/// What the store records of a blob besides its chunks.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct StoredMeta {
	/// The blob's commitment.
	pub commitment: BlobCommitment,
	/// Unix time (seconds) it was first stored.
	pub stored_at: u64,
}

/// Which of a blob's coded chunks are held.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Held([u64; BITMAP_WORDS]);

impl Held {
	fn contains(&self, index: u32) -> bool {
		index < CODED_CHUNKS && self.0[index as usize / 64] & (1 << (index % 64)) != 0
	}
	fn insert(&mut self, index: u32) {
		self.0[index as usize / 64] |= 1 << (index % 64);
	}
	fn count(&self) -> u32 {
		self.0.iter().map(|w| w.count_ones()).sum()
	}
	fn to_bytes(&self) -> Vec<u8> {
		self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
	}
	fn from_bytes(bytes: &[u8]) -> Option<Self> {
		if bytes.len() != BITMAP_WORDS * 8 {
			return None;
		}
		let mut words = [0u64; BITMAP_WORDS];
		for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
			*word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
		}
		Some(Held(words))
	}
}

struct Entry {
	meta: StoredMeta,
	held: Held,
	slot_size: u64,
}

/// A chunk with its proof, as stored and as exchanged.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChunkWithProof {
	/// Coded chunk index.
	pub index: u32,
	/// The chunk's bytes.
	pub chunk: Vec<u8>,
	/// Its proof to the blob's root.
	pub proof: MerkleProof,
}

/// Totals of the store, for metrics and status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreUsage {
	/// Blobs with at least one chunk.
	pub blobs: u64,
	/// Chunks held.
	pub chunks: u64,
	/// Bytes of chunks and proofs held.
	pub bytes: u64,
}

/// The chunk store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct ChunkStore {
	dir: PathBuf,
	index: Mutex<HashMap<Hash, Entry>>,
}

impl ChunkStore {
	/// Opens (creating if needed) the store in `dir` and indexes what it holds. Folders
	/// that cannot be read are skipped with a warning.
	pub fn open(dir: impl Into<PathBuf>) -> io::Result<Self> {
		let dir = dir.into();
		let index = index_root_dirs(&dir, "da", Self::load_entry)?;
		Ok(ChunkStore { dir, index: Mutex::new(index) })
	}

	fn load_entry(path: &Path) -> io::Result<Entry> {
		let meta = StoredMeta::decode(&mut &fs::read(path.join("meta"))?[..])
			.map_err(|e| invalid(format!("meta: {e}")))?;
		let held = match fs::read(path.join("held")) {
			Ok(bytes) => Held::from_bytes(&bytes).ok_or_else(|| invalid("held bitmap".into()))?,
			Err(e) if e.kind() == io::ErrorKind::NotFound => Held([0; BITMAP_WORDS]),
			Err(e) => return Err(e),
		};
		let slot_size = Self::slot_size(&meta.commitment)?;
		Ok(Entry { meta, held, slot_size })
	}

	fn slot_size(commitment: &BlobCommitment) -> io::Result<u64> {
		let layout = commitment.layout().map_err(|e| invalid(format!("{e:?}")))?;
		Ok(layout.chunk_size as u64 + PROOF_BYTES as u64)
	}

	fn blob_dir(&self, root: &Hash) -> PathBuf {
		self.dir.join(hex::encode(root))
	}

	/// The store's directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// Writes chunks of the blob with `commitment`. Chunks must have been checked against the
	/// commitment. Returns how many were new.
	pub fn put<'a>(
		&self,
		commitment: &BlobCommitment,
		chunks: impl IntoIterator<Item = (u32, &'a [u8], &'a MerkleProof)>,
	) -> io::Result<u32> {
		let slot_size = Self::slot_size(commitment)?;
		let chunk_size = slot_size as usize - PROOF_BYTES;
		let chunks: Vec<(u32, &[u8], &MerkleProof)> = chunks.into_iter().collect();
		// Check everything before touching the disk: bad input leaves nothing behind.
		for (index, chunk, proof) in &chunks {
			if *index >= CODED_CHUNKS || chunk.len() != chunk_size {
				return Err(invalid(format!("chunk {index} of {} bytes", chunk.len())));
			}
			if proof.siblings.len() != CHUNK_PROOF_DEPTH as usize {
				return Err(invalid(format!("proof of chunk {index} has the wrong depth")));
			}
		}
		let dir = self.blob_dir(&commitment.root);
		let known = self.index.lock().get(&commitment.root).map(|e| {
			if e.meta.commitment != *commitment {
				Err(invalid("another commitment with the same root".into()))
			} else {
				Ok(e.held.clone())
			}
		});
		let mut held = match known {
			Some(held) => held?,
			None => {
				fs::create_dir_all(&dir)?;
				let meta = StoredMeta { commitment: commitment.clone(), stored_at: now_secs() };
				fs::write(dir.join("meta"), meta.encode())?;
				Held([0; BITMAP_WORDS])
			},
		};
		let file = fs::OpenOptions::new()
			.create(true)
			.write(true)
			.truncate(false)
			.open(dir.join("chunks"))?;
		let mut slot = vec![0u8; slot_size as usize];
		let mut added = 0;
		for (index, chunk, proof) in chunks {
			slot[..chunk_size].copy_from_slice(chunk);
			for (i, sibling) in proof.siblings.iter().enumerate() {
				slot[chunk_size + i * 32..][..32].copy_from_slice(sibling);
			}
			file.write_all_at(&slot, index as u64 * slot_size)?;
			if !held.contains(index) {
				held.insert(index);
				added += 1;
			}
		}
		replace_file(&dir, "held", &held.to_bytes())?;
		let mut index = self.index.lock();
		let entry = index.entry(commitment.root).or_insert_with(|| Entry {
			meta: StoredMeta { commitment: commitment.clone(), stored_at: now_secs() },
			held: Held([0; BITMAP_WORDS]),
			slot_size,
		});
		// Another writer may have added chunks meanwhile: keep the union.
		for (word, new) in entry.held.0.iter_mut().zip(held.0.iter()) {
			*word |= new;
		}
		Ok(added)
	}

	/// Chunk `index` of the blob with `root`, with its proof.
	pub fn get(&self, root: &Hash, index: u32) -> io::Result<Option<ChunkWithProof>> {
		let slot_size = {
			let guard = self.index.lock();
			match guard.get(root) {
				Some(entry) if entry.held.contains(index) => entry.slot_size,
				_ => return Ok(None),
			}
		};
		let file = fs::File::open(self.blob_dir(root).join("chunks"))?;
		let mut slot = vec![0u8; slot_size as usize];
		file.read_exact_at(&mut slot, index as u64 * slot_size)?;
		let chunk_size = slot_size as usize - PROOF_BYTES;
		let siblings = slot[chunk_size..]
			.chunks_exact(32)
			.map(|s| s.try_into().expect("32 bytes"))
			.collect();
		slot.truncate(chunk_size);
		Ok(Some(ChunkWithProof {
			index,
			chunk: slot,
			proof: MerkleProof { index: index as u64, siblings },
		}))
	}

	/// The commitment of a blob the store knows.
	pub fn commitment(&self, root: &Hash) -> Option<BlobCommitment> {
		self.index.lock().get(root).map(|e| e.meta.commitment.clone())
	}

	/// When the blob with `root` was first stored (unix seconds).
	pub fn stored_at(&self, root: &Hash) -> Option<u64> {
		self.index.lock().get(root).map(|e| e.meta.stored_at)
	}

	/// The chunk indices held of the blob with `root`.
	pub fn held(&self, root: &Hash) -> Vec<u32> {
		let guard = self.index.lock();
		match guard.get(root) {
			Some(entry) => (0..CODED_CHUNKS).filter(|i| entry.held.contains(*i)).collect(),
			None => Vec::new(),
		}
	}

	/// Which of `indices` are not held.
	pub fn missing(&self, root: &Hash, indices: &[u32]) -> Vec<u32> {
		let guard = self.index.lock();
		match guard.get(root) {
			Some(entry) => indices.iter().copied().filter(|i| !entry.held.contains(*i)).collect(),
			None => indices.to_vec(),
		}
	}

	/// Roots of every blob held.
	pub fn roots(&self) -> Vec<Hash> {
		self.index.lock().keys().copied().collect()
	}

	/// Deletes a blob's chunks. Returns whether it was held.
	pub fn remove(&self, root: &Hash) -> io::Result<bool> {
		let was = self.index.lock().remove(root).is_some();
		match fs::remove_dir_all(self.blob_dir(root)) {
			Ok(()) => Ok(was),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(was),
			Err(e) => Err(e),
		}
	}

	/// Blobs, chunks and bytes held.
	pub fn usage(&self) -> StoreUsage {
		let guard = self.index.lock();
		guard.values().fold(StoreUsage::default(), |mut usage, entry| {
			let chunks = entry.held.count() as u64;
			usage.blobs += 1;
			usage.chunks += chunks;
			usage.bytes += chunks * entry.slot_size;
			usage
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_erasure::{encode_blob, CodecId};

	fn blob(len: usize, seed: u8) -> Vec<u8> {
		(0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
	}

	#[test]
	fn chunks_round_trip_and_survive_reopening() {
		let dir = tempfile::tempdir().unwrap();
		let encoded = encode_blob(&blob(100_000, 1), CodecId::ReedSolomonSimd).unwrap();
		let root = encoded.commitment.root;
		let proofs: Vec<MerkleProof> =
			[0u32, 5, 3071].iter().map(|i| encoded.proof(*i).unwrap()).collect();
		{
			let store = ChunkStore::open(dir.path()).unwrap();
			let added = store
				.put(
					&encoded.commitment,
					[0u32, 5, 3071].iter().zip(&proofs).map(|(i, p)| (*i, encoded.chunk(*i), p)),
				)
				.unwrap();
			assert_eq!(added, 3);
			assert_eq!(
				store.put(&encoded.commitment, [(5, encoded.chunk(5), &proofs[1])]).unwrap(),
				0
			);
		}
		let store = ChunkStore::open(dir.path()).unwrap();
		assert_eq!(store.held(&root), vec![0, 5, 3071]);
		assert_eq!(store.missing(&root, &[0, 1, 5]), vec![1]);
		let got = store.get(&root, 3071).unwrap().unwrap();
		assert_eq!(got.chunk, encoded.chunk(3071));
		encoded.commitment.verify_chunk(3071, &got.chunk, &got.proof).unwrap();
		assert_eq!(store.get(&root, 1).unwrap(), None);
		let usage = store.usage();
		assert_eq!((usage.blobs, usage.chunks), (1, 3));
		assert!(store.remove(&root).unwrap());
		assert_eq!(store.usage(), StoreUsage::default());
		assert!(ChunkStore::open(dir.path()).unwrap().roots().is_empty());
	}

	#[test]
	fn refuses_wrong_sizes_and_a_conflicting_commitment() {
		let dir = tempfile::tempdir().unwrap();
		let store = ChunkStore::open(dir.path()).unwrap();
		let encoded = encode_blob(&blob(10_000, 2), CodecId::ReedSolomonSimd).unwrap();
		let proof = encoded.proof(0).unwrap();
		assert!(store.put(&encoded.commitment, [(0, &encoded.chunk(0)[1..], &proof)]).is_err());
		assert!(store
			.put(&encoded.commitment, [(CODED_CHUNKS, encoded.chunk(0), &proof)])
			.is_err());
		assert!(store.roots().is_empty() && fs::read_dir(dir.path()).unwrap().next().is_none());
		store.put(&encoded.commitment, [(0, encoded.chunk(0), &proof)]).unwrap();
		let mut other = encoded.commitment.clone();
		other.size += 1;
		assert!(store.put(&other, [(0, encoded.chunk(0), &proof)]).is_err());
	}
}
