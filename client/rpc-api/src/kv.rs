//! The `kv_*` RPC methods of a KV node (`--kv`).
//!
//! | method | params | result |
//! |---|---|---|
//! | `kv_get` | stream, key, version? | `{key, value, version}` or null |
//! | `kv_next` / `kv_prev` | stream, key, version? | the entry after / before `key`, or null |
//! | `kv_first` / `kv_last` | stream, version? | the stream's first / last entry, or null |
//! | `kv_entry` | deal | `{version, outcome, reason}` of that deal's entry, or null |
//! | `kv_info` | | `{nextVersion, applied, rejected, skipped}` |
//!
//! Streams are `0x` + 64 hex digits; keys and values `0x` hex. Without a version, reads see
//! the latest state; with one, the state right after that entry.

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Serialize};
use sp_core::Bytes;

/// A key's value at a version.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KvValue {
	/// The key.
	pub key: Bytes,
	/// The value.
	pub value: Bytes,
	/// The version (KV log index) that wrote it.
	pub version: u64,
}

/// What happened to an entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KvEntryStatus {
	/// Its version.
	pub version: u64,
	/// `applied`, `rejected` or `skipped`.
	pub outcome: String,
	/// Why, when not applied.
	pub reason: Option<String>,
}

/// Answer of `kv_info`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KvInfo {
	/// The next KV log index to replay.
	pub next_version: u64,
	/// Entries applied.
	pub applied: u64,
	/// Entries refused by the rules.
	pub rejected: u64,
	/// Entries skipped (no data).
	pub skipped: u64,
}

/// KV RPC methods.
#[rpc(client, server, namespace = "kv")]
pub trait KvApi {
	/// The value of `key` (at `version`).
	#[method(name = "get")]
	fn get(&self, stream: String, key: Bytes, version: Option<u64>) -> RpcResult<Option<KvValue>>;
	/// The entry after `key`.
	#[method(name = "next")]
	fn next(&self, stream: String, key: Bytes, version: Option<u64>) -> RpcResult<Option<KvValue>>;
	/// The entry before `key`.
	#[method(name = "prev")]
	fn prev(&self, stream: String, key: Bytes, version: Option<u64>) -> RpcResult<Option<KvValue>>;
	/// The stream's first entry.
	#[method(name = "first")]
	fn first(&self, stream: String, version: Option<u64>) -> RpcResult<Option<KvValue>>;
	/// The stream's last entry.
	#[method(name = "last")]
	fn last(&self, stream: String, version: Option<u64>) -> RpcResult<Option<KvValue>>;
	/// What became of the entry of storage deal `deal`.
	#[method(name = "entry")]
	fn entry(&self, deal: u64) -> RpcResult<Option<KvEntryStatus>>;
	/// Replay progress.
	#[method(name = "info")]
	fn info(&self) -> RpcResult<KvInfo>;
}
