//! Writing KV entries and reading them back: a write is a file of one KV entry
//! (`zerog_erasure::kv`), stored with the stream's tag through the storage path, after which
//! the client waits for the KV node's verdict on it (`kv_entry`).

use crate::{
	args::{signer, RpcArgs},
	chain::Chain,
	error::{CliError, CliResult},
	progress::Progress,
	storage::client::upload_fragment,
};
use std::time::{Duration, Instant};
use zerog_erasure::kv::KvEntry;
use zerog_rpc_api::kv::{KvApiClient, KvEntryStatus};

/// What `put` and `grant` share.
#[derive(Debug, clap::Args)]
pub struct WriteArgs {
	/// Secret URI of the writer (it pays too).
	#[arg(long)]
	pub suri: String,
	/// The node to talk to (it should run `--kv` for the verdict).
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Seconds to wait for inclusion and the KV node's verdict.
	#[arg(long, default_value_t = 120)]
	pub timeout: u64,
	/// Print the result as JSON.
	#[arg(long)]
	pub json: bool,
}

/// A stream id from `0x` + 64 hex digits, or the blake2-256 of a name.
pub fn stream_id(text: &str) -> [u8; 32] {
	text.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.and_then(|b| b.try_into().ok())
		.unwrap_or_else(|| sp_crypto_hashing::blake2_256(text.as_bytes()))
}

/// Bytes of a key or value: `0x` hex, else the text's UTF-8.
pub fn text_bytes(text: &str) -> Vec<u8> {
	text.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.unwrap_or_else(|| text.as_bytes().to_vec())
}

/// `0x` hex of bytes.
pub fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// What became of a write.
#[derive(Clone, Debug, serde::Serialize)]
pub struct WriteReport {
	/// The storage deal of the entry's file.
	pub deal: u64,
	/// The entry file's root.
	pub root: String,
	/// The KV node's verdict.
	pub entry: KvEntryStatus,
}

/// Stores `entry` tagged with `stream`, then waits for the KV node's verdict on it.
pub fn write_entry(args: &WriteArgs, stream: [u8; 32], entry: &KvEntry) -> CliResult<WriteReport> {
	let payer = signer(&args.suri)?;
	let chain = Chain::connect(&args.rpc.rpc)?;
	let bytes = entry.encode().map_err(|e| CliError::BadInput(format!("{e:?}")))?;
	let timeout = Duration::from_secs(args.timeout);
	let tags = vec![pallet_storage::Tag::KvStream(stream)];
	let report = upload_fragment(&chain, &payer, &bytes, tags, 1, 1, timeout, &Progress::new())?;
	let started = Instant::now();
	loop {
		match chain.call(chain.rpc().entry(report.deal)) {
			Ok(None) => {},
			Ok(Some(entry)) => {
				return Ok(WriteReport { deal: report.deal, root: report.root, entry })
			},
			Err(e) => {
				return Err(CliError::BadInput(format!(
					"the node gives no KV verdict (does it run --kv?): {e}"
				)))
			},
		}
		if started.elapsed() > timeout {
			return Err(CliError::TimedOut {
				what: format!("no KV verdict on deal {}", report.deal),
				after: timeout,
			});
		}
		std::thread::sleep(Duration::from_millis(250));
	}
}
