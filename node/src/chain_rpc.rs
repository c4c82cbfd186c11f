//! Talking to a zerog node the way a wallet does, over JSON-RPC with the runtime's own
//! types: chain facts, signing, submitting, finding a transaction's block and its events.
//! Used by the `da` CLI and the end-to-end tests.

use codec::{Decode, Encode};
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{generic::Era, MultiAddress, MultiSignature};
use zerog_da_service::http::{from_hex, to_hex, Client, RpcError};
use zerog_runtime::{
	AccountId, Nonce, RuntimeCall, RuntimeEvent, SignedPayload, TxExtension, UncheckedExtrinsic,
};

/// Block hash of block `number`.
pub fn block_hash(rpc: &Client, number: u32) -> Result<H256, RpcError> {
	Ok(H256::from_slice(&from_hex(&rpc.call("chain_getBlockHash", json!([number]))?)?))
}

/// The genesis hash.
pub fn genesis_hash(rpc: &Client) -> Result<H256, RpcError> {
	block_hash(rpc, 0)
}

/// The best block's number.
pub fn best_number(rpc: &Client) -> Result<u32, RpcError> {
	let header = rpc.call("chain_getHeader", json!([]))?;
	hex_number(&header["number"])
}

/// A `0x`-prefixed hex number (as in headers).
pub fn hex_number(value: &serde_json::Value) -> Result<u32, RpcError> {
	value
		.as_str()
		.and_then(|s| u32::from_str_radix(s.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| RpcError::Transport(format!("expected a hex number, got {value}")))
}

/// The account's next nonce, counting its transactions in the pool.
pub fn next_nonce(rpc: &Client, who: &AccountId) -> Result<Nonce, RpcError> {
	let ss58 = sp_core::crypto::Ss58Codec::to_ss58check(who);
	let nonce = rpc.call("system_accountNextIndex", json!([ss58]))?;
	nonce
		.as_u64()
		.map(|n| n as Nonce)
		.ok_or_else(|| RpcError::Transport(format!("bad nonce {nonce}")))
}

/// An account's state (nonce, balances) at block `at`, or the best block when `None`;
/// the default (empty) state for an account the chain does not know.
pub fn account_info(
	rpc: &Client,
	who: &AccountId,
	at: Option<H256>,
) -> Result<
	frame_system::AccountInfo<Nonce, pallet_balances::AccountData<zerog_runtime::Balance>>,
	RpcError,
> {
	let key = frame_system::Account::<zerog_runtime::Runtime>::hashed_key_for(who);
	let at = at.map(|h| to_hex(h.as_bytes()));
	let value = rpc.call("state_getStorage", json!([to_hex(&key), at]))?;
	if value.is_null() {
		return Ok(Default::default());
	}
	Decode::decode(&mut &from_hex(&value)?[..])
		.map_err(|e| RpcError::Transport(format!("undecodable account: {e}")))
}

/// The chain's (spec version, transaction version).
pub fn runtime_versions(rpc: &Client) -> Result<(u32, u32), RpcError> {
	let v = rpc.call("state_getRuntimeVersion", json!([]))?;
	match (v["specVersion"].as_u64(), v["transactionVersion"].as_u64()) {
		(Some(spec), Some(tx)) => Ok((spec as u32, tx as u32)),
		_ => Err(RpcError::Transport(format!("bad runtime version {v}"))),
	}
}

/// What a signed transaction commits to besides the call.
#[derive(Clone, Copy, Debug)]
pub struct SigningContext {
	/// Genesis hash (the transaction is immortal, so also its era block).
	pub genesis: H256,
	/// The runtime's spec version.
	pub spec_version: u32,
	/// The runtime's transaction version.
	pub transaction_version: u32,
}

impl SigningContext {
	/// Reads the context from the node.
	pub fn fetch(rpc: &Client) -> Result<Self, RpcError> {
		let (spec_version, transaction_version) = runtime_versions(rpc)?;
		Ok(SigningContext { genesis: genesis_hash(rpc)?, spec_version, transaction_version })
	}

	/// The context of this binary's runtime on a chain with `genesis`.
	pub fn native(genesis: H256) -> Self {
		SigningContext {
			genesis,
			spec_version: zerog_runtime::VERSION.spec_version,
			transaction_version: zerog_runtime::VERSION.transaction_version,
		}
	}
}

/// An immortal transaction signed by `signer` (or with `signer`'s key but claimed to come
/// from `claimed_sender`, which forges a bad signature for tests).
pub fn signed_extrinsic(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	claimed_sender: Option<AccountId>,
	nonce: Nonce,
	context: SigningContext,
) -> UncheckedExtrinsic {
	let sender = claimed_sender.unwrap_or_else(|| signer.public().into());
	signed_extrinsic_by(call, sender, &|payload| Some(signer.sign(payload)), nonce, context)
		.expect("a key pair always signs")
}

/// An immortal transaction from `sender`, its payload signed by `sign` (a key pair, or a
/// keystore key in the node); `None` when `sign` cannot sign.
pub fn signed_extrinsic_by(
	call: RuntimeCall,
	sender: AccountId,
	sign: &dyn Fn(&[u8]) -> Option<sr25519::Signature>,
	nonce: Nonce,
	context: SigningContext,
) -> Option<UncheckedExtrinsic> {
	let tx_ext: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_system::WeightReclaim::new(),
		pallet_revive::evm::tx_extension::SetOrigin::default(),
	);
	let SigningContext { genesis, spec_version, transaction_version } = context;
	let implicit = ((), spec_version, transaction_version, genesis, genesis, (), (), (), (), ());
	let payload = SignedPayload::from_raw(call.clone(), tx_ext.clone(), implicit);
	let signature = payload.using_encoded(sign)?;
	Some(
		zerog_runtime::GenericUncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(sender),
			MultiSignature::Sr25519(signature),
			tx_ext,
		)
		.into(),
	)
}

