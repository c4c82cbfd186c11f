//! The on-disk segment store: the file segments this node holds (with their proofs to the
//! file root), by file root *and size* ([`FileKey`]).
//!
//! A root alone does not name a file: zero padding lets the same root stand for files of
//! several sizes, and the chain accepts a deal for any `(root, size)`. Keyed by root alone,
//! a deal placed first with a wrong size (a squat) made every node refuse the honest deal's
//! file. Keyed by both, the squat is one more file, which never gets data.
//!
//! Layout under the store's directory, one folder per file (`<root hex>-<size>/`; folders
//! of the older layout, `<root hex>/`, are renamed when the store opens):
//! - `meta`: the SCALE-encoded [`FileMeta`] (size, when first stored, the deals that placed
//!   it in the flow);
//! - `data`: the file's bytes at their own offsets (a sparse file: segment `i` at
//!   `i × 256 KiB`), so that whole ranges are read in one call;
//! - `proofs`: fixed slots, slot `i` = the sibling hashes of segment `i`'s proof;
//! - `held`: the bitmap of segments written, replaced atomically after data and proofs.
//!
//! A crash between writing segments and the bitmap loses only the unrecorded segments. The
//! store is reopened from disk at start, so files survive restarts.

use codec::{Decode, Encode};
use parking_lot::Mutex;
use std::{
	collections::BTreeMap,
	fmt, fs, io,
	os::unix::fs::FileExt,
	path::{Path, PathBuf},
};
use zerog_erasure::{
	storage::{segment_count, SEGMENT_SIZE},
	Hash, MerkleProof,
};

/// What names a stored file: its Merkle root and its size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub struct FileKey {
	/// The file's Merkle root.
	pub root: Hash,
	/// The file's size in bytes.
	pub size: u64,
}

impl FileKey {
	/// The key of the file with `root` and `size`.
	pub fn new(root: Hash, size: u64) -> Self {
		FileKey { root, size }
	}

	/// The file's folder name: `<root hex>-<size>`.
	fn dir_name(&self) -> String {
		format!("{}-{}", hex::encode(self.root), self.size)
	}
}

impl fmt::Display for FileKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "0x{} ({} bytes)", hex::encode(self.root), self.size)
	}
}

/// Where a deal placed a file in the flow.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Placement {
	/// The deal's id.
	pub deal: u64,
	/// The file's first sector in the flow.
	pub start_sector: u64,
	/// Copies bought.
	pub replicas: u32,
	/// Block the deal ends at.
	pub end: u32,
}

/// What the store records of a file besides its segments.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct FileMeta {
	/// File size in bytes.
	pub size: u64,
	/// Unix time (seconds) it was first stored.
	pub stored_at: u64,
	/// The live deals of this root, as the chain reported them.
	pub placements: Vec<Placement>,
}

/// Which segments of a file are held.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Held(Vec<u64>);

impl Held {
	/// An empty bitmap for `count` segments.
	pub fn empty(count: u64) -> Self {
		Held(vec![0; count.div_ceil(64) as usize])
	}
	/// The bitmap of `count` segments holding `indices`.
	pub fn from_indices(count: u64, indices: impl IntoIterator<Item = u64>) -> Self {
		let mut held = Self::empty(count);
		indices.into_iter().filter(|i| *i < count).for_each(|i| held.insert(i));
		held
	}
	/// Whether segment `index` is held.
	pub fn contains(&self, index: u64) -> bool {
		self.0.get(index as usize / 64).is_some_and(|w| w & (1 << (index % 64)) != 0)
	}
	fn insert(&mut self, index: u64) {
		self.0[index as usize / 64] |= 1 << (index % 64);
	}
	/// Segments held.
	pub fn count(&self) -> u64 {
		self.0.iter().map(|w| w.count_ones() as u64).sum()
	}
	/// Little-endian words, as exchanged and stored.
	pub fn to_bytes(&self) -> Vec<u8> {
		self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
	}
	/// The bitmap of `count` segments from its bytes.
	pub fn from_bytes(bytes: &[u8], count: u64) -> Option<Self> {
		if bytes.len() != count.div_ceil(64) as usize * 8 {
			return None;
		}
		Some(Held(
			bytes
				.chunks_exact(8)
				.map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
				.collect(),
		))
	}
}

