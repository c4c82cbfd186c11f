//! Segment exchange between nodes: a request-response protocol of sc-network (both network
//! backends), `/<genesis>/zerog-storage/segments/2`.
//!
//! A file is named by its root and size ([`FileKey`]): one root can stand for files of
//! several sizes (see [`crate::store`]). Three requests:
//! - `Segments { root, size, indices, limit }`: the answer holds those of the segments the
//!   peer has, with proofs, up to `limit` and [`MAX_RESPONSE_BYTES`]; the asking side checks
//!   every segment against the file root and size before using it;
//! - `Have { root, size }`: which segments of the file the peer holds, and whether it holds
//!   them as a registered provider (a replica) or only as an upload staging copy; without a
//!   size, of the size the peer holds most of;
//! - `Prove { provider, root, size, index, challenge }`: answered only by that provider's
//!   node, with the segment and its signature (see [`crate::holding`]).
//!
//! Version 1 (`/segments/1`) named files by root alone. It is still served (a root is
//! resolved as `storage_fileInfo` without a size does) and asked as a fallback by peers that
//! do not speak version 2, so that during a rolling upgrade replication and holding checks
//! between versions keep working: an honest provider is not failed for its version.

use crate::{
	holding::{verify_holding, HoldingProof},
	metrics::Metrics,
	store::{FileKey, Held, SegmentStore, SegmentWithProof},
};
use codec::{Decode, Encode};
use futures::stream::StreamExt;
use sc_network::{
	request_responses::IncomingRequest, service::traits::NetworkRequest, IfDisconnected,
	NetworkBackend, PeerId, ProtocolName,
};
use std::{collections::BTreeSet, sync::Arc, time::Duration};
use zerog_data_plane::{
	holding::Receipt,
	request_response::{first_verified, request_response_protocol, PeerSource},
};
use zerog_erasure::{storage::verify_segment, Hash};

/// Largest request accepted.
pub const MAX_REQUEST_BYTES: u64 = 16 * 1024;
/// Largest answer sent or accepted.
pub const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// Most segments asked for in one request (60 × 256 KiB with proofs fit an answer).
pub const MAX_SEGMENTS_PER_REQUEST: usize = 60;
/// How long a peer has to answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests in flight to one peer.
const REQUESTS_IN_FLIGHT: usize = 4;
/// How long [`SegmentFetcher::have`] waits for a peer. The answer is a few bytes, so a peer
/// slower than this is stalled (a paused process keeps its connections open), and a file
/// report should not wait out [`REQUEST_TIMEOUT`] for it.
pub const HAVE_TIMEOUT: Duration = Duration::from_secs(5);

/// A request to a peer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum StorageRequest {
	/// Segments of one file.
	Segments {
		/// The file root.
		root: Hash,
		/// The file size.
		size: u64,
		/// Segment indices wanted.
		indices: Vec<u64>,
		/// Send at most this many.
		limit: u32,
	},
	/// Which segments of a file the peer holds.
	Have {
		/// The file root.
		root: Hash,
		/// The file size; `None`: the size the peer holds most of.
		size: Option<u64>,
	},
	/// A challenge for one provider: answered (with a [`HoldingProof`]) only by that
	/// provider's node, if it holds the segment.
	Prove {
		/// The provider's account.
		provider: [u8; 32],
		/// The file root.
		root: Hash,
		/// The file size.
		size: u64,
		/// The segment index in the file.
		index: u64,
		/// Fresh bytes the signature must cover.
		challenge: [u8; 32],
	},
}

/// A request of version 1 (`/segments/1`): files by root alone. Answers are encoded as in
/// version 2.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum StorageRequestV1 {
	/// Segments of one file.
	Segments {
		/// The file root.
		root: Hash,
		/// Segment indices wanted.
		indices: Vec<u64>,
		/// Send at most this many.
		limit: u32,
	},
	/// Which segments of a file the peer holds.
	Have {
		/// The file root.
		root: Hash,
	},
	/// A challenge for one provider.
	Prove {
		/// The provider's account.
		provider: [u8; 32],
		/// The file root.
		root: Hash,
		/// The segment index in the file.
		index: u64,
		/// Fresh bytes the signature must cover.
		challenge: [u8; 32],
	},
}

