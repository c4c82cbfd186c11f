//! The DA operator's off-chain worker.
//!
//! On every new best block, for each operator whose key is in this node's keystore:
//! - every pending blob whose committee it sits in and has not attested: ask the node to
//!   hold its assigned chunks ([`zerog_da_io::da_chunks::fetch_chunks`]: fetched from peers,
//!   checked against the commitment, written to disk natively); then sign and send one
//!   `vote` naming the blobs whose chunks are stored (see [`crate::votes`]);
//! - every blob in its repair window (available, not yet challengeable) whose committee it
//!   sits in and did not attest: ask the node to hold its share, rebuilt from any `k` chunks
//!   if no peer has it ([`zerog_da_io::da_chunks::repair_chunks`]);
//! - every open challenge addressed to it: read the chunk and its proof from the node
//!   ([`zerog_da_io::da_chunks::chunk`]) and send `answer_challenge`.
//!
//! Wasm only decides; the node does the networking, hashing and disk I/O. Nothing happens
//! unless the node runs with `--da-operator` ([`zerog_da_io::da_chunks::enabled`]).

use crate::{pallet::*, types::*, vote_payload, BlobBits, LOG_TARGET};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::traits::Get;
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_runtime::{offchain::storage::StorageValueRef, traits::Saturating, RuntimeAppPublic};
use zerog_da_io::{da_chunks, FetchStatus};
use zerog_erasure::{assign_chunks, CODED_CHUNKS};

/// Blocks before the same answer, or a vote naming the same blob, is sent again (if it was
/// not included or not counted).
const RESEND_AFTER: u32 = 4;

impl<T: Config> Pallet<T> {
	/// The off-chain worker's work at block `now`.
	pub(crate) fn run_offchain_worker(now: BlockNumberFor<T>) {
		if !da_chunks::enabled() {
			return;
		}
		let local_keys = T::OperatorKey::all();
		if local_keys.is_empty() {
			log::debug!(target: LOG_TARGET, "no operator key in the keystore");
			return;
		}
		let Some(params) = Params::<T>::get() else { return };
		let mine: Vec<(T::AccountId, T::OperatorKey)> = Operators::<T>::iter()
			.filter(|(_, op)| local_keys.contains(&op.key))
			.map(|(who, op)| (who, op.key))
			.collect();
		// Answers first: their deadline is the nearest, and nothing may delay them.
		for (who, key) in &mine {
			Self::answer_challenges(now, who, key);
		}
		for (who, key) in &mine {
			Self::vote_pending(now, &params, who, key);
			Self::repair_recent(now, who);
		}
	}

