//! iNFT transfers and reads per second through the precompile (ABI-encoded, through
//! `pallet_revive::bare_call`), next to the same pallet calls made directly, in one run on
//! the unit tests' runtime (native code). Each transfer verifies an sr25519 oracle proof
//! and an Ethereum receiver proof; the proofs are signed before the clock starts.
//!
//! `cargo bench -p pallet-inft-precompile --bench calls` (release), or with `--profile dev`.

// The unit tests' runtime, which names the crate's items through `crate::`.
pub use pallet_inft_precompile::{IInft, InftPrecompile, INFT_ADDRESS};
#[allow(dead_code)]
#[path = "../src/mock.rs"]
mod mock;

use alloy_core::primitives::{Bytes, FixedBytes, U256};
use codec::Encode;
use frame_support::BoundedVec;
use mock::*;
use sp_core::{ecdsa, Pair};
use sp_runtime::MultiSignature;
use std::time::Instant;

const TRANSFERS: u64 = 400;
const READS: u64 = 4_000;

/// One transfer of token 0 at `nonce`: hash `nonce` becomes hash `nonce + 1`, and the
/// token goes to the other of Alice and Bob.
struct Step {
	from: ecdsa::Pair,
	to: ecdsa::Pair,
	hash: [u8; 32],
	sealed: Vec<u8>,
	ownership: MultiSignature,
	access: [u8; 65],
}

fn hash(n: u64) -> [u8; 32] {
	sp_io::hashing::blake2_256(&n.to_le_bytes())
}

fn steps() -> Vec<Step> {
	let genesis = sp_core::H256::repeat_byte(0x42);
	let (alice, bob) = (eth_key("Alice"), eth_key("Bob"));
	(0..TRANSFERS)
		.map(|nonce| {
			let (from, to) = if nonce % 2 == 0 {
				(alice.clone(), bob.clone())
			} else {
				(bob.clone(), alice.clone())
			};
			let (old, new, sealed) =
				(hash(nonce), hash(nonce + 1), b"sealed-key-for-the-receiver".to_vec());
			let ownership =
				pallet_inft::ownership_message(&genesis, 0, &old, &new, &sealed, b"rx", nonce);
			let access = pallet_inft::access_message(&genesis, 0, &new, b"rx", nonce);
			let mut rsv = to.sign_prehashed(&pallet_inft::eip191_hash(&access)).0;
			rsv[64] += 27;
			Step {
				from,
				to,
				hash: new,
				sealed,
				ownership: oracle().sign(&ownership).into(),
				access: rsv,
			}
		})
		.collect()
}

/// A fresh chain with token 0 (one item, hash 0) minted by Alice.
fn chain() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let data = vec![(BoundedVec::truncate_from(b"model weights".to_vec()), hash(0))];
		pallet_inft::Pallet::<Test>::do_mint(
			eth_account(&eth_key("Alice")),
			BoundedVec::truncate_from(data),
			BoundedVec::truncate_from(b"sealed".to_vec()),
			BoundedVec::new(),
		)
		.unwrap();
	});
	ext
}

fn per_second(n: u64, started: Instant) -> f64 {
	n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
	let steps = steps();
	let oracle_id: AccountId = sp_runtime::traits::IdentifyAccount::into_account(
		sp_runtime::MultiSigner::from(oracle().public()),
	);

	// Baseline: the pallet's dispatchable, called directly.
	let direct = chain().execute_with(|| {
		let started = Instant::now();
		for step in &steps {
			let proof = pallet_inft::TransferProofOf::<Test> {
				oracle: oracle_id.clone(),
				new_data_hash: step.hash,
				new_sealed_key: BoundedVec::truncate_from(step.sealed.clone()),
				receiver_key: BoundedVec::truncate_from(b"rx".to_vec()),
				ownership: pallet_inft::ProofSignature::Substrate(step.ownership.clone()),
				access: pallet_inft::ProofSignature::Ethereum(step.access),
			};
			Inft::transfer(
				RuntimeOrigin::signed(eth_account(&step.from)),
				0,
				eth_account(&step.to),
				BoundedVec::truncate_from(vec![proof]),
			)
			.expect("a valid transfer");
		}
		per_second(TRANSFERS, started)
	});

	// The same transfers from Solidity's side.
	let (through_precompile, weight) = chain().execute_with(|| {
		let started = Instant::now();
		let mut last = None;
		for step in &steps {
			let proof = IInft::TransferProof {
				oracle: FixedBytes(oracle_id.clone().into()),
				newDataHash: FixedBytes(step.hash),
				newSealedKey: Bytes::from(step.sealed.clone()),
				receiverKey: Bytes::from_static(b"rx"),
				ownershipSignature: Bytes::from(
					pallet_inft::ProofSignature::Substrate(step.ownership.clone()).encode(),
				),
				accessSignature: Bytes::copy_from_slice(&step.access),
			};
			let input = IInft::IInftCalls::transfer(IInft::transferCall {
				tokenId: U256::ZERO,
				to: sol_address(&step.to),
				proofs: vec![proof],
			});
			let result = call(&step.from, input);
			assert!(!result.result.as_ref().expect("executes").did_revert(), "a valid transfer");
			last = Some(result.weight_consumed);
		}
		(per_second(TRANSFERS, started), last.unwrap())
	});

	// Reads: ownerOf through the precompile next to the storage read.
	let (read_direct, read_precompile) = chain().execute_with(|| {
		let started = Instant::now();
		for _ in 0..READS {
			std::hint::black_box(pallet_inft::Tokens::<Test>::get(0).unwrap().owner);
		}
		let direct = per_second(READS, started);
		let alice = eth_key("Alice");
		let started = Instant::now();
		for _ in 0..READS {
			let input = IInft::IInftCalls::ownerOf(IInft::ownerOfCall { tokenId: U256::ZERO });
			std::hint::black_box(call(&alice, input).result.unwrap());
		}
		(direct, per_second(READS, started))
	});

	let pallet_weight = <() as pallet_inft::WeightInfo>::transfer(1);
	println!("iNFT transfers with one item (sr25519 oracle proof + Ethereum access proof), {TRANSFERS} each, native:");
	println!("  baseline: pallet call              {direct:>9.0} per second");
	println!("  through the precompile             {through_precompile:>9.0} per second ({:.0}% of the baseline)", 100.0 * through_precompile / direct);
	println!(
		"  weight charged per call: {:.3} ms ref time (the pallet's transfer(1): {:.3} ms)",
		weight.ref_time() as f64 / 1e9,
		pallet_weight.ref_time() as f64 / 1e9
	);
	println!("ownerOf reads, {READS} each:");
	println!("  baseline: storage read             {read_direct:>9.0} per second");
	println!("  through the precompile             {read_precompile:>9.0} per second");
}
