//! Request-response protocols on sc-network, as DA's chunk exchange and storage's segment
//! exchange use them: configured through the backend-generic `request_response_config`, so
//! that both litep2p and libp2p work.

use futures::{future::BoxFuture, stream::FuturesUnordered, Future, StreamExt};
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

/// Awaits `answers` (requests to several peers, all in flight at once) and returns the
/// first that `verify` accepts, as soon as it arrives: the remaining requests are dropped,
/// so a slow or stalled peer costs nothing once another peer has answered. `None` when no
/// answer verifies.
pub async fn first_verified<T>(
	answers: impl IntoIterator<Item = impl Future<Output = Vec<u8>>>,
	mut verify: impl FnMut(&[u8]) -> Option<T>,
) -> Option<T> {
	let mut pending: FuturesUnordered<_> = answers.into_iter().collect();
	while let Some(bytes) = pending.next().await {
		if let Some(verified) = verify(&bytes) {
			return Some(verified);
		}
	}
	None
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn the_first_verified_answer_wins_without_waiting_for_a_stalled_peer() {
		let stalled = Box::pin(async {
			futures::future::pending::<()>().await;
			vec![1u8]
		}) as BoxFuture<'static, Vec<u8>>;
		let wrong = Box::pin(async { vec![2u8] }) as BoxFuture<'static, Vec<u8>>;
		let right = Box::pin(async {
			tokio::time::sleep(std::time::Duration::from_millis(10)).await;
			vec![3u8]
		}) as BoxFuture<'static, Vec<u8>>;
		let accept_3 = |bytes: &[u8]| (bytes == [3]).then_some(3u8);
		let found = tokio::time::timeout(
			std::time::Duration::from_secs(10),
			first_verified([stalled, wrong, right], accept_3),
		)
		.await
		.expect("returns without the stalled peer");
		assert_eq!(found, Some(3));
		// No answer verifies: None, once every request is done.
		let wrong = Box::pin(async { vec![2u8] }) as BoxFuture<'static, Vec<u8>>;
		assert_eq!(first_verified([wrong], accept_3).await, None);
	}
}
