//! Sending a signed call and waiting until a block includes it: what every command that
//! changes chain state shares.

use crate::{
	chain::{signed_extrinsic, Chain},
	error::{CliError, CliResult},
	progress::Progress,
};
use sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};
use zerog_runtime::RuntimeCall;

/// Signs `call` with `signer` (next nonce), sends it and waits until a block includes it.
/// Returns that block's number and the time from sending. A refusal by the pool, a failed
/// dispatch (with the pallet error's name) or no inclusion within `timeout` is an error that
/// names `what`.
pub fn send_and_include(
	chain: &Chain,
	signer: &sr25519::Pair,
	call: RuntimeCall,
	what: &'static str,
	timeout: Duration,
	progress: &Progress,
) -> CliResult<(u32, Duration)> {
	let context = chain.signing_context()?;
	let nonce = chain.next_nonce(&signer.public().into())?;
	let xt = signed_extrinsic(call, signer, None, nonce, context);
	let from = chain.best_number()?;
	let sent_at = Instant::now();
	chain.submit(&xt).map_err(|source| CliError::Refused { what, source })?;
	let mut searched_to = from;
	loop {
		if sent_at.elapsed() > timeout {
			return Err(CliError::TimedOut {
				what: format!("{what} not included"),
				after: timeout,
			});
		}
		if let Some((number, hash, index)) = chain.find_inclusion(&xt, searched_to)? {
			if let Some(reason) = chain.dispatch_failure(hash, index)? {
				return Err(CliError::Failed { what, block: number, reason });
			}
			progress.stage(&format!("{what} included in block {number}"));
			return Ok((number, sent_at.elapsed()));
		}
		searched_to = chain.best_number()?.max(from);
		std::thread::sleep(Duration::from_millis(200));
	}
}