impl StorageRequest {
	/// The same request in version 1, for a peer that speaks only that.
	pub fn to_v1(&self) -> StorageRequestV1 {
		match self.clone() {
			StorageRequest::Segments { root, indices, limit, .. } => {
				StorageRequestV1::Segments { root, indices, limit }
			},
			StorageRequest::Have { root, .. } => StorageRequestV1::Have { root },
			StorageRequest::Prove { provider, root, index, challenge, .. } => {
				StorageRequestV1::Prove { provider, root, index, challenge }
			},
		}
	}
}

impl StorageRequestV1 {
	/// The version 2 request for the file `root` of `size` bytes, the size this node
	/// resolved the root to. (Size 0 names no file: an unresolved root is answered as
	/// unknown.)
	pub fn with_size(self, size: u64) -> StorageRequest {
		match self {
			StorageRequestV1::Segments { root, indices, limit } => {
				StorageRequest::Segments { root, size, indices, limit }
			},
			StorageRequestV1::Have { root } => StorageRequest::Have { root, size: Some(size) },
			StorageRequestV1::Prove { provider, root, index, challenge } => {
				StorageRequest::Prove { provider, root, size, index, challenge }
			},
		}
	}

	/// The root the request is about.
	pub fn root(&self) -> &Hash {
		match self {
			StorageRequestV1::Segments { root, .. }
			| StorageRequestV1::Have { root }
			| StorageRequestV1::Prove { root, .. } => root,
		}
	}
}

/// A peer's answer to `Have`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct HaveAnswer {
	/// File size, if the peer knows the file.
	pub size: Option<u64>,
	/// The segments it holds ([`Held::to_bytes`]), staging copies included.
	pub held: Vec<u8>,
	/// The segments it holds as a replica: a registered provider's shard of a live deal.
	pub replica: Vec<u8>,
}

/// The protocol's name on a chain with genesis hash `genesis`.
pub fn protocol_name(genesis: &[u8]) -> ProtocolName {
	format!("/{}/zerog-storage/segments/2", hex::encode(genesis)).into()
}

/// The name of version 1 of the protocol (files by root alone).
pub fn protocol_name_v1(genesis: &[u8]) -> ProtocolName {
	format!("/{}/zerog-storage/segments/1", hex::encode(genesis)).into()
}

/// The configuration of the protocol named `name` (from [`protocol_name`] or
/// [`protocol_name_v1`]) for network backend `N`, and the queue its requests arrive on (to
/// hand to [`crate::serve::serve_requests`]).
pub fn protocol_config<B, N>(
	name: ProtocolName,
) -> (N::RequestResponseProtocolConfig, async_channel::Receiver<IncomingRequest>)
where
	B: sp_runtime::traits::Block,
	N: NetworkBackend<B, B::Hash>,
{
	request_response_protocol::<B, N>(name, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, REQUEST_TIMEOUT)
}

/// The segments of the file `key` held, within the limits.
pub fn answer_segments(
	store: &SegmentStore,
	key: &FileKey,
	indices: &[u64],
	limit: u32,
) -> Vec<SegmentWithProof> {
	pick_segments(indices, limit, |index| store.get(key, index).ok().flatten())
}

/// The segments `get` has of `indices`, within the limits of one answer: at most `limit`
/// and [`MAX_SEGMENTS_PER_REQUEST`] of them, and [`MAX_RESPONSE_BYTES`] encoded.
pub fn pick_segments(
	indices: &[u64],
	limit: u32,
	mut get: impl FnMut(u64) -> Option<SegmentWithProof>,
) -> Vec<SegmentWithProof> {
	let mut out = Vec::new();
	let mut size = 16u64;
	for &index in indices.iter().take(MAX_SEGMENTS_PER_REQUEST) {
		if out.len() >= limit as usize {
			break;
		}
		let Some(segment) = get(index) else { continue };
		let len = segment.encoded_size() as u64;
		if size + len > MAX_RESPONSE_BYTES {
			break;
		}
		size += len;
		out.push(segment);
	}
	out
}

/// What a fetch got.
#[derive(Debug, Default)]
pub struct Fetched {
	/// Verified segments handed to the sink, each index once.
	pub fetched: usize,
	/// Segments refused for a bad proof, size or index.
	pub rejected: usize,
	/// Peers asked.
	pub peers: usize,
}

/// Asks peers for segments and what they hold.
pub struct SegmentFetcher {
	network: Arc<dyn NetworkRequest + Send + Sync>,
	peers: Arc<dyn PeerSource>,
	protocol: ProtocolName,
	fallback: Option<ProtocolName>,
	metrics: Option<Metrics>,
	have_timeout: Duration,
}

