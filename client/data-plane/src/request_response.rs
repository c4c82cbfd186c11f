//! Request-response protocols on sc-network, as DA's chunk exchange and storage's segment
//! exchange use them: configured through the backend-generic `request_response_config`, so
//! that both litep2p and libp2p work.

use futures::future::BoxFuture;
use sc_network::{
	request_responses::{IncomingRequest, OutgoingResponse},
	NetworkBackend, PeerId, ProtocolName,
};
use std::time::Duration;

/// Queue of incoming requests before new ones are refused.
const INBOUND_QUEUE: usize = 64;

/// A request-response protocol `name` for network backend `N` with these size caps and
/// timeout, and the queue its requests arrive on.
pub fn request_response_protocol<B, N>(
	name: ProtocolName,
	max_request: u64,
	max_response: u64,
	timeout: Duration,
) -> (N::RequestResponseProtocolConfig, async_channel::Receiver<IncomingRequest>)
where
	B: sp_runtime::traits::Block,
	N: NetworkBackend<B, B::Hash>,
{
	let (tx, rx) = async_channel::bounded(INBOUND_QUEUE);
	let config =
		N::request_response_config(name, Vec::new(), max_request, max_response, timeout, Some(tx));
	(config, rx)
}

/// Refuses an undecodable request and lowers the sender's reputation.
pub fn refuse(incoming: IncomingRequest, what: &'static str) {
	log::debug!(target: "net", "{what} from {}", incoming.peer);
	let _ = incoming.pending_response.send(OutgoingResponse {
		result: Err(()),
		reputation_changes: vec![sc_network::ReputationChange::new(-(1 << 10), what)],
		sent_feedback: None,
	});
}

/// Where a fetcher finds peers to ask (the node's connected peers).
pub trait PeerSource: Send + Sync {
	/// The peers connected now.
	fn peers(&self) -> BoxFuture<'static, Vec<PeerId>>;
}
