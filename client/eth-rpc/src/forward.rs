//! The public JSON-RPC module: every method of the inner eth-rpc server, forwarded over one
//! WebSocket connection, with Ethereum-style errors for refused raw transactions.

use crate::refusal::{self, SenderState, POOL_ERROR_CODE};
use jsonrpsee::{
	core::{
		client::{ClientT, Error as ClientError, SubscriptionClientT},
		traits::ToRpcParams,
	},
	types::{ErrorObject, ErrorObjectOwned, Params},
	ws_client::WsClient,
	PendingSubscriptionSink, RpcModule, SubscriptionMessage,
};
use serde_json::{value::RawValue, Value};
use sp_core::U256;
use std::sync::Arc;

/// Methods the front answers itself (`rpc_methods`) or handles specially.
const NOT_FORWARDED: [&str; 4] =
	["rpc_methods", "eth_sendRawTransaction", "eth_subscribe", "eth_unsubscribe"];

/// The parameters of a request, passed on as they came.
struct RawParams(Option<String>);

impl ToRpcParams for RawParams {
	fn to_rpc_params(self) -> Result<Option<Box<RawValue>>, serde_json::Error> {
		self.0.map(RawValue::from_string).transpose()
	}
}

fn raw_params(params: &Params<'_>) -> RawParams {
	RawParams(params.as_str().map(str::to_string))
}

/// The inner server's answer as ours: its own error objects pass through unchanged.
fn pass_on(result: Result<Value, ClientError>) -> Result<Value, ErrorObjectOwned> {
	result.map_err(|e| match e {
		ClientError::Call(error) => error,
		other => ErrorObject::owned(
			jsonrpsee::types::error::INTERNAL_ERROR_CODE,
			format!("eth-rpc backend: {other}"),
			None::<()>,
		),
	})
}

/// Builds the module that forwards `methods` to `inner`.
pub fn module(
	inner: Arc<WsClient>,
	methods: Vec<String>,
	chain_id: U256,
) -> anyhow::Result<RpcModule<()>> {
	let mut module = RpcModule::new(());
	for name in methods.into_iter().filter(|m| !NOT_FORWARDED.contains(&m.as_str())) {
		// Method names must live as long as the server: a few dozen strings, leaked once.
		let name: &'static str = Box::leak(name.into_boxed_str());
		let inner = inner.clone();
		module.register_async_method(name, move |params, _, _| {
			let inner = inner.clone();
			async move { pass_on(inner.request::<Value, _>(name, raw_params(&params)).await) }
		})?;
	}

	let sender = inner.clone();
	module.register_async_method("eth_sendRawTransaction", move |params, _, _| {
		let inner = sender.clone();
		async move {
			let raw = params.one::<String>().ok();
			if let Some(refusal) = refuse_unaffordable_value(&inner, raw.as_deref()).await {
				return Err(refusal);
			}
			let result =
				inner.request::<Value, _>("eth_sendRawTransaction", raw_params(&params)).await;
			match (result, raw) {
				(Err(ClientError::Call(error)), Some(raw)) => {
					Err(explain_refusal(&inner, chain_id, &raw, error).await)
				},
				(result, _) => pass_on(result),
			}
		}
	})?;

	let subscriber = inner;
	module.register_subscription(
		"eth_subscribe",
		"eth_subscription",
		"eth_unsubscribe",
		move |params, pending, _, _| {
			forward_subscription(subscriber.clone(), raw_params(&params), pending)
		},
	)?;
	Ok(module)
}

/// Refuses a value transfer its sender cannot cover (see [`refusal::unaffordable`]), as geth
/// does; transactions without value go straight to the node, which checks their fee.
async fn refuse_unaffordable_value(
	inner: &WsClient,
	raw: Option<&str>,
) -> Option<ErrorObjectOwned> {
	let bytes = hex::decode(raw?.trim_start_matches("0x")).ok()?;
	let tx = refusal::decode(&bytes).ok().filter(|tx| !tx.value.is_zero())?;
	let balance = balance_of(inner, tx.from).await?;
	refusal::unaffordable(&tx, balance).map(|m| ErrorObject::owned(POOL_ERROR_CODE, m, None::<()>))
}

/// Replaces the node's reason-less refusal with geth's words when [`refusal::diagnose`]
/// finds the reason; otherwise returns the node's error.
async fn explain_refusal(
	inner: &WsClient,
	chain_id: U256,
	raw: &str,
	error: ErrorObjectOwned,
) -> ErrorObjectOwned {
	let Ok(bytes) = hex::decode(raw.trim_start_matches("0x")) else {
		return ErrorObject::owned(POOL_ERROR_CODE, "invalid transaction: not hex", None::<()>);
	};
	let tx = match refusal::decode(&bytes) {
		Ok(tx) => tx,
		Err(e) => {
			return ErrorObject::owned(
				POOL_ERROR_CODE,
				format!("invalid transaction: {e}"),
				None::<()>,
			)
		},
	};
	let state =
		if tx.chain_id == Some(chain_id) { sender_state(inner, tx.from).await } else { None };
	match refusal::diagnose(&tx, chain_id, |_| state) {
		Some(message) => ErrorObject::owned(POOL_ERROR_CODE, message, None::<()>),
		None => error,
	}
}

/// A `0x` hex quantity.
fn quantity(value: Value) -> Option<U256> {
	U256::from_str_radix(value.as_str()?.trim_start_matches("0x"), 16).ok()
}

/// The sender's spendable balance, from the inner server.
async fn balance_of(inner: &WsClient, from: sp_core::H160) -> Option<U256> {
	let params = jsonrpsee::rpc_params![format!("{from:?}"), "latest"];
	inner
		.request::<Value, _>("eth_getBalance", params)
		.await
		.ok()
		.and_then(quantity)
}

/// The sender's pending nonce, balance and the current gas price, from the inner server.
async fn sender_state(inner: &WsClient, from: sp_core::H160) -> Option<SenderState> {
	let params = jsonrpsee::rpc_params![format!("{from:?}"), "pending"];
	let nonce = inner
		.request::<Value, _>("eth_getTransactionCount", params)
		.await
		.ok()
		.and_then(quantity)?;
	let balance = balance_of(inner, from).await?;
	let gas_price = inner
		.request::<Value, _>("eth_gasPrice", jsonrpsee::rpc_params![])
		.await
		.ok()
		.and_then(quantity)?;
	Some(SenderState { nonce, balance, gas_price })
}

/// Subscribes at the inner server and passes every notification on until either side ends.
async fn forward_subscription(
	inner: Arc<WsClient>,
	params: RawParams,
	pending: PendingSubscriptionSink,
) -> jsonrpsee::core::SubscriptionResult {
	let mut upstream =
		match inner.subscribe::<Value, _>("eth_subscribe", params, "eth_unsubscribe").await {
			Ok(subscription) => subscription,
			Err(e) => {
				let error = pass_on(Err(e)).unwrap_err();
				pending.reject(error).await;
				return Ok(());
			},
		};
	let sink = pending.accept().await?;
	loop {
		tokio::select! {
			item = upstream.next() => match item {
				Some(Ok(value)) => sink.send(SubscriptionMessage::from_json(&value)?).await?,
				_ => break,
			},
			_ = sink.closed() => break,
		}
	}
	Ok(())
}
