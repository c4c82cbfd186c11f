//! `zerog-node da`: submit a blob and wait until it is available, fetch one back, or
//! measure the DA data path of a running node.

use crate::chain_rpc::{self, SigningContext};
use sp_core::{sr25519, Pair};
use std::{
	io::{IsTerminal, Write},
	path::PathBuf,
	time::{Duration, Instant},
};
use zerog_da_service::{
	http::{from_hex, Client, RpcError},
	rpc::SubmittedBlob,
};
use zerog_erasure::MAX_BLOB_SIZE;
use zerog_runtime::RuntimeCall;

/// DA client commands (they talk to a node over RPC).
#[derive(Debug, clap::Subcommand)]
pub enum DaCmd {
	/// Encode, upload, sign and submit a blob, then wait until it is available.
	Submit(SubmitCmd),
	/// Fetch a blob (rebuilt from any 1,024 chunks) into a file.
	Get(GetCmd),
	/// Measure submit-to-available time, ingest and retrieval speed for 1, 8 and 32 MiB.
	Bench(BenchCmd),
}

/// Where the node is.
#[derive(Debug, Clone, clap::Args)]
pub struct RpcArgs {
	/// The node's RPC URL (`ws://` or `http://`).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub rpc: String,
}

/// `da submit`.
#[derive(Debug, clap::Args)]
pub struct SubmitCmd {
	/// The blob (at most 32,505,852 bytes).
	pub file: PathBuf,
	/// Secret URI of the paying account (`//Alice`, a mnemonic, `0x` seed).
	#[arg(long)]
	pub suri: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Seconds to wait for availability.
	#[arg(long, default_value_t = 300)]
	pub timeout: u64,
	/// Print the result as one JSON object.
	#[arg(long)]
	pub json: bool,
}

/// `da get`.
#[derive(Debug, clap::Args)]
pub struct GetCmd {
	/// The blob: its id, or its root (`0x` + 64 hex digits).
	pub id: String,
	/// Where to write it.
	#[arg(short, long)]
	pub output: PathBuf,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
}

/// `da bench`.
#[derive(Debug, clap::Args)]
pub struct BenchCmd {
	/// Secret URI of the paying account.
	#[arg(long, default_value = "//Alice")]
	pub suri: String,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Blob sizes in MiB (a "32" means the largest blob, 32,505,852 bytes).
	#[arg(long, value_delimiter = ',', default_value = "1,8,32")]
	pub sizes: Vec<u32>,
	/// Blobs per size.
	#[arg(long, default_value_t = 3)]
	pub count: u32,
}

/// A failed command, in words.
pub type CmdResult<T> = Result<T, String>;

/// An RPC error in words.
pub fn rpc_err(e: RpcError) -> String {
	e.to_string()
}

/// What one submission took.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitReport {
	/// On-chain id.
	pub id: u64,
	/// Commitment root.
	pub root: String,
	/// Blob size.
	pub size: u32,
	/// Block that included `submit_blob`.
	pub included_in: u32,
	/// Block at which it was seen available.
	pub available_at: u32,
	/// Hex-encoding and sending the request, with the node's coding and storing.
	pub upload_ms: u64,
	/// Moving the bytes: upload time less the node's coding, hashing and disk time.
	pub transfer_ms: u64,
	/// The node's erasure coding.
	pub node_encode_ms: u64,
	/// The node's Merkle tree and proofs.
	pub node_hash_ms: u64,
	/// The node's disk writes.
	pub node_store_ms: u64,
	/// The same coding done here, to check the node's commitment.
	pub local_encode_ms: u64,
	/// From sending the extrinsic to its inclusion.
	pub inclusion_ms: u64,
	/// From inclusion to availability (chunk exchange, attestations).
	pub attest_ms: u64,
	/// From reading the file to availability.
	pub total_ms: u64,
}

/// A progress line on stderr (a bar when stderr is a terminal).
pub struct Progress {
	tty: bool,
	started: Instant,
}

impl Progress {
	/// A progress line starting now.
	pub fn new() -> Self {
		Progress { tty: std::io::stderr().is_terminal(), started: Instant::now() }
	}