struct Entry {
	meta: FileMeta,
	held: Held,
}

/// Totals of the store, for metrics and status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreUsage {
	/// Files with at least one segment or a placement.
	pub files: u64,
	/// Segments held.
	pub segments: u64,
	/// Bytes of segment data held.
	pub bytes: u64,
}

/// The segment store. Share it behind an `Arc`; all methods take `&self`.
pub struct SegmentStore {
	dir: PathBuf,
	index: Mutex<BTreeMap<FileKey, Entry>>,
	/// Serialises writers of one file's bitmap (reads stay concurrent).
	write_lock: Mutex<()>,
}

use zerog_data_plane::files::{invalid, now_secs, replace_file};
/// A segment with its proof to the file root, as stored, served and uploaded.
pub use zerog_rpc_api::storage::SegmentWithProof;

/// Sibling hashes of a segment proof in a file of `size` bytes.
pub fn proof_depth(size: u64) -> u32 {
	zerog_erasure::merkle::depth_for(segment_count(size).next_power_of_two())
}

impl SegmentStore {
	/// Opens (creating if needed) the store in `dir` and indexes what it holds. Folders of
	/// the older layout (`<root hex>/`) are renamed to `<root hex>-<size>/`; folders that
	/// cannot be read are skipped with a warning.
	pub fn open(dir: impl Into<PathBuf>) -> io::Result<Self> {
		let dir = dir.into();
		fs::create_dir_all(&dir)?;
		let mut index = BTreeMap::new();
		for entry in fs::read_dir(&dir)? {
			let mut path = entry?.path();
			let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
				continue;
			};
			let (hex_root, size) = match name.split_once('-') {
				Some((root, size)) => match size.parse::<u64>() {
					Ok(size) => (root.to_owned(), Some(size)),
					Err(_) => continue,
				},
				None => (name.clone(), None),
			};
			let Some(root) =
				hex::decode(&hex_root).ok().and_then(|b| Hash::try_from(b.as_slice()).ok())
			else {
				continue;
			};
			let loaded = Self::load_entry(&path).and_then(|entry| {
				let key = FileKey::new(root, entry.meta.size);
				match size {
					Some(size) if size != entry.meta.size => {
						Err(invalid(format!("folder says {size} bytes, meta {}", entry.meta.size)))
					},
					Some(_) => Ok((key, entry)),
					None => {
						let renamed = dir.join(key.dir_name());
						fs::rename(&path, &renamed)?;
						path = renamed;
						Ok((key, entry))
					},
				}
			});
			match loaded {
				Ok((key, entry)) => {
					index.insert(key, entry);
				},
				Err(e) => log::warn!(target: "storage", "skipping {}: {e}", path.display()),
			}
		}
		Ok(SegmentStore { dir, index: Mutex::new(index), write_lock: Mutex::new(()) })
	}

	fn load_entry(path: &Path) -> io::Result<Entry> {
		let meta = FileMeta::decode(&mut &fs::read(path.join("meta"))?[..])
			.map_err(|e| invalid(format!("meta: {e}")))?;
		let count = segment_count(meta.size);
		let held = match fs::read(path.join("held")) {
			Ok(bytes) => {
				Held::from_bytes(&bytes, count).ok_or_else(|| invalid("held bitmap".into()))?
			},
			Err(e) if e.kind() == io::ErrorKind::NotFound => Held::empty(count),
			Err(e) => return Err(e),
		};
		Ok(Entry { meta, held })
	}

	fn file_dir(&self, key: &FileKey) -> PathBuf {
		self.dir.join(key.dir_name())
	}

	/// The store's directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// Writes segments of the file `key`. Segments must have been checked against the root.
	/// Returns how many were new.
	pub fn put(&self, key: &FileKey, segments: &[SegmentWithProof]) -> io::Result<u32> {
		let size = key.size;
		let count = segment_count(size);
		let depth = proof_depth(size) as usize;
		// Check shapes before touching the disk: bad input leaves nothing behind.
		for s in segments {
			let expected = if s.index + 1 == count {
				size - s.index * SEGMENT_SIZE as u64
			} else {
				SEGMENT_SIZE as u64
			};
			if s.index >= count || s.data.len() as u64 != expected {
				return Err(invalid(format!("segment {} of {} bytes", s.index, s.data.len())));
			}
			if s.proof.siblings.len() != depth || s.proof.index != s.index {
				return Err(invalid(format!("proof of segment {} has the wrong shape", s.index)));
			}
		}
		let _writer = self.write_lock.lock();
		let dir = self.file_dir(key);
		let known = self.index.lock().get(key).map(|e| e.held.clone());
		let mut held = match known {
			Some(held) => held,
			None => {
				fs::create_dir_all(&dir)?;
				let meta = FileMeta { size, stored_at: now_secs(), placements: Vec::new() };
				fs::write(dir.join("meta"), meta.encode())?;
				self.index.lock().insert(*key, Entry { meta, held: Held::empty(count) });
				Held::empty(count)
			},
		};
		let open = |name: &str| {
			fs::OpenOptions::new()
				.create(true)
				.write(true)
				.truncate(false)
				.open(dir.join(name))
		};
		let (data, proofs) = (open("data")?, open("proofs")?);
		let mut added = 0;
		let mut slot = vec![0u8; depth * 32];
		for s in segments {
			if held.contains(s.index) {
				continue;
			}
			data.write_all_at(&s.data, s.index * SEGMENT_SIZE as u64)?;
			for (i, sibling) in s.proof.siblings.iter().enumerate() {
				slot[i * 32..(i + 1) * 32].copy_from_slice(sibling);
			}
			proofs.write_all_at(&slot, s.index * slot.len() as u64)?;
			held.insert(s.index);
			added += 1;
		}
		if added > 0 {
			// The bitmap never claims more than is on disk: after a crash a segment marked
			// held has its bytes, since the node acknowledges on chain (and is checked on)
			// what the bitmap says it holds.
			data.sync_data()?;
			proofs.sync_data()?;
			replace_file(&dir, "held", &held.to_bytes())?;
			if let Some(entry) = self.index.lock().get_mut(key) {
				entry.held = held;
			}
		}
		Ok(added)
	}

	/// Segment `index` of the file `key` with its proof, if held.
	pub fn get(&self, key: &FileKey, index: u64) -> io::Result<Option<SegmentWithProof>> {
		if !self.index.lock().get(key).is_some_and(|e| e.held.contains(index)) {
			return Ok(None);
		}
		let size = key.size;
		let count = segment_count(size);
		let len = if index + 1 == count {
			size - index * SEGMENT_SIZE as u64
		} else {
			SEGMENT_SIZE as u64
		};
		let dir = self.file_dir(key);
		let mut data = vec![0u8; len as usize];
		fs::File::open(dir.join("data"))?.read_exact_at(&mut data, index * SEGMENT_SIZE as u64)?;
		let depth = proof_depth(size) as usize;
		let mut slot = vec![0u8; depth * 32];
		let offset = index * slot.len() as u64;
		fs::File::open(dir.join("proofs"))?.read_exact_at(&mut slot, offset)?;
		let siblings = slot.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect();
		Ok(Some(SegmentWithProof { index, data, proof: MerkleProof { index, siblings } }))
	}

	/// `len` bytes of the file from `offset`, if every segment they touch is held.
	pub fn read(&self, key: &FileKey, offset: u64, len: usize) -> io::Result<Option<Vec<u8>>> {
		let Some((meta, held)) = self.file(key) else { return Ok(None) };
		let end = offset.saturating_add(len as u64);
		if end > meta.size {
			return Ok(None);
		}
		let seg = SEGMENT_SIZE as u64;
		if len > 0 && !(offset / seg..=(end - 1) / seg).all(|i| held.contains(i)) {
			return Ok(None);
		}
		let mut out = vec![0u8; len];
		fs::File::open(self.file_dir(key).join("data"))?.read_exact_at(&mut out, offset)?;
		Ok(Some(out))
	}

	/// A file's record and held segments.
	pub fn file(&self, key: &FileKey) -> Option<(FileMeta, Held)> {
		self.index.lock().get(key).map(|e| (e.meta.clone(), e.held.clone()))
	}

	/// Every file's key and record.
	pub fn files(&self) -> Vec<(FileKey, FileMeta)> {
		self.index.lock().iter().map(|(k, e)| (*k, e.meta.clone())).collect()
	}

	/// The sizes this store knows `root` with, each with the segments held of it.
	pub fn sizes_of(&self, root: &Hash) -> Vec<(u64, u64)> {
		let (first, last) = (FileKey::new(*root, 0), FileKey::new(*root, u64::MAX));
		self.index
			.lock()
			.range(first..=last)
			.map(|(key, entry)| (key.size, entry.held.count()))
			.collect()
	}

	/// Records that deal `placement` placed the file `key` (creating the file's record if no
	/// segment came yet).
	pub fn add_placement(&self, key: &FileKey, placement: Placement) -> io::Result<()> {
		self.update_meta(key, |meta| {
			meta.placements.retain(|p| p.deal != placement.deal);
			meta.placements.push(placement);
		})
	}

	/// Sets the end of deal `deal` on the file `key` (a renewal).
	pub fn renew_placement(&self, key: &FileKey, deal: u64, end: u32) -> io::Result<()> {
		if self.file(key).is_none() {
			return Ok(());
		}
		self.update_meta(key, |meta| {
			meta.placements.iter_mut().filter(|p| p.deal == deal).for_each(|p| p.end = end)
		})
	}

	/// Drops deal `deal` from the file `key`; returns the deals left.
	pub fn remove_placement(&self, key: &FileKey, deal: u64) -> io::Result<usize> {
		if self.file(key).is_none() {
			return Ok(0);
		}
		let mut left = 0;
		self.update_meta(key, |meta| {
			meta.placements.retain(|p| p.deal != deal);
			left = meta.placements.len();
		})?;
		Ok(left)
	}

	fn update_meta(&self, key: &FileKey, change: impl FnOnce(&mut FileMeta)) -> io::Result<()> {
		let _writer = self.write_lock.lock();
		let dir = self.file_dir(key);
		let mut index = self.index.lock();
		let entry = index.entry(*key).or_insert_with(|| Entry {
			meta: FileMeta { size: key.size, stored_at: now_secs(), placements: Vec::new() },
			held: Held::empty(segment_count(key.size)),
		});
		change(&mut entry.meta);
		fs::create_dir_all(&dir)?;
		replace_file(&dir, "meta", &entry.meta.encode())
	}

	/// Deletes a file and its segments.
	pub fn remove(&self, key: &FileKey) -> io::Result<()> {
		let _writer = self.write_lock.lock();
		self.index.lock().remove(key);
		match fs::remove_dir_all(self.file_dir(key)) {
			Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
			_ => Ok(()),
		}
	}

	/// Deletes a file's segments but keeps its record (placements), for a node that no longer
	/// needs its copy but still follows the deal.
	pub fn remove_segments_keep_meta(&self, key: &FileKey) -> io::Result<()> {
		let _writer = self.write_lock.lock();
		let dir = self.file_dir(key);
		if let Some(entry) = self.index.lock().get_mut(key) {
			entry.held = Held::empty(segment_count(entry.meta.size));
		}
		for name in ["held", "data", "proofs"] {
			match fs::remove_file(dir.join(name)) {
				Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
				_ => {},
			}
		}
		Ok(())
	}

	/// Files, segments and bytes held.
	pub fn usage(&self) -> StoreUsage {
		let index = self.index.lock();
		let mut usage = StoreUsage { files: index.len() as u64, ..Default::default() };
		for entry in index.values() {
			let count = segment_count(entry.meta.size);
			let held = entry.held.count();
			usage.segments += held;
			let last_short = if count > 0 && entry.held.contains(count - 1) {
				count * SEGMENT_SIZE as u64 - entry.meta.size
			} else {
				0
			};
			usage.bytes += held * SEGMENT_SIZE as u64 - last_short;
		}
		usage
	}
}
