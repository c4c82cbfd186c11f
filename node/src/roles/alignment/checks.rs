//! The checks of an alignment node: one verdict per subject of an era, from the chain state
//! at the era's first block (the same for every operator) and the subject's check seed.
//!
//! - Storage provider: a segment of a live file in its shard, proved over
//!   `StorageRequest::Prove`. With acknowledgements on (`ack_window > 0` at the era's first
//!   block), only files of deals the provider acknowledged holding, and that outlive the
//!   era; otherwise files whose deal is at least an era old (so that replication had time).
//! - DA member: a chunk assigned to it of a blob available at the era's start, proved over
//!   `DaRequest::Prove` with its `zgda` key.
//! - Compute provider: its endpoint's health check, signed by its registered signer.
//!
//! Each check asks with this operator's own challenge ([`answer_challenge`] of the check
//! seed and the operator's account); the subject signs its answer over that challenge and
//! the evidence, by the key the chain drew it with (`pallet_alignment::AnswerKeys`), and the
//! signature goes with the pass as its receipt. A subject with nothing to check passes with
//! the same evidence at every operator ([`nothing_to_check`]) and no receipt; one that does
//! not answer fails. When this node is the subject (a validator is usually also a
//! provider), it answers itself: a node is not its own peer.

use crate::{
	roles::storage::params::acks_required,
	service::types::{BlockHash, FullClient},
};
use codec::{Decode, Encode};
use frame_support::storage::StoragePrefixedMap;
use futures::future::join_all;
use pallet_alignment::{check_seed, EraIndex, Subject};
use pallet_compute::runtime_api::ComputeApi;
use pallet_da::runtime_api::DaApi;
use pallet_storage::runtime_api::StorageApi;
use sc_client_api::{HeaderBackend, StorageProvider};
use sp_api::ProvideRuntimeApi;
use sp_core::{sr25519, storage::StorageKey};
use sp_runtime::MultiSignature;
use std::{collections::BTreeMap, sync::Arc, time::Duration};
use zerog_alignment_service::{
	challenge::{
		acknowledged_files, answer_challenge, da_challenge, nothing_to_check, storage_challenge,
		DealHolders, StorageCandidate,
	},
	compute::HealthClient,
	reports::ReportedVerdict,
};
use zerog_da_service::{
	holding::{answer_chunk_challenge, verify_chunk_holding},
	protocol::ChunkFetcher,
	DaService,
};
use zerog_data_plane::holding::{HoldingSigner, Receipt};
use zerog_erasure::BlobCommitment;
use zerog_runtime::{AccountId, BlockNumber, Runtime};
use zerog_storage_service::{
	holding::{answer_challenge as answer_segment_challenge, verify_holding},
	protocol::SegmentFetcher,
	FileKey, StorageService,
};

/// The era record as the runtime names it.
pub type EraRecord = pallet_alignment::EraOf<Runtime>;

/// A verdict as kept in the report store: `(ok, evidence, receipt)`.
pub type CheckVerdict = ReportedVerdict;

/// A failed check (the pallet ignores its evidence).
const FAILED: CheckVerdict = (false, [0; 32], None);

/// A pass on a subject that had nothing to be checked on: no receipt.
fn idle() -> CheckVerdict {
	(true, nothing_to_check(), None)
}

/// A pass with a holding answer's receipt (an sr25519 signature).
fn passed(receipt: Receipt) -> CheckVerdict {
	let signature = sr25519::Signature::from_raw(receipt.signature);
	(true, receipt.evidence, Some(MultiSignature::Sr25519(signature)))
}

/// How one subject is checked: its check seed, this operator's challenge, and the key the
/// chain drew it with (`None`: not known here, the key at the era's start is used).
struct Ask {
	seed: [u8; 32],
	challenge: [u8; 32],
	key: Option<[u8; 32]>,
}