	/// Shows `done` of `total` bytes.
	pub fn bytes(&self, what: &str, done: u64, total: u64) {
		if !self.tty {
			return;
		}
		let width = 30;
		let filled = (done * width / total.max(1)) as usize;
		let secs = self.started.elapsed().as_secs_f64().max(1e-3);
		eprint!(
			"\r{what:<10} [{}{}] {:>5.1}/{:.1} MiB {:>6.1} MiB/s",
			"#".repeat(filled),
			"-".repeat(width as usize - filled),
			done as f64 / 1048576.0,
			total as f64 / 1048576.0,
			done as f64 / 1048576.0 / secs
		);
		let _ = std::io::stderr().flush();
	}

	/// Prints a finished stage.
	pub fn stage(&self, text: &str) {
		if self.tty {
			eprint!("\r\x1b[2K");
		}
		eprintln!("[{:>6.2} s] {text}", self.started.elapsed().as_secs_f64());
	}
}

/// A blob the node has coded and stored, not yet on chain.
pub struct Uploaded {
	/// Its commitment, computed here and checked against the node's.
	pub commitment: zerog_erasure::BlobCommitment,
	/// Its root, `0x` hex.
	pub root: String,
	/// The node's answer.
	pub answer: SubmittedBlob,
	/// Time to send it and get the answer (the node codes and stores meanwhile).
	pub upload: Duration,
	/// Time of the local coding.
	pub local_encode: Duration,
}

/// Uploads `data` with `da_submitBlob`, coding it here meanwhile to check the node's
/// commitment when `verify` (the bench leaves that out: on one machine it takes a core from
/// the node).
pub fn upload(rpc: &Client, data: &[u8], verify: bool, progress: &Progress) -> CmdResult<Uploaded> {
	if data.is_empty() || data.len() > MAX_BLOB_SIZE as usize {
		return Err(format!(
			"the blob is {} bytes; a blob holds 1 to {MAX_BLOB_SIZE} bytes",
			data.len()
		));
	}
	let (local, uploaded) = std::thread::scope(|scope| {
		let local = scope.spawn(move || {
			let t = Instant::now();
			if !verify {
				return (None, t.elapsed());
			}
			let encoded = zerog_erasure::encode_blob(data, zerog_erasure::CodecId::ReedSolomonSimd);
			(Some(encoded.map(|e| e.commitment)), t.elapsed())
		});
		let t = Instant::now();
		let uploaded = send_blob(rpc, data, progress).map(|v| (v, t.elapsed()));
		(local.join().expect("encoding thread"), uploaded)
	});
	let (value, upload) = uploaded?;
	let answer: SubmittedBlob =
		serde_json::from_value(value).map_err(|e| format!("bad da_submitBlob answer: {e}"))?;
	let (commitment, local_encode) = local;
	let commitment = match commitment {
		Some(local) => local.map_err(|e| format!("encoding failed: {e:?}"))?,
		None => codec::Decode::decode(&mut &answer.commitment[..])
			.map_err(|e| format!("bad commitment from the node: {e}"))?,
	};
	let root = format!("0x{}", hex::encode(commitment.root));
	if answer.root != root {
		return Err(format!("the node committed to {} but the blob's root is {root}", answer.root));
	}
	progress.stage(&format!("uploaded and coded {} bytes, root {root}", data.len()));
	Ok(Uploaded { commitment, root, answer, upload, local_encode })
}

/// The port of the node's raw-byte data path, if it serves one (`da_info`).
pub fn blob_http(rpc: &Client) -> Option<Client> {
	let info = rpc.call("da_info", serde_json::json!([])).ok()?;
	info["blobHttpPort"].as_u64().map(|port| rpc.with_port(port as u16))
}

/// A JSON error answer of the binary path, as the RPC would have given it.
pub fn http_error(status: u16, body: &[u8]) -> String {
	match serde_json::from_slice::<serde_json::Value>(body) {
		Ok(v) => {
			format!("{} ({status}, code {})", v["message"].as_str().unwrap_or_default(), v["code"])
		},
		Err(_) => format!("HTTP {status}: {}", String::from_utf8_lossy(body)),
	}
}

/// Sends the blob as raw bytes over the binary path when the node offers one, else as hex
/// in `da_submitBlob`; returns the node's answer.
fn send_blob(rpc: &Client, data: &[u8], progress: &Progress) -> CmdResult<serde_json::Value> {
	let mut show = |done, total| progress.bytes("upload", done, total);
	if let Some(binary) = blob_http(rpc) {
		match binary.post_raw("/blobs", data, &mut show) {
			Ok((200, body)) => {
				return serde_json::from_slice(&body).map_err(|e| format!("bad answer: {e}"))
			},
			Ok((status, body)) => return Err(http_error(status, &body)),
			// Not reachable from here (another host): use the RPC.
			Err(e) => log::debug!("binary blob path unreachable ({e}); using da_submitBlob"),
		}
	}
	rpc.call_with_bytes("da_submitBlob", data, &mut show).map_err(rpc_err)
}

