//! `zerog-eth-rpc`: the Ethereum JSON-RPC server of a zerog chain (see the crate docs).
//! It takes the flags of pallet-revive's `eth-rpc`: `--node-rpc-url` (the node's
//! WebSocket RPC), `--rpc-port` (8545 by default), `--dev`, `--base-path`, `--eth-pruning`...

fn main() -> anyhow::Result<()> {
	let command = pallet_revive_eth_rpc::cli::CliCommand::parse_cli()?;
	zerog_eth_rpc::run(command)
}
