//! A small blocking JSON-RPC client over HTTP/1.1 (one request per connection), with upload
//! progress. Used by `zerog-node da` and by the end-to-end tests. `ws://` URLs are accepted
//! and spoken to over HTTP: a zerog node serves both on its RPC port.

use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

/// Bytes written per step of an upload (progress is reported after each).
const UPLOAD_STEP: usize = 1 << 20;

/// A JSON-RPC error object, or a transport failure.
#[derive(Debug, Clone)]
pub enum RpcError {
	/// The node answered with an error object.
	Rpc {
		/// Error code.
		code: i64,
		/// Message.
		message: String,
		/// Extra data, if any.
		data: Option<Value>,
	},
	/// The request did not get a usable answer.
	Transport(String),
}

impl core::fmt::Display for RpcError {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			RpcError::Rpc { code, message, data: Some(data) } => {
				write!(f, "{message} ({code}; {data})")
			},
			RpcError::Rpc { code, message, data: None } => write!(f, "{message} ({code})"),
			RpcError::Transport(e) => write!(f, "RPC transport: {e}"),
		}
	}
}

impl std::error::Error for RpcError {}

/// JSON-RPC client of one node.
#[derive(Clone, Debug)]
pub struct Client {
	host: String,
	port: u16,
	path: String,
	timeout: Duration,
}

impl Client {
	/// A client for `url` (`http://host:port[/path]` or `ws://...`).
	pub fn new(url: &str) -> Result<Self, RpcError> {
		let rest =
			url.strip_prefix("http://")
				.or_else(|| url.strip_prefix("ws://"))
				.ok_or_else(|| {
					RpcError::Transport(format!("{url}: only http:// and ws:// URLs are supported"))
				})?;
		let (authority, path) = match rest.find('/') {
			Some(i) => (&rest[..i], &rest[i..]),
			None => (rest, "/"),
		};
		let (host, port) = match authority.rsplit_once(':') {
			Some((h, p)) => {
				(h, p.parse().map_err(|_| RpcError::Transport(format!("bad port in {url}")))?)
			},
			None => (authority, 80),
		};
		Ok(Client {
			host: host.to_string(),
			port,
			path: path.to_string(),
			timeout: Duration::from_secs(300),
		})
	}

	/// A client for a node on 127.0.0.1 at `port`.
	pub fn local(port: u16) -> Self {
		Client {
			host: "127.0.0.1".into(),
			port,
			path: "/".into(),
			timeout: Duration::from_secs(300),
		}
	}

