//! zerog-node as a library: the binary's modules, so that tests and tools can use the same
//! CLI, service and roles.
#![warn(missing_docs)]

pub mod chain_spec;
pub mod cli;
pub mod command;
pub mod roles;
pub mod service;
