//! The Ethereum JSON-RPC: `zerog-node` starts the `zerog-eth-rpc` program beside itself and
//! keeps it running.
//!
//! `zerog-eth-rpc` is pallet-revive's eth-rpc server. It talks to this node over its
//! WebSocket RPC and serves `eth_*`, `net_*` and `web3_*` to wallets and tools. The node
//! starts it once its own RPC server listens, restarts it (with a growing pause) if it
//! exits, and stops it when the node stops: the child is killed when its handle drops, and
//! on Linux also when the node dies without cleaning up (`PR_SET_PDEATHSIG`).

use std::{
	path::{Path, PathBuf},
	process::Stdio,
	time::Duration,
};

use sp_core::H256;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Log target of the supervisor and of the lines the program prints.
const LOG_TARGET: &str = "eth-rpc";
/// Name of the program, looked up next to `zerog-node` and then on `PATH`.
pub const PROGRAM: &str = "zerog-eth-rpc";
/// Ethereum JSON-RPC port when `--dev` runs without `--eth-rpc-port`.
pub const DEFAULT_PORT: u16 = 8545;
/// Longest pause between restarts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// A run at least this long resets the pause between restarts.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// How to run the Ethereum JSON-RPC program.
#[derive(Clone, Debug)]
pub struct EthRpcOptions {
	/// Port it serves on.
	pub port: u16,
	/// The program (`--eth-rpc-bin`), or `None` to look it up.
	pub program: Option<PathBuf>,
	/// More arguments for the program (`--eth-rpc-arg`).
	pub extra_args: Vec<String>,
}

/// What the supervisor needs from the node's configuration.
#[derive(Clone, Debug)]
pub struct NodeSide {
	/// Port of the node's own RPC server.
	pub node_rpc_port: u16,
	/// The chain's genesis hash, to make sure that port is this node.
	pub genesis: H256,
	/// Where the program keeps its receipt database.
	pub base_path: PathBuf,
	/// The node runs `--dev`: pass `--dev` on (all CORS origins, verbose request log).
	pub dev: bool,
	/// The node's RPC listens on all interfaces: so does the Ethereum RPC.
	pub external: bool,
}

impl NodeSide {
	/// What the supervisor needs from `config`; `None` when the node's RPC server is off.
	pub fn of(config: &sc_service::Configuration, genesis: H256) -> Option<Self> {
		let endpoints = config.rpc.addr.as_ref()?;
		let first = endpoints.first()?;
		Some(NodeSide {
			node_rpc_port: first.listen_addr.port(),
			genesis,
			base_path: config.data_path.join("eth-rpc"),
			dev: config.chain_spec.chain_type() == sc_chain_spec::ChainType::Development,
			external: endpoints.iter().any(|e| e.listen_addr.ip().is_unspecified()),
		})
	}
}

/// Starts the supervisor as a task of the node.
pub fn start(task_manager: &sc_service::TaskManager, options: EthRpcOptions, node: NodeSide) {
	task_manager.spawn_handle().spawn("eth-rpc", None, supervise(options, node));
}

/// Why the Ethereum JSON-RPC program was not started.
#[derive(Debug, thiserror::Error)]
pub enum EthRpcError {
	/// `--eth-rpc-bin` names no file.
	#[error("--eth-rpc-bin {}: no such file", .0.display())]
	NoSuchProgram(PathBuf),
	/// The program is neither next to `zerog-node` nor on `PATH`.
	#[error(
		"{PROGRAM} was not found next to zerog-node nor on PATH; build it with \
		 `cargo build -p zerog-eth-rpc`, pass --eth-rpc-bin, or --eth-rpc-port off"
	)]
	ProgramNotFound,
	/// The node's RPC port answers with another chain's genesis.
	#[error("RPC port {port} is another chain's node (genesis {genesis:?}); give this node a free --rpc-port")]
	OtherChain {
		/// The port.
		port: u16,
		/// The genesis found there.
		genesis: H256,
	},
	/// The node's RPC port does not answer.
	#[error("this node's RPC is not on port {port} ({reason}); pass --rpc-port")]
	NodeRpcNotThere {
		/// The port.
		port: u16,
		/// What the client said.
		reason: String,
	},
}

