//! Fees, deal life cycle, provider checks and KV stream records behind the calls.

use crate::{pallet::*, types::*, WeightInfo, LOG_TARGET};
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{AccountIdConversion, Saturating, UniqueSaturatedInto, Zero};

impl<T: Config> Pallet<T> {
	/// The pool account: it holds every deal's unclaimed fee and the reward reserve.
	pub fn pool() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Opens the pool with the existential deposit so that fees of any size can be paid
	/// into it. Done at genesis: the one place this pallet mints.
	pub(crate) fn open_pool() {
		let pool = Self::pool();
		if T::Currency::balance(&pool).is_zero() {
			let _ = T::Currency::mint_into(&pool, T::Currency::minimum_balance());
		}
	}

	/// `price × sectors × replicas × periods`, or `Overflow`.
	pub fn fee(
		params: &ParamsOf<T>,
		sectors: u64,
		replicas: u32,
		periods: u32,
	) -> Result<BalanceOf<T>, Error<T>> {
		let units = (sectors as u128)
			.checked_mul(replicas as u128)
			.and_then(|u| u.checked_mul(periods as u128))
			.ok_or(Error::<T>::Overflow)?;
		let price: u128 = params.price_per_sector.unique_saturated_into();
		Self::to_balance(price.checked_mul(units))
	}

	/// `amount` as a balance, or `Overflow` when it is `None` (an arithmetic overflow) or
	/// does not fit: a balance type narrower than u128 saturates, which counts as overflow.
	fn to_balance(amount: Option<u128>) -> Result<BalanceOf<T>, Error<T>> {
		let amount = amount.ok_or(Error::<T>::Overflow)?;
		let balance: BalanceOf<T> = amount.unique_saturated_into();
		ensure!(
			UniqueSaturatedInto::<u128>::unique_saturated_into(balance) == amount,
			Error::<T>::Overflow
		);
		Ok(balance)
	}

	/// What `records` permanent records of `bytes` bytes in all cost:
	/// `RecordFeePerItem × records + RecordFeePerByte × bytes`, or `Overflow`.
	pub fn record_fee(records: u32, bytes: u32) -> Result<BalanceOf<T>, Error<T>> {
		let per_item: u128 = T::RecordFeePerItem::get().unique_saturated_into();
		let per_byte: u128 = T::RecordFeePerByte::get().unique_saturated_into();
		Self::to_balance(
			per_item
				.checked_mul(records as u128)
				.and_then(|items| per_byte.checked_mul(bytes as u128)?.checked_add(items)),
		)
	}

	/// The permanent records that `submission` by `owner`, as deal `deal`, would write, as
	/// (records, bytes of their keys and values, as stored in the trie): its flow append, a
	/// KV log entry per stream tag, and the stream admin and writer entries it creates.
	/// Reads only.
	pub(crate) fn new_records(
		owner: &T::AccountId,
		deal: DealId,
		submission: &SubmissionOf<T>,
		kv_verdict: bool,
	) -> (u32, u32) {
		// Every key starts with the `twox128` of the pallet and of the item.
		const PREFIX: usize = 32;
		// A `Twox64Concat` key of a u64: the prefix, its hash and the u64.
		const INDEX_KEY: usize = PREFIX + 16;
		let append = (0u64, &submission.subtrees).encoded_size();
		let (mut records, mut bytes) = (1usize, INDEX_KEY + append);
		let owner_len = owner.encoded_size();
		// Every log entry of this submission has the same encoded size: only its stream id,
		// of fixed length, differs.
		let entry_len = KvLogEntry {
			stream: StreamId::default(),
			deal,
			writer: owner.clone(),
			root: submission.root,
			size: submission.size,
		}
		.encoded_size();
		let mut seen: alloc::vec::Vec<StreamId> = alloc::vec::Vec::new();
		for tag in &submission.tags {
			let Tag::KvStream(stream) = tag else { continue };
			records += 1;
			bytes += INDEX_KEY + entry_len;
			if seen.contains(stream) {
				continue;
			}
			seen.push(*stream);
			// `StreamAdmins`: an `Identity` key and the admin.
			if !StreamAdmins::<T>::contains_key(stream) {
				records += 1;
				bytes += PREFIX + stream.len() + owner_len;
			}
			// `StreamWriters`: the stream, a `Blake2_128Concat` key of the writer, no value.
			if !StreamWriters::<T>::contains_key(stream, owner) {
				records += 1;
				bytes += PREFIX + stream.len() + 16 + owner_len;
			}
		}
		// `KvVerdicts`: a `Twox64Concat` key of the deal and the verdict at its largest.
		if kv_verdict {
			records += 1;
			bytes += INDEX_KEY + KvData::<BlockNumberFor<T>>::max_encoded_len();
		}
		(records as u32, bytes as u32)
	}

