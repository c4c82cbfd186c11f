//! Test harness shared by the end-to-end tests: start the real `zerog-node` binary on free
//! loopback ports, talk JSON-RPC to it over HTTP, sign transactions, and stop it.
#![allow(dead_code)]

pub mod rpc;
pub mod tx;

use std::{
    fs::File,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// Path of the node binary cargo built for these tests.
pub fn node_binary() -> &'static str {
    env!("CARGO_BIN_EXE_zerog-node")
}

/// A free TCP port on 127.0.0.1 (bound once, then released for the node to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running `zerog-node` process; killed when dropped.
pub struct Node {
    /// The child process.
    child: std::sync::Mutex<Child>,
    /// HTTP JSON-RPC client for the node's RPC port.
    pub rpc: rpc::Client,
    /// The node's libp2p port.
    pub p2p_port: u16,
    /// Its Prometheus port, when enabled.
    pub prometheus_port: Option<u16>,
    /// Where its log goes.
    pub log_path: PathBuf,
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
        let log = File::create(&log_path).unwrap();

        let mut cmd = Command::new(node_binary());
        cmd.args(args)
            .arg("--base-path")
            .arg(base.path())
            .args(["--rpc-port", &rpc_port.to_string()])
            .args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
            .args(["--no-mdns", "--no-telemetry"])
            .args(["--name", name])
            .stdout(Stdio::null())
            .stderr(log);
        if !args.contains(&"--dev") {
            // A validator on a named chain needs a network key; tests make a fresh one.
            cmd.arg("--unsafe-force-node-key-generation");
        }
        match prometheus_port {
            Some(port) => cmd.args(["--prometheus-port", &port.to_string()]),
            None => cmd.arg("--no-prometheus"),
        };
        let child = cmd.spawn().expect("zerog-node starts");
        let node = Node {
            child: std::sync::Mutex::new(child),
            rpc: rpc::Client::new(rpc_port),
            p2p_port,
            prometheus_port,
            log_path,
            _base: base,
        };
        node.wait_for("RPC to answer", Duration::from_secs(120), |n| {
            n.rpc.call("system_health", serde_json::json!([])).is_ok()
        });
        node
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
            if let Ok(Some(status)) = self.child.lock().unwrap().try_wait() {
                panic!("zerog-node exited ({status}) while waiting for {what}; log:\n{}", tail(&self.log()));
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

    /// Base path directory.
    pub fn base_path(&self) -> &Path {
        self._base.path()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The last 80 lines of a log.
pub fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(80)..].join("\n")
}
