//! `da register`: register an account as a DA operator, with the proof that it holds the
//! operator key its node signs with (the key's signature over the chain's genesis hash and
//! the account), and hold its bond.

use crate::{
	args::{signer, RpcArgs},
	chain::Chain,
	error::{CliError, CliResult},
	progress::Progress,
	send::send_and_include,
};
use sp_core::{crypto::Ss58Codec, Pair};
use std::time::Duration;
use zerog_runtime::{AccountId, Balance, RuntimeCall, UNIT};

/// `da register`.
#[derive(Debug, clap::Args)]
pub struct RegisterCmd {
	/// Secret URI of the account that registers and pays the bond.
	#[arg(long)]
	pub suri: String,
	/// Secret URI of the operator key: the `zgda` key in the operator node's keystore.
	#[arg(long)]
	pub operator_suri: String,
	/// The bond, in ZG (at least the chain's `min_bond`: 1,000 on the shipped chains).
	#[arg(long)]
	pub bond: u64,
	/// The node to talk to.
	#[command(flatten)]
	pub rpc: RpcArgs,
	/// Seconds to wait for inclusion.
	#[arg(long, default_value_t = 60)]
	pub timeout: u64,
}

impl RegisterCmd {
	/// Signs the proof of possession with the operator key, sends `register_operator` from the
	/// account and waits for its inclusion.
	pub fn run(&self) -> CliResult<()> {
		let account = signer(&self.suri)?;
		let operator = sp_core::sr25519::Pair::from_string(&self.operator_suri, None)
			.map_err(|e| CliError::BadInput(format!("bad --operator-suri: {e:?}")))?;
		let bond = Balance::from(self.bond)
			.checked_mul(UNIT)
			.ok_or_else(|| CliError::BadInput(format!("bond {} ZG is too large", self.bond)))?;
		let chain = Chain::connect(&self.rpc.rpc)?;
		let who: AccountId = account.public().into();
		let genesis = chain.genesis_hash()?;
		let proof = operator.sign(&pallet_da::key_proof_payload(&genesis, &who));
		let call = RuntimeCall::Da(pallet_da::Call::register_operator {
			key: operator.public().into(),
			bond,
			proof: proof.into(),
		});
		let timeout = Duration::from_secs(self.timeout);
		let (block, _) = send_and_include(
			&chain,
			&account,
			call,
			"register_operator",
			timeout,
			&Progress::new(),
		)?;
		println!(
			"{} is a DA operator from block {block}, key {}, bond {} ZG",
			who.to_ss58check(),
			operator.public().to_ss58check(),
			self.bond
		);
		Ok(())
	}
}
