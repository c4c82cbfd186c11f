//! How many blobs one block certifies with a full committee of 1,024 seats, from the
//! runtime's weights (benchmarked on a release node): issue 32's committee-scale goal of at
//! least 50 blobs per block. Prints the table it checks
//! (`cargo test -p zerog-runtime da_capacity -- --nocapture`). These are weights, not
//! timings: the check cannot be flaky, it fails when a weight change breaks the goal.
//!
//! Steady state at `b` blobs per block: each block includes `b` submissions (normal class)
//! and one vote of every seat naming the `b` blobs of the block before (operational class),
//! and the next block's `on_initialize` counts those votes (mandatory). Before votes, each
//! of the 683 seats a quorum needs sent one `attest` per blob.

use crate::{configs::RuntimeBlockWeights, Runtime};
use frame_support::{dispatch::DispatchClass, traits::Get, weights::Weight};
use pallet_da::WeightInfo;

/// Seats of a full committee, and the seats of equal stake a quorum needs (2/3).
const SEATS: u32 = 1024;
const QUORUM_SEATS: u32 = 683;

/// Weight of one `attest` with a full committee before votes (issue 32's design before
/// this change): `attest(1024)` of the release benchmark run of 2026-12-07 on this machine,
/// completing the quorum, with its reads and writes at the runtime's database weights.
const ATTEST_BEFORE: Weight = Weight::from_parts(ATTEST_BEFORE_PS, 0);
const ATTEST_BEFORE_PS: u64 = 1_436_062_640;

type Da = <Runtime as pallet_da::Config>::WeightInfo;

/// What a block at `blobs` per block weighs: its submissions (normal), its votes
/// (operational), and the count of the block before's votes (mandatory).
struct Block {
	submissions: Weight,
	votes: Weight,
	count: Weight,
}

/// The deadline queues a count reads: the attestation window (2 minutes) and the spread.
fn count_queue_reads() -> Weight {
	<Runtime as frame_system::Config>::DbWeight::get().reads(60 + 8)
}

fn block_at(blobs: u32) -> Block {
	let weights = RuntimeBlockWeights::get();
	let base = |class| weights.get(class).base_extrinsic;
	let bitmap = blobs.div_ceil(8);
	Block {
		submissions: (Da::submit_blob() + base(DispatchClass::Normal)).saturating_mul(blobs.into()),
		votes: (Da::vote(bitmap) + base(DispatchClass::Operational)).saturating_mul(SEATS.into()),
		count: Da::count_votes(SEATS, SEATS * blobs, blobs) + count_queue_reads(),
	}
}

#[test]
fn da_capacity_a_full_committee_certifies_fifty_blobs_per_block() {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal).max_total.expect("a normal limit");
	let operational = weights.get(DispatchClass::Operational).max_total.expect("a limit");
	let max = weights.max_block;
	println!(
		"block {:.1} ms: normal class {:.1} ms, operational {:.1} ms",
		ms(max),
		ms(normal),
		ms(operational)
	);
	println!("blobs/block | submissions (normal) | votes (operational) | count (next block) | block | per blob");
	let mut most = 0;
	for blobs in [1, 10, 25, 50, 64] {
		let b = block_at(blobs);
		let total = b.submissions + b.votes + b.count;
		let fits =
			b.submissions.all_lte(normal) && b.votes.all_lte(operational) && total.all_lte(max);
		println!(
			"{blobs:>11} | {:>17.1} ms | {:>16.1} ms | {:>15.1} ms | {:>6.1} ms | {:.2} ms{}",
			ms(b.submissions),
			ms(b.votes),
			ms(b.count),
			ms(total),
			ms(total) / blobs as f64,
			if fits { "" } else { "  (does not fit)" }
		);
		if fits {
			most = blobs;
		}
	}
	let before = (ATTEST_BEFORE + weights.get(DispatchClass::Normal).base_extrinsic)
		.saturating_mul(QUORUM_SEATS.into());
	println!(
		"before votes: {:.1} ms of attestations per blob, {:.2} blobs per block",
		ms(before),
		normal.ref_time() as f64 / before.ref_time().max(1) as f64
	);
	assert!(most >= 50, "only {most} blobs per block fit");
}

/// The worst a count can weigh (every seat voting, every vote naming the most blobs, the
/// most blobs a count reads) still leaves room for a full normal class: a few members
/// naming many pending blobs cannot make the mandatory count outweigh the block.
#[test]
fn da_capacity_the_worst_count_and_a_full_normal_class_fit_in_a_block() {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal).max_total.expect("a normal limit");
	let most_blobs = pallet_da::votes::max_counted_blobs::<Runtime>();
	let most_mentions: u32 =
		SEATS * <<Runtime as pallet_da::Config>::MaxVoteBlobs as Get<u32>>::get();
	let worst = Da::count_votes(SEATS, most_mentions, most_blobs) + count_queue_reads();
	println!("worst count: {:.1} ms ({most_blobs} blobs, {most_mentions} mentions)", ms(worst));
	assert!((worst + normal).all_lte(weights.max_block));
	// And with the normal class full (tipped transactions, say), the operational reserve
	// (which may go past the block's limit) still takes over a third of a full committee's
	// votes per block: a quorum needs at most two blocks more.
	let reserve = weights.get(DispatchClass::Operational).reserved.expect("a reserve");
	let vote = Da::vote(16) + weights.get(DispatchClass::Operational).base_extrinsic;
	let votes = reserve.ref_time() / vote.ref_time();
	println!("votes per block beside a full normal class: {votes}");
	assert!(votes * 3 > SEATS as u64);
}

fn ms(weight: Weight) -> f64 {
	weight.ref_time() as f64 / 1e9
}
