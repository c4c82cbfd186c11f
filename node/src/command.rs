//! Dispatches the command line: run the node, or one of the maintenance subcommands.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service::{
		self,
		types::{FullBackend, FullClient, HostFunctions},
	},
};
use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use service::types::Block;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"zerog-node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/zerog/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id)
	}
}

/// A client command's error, as the node's command line reports it.
fn client_error(e: zerog_cli::CliError) -> sc_cli::Error {
	sc_cli::Error::Input(e.to_string())
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	// A 32 MiB blob travels as 64 MiB of hex: raise the RPC limits unless they were set.
	let rpc = &mut cli.run.rpc_params;
	if rpc.rpc_max_request_size == sc_cli::RPC_DEFAULT_MAX_REQUEST_SIZE_MB {
		rpc.rpc_max_request_size = crate::roles::da::DA_RPC_PAYLOAD_MB;
	}
	if rpc.rpc_max_response_size == sc_cli::RPC_DEFAULT_MAX_RESPONSE_SIZE_MB {
		rpc.rpc_max_response_size = crate::roles::da::DA_RPC_PAYLOAD_MB;
	}

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				let aux_revert = Box::new(
					|client: std::sync::Arc<FullClient>,
					 backend: std::sync::Arc<FullBackend>,
					 blocks| {
						sc_consensus_babe::revert(client.clone(), backend, blocks)?;
						sc_consensus_grandpa::revert(client, blocks)?;
						Ok(())
					},
				);
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| match cmd {
				BenchmarkCmd::Pallet(cmd) => {
					if !cfg!(feature = "runtime-benchmarks") {
						return Err("Pallet benchmarks need a node built with \
                            `--features runtime-benchmarks` (see scripts/benchmark-weights.sh)."
							.into());
					}
					cmd.run_with_spec::<sp_runtime::traits::HashingFor<Block>, HostFunctions>(Some(
						config.chain_spec,
					))
				},
				BenchmarkCmd::Block(cmd) => {
					let PartialComponents { client, .. } = service::new_partial(&config)?;
					cmd.run(client)
				},
				#[cfg(not(feature = "runtime-benchmarks"))]
				BenchmarkCmd::Storage(_) => Err("Storage benchmarks need a node built with \
                    `--features runtime-benchmarks`."
					.into()),
				#[cfg(feature = "runtime-benchmarks")]
				BenchmarkCmd::Storage(cmd) => {
					let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
					let db = backend.expose_db();
					let storage = backend.expose_storage();
					let shared_cache = backend.expose_shared_trie_cache();
					cmd.run(config, client, db, storage, shared_cache)
				},
				BenchmarkCmd::Overhead(cmd) => cmd
					.run_with_default_builder_and_spec::<Block, HostFunctions>(Some(
						config.chain_spec,
					)),
				BenchmarkCmd::Extrinsic(_) => Err("`benchmark extrinsic` is not offered: \
                    use `benchmark pallet` for call weights and `benchmark overhead` for the \
                    block and extrinsic base weights."
					.into()),
				BenchmarkCmd::Machine(cmd) => {
					cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone())
				},
			})
		},
		Some(Subcommand::Da(cmd)) => cmd.run().map_err(client_error),
		Some(Subcommand::Storage(cmd)) => cmd.run().map_err(client_error),
		Some(Subcommand::Kv(cmd)) => cmd.run().map_err(client_error),
		Some(Subcommand::Bench(cmd)) => cmd.run().map_err(client_error),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let da_http_addr = match cli.da_http_addr.as_str() {
				"off" => None,
				addr => Some(
					addr.parse()
						.map_err(|e| sc_cli::Error::Input(format!("--da-http-addr {addr}: {e}")))?,
				),
			};
			let eth_rpc = match cli.eth_rpc_port.as_deref() {
				Some("off") => None,
				None if !cli.run.shared_params.is_dev() => None,
				port => Some(crate::roles::eth_rpc::EthRpcOptions {
					port: match port {
						None => crate::roles::eth_rpc::DEFAULT_PORT,
						Some(port) => port.parse().map_err(|e| {
							sc_cli::Error::Input(format!("--eth-rpc-port {port}: {e}"))
						})?,
					},
					program: cli.eth_rpc_bin.clone(),
					extra_args: cli.eth_rpc_arg.clone(),
				}),
			};
			let options = service::NodeOptions {
				roles: crate::roles::RoleOptions {
					da_operator: cli.da_operator,
					da_http_addr,
					storage_provider: cli.storage_provider || cli.run.shared_params.is_dev(),
					pora_cpu: cli.pora_cpu,
					alignment: cli.alignment,
					kv: cli.kv.then(|| std::time::Duration::from_secs(cli.kv_entry_timeout)),
					eth_rpc,
				},
				finality_vote_lag: cli.finality_vote_lag,
			};
			runner.run_node_until_exit(|mut config| async move {
				if options.roles.da_operator {
					config.offchain_worker.enabled = true;
				}
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<
							Block,
							<Block as sp_runtime::traits::Block>::Hash,
						>,
					>(config, options)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config, options)
							.map_err(sc_cli::Error::Service)
					},
				}
			})
		},
	}
}
