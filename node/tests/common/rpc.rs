//! A minimal blocking JSON-RPC-over-HTTP client (HTTP/1.1, one request per connection), so
//! the tests need no async runtime.

use serde_json::{json, Value};
use std::{
    io::{Read, Write},
    net::TcpStream,
    time::Duration,
};

/// JSON-RPC client for one node.
pub struct Client {
    port: u16,
}

/// A JSON-RPC error object, or a transport failure.
#[derive(Debug)]
pub enum RpcError {
    /// The node answered with an error object.
    Rpc { code: i64, message: String, data: Option<Value> },
    /// The request did not get an answer.
    Transport(String),
}

impl RpcError {
    /// Message and data as one string, for matching in tests.
    pub fn text(&self) -> String {
        match self {
            RpcError::Rpc { code, message, data } => format!("{code}: {message} {data:?}"),
            RpcError::Transport(e) => format!("transport: {e}"),
        }
    }
}

impl Client {
    /// A client for the node whose RPC listens on `port`.
    pub fn new(port: u16) -> Self {
        Client { port }
    }

    /// Calls `method` with `params` and returns its `result`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params })
            .to_string();
        let response = self.post(&body).map_err(|e| RpcError::Transport(e.to_string()))?;
        let value: Value = serde_json::from_str(&response)
            .map_err(|e| RpcError::Transport(format!("bad JSON {e}: {response}")))?;
        if let Some(error) = value.get("error") {
            return Err(RpcError::Rpc {
                code: error["code"].as_i64().unwrap_or_default(),
                message: error["message"].as_str().unwrap_or_default().to_string(),
                data: error.get("data").cloned(),
            });
        }
        Ok(value["result"].clone())
    }

    fn post(&self, body: &str) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{}",
            self.port,
            body.len(),
            body
        )?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .ok_or_else(|| std::io::Error::other(format!("no HTTP body: {text}")))?;
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            Ok(dechunk(body))
        } else {
            Ok(body.to_string())
        }
    }
}

/// Decodes an HTTP chunked body.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// A `0x`-prefixed hex number (as in block headers).
pub fn hex_number(value: &Value) -> u32 {
    let s = value.as_str().expect("hex number string");
    u32::from_str_radix(s.trim_start_matches("0x"), 16).expect("hex number")
}

/// `0x`-prefixed hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Bytes of a `0x`-prefixed hex string.
pub fn from_hex(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("hex string").trim_start_matches("0x")).expect("hex")
}