/// What the checks read and ask through.
pub struct Checker {
	/// The client (chain state at the era's start).
	pub client: Arc<FullClient>,
	/// This node's storage service (it answers for its own provider).
	pub storage: Arc<StorageService>,
	/// Asks peers for storage holding proofs.
	pub segments: Arc<SegmentFetcher>,
	/// This node's DA service (it answers for its own operator key).
	pub da: Arc<DaService>,
	/// Asks peers for DA holding proofs.
	pub chunks: Arc<ChunkFetcher>,
	/// Signs with this node's `zgda` keys.
	pub da_signer: Arc<dyn HoldingSigner>,
	/// Calls compute endpoints.
	pub health: HealthClient,
}

/// Chain state the era's checks are drawn from, read once per era at its first block.
struct Candidates {
	at: BlockHash,
	/// Live files by deal id.
	files: Vec<(u64, StorageCandidate)>,
	/// Each deal's acknowledged holders, when acknowledgements are on.
	holders: Option<BTreeMap<u64, DealHolders>>,
	blobs: Vec<(u64, BlobCommitment)>,
}

impl Checker {
	/// The verdicts of era `index` (its record read at `best`), in subject order, as
	/// operator `operator` reports them; `None` when the era's first block is not known here
	/// (the node is still syncing).
	pub async fn check_era(
		&self,
		best: BlockHash,
		index: EraIndex,
		era: &EraRecord,
		era_length: BlockNumber,
		check_time: Duration,
		operator: &AccountId,
	) -> Option<Vec<CheckVerdict>> {
		let at = self.client.hash(era.start).ok()??;
		let acks = acks_required(&self.client, at);
		let candidates = Candidates {
			at,
			files: if acks {
				// Acknowledged data exists at a slashable holder: no age needed, but the deal
				// must outlive the era's checks.
				self.live_files(at, |deal| deal.end > era.start.saturating_add(era_length))
			} else {
				let started_by = era.start.saturating_sub(era_length);
				self.live_files(at, |deal| deal.start <= started_by)
			},
			holders: acks.then(|| self.holders(at)),
			blobs: self.live_blobs(at),
		};
		let keys = self.answer_keys(best, index);
		let operator = operator.encode();
		let checks = era.subjects.iter().enumerate().map(|(index, subject)| {
			let seed = check_seed(&era.seed, index as u32);
			let ask = Ask {
				seed,
				challenge: answer_challenge(&seed, &operator),
				key: keys.as_ref().and_then(|keys| keys.get(index).copied().flatten()),
			};
			self.check(&candidates, subject, ask, check_time)
		});
		Some(join_all(checks).await)
	}

	/// The keys era `era`'s subjects were drawn with, at `best`, the block the era's record
	/// was read at (`None` before the draw, or from a runtime without them).
	fn answer_keys(&self, best: BlockHash, era: EraIndex) -> Option<Vec<Option<[u8; 32]>>> {
		let key = StorageKey(pallet_alignment::AnswerKeys::<Runtime>::hashed_key_for(era));
		let data = self.client.storage(best, &key).ok()??;
		Vec::<Option<[u8; 32]>>::decode(&mut &data.0[..]).ok()
	}

	/// The verdict on `subject`; a subject whose check is not done within `check_time` (the
	/// report must still land in the era) fails.
	async fn check(
		&self,
		candidates: &Candidates,
		subject: &Subject<AccountId>,
		ask: Ask,
		check_time: Duration,
	) -> CheckVerdict {
		let started = std::time::Instant::now();
		let check = async {
			match subject {
				Subject::Storage(who) => self.check_storage(candidates, who, &ask).await,
				Subject::Da(who) => self.check_da(candidates, who, &ask).await,
				Subject::Compute(who) => self.check_compute(candidates.at, who, &ask).await,
			}
		};
		let verdict = tokio::time::timeout(check_time, check).await.unwrap_or_else(|_| {
			log::info!(target: "alignment", "{subject:?}: no answer within {check_time:?}");
			FAILED
		});
		log::debug!(
			target: "alignment",
			"{subject:?}: {} in {} ms",
			if verdict.0 { "pass" } else { "FAIL" },
			started.elapsed().as_millis()
		);
		verdict
	}

