//! What every command takes: the node to talk to and the key that signs.

use crate::error::{CliError, CliResult};
use sp_core::{sr25519, Pair};

/// Where the node is.
#[derive(Debug, Clone, clap::Args)]
pub struct RpcArgs {
	/// The node's RPC URL (`ws://`, `wss://`, or `http(s)://` on the same port).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub rpc: String,
}

/// The sr25519 key of a secret URI (`//Alice`, a mnemonic, a `0x` seed).
pub fn signer(suri: &str) -> CliResult<sr25519::Pair> {
	sr25519::Pair::from_string(suri, None)
		.map_err(|e| CliError::BadInput(format!("bad --suri: {e:?}")))
}