/// A `submit_blob` transaction on its way.
pub struct Sent {
	/// The transaction.
	pub xt: zerog_runtime::UncheckedExtrinsic,
	/// Best block when it was sent (its inclusion is searched from there).
	pub from: u32,
	/// When it was sent.
	pub at: Instant,
}

/// Signs and sends `submit_blob` for an uploaded blob.
pub fn send_submit(
	rpc: &Client,
	signer: &sr25519::Pair,
	nonce: zerog_runtime::Nonce,
	context: SigningContext,
	uploaded: &Uploaded,
) -> CmdResult<Sent> {
	let call =
		RuntimeCall::Da(pallet_da::Call::submit_blob { commitment: uploaded.commitment.clone() });
	let xt = chain_rpc::signed_extrinsic(call, signer, None, nonce, context);
	let from = chain_rpc::best_number(rpc).map_err(rpc_err)?;
	let at = Instant::now();
	chain_rpc::submit(rpc, &xt).map_err(|e| format!("submit_blob refused: {e}"))?;
	Ok(Sent { xt, from, at })
}

/// Where a submitted blob ended.
pub struct Availability {
	/// Its id.
	pub id: u64,
	/// Block that included `submit_blob`.
	pub included_in: u32,
	/// Time from sending to inclusion.
	pub inclusion: Duration,
	/// Best block when it was seen available.
	pub available_at: u32,
}

/// Waits until the blob of `sent` is included and available; a clear error if the
/// transaction failed, the blob was dropped, or `timeout` passed.
pub fn wait_available(
	rpc: &Client,
	root: &str,
	sent: &Sent,
	timeout: Duration,
	progress: &Progress,
) -> CmdResult<Availability> {
	let deadline = Instant::now() + timeout;
	let mut included: Option<(u32, Duration)> = None;
	let mut searched_to = sent.from;
	loop {
		if Instant::now() > deadline {
			return Err(format!("blob {root} not available after {timeout:?}"));
		}
		if included.is_none() {
			if let Some((number, hash, index)) =
				chain_rpc::find_inclusion(rpc, &sent.xt, searched_to).map_err(rpc_err)?
			{
				if let Some(why) = chain_rpc::dispatch_failure(rpc, hash, index).map_err(rpc_err)? {
					return Err(format!("submit_blob failed in block {number}: {why}"));
				}
				included = Some((number, sent.at.elapsed()));
				progress.stage(&format!("included in block {number}"));
			} else {
				searched_to = chain_rpc::best_number(rpc).map_err(rpc_err)?.max(sent.from);
			}
		}
		if let Some((included_in, inclusion)) = included {
			let status = rpc.call("da_blobStatus", serde_json::json!([root])).map_err(rpc_err)?;
			match status["status"].as_str() {
				Some("available") => {
					let available_at = chain_rpc::best_number(rpc).map_err(rpc_err)?;
					progress.stage(&format!("available at block {available_at}"));
					let id = status["id"].as_u64().unwrap_or_default();
					return Ok(Availability { id, included_in, inclusion, available_at });
				},
				Some("uploaded") => {
					return Err(format!("blob {root} was dropped: not attested in time"))
				},
				_ => {},
			}
		}
		std::thread::sleep(Duration::from_millis(100));
	}
}

