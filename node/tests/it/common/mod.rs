//! Test harness shared by the end-to-end tests: start the real `zerog-node` binary on free
//! loopback ports, talk JSON-RPC to it over HTTP, sign transactions, and stop it.
#![allow(dead_code)]

pub mod evm;
pub mod load;
pub mod rpc;
pub mod tx;

use std::{
	collections::BTreeSet,
	fs::File,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::Mutex,
	time::{Duration, Instant},
};

/// Path of the node binary cargo built for these tests.
pub fn node_binary() -> &'static str {
	env!("CARGO_BIN_EXE_zerog-node")
}

/// A free TCP port on 127.0.0.1 (bound once, then released for the node to take), never
/// one this test binary handed out before: tests run in parallel, and two of them must not
/// race for one port.
pub fn free_port() -> u16 {
	static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
	loop {
		let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
		if GIVEN.lock().unwrap().insert(port) {
			return port;
		}
	}
}

/// A running `zerog-node` process; killed when dropped.
pub struct Node {
	/// The child process, while it runs.
	child: std::sync::Mutex<Option<Child>>,
	/// The command line, to start it again after [`Node::stop`].
	command: Vec<String>,
	/// HTTP JSON-RPC client for the node's RPC port.
	pub rpc: rpc::Client,
	/// The RPC port.
	pub rpc_port: u16,
	/// The node's libp2p port.
	pub p2p_port: u16,
	/// Its Prometheus port, when enabled.
	pub prometheus_port: Option<u16>,
	/// Where its log goes.
	pub log_path: PathBuf,
	/// The name it was started with (`--name`).
	name: String,
	/// Base path; removed with the node.
	_base: tempfile::TempDir,
}

impl Node {
	/// Starts the node with `args` plus base path, ports and quiet-network flags, and waits
	/// until its RPC answers.
	pub fn start(name: &str, args: &[&str], prometheus: bool) -> Node {
		let base = tempfile::Builder::new().prefix(&format!("zerog-{name}-")).tempdir().unwrap();
		let rpc_port = free_port();
		let p2p_port = free_port();
		let prometheus_port = prometheus.then(free_port);
		let log_path = base.path().join("node.log");

		let mut command: Vec<String> = args.iter().map(|a| a.to_string()).collect();
		command.extend([
			"--base-path".into(),
			base.path().display().to_string(),
			"--rpc-port".into(),
			rpc_port.to_string(),
			"--listen-addr".into(),
			format!("/ip4/127.0.0.1/tcp/{p2p_port}"),
			"--no-mdns".into(),
			"--no-telemetry".into(),
			"--name".into(),
			name.into(),
		]);
		if !args.contains(&"--dev") {
			// A validator on a named chain needs a network key; tests make a fresh one
			// (kept in the base path, so a restarted node keeps its peer id).
			command.push("--unsafe-force-node-key-generation".into());
		}
		if !args.contains(&"--eth-rpc-port") {
			// Only the EVM test runs the Ethereum RPC; the others would race for port 8545.
			command.extend(["--eth-rpc-port".into(), "off".into()]);
		}
		match prometheus_port {
			Some(port) => command.extend(["--prometheus-port".into(), port.to_string()]),
			None => command.push("--no-prometheus".into()),
		};
		let node = Node {
			child: std::sync::Mutex::new(None),
			command,
			rpc: rpc::Client::local(rpc_port),
			rpc_port,
			p2p_port,
			prometheus_port,
			log_path,
			name: name.to_string(),
			_base: base,
		};
		node.restart();
		node
	}

	/// Starts the node again with the same command line and base path (stopping it first
	/// if it runs), and waits until its RPC answers.
	pub fn restart(&self) {
		self.stop();
		let log = File::options().create(true).append(true).open(&self.log_path).unwrap();
		let child = Command::new(node_binary())
			.args(&self.command)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("zerog-node starts");
		*self.child.lock().unwrap() = Some(child);
		self.wait_for("RPC to answer", Duration::from_secs(120), |n| {
			n.rpc.call("system_health", serde_json::json!([])).is_ok()
		});
	}

	/// Changes the command line of a stopped node: removes the flags in `remove`, appends
	/// `add`. The next [`Node::restart`] uses it.
	pub fn change_args(&mut self, remove: &[&str], add: &[&str]) {
		self.command.retain(|arg| !remove.contains(&arg.as_str()));
		self.command.extend(add.iter().map(|a| a.to_string()));
	}

