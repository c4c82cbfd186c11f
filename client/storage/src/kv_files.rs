//! A KV node's copies of the entry files it replayed, served to peers as a
//! [`FileSource`](crate::service::FileSource).
//!
//! The chain decides that an entry's data exists ([`crate::kv_replay`]), and a KV node then
//! waits for its bytes however long they take. The providers drop them when the entry's deal
//! ends (a `kv put` buys a day), so a KV node that starts later would wait for good; every
//! KV node therefore keeps the bytes of each entry it replayed with data (applied or
//! refused by the rules alike: others need them to reach the same outcome) and serves them
//! over the storage protocol like any segment.
//!
//! One file per entry, `<root hex>-<size>`, written to a temporary name and renamed, so a
//! crash never leaves a torn copy under the real name; a copy whose bytes do not match its
//! root is never served ([`crate::StorageService::source_segments`] checks).

use crate::{service::FileSource, store::FileKey};
use std::{
	fs, io,
	path::{Path, PathBuf},
};

/// The entry files of one KV node.
pub struct KvFiles {
	dir: PathBuf,
}

impl KvFiles {
	/// Opens (creating) the directory `dir`.
	pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
		fs::create_dir_all(dir.as_ref())?;
		Ok(KvFiles { dir: dir.as_ref().to_path_buf() })
	}

	fn path(&self, key: &FileKey) -> PathBuf {
		self.dir.join(format!("{}-{}", hex::encode(key.root), key.size))
	}

	/// Keeps the bytes of the entry file `key` (durable before it returns).
	pub fn put(&self, key: &FileKey, bytes: &[u8]) -> io::Result<()> {
		let path = self.path(key);
		if path.exists() {
			return Ok(());
		}
		let temporary = path.with_extension("partial");
		{
			let mut file = fs::File::create(&temporary)?;
			io::Write::write_all(&mut file, bytes)?;
			file.sync_data()?;
		}
		fs::rename(&temporary, &path)
	}
}

impl FileSource for KvFiles {
	fn file(&self, key: &FileKey) -> Option<Vec<u8>> {
		fs::read(self.path(key)).ok().filter(|bytes| bytes.len() as u64 == key.size)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{store::SegmentStore, StorageService};
	use std::sync::Arc;
	use zerog_erasure::{storage::verify_segment, FileTree, SEGMENT_SIZE};

	#[test]
	fn a_kv_node_serves_the_entries_it_replayed_with_proofs_and_nothing_else() {
		let dir = tempfile::tempdir().unwrap();
		let files = Arc::new(KvFiles::open(dir.path().join("files")).unwrap());
		let service = StorageService::new(
			Arc::new(SegmentStore::open(dir.path().join("store")).unwrap()),
			None,
		);
		service.set_file_source(files.clone());
		let bytes: Vec<u8> = (0..SEGMENT_SIZE + 100).map(|i| i as u8).collect();
		let tree = FileTree::new(&bytes).unwrap();
		let key = FileKey::new(tree.root(), bytes.len() as u64);
		assert!(service.source_segments(&key, &[0, 1], 2).is_empty(), "not replayed yet");

		files.put(&key, &bytes).unwrap();
		let served = service.source_segments(&key, &[1, 0, 7], 3);
		assert_eq!(served.iter().map(|s| s.index).collect::<Vec<_>>(), vec![1, 0]);
		for s in &served {
			verify_segment(&key.root, key.size, s.index, &s.data, &s.proof).unwrap();
		}
		assert_eq!(service.source_segments(&key, &[0, 1], 1).len(), 1, "within the limit");

		// Another size of the same root is another file; bytes that do not match their name
		// are never served.
		assert!(service.source_segments(&FileKey::new(key.root, 5), &[0], 1).is_empty());
		let liar = FileKey::new([9; 32], bytes.len() as u64);
		files.put(&liar, &bytes).unwrap();
		assert!(service.source_segments(&liar, &[0], 1).is_empty());
	}
}
