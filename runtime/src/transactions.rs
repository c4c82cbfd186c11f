//! Signed transactions, defined once for everyone who builds them: the runtime (Ethereum
//! transactions wrapped by pallet-revive), the node (its own PoRA answers and alignment
//! reports, signed in its keystore) and wallets (`zerog-cli`). All of them call
//! [`tx_extension`] and [`signed_transaction`] instead of spelling out the extension tuple.

use crate::{
	AccountId, Address, Balance, GenericUncheckedExtrinsic, Hash, Nonce, Runtime, RuntimeCall,
	Signature, UncheckedExtrinsic, VERSION,
};
use codec::Encode;
use pallet_revive::evm::tx_extension::SetOrigin;
use sp_runtime::generic::{self, Era};

/// The checks every signed transaction passes: sender, versions, genesis, mortality, nonce,
/// weight, fee, and weight reclaim.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
	pallet_revive::evm::tx_extension::SetOrigin<Runtime>,
);
/// The payload a signer signs: the call, the extensions and what they imply.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// The extensions of an immortal transaction with `nonce` and `tip`, and `set_origin` for
/// pallet-revive (a plain transaction, or an Ethereum one).
fn extensions(nonce: Nonce, tip: Balance, set_origin: SetOrigin<Runtime>) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(tip),
		frame_system::WeightReclaim::new(),
		set_origin,
	)
}

/// The extensions of a signed (non-Ethereum) transaction: immortal, with `nonce` and `tip`.
pub fn tx_extension(nonce: Nonce, tip: Balance) -> TxExtension {
	extensions(nonce, tip, SetOrigin::default())
}

/// What a signature commits to besides the call and the extensions: the chain, and the
/// runtime version the transaction was built for. A node refuses a transaction signed for
/// another chain or an older transaction version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningContext {
	/// The chain's genesis hash (also the era block, as transactions are immortal).
	pub genesis_hash: Hash,
	/// The runtime's spec version.
	pub spec_version: u32,
	/// The runtime's transaction version.
	pub transaction_version: u32,
}

impl SigningContext {
	/// This runtime's versions, on the chain with `genesis_hash`.
	pub fn native(genesis_hash: Hash) -> Self {
		SigningContext {
			genesis_hash,
			spec_version: VERSION.spec_version,
			transaction_version: VERSION.transaction_version,
		}
	}

	/// What [`TxExtension`] implies for this context, in the tuple's order (versions,
	/// genesis and era block; the other extensions imply nothing).
	fn implicit(
		&self,
	) -> <TxExtension as sp_runtime::traits::TransactionExtension<RuntimeCall>>::Implicit {
		let genesis = self.genesis_hash;
		((), self.spec_version, self.transaction_version, genesis, genesis, (), (), (), (), ())
	}
}

/// An immortal transaction from `sender` with `nonce` and no tip, whose payload `sign`
/// signs (a key pair, or a keystore key in the node); `None` when `sign` cannot sign.
pub fn signed_transaction(
	call: RuntimeCall,
	sender: AccountId,
	nonce: Nonce,
	context: SigningContext,
	sign: impl FnOnce(&[u8]) -> Option<Signature>,
) -> Option<UncheckedExtrinsic> {
	let extension = tx_extension(nonce, 0);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), context.implicit());
	let signature = payload.using_encoded(sign)?;
	Some(
		GenericUncheckedExtrinsic::new_signed(call, Address::Id(sender), signature, extension)
			.into(),
	)
}

/// Turns Ethereum transactions into checked extrinsics with our extensions.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthExtraImpl;

impl pallet_revive::evm::runtime::EthExtra for EthExtraImpl {
	type Config = Runtime;
	type ExtensionV0 = TxExtension;
	type ExtensionOtherVersions = sp_runtime::traits::InvalidVersion;

	fn get_eth_extension(nonce: Nonce, tip: Balance) -> TxExtension {
		extensions(nonce, tip, SetOrigin::new_from_eth_transaction())
	}
}
