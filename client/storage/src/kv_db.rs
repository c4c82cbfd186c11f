//! The KV node's database: KV entries replayed in flow order (the chain's KV log), with
//! writer ACLs, optimistic concurrency on read sets, and every version kept for reads at a
//! version.
//!
//! State lives in memory (ordered maps, so `next`/`prev` are range scans) and is made durable
//! by an append-only log of the entries applied, replayed at start (`<dir>/kv.log`). An
//! entry's *version* is its index in the chain's KV log.
//!
//! Rules, checked on a staged copy so that an entry applies whole or not at all:
//! - an entry may touch only the streams it was tagged with on chain;
//! - a stream's first writer becomes its admin and a writer (as the chain records it, even
//!   when that first entry is refused or skipped);
//! - with `based_on = v`, an entry whose read keys were written after `v` is refused;
//! - ACL changes other than renouncing need an admin; writes need a writer (or admin), and
//!   keys set to special need a special writer of that key.

use codec::{Decode, Encode};
use parking_lot::{Mutex, RwLock};
use std::{
	collections::{BTreeMap, BTreeSet, HashMap},
	fs,
	io::{self, Write},
	path::{Path, PathBuf},
};
use zerog_erasure::kv::{Account, AclOp, KvEntry, StreamId};

/// An entry's version: its index in the chain's KV log.
pub type Version = u64;

/// What happened to a KV log entry.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Outcome {
	/// Applied at its version.
	Applied,
	/// Read, but refused by the rules (the reason).
	Rejected(String),
	/// Its data never arrived, or was not an entry (the reason); later entries went on.
	Skipped(String),
}

/// One record of the durable log: what the replayer was given for a KV log entry.
#[derive(Clone, Debug, Encode, Decode)]
struct LogRecord {
	version: Version,
	deal: u64,
	writer: Account,
	tags: Vec<StreamId>,
	/// The entry's bytes, or why there are none.
	data: Result<Vec<u8>, String>,
	/// Further KV log indices of the same deal (one per extra tag).
	span: u64,
}

#[derive(Clone, Debug, Default)]
struct StreamAcl {
	admins: BTreeSet<Account>,
	writers: BTreeSet<Account>,
	special_keys: BTreeSet<Vec<u8>>,
	special_writers: BTreeSet<(Vec<u8>, Account)>,
}

#[derive(Default)]
struct State {
	/// Every version of every key: (stream, key) → [(version, value)], oldest first.
	values: BTreeMap<(StreamId, Vec<u8>), Vec<(Version, Vec<u8>)>>,
	acl: HashMap<StreamId, StreamAcl>,
	/// The next KV log index to replay.
	next: Version,
	/// Outcome of each deal's entry.
	outcomes: HashMap<u64, (Version, Outcome)>,
	applied: u64,
	rejected: u64,
	skipped: u64,
}

/// Counts of what was replayed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KvStats {
	/// The next KV log index to replay.
	pub next: Version,
	/// Entries applied.
	pub applied: u64,
	/// Entries refused by the rules.
	pub rejected: u64,
	/// Entries skipped (no data).
	pub skipped: u64,
}

/// A key's value at a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
	/// The key.
	pub key: Vec<u8>,
	/// The value.
	pub value: Vec<u8>,
	/// The version that wrote it.
	pub version: Version,
}

/// The KV database. Share it behind an `Arc`.
pub struct KvDb {
	log: Mutex<fs::File>,
	state: RwLock<State>,
}

