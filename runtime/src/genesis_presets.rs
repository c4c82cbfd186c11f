//! Genesis presets: `dev` (Alice alone), `local` (Alice and Bob) and `testnet` (four
//! validators, no sudo key). The node's chain specs are generated from these, and a test
//! fails when the committed specs in `chain-specs/` drift from them.

use crate::{
	configs::BABE_GENESIS_EPOCH_CONFIG, AccountId, Balance, BlockNumber, SessionKeys, DAYS, HOURS,
	MILLI_UNIT, MINUTES, UNIT,
};
use alloc::{vec, vec::Vec};
use sp_consensus_babe::AuthorityId as BabeId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::crypto::UncheckedFrom;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;

/// Preset id of the single-validator development chain.
pub const DEV_PRESET: &str = "dev";
/// Preset id of the two-validator local chain.
pub const LOCAL_PRESET: &str = "local";
/// Preset id of the four-validator test network.
pub const TESTNET_PRESET: &str = "testnet";

/// What each pre-funded development account starts with.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// Bond of each genesis DA operator.
pub const DEV_DA_BOND: Balance = 10_000 * UNIT;

/// DA parameters of the built-in chains. Placeholders until governance tunes them.
pub fn da_params() -> pallet_da::DaParams<Balance, BlockNumber> {
	pallet_da::DaParams {
		min_bond: 1_000 * UNIT,
		committee_size: 1024,
		epoch_length: HOURS,
		attest_window: 2 * MINUTES,
		retention: 30 * DAYS,
		unbonding_period: 7 * DAYS,
		fee_per_blob: 10 * MILLI_UNIT,
		// 1 ZG per GB: a 32 MiB blob costs about 0.034 ZG.
		fee_per_byte: UNIT / 1_000_000_000,
		base_fee: MILLI_UNIT,
		challenge_period: MINUTES,
		challenges_per_round: 4,
		answer_window: 20,
		slash: sp_runtime::Perbill::from_percent(1),
		challenge_reward: MILLI_UNIT,
	}
}

/// Storage parameters of every preset: about 1 ZG per GiB-month and replica, daily
/// pricing periods, 40-minute PoRA epochs aiming at 5 wins. A KV entry's data must be
/// acknowledged in full within a minute (20 seconds with `fast`, the dev and local presets),
/// or KV nodes skip it.
pub fn storage_params(fast: bool) -> pallet_storage::StorageParams<Balance, BlockNumber> {
	pallet_storage::StorageParams {
		// 1 GiB = 4,194,304 sectors; 30 days at 8e9 a sector-day is 1.007 ZG.
		price_per_sector: 8_000_000_000,
		period: DAYS,
		max_replicas: 8,
		max_periods: 3650,
		max_file_size: 4 << 30,
		min_bond: 1_000 * UNIT,
		unbonding_period: 7 * DAYS,
		max_shards: 32,
		epoch_length: 20 * MINUTES * 2,
		target_answers: 5,
		max_answers: 10,
		reward_share: sp_runtime::Perbill::from_percent(50),
		base_reward: 100 * MILLI_UNIT,
		// A new deal must reach a provider within two hours, or it is voided and refunded.
		ack_window: 2 * HOURS,
		void_fee: crate::configs::StorageVoidFee::get(),
		kv_window: if fast { 10 } else { MINUTES },
	}
}

/// Compute parameters: 0G's 24-hour refund delay and 30% timeout share, a week to unbond.
/// With `fast` (the dev and local presets, as for governance) the delays are a few blocks,
/// so that refunds and bond withdrawals can be tried by hand.
pub fn compute_params(fast: bool) -> pallet_compute::ComputeParams<Balance, BlockNumber> {
	let (refund_delay, unbonding_period, ack_window) =
		if fast { (20, 20, 20) } else { (DAYS, 7 * DAYS, 2 * DAYS) };
	pallet_compute::ComputeParams {
		min_bond: 1_000 * UNIT,
		// A sub-account with 30 pending refunds is about 750 bytes.
		record_deposit: 100 * MILLI_UNIT,
		refund_delay,
		unbonding_period,
		max_task_duration: 30 * DAYS,
		ack_window,
		timeout_share: sp_runtime::Perbill::from_percent(30),
	}
}

