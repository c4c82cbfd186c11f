//! A small HTTP/1.1 server for raw-byte data paths next to the JSON-RPC server: one request
//! per connection, `Content-Length` bodies, routes supplied by the services that use it (the
//! DA blob path of zerog-da-service, the storage segment path of zerog-storage-service).

use futures::future::BoxFuture;
use std::io::{Read, Write};
use std::sync::Arc;
use tokio::{
	io::{AsyncBufReadExt, BufReader},
	net::{TcpListener, TcpStream},
};

/// Longest request head accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// An answer: status line text, content type and body.
pub struct Answer {
	/// For example `"200 OK"`.
	pub status: &'static str,
	/// The `Content-Type`.
	pub content_type: &'static str,
	/// The body.
	pub body: Vec<u8>,
}

impl Answer {
	/// A JSON answer.
	pub fn json(status: &'static str, value: serde_json::Value) -> Self {
		Answer { status, content_type: "application/json", body: value.to_string().into_bytes() }
	}

	/// A raw-bytes answer with status 200.
	pub fn bytes(body: Vec<u8>) -> Self {
		Answer { status: "200 OK", content_type: "application/octet-stream", body }
	}

	/// An error answer `{"code", "message"}` with an HTTP status chosen by the caller.
	pub fn error(status: &'static str, code: i32, message: &str) -> Self {
		Self::json(status, serde_json::json!({ "code": code, "message": message }))
	}
}

/// What a route does with a request whose head it accepted.
pub enum Accept {
	/// Not this route's path.
	NotMine,
	/// This route's; read a body of at most this many bytes (0 for none).
	Body(u64),
}

/// A set of routes of one service.
pub trait Routes: Send + Sync {
	/// Whether `method path` is one of these routes, and the largest body it takes.
	fn accept(&self, method: &str, path: &str) -> Accept;
	/// Answers the request (its body already read).
	fn answer(&self, method: String, path: String, body: Vec<u8>) -> BoxFuture<'static, Answer>;
	/// One line describing the routes, for the 404 answer.
	fn describe(&self) -> &'static str;
	/// The answer to a body longer than the route's limit.
	fn too_large(&self, length: u64, limit: u64) -> Answer {
		Answer::error(
			"413 Payload Too Large",
			413,
			&format!("body of {length} bytes is larger than the {limit} this path takes"),
		)
	}
}

/// Serves `routes` on `listener` until the node stops.
pub async fn serve(listener: TcpListener, routes: Vec<Arc<dyn Routes>>) {
	let routes: Arc<[Arc<dyn Routes>]> = routes.into();
	loop {
		match listener.accept().await {
			Ok((stream, _)) => {
				let routes = routes.clone();
				tokio::spawn(async move {
					if let Err(e) = handle(stream, &routes).await {
						log::debug!(target: "http", "data HTTP connection: {e}");
					}
				});
			},
			Err(e) => log::warn!(target: "http", "data HTTP accept: {e}"),
		}
	}
}

/// Runs blocking socket work off the async threads. Bodies are moved with the standard
/// library's blocking calls: the same bytes through tokio's reader cost several times more
/// in a debug build, and no less in release.
async fn blocking<R: Send + 'static>(
	work: impl FnOnce() -> std::io::Result<R> + Send + 'static,
) -> std::io::Result<R> {
	tokio::task::spawn_blocking(work).await.map_err(std::io::Error::other)?
}

async fn handle(stream: TcpStream, routes: &[Arc<dyn Routes>]) -> std::io::Result<()> {
	stream.set_nodelay(true)?;
	let mut reader = BufReader::with_capacity(64 * 1024, stream);
	let mut head = String::new();
	loop {
		let before = head.len();
		if reader.read_line(&mut head).await? == 0 || head.len() > MAX_HEAD_BYTES {
			return Ok(());
		}
		if head[before..] == *"\r\n" || head[before..] == *"\n" {
			break;
		}
	}
	let header = |name: &str| {
		head.lines()
			.skip(1)
			.filter_map(|l| l.split_once(':'))
			.find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
			.map(|(_, v)| v.trim().to_string())
	};
	let length: u64 = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
	let expects_continue = header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
	let request_line = head.lines().next().unwrap_or_default().to_string();
	let mut parts = request_line.split_whitespace();
	let (method, path) = (
		parts.next().unwrap_or_default().to_string(),
		parts.next().unwrap_or_default().to_string(),
	);
	let routed = routes.iter().find_map(|r| match r.accept(&method, &path) {
		Accept::NotMine => None,
		Accept::Body(limit) => Some((r.clone(), limit)),
	});
	// What the reader buffered past the head is the start of the body.
	let buffered = reader.buffer().to_vec();
	let stream = reader.into_inner().into_std()?;
	stream.set_nonblocking(false)?;
	let (answer, stream) = match routed {
		None => {
			let known: Vec<&str> = routes.iter().map(|r| r.describe()).collect();
			(
				Answer::error(
					"404 Not Found",
					404,
					&format!("unknown path; routes: {}", known.join("; ")),
				),
				stream,
			)
		},
		Some((route, limit)) if length > limit => {
			// Read (and drop) a moderately oversized body so that the client, still sending,
			// gets the answer instead of a reset connection; with `Expect: 100-continue` it
			// is not sent at all.
			let drain = !expects_continue && length <= limit.saturating_mul(2).max(1 << 20);
			let stream = blocking(move || {
				if drain {
					let rest = length.saturating_sub(buffered.len() as u64);
					std::io::copy(&mut (&stream).take(rest), &mut std::io::sink())?;
				}
				Ok(stream)
			})
			.await?;
			(route.too_large(length, limit), stream)
		},
		Some((route, _)) => {
			let (body, stream) = blocking(move || {
				if expects_continue {
					(&stream).write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
				}
				let mut body = vec![0u8; length as usize];
				let start = buffered.len().min(body.len());
				body[..start].copy_from_slice(&buffered[..start]);
				(&stream).read_exact(&mut body[start..])?;
				Ok((body, stream))
			})
			.await?;
			(route.answer(method, path, body).await, stream)
		},
	};
	blocking(move || {
		let head = format!(
			"HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
			answer.status,
			answer.content_type,
			answer.body.len()
		);
		(&stream).write_all(head.as_bytes())?;
		(&stream).write_all(&answer.body)?;
		stream.shutdown(std::net::Shutdown::Write)
	})
	.await
}
