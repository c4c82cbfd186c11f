//! `zerog-node kv`: write a KV entry (stored as a tagged file), grant a writer, read a key,
//! list a stream. Reads need a node running `--kv`.

use crate::{
	da_cli::{rpc_err, signer, CmdResult, Progress, RpcArgs},
	storage_cli::upload_fragment,
};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
use std::time::{Duration, Instant};
use zerog_da_service::http::Client;
use zerog_erasure::kv::{AclOp, KvEntry};

/// KV client commands.
#[derive(Debug, clap::Subcommand)]
pub enum KvCmd {
	/// Write `KEY = VALUE` to a stream (a KV entry file, paid for one replica and one day)
	/// and wait for the KV node's verdict.
	Put(PutCmd),
	/// Let an account write a stream (the writer must be the stream's admin).
	Grant(GrantCmd),
	/// Read a key (at a version).
	Get(GetCmd),
	/// List a stream's keys in order (at a version).
	Iter(IterCmd),
	/// Measure `kv_get` latency under many concurrent clients (the node needs
	/// `--rpc-max-connections` above the concurrency).
	Bench(BenchCmd),
}

/// `kv bench`.
#[derive(Debug, clap::Args)]
pub struct BenchCmd {
	/// Secret URI of the account writing the key read.
	#[arg(long, default_value = "//Alice")]
	pub suri: String,
	/// The node to talk to (running `--kv`).
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Clients reading at once, each on its own connections.
	#[arg(long, default_value_t = 1000)]
	pub concurrency: usize,
	/// Requests per client.
	#[arg(long, default_value_t = 10)]
	pub requests: usize,
}

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

/// `kv put`.
#[derive(Debug, clap::Args)]
pub struct PutCmd {
	/// The stream: `0x` + 64 hex digits, or a name (its blake2-256 is the id).
	pub stream: String,
	/// The key (text, or `0x` hex).
	pub key: String,
	/// The value (text, or `0x` hex).
	pub value: String,
	/// Refuse the write if these keys changed after version `--based-on`.
	#[arg(long = "read")]
	pub reads: Vec<String>,
	/// The version the reads were made at.
	#[arg(long)]
	pub based_on: Option<u64>,
	/// Writer, node and output.
	#[command(flatten)]
	pub write: WriteArgs,
}

/// `kv grant`.
#[derive(Debug, clap::Args)]
pub struct GrantCmd {
	/// The stream.
	pub stream: String,
	/// The account made a writer (SS58 or `0x` + 64 hex digits).
	pub account: String,
	/// Writer, node and output.
	#[command(flatten)]
	pub write: WriteArgs,
}