/// Alignment parameters: 0G's licence supply (175,500) and its 33% holder share; daily eras
/// with an hour to reveal. With `fast` (dev and local) an era is 20 blocks and reports are
/// revealed within 10, so that alignment nodes can be watched at work.
pub fn alignment_params(fast: bool) -> pallet_alignment::AlignmentParams<Balance, BlockNumber> {
	let (era_length, reveal_window) = if fast { (20, 10) } else { (DAYS, HOURS) };
	pallet_alignment::AlignmentParams {
		licence_price: 1_000 * UNIT,
		max_supply: 175_500,
		era_length,
		reveal_window,
		storage_samples: 4,
		da_samples: 4,
		compute_samples: 4,
		min_reports: if fast { 1 } else { 3 },
		fault_threshold: sp_runtime::Perbill::from_percent(50),
		agreement_threshold: sp_runtime::Perbill::from_percent(75),
		slash: sp_runtime::Perbill::from_percent(5),
		emission_per_era: 10_000 * UNIT,
		holder_share: sp_runtime::Perbill::from_percent(33),
	}
}

/// Bond of each genesis storage provider (the minimum).
pub const DEV_STORAGE_BOND: Balance = 1_000 * UNIT;

/// The miner id genesis gives a provider: blake2-256 of its account id.
pub fn genesis_miner_id(account: &AccountId) -> [u8; 32] {
	<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(account.as_ref()).0
}

/// A validator at genesis: its account and its session keys.
pub struct GenesisValidator {
	/// The validator's stash/controller account.
	pub account: AccountId,
	/// Its BABE authoring key.
	pub babe: BabeId,
	/// Its GRANDPA voting key.
	pub grandpa: GrandpaId,
}

/// The well-known development validator behind `keyring` (`//Alice`, `//Bob`, ...).
pub fn dev_validator(keyring: Sr25519Keyring) -> GenesisValidator {
	GenesisValidator {
		account: keyring.to_account_id(),
		babe: keyring.public().into(),
		grandpa: grandpa_key_of(keyring),
	}
}

/// The GRANDPA (ed25519) key that `//Name` derives to for a development keyring entry.
fn grandpa_key_of(keyring: Sr25519Keyring) -> GrandpaId {
	use alloc::string::ToString;
	// Both keyrings list the same names, so the conversion cannot fail.
	let ed: sp_keyring::Ed25519Keyring = keyring
		.to_string()
		.parse()
		.expect("sr25519 and ed25519 keyrings share their names");
	GrandpaId::unchecked_from(ed.public().0)
}

/// Builds a genesis config patch: balances, validators with their session keys (who also
/// form the technical committee), an optional sudo key, and whether governance runs on
/// fast timing (periods of a few blocks, for development chains).
pub fn genesis_patch(
	validators: Vec<GenesisValidator>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	fast_governance: bool,
) -> serde_json::Value {
	let balances: Vec<(AccountId, Balance)> =
		endowed.into_iter().map(|account| (account, DEV_ENDOWMENT)).collect();
	let validator_accounts: Vec<AccountId> = validators.iter().map(|v| v.account.clone()).collect();
	// Every genesis validator is also a DA operator, its DA key its BABE (sr25519) key.
	let da_operators: Vec<(AccountId, pallet_da::operator_key::Public, Balance)> = validators
		.iter()
		.map(|v| {
			let raw: sp_core::sr25519::Public = v.babe.clone().into();
			(v.account.clone(), raw.into(), DEV_DA_BOND)
		})
		.collect();
	// Every genesis validator is also a storage provider of the whole flow.
	let storage_providers: Vec<(AccountId, [u8; 32], Balance, pallet_storage::Shard)> = validators
		.iter()
		.map(|v| {
			(
				v.account.clone(),
				genesis_miner_id(&v.account),
				DEV_STORAGE_BOND,
				pallet_storage::Shard::ALL,
			)
		})
		.collect();
	// Every genesis validator holds one alignment licence, delegated to itself.
	let alignment_licences: Vec<(AccountId, Option<AccountId>)> = validators
		.iter()
		.map(|v| (v.account.clone(), Some(v.account.clone())))
		.collect();
	let session_keys: Vec<(AccountId, AccountId, SessionKeys)> = validators
		.into_iter()
		.map(|v| {
			let keys = SessionKeys { babe: v.babe, grandpa: v.grandpa };
			(v.account.clone(), v.account, keys)
		})
		.collect();
	let mut patch = serde_json::json!({
		"balances": { "balances": balances },
		"babe": { "epochConfig": BABE_GENESIS_EPOCH_CONFIG },
		"validatorSet": { "initialValidators": validator_accounts },
		"session": { "keys": session_keys },
		"da": {
			"params": da_params(),
			"operators": da_operators,
		},
		"fileStorage": { "params": storage_params(fast_governance), "providers": storage_providers },
		"compute": { "params": compute_params(fast_governance) },
		"alignment": { "params": alignment_params(fast_governance), "licences": alignment_licences },
		"technicalCommittee": { "members": validator_accounts },
		"origins": { "fastTiming": fast_governance },
	});
	if let Some(key) = sudo {
		patch["sudo"] = serde_json::json!({ "key": key });
	}
	patch
}