	/// Votes for every pending blob whose share `who` holds: asks the node to hold the share
	/// of each pending blob `who` has not attested, and sends one vote naming those whose
	/// share is stored, of the epoch of the oldest of them (the others go in a later block).
	fn vote_pending(
		now: BlockNumberFor<T>,
		params: &ParamsOf<T>,
		who: &T::AccountId,
		key: &T::OperatorKey,
	) {
		// Pending blobs have their deadline within the next `attest_window` blocks, or up to
		// `QUEUE_SPREAD` later when their block's queue was full.
		// Every held blob not yet counted goes in the vote (a later vote replaces an earlier
		// one still in the pool, which the chain then refuses as stale); a vote is sent when
		// one of them was not sent in the last `RESEND_AFTER` blocks.
		let mut held: Vec<(EpochIndex, BlobId)> = Vec::new();
		// A vote made now is included in a later block: a blob due now is past helping.
		let mut deadline = now.saturating_add(1u32.into());
		let last = now
			.saturating_add(params.attest_window)
			.saturating_add(crate::blobs::QUEUE_SPREAD.into());
		while deadline <= last {
			for id in Deadlines::<T>::get(deadline) {
				if let Some(epoch) = Self::hold_share(now, id, who) {
					held.push((epoch, id));
				}
			}
			deadline = deadline.saturating_add(1u32.into());
		}
		let Some(&(epoch, oldest)) = held.iter().min_by_key(|(_, id)| *id) else { return };
		let span = u64::from(T::MaxVoteBlobs::get());
		let ids: Vec<BlobId> = held
			.iter()
			.filter(|(e, id)| *e == epoch && *id < oldest.saturating_add(span))
			.map(|(_, id)| *id)
			.collect();
		// Only when the vote names a blob not sent lately (the ones it leaves out are not
		// marked, and would otherwise make it send every block).
		if !ids.iter().any(|id| Self::may_send(b"attest", *id, who, now)) {
			return;
		}
		let Some(seat) = Committees::<T>::get(epoch)
			.and_then(|committee| committee.iter().position(|(member, _)| member == who))
		else {
			return;
		};
		let Some(bits) = BlobBits::from_ids(&ids) else { return };
		let vote = VoteOf::<T> {
			operator: who.clone(),
			epoch,
			seat: seat as u32,
			at: now,
			at_hash: frame_system::Pallet::<T>::block_hash(now),
			held: bits,
		};
		let Some(signature) = key.sign(&vote_payload(&Self::genesis_hash(), &vote)) else {
			log::warn!(target: LOG_TARGET, "operator key cannot sign");
			return;
		};
		let call = Call::<T>::vote { vote, signature };
		match SubmitTransaction::<T, Call<T>>::submit_transaction(T::create_bare(call.into())) {
			Ok(()) => {
				for id in &ids {
					Self::mark_sent(b"attest", *id, who, now);
				}
				log::info!(target: LOG_TARGET, "voted for {} blobs from {oldest}", ids.len());
			},
			Err(()) => log::debug!(target: LOG_TARGET, "vote refused by the pool"),
		}
	}

	/// Asks the node to hold `who`'s share of pending blob `id`; its epoch once the share is
	/// stored, if `who`'s seat is not yet in its tally.
	fn hold_share(now: BlockNumberFor<T>, id: BlobId, who: &T::AccountId) -> Option<EpochIndex> {
		let blob = Blobs::<T>::get(id)?;
		if blob.status != BlobStatus::Pending {
			return None;
		}
		let chunks = Self::unattested_share(id, &blob, who, b"fetch", now)?;
		match da_chunks::fetch_chunks(id, blob.commitment.clone(), chunks.clone()) {
			FetchStatus::Stored => {
				log::debug!(target: LOG_TARGET, "blob {id}: {} chunks stored", chunks.len());
				Some(blob.epoch)
			},
			FetchStatus::Pending => None,
			FetchStatus::Failed => {
				log::warn!(target: LOG_TARGET, "blob {id}: could not get {} chunks yet", chunks.len());
				None
			},
		}
	}

	/// Makes sure `who` holds its share of every blob in its repair window that it did not
	/// attest: the submitter may have served only the quorum.
	fn repair_recent(now: BlockNumberFor<T>, who: &T::AccountId) {
		// Windows end after `now` and at most `RepairWindow` blocks later, or up to
		// `QUEUE_SPREAD` more when their block's queue was full.
		let last = now
			.saturating_add(T::RepairWindow::get())
			.saturating_add(crate::blobs::QUEUE_SPREAD.into());
		let mut end = now.saturating_add(1u32.into());
		while end <= last {
			for id in RepairEnds::<T>::get(end) {
				Self::repair_one(now, id, who);
			}
			end = end.saturating_add(1u32.into());
		}
	}

