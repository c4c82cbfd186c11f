//! The bench's sender accounts: derived from one seed (`SEED//0`, `SEED//1`, ...), topped up
//! by a funder in `utility.batch_all`s of transfers, their nonces read back in one storage
//! query. Many senders keep each account's chain of nonces short, as real traffic is.

use crate::{
	chain_rpc::{self, SigningContext},
	da_cli::{rpc_err, CmdResult},
};
use codec::Decode;
use serde_json::json;
use sp_core::{sr25519, Pair, H256};
use std::time::{Duration, Instant};
use zerog_da_service::http::{from_hex, to_hex, Client};
use zerog_runtime::{AccountId, Balance, BalancesCall, Nonce, RuntimeCall};

/// Transfers per funding `utility.batch_all` (well inside a block's weight).
const FUNDING_BATCH: usize = 200;

/// A sender: its key and the nonce of its next transaction.
pub struct Sender {
	/// The signing key.
	pub pair: sr25519::Pair,
	/// Its account.
	pub account: AccountId,
	/// The nonce its first bench transfer takes.
	pub nonce: Nonce,
}

/// The `count` keys `SEED//0` .. `SEED//count-1`.
pub fn derive(seed: &str, count: usize) -> CmdResult<Vec<sr25519::Pair>> {
	(0..count)
		.map(|i| {
			sr25519::Pair::from_string(&format!("{seed}//{i}"), None)
				.map_err(|e| format!("cannot derive sender {i} from {seed}: {e:?}"))
		})
		.collect()
}

type AccountState = frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>;

/// Every account's state at `at` (the best block when `None`), in one `state_queryStorageAt`;
/// an account the chain does not know has the default state.
pub fn account_states(
	rpc: &Client,
	accounts: &[AccountId],
	at: Option<H256>,
) -> CmdResult<Vec<AccountState>> {
	let mut states = Vec::with_capacity(accounts.len());
	// Bounded requests: a node caps the size of one RPC answer.
	for chunk in accounts.chunks(2048) {
		let keys: Vec<String> = chunk
			.iter()
			.map(|a| to_hex(&frame_system::Account::<zerog_runtime::Runtime>::hashed_key_for(a)))
			.collect();
		let at = at.map(|h| to_hex(h.as_bytes()));
		let answer = rpc.call("state_queryStorageAt", json!([keys, at])).map_err(rpc_err)?;
		let mut by_key = std::collections::HashMap::new();
		for change_set in answer.as_array().into_iter().flatten() {
			for pair in change_set["changes"].as_array().into_iter().flatten() {
				if let (Some(key), value) = (pair[0].as_str(), &pair[1]) {
					by_key.insert(key.to_string(), value.clone());
				}
			}
		}
		for key in &keys {
			let state = match by_key.get(key) {
				Some(value) if !value.is_null() => {
					let bytes = from_hex(value).map_err(rpc_err)?;
					AccountState::decode(&mut &bytes[..])
						.map_err(|e| format!("undecodable account: {e}"))?
				},
				_ => AccountState::default(),
			};
			states.push(state);
		}
	}
	Ok(states)
}

/// Tops up every sender whose free balance is under `need` to `need` (and a margin) from
/// `funder`, waits until the top-ups are finalized, and returns the senders with their next
/// nonces and how many were funded.
pub fn fund(
	rpc: &Client,
	funder: &sr25519::Pair,
	pairs: Vec<sr25519::Pair>,
	need: Balance,
	context: SigningContext,
	timeout: Duration,
) -> CmdResult<(Vec<Sender>, usize)> {
	let accounts: Vec<AccountId> = pairs.iter().map(|p| p.public().into()).collect();
	let states = account_states(rpc, &accounts, None)?;
	let short: Vec<AccountId> = accounts
		.iter()
		.zip(&states)
		.filter(|(_, s)| s.data.free < need)
		.map(|(a, _)| a.clone())
		.collect();
	let funder_account: AccountId = funder.public().into();
	if !short.is_empty() {
		let top_up = need.saturating_mul(2);
		let available =
			chain_rpc::account_info(rpc, &funder_account, None).map_err(rpc_err)?.data.free;
		let wanted = top_up.saturating_mul(short.len() as Balance);
		if available <= wanted {
			return Err(format!(
                "the funder {funder_account} holds {available}, less than the {wanted} that {} senders need",
                short.len()
            ));
		}
		let mut nonce = chain_rpc::next_nonce(rpc, &funder_account).map_err(rpc_err)?;
		for chunk in short.chunks(FUNDING_BATCH) {
			let calls = chunk
				.iter()
				.map(|dest| {
					RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
						dest: dest.clone().into(),
						value: top_up,
					})
				})
				.collect();
			let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls });
			let xt = chain_rpc::signed_extrinsic(batch, funder, None, nonce, context);
			chain_rpc::submit(rpc, &xt)
				.map_err(|e| format!("funding transaction refused: {}", rpc_err(e)))?;
			nonce += 1;
		}
		let deadline = Instant::now() + timeout;
		loop {
			let finalized = finalized_head(rpc)?;
			let funded = account_states(rpc, &short, Some(finalized))?;
			if funded.iter().all(|s| s.data.free >= need) {
				break;
			}
			if Instant::now() > deadline {
				return Err("the senders' top-ups were not finalized in time".into());
			}
			std::thread::sleep(Duration::from_millis(250));
		}
	}
	let states = account_states(rpc, &accounts, Some(finalized_head(rpc)?))?;
	let senders = pairs
		.into_iter()
		.zip(accounts)
		.zip(states)
		.map(|((pair, account), state)| Sender { pair, account, nonce: state.nonce })
		.collect();
	Ok((senders, short.len()))
}

/// The finalized head's hash.
pub fn finalized_head(rpc: &Client) -> CmdResult<H256> {
	let hash = rpc.call("chain_getFinalizedHead", json!([])).map_err(rpc_err)?;
	Ok(H256::from_slice(&from_hex(&hash).map_err(rpc_err)?))
}
