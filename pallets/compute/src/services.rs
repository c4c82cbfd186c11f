//! Services: registration, updates, retirement, bonds and slashing.

use crate::pallet::*;
use crate::types::*;
use codec::{Decode, Encode};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{BalancedHold, MutateHold},
		tokens::Precision,
		OnUnbalanced,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill, SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// Checks what a provider publishes: a model name, an http(s) endpoint, and an
	/// attestation exactly when the service claims TEE verifiability.
	pub(crate) fn check_info(info: &ServiceInfoOf<T>) -> Result<(), Error<T>> {
		ensure!(!info.model.is_empty(), Error::<T>::EmptyModel);
		let url = &info.endpoint[..];
		let rest = url
			.strip_prefix(b"https://")
			.or_else(|| url.strip_prefix(b"http://"))
			.ok_or(Error::<T>::BadEndpoint)?;
		ensure!(
			!rest.is_empty()
				&& !rest.iter().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()),
			Error::<T>::BadEndpoint
		);
		match (info.verifiability, info.attestation.is_some()) {
			(Verifiability::Tee, false) => Err(Error::<T>::MissingAttestation),
			(Verifiability::None, true) => Err(Error::<T>::UnexpectedAttestation),
			_ => Ok(()),
		}
	}

	/// A live (not retiring) service, or the reason there is none.
	pub(crate) fn live_service(provider: &T::AccountId) -> Result<ServiceOf<T>, Error<T>> {
		let service = Services::<T>::get(provider).ok_or(Error::<T>::UnknownService)?;
		ensure!(service.retiring_until.is_none(), Error::<T>::ServiceRetiring);
		Ok(service)
	}

	pub(crate) fn do_register_service(
		provider: T::AccountId,
		info: ServiceInfoOf<T>,
		bond: BalanceOf<T>,
	) -> DispatchResult {
		let params = Self::params()?;
		ensure!(!Services::<T>::contains_key(&provider), Error::<T>::AlreadyRegistered);
		Self::check_info(&info)?;
		ensure!(bond >= params.min_bond, Error::<T>::BondTooLow);
		T::Currency::hold(&HoldReason::ServiceBond.into(), &provider, bond)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let (kind, signer) = (info.kind, info.signer.clone());
		let now = frame_system::Pallet::<T>::block_number();
		Services::<T>::insert(
			&provider,
			Service { info, bond, registered_at: now, retiring_until: None },
		);
		Self::deposit_event(Event::ServiceRegistered { provider, kind, signer, bond });
		Ok(())
	}

	pub(crate) fn do_update_service(
		provider: T::AccountId,
		info: ServiceInfoOf<T>,
	) -> DispatchResult {
		let mut service = Self::live_service(&provider)?;
		Self::check_info(&info)?;
		let signer = info.signer.clone();
		service.info = info;
		Services::<T>::insert(&provider, service);
		Self::deposit_event(Event::ServiceUpdated { provider, signer });
		Ok(())
	}

	pub(crate) fn do_retire_service(provider: T::AccountId) -> DispatchResult {
		let params = Self::params()?;
		let mut service = Services::<T>::get(&provider).ok_or(Error::<T>::UnknownService)?;
		ensure!(service.retiring_until.is_none(), Error::<T>::AlreadyRetiring);
		let until =
			frame_system::Pallet::<T>::block_number().saturating_add(params.unbonding_period);
		service.retiring_until = Some(until);
		Services::<T>::insert(&provider, service);
		Self::deposit_event(Event::ServiceRetiring { provider, until });
		Ok(())
	}

	pub(crate) fn do_withdraw_bond(provider: T::AccountId) -> DispatchResult {
		let service = Services::<T>::get(&provider).ok_or(Error::<T>::UnknownService)?;
		let until = service.retiring_until.ok_or(Error::<T>::NotRetiring)?;
		ensure!(frame_system::Pallet::<T>::block_number() >= until, Error::<T>::StillUnbonding);
		T::Currency::release(
			&HoldReason::ServiceBond.into(),
			&provider,
			service.bond,
			Precision::BestEffort,
		)?;
		Services::<T>::remove(&provider);
		Self::deposit_event(Event::BondWithdrawn { provider, bond: service.bond });
		Ok(())
	}

	/// Takes `fraction` of a provider's bond to `Slashed`; retires the service when what is
	/// left is below `min_bond`. Returns the amount taken.
	pub fn slash_bond(provider: &T::AccountId, fraction: Perbill) -> BalanceOf<T> {
		let Some(mut service) = Services::<T>::get(provider) else { return Zero::zero() };
		let wanted = fraction * service.bond;
		if wanted.is_zero() {
			return Zero::zero();
		}
		let (credit, missing) =
			T::Currency::slash(&HoldReason::ServiceBond.into(), provider, wanted);
		let taken = wanted.saturating_sub(missing);
		T::Slashed::on_unbalanced(credit);
		service.bond = service.bond.saturating_sub(taken);
		let params = Params::<T>::get();
		let below = params.as_ref().is_some_and(|p| service.bond < p.min_bond);
		let retired = below && service.retiring_until.is_none();
		if retired {
			let period = params.map(|p| p.unbonding_period).unwrap_or_default();
			service.retiring_until =
				Some(frame_system::Pallet::<T>::block_number().saturating_add(period));
		}
		Services::<T>::insert(provider, service);
		Self::deposit_event(Event::ProviderSlashed {
			provider: provider.clone(),
			amount: taken,
			retired,
		});
		taken
	}
}

impl<T: Config> zerog_traits::SlashProvider<T::AccountId> for Pallet<T> {
	fn slash(who: &T::AccountId, fraction: Perbill) -> u128 {
		Self::slash_bond(who, fraction).saturated_into()
	}
}

impl<T: Config> zerog_traits::ProviderRegistry<T::AccountId> for Pallet<T> {
	/// A service that is not retiring, drawn from `seed`.
	fn sample(seed: &[u8; 32]) -> Option<T::AccountId> {
		use frame_support::storage::StoragePrefixedMap;
		zerog_traits::sample_map(
			Services::<T>::final_prefix(),
			seed,
			Services::<T>::iter_from,
			Services::<T>::iter,
			|(who, service)| service.retiring_until.is_none().then_some(who),
		)
	}

	/// The service's registered signer: its endpoint signs health answers with it.
	fn answer_key(who: &T::AccountId) -> Option<[u8; 32]> {
		let service = Services::<T>::get(who)?;
		<[u8; 32]>::decode(&mut &service.info.signer.encode()[..]).ok()
	}
}
