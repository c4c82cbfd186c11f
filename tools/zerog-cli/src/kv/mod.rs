//! `kv`: write a KV entry (stored as a tagged file), grant a writer, read a key, list a
//! stream, measure reads. Reads need a node running `--kv`.

pub mod bench;
pub mod client;

use crate::{
	args::RpcArgs,
	chain::Chain,
	error::{CliError, CliResult},
};
use client::{hex0x, stream_id, text_bytes, write_entry, WriteArgs, WriteReport};
use sp_core::crypto::Ss58Codec;
use zerog_erasure::kv::{AclOp, KvEntry};
use zerog_rpc_api::kv::KvApiClient;

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
	Bench(bench::BenchCmd),
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

fn print_write(args: &WriteArgs, result: WriteReport) -> CliResult<()> {
	let outcome = result.entry.outcome.clone();
	if args.json {
		println!("{}", serde_json::to_string(&result).expect("a report serializes; qed"));
	} else {
		println!(
			"deal {}: {outcome} at version {}{}",
			result.deal,
			result.entry.version,
			result.entry.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
		);
	}
	if outcome == "applied" {
		Ok(())
	} else {
		Err(CliError::Mismatch(format!("the KV node did not apply the entry: {outcome}")))
	}
}

impl KvCmd {
	/// Runs the command.
	pub fn run(&self) -> CliResult<()> {
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
				let account: [u8; 32] =
					match cmd.account.strip_prefix("0x") {
						Some(h) => hex::decode(h).ok().and_then(|b| b.try_into().ok()).ok_or_else(
							|| CliError::BadInput(format!("bad account {}", cmd.account)),
						)?,
						None => sp_core::crypto::AccountId32::from_ss58check(&cmd.account)
							.map_err(|e| {
								CliError::BadInput(format!("bad account {}: {e:?}", cmd.account))
							})?
							.into(),
					};
				let entry = KvEntry {
					acl: vec![(stream, AclOp::GrantWriter(account))],
					..Default::default()
				};
				print_write(&cmd.write, write_entry(&cmd.write, stream, &entry)?)
			},
			KvCmd::Get(cmd) => {
				let chain = Chain::connect(&cmd.rpc.rpc)?;
				let stream = hex0x(&stream_id(&cmd.stream));
				let key = text_bytes(&cmd.key).into();
				let found = chain.call(chain.rpc().get(stream, key, cmd.at))?;
				println!("{}", serde_json::to_string(&found).expect("a value serializes; qed"));
				Ok(())
			},
			KvCmd::Iter(cmd) => {
				let chain = Chain::connect(&cmd.rpc.rpc)?;
				let stream = hex0x(&stream_id(&cmd.stream));
				let mut found = match &cmd.from {
					Some(key) => chain.call(chain.rpc().next(
						stream.clone(),
						text_bytes(key).into(),
						cmd.at,
					))?,
					None => chain.call(chain.rpc().first(stream.clone(), cmd.at))?,
				};
				let mut listed = 0;
				while let Some(value) = found {
					if listed >= cmd.limit {
						break;
					}
					println!("{}", serde_json::to_string(&value).expect("a value serializes; qed"));
					listed += 1;
					found = chain.call(chain.rpc().next(stream.clone(), value.key, cmd.at))?;
				}
				Ok(())
			},
			KvCmd::Bench(cmd) => cmd.run(),
		}
	}
}