impl SegmentFetcher {
	/// A fetcher using `network` for requests on `protocol` and `peers` to find peers.
	pub fn new(
		network: Arc<dyn NetworkRequest + Send + Sync>,
		peers: Arc<dyn PeerSource>,
		protocol: ProtocolName,
		metrics: Option<Metrics>,
	) -> Self {
		SegmentFetcher {
			network,
			peers,
			protocol,
			fallback: None,
			metrics,
			have_timeout: HAVE_TIMEOUT,
		}
	}

	/// The same fetcher, asking peers that do not speak `protocol` in version 1 of it
	/// (`fallback`, from [`protocol_name_v1`]; it must be registered with the network).
	pub fn with_fallback(mut self, fallback: ProtocolName) -> Self {
		self.fallback = Some(fallback);
		self
	}

	/// The same fetcher with another wait for [`SegmentFetcher::have`] answers.
	pub fn with_have_timeout(mut self, timeout: Duration) -> Self {
		self.have_timeout = timeout;
		self
	}

	/// Asks peers, one after the other, for segments `wanted` of the file `key`, until all
	/// are verified or every peer was asked. `sink` gets each verified batch as it arrives
	/// (to be stored), so memory stays bounded.
	pub async fn fetch(
		&self,
		key: &FileKey,
		wanted: &[u64],
		sink: &mut (dyn FnMut(Vec<SegmentWithProof>) + Send),
	) -> Fetched {
		let mut missing: BTreeSet<u64> = wanted.iter().copied().collect();
		let mut out = Fetched::default();
		for peer in self.peers.peers().await {
			if missing.is_empty() {
				break;
			}
			out.peers += 1;
			let requests: Vec<StorageRequest> = missing
				.iter()
				.copied()
				.collect::<Vec<_>>()
				.chunks(MAX_SEGMENTS_PER_REQUEST)
				.map(|indices| StorageRequest::Segments {
					root: key.root,
					size: key.size,
					indices: indices.to_vec(),
					limit: indices.len() as u32,
				})
				.collect();
			let mut answers = futures::stream::iter(requests)
				.map(|request| self.ask(peer, request))
				.buffer_unordered(REQUESTS_IN_FLIGHT);
			while let Some(bytes) = answers.next().await {
				let Ok(segments) = Vec::<SegmentWithProof>::decode(&mut &bytes[..]) else {
					continue;
				};
				let mut good = Vec::with_capacity(segments.len());
				for s in segments {
					let ok = missing.contains(&s.index)
						&& verify_segment(&key.root, key.size, s.index, &s.data, &s.proof).is_ok();
					if !ok {
						out.rejected += 1;
						continue;
					}
					missing.remove(&s.index);
					if let Some(m) = &self.metrics {
						m.bytes_fetched.inc_by(s.data.len() as u64);
					}
					good.push(s);
				}
				out.fetched += good.len();
				if !good.is_empty() {
					sink(good);
				}
			}
		}
		out
	}

	/// What each connected peer holds of the file `root` of `size` bytes (without a size: of
	/// the size the peer holds most of): (peer, its answer), for peers that know it and
	/// answer within the have-timeout (all peers are asked at once).
	pub async fn have(&self, root: &Hash, size: Option<u64>) -> Vec<(PeerId, HaveAnswer)> {
		let peers = self.peers.peers().await;
		let request = StorageRequest::Have { root: *root, size };
		let answers = futures::future::join_all(peers.into_iter().map(|peer| {
            let request = request.clone();
            async move {
                let answer = tokio::time::timeout(self.have_timeout, self.ask(peer, request)).await;
                if answer.is_err() {
                    log::debug!(target: "storage", "{peer} did not say what it holds within {:?}", self.have_timeout);
                }
                (peer, answer.unwrap_or_default())
            }
        }))
        .await;
		answers
			.into_iter()
			.filter_map(|(peer, bytes)| {
				let answer = HaveAnswer::decode(&mut &bytes[..]).ok()?;
				answer.size.is_some().then_some((peer, answer))
			})
			.collect()
	}

