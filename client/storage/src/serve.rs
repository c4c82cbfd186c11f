//! Answers peers' storage requests (segments, which segments are held, holding
//! challenges) from this node's store (segments also from its
//! [`crate::service::FileSource`]); the asking side is [`crate::protocol`].

use crate::{
	holding::answer_challenge,
	protocol::{answer_segments, HaveAnswer, StorageRequest, StorageRequestV1},
	service::StorageService,
	store::FileKey,
};
use codec::{Decode, Encode};
use sc_network::request_responses::{IncomingRequest, OutgoingResponse};
use std::sync::Arc;
use zerog_data_plane::request_response::refuse;

/// Which version of the protocol a queue of requests speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
	/// `/segments/2`: files by root and size.
	V2,
	/// `/segments/1`: files by root alone, resolved to the one size this node knows.
	V1,
}

/// The request in `payload`, as a version 2 request.
fn decode(service: &StorageService, version: Version, payload: &[u8]) -> Option<StorageRequest> {
	match version {
		Version::V2 => StorageRequest::decode(&mut &payload[..]).ok(),
		Version::V1 => {
			let request = StorageRequestV1::decode(&mut &payload[..]).ok()?;
			// A root this node knows with several sizes, or not at all, is answered as
			// unknown: size 0 names no file.
			let key = service.local_key(request.root(), None).ok().flatten();
			Some(request.with_size(key.map_or(0, |key| key.size)))
		},
	}
}

/// Answers requests of `version` from peers until the network stops.
pub async fn serve_requests(
	service: Arc<StorageService>,
	requests: async_channel::Receiver<IncomingRequest>,
	version: Version,
) {
	while let Ok(incoming) = requests.recv().await {
		let Some(request) = decode(&service, version, &incoming.payload) else {
			refuse(incoming, "bad storage request");
			continue;
		};
		let service = service.clone();
		// Disk reads off the async threads.
		tokio::task::spawn_blocking(move || {
			let (store, metrics) = (service.store(), service.metrics());
			let payload = match request {
				StorageRequest::Segments { root, size, indices, limit } => {
					let key = FileKey::new(root, size);
					let mut segments = answer_segments(store, &key, &indices, limit);
					if segments.is_empty() {
						// A KV node serves the entries it replayed, also after their deal.
						segments = service.source_segments(&key, &indices, limit);
					}
					if let Some(m) = metrics {
						m.segments_served.inc_by(segments.len() as u64);
						m.bytes_served.inc_by(segments.iter().map(|s| s.data.len() as u64).sum());
					}
					segments.encode()
				},
				StorageRequest::Have { root, size } => {
					// An ambiguous root (several sizes, none held most) is answered as unknown.
					let key = service.local_key(&root, size).ok().flatten();
					let file = key.and_then(|key| store.file(&key).map(|file| (key, file)));
					match file {
						Some((key, (_, held))) => HaveAnswer {
							size: Some(key.size),
							held: held.to_bytes(),
							replica: service.replica_held(&key).to_bytes(),
						},
						None => HaveAnswer { size: None, held: Vec::new(), replica: Vec::new() },
					}
					.encode()
				},
				StorageRequest::Prove { provider, root, size, index, challenge } => {
					let signer = service.holding_signer();
					let key = FileKey::new(root, size);
					answer_challenge(store, signer.as_deref(), &provider, &key, index, &challenge)
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

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::Placement;

	/// A node of the older version asks by root alone: this node answers for the one size it
	/// knows, and a root known with several sizes as unknown (size 0 names no file).
	#[test]
	fn a_version_1_request_is_resolved_to_the_one_size_known() {
		let dir = tempfile::tempdir().unwrap();
		let service = crate::tests::service(dir.path());
		let root = [3; 32];
		let place = |size, deal| {
			let placement = Placement { deal, start_sector: 0, replicas: 1, end: 9 };
			service.store().add_placement(&FileKey::new(root, size), placement).unwrap();
		};
		let have = StorageRequestV1::Have { root }.encode();
		let unknown = Some(StorageRequest::Have { root, size: Some(0) });
		assert_eq!(decode(&service, Version::V1, &have), unknown);
		place(700, 0);
		assert_eq!(
			decode(&service, Version::V1, &have),
			Some(StorageRequest::Have { root, size: Some(700) })
		);
		place(1, 1);
		let prove =
			StorageRequestV1::Prove { provider: [1; 32], root, index: 0, challenge: [2; 32] };
		assert_eq!(
			decode(&service, Version::V1, &prove.encode()),
			Some(StorageRequest::Prove {
				provider: [1; 32],
				root,
				size: 0,
				index: 0,
				challenge: [2; 32]
			})
		);
		// A version 2 request decodes as itself; bytes of neither are refused.
		let v2 = StorageRequest::Have { root, size: Some(1) };
		assert_eq!(decode(&service, Version::V2, &v2.encode()), Some(v2));
		assert_eq!(decode(&service, Version::V2, &[9, 9]), None);
	}
}
