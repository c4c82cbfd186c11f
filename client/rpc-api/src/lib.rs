//! # zerog-rpc-api
//!
//! zerog's own JSON-RPC methods, defined once as jsonrpsee traits with
//! `#[rpc(client, server)]`: the node implements the `*ApiServer` traits
//! (`zerog-da-service`, `zerog-storage-service`) and wallets and tools call the generated
//! `*ApiClient` traits on any jsonrpsee client (`zerog-cli`). Both sides share the answer
//! types, the error codes and the wire formats of the raw-byte data path, so they cannot
//! drift apart.
//!
//! - [`da`]: `da_submitBlob`, `da_getBlob`, `da_getChunk`, `da_blobStatus`, `da_info`;
//! - [`storage`]: `storage_uploadSegments`, `storage_downloadSegment`, `storage_fileInfo`,
//!   `storage_info`, and the SCALE bodies of the segment path;
//! - [`kv`]: `kv_get`, `kv_next`, `kv_prev`, `kv_first`, `kv_last`, `kv_entry`, `kv_info`.
//!
//! The `compute_*` and `alignment_*` methods are served by the node's roles that own them
//! (`node/src/roles/compute/rpc.rs`, `node/src/roles/alignment/rpc.rs`).

pub mod da;
pub mod kv;
pub mod storage;
