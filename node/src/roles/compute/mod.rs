//! Compute in the node: the `compute_*` RPC that provider gateways and wallets read the
//! compute pallet through ([`rpc`]).

pub mod rpc;
