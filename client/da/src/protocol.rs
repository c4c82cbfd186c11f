//! Chunk exchange between nodes: a request-response protocol of sc-network (both network
//! backends), `/<genesis>/zerog-da/chunks/1`.
//!
//! A [`DaRequest::Chunks`] request names a blob root, up to [`MAX_INDICES_PER_REQUEST`]
//! chunk indices and how many chunks at most to send; the answer holds those of them the
//! peer has, with proofs, up to that many and [`MAX_RESPONSE_BYTES`]. The asking side checks
//! every chunk against the commitment before using it. A [`DaRequest::Prove`] challenge is
//! answered only by the node holding the named operator key (see [`crate::holding`]).

use crate::{
	holding::{answer_chunk_challenge, verify_chunk_holding, ChunkHoldingProof},
	metrics::Metrics,
	store::ChunkWithProof,
	ChunkStore,
};
use codec::{Decode, Encode};
use futures::stream::StreamExt;
use sc_network::{
	request_responses::{IncomingRequest, OutgoingResponse},
	service::traits::NetworkRequest,
	IfDisconnected, NetworkBackend, PeerId, ProtocolName,
};
use std::{collections::BTreeSet, sync::Arc, time::Duration};
use zerog_data_plane::{
	holding::HoldingSigner,
	request_response::{first_verified, refuse, request_response_protocol, PeerSource},
};
use zerog_erasure::{BlobCommitment, Hash, CODED_CHUNKS};

/// Largest request accepted (a root and 3,072 indices fit with room to spare).
pub const MAX_REQUEST_BYTES: u64 = 64 * 1024;
/// Largest answer sent or accepted.
pub const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// Most indices in one request.
pub const MAX_INDICES_PER_REQUEST: usize = CODED_CHUNKS as usize;
/// How long a peer has to answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Requests in flight to one peer.
const REQUESTS_IN_FLIGHT: usize = 4;

/// A request for chunks of one blob.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChunkRequest {
	/// The blob's commitment root.
	pub root: Hash,
	/// The chunk indices wanted.
	pub indices: Vec<u32>,
	/// Send at most this many (a rebuild needs only enough chunks, not all it asks about).
	pub limit: u32,
}

/// What a peer can ask.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum DaRequest {
	/// Chunks of one blob.
	Chunks(ChunkRequest),
	/// A challenge for one member: answered (with a [`ChunkHoldingProof`]) only by the node
	/// with the operator key `key`, if it holds the chunk.
	Prove {
		/// The member's operator key.
		key: [u8; 32],
		/// The blob's commitment root.
		root: Hash,
		/// The chunk index.
		index: u32,
		/// Fresh bytes the signature must cover.
		challenge: [u8; 32],
	},
}

/// The protocol's name on a chain with genesis hash `genesis`.
pub fn protocol_name(genesis: &[u8]) -> ProtocolName {
	format!("/{}/zerog-da/chunks/1", hex::encode(genesis)).into()
}

/// The protocol's configuration for network backend `N`, and the queue its requests arrive
/// on (to hand to [`serve_requests`]).
pub fn protocol_config<B, N>(
	genesis: &[u8],
) -> (N::RequestResponseProtocolConfig, async_channel::Receiver<IncomingRequest>)
where
	B: sp_runtime::traits::Block,
	N: NetworkBackend<B, B::Hash>,
{
	request_response_protocol::<B, N>(
		protocol_name(genesis),
		MAX_REQUEST_BYTES,
		MAX_RESPONSE_BYTES,
		REQUEST_TIMEOUT,
	)
}

/// The answer to `request` from `store`: the chunks held, within the size cap.
pub fn answer(store: &ChunkStore, request: &ChunkRequest) -> Vec<ChunkWithProof> {
	let mut out = Vec::new();
	let mut size = 16u64;
	for &index in request.indices.iter().take(MAX_INDICES_PER_REQUEST) {
		if out.len() >= request.limit as usize {
			break;
		}
		let Ok(Some(chunk)) = store.get(&request.root, index) else { continue };
		let len = chunk.encoded_size() as u64;
		if size + len > MAX_RESPONSE_BYTES {
			break;
		}
		size += len;
		out.push(chunk);
	}
	out
}

