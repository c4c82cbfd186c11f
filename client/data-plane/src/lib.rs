//! # zerog-data-plane
//!
//! The plumbing shared by the node-side services of DA, storage and alignment:
//! - [`http_server`]: the raw-byte HTTP server beside the JSON-RPC server, with routes
//!   supplied by each service;
//! - [`request_response`]: request-response protocols on sc-network (either backend), the
//!   refusal of bad requests, [`request_response::PeerSource`], and
//!   [`request_response::first_verified`] (the first of several peers' answers that verifies);
//! - [`files`]: crash-safe file replacement and folders named by root hashes;
//! - [`holding`]: the signer of holding proofs and their signature check.

pub mod files;
pub mod holding;
pub mod http_server;
pub mod request_response;
