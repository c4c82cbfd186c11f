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
            RpcError::Rpc { code, message, data: Some(data) } => write!(f, "{message} ({code}; {data})"),
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
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("ws://"))
            .ok_or_else(|| RpcError::Transport(format!("{url}: only http:// and ws:// URLs are supported")))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| RpcError::Transport(format!("bad port in {url}")))?),
            None => (authority, 80),
        };
        Ok(Client { host: host.to_string(), port, path: path.to_string(), timeout: Duration::from_secs(300) })
    }

    /// A client for a node on 127.0.0.1 at `port`.
    pub fn local(port: u16) -> Self {
        Client { host: "127.0.0.1".into(), port, path: "/".into(), timeout: Duration::from_secs(300) }
    }

    /// Calls `method` with `params`; returns its `result`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
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
        let path = self.path.clone();
        let (status, payload) = self.exchange("POST", &path, "application/json", body, progress)?;
        if status != 200 {
            return Err(RpcError::Transport(format!("HTTP {status}: {}", String::from_utf8_lossy(&payload))));
        }
        let value: Value = serde_json::from_slice(&payload).map_err(|e| {
            RpcError::Transport(format!("bad JSON ({e}): {}", String::from_utf8_lossy(&payload[..payload.len().min(200)])))
        })?;
        if let Some(error) = value.get("error") {
            return Err(RpcError::Rpc {
                code: error["code"].as_i64().unwrap_or_default(),
                message: error["message"].as_str().unwrap_or_default().to_string(),
                data: error.get("data").cloned(),
            });
        }
        Ok(value["result"].clone())
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
    let text = value.as_str().ok_or_else(|| RpcError::Transport(format!("expected hex, got {value}")))?;
    hex::decode(text.trim_start_matches("0x")).map_err(|e| RpcError::Transport(format!("bad hex: {e}")))
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

    #[test]
    fn dechunks() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
    }
}
