//! The bench's sender accounts: derived from one seed (`SEED//0`, `SEED//1`, ...), topped up
//! by a funder in `utility.batch_all`s of transfers, their nonces read back in one storage
//! query. Many senders keep each account's chain of nonces short, as real traffic is.

use crate::{
	chain::{signed_extrinsic, Chain},
	error::{CliError, CliResult},
};
use sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};
use zerog_runtime::{AccountId, Balance, BalancesCall, Nonce, RuntimeCall, SigningContext};

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
pub fn derive(seed: &str, count: usize) -> CliResult<Vec<sr25519::Pair>> {
	(0..count)
		.map(|i| {
			sr25519::Pair::from_string(&format!("{seed}//{i}"), None).map_err(|e| {
				CliError::BadInput(format!("cannot derive sender {i} from {seed}: {e:?}"))
			})
		})
		.collect()
}

/// Tops up every sender whose free balance is under `need` to `need` (and a margin) from
/// `funder`, waits until the top-ups are finalized, and returns the senders with their next
/// nonces and how many were funded.
pub fn fund(
	chain: &Chain,
	funder: &sr25519::Pair,
	pairs: Vec<sr25519::Pair>,
	need: Balance,
	context: SigningContext,
	timeout: Duration,
) -> CliResult<(Vec<Sender>, usize)> {
	let accounts: Vec<AccountId> = pairs.iter().map(|p| p.public().into()).collect();
	let states = chain.account_infos(&accounts, None)?;
	let short: Vec<AccountId> = accounts
		.iter()
		.zip(&states)
		.filter(|(_, s)| s.data.free < need)
		.map(|(a, _)| a.clone())
		.collect();
	let funder_account: AccountId = funder.public().into();
	if !short.is_empty() {
		let top_up = need.saturating_mul(2);
		let available = chain.account_info(&funder_account, None)?.data.free;
		let wanted = top_up.saturating_mul(short.len() as Balance);
		if available <= wanted {
			return Err(CliError::BadInput(format!(
				"the funder {funder_account} holds {available}, less than the {wanted} that {} \
				 senders need",
				short.len()
			)));
		}
		let first_nonce = chain.next_nonce(&funder_account)?;
		for (nonce, chunk) in (first_nonce..).zip(short.chunks(FUNDING_BATCH)) {
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
			let xt = signed_extrinsic(batch, funder, None, nonce, context);
			chain
				.submit(&xt)
				.map_err(|source| CliError::Refused { what: "a funding transaction", source })?;
		}
		let deadline = Instant::now() + timeout;
		loop {
			let finalized = chain.finalized_head()?;
			let funded = chain.account_infos(&short, Some(finalized))?;
			if funded.iter().all(|s| s.data.free >= need) {
				break;
			}
			if Instant::now() > deadline {
				return Err(CliError::TimedOut {
					what: "the senders' top-ups were not finalized".into(),
					after: timeout,
				});
			}
			std::thread::sleep(Duration::from_millis(250));
		}
	}
	let states = chain.account_infos(&accounts, Some(chain.finalized_head()?))?;
	let senders = pairs
		.into_iter()
		.zip(accounts)
		.zip(states)
		.map(|((pair, account), state)| Sender { pair, account, nonce: state.nonce })
		.collect();
	Ok((senders, short.len()))
}