	/// Stops the node (SIGKILL, as a crash would).
	pub fn stop(&self) {
		if let Some(mut child) = self.child.lock().unwrap().take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// The node's log so far (for failure messages).
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	/// Polls `done` every 250 ms until it holds; panics with the node's log after `timeout`.
	pub fn wait_for(&self, what: &str, timeout: Duration, mut done: impl FnMut(&Node) -> bool) {
		let start = Instant::now();
		while start.elapsed() < timeout {
			if done(self) {
				return;
			}
			let exited =
				self.child.lock().unwrap().as_mut().and_then(|c| c.try_wait().ok().flatten());
			if let Some(status) = exited {
				panic!(
					"zerog-node exited ({status}) while waiting for {what}; log:\n{}",
					tail(&self.log())
				);
			}
			std::thread::sleep(Duration::from_millis(250));
		}
		panic!("timed out after {timeout:?} waiting for {what}; node log:\n{}", tail(&self.log()));
	}

	/// The best block number.
	pub fn best_number(&self) -> u32 {
		let header = self.rpc.call("chain_getHeader", serde_json::json!([])).unwrap();
		rpc::hex_number(&header["number"])
	}

	/// The finalized block number.
	pub fn finalized_number(&self) -> u32 {
		let hash = self.rpc.call("chain_getFinalizedHead", serde_json::json!([])).unwrap();
		let header = self.rpc.call("chain_getHeader", serde_json::json!([hash])).unwrap();
		rpc::hex_number(&header["number"])
	}

	/// The libp2p peer id of this node.
	pub fn peer_id(&self) -> String {
		self.rpc
			.call("system_localPeerId", serde_json::json!([]))
			.unwrap()
			.as_str()
			.unwrap()
			.to_string()
	}

	/// The multiaddress another node dials to reach this one.
	pub fn multiaddr(&self) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, self.peer_id())
	}

	/// The node's Prometheus metrics, as text.
	pub fn metrics(&self) -> String {
		use std::io::{Read, Write};
		let port = self.prometheus_port.expect("started with Prometheus");
		let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
		write!(stream, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
			.unwrap();
		let mut body = String::new();
		stream.read_to_string(&mut body).unwrap();
		body
	}

	/// The value of metric `name` (without labels), if the node reports it.
	pub fn metric(&self, name: &str) -> Option<f64> {
		self.metrics().lines().find_map(|line| {
			let (key, value) = line.rsplit_once(' ')?;
			let key = key.split('{').next()?;
			(key == name).then(|| value.trim().parse().ok()).flatten()
		})
	}

	/// The RPC URL of this node.
	pub fn rpc_url(&self) -> String {
		format!("http://127.0.0.1:{}", self.rpc_port)
	}

	/// Runs `zerog-node` with `args` (a client subcommand) and returns (success, stdout,
	/// stderr).
	pub fn run_cli(args: &[&str]) -> (bool, String, String) {
		let out = Command::new(node_binary()).args(args).output().expect("zerog-node runs");
		(
			out.status.success(),
			String::from_utf8_lossy(&out.stdout).to_string(),
			String::from_utf8_lossy(&out.stderr).to_string(),
		)
	}

	/// Base path directory.
	pub fn base_path(&self) -> &Path {
		self._base.path()
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.stop();
		// The base path goes with the node: when a test fails, its log is kept where CI and
		// a developer find it (a failure message has room for the log's tail only).
		if std::thread::panicking() {
			keep_failed_log(&self.name, &self.log_path);
		}
	}
}

/// Copies the log of a node of a failed test to `<CARGO_TARGET_TMPDIR>/failed-node-logs/`
/// and says where.
fn keep_failed_log(name: &str, log: &Path) {
	let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("failed-node-logs");
	let stamp = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| d.as_millis());
	let test = std::thread::current().name().unwrap_or("test").replace("::", "-");
	let kept = dir.join(format!("{test}-{name}-{stamp}.log"));
	match std::fs::create_dir_all(&dir).and_then(|()| std::fs::copy(log, &kept)) {
		Ok(_) => eprintln!("log of node {name} kept at {}", kept.display()),
		Err(e) => eprintln!("could not keep the log of node {name}: {e}"),
	}
}

/// Whether DA blob `id` can be challenged on `node`'s best block: available, and past its
/// repair window (it has a challenge slot, from which alignment nodes also draw).
pub fn da_challengeable(node: &Node, id: u64) -> bool {
	let key = pallet_da::BlobSlots::<zerog_runtime::Runtime>::hashed_key_for(id);
	node.rpc.with(|c| c.storage(&key, None)).unwrap().is_some()
}

/// The last 80 lines of a log.
pub fn tail(log: &str) -> String {
	let lines: Vec<&str> = log.lines().collect();
	lines[lines.len().saturating_sub(80)..].join("\n")
}
