//! The binary path for blobs: plain HTTP/1.1 next to the JSON-RPC server, so that large
//! blobs travel as raw bytes instead of hex inside JSON (half the bytes, no parsing).
//!
//! - `POST /blobs` with the blob as the body: same as `da_submitBlob`; answers its JSON.
//! - `GET /blobs/<id or 0xroot>`: same as `da_getBlob`; answers the raw bytes.
//!
//! Errors answer a status (400, 404, 413, 500) and a JSON body `{"code", "message"}` with
//! the codes of the RPC. `da_info` tells clients the port.

use crate::rpc::{BlobRef, DaRpc};
use jsonrpsee::types::ErrorObjectOwned;
use std::sync::Arc;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};
use zerog_erasure::MAX_BLOB_SIZE;

/// Longest request head accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Serves blob uploads and downloads on `listener` until the node stops.
pub async fn serve(listener: TcpListener, rpc: Arc<DaRpc>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let rpc = rpc.clone();
                tokio::spawn(async move {
                    if let Err(e) = handle(stream, &rpc).await {
                        log::debug!(target: "da", "blob HTTP connection: {e}");
                    }
                });
            },
            Err(e) => log::warn!(target: "da", "blob HTTP accept: {e}"),
        }
    }
}

struct Answer {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

fn json_answer(status: &'static str, value: serde_json::Value) -> Answer {
    Answer { status, content_type: "application/json", body: value.to_string().into_bytes() }
}

fn error_answer(e: ErrorObjectOwned) -> Answer {
    let status = match e.code() {
        crate::rpc::codes::BLOB_TOO_LARGE => "413 Payload Too Large",
        crate::rpc::codes::UNKNOWN_BLOB => "404 Not Found",
        crate::rpc::codes::INTERNAL => "500 Internal Server Error",
        _ => "400 Bad Request",
    };
    json_answer(status, serde_json::json!({ "code": e.code(), "message": e.message() }))
}

async fn handle(stream: TcpStream, rpc: &DaRpc) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::with_capacity(1 << 20, stream);
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
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default().to_string();
    let length: Option<u64> = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok());
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let answer = match (method, path) {
        ("POST", "/blobs") => match length {
            None => json_answer("411 Length Required", serde_json::json!({"message": "Content-Length is required"})),
            Some(len) if len > MAX_BLOB_SIZE as u64 || len == 0 => {
                // Read (and drop) a moderately oversized body so that the client, still
                // sending, gets the answer instead of a reset connection.
                if len <= 2 * MAX_BLOB_SIZE as u64 {
                    tokio::io::copy(&mut (&mut reader).take(len), &mut tokio::io::sink()).await?;
                }
                error_answer(crate::rpc::error(crate::DaService::check_size(len).unwrap_err()))
            },
            Some(len) => {
                let mut body = vec![0u8; len as usize];
                reader.read_exact(&mut body).await?;
                match rpc.submit_bytes(body).await {
                    Ok(submitted) =>
                        json_answer("200 OK", serde_json::to_value(submitted).unwrap_or_default()),
                    Err(e) => error_answer(e),
                }
            },
        },
        ("GET", p) if p.starts_with("/blobs/") => {
            let key = &p["/blobs/".len()..];
            let blob = match key.parse::<u64>() {
                Ok(id) => BlobRef::Id(id),
                Err(_) => BlobRef::Root(key.to_string()),
            };
            match rpc.blob_bytes(blob).await {
                Ok(bytes) => Answer { status: "200 OK", content_type: "application/octet-stream", body: bytes },
                Err(e) => error_answer(e),
            }
        },
        _ => json_answer("404 Not Found", serde_json::json!({"message": "POST /blobs or GET /blobs/<id|0xroot>"})),
    };
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.status,
        answer.content_type,
        answer.body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&answer.body).await?;
    stream.shutdown().await
}