impl KvDb {
	/// Opens (creating) the database in `dir`, replaying its log.
	pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
		fs::create_dir_all(dir.as_ref())?;
		let path: PathBuf = dir.as_ref().join("kv.log");
		let bytes = match fs::read(&path) {
			Ok(b) => b,
			Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
			Err(e) => return Err(e),
		};
		let mut state = State::default();
		let mut input = &bytes[..];
		let mut good = 0;
		while !input.is_empty() {
			let Ok(len) = u32::decode(&mut input) else { break };
			if input.len() < len as usize {
				break;
			}
			let Ok(record) = LogRecord::decode(&mut &input[..len as usize]) else { break };
			input = &input[len as usize..];
			state.replay(&record);
			good = bytes.len() - input.len();
		}
		// A torn last record (crash mid-write) is dropped; it is replayed from the chain again.
		let file = fs::OpenOptions::new().create(true).append(true).open(&path)?;
		file.set_len(good as u64)?;
		Ok(KvDb { log: Mutex::new(file), state: RwLock::new(state) })
	}

	/// The next KV log index to replay.
	pub fn next_version(&self) -> Version {
		self.state.read().next
	}

	/// Applies the entry of KV log index `version` (and `span` more indices of the same deal),
	/// written by `writer` with stream tags `tags`; `data` is its bytes, or why there are
	/// none. Durable before it returns.
	pub fn apply(
		&self,
		version: Version,
		span: u64,
		deal: u64,
		writer: Account,
		tags: Vec<StreamId>,
		data: Result<Vec<u8>, String>,
	) -> io::Result<Outcome> {
		let record = LogRecord { version, deal, writer, tags, data, span };
		let mut state = self.state.write();
		if version != state.next {
			return Err(io::Error::new(
				io::ErrorKind::InvalidInput,
				format!("entry {version} out of order"),
			));
		}
		let bytes = record.encode();
		{
			let mut log = self.log.lock();
			log.write_all(&(bytes.len() as u32).encode())?;
			log.write_all(&bytes)?;
			log.sync_data()?;
		}
		Ok(state.replay(&record))
	}

	/// The outcome of deal `deal`'s entry, with its version.
	pub fn outcome(&self, deal: u64) -> Option<(Version, Outcome)> {
		self.state.read().outcomes.get(&deal).cloned()
	}

	/// Counts.
	pub fn stats(&self) -> KvStats {
		let s = self.state.read();
		KvStats { next: s.next, applied: s.applied, rejected: s.rejected, skipped: s.skipped }
	}

	/// The value of `key` at version `at` (latest when `None`).
	pub fn get(&self, stream: &StreamId, key: &[u8], at: Option<Version>) -> Option<Found> {
		let state = self.state.read();
		let history = state.values.get(&(*stream, key.to_vec()))?;
		value_at(key, history, at)
	}

	/// The first key after `key` (`forward`) or before it, with a value at `at`; `key` of
	/// `None` starts at the stream's first (or last) key.
	pub fn seek(
		&self,
		stream: &StreamId,
		key: Option<&[u8]>,
		forward: bool,
		at: Option<Version>,
	) -> Option<Found> {
		use std::ops::Bound::{Excluded, Included, Unbounded};
		let state = self.state.read();
		let low = (*stream, Vec::new());
		let range = match (key, forward) {
			(Some(k), true) => state.values.range((Excluded((*stream, k.to_vec())), Unbounded)),
			(None, true) => state.values.range((Included(low), Unbounded)),
			(Some(k), false) => {
				state.values.range((Included(low), Excluded((*stream, k.to_vec()))))
			},
			(None, false) => state.values.range((Included(low), Unbounded)),
		};
		let mut in_stream = range.take_while(|((s, _), _)| s == stream);
		let pick = |(k, history): (&(StreamId, Vec<u8>), &Vec<(Version, Vec<u8>)>)| {
			value_at(&k.1, history, at)
		};
		if forward {
			in_stream.find_map(&pick)
		} else {
			in_stream.collect::<Vec<_>>().into_iter().rev().find_map(pick)
		}
	}
}

fn value_at(key: &[u8], history: &[(Version, Vec<u8>)], at: Option<Version>) -> Option<Found> {
	let (version, value) = history.iter().rev().find(|(v, _)| at.is_none_or(|at| *v <= at))?;
	Some(Found { key: key.to_vec(), value: value.clone(), version: *version })
}

