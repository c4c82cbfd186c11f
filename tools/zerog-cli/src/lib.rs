//! # zerog-cli
//!
//! The user side of zerog: the commands a wallet, a rollup or an AI app runs against a node,
//! and the wallet code under them. `zerog-node da|storage|kv|bench …` embeds these commands;
//! the `zerog` program runs them without linking the node.
//!
//! | module | what |
//! |---|---|
//! | [`chain`] | the node's JSON-RPC on typed clients (jsonrpsee, subxt's Substrate methods, `zerog_rpc_api`), signing with the runtime's transaction helpers, events and dispatch errors |
//! | [`data_path`] | the raw-byte data path (`--da-http-addr`) on hyper's client |
//! | [`da`] | `da submit`, `da get`, `da bench`, `da register` |
//! | [`storage`] | `storage upload`, `storage download`, `storage status`, `storage bench` |
//! | [`kv`] | `kv put`, `kv grant`, `kv get`, `kv iter`, `kv bench` |
//! | [`transfers`] | `bench transfers`, the transfer load generator |
//! | [`progress`] | progress bars (indicatif) and stage lines |
//! | [`args`], [`error`], [`sample`], [`send`] | what the commands share |

pub mod args;
pub mod chain;
pub mod da;
pub mod data_path;
pub mod error;
pub mod kv;
pub mod progress;
pub mod sample;
pub mod send;
pub mod storage;
pub mod transfers;

pub use da::DaCmd;
pub use error::{ChainError, CliError, CliResult};
pub use kv::KvCmd;
pub use storage::StorageCmd;
pub use transfers::BenchCmd;
