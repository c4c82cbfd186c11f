//! Command-line flags and subcommands.

/// The zerog node: run a chain (no subcommand) or one of the maintenance subcommands.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A maintenance subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Run as a DA operator: the off-chain worker fetches, checks and stores this node's
	/// chunks of new blobs, votes for them and answers sampling challenges, for the operator
	/// keys (type `zgda`) in the keystore. With `--alice` etc. the dev seed is that key.
	/// Turns off-chain workers on.
	#[arg(long)]
	pub da_operator: bool,

	/// Address of the raw-byte data path: DA blobs (`POST /blobs`, `GET /blobs/<id|root>`)
	/// and storage segments (`POST /files/segments`, `GET /files/<root>/segments/<from>/<n>`).
	/// Port 0 picks a free port; `da_info` and `storage_info` tell clients which. `off`
	/// disables it.
	#[arg(long, default_value = "127.0.0.1:0")]
	pub da_http_addr: String,

	/// Run as a storage provider: keep this provider's shard of every live file (fetching
	/// missing segments from peers). The provider account is the `zgst` key in the keystore;
	/// with `--alice` etc. the dev seed is that key. `--dev` implies it.
	#[arg(long)]
	pub storage_provider: bool,

	/// Share of one core (percent, 0-100) a storage provider spends mining PoRA; 0 turns
	/// mining off.
	#[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(0..=100))]
	pub pora_cpu: u32,

	/// Run an alignment node: each era, check the storage providers, DA members and compute
	/// services the chain drew, commit to the verdicts and reveal them after the era, for
	/// the licences delegated to the operator account. That account is the `algn` key in the
	/// keystore; with `--alice` etc. the dev seed is that key. Reports are kept under
	/// `<base-path>/chains/<chain>/alignment` until revealed.
	#[arg(long)]
	pub alignment: bool,

	/// Run as a KV node: replay the chain's KV log into a local database and serve
	/// `kv_get`, `kv_next`, `kv_prev`, `kv_first`, `kv_last`, `kv_entry`, `kv_info`.
	#[arg(long)]
	pub kv: bool,

	/// Seconds a KV node waits for the data of an entry the chain keeps no verdict on
	/// (written before verdicts, or with `kvWindow` 0) before skipping it. Entries with a
	/// verdict are applied or skipped as the chain decided, the same on every KV node.
	#[arg(long, default_value_t = 30)]
	pub kv_entry_timeout: u64,

	/// Port of the Ethereum JSON-RPC (`eth_*`, for wallets and tools), served by the
	/// `zerog-eth-rpc` program that the node starts and keeps running. `--dev` serves it on
	/// 8545 unless this says otherwise; other nodes serve it only when given a port. `off`
	/// disables it.
	#[arg(long, value_name = "PORT|off")]
	pub eth_rpc_port: Option<String>,

	/// Path of the `zerog-eth-rpc` program (default: next to `zerog-node`, then `PATH`).
	#[arg(long, value_name = "PATH")]
	pub eth_rpc_bin: Option<std::path::PathBuf>,

	/// One more argument for `zerog-eth-rpc`, e.g. `--eth-rpc-arg=--eth-pruning=1000`
	/// (repeatable; see `zerog-eth-rpc --help`).
	#[arg(long, value_name = "ARG", allow_hyphen_values = true)]
	pub eth_rpc_arg: Vec<String>,

	/// GRANDPA votes for a block this many blocks behind the best one (default 0: the best
	/// block). A lag guards against voting for a block that a fork is about to replace, but
	/// finality waits that many blocks longer (2 s each). Safety does not depend on it.
	#[arg(long, value_name = "BLOCKS", default_value_t = 0)]
	pub finality_vote_lag: u32,

	/// Flags of a running node (roles, network, RPC, database, telemetry, Prometheus...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// The subcommands of `zerog-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys and node keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Write a chain specification (`--chain dev|local|testnet|FILE`, `--raw` for storage form).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Write a chain specification without needing a database (same output as `build-spec`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: `pallet` (weights; needs `--features runtime-benchmarks`), `storage`,
	/// `overhead`, `block` and `machine`.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Data availability client: `submit` a blob, `get` one back, `bench` the data path.
	#[command(subcommand)]
	Da(zerog_cli::DaCmd),

	/// Storage client: `upload` a file and wait for its replicas, `download` one (verified),
	/// `status` of one, `bench` the segment path.
	#[command(subcommand)]
	Storage(zerog_cli::StorageCmd),

	/// KV client: `put` a value (a KV entry file), `grant` a writer, `get` one, `iter` a
	/// stream, `bench` reads.
	#[command(subcommand)]
	Kv(zerog_cli::KvCmd),

	/// Load generators: `transfers` (native balance transfers per second).
	#[command(subcommand)]
	Bench(zerog_cli::BenchCmd),
}

#[cfg(test)]
mod tests {
	/// clap's own checks of every subcommand (duplicate names, bad defaults), which would
	/// otherwise only panic when that subcommand runs.
	#[test]
	fn the_command_line_is_consistent() {
		use clap::CommandFactory;
		super::Cli::command().debug_assert();
	}
}