	/// Calls `method` with `params`; returns its `result`.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
		let body =
			json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
		self.send(body.as_bytes(), &mut |_, _| {})
	}

	/// Calls `method` with one byte-string parameter sent as `0x` hex, reporting upload
	/// progress as (bytes sent, bytes in all).
	pub fn call_with_bytes(
		&self,
		method: &str,
		bytes: &[u8],
		progress: &mut dyn FnMut(u64, u64),
	) -> Result<Value, RpcError> {
		let head = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":["0x"#);
		let mut body = Vec::with_capacity(head.len() + bytes.len() * 2 + 4);
		body.extend_from_slice(head.as_bytes());
		let start = body.len();
		body.resize(start + bytes.len() * 2, 0);
		hex::encode_to_slice(bytes, &mut body[start..]).expect("sized for the hex; qed");
		body.extend_from_slice(br#""]}"#);
		self.send(&body, progress)
	}

	/// Calls `method` once per entry of `params` in one JSON-RPC batch (one HTTP request);
	/// returns each call's result or error, in the order of `params`.
	pub fn call_batch(
		&self,
		method: &str,
		params: &[Value],
	) -> Result<Vec<Result<Value, RpcError>>, RpcError> {
		if params.is_empty() {
			return Ok(Vec::new());
		}
		let batch: Vec<Value> = params
			.iter()
			.enumerate()
			.map(|(id, p)| json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": p }))
			.collect();
		let body = Value::Array(batch).to_string();
		let answers = match self.send_raw(body.as_bytes(), &mut |_, _| {})? {
			Value::Array(answers) => answers,
			// A server refuses a whole batch (too long, say) with one error object.
			other => {
				return Err(answer_result(other).err().unwrap_or_else(|| {
					RpcError::Transport("a batch was answered with one result".into())
				}))
			},
		};
		let mut results: Vec<Option<Result<Value, RpcError>>> = vec![None; params.len()];
		for answer in answers {
			let slot = answer["id"].as_u64().and_then(|id| results.get_mut(id as usize));
			if let Some(slot) = slot {
				*slot = Some(answer_result(answer));
			}
		}
		Ok(results
			.into_iter()
			.map(|r| {
				r.unwrap_or_else(|| Err(RpcError::Transport("no answer for a batched call".into())))
			})
			.collect())
	}

	/// The same host on another port (the binary blob path).
	pub fn with_port(&self, port: u16) -> Self {
		Client { port, path: "/".into(), ..self.clone() }
	}

	/// `POST`s raw bytes to `path`, reporting upload progress; returns the status code and
	/// the answer's body.
	pub fn post_raw(
		&self,
		path: &str,
		body: &[u8],
		progress: &mut dyn FnMut(u64, u64),
	) -> Result<(u16, Vec<u8>), RpcError> {
		self.exchange("POST", path, "application/octet-stream", body, progress)
	}

	/// `GET`s `path`; returns the status code and the body.
	pub fn get_raw(&self, path: &str) -> Result<(u16, Vec<u8>), RpcError> {
		self.exchange("GET", path, "application/octet-stream", &[], &mut |_, _| {})
	}

	fn send(&self, body: &[u8], progress: &mut dyn FnMut(u64, u64)) -> Result<Value, RpcError> {
		answer_result(self.send_raw(body, progress)?)
	}

	/// Posts a JSON-RPC request (or batch) and parses the answer as JSON.
	fn send_raw(&self, body: &[u8], progress: &mut dyn FnMut(u64, u64)) -> Result<Value, RpcError> {
		let path = self.path.clone();
		let (status, payload) = self.exchange("POST", &path, "application/json", body, progress)?;
		if status != 200 {
			return Err(RpcError::Transport(format!(
				"HTTP {status}: {}",
				String::from_utf8_lossy(&payload)
			)));
		}
		serde_json::from_slice(&payload).map_err(|e| {
			RpcError::Transport(format!(
				"bad JSON ({e}): {}",
				String::from_utf8_lossy(&payload[..payload.len().min(200)])
			))
		})
	}

	/// One HTTP/1.1 request on a fresh connection: (status code, body).
	fn exchange(
		&self,
		method: &str,
		path: &str,
		content_type: &str,
		body: &[u8],
		progress: &mut dyn FnMut(u64, u64),
	) -> Result<(u16, Vec<u8>), RpcError> {
		let transport = |e: std::io::Error| RpcError::Transport(e.to_string());
		let mut stream = TcpStream::connect((self.host.as_str(), self.port)).map_err(transport)?;
		stream.set_read_timeout(Some(self.timeout)).map_err(transport)?;
		stream.set_nodelay(true).map_err(transport)?;
		write!(
			stream,
			"{method} {path} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
			self.host,
			self.port,
			body.len()
		)
		.map_err(transport)?;
		let total = body.len() as u64;
		let mut write_error = None;
		for (i, piece) in body.chunks(UPLOAD_STEP).enumerate() {
			if let Err(e) = stream.write_all(piece) {
				// The server may have answered early (a refusal): read what it said.
				write_error = Some(e);
				break;
			}
			progress(((i * UPLOAD_STEP + piece.len()) as u64).min(total), total);
		}
		let mut raw = Vec::new();
		if let Err(e) = stream.read_to_end(&mut raw) {
			return Err(transport(write_error.unwrap_or(e)));
		}
		if raw.is_empty() {
			if let Some(e) = write_error {
				return Err(transport(e));
			}
		}
		let split = raw
			.windows(4)
			.position(|w| w == b"\r\n\r\n")
			.ok_or_else(|| RpcError::Transport("no HTTP body in the answer".into()))?;
		let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
		let mut payload = raw.split_off(split + 4);
		if head.contains("transfer-encoding: chunked") {
			payload = dechunk(&payload);
		}
		let status = head
			.split_whitespace()
			.nth(1)
			.and_then(|code| code.parse().ok())
			.ok_or_else(|| RpcError::Transport(format!("bad HTTP status line: {head}")))?;
		Ok((status, payload))
	}
}

/// The `result` of one JSON-RPC answer, or its `error` object.
fn answer_result(value: Value) -> Result<Value, RpcError> {
	if let Some(error) = value.get("error") {
		return Err(RpcError::Rpc {
			code: error["code"].as_i64().unwrap_or_default(),
			message: error["message"].as_str().unwrap_or_default().to_string(),
			data: error.get("data").cloned(),
		});
	}
	Ok(value["result"].clone())
}

/// Decodes an HTTP chunked body.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
	let mut out = Vec::with_capacity(body.len());
	while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
		let size = std::str::from_utf8(&body[..eol])
			.ok()
			.and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
			.unwrap_or(0);
		if size == 0 || body.len() < eol + 2 + size {
			break;
		}
		out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
		body = &body[(eol + 2 + size + 2).min(body.len())..];
	}
	out
}