	/// Files with a live deal at `at` that `keep` accepts, by deal id in order. One scan of
	/// the deal map's state (expired deals are not in it), not a runtime call per deal id
	/// ever issued.
	fn live_files(
		&self,
		at: BlockHash,
		keep: impl Fn(&pallet_storage::DealOf<Runtime>) -> bool,
	) -> Vec<(u64, StorageCandidate)> {
		let prefix = StorageKey(pallet_storage::Deals::<Runtime>::final_prefix().to_vec());
		let Ok(pairs) = self.client.storage_pairs(at, Some(&prefix), None) else {
			return Vec::new();
		};
		let mut deals: Vec<(u64, StorageCandidate)> = pairs
			.filter_map(|(key, value)| {
				// Twox64Concat: the id is the key's last 8 bytes.
				let id = u64::decode(&mut &key.0[key.0.len().checked_sub(8)?..]).ok()?;
				let deal = pallet_storage::DealOf::<Runtime>::decode(&mut &value.0[..]).ok()?;
				keep(&deal).then_some((
					id,
					StorageCandidate {
						root: deal.root,
						size: deal.size,
						start_sector: deal.start_sector,
					},
				))
			})
			.collect();
		deals.sort_by_key(|(id, _)| *id);
		deals
	}

	/// Every deal's holders at `at`: (account, generation), as acknowledged. One scan.
	fn holders(&self, at: BlockHash) -> BTreeMap<u64, DealHolders> {
		let prefix = StorageKey(pallet_storage::Holders::<Runtime>::final_prefix().to_vec());
		let Ok(pairs) = self.client.storage_pairs(at, Some(&prefix), None) else {
			return BTreeMap::new();
		};
		pairs
			.filter_map(|(key, value)| {
				let id = u64::decode(&mut &key.0[key.0.len().checked_sub(8)?..]).ok()?;
				let list =
					Vec::<pallet_storage::Holding<AccountId>>::decode(&mut &value.0[..]).ok()?;
				let list = list
					.into_iter()
					.map(|h| (*<AccountId as AsRef<[u8; 32]>>::as_ref(&h.who), h.generation))
					.collect();
				Some((id, list))
			})
			.collect()
	}

	/// The provider generation of `who` at `at` (its acknowledgements count under it).
	fn generation(&self, at: BlockHash, who: &AccountId) -> u32 {
		let key = StorageKey(pallet_storage::ProviderGeneration::<Runtime>::hashed_key_for(who));
		self.client
			.storage(at, &key)
			.ok()
			.flatten()
			.and_then(|data| u32::decode(&mut &data.0[..]).ok())
			.unwrap_or(0)
	}

	/// Blobs available at `at`, by id.
	fn live_blobs(&self, at: BlockHash) -> Vec<(u64, BlobCommitment)> {
		let prefix = StorageKey(pallet_da::LiveBlobs::<Runtime>::final_prefix().to_vec());
		let Ok(pairs) = self.client.storage_pairs(at, Some(&prefix), None) else {
			return Vec::new();
		};
		let api = self.client.runtime_api();
		let mut blobs: Vec<(u64, BlobCommitment)> = pairs
			.filter_map(|(_, value)| u64::decode(&mut &value.0[..]).ok())
			.filter_map(|id| {
				let blob = api.blob(at, id).ok()??;
				(blob.status == pallet_da::BlobStatus::Available).then_some((id, blob.commitment))
			})
			.collect();
		blobs.sort_by_key(|(id, _)| *id);
		blobs
	}