	fn repair_one(now: BlockNumberFor<T>, id: BlobId, who: &T::AccountId) {
		let Some(blob) = Blobs::<T>::get(id) else { return };
		// An attester said it holds its share; one that is done needs no second look.
		let Some(chunks) = Self::unattested_share(id, &blob, who, b"repair", now) else {
			return;
		};
		match da_chunks::repair_chunks(id, blob.commitment, chunks.clone()) {
			FetchStatus::Stored => {
				// Held now: look again only after `RESEND_AFTER` blocks.
				Self::mark_sent(b"repair", id, who, now);
				log::debug!(target: LOG_TARGET, "blob {id}: the {} chunks of the share are held", chunks.len());
			},
			FetchStatus::Pending => {},
			FetchStatus::Failed => {
				log::warn!(target: LOG_TARGET, "blob {id}: could not repair {} chunks yet", chunks.len())
			},
		}
	}

	/// The chunks `who` must hold of blob `id`, if `who` sits in its committee, has not
	/// attested it, and has not done `kind` for it in the last [`RESEND_AFTER`] blocks.
	fn unattested_share(
		id: BlobId,
		blob: &BlobOf<T>,
		who: &T::AccountId,
		kind: &[u8],
		now: BlockNumberFor<T>,
	) -> Option<Vec<u32>> {
		let committee = Committees::<T>::get(blob.epoch)?;
		let seed = EpochSeeds::<T>::get(blob.epoch)?;
		let seat = committee.iter().position(|(member, _)| member == who)? as u32;
		if Tallies::<T>::get(id).has(seat) || !Self::may_send(kind, id, who, now) {
			return None;
		}
		let assignment = assign_chunks(&seed, committee.len() as u32, CODED_CHUNKS).ok()?;
		Some(assignment.chunks_of(seat).collect())
	}

	/// Answers every open challenge addressed to `who` with the chunk the node holds.
	fn answer_challenges(now: BlockNumberFor<T>, who: &T::AccountId, key: &T::OperatorKey) {
		for (id, challenge) in Challenges::<T>::iter() {
			if &challenge.member != who || now > challenge.deadline {
				continue;
			}
			if !Self::may_send(b"answer", id, who, now) {
				continue;
			}
			let Some(blob) = Blobs::<T>::get(challenge.blob) else { continue };
			let Some((chunk, proof)) = da_chunks::chunk(blob.commitment.root, challenge.chunk)
			else {
				log::warn!(
					target: LOG_TARGET,
					"challenge {id}: chunk {} of blob {} is not held here",
					challenge.chunk,
					challenge.blob
				);
				continue;
			};
			let answer = ChallengeAnswer { challenge: id, chunk, proof };
			let Some(seed) = EpochSeeds::<T>::get(blob.epoch) else { continue };
			let payload =
				answer_payload(&Self::genesis_hash(), &blob.commitment.root, &seed, &answer);
			let Some(signature) = key.sign(&payload) else { continue };
			let call = Call::<T>::answer_challenge { answer, signature };
			if SubmitTransaction::<T, Call<T>>::submit_transaction(T::create_bare(call.into()))
				.is_ok()
			{
				Self::mark_sent(b"answer", id, who, now);
				log::info!(target: LOG_TARGET, "challenge {id}: answered");
			}
		}
	}

	/// Whether operator `who`'s transaction (or request) of `kind` for `id` may be sent at
	/// `now`: not sent in the last [`RESEND_AFTER`] blocks (off-chain workers of consecutive
	/// blocks overlap). Per operator: a node with several operator keys sends for each.
	fn may_send(kind: &[u8], id: u64, who: &T::AccountId, now: BlockNumberFor<T>) -> bool {
		let key = (b"zerog-da::sent", kind, id, who).encode();
		match StorageValueRef::persistent(&key).get::<BlockNumberFor<T>>() {
			Ok(Some(sent)) => sent > now || now.saturating_sub(sent) > RESEND_AFTER.into(),
			_ => true,
		}
	}

	fn mark_sent(kind: &[u8], id: u64, who: &T::AccountId, now: BlockNumberFor<T>) {
		let key = (b"zerog-da::sent", kind, id, who).encode();
		StorageValueRef::persistent(&key).set(&now);
	}
}
