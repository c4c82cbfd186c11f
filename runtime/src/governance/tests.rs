//! The governance configuration: every track's origin maps back to it, periods follow the
//! timing, spenders are capped, and each governance origin reaches only its own calls.

use super::{origins, tracks};
use crate::{OriginCaller, Runtime, RuntimeOrigin, DAYS, HOURS};
use frame_support::traits::EnsureOrigin;
use pallet_referenda::TracksInfo as _;

type Tracks = tracks::TracksInfo;

#[test]
fn tracks_are_sorted_and_every_origin_maps_back_to_its_track() {
	sp_io::TestExternalities::default().execute_with(|| {
		Tracks::check_integrity().unwrap();
		let ids: Vec<_> = Tracks::track_ids().collect();
		assert_eq!(ids, vec![0, 1, 2, 3, 10, 11, 12, 20, 21]);
		for id in ids {
			let origin = tracks::origin_of(id).expect("every track has an origin");
			assert_eq!(Tracks::track_for(&origin), Ok(id), "track {id}");
		}
		assert_eq!(tracks::origin_of(4), None);
		let signed = OriginCaller::system(frame_system::RawOrigin::Signed([1u8; 32].into()));
		assert_eq!(Tracks::track_for(&signed), Err(()), "a signed origin has no track");
		let none = OriginCaller::system(frame_system::RawOrigin::None);
		assert_eq!(Tracks::track_for(&none), Err(()));
	});
}

#[test]
fn periods_are_days_in_production_and_blocks_with_fast_timing() {
	sp_io::TestExternalities::default().execute_with(|| {
        let root = Tracks::info(0).unwrap();
        if cfg!(feature = "fast-runtime") {
            return;
        }
        assert_eq!(root.decision_period, 14 * DAYS);
        assert_eq!(root.prepare_period, 2 * HOURS);
        assert_eq!(root.confirm_period, DAYS);
        assert_eq!(root.min_enactment_period, DAYS);
        assert_eq!(&root.name[..4], b"root");

        origins::FastTiming::<Runtime>::put(true);
        for track in Tracks::tracks() {
            let info = &track.info;
            assert_eq!(
                [info.prepare_period, info.decision_period, info.confirm_period, info.min_enactment_period],
                [2, 40, 3, 2],
                "track {}",
                track.id
            );
        }
        assert_eq!(<<Runtime as pallet_conviction_voting::Config>::VoteLockingPeriod as frame_support::traits::Get<u32>>::get(), 5);
    });
}

#[test]
fn spenders_are_capped_and_others_cannot_spend() {
	let spend = |origin: origins::Origin| {
		<Runtime as pallet_treasury::Config>::SpendOrigin::try_origin(RuntimeOrigin::from(origin))
			.ok()
	};
	assert_eq!(spend(origins::Origin::SmallSpender), Some(origins::SMALL_SPEND));
	assert_eq!(spend(origins::Origin::BigSpender), Some(origins::BIG_SPEND));
	assert_eq!(spend(origins::Origin::Treasurer), Some(crate::Balance::MAX));
	assert_eq!(spend(origins::Origin::ParamsAdmin), None);
	assert_eq!(
		<Runtime as pallet_treasury::Config>::SpendOrigin::try_origin(RuntimeOrigin::root()).ok(),
		Some(crate::Balance::MAX)
	);
	assert!(<Runtime as pallet_treasury::Config>::SpendOrigin::try_origin(RuntimeOrigin::signed(
		[1u8; 32].into()
	))
	.is_err());
}

#[test]
fn each_governance_origin_reaches_only_its_own_calls() {
	use origins::Origin::*;
	let all = [
		WhitelistedCaller,
		ParamsAdmin,
		ValidatorAdmin,
		Treasurer,
		SmallSpender,
		BigSpender,
		ReferendumCanceller,
		ReferendumKiller,
	];
	let accepted = |check: &dyn Fn(RuntimeOrigin) -> bool| -> Vec<origins::Origin> {
		all.iter().filter(|&o| check(RuntimeOrigin::from(o.clone()))).cloned().collect()
	};
	type Validators = <Runtime as pallet_validator_set::Config>::ManageOrigin;
	type DaParams = <Runtime as pallet_da::Config>::ParamsOrigin;
	type StorageParams = <Runtime as pallet_storage::Config>::ParamsOrigin;
	type ComputeParams = <Runtime as pallet_compute::Config>::ParamsOrigin;
	type AlignmentAdmin = <Runtime as pallet_alignment::Config>::AdminOrigin;
	type InftOracles = <Runtime as pallet_inft::Config>::OracleOrigin;
	type Cancel = <Runtime as pallet_referenda::Config>::CancelOrigin;
	type Kill = <Runtime as pallet_referenda::Config>::KillOrigin;
	type Reject = <Runtime as pallet_treasury::Config>::RejectOrigin;
	type Dispatch = <Runtime as pallet_whitelist::Config>::DispatchWhitelistedOrigin;
	assert_eq!(accepted(&|o| Validators::try_origin(o).is_ok()), vec![ValidatorAdmin]);
	assert_eq!(accepted(&|o| DaParams::try_origin(o).is_ok()), vec![ParamsAdmin]);
	assert_eq!(accepted(&|o| StorageParams::try_origin(o).is_ok()), vec![ParamsAdmin]);
	assert_eq!(accepted(&|o| ComputeParams::try_origin(o).is_ok()), vec![ParamsAdmin]);
	assert_eq!(accepted(&|o| AlignmentAdmin::try_origin(o).is_ok()), vec![ParamsAdmin]);
	assert_eq!(accepted(&|o| InftOracles::try_origin(o).is_ok()), vec![ParamsAdmin]);
	assert_eq!(accepted(&|o| Cancel::try_origin(o).is_ok()), vec![ReferendumCanceller]);
	assert_eq!(accepted(&|o| Kill::try_origin(o).is_ok()), vec![ReferendumKiller]);
	assert_eq!(accepted(&|o| Reject::try_origin(o).is_ok()), vec![Treasurer]);
	assert_eq!(accepted(&|o| Dispatch::try_origin(o).is_ok()), vec![WhitelistedCaller]);
	// Root still reaches all of them.
	assert!(Validators::try_origin(RuntimeOrigin::root()).is_ok());
	assert!(StorageParams::try_origin(RuntimeOrigin::root()).is_ok());
	assert!(ComputeParams::try_origin(RuntimeOrigin::root()).is_ok());
	assert!(AlignmentAdmin::try_origin(RuntimeOrigin::root()).is_ok());
	assert!(InftOracles::try_origin(RuntimeOrigin::root()).is_ok());
}
