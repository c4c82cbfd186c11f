//! The alignment hooks: drawing a member of the current committee, and slashing into the
//! fee pool.

use crate::{mock::*, *};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use sp_runtime::Perbill;
use zerog_traits::{ProviderRegistry, SlashProvider};

fn bond_of(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::OperatorBond.into(), &who)
}

#[test]
fn a_member_that_unbonds_before_a_known_draw_is_still_sampled() {
	new_test_ext().execute_with(|| {
		let drawn: Vec<_> = (0..32u8)
			.filter_map(|i| <Da as ProviderRegistry<u64>>::sample(&[i; 32]))
			.collect();
		assert_eq!(drawn.len(), 32);
		for who in [1, 2, 3] {
			assert!(drawn.contains(&who));
		}
		// Unbonding does not take 2 out of the draw: it holds its chunks until it withdraws.
		let before: Vec<_> = (0..32u8).map(|i| Da::sample(&[i; 32])).collect();
		assert_ok!(Da::unbond(RuntimeOrigin::signed(2)));
		assert_eq!((0..32u8).map(|i| Da::sample(&[i; 32])).collect::<Vec<_>>(), before);
	});
}

#[test]
fn slashing_moves_a_share_of_the_bond_to_the_fee_pool() {
	new_test_ext().execute_with(|| {
		let pool = Balances::free_balance(Da::fee_pool());
		assert_eq!(<Da as SlashProvider<u64>>::slash(&3, Perbill::from_percent(10)), 30);
		assert_eq!(bond_of(3), 270);
		assert_eq!(Operators::<Test>::get(3).unwrap().bond, 270);
		assert_eq!(Balances::free_balance(Da::fee_pool()), pool + 30);
		System::assert_last_event(Event::OperatorSlashed { operator: 3, slashed: 30 }.into());
		assert_eq!(<Da as SlashProvider<u64>>::slash(&9, Perbill::from_percent(10)), 0);
	});
}
