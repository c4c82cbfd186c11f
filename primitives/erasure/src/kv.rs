//! The KV entry: the content of a flow file tagged as a KV write. A node-side replayer
//! applies entries in flow order (optimistic concurrency on the read set, ACL checks).
//!
//! Byte format, version 2 (all integers little-endian):
//!
//! ```text
//! "ZGKV"                        4 bytes, magic
//! version                       u8 = 2 (1: the same without based_on)
//! based_on                      u64: the version the reads saw (u64::MAX: no read check)
//! reads:  count u32, then each  stream 32 | key_len u24 | key
//! writes: count u32, then each  stream 32 | key_len u24 | key | value_len u32 | value
//! acl:    count u32, then each  op u8 | stream 32 | operand
//! ```
//!
//! ACL operations and their operand: 0 grant admin (account 32), 1 renounce admin (none),
//! 2 grant writer (account 32), 3 revoke writer (account 32), 4 renounce writer (none),
//! 5 grant special writer (account 32, key_len u24, key), 6 revoke special writer (same),
//! 7 renounce special writer (key_len u24, key), 8 set key to special (key_len u24, key),
//! 9 set key to normal (key_len u24, key). Keys are at most 2^24 - 1 bytes.

use alloc::vec::Vec;

/// A KV stream id.
pub type StreamId = [u8; 32];
/// An account, as 32 bytes.
pub type Account = [u8; 32];

/// Magic bytes of an entry.
pub const MAGIC: &[u8; 4] = b"ZGKV";
/// The format version written.
pub const VERSION: u8 = 2;
/// `based_on` of an entry without a read check.
pub const NOT_BASED: u64 = u64::MAX;
/// Longest key.
pub const MAX_KEY_LEN: usize = (1 << 24) - 1;

/// An ACL change, applied by the replayer if the writer may make it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum AclOp {
	/// Make `account` an admin of the stream.
	GrantAdmin(Account),
	/// The writer stops being an admin.
	RenounceAdmin,
	/// Let `account` write the stream.
	GrantWriter(Account),
	/// Stop `account` writing the stream.
	RevokeWriter(Account),
	/// The writer stops writing the stream.
	RenounceWriter,
	/// Let `account` write special key `key`.
	GrantSpecialWriter(Account, Vec<u8>),
	/// Stop `account` writing special key `key`.
	RevokeSpecialWriter(Account, Vec<u8>),
	/// The writer stops writing special key `key`.
	RenounceSpecialWriter(Vec<u8>),
	/// Only special writers may write `key` from now on.
	SetKeyToSpecial(Vec<u8>),
	/// Every writer may write `key` again.
	SetKeyToNormal(Vec<u8>),
}

/// One KV entry: what it read (versions are checked by the replayer), what it writes, and
/// ACL changes, each for a stream.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct KvEntry {
	/// The stream version (KV log index) the writer read at: the entry is refused if any key
	/// in `reads` was written after it. `None`: no check.
	pub based_on: Option<u64>,
	/// (stream, key) pairs read.
	pub reads: Vec<(StreamId, Vec<u8>)>,
	/// (stream, key, value) written.
	pub writes: Vec<(StreamId, Vec<u8>, Vec<u8>)>,
	/// (stream, op) ACL changes.
	pub acl: Vec<(StreamId, AclOp)>,
}

/// Why bytes are not a KV entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KvError {
	/// Not starting with "ZGKV".
	BadMagic,
	/// A version this code does not know.
	UnknownVersion(u8),
	/// The bytes end inside a field.
	Truncated,
	/// An ACL op code above 9.
	UnknownOp(u8),
	/// A key longer than [`MAX_KEY_LEN`] (when encoding).
	KeyTooLong,
	/// A value longer than `u32::MAX` (when encoding).
	ValueTooLong,
	/// Bytes left after the entry.
	TrailingBytes,
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
	fn take(&mut self, n: usize) -> Result<&'a [u8], KvError> {
		if self.0.len() < n {
			return Err(KvError::Truncated);
		}
		let (head, rest) = self.0.split_at(n);
		self.0 = rest;
		Ok(head)
	}
	fn u32(&mut self) -> Result<u32, KvError> {
		Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
	}
	fn u24(&mut self) -> Result<usize, KvError> {
		let b = self.take(3)?;
		Ok(b[0] as usize | (b[1] as usize) << 8 | (b[2] as usize) << 16)
	}
	fn id(&mut self) -> Result<[u8; 32], KvError> {
		Ok(self.take(32)?.try_into().expect("32 bytes"))
	}
	fn key(&mut self) -> Result<Vec<u8>, KvError> {
		let len = self.u24()?;
		Ok(self.take(len)?.to_vec())
	}
	/// A count, refused when even one byte per item could not follow.
	fn count(&mut self) -> Result<usize, KvError> {
		let n = self.u32()? as usize;
		if n > self.0.len() {
			return Err(KvError::Truncated);
		}
		Ok(n)
	}
}