/// Submits an extrinsic; returns its hash.
pub fn submit(rpc: &Client, xt: &UncheckedExtrinsic) -> Result<H256, RpcError> {
	let hash = rpc.call("author_submitExtrinsic", json!([to_hex(&xt.encode())]))?;
	Ok(H256::from_slice(&from_hex(&hash)?))
}

/// The runtime events of block `at`.
pub fn events(
	rpc: &Client,
	at: H256,
) -> Result<Vec<frame_system::EventRecord<RuntimeEvent, H256>>, RpcError> {
	// `System::Events` is private in frame-system; its key is the two name hashes.
	let key = [sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
	let value = rpc.call("state_getStorage", json!([to_hex(&key), to_hex(at.as_bytes())]))?;
	if value.is_null() {
		return Ok(Vec::new());
	}
	Vec::<frame_system::EventRecord<RuntimeEvent, H256>>::decode(&mut &from_hex(&value)?[..])
		.map_err(|e| RpcError::Transport(format!("undecodable events: {e}")))
}

/// Finds the block, from number `from` up to the best block, whose body holds `xt`;
/// returns its number, hash and the extrinsic's index in it.
pub fn find_inclusion(
	rpc: &Client,
	xt: &UncheckedExtrinsic,
	from: u32,
) -> Result<Option<(u32, H256, u32)>, RpcError> {
	let wanted = to_hex(&xt.encode());
	for number in from..=best_number(rpc)? {
		let hash = block_hash(rpc, number)?;
		let block = rpc.call("chain_getBlock", json!([to_hex(hash.as_bytes())]))?;
		let position = block["block"]["extrinsics"]
			.as_array()
			.and_then(|xts| xts.iter().position(|x| x.as_str() == Some(wanted.as_str())));
		if let Some(index) = position {
			return Ok(Some((number, hash, index as u32)));
		}
	}
	Ok(None)
}

/// Why extrinsic `index` of block `at` failed, if it did: the pallet error's name when the
/// runtime's own types can tell it.
pub fn dispatch_failure(rpc: &Client, at: H256, index: u32) -> Result<Option<String>, RpcError> {
	for record in events(rpc, at)? {
		if record.phase != frame_system::Phase::ApplyExtrinsic(index) {
			continue;
		}
		if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
			dispatch_error, ..
		}) = record.event
		{
			return Ok(Some(describe_error(dispatch_error)));
		}
	}
	Ok(None)
}

/// A dispatch error in words: errors of zerog's own pallets by name (`da.BlobTooLarge`,
/// `fileStorage.BadSize`, `compute.StaleNonce`, `alignment.NoCommitment`), others as the runtime prints them.
pub fn describe_error(error: sp_runtime::DispatchError) -> String {
	use frame_support::traits::PalletInfoAccess;
	use zerog_runtime::{Alignment, Compute, Da, FileStorage, Inft, Runtime};
	if let sp_runtime::DispatchError::Module(module) = error {
		let index = module.index as usize;
		let bytes = &mut &module.error[..];
		let named = if index == Da::index() {
			pallet_da::Error::<Runtime>::decode(bytes).map(|e| format!("da.{e:?}"))
		} else if index == FileStorage::index() {
			pallet_storage::Error::<Runtime>::decode(bytes).map(|e| format!("fileStorage.{e:?}"))
		} else if index == Compute::index() {
			pallet_compute::Error::<Runtime>::decode(bytes).map(|e| format!("compute.{e:?}"))
		} else if index == Alignment::index() {
			pallet_alignment::Error::<Runtime>::decode(bytes).map(|e| format!("alignment.{e:?}"))
		} else if index == Inft::index() {
			pallet_inft::Error::<Runtime>::decode(bytes).map(|e| format!("inft.{e:?}"))
		} else {
			return format!("{error:?}");
		};
		if let Ok(named) = named {
			return named;
		}
	}
	format!("{error:?}")
}