/// Finds the program: `--eth-rpc-bin`, else next to the running `zerog-node`, else `PATH`.
pub fn locate_program(explicit: Option<&Path>) -> Result<PathBuf, EthRpcError> {
	if let Some(path) = explicit {
		return if path.is_file() {
			Ok(path.to_path_buf())
		} else {
			Err(EthRpcError::NoSuchProgram(path.to_path_buf()))
		};
	}
	let beside = std::env::current_exe()
		.ok()
		.and_then(|exe| exe.parent().map(|dir| dir.join(PROGRAM)))
		.filter(|path| path.is_file());
	let on_path = || {
		std::env::var_os("PATH").and_then(|paths| {
			std::env::split_paths(&paths).map(|dir| dir.join(PROGRAM)).find(|p| p.is_file())
		})
	};
	beside.or_else(on_path).ok_or(EthRpcError::ProgramNotFound)
}

/// The program's command line.
pub fn program_args(options: &EthRpcOptions, node: &NodeSide) -> Vec<String> {
	let mut args = vec![
		"--node-rpc-url".to_string(),
		format!("ws://127.0.0.1:{}", node.node_rpc_port),
		"--rpc-port".to_string(),
		options.port.to_string(),
		"--base-path".to_string(),
		node.base_path.display().to_string(),
	];
	if node.dev {
		args.push("--dev".into());
	}
	if node.external {
		args.push("--rpc-external".into());
	}
	if !options.extra_args.iter().any(|arg| arg.starts_with("--prometheus")) {
		// Its own Prometheus port (9616) would clash between nodes on one machine.
		args.push("--no-prometheus".into());
	}
	args.extend(options.extra_args.iter().cloned());
	args
}

/// Runs the program until the node stops: checks the node's RPC is this chain, starts the
/// program, forwards its output to the log and restarts it when it exits.
async fn supervise(options: EthRpcOptions, node: NodeSide) {
	let program = match locate_program(options.program.as_deref()) {
		Ok(program) => program,
		Err(e) => {
			log::error!(target: LOG_TARGET, "Ethereum JSON-RPC not started: {e}");
			return;
		},
	};
	if let Err(e) = check_node_rpc(&node).await {
		log::error!(target: LOG_TARGET, "Ethereum JSON-RPC not started: {e}");
		return;
	}
	let args = program_args(&options, &node);
	let mut backoff = Duration::from_secs(1);
	loop {
		let started = std::time::Instant::now();
		log::info!(
			target: LOG_TARGET,
			"Ethereum JSON-RPC on port {} ({} {})",
			options.port,
			program.display(),
			args.join(" ")
		);
		match run_once(&program, &args).await {
			Ok(status) => log::warn!(target: LOG_TARGET, "{PROGRAM} exited ({status})"),
			Err(e) => log::error!(target: LOG_TARGET, "{PROGRAM} could not run: {e}"),
		}
		if started.elapsed() >= HEALTHY_RUN {
			backoff = Duration::from_secs(1);
		}
		log::info!(target: LOG_TARGET, "restarting {PROGRAM} in {} s", backoff.as_secs());
		tokio::time::sleep(backoff).await;
		backoff = (backoff * 2).min(MAX_BACKOFF);
	}
}

/// Makes sure the node's RPC port answers with this chain's genesis: with `--dev` the node
/// moves to a random port when the asked one is taken, and the program must not attach to
/// whichever process holds it.
async fn check_node_rpc(node: &NodeSide) -> Result<(), EthRpcError> {
	let port = node.node_rpc_port;
	let found = tokio::task::spawn_blocking(move || {
		zerog_cli::chain::Chain::connect(&format!("ws://127.0.0.1:{port}"))?.genesis_hash()
	})
	.await
	.map_err(|e| EthRpcError::NodeRpcNotThere { port, reason: e.to_string() })?;
	match found {
		Ok(genesis) if genesis == node.genesis => Ok(()),
		Ok(genesis) => Err(EthRpcError::OtherChain { port, genesis }),
		Err(e) => Err(EthRpcError::NodeRpcNotThere { port, reason: e.to_string() }),
	}
}

