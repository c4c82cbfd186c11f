//! File helpers of the on-disk stores (DA chunks, storage segments, alignment reports).

use std::{
	collections::HashMap,
	fs, io,
	path::Path,
	time::{SystemTime, UNIX_EPOCH},
};
use zerog_erasure::Hash;

/// Unix time in seconds.
pub fn now_secs() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or_default()
}

/// Replaces `dir/name` with `bytes` in one step: writes `name.tmp`, then renames it over
/// `name`, so a reader (or a restart after a crash) sees the old file or the new one, never
/// a torn one.
pub fn replace_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
	let tmp = dir.join(format!("{name}.tmp"));
	fs::write(&tmp, bytes)?;
	fs::rename(&tmp, dir.join(name))
}

/// An `InvalidData` I/O error.
pub fn invalid(what: String) -> io::Error {
	io::Error::new(io::ErrorKind::InvalidData, what)
}

/// Creates `dir` if needed and loads every `<root hex>/` folder in it with `load`; other
/// entries are ignored and folders that fail to load are skipped with a warning (log
/// target `target`).
pub fn index_root_dirs<E>(
	dir: &Path,
	target: &str,
	load: impl Fn(&Path) -> io::Result<E>,
) -> io::Result<HashMap<Hash, E>> {
	fs::create_dir_all(dir)?;
	let mut index = HashMap::new();
	for entry in fs::read_dir(dir)? {
		let path = entry?.path();
		let Some(root) = path
			.file_name()
			.and_then(|n| n.to_str())
			.and_then(|n| hex::decode(n).ok())
			.and_then(|b| Hash::try_from(b.as_slice()).ok())
		else {
			continue;
		};
		match load(&path) {
			Ok(e) => {
				index.insert(root, e);
			},
			Err(e) => log::warn!(target: target, "skipping {}: {e}", path.display()),
		}
	}
	Ok(index)
}