impl State {
	/// Applies one record (from the replayer or the durable log) and advances.
	fn replay(&mut self, record: &LogRecord) -> Outcome {
		self.next = record.version + 1 + record.span;
		// As on chain, a stream's first writer is its admin, whatever became of the entry.
		for stream in &record.tags {
			self.acl.entry(*stream).or_insert_with(|| StreamAcl {
				admins: [record.writer].into(),
				writers: [record.writer].into(),
				..Default::default()
			});
		}
		let outcome = match &record.data {
			Err(why) => Outcome::Skipped(why.clone()),
			Ok(bytes) => match KvEntry::decode(bytes) {
				Err(e) => Outcome::Skipped(format!("not a KV entry: {e:?}")),
				Ok(entry) => match self.check(record, &entry) {
					Ok(acl) => {
						for (stream, key, value) in entry.writes {
							self.values
								.entry((stream, key))
								.or_default()
								.push((record.version, value));
						}
						self.acl.extend(acl);
						Outcome::Applied
					},
					Err(why) => Outcome::Rejected(why),
				},
			},
		};
		match outcome {
			Outcome::Applied => self.applied += 1,
			Outcome::Rejected(_) => self.rejected += 1,
			Outcome::Skipped(_) => self.skipped += 1,
		}
		self.outcomes.insert(record.deal, (record.version, outcome.clone()));
		outcome
	}

	/// Checks an entry; returns the ACLs of its streams after it.
	fn check(
		&self,
		record: &LogRecord,
		entry: &KvEntry,
	) -> Result<HashMap<StreamId, StreamAcl>, String> {
		let who = record.writer;
		let short = |s: &StreamId| format!("0x{}", hex::encode(&s[..4]));
		let touched = entry
			.writes
			.iter()
			.map(|w| &w.0)
			.chain(entry.acl.iter().map(|a| &a.0))
			.chain(entry.reads.iter().map(|r| &r.0));
		for stream in touched {
			if !record.tags.contains(stream) {
				return Err(format!("stream {} is not among the entry's tags", short(stream)));
			}
		}
		if let Some(based_on) = entry.based_on {
			for (stream, key) in &entry.reads {
				let last = self
					.values
					.get(&(*stream, key.clone()))
					.and_then(|h| h.last())
					.map(|(v, _)| *v);
				if last.is_some_and(|v| v > based_on) {
					return Err(format!(
						"read conflict: key {} changed at version {} after {based_on}",
						hex::encode(key),
						last.unwrap_or(0)
					));
				}
			}
		}
		let mut acl: HashMap<StreamId, StreamAcl> = HashMap::new();
		for stream in &record.tags {
			acl.insert(*stream, self.acl.get(stream).cloned().unwrap_or_default());
		}
		for (stream, op) in &entry.acl {
			let a = acl.get_mut(stream).expect("tagged streams are staged");
			let admin = a.admins.contains(&who);
			let need_admin = || {
				if admin {
					Ok(())
				} else {
					Err(format!("{op:?} on {} needs an admin", short(stream)))
				}
			};
			match op {
				AclOp::GrantAdmin(x) => need_admin().map(|_| a.admins.insert(*x)).map(drop)?,
				AclOp::RenounceAdmin => drop(a.admins.remove(&who)),
				AclOp::GrantWriter(x) => need_admin().map(|_| a.writers.insert(*x)).map(drop)?,
				AclOp::RevokeWriter(x) => need_admin().map(|_| a.writers.remove(x)).map(drop)?,
				AclOp::RenounceWriter => {
					a.writers.remove(&who);
				},
				AclOp::GrantSpecialWriter(x, k) => {
					need_admin().map(|_| a.special_writers.insert((k.clone(), *x))).map(drop)?
				},
				AclOp::RevokeSpecialWriter(x, k) => {
					need_admin().map(|_| a.special_writers.remove(&(k.clone(), *x))).map(drop)?
				},
				AclOp::RenounceSpecialWriter(k) => {
					a.special_writers.remove(&(k.clone(), who));
				},
				AclOp::SetKeyToSpecial(k) => {
					need_admin().map(|_| a.special_keys.insert(k.clone())).map(drop)?
				},
				AclOp::SetKeyToNormal(k) => {
					need_admin().map(|_| a.special_keys.remove(k)).map(drop)?
				},
			}
		}
		for (stream, key, _) in &entry.writes {
			let a = &acl[stream];
			let allowed = if a.special_keys.contains(key) {
				a.special_writers.contains(&(key.clone(), who))
			} else {
				a.writers.contains(&who) || a.admins.contains(&who)
			};
			if !allowed {
				return Err(format!(
					"0x{} may not write key {} of stream {}",
					hex::encode(who),
					hex::encode(key),
					short(stream)
				));
			}
		}
		Ok(acl)
	}
}