	/// The weight of `submit`: the benchmarked call, finding its acknowledgement deadline
	/// at its worst (up to `ACK_DEADLINE_SLACK` deadline lengths read, one written), and
	/// voiding the deal there. A KV entry adds the same for its verdict's deadline, the
	/// verdict written, and deciding it.
	pub(crate) fn submit_weight(submission: &SubmissionOf<T>) -> Weight {
		let deadline = T::DbWeight::get()
			.reads_writes(ACK_DEADLINE_SLACK.into(), 1)
			.saturating_add(T::WeightInfo::on_ack_deadlines(1))
			.saturating_sub(T::WeightInfo::on_ack_deadlines(0));
		let kv = submission.tags.iter().any(|tag| matches!(tag, Tag::KvStream(_)));
		let mut weight =
			T::WeightInfo::submit(submission.tags.len() as u32).saturating_add(deadline);
		if kv {
			weight = weight.saturating_add(deadline).saturating_add(T::DbWeight::get().writes(1));
		}
		weight
	}

	/// The block `periods` pricing periods after `from`.
	pub(crate) fn end_after(
		from: BlockNumberFor<T>,
		params: &ParamsOf<T>,
		periods: u32,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		let period: u64 = params.period.unique_saturated_into();
		let from: u64 = from.unique_saturated_into();
		let end = period
			.checked_mul(periods as u64)
			.and_then(|blocks| blocks.checked_add(from))
			.filter(|end| *end < u32::MAX as u64)
			.ok_or(Error::<T>::Overflow)?;
		Ok(end.unique_saturated_into())
	}

	/// Whether parameters are usable.
	pub(crate) fn params_ok(params: &ParamsOf<T>) -> bool {
		!params.period.is_zero()
			&& params.max_replicas > 0
			&& params.max_periods > 0
			&& params.max_file_size > 0
			&& params.max_shards.is_power_of_two()
			&& !params.epoch_length.is_zero()
			&& params.max_answers > 0
			&& (params.ack_window.is_zero()
				|| params.ack_window.saturating_add(ACK_DEADLINE_SLACK.into()) <= params.period)
			&& (params.kv_window.is_zero()
				|| params.kv_window.saturating_add(ACK_DEADLINE_SLACK.into()) <= params.period)
	}

	/// Checks a shard against the parameters.
	pub(crate) fn check_shard(params: &ParamsOf<T>, shard: &Shard) -> Result<(), Error<T>> {
		ensure!(
			shard.count.is_power_of_two()
				&& shard.count <= params.max_shards
				&& shard.id < shard.count,
			Error::<T>::BadShard
		);
		Ok(())
	}

	/// What of a deal's fee has been released by `now` and not yet claimed: the fee is
	/// released linearly from `start` to `end`.
	pub fn claimable(deal: &DealOf<T>, now: BlockNumberFor<T>) -> BalanceOf<T> {
		let start: u64 = deal.start.unique_saturated_into();
		let end: u64 = deal.end.unique_saturated_into();
		let now: u64 = now.unique_saturated_into();
		let life = end.saturating_sub(start).max(1);
		let elapsed = now.saturating_sub(start).min(life);
		let paid: u128 = deal.paid.unique_saturated_into();
		let released = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			paid,
			elapsed as u128,
			life as u128,
			sp_runtime::Rounding::Down,
		)
		.unwrap_or(paid);
		let released: BalanceOf<T> = released.unique_saturated_into();
		released.saturating_sub(deal.claimed)
	}

	/// A deal at its end: remove it; what was never claimed joins the reward reserve.
	pub(crate) fn expire(id: DealId) {
		let Some(deal) = Deals::<T>::take(id) else { return };
		DealsByOwner::<T>::remove(&deal.owner, id);
		Holders::<T>::remove(id);
		let unclaimed = deal.paid.saturating_sub(deal.claimed);
		RewardReserve::<T>::mutate(|reserve| *reserve = reserve.saturating_add(unclaimed));
		log::debug!(target: LOG_TARGET, "deal {id} expired");
		Self::deposit_event(Event::DealExpired { deal: id, unclaimed });
	}

	/// Records a KV write: the first writer of a stream becomes its admin.
	pub(crate) fn record_kv_write(
		stream: StreamId,
		deal: DealId,
		writer: &T::AccountId,
		start_sector: u64,
		root: zerog_erasure::Hash,
		size: u64,
	) {
		let index = KvLogCount::<T>::get();
		KvLog::<T>::insert(index, KvLogEntry { stream, deal, writer: writer.clone(), root, size });
		KvLogCount::<T>::put(index + 1);
		if !StreamAdmins::<T>::contains_key(stream) {
			StreamAdmins::<T>::insert(stream, writer);
			Self::deposit_event(Event::StreamCreated { stream, admin: writer.clone() });
		}
		StreamWriters::<T>::insert(stream, writer, ());
		Self::deposit_event(Event::KvWritten {
			stream,
			deal,
			writer: writer.clone(),
			start_sector,
		});
	}
}