/// Answers chunk requests and challenges from peers until the network stops. `signer`
/// signs answers to challenges with this node's operator key (`None`: not an operator).
pub async fn serve_requests(
	store: Arc<ChunkStore>,
	requests: async_channel::Receiver<IncomingRequest>,
	metrics: Option<Metrics>,
	signer: Option<Arc<dyn HoldingSigner>>,
) {
	while let Ok(incoming) = requests.recv().await {
		let Ok(request) = DaRequest::decode(&mut &incoming.payload[..]) else {
			refuse(incoming, "bad DA request");
			continue;
		};
		let store = store.clone();
		let metrics = metrics.clone();
		let signer = signer.clone();
		// Disk reads off the async threads.
		tokio::task::spawn_blocking(move || {
			let payload = match request {
				DaRequest::Chunks(request) => {
					let chunks = answer(&store, &request);
					if let Some(m) = &metrics {
						m.chunks_served.inc_by(chunks.len() as u64);
						m.bytes_served.inc_by(chunks.iter().map(|c| c.chunk.len() as u64).sum());
					}
					chunks.encode()
				},
				DaRequest::Prove { key, root, index, challenge } => answer_chunk_challenge(
					&store,
					signer.as_deref(),
					&key,
					&root,
					index,
					&challenge,
				)
				.encode(),
			};
			let _ = incoming.pending_response.send(OutgoingResponse {
				result: Ok(payload),
				reputation_changes: Vec::new(),
				sent_feedback: None,
			});
		});
	}
}

/// What a fetch got.
#[derive(Debug, Default)]
pub struct Fetched {
	/// Verified chunks, each index once.
	pub chunks: Vec<ChunkWithProof>,
	/// Peers asked.
	pub peers_asked: usize,
	/// Chunks refused for a bad proof, size or index.
	pub rejected: usize,
}

/// Fetches chunks from peers and checks them against the commitment.
pub struct ChunkFetcher {
	network: Arc<dyn NetworkRequest + Send + Sync>,
	peers: Arc<dyn PeerSource>,
	protocol: ProtocolName,
	metrics: Option<Metrics>,
}

impl ChunkFetcher {
	/// A fetcher using `network` for requests on `protocol` and `peers` to find peers.
	pub fn new(
		network: Arc<dyn NetworkRequest + Send + Sync>,
		peers: Arc<dyn PeerSource>,
		protocol: ProtocolName,
		metrics: Option<Metrics>,
	) -> Self {
		ChunkFetcher { network, peers, protocol, metrics }
	}

	/// Asks peers, one after the other, for chunks `wanted` of the blob with `commitment`
	/// until `enough` of them are verified or every peer was asked.
	pub async fn fetch(
		&self,
		commitment: &BlobCommitment,
		wanted: &[u32],
		enough: usize,
	) -> Fetched {
		let Ok(layout) = commitment.layout() else { return Fetched::default() };
		// Chunk, proof and encoding overhead per chunk, with a tenth of the cap to spare.
		let per_chunk = layout.chunk_size as usize + 12 * 32 + 32;
		let batch =
			((MAX_RESPONSE_BYTES as usize * 9 / 10) / per_chunk).clamp(1, MAX_INDICES_PER_REQUEST);
		let mut missing: BTreeSet<u32> =
			wanted.iter().copied().filter(|i| *i < CODED_CHUNKS).collect();
		let mut out = Fetched::default();
		for peer in self.peers.peers().await {
			if out.chunks.len() >= enough || missing.is_empty() {
				break;
			}
			out.peers_asked += 1;
			let limit = (enough - out.chunks.len()) as u32;
			let requests: Vec<ChunkRequest> = missing
				.iter()
				.copied()
				.collect::<Vec<_>>()
				.chunks(batch)
				.map(|indices| ChunkRequest {
					root: commitment.root,
					indices: indices.to_vec(),
					limit,
				})
				.collect();
			let mut answers = futures::stream::iter(requests)
				.map(|request| self.ask(peer, request))
				.buffer_unordered(REQUESTS_IN_FLIGHT);
			while let Some(answer) = answers.next().await {
				for chunk in answer {
					let ok = missing.contains(&chunk.index)
						&& commitment.verify_chunk(chunk.index, &chunk.chunk, &chunk.proof).is_ok();
					if !ok {
						out.rejected += 1;
						continue;
					}
					missing.remove(&chunk.index);
					if let Some(m) = &self.metrics {
						m.bytes_fetched.inc_by(chunk.chunk.len() as u64);
					}
					out.chunks.push(chunk);
				}
				if out.chunks.len() >= enough {
					break;
				}
			}
		}
		out
	}

