//! Watches the chain while the bench runs: scans every block that joins the best chain for
//! the bench's transactions (by extrinsic hash) and notes when each was first seen in a
//! block and when its block was finalized. Forks are followed: a transaction counts as
//! finalized only when a block on the finalized chain holds it.

use crate::{chain::Chain, error::CliResult};
use sp_core::H256;
use std::{
	collections::HashMap,
	sync::atomic::{AtomicU64, Ordering},
	time::Instant,
};

/// Offsets from the bench's start in nanoseconds; 0 means "not yet".
pub type Moments = Vec<AtomicU64>;

/// `count` moments, none set.
pub fn moments(count: usize) -> Moments {
	(0..count).map(|_| AtomicU64::new(0)).collect()
}

/// Sets moment `i` to now, unless it was set already.
pub fn mark(moments: &Moments, i: usize, start: Instant) {
	let now = start.elapsed().as_nanos().max(1) as u64;
	let _ = moments[i].compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
}

/// How many of `moments` are set.
pub fn count_set(moments: &Moments) -> usize {
	moments.iter().filter(|m| m.load(Ordering::Relaxed) != 0).count()
}

/// What the tracker keeps of one block.
struct SeenBlock {
	number: u32,
	parent: H256,
	/// Indexes of the bench's transactions in it.
	ours: Vec<usize>,
	/// When it was first seen on the best chain (ns from start).
	seen: u64,
}

/// One block that held bench transactions, as the report shows it.
#[derive(Clone, Debug)]
pub struct BlockRecord {
	/// Its number.
	pub number: u32,
	/// How many bench transactions it held.
	pub transfers: usize,
	/// Seconds from first sight on the best chain to finality.
	pub finality_lag: f64,
}

/// The chain watcher.
pub struct Tracker {
	chain: Chain,
	start: Instant,
	by_hash: HashMap<[u8; 32], usize>,
	blocks: HashMap<H256, SeenBlock>,
	/// Blocks below this number were there before the bench and are not scanned.
	floor: u32,
	finalized_number: u32,
	/// When each transaction was first seen in a best-chain block.
	pub included: Moments,
	/// When each transaction's block was finalized.
	pub finalized: Moments,
	/// The finalized blocks that held bench transactions, in order.
	pub finalized_blocks: Vec<BlockRecord>,
	/// How many blocks were finalized while the bench ran (with or without its transactions).
	pub blocks_finalized: u32,
	/// Seconds from sight to finality of every block finalized while the bench ran.
	pub block_lags: Vec<f64>,
}

impl Tracker {
	/// A tracker of the transactions with these hashes, starting above the current best block.
	pub fn new(chain: Chain, hashes: &[[u8; 32]], start: Instant) -> CliResult<Self> {
		let best = chain.best_number()?;
		let finalized = chain.finalized_number()?;
		Ok(Tracker {
			chain,
			start,
			by_hash: hashes.iter().enumerate().map(|(i, h)| (*h, i)).collect(),
			blocks: HashMap::new(),
			floor: best + 1,
			finalized_number: finalized,
			included: moments(hashes.len()),
			finalized: moments(hashes.len()),
			finalized_blocks: Vec::new(),
			blocks_finalized: 0,
			block_lags: Vec::new(),
		})
	}

	/// Whether every transaction is finalized.
	pub fn all_finalized(&self) -> bool {
		self.finalized.iter().all(|m| m.load(Ordering::Relaxed) != 0)
	}

	/// One round: scans new best-chain blocks, then moves finality forward.
	pub fn poll(&mut self) -> CliResult<()> {
		let best = self.chain.best_hash()?;
		self.scan_back_from(best, true)?;
		let finalized = self.chain.finalized_head()?;
		self.finalize_back_from(finalized)
	}

	/// Fetches `hash` and its ancestors down to a block already seen (or the floor); when
	/// `on_best_chain`, their transactions count as included now.
	fn scan_back_from(&mut self, mut hash: H256, on_best_chain: bool) -> CliResult<()> {
		let now = self.start.elapsed().as_nanos().max(1) as u64;
		while !self.blocks.contains_key(&hash) {
			let (header, extrinsics) = self.chain.block(hash)?;
			let number = header.number;
			if number < self.floor {
				break;
			}
			let parent = header.parent_hash;
			let mut ours = Vec::new();
			for bytes in extrinsics {
				if let Some(&i) = self.by_hash.get(&sp_crypto_hashing::blake2_256(&bytes)) {
					ours.push(i);
					if on_best_chain {
						let _ = self.included[i].compare_exchange(
							0,
							now,
							Ordering::Relaxed,
							Ordering::Relaxed,
						);
					}
				}
			}
			self.blocks.insert(hash, SeenBlock { number, parent, ours, seen: now });
			hash = parent;
		}
		Ok(())
	}

	/// Marks the blocks from `head` down to the last finalized one as finalized now.
	fn finalize_back_from(&mut self, head: H256) -> CliResult<()> {
		let now = self.start.elapsed().as_nanos().max(1) as u64;
		let mut newly = Vec::new();
		let mut hash = head;
		loop {
			if !self.blocks.contains_key(&hash) {
				// Finalized before the best chain showed it to us (a fork switch): fetch it.
				self.scan_back_from(hash, false)?;
			}
			let Some(block) = self.blocks.get(&hash) else { break };
			if block.number <= self.finalized_number {
				break;
			}
			newly.push(hash);
			hash = block.parent;
		}
		for hash in newly.into_iter().rev() {
			let block = &self.blocks[&hash];
			let lag = now.saturating_sub(block.seen) as f64 / 1e9;
			for &i in &block.ours {
				// A block that reached us only through finality includes its transactions now.
				let _ =
					self.included[i].compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
				let _ = self.finalized[i].compare_exchange(
					0,
					now,
					Ordering::Relaxed,
					Ordering::Relaxed,
				);
			}
			self.blocks_finalized += 1;
			self.block_lags.push(lag);
			if !block.ours.is_empty() {
				self.finalized_blocks.push(BlockRecord {
					number: block.number,
					transfers: block.ours.len(),
					finality_lag: lag,
				});
			}
			self.finalized_number = self.finalized_number.max(block.number);
		}
		Ok(())
	}
}
