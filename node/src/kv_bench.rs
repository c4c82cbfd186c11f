//! `zerog-node kv bench`: `kv_get` latency (p50, p99) under many concurrent clients, next to
//! the latency of a trivial RPC (`rpc_methods`) under the same load, measured in the same run.

use crate::{
	da_cli::{rpc_err, CmdResult},
	kv_cli::{stream_id, write_entry, BenchCmd, WriteArgs},
};
use serde_json::json;
use std::time::{Duration, Instant};
use zerog_da_service::http::Client;
use zerog_erasure::kv::KvEntry;

/// Latencies of `concurrency` clients each calling `method` `requests` times at once, the
/// failed requests (connections refused or reset under the load), and the wall time.
fn load(
	client: &Client,
	concurrency: usize,
	requests: usize,
	method: &str,
	params: serde_json::Value,
) -> CmdResult<(Vec<Duration>, usize, Duration)> {
	let started = Instant::now();
	let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
		let workers: Vec<_> = (0..concurrency)
			.map(|_| {
				let params = params.clone();
				std::thread::Builder::new()
					.stack_size(256 * 1024)
					.spawn_scoped(scope, move || {
						let (mut times, mut failed) = (Vec::with_capacity(requests), 0);
						for _ in 0..requests {
							let t = Instant::now();
							match client.call(method, params.clone()) {
								Ok(_) => times.push(t.elapsed()),
								Err(_) => failed += 1,
							}
						}
						(times, failed)
					})
					.expect("bench thread")
			})
			.collect();
		workers.into_iter().map(|w| w.join().expect("bench thread")).collect()
	});
	let took = started.elapsed();
	let failed = results.iter().map(|r| r.1).sum();
	let mut all: Vec<Duration> = results.into_iter().flat_map(|r| r.0).collect();
	all.sort();
	if all.is_empty() {
		return Err(format!("every {method} request failed"));
	}
	Ok((all, failed, took))
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
	let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
	sorted[i].as_secs_f64() * 1000.0
}

/// Runs the benchmark and prints its table.
pub fn run(cmd: &BenchCmd) -> CmdResult<()> {
	let client = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
	let stream = stream_id("zerog-kv-bench");
	let value = vec![7u8; 256];
	let args = WriteArgs { suri: cmd.suri.clone(), rpc: cmd.rpc.clone(), timeout: 120, json: true };
	let entry = KvEntry {
		writes: vec![(stream, b"bench-key".to_vec(), value.clone())],
		..Default::default()
	};
	let written = write_entry(&args, stream, &entry)?;
	if written["entry"]["outcome"] != "applied" {
		return Err(format!("the bench key was not applied: {written}"));
	}
	let get = json!([
		format!("0x{}", hex::encode(stream)),
		format!("0x{}", hex::encode(b"bench-key")),
		null
	]);
	let found = client.call("kv_get", get.clone()).map_err(rpc_err)?;
	if found.is_null() {
		return Err("kv_get does not find the bench key".into());
	}
	println!(
		"| request | concurrency | answered | failed | p50 ms | p99 ms | max ms | answered/s |"
	);
	println!("|---|---|---|---|---|---|---|---|");
	for (name, method, params) in [
		("rpc_methods (baseline)", "rpc_methods", json!([])),
		("kv_get (256-byte value)", "kv_get", get),
	] {
		let (times, failed, took) = load(&client, cmd.concurrency, cmd.requests, method, params)?;
		println!(
			"| {name} | {} | {} | {failed} | {:.2} | {:.2} | {:.2} | {:.0} |",
			cmd.concurrency,
			times.len(),
			pct(&times, 0.50),
			pct(&times, 0.99),
			pct(&times, 1.0),
			times.len() as f64 / took.as_secs_f64()
		);
	}
	Ok(())
}