/// Starts the program once and waits for it to exit, logging what it prints.
async fn run_once(program: &Path, args: &[String]) -> std::io::Result<std::process::ExitStatus> {
	let mut command = tokio::process::Command::new(program);
	command
		.args(args)
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.kill_on_drop(true);
	#[cfg(target_os = "linux")]
	// SAFETY: the closure runs in the child between fork and exec and only calls `prctl`,
	// which is async-signal-safe.
	unsafe {
		command.pre_exec(|| {
			if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
				return Err(std::io::Error::last_os_error());
			}
			Ok(())
		});
	}
	let mut child = command.spawn()?;
	let stdout = child.stdout.take().map(forward_lines);
	let stderr = child.stderr.take().map(forward_lines);
	let status = child.wait().await;
	for task in [stdout, stderr].into_iter().flatten() {
		task.abort();
	}
	status
}

/// Logs every line a stream of the program prints.
fn forward_lines(
	stream: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> tokio::task::JoinHandle<()> {
	tokio::spawn(async move {
		let mut lines = BufReader::new(stream).lines();
		while let Ok(Some(line)) = lines.next_line().await {
			log::info!(target: LOG_TARGET, "{}", without_timestamp(line.trim_end()));
		}
	})
}

/// A line of the program's log without its own `YYYY-MM-DD HH:MM:SS ` prefix (the node's
/// logger adds one).
fn without_timestamp(line: &str) -> &str {
	let stamped = line.len() > 20
		&& line.as_bytes()[..19].iter().enumerate().all(|(i, b)| {
			matches!((i, b), (4 | 7, b'-') | (10, b' ') | (13 | 16, b':')) || b.is_ascii_digit()
		}) && line.as_bytes()[19] == b' ';
	if stamped {
		&line[20..]
	} else {
		line
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn node() -> NodeSide {
		NodeSide {
			node_rpc_port: 9944,
			genesis: H256::zero(),
			base_path: "/data/eth-rpc".into(),
			dev: true,
			external: false,
		}
	}

	#[test]
	fn args_point_at_the_node_and_silence_prometheus() {
		let options = EthRpcOptions { port: 8545, program: None, extra_args: vec![] };
		let args = program_args(&options, &node()).join(" ");
		assert_eq!(
			args,
			"--node-rpc-url ws://127.0.0.1:9944 --rpc-port 8545 --base-path /data/eth-rpc \
             --dev --no-prometheus"
		);
	}

	#[test]
	fn extra_args_come_last_and_may_enable_prometheus() {
		let options = EthRpcOptions {
			port: 18545,
			program: None,
			extra_args: vec!["--prometheus-port=9700".into(), "--eth-pruning=100".into()],
		};
		let args = program_args(&options, &NodeSide { dev: false, external: true, ..node() });
		assert!(!args.contains(&"--no-prometheus".to_string()));
		assert!(!args.contains(&"--dev".to_string()));
		assert!(args.contains(&"--rpc-external".to_string()));
		assert_eq!(&args[args.len() - 2..], ["--prometheus-port=9700", "--eth-pruning=100"]);
	}

	#[test]
	fn the_programs_own_timestamp_is_dropped() {
		assert_eq!(without_timestamp("2026-11-22 09:11:07 💾 Database path"), "💾 Database path");
		assert_eq!(without_timestamp("no stamp here"), "no stamp here");
		assert_eq!(without_timestamp("2026-11-22 09:11:07"), "2026-11-22 09:11:07");
	}

	#[test]
	fn an_explicit_program_must_exist() {
		let err = locate_program(Some(Path::new("/nonexistent/zerog-eth-rpc"))).unwrap_err();
		assert!(err.to_string().contains("no such file"), "{err}");
	}
}
