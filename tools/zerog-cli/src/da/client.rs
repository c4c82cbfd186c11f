//! Submitting a blob and getting one back, as `da submit`, `da get` and `da bench` do: the
//! bytes go to the node (raw over the data path when it is reachable, else hex in
//! `da_submitBlob`), the node's commitment is checked against one computed here, the payer
//! signs `da.submit_blob`, and the client waits until the chain says the blob is available.

use crate::{
	chain::{signed_extrinsic, Chain},
	data_path::DataPath,
	error::{CliError, CliResult},
	progress::Progress,
};
use sp_core::{sr25519, Bytes, Pair};
use std::time::{Duration, Instant};
use zerog_erasure::MAX_BLOB_SIZE;
use zerog_rpc_api::da::{BlobRef, DaApiClient, SubmittedBlob};
use zerog_runtime::{Nonce, RuntimeCall, SigningContext, UncheckedExtrinsic};

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

/// The node's data path, if it serves one (`da_info`).
pub fn data_path(chain: &Chain) -> Option<DataPath> {
	let info = chain.call(chain.rpc().info()).ok()?;
	info.blob_http_port.map(|port| DataPath::new(chain, port))
}

/// Uploads `data`, coding it here meanwhile to check the node's commitment when `verify`
/// (the bench leaves that out: on one machine it takes a core from the node).
pub fn upload(
	chain: &Chain,
	data: &[u8],
	verify: bool,
	progress: &Progress,
) -> CliResult<Uploaded> {
	if data.is_empty() || data.len() > MAX_BLOB_SIZE as usize {
		return Err(CliError::BadInput(format!(
			"the blob is {} bytes; a blob holds 1 to {MAX_BLOB_SIZE} bytes",
			data.len()
		)));
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
		let uploaded = send_blob(chain, data, progress).map(|answer| (answer, t.elapsed()));
		(local.join().expect("the encoding thread does not panic"), uploaded)
	});
	let (answer, upload) = uploaded?;
	let (commitment, local_encode) = local;
	let commitment = match commitment {
		Some(local) => local.map_err(|e| CliError::BadInput(format!("encoding failed: {e:?}")))?,
		None => codec::Decode::decode(&mut &answer.commitment[..])
			.map_err(|e| CliError::Mismatch(format!("bad commitment from the node: {e}")))?,
	};
	let root = format!("0x{}", hex::encode(commitment.root));
	if answer.root != root {
		return Err(CliError::Mismatch(format!(
			"the node committed to {} but the blob's root is {root}",
			answer.root
		)));
	}
	progress.stage(&format!("uploaded and coded {} bytes, root {root}", data.len()));
	Ok(Uploaded { commitment, root, answer, upload, local_encode })
}

/// Sends the blob as raw bytes over the data path when the node offers one, else as hex in
/// `da_submitBlob`; returns the node's answer.
fn send_blob(chain: &Chain, data: &[u8], progress: &Progress) -> CliResult<SubmittedBlob> {
	if let Some(path) = data_path(chain) {
		let sent = progress.sender("upload", data.len() as u64);
		match path.post("/blobs", hyper::body::Bytes::copy_from_slice(data), sent) {
			Ok(answer) => {
				let body = answer.ok()?;
				return serde_json::from_slice(&body).map_err(|e| {
					crate::error::DataPathError::Malformed(format!("bad /blobs answer: {e}")).into()
				});
			},
			// Not reachable from here (another host): use the RPC.
			Err(e) => log::debug!("blob data path unreachable ({e}); using da_submitBlob"),
		}
	}
	Ok(chain.call(chain.rpc().submit_blob(Bytes(data.to_vec())))?)
}

/// A `submit_blob` transaction on its way.
pub struct Sent {
	/// The transaction.
	pub xt: UncheckedExtrinsic,
	/// Best block when it was sent (its inclusion is searched from there).
	pub from: u32,
	/// When it was sent.
	pub at: Instant,
}

/// Signs and sends `submit_blob` for an uploaded blob.
pub fn send_submit(
	chain: &Chain,
	signer: &sr25519::Pair,
	nonce: Nonce,
	context: SigningContext,
	uploaded: &Uploaded,
) -> CliResult<Sent> {
	let call =
		RuntimeCall::Da(pallet_da::Call::submit_blob { commitment: uploaded.commitment.clone() });
	let xt = signed_extrinsic(call, signer, None, nonce, context);
	let from = chain.best_number()?;
	let at = Instant::now();
	chain
		.submit(&xt)
		.map_err(|source| CliError::Refused { what: "submit_blob", source })?;
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
	chain: &Chain,
	root: &str,
	sent: &Sent,
	timeout: Duration,
	progress: &Progress,
) -> CliResult<Availability> {
	let deadline = Instant::now() + timeout;
	let mut included: Option<(u32, Duration)> = None;
	let mut searched_to = sent.from;
	loop {
		if Instant::now() > deadline {
			return Err(CliError::TimedOut {
				what: format!("blob {root} not available"),
				after: timeout,
			});
		}
		if included.is_none() {
			if let Some((number, hash, index)) = chain.find_inclusion(&sent.xt, searched_to)? {
				if let Some(reason) = chain.dispatch_failure(hash, index)? {
					return Err(CliError::Failed { what: "submit_blob", block: number, reason });
				}
				included = Some((number, sent.at.elapsed()));
				progress.stage(&format!("included in block {number}"));
			} else {
				searched_to = chain.best_number()?.max(sent.from);
			}
		}
		if let Some((included_in, inclusion)) = included {
			let status = chain.call(chain.rpc().blob_status(BlobRef::Root(root.to_string())))?;
			match status.status.as_str() {
				"available" => {
					let available_at = chain.best_number()?;
					progress.stage(&format!("available at block {available_at}"));
					let id = status.id.unwrap_or_default();
					return Ok(Availability { id, included_in, inclusion, available_at });
				},
				"uploaded" => {
					return Err(CliError::Mismatch(format!(
						"blob {root} was dropped: not attested in time"
					)))
				},
				_ => {},
			}
		}
		std::thread::sleep(Duration::from_millis(100));
	}
}

/// Uploads, signs, submits and waits until the blob is available.
pub fn submit_blob(
	chain: &Chain,
	signer: &sr25519::Pair,
	data: &[u8],
	verify: bool,
	timeout: Duration,
	progress: &Progress,
) -> CliResult<SubmitReport> {
	let started = Instant::now();
	let uploaded = upload(chain, data, verify, progress)?;
	let context = chain.signing_context()?;
	let nonce = chain.next_nonce(&signer.public().into())?;
	let sent = send_submit(chain, signer, nonce, context, &uploaded)?;
	progress.stage("submit_blob sent");
	let done = wait_available(chain, &uploaded.root, &sent, timeout, progress)?;
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

/// Fetches a blob by id or `0x` root; returns its bytes and how long it took.
pub fn get_blob(chain: &Chain, id: &str) -> CliResult<(Vec<u8>, Duration)> {
	let started = Instant::now();
	if let Some(path) = data_path(chain) {
		match path.get(&format!("/blobs/{id}")) {
			Ok(answer) => return Ok((answer.ok()?.to_vec(), started.elapsed())),
			Err(e) => log::debug!("blob data path unreachable ({e}); using da_getBlob"),
		}
	}
	let blob = match id.parse::<u64>() {
		Ok(n) => BlobRef::Id(n),
		Err(_) => BlobRef::Root(id.to_string()),
	};
	let bytes = chain.call(chain.rpc().get_blob(blob))?;
	Ok((bytes.0, started.elapsed()))
}
