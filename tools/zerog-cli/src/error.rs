//! The errors of the client: the node's answers, the data path's, and the user's input.

use std::{path::PathBuf, time::Duration};

/// What can go wrong talking to a node over JSON-RPC.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ChainError {
	/// The node answered with a JSON-RPC error object.
	#[error("{message} ({code}{})", .data.as_deref().map(|d| format!("; {d}")).unwrap_or_default())]
	Rpc {
		/// The error code.
		code: i32,
		/// Its message.
		message: String,
		/// Its data, as JSON text, if any.
		data: Option<String>,
	},
	/// The request did not get a usable answer (timeout, malformed answer).
	#[error("RPC transport: {0}")]
	Transport(String),
	/// The connection to the node is gone; the client connects again for the next call.
	#[error("RPC connection lost: {0}")]
	Disconnected(String),
	/// The URL is not one the client speaks.
	#[error("{0}: only ws://, wss://, http:// and https:// URLs are supported")]
	BadUrl(String),
	/// The node knows no block with this number.
	#[error("the node has no block {0}")]
	NoBlock(u32),
	/// The node does not know this block (pruned, or never seen).
	#[error("the node does not know block {0:?}")]
	UnknownBlock(sp_core::H256),
	/// An answer did not decode as the runtime's types say it should.
	#[error("undecodable {what}: {source}")]
	Undecodable {
		/// What was decoded.
		what: &'static str,
		/// Why it failed.
		#[source]
		source: codec::Error,
	},
}

impl ChainError {
	/// The JSON-RPC error code, when the node answered with one.
	pub fn code(&self) -> Option<i32> {
		match self {
			ChainError::Rpc { code, .. } => Some(*code),
			_ => None,
		}
	}
}

impl From<jsonrpsee::core::ClientError> for ChainError {
	fn from(e: jsonrpsee::core::ClientError) -> Self {
		match e {
			jsonrpsee::core::ClientError::Call(object) => ChainError::Rpc {
				code: object.code(),
				message: object.message().to_string(),
				data: object.data().map(|d| d.get().to_string()),
			},
			jsonrpsee::core::ClientError::RestartNeeded(why) => {
				ChainError::Disconnected(why.to_string())
			},
			other => ChainError::Transport(other.to_string()),
		}
	}
}

impl From<subxt_rpcs::Error> for ChainError {
	fn from(e: subxt_rpcs::Error) -> Self {
		match e {
			subxt_rpcs::Error::Client(inner) => {
				match inner.downcast::<jsonrpsee::core::ClientError>() {
					Ok(jsonrpsee) => (*jsonrpsee).into(),
					Err(other) => ChainError::Transport(other.to_string()),
				}
			},
			subxt_rpcs::Error::User(e) => ChainError::Rpc {
				code: e.code,
				message: e.message,
				data: e.data.map(|d| d.get().to_string()),
			},
			other => ChainError::Transport(other.to_string()),
		}
	}
}

/// What can go wrong on the raw-byte data path (`--da-http-addr`).
#[derive(Debug, Clone, thiserror::Error)]
pub enum DataPathError {
	/// The path could not be reached (another host, a closed port).
	#[error("the data path is unreachable: {0}")]
	Unreachable(String),
	/// The node answered with an error: its message, HTTP status and the RPC's error code.
	#[error("{message} ({status}, code {code})")]
	Refused {
		/// The HTTP status.
		status: u16,
		/// The error code the RPC would have given.
		code: i64,
		/// The node's message.
		message: String,
	},
	/// The answer did not parse.
	#[error("bad answer from the data path: {0}")]
	Malformed(String),
}

/// A failed client command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
	/// The node's JSON-RPC failed or refused.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The raw-byte data path failed or refused.
	#[error(transparent)]
	DataPath(#[from] DataPathError),
	/// A file could not be read or written.
	#[error("{}: {source}", path.display())]
	File {
		/// The file.
		path: PathBuf,
		/// Why.
		#[source]
		source: std::io::Error,
	},
	/// The command line or the data given is not acceptable.
	#[error("{0}")]
	BadInput(String),
	/// The node refused a transaction before it reached a block.
	#[error("{what} refused: {source}")]
	Refused {
		/// The transaction.
		what: &'static str,
		/// The node's answer.
		#[source]
		source: ChainError,
	},
	/// A transaction reached a block and failed there.
	#[error("{what} failed in block {block}: {reason}")]
	Failed {
		/// The transaction.
		what: &'static str,
		/// The block.
		block: u32,
		/// The dispatch error, by name where the runtime can tell it.
		reason: String,
	},
	/// Something did not happen in time.
	#[error("{what} after {after:?}")]
	TimedOut {
		/// What was awaited, and what happened instead.
		what: String,
		/// How long it was awaited.
		after: Duration,
	},
	/// The node's data or answer does not match what was sent or what the chain commits to.
	#[error("{0}")]
	Mismatch(String),
}

impl CliError {
	/// A [`CliError::File`] for `path`.
	pub fn file(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
		move |source| CliError::File { path: path.to_path_buf(), source }
	}
}

/// The result of a client command.
pub type CliResult<T> = Result<T, CliError>;