/// `kv get`.
#[derive(Debug, clap::Args)]
pub struct GetCmd {
	/// The stream.
	pub stream: String,
	/// The key.
	pub key: String,
	/// Read at this version (the state right after that entry).
	#[arg(long)]
	pub at: Option<u64>,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

/// `kv iter`.
#[derive(Debug, clap::Args)]
pub struct IterCmd {
	/// The stream.
	pub stream: String,
	/// Start after this key.
	#[arg(long)]
	pub from: Option<String>,
	/// Read at this version.
	#[arg(long)]
	pub at: Option<u64>,
	/// Most keys listed.
	#[arg(long, default_value_t = 100)]
	pub limit: u32,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

/// A stream id from `0x` + 64 hex digits, or the blake2-256 of a name.
pub fn stream_id(text: &str) -> [u8; 32] {
	text.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.and_then(|b| b.try_into().ok())
		.unwrap_or_else(|| sp_io::hashing::blake2_256(text.as_bytes()))
}

/// Bytes of a key or value: `0x` hex, else the text's UTF-8.
pub fn text_bytes(text: &str) -> Vec<u8> {
	text.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.unwrap_or_else(|| text.as_bytes().to_vec())
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Stores `entry` tagged with `stream`, then waits for the KV node's verdict on it.
pub fn write_entry(args: &WriteArgs, stream: [u8; 32], entry: &KvEntry) -> CmdResult<Value> {
	let rpc = Client::new(&args.rpc.rpc).map_err(rpc_err)?;
	let bytes = entry.encode().map_err(|e| format!("{e:?}"))?;
	let timeout = Duration::from_secs(args.timeout);
	let tags = vec![pallet_storage::Tag::KvStream(stream)];
	let report =
		upload_fragment(&rpc, &signer(&args.suri)?, &bytes, tags, 1, 1, timeout, &Progress::new())?;
	let started = Instant::now();
	loop {
		match rpc.call("kv_entry", json!([report.deal])) {
			Ok(Value::Null) => {},
			Ok(status) => {
				return Ok(json!({ "deal": report.deal, "root": report.root, "entry": status }))
			},
			Err(e) => return Err(format!("the node gives no KV verdict (does it run --kv?): {e}")),
		}
		if started.elapsed() > timeout {
			return Err(format!("no KV verdict on deal {} after {timeout:?}", report.deal));
		}
		std::thread::sleep(Duration::from_millis(250));
	}
}

fn print_write(args: &WriteArgs, result: Value) -> CmdResult<()> {
	let outcome = result["entry"]["outcome"].as_str().unwrap_or_default().to_string();
	if args.json {
		println!("{result}");
	} else {
		println!(
			"deal {}: {outcome} at version {}{}",
			result["deal"],
			result["entry"]["version"],
			result["entry"]["reason"]
				.as_str()
				.map(|r| format!(" ({r})"))
				.unwrap_or_default()
		);
	}
	if outcome == "applied" {
		Ok(())
	} else {
		Err(format!("the KV node did not apply the entry: {outcome}"))
	}
}

impl KvCmd {
	/// Runs the command.
	pub fn run(&self) -> sc_cli::Result<()> {
		self.run_inner().map_err(sc_cli::Error::Input)
	}

	fn run_inner(&self) -> CmdResult<()> {
		match self {
			KvCmd::Put(cmd) => {
				let stream = stream_id(&cmd.stream);
				let entry = KvEntry {
					based_on: cmd.based_on,
					reads: cmd.reads.iter().map(|k| (stream, text_bytes(k))).collect(),
					writes: vec![(stream, text_bytes(&cmd.key), text_bytes(&cmd.value))],
					acl: Vec::new(),
				};
				print_write(&cmd.write, write_entry(&cmd.write, stream, &entry)?)
			},
			KvCmd::Grant(cmd) => {
				let stream = stream_id(&cmd.stream);
				let account: [u8; 32] = match cmd.account.strip_prefix("0x") {
					Some(h) => {
						hex::decode(h).ok().and_then(|b| b.try_into().ok()).ok_or("bad account")?
					},
					None => sp_core::crypto::AccountId32::from_ss58check(&cmd.account)
						.map_err(|e| format!("bad account {}: {e:?}", cmd.account))?
						.into(),
				};
				let entry = KvEntry {
					acl: vec![(stream, AclOp::GrantWriter(account))],
					..Default::default()
				};
				print_write(&cmd.write, write_entry(&cmd.write, stream, &entry)?)
			},
			KvCmd::Get(cmd) => {
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let params =
					json!([hex0x(&stream_id(&cmd.stream)), hex0x(&text_bytes(&cmd.key)), cmd.at]);
				let found = rpc.call("kv_get", params).map_err(rpc_err)?;
				println!("{found}");
				Ok(())
			},
			KvCmd::Bench(cmd) => crate::kv_bench::run(cmd),
			KvCmd::Iter(cmd) => {
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let stream = hex0x(&stream_id(&cmd.stream));
				let mut found = match &cmd.from {
					Some(key) => {
						rpc.call("kv_next", json!([stream, hex0x(&text_bytes(key)), cmd.at]))
					},
					None => rpc.call("kv_first", json!([stream, cmd.at])),
				}
				.map_err(rpc_err)?;
				let mut listed = 0;
				while !found.is_null() && listed < cmd.limit {
					println!("{found}");
					listed += 1;
					let key = found["key"].as_str().unwrap_or_default().to_string();
					found = rpc.call("kv_next", json!([stream, key, cmd.at])).map_err(rpc_err)?;
				}
				Ok(())
			},
		}
	}
}
