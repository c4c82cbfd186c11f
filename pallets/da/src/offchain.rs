//! The DA operator's off-chain worker.
//!
//! On every new best block, for each operator whose key is in this node's keystore:
//! - every pending blob whose committee it sits in and has not attested: ask the node to
//!   hold its assigned chunks ([`zerog_da_io::da_chunks::fetch_chunks`]: fetched from peers,
//!   checked against the commitment, written to disk natively); once they are stored, sign
//!   and send `attest`;
//! - every open challenge addressed to it: read the chunk and its proof from the node
//!   ([`zerog_da_io::da_chunks::chunk`]) and send `answer_challenge`.
//!
//! Wasm only decides; the node does the networking, hashing and disk I/O. Nothing happens
//! unless the node runs with `--da-operator` ([`zerog_da_io::da_chunks::enabled`]).

use crate::{pallet::*, types::*, LOG_TARGET};
use alloc::vec::Vec;
use codec::Encode;
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_runtime::{offchain::storage::StorageValueRef, traits::Saturating, RuntimeAppPublic};
use zerog_da_io::{da_chunks, FetchStatus};
use zerog_erasure::{assign_chunks, CODED_CHUNKS};

/// Blocks before the same attestation or answer is sent again (if it was not included).
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
		for (who, key) in &mine {
			Self::attest_pending(now, &params, who, key);
			Self::answer_challenges(now, who, key);
		}
	}

	/// Attests every pending blob `who` must hold once its chunks are stored.
	fn attest_pending(
		now: BlockNumberFor<T>,
		params: &ParamsOf<T>,
		who: &T::AccountId,
		key: &T::OperatorKey,
	) {
		// Pending blobs have their deadline within the next `attest_window` blocks, or up to
		// `QUEUE_SPREAD` later when their block's queue was full.
		let mut deadline = now;
		let last = now
			.saturating_add(params.attest_window)
			.saturating_add(crate::blobs::QUEUE_SPREAD.into());
		while deadline <= last {
			for id in Deadlines::<T>::get(deadline) {
				Self::attest_one(now, id, who, key);
			}
			deadline = deadline.saturating_add(1u32.into());
		}
	}

	fn attest_one(now: BlockNumberFor<T>, id: BlobId, who: &T::AccountId, key: &T::OperatorKey) {
		let Some(blob) = Blobs::<T>::get(id) else { return };
		if blob.status != BlobStatus::Pending {
			return;
		}
		let (Some(committee), Some(seed)) =
			(Committees::<T>::get(blob.epoch), EpochSeeds::<T>::get(blob.epoch))
		else {
			return;
		};
		let Some(seat) = committee.iter().position(|(member, _)| member == who) else { return };
		if Tallies::<T>::get(id).has(seat as u32) || !Self::may_send(b"attest", id, now) {
			return;
		}
		let chunks: Vec<u32> = match assign_chunks(&seed, committee.len() as u32, CODED_CHUNKS) {
			Ok(assignment) => assignment.chunks_of(seat as u32).collect(),
			Err(_) => return,
		};
		match da_chunks::fetch_chunks(id, blob.commitment.clone(), chunks.clone()) {
			FetchStatus::Stored => {},
			FetchStatus::Pending => return,
			FetchStatus::Failed => {
				log::warn!(target: LOG_TARGET, "blob {id}: could not get {} chunks yet", chunks.len());
				return;
			},
		}
		let attestation = Attestation { blob: id, operator: who.clone() };
		let payload =
			attestation_payload(&Self::genesis_hash(), &blob.commitment.root, &seed, &attestation);
		let Some(signature) = key.sign(&payload) else {
			log::warn!(target: LOG_TARGET, "operator key cannot sign");
			return;
		};
		let call = Call::<T>::attest { attestation, signature };
		match SubmitTransaction::<T, Call<T>>::submit_transaction(T::create_bare(call.into())) {
			Ok(()) => {
				Self::mark_sent(b"attest", id, now);
				log::info!(target: LOG_TARGET, "blob {id}: {} chunks stored, attested", chunks.len());
			},
			Err(()) => {
				log::debug!(target: LOG_TARGET, "blob {id}: attestation refused by the pool")
			},
		}
	}

	/// Answers every open challenge addressed to `who` with the chunk the node holds.
	fn answer_challenges(now: BlockNumberFor<T>, who: &T::AccountId, key: &T::OperatorKey) {
		for (id, challenge) in Challenges::<T>::iter() {
			if &challenge.member != who || now > challenge.deadline {
				continue;
			}
			if !Self::may_send(b"answer", id, now) {
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
				Self::mark_sent(b"answer", id, now);
				log::info!(target: LOG_TARGET, "challenge {id}: answered");
			}
		}
	}

	/// Whether a transaction of `kind` for `id` may be sent at `now`: not sent in the last
	/// [`RESEND_AFTER`] blocks (off-chain workers of consecutive blocks overlap).
	fn may_send(kind: &[u8], id: u64, now: BlockNumberFor<T>) -> bool {
		let key = (b"zerog-da::sent", kind, id).encode();
		match StorageValueRef::persistent(&key).get::<BlockNumberFor<T>>() {
			Ok(Some(sent)) => sent > now || now.saturating_sub(sent) > RESEND_AFTER.into(),
			_ => true,
		}
	}

	fn mark_sent(kind: &[u8], id: u64, now: BlockNumberFor<T>) {
		let key = (b"zerog-da::sent", kind, id).encode();
		StorageValueRef::persistent(&key).set(&now);
	}
}
