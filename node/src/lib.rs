//! zerog-node as a library: the binary's modules, so that tests and tools can use the same
//! CLI, service and client code.
#![warn(missing_docs)]

pub mod alignment;
pub mod alignment_checks;
pub mod alignment_rpc;
pub mod chain_rpc;
pub mod chain_spec;
pub mod cli;
pub mod command;
pub mod compute_rpc;
pub mod da;
pub mod da_bench;
pub mod da_cli;
pub mod eth_rpc;
pub mod kv;
pub mod kv_bench;
pub mod kv_cli;
pub mod own_tx;
pub mod rpc;
pub mod service;
pub mod storage;
pub mod storage_bench;
pub mod storage_cli;
pub mod storage_miner;
pub mod transfer_bench;