	/// Challenges `provider` for segment `index` of the file `key` through every connected
	/// peer at once; returns the receipt (blake2-256 of the segment and the provider's
	/// signature) of the first answer that verifies, without waiting for the other peers (a slow or stalled one would hold
	/// the era's report back for the whole request timeout), or `None` when no peer answered
	/// for that provider.
	pub async fn prove(
		&self,
		provider: [u8; 32],
		key: &FileKey,
		index: u64,
		challenge: [u8; 32],
	) -> Option<Receipt> {
		let request =
			StorageRequest::Prove { provider, root: key.root, size: key.size, index, challenge };
		let peers = self.peers.peers().await;
		let answers = peers.into_iter().map(|peer| self.ask(peer, request.clone()));
		first_verified(answers, |bytes| {
			let proof = Option::<HoldingProof>::decode(&mut &bytes[..]).ok().flatten()?;
			verify_holding(&proof, &provider, key, index, &challenge).ok()
		})
		.await
	}

	/// One request to one peer; empty bytes on any failure.
	async fn ask(&self, peer: PeerId, request: StorageRequest) -> Vec<u8> {
		let fallback = self.fallback.clone().map(|name| (request.to_v1().encode(), name));
		let sent = self
			.network
			.request(
				peer,
				self.protocol.clone(),
				request.encode(),
				fallback,
				IfDisconnected::ImmediateError,
			)
			.await;
		match sent {
			Ok((bytes, _)) => bytes,
			Err(e) => {
				log::debug!(target: "storage", "segment request to {peer} failed: {e}");
				Vec::new()
			},
		}
	}
}

/// How many holders each segment of a file with `count` segments has among `bitmaps`.
pub fn holders_per_segment(count: u64, bitmaps: &[Held]) -> Vec<u32> {
	(0..count)
		.map(|i| bitmaps.iter().filter(|h| h.contains(i)).count() as u32)
		.collect()
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use futures::{channel::oneshot, future::BoxFuture};
	use sc_network::request_responses::RequestFailure;

	/// One peer answers `Have` at once, one never answers (a paused process), and one is
	/// not connected.
	pub(crate) struct ScriptedNetwork {
		pub quick: PeerId,
		pub stalled: PeerId,
		pub answer: Vec<u8>,
	}

	type Answer = Result<(Vec<u8>, ProtocolName), RequestFailure>;

	impl NetworkRequest for ScriptedNetwork {
		fn request<'a, 'b>(
			&'a self,
			target: PeerId,
			protocol: ProtocolName,
			_request: Vec<u8>,
			_fallback: Option<(Vec<u8>, ProtocolName)>,
			_connect: IfDisconnected,
		) -> std::pin::Pin<Box<dyn std::future::Future<Output = Answer> + Send + 'b>>
		where
			'a: 'b,
			Self: 'b,
		{
			Box::pin(async move {
				if target == self.stalled {
					futures::future::pending::<()>().await;
				}
				if target == self.quick {
					Ok((self.answer.clone(), protocol))
				} else {
					Err(RequestFailure::NotConnected)
				}
			})
		}

		fn start_request(
			&self,
			_: PeerId,
			_: ProtocolName,
			_: Vec<u8>,
			_: Option<(Vec<u8>, ProtocolName)>,
			_: oneshot::Sender<Answer>,
			_: IfDisconnected,
		) {
			unimplemented!("the fetcher only uses `request`")
		}
	}

	struct FixedPeers(Vec<PeerId>);

	impl PeerSource for FixedPeers {
		fn peers(&self) -> BoxFuture<'static, Vec<PeerId>> {
			let peers = self.0.clone();
			Box::pin(async move { peers })
		}
	}

	#[tokio::test]
	async fn a_stalled_peer_does_not_hold_up_what_the_others_hold() {
		let (quick, stalled, gone) = (PeerId::random(), PeerId::random(), PeerId::random());
		let answer = HaveAnswer { size: Some(1_000), held: vec![1], replica: vec![1] };
		let network = Arc::new(ScriptedNetwork { quick, stalled, answer: answer.encode() });
		let peers = Arc::new(FixedPeers(vec![stalled, gone, quick]));
		let fetcher = SegmentFetcher::new(network, peers, "/test/segments/1".into(), None)
			.with_have_timeout(Duration::from_millis(200));

		// Without the have-timeout this would wait for the stalled peer forever.
		let answers = tokio::time::timeout(Duration::from_secs(30), fetcher.have(&[7; 32], None))
			.await
			.expect("have() returns without the stalled peer");
		assert_eq!(answers.len(), 1, "only the quick peer answered");
		assert_eq!(answers[0].0, quick);
		assert_eq!(answers[0].1, answer);
	}
}
