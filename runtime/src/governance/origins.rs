//! zerog's governance origins: what a referendum on each track may do, besides root.
//!
//! A referendum dispatches its call with the origin of its track (see `tracks.rs`). Each
//! origin below is accepted by exactly the calls it governs, through the `Ensure*` types
//! at the end of this file.

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use crate::{Balance, UNIT};
	use frame_support::pallet_prelude::*;

	/// No configuration: the pallet only declares origins.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// The origins pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Governance runs on fast timing (see `governance::fast_timing`). Set at genesis only.
	#[pallet::storage]
	pub type FastTiming<T> = StorageValue<_, bool, ValueQuery>;

	/// Genesis: whether this chain's governance runs on fast timing.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Periods of a few blocks instead of hours and days (development chains).
		pub fast_timing: bool,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			FastTiming::<T>::put(self.fast_timing);
		}
	}

	/// The origins of zerog's governance tracks.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// Dispatches calls the technical committee whitelisted (through `whitelist`).
		WhitelistedCaller,
		/// Sets the parameters of DA, storage, compute and alignment.
		ParamsAdmin,
		/// Adds and removes validators.
		ValidatorAdmin,
		/// Spends from the treasury without limit, and rejects spends.
		Treasurer,
		/// Spends up to [`SMALL_SPEND`] from the treasury.
		SmallSpender,
		/// Spends up to [`BIG_SPEND`] from the treasury.
		BigSpender,
		/// Cancels an ongoing referendum (deposits returned).
		ReferendumCanceller,
		/// Kills an ongoing referendum (deposits slashed).
		ReferendumKiller,
	}

	/// The most a small-spender referendum may spend: 10,000 ZG.
	pub const SMALL_SPEND: Balance = 10_000 * UNIT;
	/// The most a big-spender referendum may spend: 1,000,000 ZG.
	pub const BIG_SPEND: Balance = 1_000_000 * UNIT;

	/// Declares `EnsureOrigin` types that accept one origin each.
	macro_rules! unit_origins {
        ( $( $(#[$doc:meta])* $name:ident ),* $(,)? ) => { $(
            $(#[$doc])*
            pub struct $name;
            impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
            where
                for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
            {
                type Success = ();
                fn try_origin(o: O) -> Result<Self::Success, O> {
                    match o.caller().try_into() {
                        Ok(Origin::$name) => return Ok(()),
                        _ => (),
                    }
                    Err(o)
                }
                #[cfg(feature = "runtime-benchmarks")]
                fn try_successful_origin() -> Result<O, ()> {
                    Ok(O::from(Origin::$name))
                }
            }
        )* };
    }

	unit_origins!(
		/// Accepts [`Origin::WhitelistedCaller`].
		WhitelistedCaller,
		/// Accepts [`Origin::ParamsAdmin`].
		ParamsAdmin,
		/// Accepts [`Origin::ValidatorAdmin`].
		ValidatorAdmin,
		/// Accepts [`Origin::ReferendumCanceller`].
		ReferendumCanceller,
		/// Accepts [`Origin::ReferendumKiller`].
		ReferendumKiller,
		/// Accepts [`Origin::Treasurer`].
		Treasurer,
	);

	/// Accepts the spender origins; succeeds with the most each may spend.
	pub struct Spender;
	impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for Spender
	where
		for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
	{
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			match o.caller().try_into() {
				Ok(Origin::SmallSpender) => return Ok(SMALL_SPEND),
				Ok(Origin::BigSpender) => return Ok(BIG_SPEND),
				Ok(Origin::Treasurer) => return Ok(Balance::MAX),
				_ => (),
			}
			Err(o)
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::BigSpender))
		}
	}
}
