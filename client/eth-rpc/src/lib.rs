//! zerog's Ethereum JSON-RPC server.
//!
//! pallet-revive's eth-rpc server does the work: it follows the node over WebSocket,
//! indexes receipts and logs, and answers `eth_*`. It runs inside this process on a
//! loopback port of its own. In front of it, on the public port, a JSON-RPC server with
//! the same settings (CORS, limits, HTTP and WebSocket) forwards every method over one
//! WebSocket connection and turns the reason-less refusals of raw transactions into the
//! errors Ethereum tools understand ([`refusal`]).
//!
//! `zerog-node` starts this program (see `node/src/eth_rpc.rs`); it takes the flags of
//! pallet-revive's `eth-rpc` (`--help`).

pub mod forward;
pub mod refusal;

use anyhow::Context;
use jsonrpsee::{core::client::ClientT, ws_client::WsClientBuilder};
use pallet_revive_eth_rpc::cli::CliCommand;
use sc_service::config::RpcConfiguration;
use std::{sync::Arc, time::Duration};

/// Port the public server listens on when `--rpc-port` is not given.
pub const DEFAULT_PORT: u16 = 8545;

/// The public server's settings, from the eth-rpc flags (as the inner server would use them).
fn public_rpc_config(command: &CliCommand) -> anyhow::Result<RpcConfiguration> {
	let params = &command.rpc_params;
	let is_dev = command.shared_params.dev;
	let addr = params
		.rpc_addr(is_dev, false, DEFAULT_PORT)?
		.map(|addrs| addrs.into_iter().map(Into::into).collect());
	Ok(RpcConfiguration {
		addr,
		methods: params.rpc_methods.into(),
		max_connections: params.rpc_max_connections,
		cors: params.rpc_cors(is_dev)?,
		max_request_size: params.rpc_max_request_size,
		max_response_size: params.rpc_max_response_size,
		id_provider: None,
		max_subs_per_conn: params.rpc_max_subscriptions_per_connection,
		port: params.rpc_port.unwrap_or(DEFAULT_PORT),
		message_buffer_capacity: params.rpc_message_buffer_capacity_per_connection,
		batch_config: params.rpc_batch_config()?,
		rate_limit: params.rpc_rate_limit,
		rate_limit_whitelisted_ips: params.rpc_rate_limit_whitelisted_ips.clone(),
		rate_limit_trust_proxy_headers: params.rpc_rate_limit_trust_proxy_headers,
		request_logger_limit: if is_dev { 1024 * 1024 } else { 1024 },
	})
}

/// A free port on 127.0.0.1 for the inner server.
fn free_loopback_port() -> std::io::Result<u16> {
	Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Runs the inner eth-rpc server and the public server until a signal or a failure.
pub fn run(mut command: CliCommand) -> anyhow::Result<()> {
	let public = public_rpc_config(&command)?;
	let max_request_bytes = public.max_request_size * 1024 * 1024;
	let max_response_bytes = public.max_response_size * 1024 * 1024;

	// The inner server listens on loopback only, without limits of its own: the public
	// server applies them.
	let inner_port = free_loopback_port()?;
	let params = &mut command.rpc_params;
	params.rpc_port = Some(inner_port);
	params.rpc_external = false;
	params.unsafe_rpc_external = false;
	params.experimental_rpc_endpoint.clear();
	params.rpc_rate_limit = None;
	let inner = std::thread::Builder::new()
		.name("eth-rpc-inner".into())
		.spawn(move || pallet_revive_eth_rpc::cli::run(command))?;

	let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
	let handle = runtime.handle().clone();
	let served = runtime.block_on(async {
        let url = format!("ws://127.0.0.1:{inner_port}");
        let client = loop {
            if inner.is_finished() {
                anyhow::bail!("the eth-rpc server stopped before it listened");
            }
            match WsClientBuilder::default()
                .max_request_size(max_request_bytes)
                .max_response_size(max_response_bytes)
                .max_concurrent_requests(4096)
                .request_timeout(Duration::from_secs(300))
                .build(&url)
                .await
            {
                Ok(client) => break Arc::new(client),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let methods: serde_json::Value = client
            .request("rpc_methods", jsonrpsee::rpc_params![])
            .await
            .context("listing the eth-rpc methods")?;
        let methods: Vec<String> = serde_json::from_value(methods["methods"].clone())?;
        let chain_id: String = client.request("eth_chainId", jsonrpsee::rpc_params![]).await?;
        let chain_id = sp_core::U256::from_str_radix(chain_id.trim_start_matches("0x"), 16)?;

        let module = forward::module(client.clone(), methods, chain_id)?;
        let rpc_runtime = sc_service::create_rpc_runtime(public.max_connections)
            .map_err(|e| anyhow::anyhow!("RPC runtime: {e}"))?;
        let server = sc_service::start_rpc_servers(&public, None, &handle, module, rpc_runtime, None)?;
        log::info!(
            target: "eth-rpc",
            "Ethereum JSON-RPC served on port {} (chain id {chain_id}); inner eth-rpc server on 127.0.0.1:{inner_port}",
            public.port
        );
        client.on_disconnect().await;
        drop(server);
        Ok(())
    });
	// The inner server ended (a signal, or the node went away): its result is ours.
	let inner = inner.join().map_err(|_| anyhow::anyhow!("the eth-rpc server panicked"))?;
	served.and(inner)
}