/// The well-known Ethereum development keys, funded on the development presets: Hardhat/Anvil
/// accounts 0-2, and the Moonbeam-style keys (Alith, Baltathar, Charleth, Dorothy, Ethan)
/// that `zerog-eth-rpc --dev` holds for `eth_sendTransaction`. Their private keys are
/// public: never fund them on a real network.
/// - 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
///   (0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80)
/// - 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
///   (0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d)
/// - 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
///   (0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a)
/// - Alith 0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac
///   (0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133)
/// - Baltathar 0x3Cd0A705a2DC65e5b1E1205896BaA2be8A07c6e0
///   (0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b)
/// - Charleth 0x798d4Ba9baf0064Ec19eB4F0a1a45785ae9D6DFc
///   (0x0b6e18cafb6ed99687ec547bd28139cafdd2bffe70e6b688025de6b445aa5c5b)
/// - Dorothy 0x773539d4Ac0e786233D90A233654ccEE26a613D9
///   (0x39539ab1876910bbf3a223d84a29e28f1cb4e2e456503e7e91ed39b2e7223d68)
/// - Ethan 0xFf64d3F6efE2317EE2807d223a0Bdc4c0c49dfDB
///   (0x7dce9bc8babb68fec1409be38c8e1a52650206a7ed90ff956ae8a6d15eeaaef4)
pub const DEV_ETH_ADDRESSES: [[u8; 20]; 8] = [
	hex_literal::hex!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
	hex_literal::hex!("70997970C51812dc3A010C7d01b50e0d17dc79C8"),
	hex_literal::hex!("3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
	hex_literal::hex!("f24FF3a9CF04c71Dbc94D0b566f7A27B94566cac"),
	hex_literal::hex!("3Cd0A705a2DC65e5b1E1205896BaA2be8A07c6e0"),
	hex_literal::hex!("798d4Ba9baf0064Ec19eB4F0a1a45785ae9D6DFc"),
	hex_literal::hex!("773539d4Ac0e786233D90A233654ccEE26a613D9"),
	hex_literal::hex!("Ff64d3F6efE2317EE2807d223a0Bdc4c0c49dfDB"),
];

/// Every development account gets [`DEV_ENDOWMENT`]: the sr25519 dev keys and the native
/// accounts of [`DEV_ETH_ADDRESSES`].
fn dev_accounts() -> Vec<AccountId> {
	use pallet_revive::AddressMapper;
	let eth = DEV_ETH_ADDRESSES.iter().map(|a| {
		pallet_revive::AccountId32Mapper::<crate::Runtime>::to_fallback_account_id(&sp_core::H160(
			*a,
		))
	});
	Sr25519Keyring::iter().map(|k| k.to_account_id()).chain(eth).collect()
}

fn dev_genesis() -> serde_json::Value {
	genesis_patch(
		vec![dev_validator(Sr25519Keyring::Alice)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		true,
	)
}

fn local_genesis() -> serde_json::Value {
	genesis_patch(
		vec![dev_validator(Sr25519Keyring::Alice), dev_validator(Sr25519Keyring::Bob)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		true,
	)
}

fn testnet_genesis() -> serde_json::Value {
	genesis_patch(
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
			.into_iter()
			.map(dev_validator)
			.collect(),
		dev_accounts(),
		None,
		false,
	)
}

/// The JSON patch of the preset `id`, or `None` for an unknown id.
pub fn preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_PRESET => dev_genesis(),
		LOCAL_PRESET => local_genesis(),
		TESTNET_PRESET => testnet_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The ids of every preset this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_PRESET), PresetId::from(TESTNET_PRESET)]
}
