//! # pallet-inft
//!
//! Intelligent NFTs with ERC-7857 semantics. An iNFT stands for an AI agent whose private
//! data (model weights, memory, prompts) is stored encrypted. The token records, per data
//! item, a public description, the hash of the encrypted data and the data key sealed to
//! the owner.
//!
//! ## Oracles
//! A privileged origin registers oracle accounts (TEE enclaves or ZK verifiers) with their
//! kind and an optional attestation report hash. An oracle re-encrypts a token's data for a
//! receiver and vouches for it with an ownership proof.
//!
//! ## Transfers and clones
//! `transfer(token, to, proofs)` and `clone(token, to, proofs)` need, for every data item:
//! - an **ownership proof**: a registered oracle's signature over [`ownership_message`]
//!   (token, old and new data hash, new sealed key, receiver key, nonce);
//! - an **access proof**: the receiver's signature, or its delegated assistant's, over
//!   [`access_message`] (token, new data hash, receiver key, nonce).
//!
//! The nonce is the token's own counter, which rises with every transfer and clone, so no
//! proof is accepted twice and nothing accumulates in storage. Messages include the genesis
//! hash, so proofs do not carry over to another chain. A transfer updates the data hashes
//! and sealed keys and emits `PublishedSealedKey`; a clone mints a new token with the new
//! data for the receiver. A token without data items is a plain NFT and moves without
//! proofs; one with data never does.
//!
//! Signatures are either Substrate signatures by the signing account, or Ethereum
//! `personal_sign` signatures by the key behind the account's H160 address
//! ([`ProofSignature`]).
//!
//! ## Access
//! The owner may `authorize_usage` for a bounded set of users and `revoke_authorization`;
//! authorizations end with a transfer. Any account may `delegate_access` to an assistant
//! that signs access proofs for it.
//!
//! ## Deposits
//! Minting holds a deposit sized for the token with full-size sealed keys, so transfers
//! never change it; `burn` returns it. Each authorization and an assistant hold a deposit
//! too.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
mod proofs;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_proofs;
mod tokens;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use proofs::ProofSigner;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A data item.
	pub type DataItemOf<T> =
		DataItem<<T as Config>::MaxDescriptionLen, <T as Config>::MaxSealedKeyLen>;
	/// A token record.
	pub type TokenOf<T> = Token<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxDataItems,
		<T as Config>::MaxDescriptionLen,
		<T as Config>::MaxSealedKeyLen,
		<T as Config>::MaxUriLen,
	>;
	/// A data item given at mint: description and data hash.
	pub type MintItemOf<T> = (BoundedVec<u8, <T as Config>::MaxDescriptionLen>, [u8; 32]);
	/// The proofs of one data item.
	pub type TransferProofOf<T> = TransferProof<
		<T as frame_system::Config>::AccountId,
		<T as Config>::Signature,
		<T as Config>::MaxSealedKeyLen,
		<T as Config>::MaxReceiverKeyLen,
	>;
	/// The proofs of a transfer or clone, one per data item.
	pub type ProofsOf<T> = BoundedVec<TransferProofOf<T>, <T as Config>::MaxDataItems>;
	/// A sealed key.
	pub type SealedKeyOf<T> = BoundedVec<u8, <T as Config>::MaxSealedKeyLen>;

	/// The in-code storage version: the pallet's first storage layout.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds balance.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a token, an authorization or an assistant.
		Deposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The native currency: deposits are held in it.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// Substrate signatures in proofs (the runtime's `MultiSignature`).
		type Signature: sp_runtime::traits::Verify<Signer = Self::Signer>
			+ Parameter
			+ MaxEncodedLen;
		/// The public key behind [`Config::Signature`], identified as an account.
		type Signer: sp_runtime::traits::IdentifyAccount<AccountId = Self::AccountId>;
		/// The account of an Ethereum (H160) address, as the EVM sees it (pallet-revive's
		/// address mapping in the runtime).
		type EthereumAccount: sp_runtime::traits::Convert<[u8; 20], Self::AccountId>;
		/// Who registers and removes oracles.
		type OracleOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Deposit of a token, before its size.
		#[pallet::constant]
		type TokenDeposit: Get<BalanceOf<Self>>;
		/// Deposit per byte of a token (its descriptions, URI and full-size sealed keys).
		#[pallet::constant]
		type ByteDeposit: Get<BalanceOf<Self>>;
		/// Deposit of one authorized user, paid by the owner.
		#[pallet::constant]
		type AuthorizationDeposit: Get<BalanceOf<Self>>;
		/// Deposit of a delegated assistant.
		#[pallet::constant]
		type AssistantDeposit: Get<BalanceOf<Self>>;
		/// Most data items of a token.
		#[pallet::constant]
		type MaxDataItems: Get<u32>;
		/// Longest description of a data item.
		#[pallet::constant]
		type MaxDescriptionLen: Get<u32>;
		/// Longest sealed key.
		#[pallet::constant]
		type MaxSealedKeyLen: Get<u32>;
		/// Longest receiver public key.
		#[pallet::constant]
		type MaxReceiverKeyLen: Get<u32>;
		/// Longest metadata URI.
		#[pallet::constant]
		type MaxUriLen: Get<u32>;
		/// Most users authorized on one token.
		#[pallet::constant]
		type MaxAuthorizedUsers: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Signing keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: zerog_traits::BenchmarkKeys<Self::AccountId, Self::Signature>;
	}

	/// Registered oracles.
	#[pallet::storage]
	pub type Oracles<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OracleInfo, OptionQuery>;

	/// Tokens by id.
	#[pallet::storage]
	pub type Tokens<T: Config> = StorageMap<_, Twox64Concat, TokenId, TokenOf<T>, OptionQuery>;

	/// The next token id.
	#[pallet::storage]
	pub type NextTokenId<T: Config> = StorageValue<_, TokenId, ValueQuery>;

	/// Users the owner authorized to use a token (not to transfer it).
	#[pallet::storage]
	pub type Authorizations<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TokenId,
		BoundedVec<T::AccountId, T::MaxAuthorizedUsers>,
		ValueQuery,
	>;

	/// The assistant each account delegated its access proofs to.
	#[pallet::storage]
	pub type Assistants<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An oracle was registered (or its record replaced).
		OracleRegistered { oracle: T::AccountId, info: OracleInfo },
		/// An oracle was removed.
		OracleRemoved { oracle: T::AccountId },
		/// A token was minted.
		Minted { token: TokenId, owner: T::AccountId, items: u32 },
		/// A token changed hands.
		Transferred { token: TokenId, from: T::AccountId, to: T::AccountId },
		/// A token was cloned into a new token for `to`.
		Cloned { token: TokenId, new_token: TokenId, to: T::AccountId },
		/// The data keys of `token`, sealed to its new owner `to`.
		PublishedSealedKey {
			token: TokenId,
			to: T::AccountId,
			sealed_keys: alloc::vec::Vec<SealedKeyOf<T>>,
		},
		/// The owner authorized `user` to use the token.
		UsageAuthorized { token: TokenId, user: T::AccountId },
		/// The owner revoked `user`'s authorization.
		AuthorizationRevoked { token: TokenId, user: T::AccountId },
		/// `user` delegated its access proofs to `assistant` (`None`: removed).
		AccessDelegated { user: T::AccountId, assistant: Option<T::AccountId> },
		/// A token was burnt and its deposit returned.
		Burned { token: TokenId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No token with that id.
		UnknownToken,
		/// Only the owner may do that.
		NotOwner,
		/// The proof names an oracle that is not registered.
		UnknownOracle,
		/// The oracle's signature does not verify for this token, data and nonce.
		BadOwnershipProof,
		/// Neither the receiver nor its assistant signed the access proof for this data and
		/// nonce.
		BadAccessProof,
		/// One proof per data item is needed.
		WrongProofCount,
		/// The token carries private data: it moves only with proofs.
		ProofsRequired,
		/// The user is already authorized.
		AlreadyAuthorized,
		/// The user is not authorized (or was revoked already).
		NotAuthorized,
		/// The token has as many authorized users as allowed.
		TooManyUsers,
		/// The account has no assistant to remove.
		NoAssistant,
		/// The receiver already owns the token.
		SameOwner,
		/// No more token ids.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register an oracle, or replace its kind and attestation (oracle origin).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_oracle())]
		pub fn register_oracle(
			origin: OriginFor<T>,
			oracle: T::AccountId,
			kind: OracleKind,
			attestation: Option<[u8; 32]>,
		) -> DispatchResult {
			T::OracleOrigin::ensure_origin(origin)?;
			let info = OracleInfo { kind, attestation };
			Oracles::<T>::insert(&oracle, info);
			Self::deposit_event(Event::OracleRegistered { oracle, info });
			Ok(())
		}

		/// Remove an oracle (oracle origin). Proofs it signed are refused from now on.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_oracle())]
		pub fn remove_oracle(origin: OriginFor<T>, oracle: T::AccountId) -> DispatchResult {
			T::OracleOrigin::ensure_origin(origin)?;
			Oracles::<T>::take(&oracle).ok_or(Error::<T>::UnknownOracle)?;
			Self::deposit_event(Event::OracleRemoved { oracle });
			Ok(())
		}

		/// Mint a token over `data` (description and hash of each encrypted item), with the
		/// data key sealed to the minter, and a metadata URI. Holds the token deposit.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::mint(data.len() as u32))]
		pub fn mint(
			origin: OriginFor<T>,
			data: BoundedVec<MintItemOf<T>, T::MaxDataItems>,
			sealed_key: SealedKeyOf<T>,
			uri: BoundedVec<u8, T::MaxUriLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_mint(who, data, sealed_key, uri).map(|_| ())
		}

		/// Transfer a token with one proof per data item (none for a token without data).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::transfer(proofs.len() as u32))]
		pub fn transfer(
			origin: OriginFor<T>,
			token: TokenId,
			to: T::AccountId,
			proofs: ProofsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_transfer(who, token, to, proofs)
		}

		/// Clone a token for `to`: a new token with the data re-encrypted for `to`, with
		/// the same proofs as a transfer. The caller pays the new token's deposit.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::clone_token(proofs.len() as u32))]
		pub fn clone_token(
			origin: OriginFor<T>,
			token: TokenId,
			to: T::AccountId,
			proofs: ProofsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_clone(who, token, to, proofs).map(|_| ())
		}

		/// Authorize `user` to use the token (owner). Holds an authorization deposit.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::authorize_usage())]
		pub fn authorize_usage(
			origin: OriginFor<T>,
			token: TokenId,
			user: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_authorize(who, token, user)
		}

		/// Revoke `user`'s authorization (owner). Returns its deposit.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_authorization())]
		pub fn revoke_authorization(
			origin: OriginFor<T>,
			token: TokenId,
			user: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke(who, token, user)
		}

		/// Let `assistant` sign access proofs for the caller, or stop (`None`).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::delegate_access())]
		pub fn delegate_access(
			origin: OriginFor<T>,
			assistant: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delegate(who, assistant)
		}

		/// Burn a token (owner): its authorizations end and the deposits are returned.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::burn())]
		pub fn burn(origin: OriginFor<T>, token: TokenId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_burn(who, token)
		}
	}
}
