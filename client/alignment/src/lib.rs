//! # zerog-alignment-service
//!
//! The node side of zerog alignment: the checks an alignment node runs each era against the
//! subjects the chain drew (see `pallets/alignment`).
//! - [`challenge`]: which segment or chunk a storage or DA subject is asked for, from its
//!   check seed, the same for every operator;
//! - [`compute`]: the health check of a compute service's endpoint. The endpoint signs a
//!   fresh challenge with the service's registered signer key;
//! - [`reports`]: each era's verdicts and salt, kept on disk between commit and reveal.
//!
//! Storage and DA checks are holding challenges over the nodes' p2p protocols
//! (`zerog_storage_service::holding`, `zerog_da_service::holding`). The era loop that runs
//! the checks and submits the reports lives in the node.

pub mod challenge;
pub mod compute;
pub mod reports;
