//! zerog-node's end-to-end tests, in one test binary (linked once, where one binary per
//! suite took about 650 MB each). Each module is a suite that starts the real `zerog-node`
//! on loopback ports it chooses; `common` is their harness. Suites run in parallel within
//! the slots of `common::load`.

mod common;

mod alignment_dev;
mod alignment_network;
mod chain_specs;
mod compute_dev;
mod da_dev;
mod da_network;
mod da_stream;
mod dev_chain;
mod evm_dev;
mod governance_dev;
mod inft_dev;
mod inft_evm;
mod kv_dev;
mod kv_network;
mod storage_dev;
mod storage_network;
mod storage_pora;
mod transfer_bench;
mod two_nodes;
