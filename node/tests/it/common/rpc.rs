//! The tests' JSON-RPC client: zerog-cli's typed [`Chain`] (one WebSocket connection to a
//! node, made when first needed and made again after the node restarts), with a plain
//! `call(method, params)` for the methods a test pokes at directly, and the raw-byte data
//! path with status codes.

use jsonrpsee::core::{client::ClientT, params::ArrayParams};
use serde_json::Value;
use std::sync::Mutex;
use zerog_cli::{chain::Chain, data_path::DataPath};

/// What a call can fail with: the node's error object (`code`, `message`, `data`), or the
/// transport.
pub use zerog_cli::ChainError as RpcError;

/// A node's JSON-RPC.
pub struct Client {
	url: String,
	chain: Mutex<Option<Chain>>,
}

impl Client {
	/// A client of the node (or Ethereum RPC) on 127.0.0.1 at `port`.
	pub fn local(port: u16) -> Self {
		Client { url: format!("ws://127.0.0.1:{port}"), chain: Mutex::new(None) }
	}

	/// Runs `work` on the connection, connecting first if needed; a transport failure drops
	/// the connection, so that the next call connects again (the node may have restarted).
	pub fn with<T>(&self, work: impl FnOnce(&Chain) -> Result<T, RpcError>) -> Result<T, RpcError> {
		let chain = {
			let mut slot = self.chain.lock().unwrap();
			match &*slot {
				Some(chain) => chain.clone(),
				None => {
					let chain = Chain::connect(&self.url)?;
					*slot = Some(chain.clone());
					chain
				},
			}
		};
		let result = work(&chain);
		if let Err(RpcError::Transport(_)) = &result {
			*self.chain.lock().unwrap() = None;
		}
		result
	}

	/// Calls `method` with the JSON array `params`; returns its `result`.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		let mut array = ArrayParams::new();
		for param in params.as_array().cloned().unwrap_or_default() {
			array.insert(param).expect("JSON values serialize; qed");
		}
		self.with(|chain| chain.call(chain.rpc().request::<Value, _>(method, array)))
	}

	/// Calls `method` with one byte-string parameter, sent as `0x` hex.
	pub fn call_with_bytes(
		&self,
		method: &str,
		bytes: &[u8],
		_progress: &mut dyn FnMut(u64, u64),
	) -> Result<Value, RpcError> {
		self.call(method, serde_json::json!([to_hex(bytes)]))
	}

	/// The raw-byte data path of the same host on `port`.
	pub fn with_port(&self, port: u16) -> Raw {
		let chain = self.with(|chain| Ok(chain.clone())).expect("the node answers");
		Raw(DataPath::new(&chain, port))
	}
}

/// The raw-byte data path, with its status codes.
pub struct Raw(DataPath);

impl Raw {
	/// `POST`s `body` to `path`: (status, body).
	pub fn post_raw(
		&self,
		path: &str,
		body: &[u8],
		_progress: &mut dyn FnMut(u64, u64),
	) -> Result<(u16, Vec<u8>), zerog_cli::error::DataPathError> {
		let answer = self.0.post(path, body.to_vec().into(), |_| {})?;
		Ok((answer.status, answer.body.to_vec()))
	}

	/// `GET`s `path`: (status, body).
	pub fn get_raw(&self, path: &str) -> Result<(u16, Vec<u8>), zerog_cli::error::DataPathError> {
		let answer = self.0.get(path)?;
		Ok((answer.status, answer.body.to_vec()))
	}
}

/// `0x`-prefixed hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A `0x`-prefixed hex number (as in block headers).
pub fn hex_number(value: &Value) -> u32 {
	value
		.as_str()
		.and_then(|s| u32::from_str_radix(s.trim_start_matches("0x"), 16).ok())
		.unwrap_or_else(|| panic!("expected a hex number, got {value}"))
}

/// Bytes of a `0x`-prefixed hex string.
pub fn from_hex(value: &Value) -> Vec<u8> {
	let text = value.as_str().unwrap_or_else(|| panic!("expected hex, got {value}"));
	hex::decode(text.trim_start_matches("0x")).expect("hex string")
}
