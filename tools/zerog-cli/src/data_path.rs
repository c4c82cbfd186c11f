//! The node's raw-byte data path (`--da-http-addr`): DA blobs (`POST /blobs`,
//! `GET /blobs/<id|0xroot>`) and storage segments (`POST /files/segments`,
//! `GET /files/<0xroot>/segments/<from>/<count>`) as plain bytes over HTTP, half the bytes of
//! hex in JSON and nothing to parse. `da_info` and `storage_info` announce its port on the
//! RPC's host. Requests go through hyper's pooled client on the [`Chain`]'s runtime.

use crate::{chain::Chain, error::DataPathError};
use futures::StreamExt;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Empty, StreamBody};
use hyper::body::{Bytes, Frame};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use std::convert::Infallible;

/// Bytes handed to the connection per step of an upload (progress is reported after each).
const UPLOAD_STEP: usize = 1 << 20;
/// How long one request may take, body included.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

type Body = UnsyncBoxBody<Bytes, Infallible>;

/// The data path of one node.
#[derive(Clone)]
pub struct DataPath {
	base: String,
	client: Client<HttpConnector, Body>,
	chain: Chain,
}

/// An answer: the HTTP status and the body.
pub struct Answer {
	/// The status code.
	pub status: u16,
	/// The body.
	pub body: Bytes,
}

impl Answer {
	/// The body when the status is 200, else the node's error (`{"code", "message"}`).
	pub fn ok(self) -> Result<Bytes, DataPathError> {
		if self.status == 200 {
			return Ok(self.body);
		}
		Err(match serde_json::from_slice::<serde_json::Value>(&self.body) {
			Ok(v) => DataPathError::Refused {
				status: self.status,
				code: v["code"].as_i64().unwrap_or_default(),
				message: v["message"].as_str().unwrap_or_default().to_string(),
			},
			Err(_) => DataPathError::Refused {
				status: self.status,
				code: 0,
				message: String::from_utf8_lossy(&self.body).into_owned(),
			},
		})
	}
}

impl DataPath {
	/// The data path on `port` of the host of `chain`'s RPC, spoken to through `chain`'s
	/// runtime.
	pub fn new(chain: &Chain, port: u16) -> Self {
		let url = chain.url();
		let rest = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
		let authority = rest.split('/').next().unwrap_or(rest);
		let host = match authority.rsplit_once(':') {
			// An IPv6 literal keeps its brackets; a port is dropped.
			Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
			_ => authority,
		};
		let client = Client::builder(TokioExecutor::new()).build_http();
		DataPath { base: format!("http://{host}:{port}"), client, chain: chain.clone() }
	}

	/// `GET path`.
	pub fn get(&self, path: &str) -> Result<Answer, DataPathError> {
		self.send("GET", path, Empty::new().boxed_unsync(), None)
	}

	/// `POST path` with `body`, calling `on_sent(bytes so far)` as it goes out.
	pub fn post(
		&self,
		path: &str,
		body: Bytes,
		on_sent: impl Fn(u64) + Send + Sync + 'static,
	) -> Result<Answer, DataPathError> {
		let length = body.len();
		let steps = (0..length).step_by(UPLOAD_STEP).map(move |from| {
			let piece = body.slice(from..(from + UPLOAD_STEP).min(length));
			on_sent((from + piece.len()) as u64);
			Ok::<_, Infallible>(Frame::data(piece))
		});
		let stream = StreamBody::new(futures::stream::iter(steps).boxed());
		self.send("POST", path, stream.boxed_unsync(), Some(length))
	}

	fn send(
		&self,
		method: &str,
		path: &str,
		body: Body,
		length: Option<usize>,
	) -> Result<Answer, DataPathError> {
		let mut request = hyper::Request::builder()
			.method(method)
			.uri(format!("{}{path}", self.base))
			.header(hyper::header::CONTENT_TYPE, "application/octet-stream");
		if let Some(length) = length {
			request = request.header(hyper::header::CONTENT_LENGTH, length);
		}
		let request = request.body(body).map_err(|e| DataPathError::Malformed(e.to_string()))?;
		let exchange = async {
			let response = self
				.client
				.request(request)
				.await
				.map_err(|e| DataPathError::Unreachable(e.to_string()))?;
			let status = response.status().as_u16();
			let body = response
				.into_body()
				.collect()
				.await
				.map_err(|e| DataPathError::Unreachable(e.to_string()))?
				.to_bytes();
			Ok(Answer { status, body })
		};
		self.chain.block_on(async {
			tokio::time::timeout(REQUEST_TIMEOUT, exchange).await.unwrap_or_else(|_| {
				Err(DataPathError::Unreachable(format!("no answer in {REQUEST_TIMEOUT:?}")))
			})
		})
	}
}
