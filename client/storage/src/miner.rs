//! PoRA mining over the segments this node holds (see `zerog_erasure::pora`).
//!
//! For an epoch (context, flow root and length, target) a try picks a nonce, recalls a 4 KiB
//! unit of the miner's shard, reads it from the store, seals it to the miner id and checks
//! its quality against the target. A try on a unit whose bytes are not all here is wasted:
//! miners holding more of their shard win more. A win is turned into an answer with the
//! unit's proof to the epoch's flow root, built from the flow's append log
//! ([`FlowProver`]) and the stored segment proof.

use crate::{
	service::ShardRole,
	store::{FileKey, SegmentStore},
};
use std::{collections::BTreeMap, sync::Arc};
use zerog_erasure::{
	flow::FlowProver,
	hash::zero_subtree,
	pora::{self, SEAL_UNIT_SIZE, SECTORS_PER_UNIT},
	storage::{
		flow_sectors, sector_count, sector_proof_in_segment, SECTORS_PER_SEGMENT, SECTOR_SIZE,
		SEGMENT_SIZE,
	},
	Hash, MerkleProof,
};

/// What one epoch is mined against, as the chain fixed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochTask {
	/// The epoch index.
	pub epoch: u32,
	/// hash(randomness, flow root, flow length).
	pub context: Hash,
	/// The flow root answers prove against.
	pub flow_root: Hash,
	/// The flow length (sectors) at the epoch's start.
	pub flow_length: u64,
	/// The epoch's target.
	pub target: u128,
	/// The miner id data is sealed to.
	pub miner_id: Hash,
	/// The miner's shard.
	pub shard: ShardRole,
}

/// A winning try, ready to submit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Win {
	/// The epoch.
	pub epoch: u32,
	/// The try's nonce.
	pub nonce: Hash,
	/// The recalled unit.
	pub unit: u64,
	/// The deal covering the unit's first sector, if any.
	pub deal: Option<u64>,
	/// The unit sealed to the miner id.
	pub sealed: Vec<u8>,
	/// The unit's proof to the flow root.
	pub proof: MerkleProof,
}

/// A stored file's place in the flow.
#[derive(Clone, Debug)]
struct Placed {
	key: FileKey,
	deal: u64,
	/// Sectors it takes in the flow, padding included.
	sectors: u64,
}

/// Every file of the flow (as of one epoch) by first sector, with the store's record of it
/// when this node has one. Sectors outside every file are flow padding (zeros).
pub struct FlowIndex {
	files: BTreeMap<u64, (u64, Option<Placed>)>,
}

/// What [`FlowIndex::file_at`] finds at a sector.
enum AtSector<'a> {
	/// Flow padding.
	Padding,
	/// A file this node has no record of.
	Unknown,
	/// A file of the store, starting at this sector.
	File(u64, &'a Placed),
}

impl FlowIndex {
	/// Indexes the flow's `appends` (first sector, subtrees) that start before
	/// `flow_length`, with the store's placements.
	pub fn of(store: &SegmentStore, appends: &[(u64, Vec<(u32, Hash)>)], flow_length: u64) -> Self {
		let mut files: BTreeMap<u64, (u64, Option<Placed>)> = appends
			.iter()
			.take_while(|(start, _)| *start < flow_length)
			.map(|(start, subtrees)| {
				(*start, (subtrees.iter().map(|(h, _)| 1u64 << h).sum(), None))
			})
			.collect();
		for (key, meta) in store.files() {
			for p in &meta.placements {
				if let Some((sectors, placed)) = files.get_mut(&p.start_sector) {
					if *sectors == flow_sectors(sector_count(key.size)) {
						*placed = Some(Placed { key, deal: p.deal, sectors: *sectors });
					}
				}
			}
		}
		FlowIndex { files }
	}

	fn file_at(&self, sector: u64) -> AtSector<'_> {
		match self.files.range(..=sector).next_back() {
			Some((&start, (sectors, placed))) if sector < start + sectors => match placed {
				Some(placed) => AtSector::File(start, placed),
				None => AtSector::Unknown,
			},
			_ => AtSector::Padding,
		}
	}
}

/// A PoRA miner over a segment store.
pub struct Miner {
	store: Arc<SegmentStore>,
}

impl Miner {
	/// A miner reading `store`.
	pub fn new(store: Arc<SegmentStore>) -> Self {
		Miner { store }
	}

