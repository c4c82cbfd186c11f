//! Ethereum-style errors for refused raw transactions.
//!
//! pallet-revive's eth-rpc answers every transaction the node's pool refuses with
//! `1010 "Invalid Transaction"`, without the reason. Wallets and libraries recognise the
//! reasons geth gives (code -32000 with "nonce too low",
//! "insufficient funds for gas * price + value", "invalid chain id for signer"...),
//! e.g. ethers turns them into `NONCE_EXPIRED`
//! and `INSUFFICIENT_FUNDS`. So when a transaction is refused, [`diagnose`] decodes it and
//! checks it the way geth's pool does, against the chain's view of the sender, to name
//! the reason. A transaction that passes every check keeps the node's own error.

use pallet_revive::evm::{GenericTransaction, TransactionSigned, TransactionUnsigned};
use sp_core::{H160, U256};

/// JSON-RPC error code geth uses for transactions its pool refuses.
pub const POOL_ERROR_CODE: i32 = -32000;

/// What the chain says about a sender, fetched when a transaction was refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SenderState {
	/// Next nonce, counting transactions already in the pool (`pending`).
	pub nonce: U256,
	/// Spendable balance in wei.
	pub balance: U256,
	/// The current base gas price in wei.
	pub gas_price: U256,
}

/// A raw transaction decoded far enough to check it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedTransaction {
	/// The recovered sender.
	pub from: H160,
	/// Its chain id; `None` for a legacy transaction without replay protection.
	pub chain_id: Option<U256>,
	/// Its nonce.
	pub nonce: U256,
	/// Value it transfers, in wei.
	pub value: U256,
	/// Most it may cost: value + gas limit × (max fee per gas, or gas price).
	pub max_cost: U256,
	/// Max fee per gas (or gas price for legacy transactions).
	pub fee_per_gas: U256,
}

/// Why a raw transaction could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
	/// The bytes are not an RLP-encoded transaction.
	#[error("rlp: {0}")]
	Rlp(String),
	/// The signature does not recover a sender.
	#[error("invalid sender")]
	InvalidSender,
}

/// Decodes a raw (EIP-2718 typed or legacy) transaction and recovers its sender.
pub fn decode(raw: &[u8]) -> Result<DecodedTransaction, DecodeError> {
	let signed = TransactionSigned::decode(raw).map_err(|e| DecodeError::Rlp(format!("{e:?}")))?;
	let from = signed.recover_eth_address().map_err(|()| DecodeError::InvalidSender)?;
	let unsigned = TransactionUnsigned::from(signed);
	// Legacy and EIP-2930 transactions name a gas price; `GenericTransaction` replaces it
	// with the effective price at a base fee, so read it first.
	let gas_price = match &unsigned {
		TransactionUnsigned::TransactionLegacyUnsigned(tx) => Some(tx.gas_price),
		TransactionUnsigned::Transaction2930Unsigned(tx) => Some(tx.gas_price),
		_ => None,
	};
	let tx = GenericTransaction::from_unsigned(unsigned, U256::zero(), Some(from));
	let fee_per_gas = tx.max_fee_per_gas.or(gas_price).unwrap_or_default();
	let gas = tx.gas.unwrap_or_default();
	let value = tx.value.unwrap_or_default();
	let max_cost = gas.saturating_mul(fee_per_gas).saturating_add(value);
	Ok(DecodedTransaction {
		from,
		chain_id: tx.chain_id,
		nonce: tx.nonce.unwrap_or_default(),
		value,
		max_cost,
		fee_per_gas,
	})
}

/// The geth-style message for a transaction refused without a usable reason, or `None`
/// when the checks find nothing wrong (the node refused it for another reason).
/// `state` is fetched for the sender only when the transaction names this chain.
pub fn diagnose(
	tx: &DecodedTransaction,
	chain_id: U256,
	state: impl FnOnce(H160) -> Option<SenderState>,
) -> Option<String> {
	match tx.chain_id {
		None => {
			return Some("only replay-protected (EIP-155) transactions allowed over RPC".into())
		},
		Some(id) if id != chain_id => {
			return Some(format!("invalid chain id for signer: have {id} want {chain_id}"))
		},
		Some(_) => {},
	}
	let state = state(tx.from)?;
	if tx.nonce < state.nonce {
		return Some(format!(
			"nonce too low: address {:?}, tx: {} state: {}",
			tx.from, tx.nonce, state.nonce
		));
	}
	if tx.fee_per_gas < state.gas_price {
		return Some(format!(
			"max fee per gas less than block base fee: address {:?}, maxFeePerGas: {}, \
             baseFee: {}",
			tx.from, tx.fee_per_gas, state.gas_price
		));
	}
	unaffordable(tx, state.balance)
}

