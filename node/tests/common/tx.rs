//! Signing and reading chain state the way a wallet does, using the runtime's own types.

use super::rpc::{from_hex, to_hex, Client};
use codec::{Decode, Encode};
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{generic::Era, MultiAddress, MultiSignature};
use zerog_runtime::{
    AccountId, Balance, BalancesCall, Nonce, Runtime, RuntimeCall, RuntimeEvent, SignedPayload,
    TxExtension, UncheckedExtrinsic, VERSION,
};

/// The genesis hash.
pub fn genesis_hash(rpc: &Client) -> H256 {
    let hash = rpc.call("chain_getBlockHash", json!([0])).unwrap();
    H256::from_slice(&from_hex(&hash))
}

/// The account's next nonce, counting transactions in the pool.
pub fn next_nonce(rpc: &Client, who: &AccountId) -> Nonce {
    let ss58 = sp_core::crypto::Ss58Codec::to_ss58check(who);
    rpc.call("system_accountNextIndex", json!([ss58])).unwrap().as_u64().unwrap() as Nonce
}

/// Free balance of `who` at `at` (best block when `None`).
pub fn free_balance(rpc: &Client, who: &AccountId, at: Option<H256>) -> Balance {
    let key = frame_system::Account::<Runtime>::hashed_key_for(who);
    let at = at.map(|h| to_hex(h.as_bytes()));
    let value = rpc.call("state_getStorage", json!([to_hex(&key), at])).unwrap();
    if value.is_null() {
        return 0;
    }
    let info =
        frame_system::AccountInfo::<Nonce, pallet_balances::AccountData<Balance>>::decode(
            &mut &from_hex(&value)[..],
        )
        .unwrap();
    info.data.free
}

/// The runtime events of block `at`.
pub fn events(rpc: &Client, at: H256) -> Vec<RuntimeEvent> {
    // `System::Events` is private in frame-system; its key is the two name hashes.
    let key = [sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
    let value = rpc.call("state_getStorage", json!([to_hex(&key), to_hex(at.as_bytes())])).unwrap();
    if value.is_null() {
        return Vec::new();
    }
    Vec::<frame_system::EventRecord<RuntimeEvent, H256>>::decode(&mut &from_hex(&value)[..])
        .unwrap()
        .into_iter()
        .map(|record| record.event)
        .collect()
}

/// An immortal transaction signed by `signer` (or with `signer`'s key but claimed to come
/// from `claimed_sender`, to forge a bad signature).
pub fn signed_extrinsic(
    call: RuntimeCall,
    signer: &sr25519::Pair,
    claimed_sender: Option<AccountId>,
    nonce: Nonce,
    genesis: H256,
) -> UncheckedExtrinsic {
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
    );
    let implicit =
        ((), VERSION.spec_version, VERSION.transaction_version, genesis, genesis, (), (), (), ());
    let payload = SignedPayload::from_raw(call.clone(), tx_ext.clone(), implicit);
    let signature = payload.using_encoded(|bytes| signer.sign(bytes));
    let sender = claimed_sender.unwrap_or_else(|| signer.public().into());
    UncheckedExtrinsic::new_signed(
        call,
        MultiAddress::Id(sender),
        MultiSignature::Sr25519(signature),
        tx_ext,
    )
}

/// A `balances.transfer_keep_alive` call.
pub fn transfer_call(dest: &AccountId, value: Balance) -> RuntimeCall {
    RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
        dest: MultiAddress::Id(dest.clone()),
        value,
    })
}

/// Submits an extrinsic; returns its hash or the node's error text.
pub fn submit(rpc: &Client, xt: &UncheckedExtrinsic) -> Result<H256, String> {
    rpc.call("author_submitExtrinsic", json!([to_hex(&xt.encode())]))
        .map(|hash| H256::from_slice(&from_hex(&hash)))
        .map_err(|e| e.text())
}

/// Finds the block (searching from `from` upwards to the best block) whose body holds the
/// extrinsic `xt`; returns its number and hash.
pub fn find_inclusion(rpc: &Client, xt: &UncheckedExtrinsic, from: u32) -> Option<(u32, H256)> {
    let wanted = to_hex(&xt.encode());
    let best_header = rpc.call("chain_getHeader", json!([])).unwrap();
    let best = super::rpc::hex_number(&best_header["number"]);
    for number in from..=best {
        let hash = rpc.call("chain_getBlockHash", json!([number])).unwrap();
        let block = rpc.call("chain_getBlock", json!([hash.clone()])).unwrap();
        let found = block["block"]["extrinsics"]
            .as_array()
            .map(|xts| xts.iter().any(|x| x.as_str() == Some(wanted.as_str())))
            .unwrap_or(false);
        if found {
            return Some((number, H256::from_slice(&from_hex(&hash))));
        }
    }
    None
}

/// The parent hash of block `hash`.
pub fn parent_of(rpc: &Client, hash: H256) -> H256 {
    let header = rpc.call("chain_getHeader", json!([to_hex(hash.as_bytes())])).unwrap();
    H256::from_slice(&from_hex(&header["parentHash"]))
}
