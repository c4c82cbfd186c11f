//! The node's own JSON-RPC client (`zerog_da_service::http`), with panicking shorthands.

#[allow(unused_imports)]
pub use zerog_da_service::http::{to_hex, Client, RpcError};

/// A `0x`-prefixed hex number (as in block headers).
pub fn hex_number(value: &serde_json::Value) -> u32 {
	zerog_node::chain_rpc::hex_number(value).expect("hex number")
}

/// Bytes of a `0x`-prefixed hex string.
pub fn from_hex(value: &serde_json::Value) -> Vec<u8> {
	zerog_da_service::http::from_hex(value).expect("hex string")
}