	/// Challenges the member with operator `key` for chunk `index` of the blob with
	/// `commitment` through every connected peer at once; returns the receipt (blake2-256 of
	/// the chunk and the member's signature) of the first answer that verifies, without waiting for the other peers,
	/// or `None` when no peer answered for it.
	pub async fn prove(
		&self,
		key: [u8; 32],
		commitment: &BlobCommitment,
		index: u32,
		challenge: [u8; 32],
	) -> Option<zerog_data_plane::holding::Receipt> {
		let request = DaRequest::Prove { key, root: commitment.root, index, challenge };
		let peers = self.peers.peers().await;
		let answers = peers.into_iter().map(|peer| self.send(peer, &request));
		first_verified(answers, |bytes| {
			let proof = Option::<ChunkHoldingProof>::decode(&mut &bytes[..]).ok().flatten()?;
			verify_chunk_holding(&proof, &key, commitment, index, &challenge).ok()
		})
		.await
	}

	/// One chunk request to one peer; an empty answer on any failure.
	async fn ask(&self, peer: PeerId, request: ChunkRequest) -> Vec<ChunkWithProof> {
		let bytes = self.send(peer, &DaRequest::Chunks(request)).await;
		Vec::<ChunkWithProof>::decode(&mut &bytes[..]).unwrap_or_else(|e| {
			if !bytes.is_empty() {
				log::debug!(target: "da", "bad chunk answer from {peer}: {e}");
			}
			Vec::new()
		})
	}

	/// One request to one peer; empty bytes on any failure.
	async fn send(&self, peer: PeerId, request: &DaRequest) -> Vec<u8> {
		let sent = self
			.network
			.request(
				peer,
				self.protocol.clone(),
				request.encode(),
				None,
				IfDisconnected::ImmediateError,
			)
			.await;
		sent.map(|(bytes, _)| bytes).unwrap_or_else(|e| {
			log::debug!(target: "da", "DA request to {peer} failed: {e}");
			Vec::new()
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zerog_erasure::{encode_blob, CodecId};

	#[test]
	fn answers_hold_only_chunks_held_and_respect_the_limit() {
		let dir = tempfile::tempdir().unwrap();
		let store = ChunkStore::open(dir.path()).unwrap();
		let encoded = encode_blob(&[5u8; 50_000], CodecId::ReedSolomonSimd).unwrap();
		let proofs: Vec<_> = (0..10).map(|i| encoded.proof(i).unwrap()).collect();
		store
			.put(
				&encoded.commitment,
				(0..10u32).map(|i| (i, encoded.chunk(i), &proofs[i as usize])),
			)
			.unwrap();
		let root = encoded.commitment.root;
		let all = answer(&store, &ChunkRequest { root, indices: vec![3, 9, 10, 2000], limit: 100 });
		assert_eq!(all.iter().map(|c| c.index).collect::<Vec<_>>(), vec![3, 9]);
		for chunk in &all {
			encoded
				.commitment
				.verify_chunk(chunk.index, &chunk.chunk, &chunk.proof)
				.unwrap();
		}
		let limited = answer(&store, &ChunkRequest { root, indices: (0..10).collect(), limit: 4 });
		assert_eq!(limited.len(), 4);
		assert!(
			answer(&store, &ChunkRequest { root: [0; 32], indices: vec![0], limit: 1 }).is_empty()
		);
	}
}