/// geth's refusal when `balance` cannot cover the transaction's value and its gas at the
/// most it may pay. The node's pool checks only the fee, so a transaction moving more value
/// than its sender has would be included and fail; the front checks value transfers first.
pub fn unaffordable(tx: &DecodedTransaction, balance: U256) -> Option<String> {
	(balance < tx.max_cost).then(|| {
		format!(
			"insufficient funds for gas * price + value: address {:?} have {} want {}",
			tx.from, balance, tx.max_cost
		)
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	fn tx(
		chain_id: Option<u64>,
		nonce: u64,
		max_cost: u64,
		fee_per_gas: u64,
	) -> DecodedTransaction {
		DecodedTransaction {
			from: H160::repeat_byte(0xaa),
			chain_id: chain_id.map(U256::from),
			nonce: nonce.into(),
			value: 0.into(),
			max_cost: max_cost.into(),
			fee_per_gas: fee_per_gas.into(),
		}
	}

	fn state(nonce: u64, balance: u64, gas_price: u64) -> Option<SenderState> {
		Some(SenderState {
			nonce: nonce.into(),
			balance: balance.into(),
			gas_price: gas_price.into(),
		})
	}

	#[test]
	fn names_each_reason_like_geth() {
		let ours = U256::from(16898);
		let check = |t: DecodedTransaction| diagnose(&t, ours, |_| state(5, 1000, 10));
		assert_eq!(
			check(tx(Some(1), 5, 10, 10)).unwrap(),
			"invalid chain id for signer: have 1 want 16898"
		);
		assert!(check(tx(None, 5, 10, 10)).unwrap().starts_with("only replay-protected"));
		assert_eq!(
			check(tx(Some(16898), 4, 10, 10)).unwrap(),
			"nonce too low: address 0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, tx: 4 state: 5"
		);
		assert!(check(tx(Some(16898), 5, 10, 9)).unwrap().starts_with("max fee per gas less"));
		assert_eq!(
			check(tx(Some(16898), 5, 1001, 10)).unwrap(),
			"insufficient funds for gas * price + value: address \
             0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa have 1000 want 1001"
		);
		assert_eq!(check(tx(Some(16898), 5, 1000, 10)), None, "nothing wrong that we can see");
		assert_eq!(check(tx(Some(16898), 9, 1000, 10)), None, "a future nonce is no error");
	}

	#[test]
	fn value_and_gas_must_be_covered() {
		assert_eq!(unaffordable(&tx(Some(1), 0, 500, 1), 500.into()), None);
		assert!(unaffordable(&tx(Some(1), 0, 501, 1), 500.into())
			.unwrap()
			.contains("have 500 want 501"));
	}

	#[test]
	fn a_wrong_chain_is_named_without_asking_for_the_sender() {
		let named = diagnose(&tx(Some(1), 0, 0, 0), 16898.into(), |_| panic!("no lookup"));
		assert!(named.unwrap().starts_with("invalid chain id"));
	}

	#[test]
	fn unknown_sender_state_keeps_the_nodes_error() {
		assert_eq!(diagnose(&tx(Some(7), 0, 0, 0), 7.into(), |_| None), None);
	}

	/// Signed by ethers with Hardhat key 0 (0xf39F…2266).
	const EIP1559_NONCE_3: &str = "02f86682420203800a8252089470997970c51812dc3a010c7d01b50e0d17dc79c88203e880c080a05874acf0f0edabf4fba96e048464af7ea737fed508fa805b30005cce186ab861a060bf19c315e74966e01c6ff31ffa85c72a577a036d99710d2105adaa8a096ec3";
	/// A legacy transaction without a chain id, same key.
	const LEGACY_UNPROTECTED: &str = "f85f07028252089470997970c51812dc3a010c7d01b50e0d17dc79c805801ba049737469cfc33063f0adc16d7f22d484d83802a2c337a33dc128f89abc4d124ba07eb8c4f00db992f9b8e5da99b8df98b1a88deee91487bfd8d2eefaab69fb2806";
	const HARDHAT_0: &str = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266";

	#[test]
	fn decodes_what_ethers_signs() {
		let tx = decode(&hex::decode(EIP1559_NONCE_3).unwrap()).unwrap();
		assert_eq!(hex::encode(tx.from), HARDHAT_0);
		assert_eq!(tx.chain_id, Some(16898.into()));
		assert_eq!(tx.nonce, 3.into());
		assert_eq!(tx.fee_per_gas, 10.into());
		assert_eq!(tx.value, 1000.into());
		assert_eq!(tx.max_cost, (21000 * 10 + 1000).into());

		let legacy = decode(&hex::decode(LEGACY_UNPROTECTED).unwrap()).unwrap();
		assert_eq!(hex::encode(legacy.from), HARDHAT_0);
		assert_eq!(legacy.chain_id, None);
		assert_eq!(legacy.max_cost, (21000 * 2 + 5).into(), "{legacy:?}");
	}

	#[test]
	fn garbage_does_not_decode() {
		assert!(decode(&[0x02, 0xc0]).is_err());
		assert!(decode(&[]).is_err());
	}
}