/// Uploads, signs, submits and waits until the blob is available.
pub fn submit_blob(
	rpc: &Client,
	signer: &sr25519::Pair,
	data: &[u8],
	verify: bool,
	timeout: Duration,
	progress: &Progress,
) -> CmdResult<SubmitReport> {
	let started = Instant::now();
	let uploaded = upload(rpc, data, verify, progress)?;
	let context = SigningContext::fetch(rpc).map_err(rpc_err)?;
	let nonce = chain_rpc::next_nonce(rpc, &signer.public().into()).map_err(rpc_err)?;
	let sent = send_submit(rpc, signer, nonce, context, &uploaded)?;
	progress.stage("submit_blob sent");
	let done = wait_available(rpc, &uploaded.root, &sent, timeout, progress)?;
	let timings = &uploaded.answer.timings;
	let node_ms = |key: &str| timings[key].as_u64().unwrap_or_default();
	let node_work = node_ms("encodeMs") + node_ms("hashMs") + node_ms("storeMs");
	Ok(SubmitReport {
		id: done.id,
		root: uploaded.root.clone(),
		size: uploaded.commitment.size,
		included_in: done.included_in,
		available_at: done.available_at,
		upload_ms: uploaded.upload.as_millis() as u64,
		transfer_ms: (uploaded.upload.as_millis() as u64).saturating_sub(node_work),
		node_encode_ms: node_ms("encodeMs"),
		node_hash_ms: node_ms("hashMs"),
		node_store_ms: node_ms("storeMs"),
		local_encode_ms: uploaded.local_encode.as_millis() as u64,
		inclusion_ms: done.inclusion.as_millis() as u64,
		attest_ms: (sent.at.elapsed() - done.inclusion).as_millis() as u64,
		total_ms: started.elapsed().as_millis() as u64,
	})
}

/// Fetches a blob; returns its bytes and how long it took.
pub fn get_blob(rpc: &Client, id: &str) -> CmdResult<(Vec<u8>, Duration)> {
	let blob = match id.parse::<u64>() {
		Ok(n) => serde_json::json!(n),
		Err(_) => serde_json::json!(id),
	};
	let started = Instant::now();
	if let Some(binary) = blob_http(rpc) {
		match binary.get_raw(&format!("/blobs/{id}")) {
			Ok((200, bytes)) => return Ok((bytes, started.elapsed())),
			Ok((status, body)) => return Err(http_error(status, &body)),
			Err(e) => log::debug!("binary blob path unreachable ({e}); using da_getBlob"),
		}
	}
	let value = rpc.call("da_getBlob", serde_json::json!([blob])).map_err(rpc_err)?;
	let bytes = from_hex(&value).map_err(rpc_err)?;
	Ok((bytes, started.elapsed()))
}

/// The sr25519 key of a secret URI.
pub fn signer(suri: &str) -> CmdResult<sr25519::Pair> {
	sr25519::Pair::from_string(suri, None).map_err(|e| format!("bad --suri: {e:?}"))
}

impl DaCmd {
	/// Runs the command.
	pub fn run(&self) -> sc_cli::Result<()> {
		self.run_inner().map_err(sc_cli::Error::Input)
	}

	fn run_inner(&self) -> CmdResult<()> {
		match self {
			DaCmd::Submit(cmd) => {
				let data =
					std::fs::read(&cmd.file).map_err(|e| format!("{}: {e}", cmd.file.display()))?;
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let progress = Progress::new();
				let timeout = Duration::from_secs(cmd.timeout);
				let report =
					submit_blob(&rpc, &signer(&cmd.suri)?, &data, true, timeout, &progress)?;
				if cmd.json {
					println!("{}", serde_json::to_string(&report).expect("serializable"));
				} else {
					println!("blob id: {}", report.id);
					println!("root: {}", report.root);
					println!("size: {} bytes", report.size);
					println!(
						"included in block {}, available at block {}",
						report.included_in, report.available_at
					);
					println!(
						"timings: upload {} ms (transfer {} ms; node: encode {} ms, hash {} ms, \
                         store {} ms), inclusion {} ms, attestation {} ms, total {} ms",
						report.upload_ms,
						report.transfer_ms,
						report.node_encode_ms,
						report.node_hash_ms,
						report.node_store_ms,
						report.inclusion_ms,
						report.attest_ms,
						report.total_ms
					);
				}
				Ok(())
			},
			DaCmd::Get(cmd) => {
				let rpc = Client::new(&cmd.rpc.rpc).map_err(rpc_err)?;
				let (bytes, took) = get_blob(&rpc, &cmd.id)?;
				std::fs::write(&cmd.output, &bytes)
					.map_err(|e| format!("{}: {e}", cmd.output.display()))?;
				println!(
					"wrote {} bytes to {} in {} ms ({:.1} MiB/s)",
					bytes.len(),
					cmd.output.display(),
					took.as_millis(),
					bytes.len() as f64 / 1048576.0 / took.as_secs_f64().max(1e-6)
				);
				Ok(())
			},
			DaCmd::Bench(cmd) => crate::da_bench::run(cmd),
		}
	}
}