fn put_key(out: &mut Vec<u8>, key: &[u8]) -> Result<(), KvError> {
	if key.len() > MAX_KEY_LEN {
		return Err(KvError::KeyTooLong);
	}
	out.extend_from_slice(&(key.len() as u32).to_le_bytes()[..3]);
	out.extend_from_slice(key);
	Ok(())
}

impl KvEntry {
	/// The entry's bytes (format version 1).
	pub fn encode(&self) -> Result<Vec<u8>, KvError> {
		let mut out = Vec::new();
		out.extend_from_slice(MAGIC);
		out.push(VERSION);
		out.extend_from_slice(&self.based_on.unwrap_or(NOT_BASED).to_le_bytes());
		out.extend_from_slice(&(self.reads.len() as u32).to_le_bytes());
		for (stream, key) in &self.reads {
			out.extend_from_slice(stream);
			put_key(&mut out, key)?;
		}
		out.extend_from_slice(&(self.writes.len() as u32).to_le_bytes());
		for (stream, key, value) in &self.writes {
			out.extend_from_slice(stream);
			put_key(&mut out, key)?;
			let len = u32::try_from(value.len()).map_err(|_| KvError::ValueTooLong)?;
			out.extend_from_slice(&len.to_le_bytes());
			out.extend_from_slice(value);
		}
		out.extend_from_slice(&(self.acl.len() as u32).to_le_bytes());
		for (stream, op) in &self.acl {
			let code = match op {
				AclOp::GrantAdmin(_) => 0,
				AclOp::RenounceAdmin => 1,
				AclOp::GrantWriter(_) => 2,
				AclOp::RevokeWriter(_) => 3,
				AclOp::RenounceWriter => 4,
				AclOp::GrantSpecialWriter(..) => 5,
				AclOp::RevokeSpecialWriter(..) => 6,
				AclOp::RenounceSpecialWriter(_) => 7,
				AclOp::SetKeyToSpecial(_) => 8,
				AclOp::SetKeyToNormal(_) => 9,
			};
			out.push(code);
			out.extend_from_slice(stream);
			match op {
				AclOp::GrantAdmin(a) | AclOp::GrantWriter(a) | AclOp::RevokeWriter(a) => {
					out.extend_from_slice(a)
				},
				AclOp::RenounceAdmin | AclOp::RenounceWriter => {},
				AclOp::GrantSpecialWriter(a, key) | AclOp::RevokeSpecialWriter(a, key) => {
					out.extend_from_slice(a);
					put_key(&mut out, key)?;
				},
				AclOp::RenounceSpecialWriter(key)
				| AclOp::SetKeyToSpecial(key)
				| AclOp::SetKeyToNormal(key) => put_key(&mut out, key)?,
			}
		}
		Ok(out)
	}