/// `0x`-prefixed hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Bytes of a `0x`-prefixed hex string value.
pub fn from_hex(value: &Value) -> Result<Vec<u8>, RpcError> {
	let text = value
		.as_str()
		.ok_or_else(|| RpcError::Transport(format!("expected hex, got {value}")))?;
	hex::decode(text.trim_start_matches("0x"))
		.map_err(|e| RpcError::Transport(format!("bad hex: {e}")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_urls() {
		let c = Client::new("ws://127.0.0.1:9944").unwrap();
		assert_eq!((c.host.as_str(), c.port, c.path.as_str()), ("127.0.0.1", 9944, "/"));
		let c = Client::new("http://node.example:80/rpc").unwrap();
		assert_eq!((c.host.as_str(), c.port, c.path.as_str()), ("node.example", 80, "/rpc"));
		assert!(Client::new("https://node.example").is_err());
		assert!(Client::new("http://h:notaport").is_err());
	}

	/// A one-shot HTTP server on a free port that answers one request with `answer`.
	fn answer_once(answer: &'static str) -> u16 {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let port = listener.local_addr().unwrap().port();
		std::thread::spawn(move || {
			let (mut stream, _) = listener.accept().unwrap();
			let mut request = [0u8; 4096];
			let _ = stream.read(&mut request);
			let reply =
				format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{answer}", answer.len());
			stream.write_all(reply.as_bytes()).unwrap();
		});
		port
	}

	#[test]
	fn a_batch_is_answered_in_the_order_of_its_calls() {
		// Servers may answer a batch out of order; ids put the answers back in place.
		let port = answer_once(
			r#"[{"jsonrpc":"2.0","id":1,"error":{"code":1016,"message":"full"}},{"jsonrpc":"2.0","id":0,"result":"0x01"}]"#,
		);
		let answers = Client::local(port)
			.call_batch("m", &[json!([1]), json!([2]), json!([3])])
			.unwrap();
		assert_eq!(answers[0].as_ref().unwrap(), &json!("0x01"));
		assert!(matches!(answers[1], Err(RpcError::Rpc { code: 1016, .. })));
		assert!(
			matches!(answers[2], Err(RpcError::Transport(_))),
			"a call without an answer is an error"
		);
	}

	#[test]
	fn a_refused_batch_is_one_error() {
		let port = answer_once(
			r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32010,"message":"batch too large"}}"#,
		);
		let refused = Client::local(port).call_batch("m", &[json!([1])]).unwrap_err();
		assert!(matches!(refused, RpcError::Rpc { code: -32010, .. }), "{refused}");
		assert!(
			Client::local(port).call_batch("m", &[]).unwrap().is_empty(),
			"an empty batch sends nothing"
		);
	}

	#[test]
	fn dechunks() {
		assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
	}
}
