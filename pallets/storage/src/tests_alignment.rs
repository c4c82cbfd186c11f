//! The alignment hooks: drawing an active provider, and slashing into the reward reserve.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use sp_runtime::Perbill;
use zerog_traits::{ProviderRegistry, SlashProvider};

fn bond_of(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ProviderBond.into(), &who)
}

#[test]
fn sampling_draws_active_providers_only() {
	new_test_ext().execute_with(|| {
		assert_eq!(<FileStorage as ProviderRegistry<u64>>::sample(&[1; 32]), None);
		assert_ok!(FileStorage::register_provider(
			RuntimeOrigin::signed(1),
			[1; 32],
			500,
			Shard::ALL
		));
		assert_ok!(FileStorage::register_provider(
			RuntimeOrigin::signed(2),
			[2; 32],
			100,
			Shard::ALL
		));
		let drawn: Vec<_> = (0..32u8)
			.filter_map(|i| FileStorage::sample(&[i.wrapping_mul(37); 32]))
			.collect();
		assert!(drawn.contains(&1) && drawn.contains(&2));
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(2)));
		assert!((0..32u8).all(|i| FileStorage::sample(&[i.wrapping_mul(37); 32]) == Some(1)));
	});
}

#[test]
fn slashing_moves_a_share_of_the_bond_to_the_reward_reserve() {
	new_test_ext().execute_with(|| {
		assert_ok!(FileStorage::register_provider(
			RuntimeOrigin::signed(1),
			[1; 32],
			500,
			Shard::ALL
		));
		let reserve = RewardReserve::<Test>::get();
		let pool = Balances::free_balance(FileStorage::pool());
		assert_eq!(<FileStorage as SlashProvider<u64>>::slash(&1, Perbill::from_percent(10)), 50);
		assert_eq!(bond_of(1), 450);
		assert_eq!(Providers::<Test>::get(1).unwrap().bond, 450);
		assert_eq!(RewardReserve::<Test>::get(), reserve + 50);
		assert_eq!(Balances::free_balance(FileStorage::pool()), pool + 50);
		System::assert_last_event(Event::ProviderSlashed { who: 1, slashed: 50 }.into());
		// Not a provider: nothing happens.
		assert_eq!(FileStorage::slash(&9, Perbill::from_percent(10)), 0);
	});
}
