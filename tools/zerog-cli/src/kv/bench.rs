//! `kv bench`: `kv_get` latency (p50, p99) under many concurrent clients, each on a
//! WebSocket connection of its own, next to the latency of a trivial RPC (`rpc_methods`)
//! under the same load, measured in the same run.

use crate::{
	args::RpcArgs,
	chain::Chain,
	error::{CliError, CliResult},
	kv::client::{hex0x, stream_id, write_entry, WriteArgs},
};
use jsonrpsee::{
	core::client::{ClientT, Error as ClientError},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use sp_core::Bytes;
use std::time::{Duration, Instant};
use zerog_erasure::kv::KvEntry;
use zerog_rpc_api::kv::KvApiClient;

/// `kv bench`.
#[derive(Debug, clap::Args)]
pub struct BenchCmd {
	/// Secret URI of the account writing the key read.
	#[arg(long, default_value = "//Alice")]
	pub suri: String,
	/// The node to talk to (running `--kv`).
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Clients reading at once, each on a WebSocket connection of its own.
	#[arg(long, default_value_t = 1000)]
	pub concurrency: usize,
	/// Requests per client.
	#[arg(long, default_value_t = 10)]
	pub requests: usize,
}

/// The request every client sends.
#[derive(Clone)]
enum Request {
	/// `rpc_methods`: the server's own cost of an answer.
	Baseline,
	/// `kv_get` of one key.
	KvGet { stream: String, key: Bytes },
}

impl Request {
	async fn send(&self, client: &WsClient) -> Result<(), ClientError> {
		match self {
			Request::Baseline => {
				client.request::<serde_json::Value, _>("rpc_methods", rpc_params![]).await?;
			},
			Request::KvGet { stream, key } => {
				client.get(stream.clone(), key.clone(), None).await?;
			},
		}
		Ok(())
	}
}

/// One client: connects, then sends `count` requests one after the other; returns the
/// answered requests' latencies and how many failed.
async fn one_client(url: String, request: Request, count: usize) -> (Vec<Duration>, usize) {
	let Ok(client) = WsClientBuilder::default().build(&url).await else {
		return (Vec::new(), count);
	};
	let (mut times, mut failed) = (Vec::with_capacity(count), 0);
	for _ in 0..count {
		let t = Instant::now();
		match request.send(&client).await {
			Ok(()) => times.push(t.elapsed()),
			Err(_) => failed += 1,
		}
	}
	(times, failed)
}

/// Latencies of `concurrency` clients each sending `request` `requests` times at once, the
/// failed requests (connections refused or reset under the load), and the wall time.
fn load(
	chain: &Chain,
	concurrency: usize,
	requests: usize,
	request: Request,
) -> CliResult<(Vec<Duration>, usize, Duration)> {
	let started = Instant::now();
	let clients: Vec<_> = (0..concurrency)
		.map(|_| {
			chain
				.runtime()
				.spawn(one_client(chain.url().to_string(), request.clone(), requests))
		})
		.collect();
	let results = chain.block_on(futures::future::join_all(clients));
	let took = started.elapsed();
	let mut all = Vec::new();
	let mut failed = 0;
	for result in results {
		let (times, lost) = result.unwrap_or((Vec::new(), requests));
		all.extend(times);
		failed += lost;
	}
	all.sort();
	if all.is_empty() {
		return Err(CliError::Mismatch("every request failed".into()));
	}
	Ok((all, failed, took))
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
	let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
	sorted[i].as_secs_f64() * 1000.0
}

impl BenchCmd {
	/// Runs the benchmark and prints its table.
	pub fn run(&self) -> CliResult<()> {
		let stream = stream_id("zerog-kv-bench");
		let value = vec![7u8; 256];
		let args =
			WriteArgs { suri: self.suri.clone(), rpc: self.rpc.clone(), timeout: 120, json: true };
		let entry =
			KvEntry { writes: vec![(stream, b"bench-key".to_vec(), value)], ..Default::default() };
		let written = write_entry(&args, stream, &entry)?;
		if written.entry.outcome != "applied" {
			return Err(CliError::Mismatch(format!(
				"the bench key was not applied: {}",
				written.entry.outcome
			)));
		}
		let chain = Chain::connect(&self.rpc.rpc)?;
		let (stream, key) = (hex0x(&stream), Bytes(b"bench-key".to_vec()));
		if chain.call(chain.rpc().get(stream.clone(), key.clone(), None))?.is_none() {
			return Err(CliError::Mismatch("kv_get does not find the bench key".into()));
		}
		println!(
			"| request | concurrency | answered | failed | p50 ms | p99 ms | max ms | answered/s |"
		);
		println!("|---|---|---|---|---|---|---|---|");
		for (name, request) in [
			("rpc_methods (baseline)", Request::Baseline),
			("kv_get (256-byte value)", Request::KvGet { stream, key }),
		] {
			let (times, failed, took) = load(&chain, self.concurrency, self.requests, request)?;
			println!(
				"| {name} | {} | {} | {failed} | {:.2} | {:.2} | {:.2} | {:.0} |",
				self.concurrency,
				times.len(),
				pct(&times, 0.50),
				pct(&times, 0.99),
				pct(&times, 1.0),
				times.len() as f64 / took.as_secs_f64()
			);
		}
		Ok(())
	}
}
