//! Answers peers' storage requests (segments, which segments are held, holding
//! challenges) from this node's store; the asking side is [`crate::protocol`].

use crate::{
	holding::answer_challenge,
	protocol::{answer_segments, HaveAnswer, StorageRequest},
	service::StorageService,
};
use codec::{Decode, Encode};
use sc_network::request_responses::{IncomingRequest, OutgoingResponse};
use std::sync::Arc;
use zerog_data_plane::request_response::refuse;

/// Answers requests from peers until the network stops.
pub async fn serve_requests(
	service: Arc<StorageService>,
	requests: async_channel::Receiver<IncomingRequest>,
) {
	while let Ok(incoming) = requests.recv().await {
		let Ok(request) = StorageRequest::decode(&mut &incoming.payload[..]) else {
			refuse(incoming, "bad storage request");
			continue;
		};
		let service = service.clone();
		// Disk reads off the async threads.
		tokio::task::spawn_blocking(move || {
			let (store, metrics) = (service.store(), service.metrics());
			let payload = match request {
				StorageRequest::Segments { root, indices, limit } => {
					let segments = answer_segments(store, &root, &indices, limit);
					if let Some(m) = metrics {
						m.segments_served.inc_by(segments.len() as u64);
						m.bytes_served.inc_by(segments.iter().map(|s| s.data.len() as u64).sum());
					}
					segments.encode()
				},
				StorageRequest::Have { root } => {
					let file = store.file(&root);
					HaveAnswer {
						size: file.as_ref().map(|(meta, _)| meta.size),
						held: file.map(|(_, held)| held.to_bytes()).unwrap_or_default(),
						replica: service.replica_held(&root).to_bytes(),
					}
					.encode()
				},
				StorageRequest::Prove { provider, root, index, challenge } => {
					let signer = service.holding_signer();
					answer_challenge(store, signer.as_deref(), &provider, &root, index, &challenge)
						.encode()
				},
			};
			let _ = incoming.pending_response.send(OutgoingResponse {
				result: Ok(payload),
				reputation_changes: Vec::new(),
				sent_feedback: None,
			});
		});
	}
}