	/// The unsealed bytes of `unit`, if every byte of it is here (zeros outside files).
	pub fn unit_data(&self, index: &FlowIndex, unit: u64) -> Option<[u8; SEAL_UNIT_SIZE]> {
		let mut out = [0u8; SEAL_UNIT_SIZE];
		let first = unit * SECTORS_PER_UNIT;
		// A unit starting in a file's flow padding (past its last sector) earns nothing: the
		// chain pays only for a deal's data, never for zeros anyone can produce.
		if let AtSector::File(start, file) = index.file_at(first) {
			if first - start >= sector_count(file.key.size) {
				return None;
			}
		}
		let mut sector = first;
		while sector < first + SECTORS_PER_UNIT {
			let (start, file) = match index.file_at(sector) {
				AtSector::Padding => {
					sector += 1;
					continue;
				},
				AtSector::Unknown => return None,
				AtSector::File(start, file) => (start, file),
			};
			// Sectors of this file inside the unit; bytes past the file's end stay zero.
			let run_end = (start + file.sectors).min(first + SECTORS_PER_UNIT);
			let offset = (sector - start) * SECTOR_SIZE as u64;
			let wanted =
				((run_end - sector) * SECTOR_SIZE as u64).min(file.key.size.saturating_sub(offset));
			if wanted > 0 {
				let bytes = self.store.read(&file.key, offset, wanted as usize).ok()??;
				let at = ((sector - first) * SECTOR_SIZE as u64) as usize;
				out[at..at + bytes.len()].copy_from_slice(&bytes);
			}
			sector = run_end;
		}
		Some(out)
	}

	/// One try: the win it makes, if any (without the proof yet).
	pub fn try_nonce(
		&self,
		task: &EpochTask,
		index: &FlowIndex,
		nonce: &Hash,
	) -> Option<(u64, [u8; SEAL_UNIT_SIZE])> {
		let unit = pora::recall_unit(
			&task.context,
			&task.miner_id,
			nonce,
			task.flow_length,
			task.shard.id,
			task.shard.count,
		)?;
		let mut data = self.unit_data(index, unit)?;
		pora::seal(&task.miner_id, unit, &mut data);
		let quality = pora::quality(&task.context, &task.miner_id, nonce, &data);
		pora::wins(quality, task.target, task.shard.count).then_some((unit, data))
	}

	/// Builds the answer of a winning try: the unit's proof to the epoch's flow root.
	pub fn answer(
		&self,
		task: &EpochTask,
		index: &FlowIndex,
		prover: &FlowProver,
		nonce: Hash,
		unit: u64,
		sealed: [u8; SEAL_UNIT_SIZE],
	) -> Option<Win> {
		let sector = unit * SECTORS_PER_UNIT;
		let (entry_start, height) = prover.entry_of(sector)?;
		let file = match index.file_at(sector) {
			AtSector::File(start, placed) => Some((start, placed)),
			AtSector::Unknown => return None,
			AtSector::Padding => None,
		};
		let inner: Vec<Hash> = match file {
			// Inside a file's subtree: the first `height` siblings of its sector proof.
			Some((start, placed))
				if entry_start >= start && entry_start < start + placed.sectors =>
			{
				let in_file = sector - start;
				let size = placed.key.size;
				let per_segment = SECTORS_PER_SEGMENT.min(sector_count(size).next_power_of_two());
				let segment = in_file / per_segment;
				let stored = self.store.get(&placed.key, segment).ok()??;
				debug_assert!(stored.data.len() <= SEGMENT_SIZE);
				let proof = sector_proof_in_segment(size, &stored.data, &stored.proof, in_file)?;
				proof.siblings.get(..height as usize)?.to_vec()
			},
			// Flow padding: an all-zero subtree.
			_ => (0..height).map(|level| zero_subtree(SECTOR_SIZE, level)).collect(),
		};
		let sector_proof = prover.proof(sector, &inner).ok()?;
		let proof = pora::unit_proof(&sector_proof)?;
		let deal = file.map(|(_, placed)| placed.deal);
		Some(Win { epoch: task.epoch, nonce, unit, deal, sealed: sealed.to_vec(), proof })
	}
}

/// Replays `appends` (first sector, subtrees) that start before `flow_length` into a prover.
pub fn prover_until(appends: &[(u64, Vec<(u32, Hash)>)], flow_length: u64) -> Option<FlowProver> {
	let mut prover = FlowProver::new();
	for (start, subtrees) in appends.iter().take_while(|(start, _)| *start < flow_length) {
		let at = prover.append_file(subtrees).ok()?;
		if at != *start {
			log::warn!(target: "storage", "flow replay: file placed at {at}, the chain says {start}");
			return None;
		}
	}
	Some(prover)
}
