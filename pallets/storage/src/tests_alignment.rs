//! The alignment hooks: drawing a provider until it withdraws, holding the drawn ones until
//! their era is finalized, and slashing into the reward reserve.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::Perbill;
use zerog_traits::{ProviderRegistry, SlashProvider};

/// Registers `who` as a provider of the whole flow with miner id `[who; 32]` and `bond`.
fn register(who: u64, bond: u64) {
	assert_ok!(FileStorage::register_provider(
		RuntimeOrigin::signed(who),
		[who as u8; 32],
		bond,
		Shard::ALL
	));
}

fn bond_of(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ProviderBond.into(), &who)
}

#[test]
fn sampling_draws_every_provider_until_it_withdraws() {
	new_test_ext().execute_with(|| {
		assert_eq!(<FileStorage as ProviderRegistry<u64>>::sample(&[1; 32]), None);
		register(1, 500);
		register(2, 100);
		let drawn: Vec<_> = (0..32u8)
			.filter_map(|i| FileStorage::sample(&[i.wrapping_mul(37); 32]))
			.collect();
		assert!(drawn.contains(&1) && drawn.contains(&2));
		// Asking to leave does not end the checks...
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(2)));
		let drawn: Vec<_> = (0..32u8)
			.filter_map(|i| FileStorage::sample(&[i.wrapping_mul(37); 32]))
			.collect();
		assert!(drawn.contains(&1) && drawn.contains(&2));
		// ...the end of its unbonding period does, before it withdraws, so that the eras that
		// drew it let it go.
		run_to(1 + UNBONDING);
		assert!((0..32u8).all(|i| FileStorage::sample(&[i.wrapping_mul(37); 32]) == Some(1)));
		assert_ok!(FileStorage::withdraw(RuntimeOrigin::signed(2)));
		assert!((0..32u8).all(|i| FileStorage::sample(&[i.wrapping_mul(37); 32]) == Some(1)));
	});
}

/// Finding 10 with 4 fixed: a provider whose unbonding period is over sees that an era drew
/// it, and withdraws before the quorum can slash it.
#[test]
fn a_drawn_provider_cannot_withdraw_before_its_era_is_finalized() {
	new_test_ext().execute_with(|| {
		register(1, 500);
		assert_ok!(FileStorage::unbond(RuntimeOrigin::signed(1)));
		// Two alignment eras draw it in the last block of its unbonding period (the one being
		// revealed and the running one).
		run_to(UNBONDING);
		assert_eq!(FileStorage::sample(&[7; 32]), Some(1));
		FileStorage::hold_subject(&1);
		FileStorage::hold_subject(&1);
		assert_eq!(SubjectHolds::<Test>::get(1), 2);
		// The period is over: no new era draws it, and the two that did keep it.
		run_to(1 + UNBONDING);
		assert_eq!(FileStorage::sample(&[7; 32]), None);
		assert_noop!(FileStorage::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::UnderCheck);
		// The first era is finalized: the quorum slashes it, then lets it go.
		assert_eq!(FileStorage::slash(&1, Perbill::from_percent(10)), 50);
		FileStorage::release_subject(&1);
		assert_noop!(FileStorage::withdraw(RuntimeOrigin::signed(1)), Error::<Test>::UnderCheck);
		// The second one too: it may leave with what is left of its bond.
		FileStorage::release_subject(&1);
		assert!(!SubjectHolds::<Test>::contains_key(1));
		assert_ok!(FileStorage::withdraw(RuntimeOrigin::signed(1)));
		System::assert_last_event(Event::ProviderWithdrawn { who: 1, bond: 450 }.into());
		assert_eq!(bond_of(1), 0);
		// Releasing what is not held, or holding what is not a provider, changes nothing.
		FileStorage::release_subject(&1);
		FileStorage::hold_subject(&9);
		assert_eq!(SubjectHolds::<Test>::iter().count(), 0);
	});
}

#[test]
fn slashing_moves_a_share_of_the_bond_to_the_reward_reserve() {
	new_test_ext().execute_with(|| {
		register(1, 500);
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