	/// Parses an entry; refuses anything but exactly one well-formed entry.
	pub fn decode(bytes: &[u8]) -> Result<Self, KvError> {
		let mut r = Reader(bytes);
		if r.take(4).map_err(|_| KvError::BadMagic)? != MAGIC {
			return Err(KvError::BadMagic);
		}
		let version = r.take(1)?[0];
		let mut entry = KvEntry::default();
		match version {
			1 => {},
			2 => {
				let based_on = u64::from_le_bytes(r.take(8)?.try_into().expect("8 bytes"));
				entry.based_on = (based_on != NOT_BASED).then_some(based_on);
			},
			other => return Err(KvError::UnknownVersion(other)),
		}
		for _ in 0..r.count()? {
			entry.reads.push((r.id()?, r.key()?));
		}
		for _ in 0..r.count()? {
			let (stream, key) = (r.id()?, r.key()?);
			let len = r.u32()? as usize;
			entry.writes.push((stream, key, r.take(len)?.to_vec()));
		}
		for _ in 0..r.count()? {
			let code = r.take(1)?[0];
			let stream = r.id()?;
			let op = match code {
				0 => AclOp::GrantAdmin(r.id()?),
				1 => AclOp::RenounceAdmin,
				2 => AclOp::GrantWriter(r.id()?),
				3 => AclOp::RevokeWriter(r.id()?),
				4 => AclOp::RenounceWriter,
				5 => AclOp::GrantSpecialWriter(r.id()?, r.key()?),
				6 => AclOp::RevokeSpecialWriter(r.id()?, r.key()?),
				7 => AclOp::RenounceSpecialWriter(r.key()?),
				8 => AclOp::SetKeyToSpecial(r.key()?),
				9 => AclOp::SetKeyToNormal(r.key()?),
				other => return Err(KvError::UnknownOp(other)),
			};
			entry.acl.push((stream, op));
		}
		if !r.0.is_empty() {
			return Err(KvError::TrailingBytes);
		}
		Ok(entry)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	fn sample() -> KvEntry {
		let s = [1u8; 32];
		KvEntry {
			based_on: Some(7),
			reads: vec![(s, b"balance".to_vec())],
			writes: vec![(s, b"balance".to_vec(), b"42".to_vec()), ([2; 32], vec![], vec![0; 300])],
			acl: vec![
				(s, AclOp::GrantAdmin([3; 32])),
				(s, AclOp::RenounceAdmin),
				(s, AclOp::GrantWriter([4; 32])),
				(s, AclOp::RevokeWriter([4; 32])),
				(s, AclOp::RenounceWriter),
				(s, AclOp::GrantSpecialWriter([5; 32], b"k".to_vec())),
				(s, AclOp::RevokeSpecialWriter([5; 32], b"k".to_vec())),
				(s, AclOp::RenounceSpecialWriter(b"k".to_vec())),
				(s, AclOp::SetKeyToSpecial(b"k".to_vec())),
				(s, AclOp::SetKeyToNormal(b"k".to_vec())),
			],
		}
	}

	#[test]
	fn entries_round_trip() {
		let bytes = sample().encode().unwrap();
		assert_eq!(&bytes[..5], b"ZGKV\x02");
		assert_eq!(KvEntry::decode(&bytes).unwrap(), sample());
		let empty = KvEntry::default().encode().unwrap();
		assert_eq!(empty.len(), 5 + 8 + 12);
		assert_eq!(KvEntry::decode(&empty).unwrap(), KvEntry::default());
		// Version 1 entries (no based_on) still decode.
		let mut v1 = b"ZGKV\x01".to_vec();
		v1.extend_from_slice(&[0; 12]);
		assert_eq!(KvEntry::decode(&v1).unwrap(), KvEntry::default());
	}

	#[test]
	fn malformed_bytes_are_refused() {
		let bytes = sample().encode().unwrap();
		for cut in [0, 3, 5, 9, 50, bytes.len() - 1] {
			assert!(KvEntry::decode(&bytes[..cut]).is_err(), "cut at {cut}");
		}
		assert_eq!(KvEntry::decode(b"NOPE\x01"), Err(KvError::BadMagic));
		assert_eq!(KvEntry::decode(b"ZGKV\x03"), Err(KvError::UnknownVersion(3)));
		let mut trailing = bytes.clone();
		trailing.push(0);
		assert_eq!(KvEntry::decode(&trailing), Err(KvError::TrailingBytes));
		let mut bad_op = KvEntry::default().encode().unwrap();
		bad_op.truncate(bad_op.len() - 4);
		bad_op.extend_from_slice(&1u32.to_le_bytes());
		bad_op.push(10);
		bad_op.extend_from_slice(&[0; 32]);
		assert_eq!(KvEntry::decode(&bad_op), Err(KvError::UnknownOp(10)));
		// A count larger than the bytes left is refused before allocating.
		let mut huge = b"ZGKV\x01".to_vec();
		huge.extend_from_slice(&u32::MAX.to_le_bytes());
		assert_eq!(KvEntry::decode(&huge), Err(KvError::Truncated));
		let long_key =
			KvEntry { reads: vec![([0; 32], vec![0; MAX_KEY_LEN + 1])], ..Default::default() };
		assert_eq!(long_key.encode(), Err(KvError::KeyTooLong));
	}
}
