//! # zerog-data-plane
//!
//! The plumbing shared by the node-side services of DA, storage and alignment:
//! - [`http_server`]: the raw-byte HTTP server beside the JSON-RPC server, with routes
//!   supplied by each service;
//! - [`request_response`]: request-response protocols on sc-network (either backend), the
//!   refusal of bad requests, and [`request_response::PeerSource`];
//! - [`files`]: crash-safe file replacement and folders named by root hashes;
//! - [`holding`]: the signer of holding proofs and their signature check.

pub mod files;
pub mod holding;
pub mod http_server;
pub mod request_response;