	async fn check_storage(
		&self,
		candidates: &Candidates,
		who: &AccountId,
		ask: &Ask,
	) -> CheckVerdict {
		let Ok(Some(provider)) = self.client.runtime_api().provider(candidates.at, who.clone())
		else {
			return idle();
		};
		let provider_id: [u8; 32] = *<AccountId as AsRef<[u8; 32]>>::as_ref(who);
		let files: Vec<StorageCandidate> = match &candidates.holders {
			Some(holders) => acknowledged_files(
				&candidates.files,
				holders,
				&provider_id,
				self.generation(candidates.at, who),
			),
			None => candidates.files.iter().map(|(_, file)| file.clone()).collect(),
		};
		let Some((file, index)) =
			storage_challenge(&ask.seed, &files, provider.shard.id, provider.shard.count)
		else {
			return idle();
		};
		let StorageCandidate { root, size, .. } = files[file];
		let key = FileKey::new(root, size);
		// The provider answers with its account's key.
		let provider = provider_id;
		let challenge = ask.challenge;
		let signer = self.storage.holding_signer();
		let local = answer_segment_challenge(
			self.storage.store(),
			signer.as_deref(),
			&provider,
			&key,
			index,
			&challenge,
		)
		.and_then(|proof| verify_holding(&proof, &provider, &key, index, &challenge).ok());
		let receipt = match local {
			Some(receipt) => Some(receipt),
			None => self.segments.prove(provider, &key, index, challenge).await,
		};
		receipt.map_or(FAILED, passed)
	}

	async fn check_da(&self, candidates: &Candidates, who: &AccountId, ask: &Ask) -> CheckVerdict {
		let Some(key) = ask.key.or_else(|| self.da_key(candidates.at, who)) else {
			return idle();
		};
		let api = self.client.runtime_api();
		let assigned: Vec<(u64, Vec<u32>)> = candidates
			.blobs
			.iter()
			.map(|(id, _)| {
				(*id, api.chunks_of(candidates.at, *id, who.clone()).unwrap_or_default())
			})
			.collect();
		let Some((blob, index)) = da_challenge(&ask.seed, &assigned) else {
			return idle();
		};
		let Some((_, commitment)) = candidates.blobs.iter().find(|(id, _)| *id == blob) else {
			return FAILED;
		};
		let local = answer_chunk_challenge(
			self.da.store(),
			Some(&*self.da_signer),
			&key,
			&commitment.root,
			index,
			&ask.challenge,
		)
		.and_then(|proof| {
			verify_chunk_holding(&proof, &key, commitment, index, &ask.challenge).ok()
		});
		let receipt = match local {
			Some(receipt) => Some(receipt),
			None => self.chunks.prove(key, commitment, index, ask.challenge).await,
		};
		receipt.map_or(FAILED, passed)
	}

	/// The operator key of DA member `who` at `at`.
	fn da_key(&self, at: BlockHash, who: &AccountId) -> Option<[u8; 32]> {
		let key = StorageKey(pallet_da::Operators::<Runtime>::hashed_key_for(who));
		let data = self.client.storage(at, &key).ok()??;
		let operator = pallet_da::OperatorOf::<Runtime>::decode(&mut &data.0[..]).ok()?;
		<pallet_da::operator_key::Public as AsRef<[u8]>>::as_ref(&operator.key)
			.try_into()
			.ok()
	}

	async fn check_compute(&self, at: BlockHash, who: &AccountId, ask: &Ask) -> CheckVerdict {
		let Ok(Some(service)) = self.client.runtime_api().service(at, who.clone()) else {
			return idle();
		};
		let endpoint = String::from_utf8_lossy(&service.info.endpoint).into_owned();
		let signer = ask.key.map_or(service.info.signer, AccountId::new);
		match self.health.check(&endpoint, &signer, &ask.challenge).await {
			Ok((evidence, receipt)) => (true, evidence, Some(receipt)),
			Err(e) => {
				log::info!(target: "alignment", "compute service of {who} at {endpoint}: {e:?}");
				FAILED
			},
		}
	}
}
