//! Referendum tracks: which origin a referendum dispatches with, and how it is decided.
//!
//! | id | track | origin | decides at once | decision deposit |
//! |---|---|---|---|---|
//! | 0 | root | `Root` | 1 | 100,000 ZG |
//! | 1 | whitelisted_caller | `WhitelistedCaller` | 100 | 10,000 ZG |
//! | 2 | params_admin | `ParamsAdmin` | 10 | 10,000 ZG |
//! | 3 | validator_admin | `ValidatorAdmin` | 10 | 10,000 ZG |
//! | 10 | treasurer | `Treasurer` | 10 | 10,000 ZG |
//! | 11 | small_spender | `SmallSpender` (≤ 10,000 ZG) | 50 | 1,000 ZG |
//! | 12 | big_spender | `BigSpender` (≤ 1,000,000 ZG) | 50 | 10,000 ZG |
//! | 20 | referendum_canceller | `ReferendumCanceller` | 100 | 10,000 ZG |
//! | 21 | referendum_killer | `ReferendumKiller` | 100 | 10,000 ZG |
//!
//! Periods are realistic in production (root: 2 hours to prepare, 14 days to decide, 1 day
//! to confirm, 1 day before enactment). With fast timing ([`super::fast_timing`]: the dev
//! preset, or the `fast-runtime` feature) every period is counted in blocks of 2 seconds, so
//! that a whole referendum fits in a minute or two.

use super::origins;
use crate::{Balance, BlockNumber, RuntimeOrigin, DAYS, HOURS, MINUTES, UNIT};
use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, FixedI64};

/// Identifier of a track.
pub type TrackId = u16;

/// A period: `production` normally, `fast` blocks with fast timing.
fn period(production: BlockNumber, fast: BlockNumber) -> BlockNumber {
	if super::fast_timing() {
		fast
	} else {
		production
	}
}

const fn percent(x: u32) -> FixedI64 {
	FixedI64::from_rational(x as u128, 100)
}

/// Approval falls from 100% to 50% over the decision period.
const APPROVAL_STRICT: Curve =
	Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
/// Approval falls from 100% to 50% faster: for tracks that must act quickly.
const APPROVAL_QUICK: Curve = Curve::make_linear(28, 28, percent(50), percent(100));
/// Support (turnout of the issuance) falls from 50% to 0.5%.
const SUPPORT_STRICT: Curve = Curve::make_reciprocal(1, 28, percent(4), percent(0), percent(50));
/// Support falls from 10% to 0.1%.
const SUPPORT_LIGHT: Curve = Curve::make_reciprocal(1, 28, percent(1), percent(0), percent(10));

/// What differs between tracks; the periods come from [`period`].
struct Shape {
	id: TrackId,
	name: &'static str,
	max_deciding: u32,
	decision_deposit: Balance,
	/// (prepare, decision, confirm, min enactment) in production.
	periods: [BlockNumber; 4],
	approval: Curve,
	support: Curve,
}

const SHAPES: [Shape; 9] = [
	Shape {
		id: 0,
		name: "root",
		max_deciding: 1,
		decision_deposit: 100_000 * UNIT,
		periods: [2 * HOURS, 14 * DAYS, DAYS, DAYS],
		approval: APPROVAL_STRICT,
		support: SUPPORT_STRICT,
	},
	Shape {
		id: 1,
		name: "whitelisted_caller",
		max_deciding: 100,
		decision_deposit: 10_000 * UNIT,
		periods: [30 * MINUTES, 14 * DAYS, 10 * MINUTES, 10 * MINUTES],
		approval: APPROVAL_QUICK,
		support: SUPPORT_LIGHT,
	},
	Shape {
		id: 2,
		name: "params_admin",
		max_deciding: 10,
		decision_deposit: 10_000 * UNIT,
		periods: [2 * HOURS, 14 * DAYS, 3 * HOURS, DAYS],
		approval: APPROVAL_STRICT,
		support: SUPPORT_LIGHT,
	},
	Shape {
		id: 3,
		name: "validator_admin",
		max_deciding: 10,
		decision_deposit: 10_000 * UNIT,
		periods: [2 * HOURS, 14 * DAYS, 3 * HOURS, HOURS],
		approval: APPROVAL_STRICT,
		support: SUPPORT_LIGHT,
	},
	Shape {
		id: 10,
		name: "treasurer",
		max_deciding: 10,
		decision_deposit: 10_000 * UNIT,
		periods: [2 * HOURS, 14 * DAYS, 7 * DAYS, DAYS],
		approval: APPROVAL_STRICT,
		support: SUPPORT_STRICT,
	},
	Shape {
		id: 11,
		name: "small_spender",
		max_deciding: 50,
		decision_deposit: 1_000 * UNIT,
		periods: [4 * HOURS, 14 * DAYS, 2 * DAYS, DAYS],
		approval: APPROVAL_STRICT,
		support: SUPPORT_LIGHT,
	},
	Shape {
		id: 12,
		name: "big_spender",
		max_deciding: 50,
		decision_deposit: 10_000 * UNIT,
		periods: [4 * HOURS, 14 * DAYS, 4 * DAYS, DAYS],
		approval: APPROVAL_STRICT,
		support: SUPPORT_STRICT,
	},
	Shape {
		id: 20,
		name: "referendum_canceller",
		max_deciding: 100,
		decision_deposit: 10_000 * UNIT,
		periods: [2 * HOURS, 7 * DAYS, 3 * HOURS, 10 * MINUTES],
		approval: APPROVAL_QUICK,
		support: SUPPORT_LIGHT,
	},
	Shape {
		id: 21,
		name: "referendum_killer",
		max_deciding: 100,
		decision_deposit: 10_000 * UNIT,
		periods: [2 * HOURS, 7 * DAYS, 3 * HOURS, 10 * MINUTES],
		approval: APPROVAL_QUICK,
		support: SUPPORT_LIGHT,
	},
];

/// Fast periods in blocks: (prepare, decision, confirm, min enactment).
const FAST_PERIODS: [BlockNumber; 4] = [2, 40, 3, 2];

/// zerog's tracks, for pallet-referenda.
pub struct TracksInfo;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = TrackId;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		SHAPES.iter().map(|shape| {
			let [prepare, decision, confirm, enactment] = shape.periods;
			let [fast_prepare, fast_decision, fast_confirm, fast_enactment] = FAST_PERIODS;
			Cow::Owned(Track {
				id: shape.id,
				info: TrackInfo {
					name: s(shape.name),
					max_deciding: shape.max_deciding,
					decision_deposit: shape.decision_deposit,
					prepare_period: period(prepare, fast_prepare),
					decision_period: period(decision, fast_decision),
					confirm_period: period(confirm, fast_confirm),
					min_enactment_period: period(enactment, fast_enactment),
					min_approval: shape.approval.clone(),
					min_support: shape.support.clone(),
				},
			})
		})
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		if let Ok(system) = frame_system::RawOrigin::try_from(origin.clone()) {
			return match system {
				frame_system::RawOrigin::Root => Ok(0),
				_ => Err(()),
			};
		}
		match origins::Origin::try_from(origin.clone()) {
			Ok(origins::Origin::WhitelistedCaller) => Ok(1),
			Ok(origins::Origin::ParamsAdmin) => Ok(2),
			Ok(origins::Origin::ValidatorAdmin) => Ok(3),
			Ok(origins::Origin::Treasurer) => Ok(10),
			Ok(origins::Origin::SmallSpender) => Ok(11),
			Ok(origins::Origin::BigSpender) => Ok(12),
			Ok(origins::Origin::ReferendumCanceller) => Ok(20),
			Ok(origins::Origin::ReferendumKiller) => Ok(21),
			Err(_) => Err(()),
		}
	}
}

/// The origin a track's referenda dispatch with (the inverse of `track_for`).
pub fn origin_of(track: TrackId) -> Option<crate::OriginCaller> {
	use crate::OriginCaller;
	let custom = |o| Some(OriginCaller::Origins(o));
	match track {
		0 => Some(OriginCaller::system(frame_system::RawOrigin::Root)),
		1 => custom(origins::Origin::WhitelistedCaller),
		2 => custom(origins::Origin::ParamsAdmin),
		3 => custom(origins::Origin::ValidatorAdmin),
		10 => custom(origins::Origin::Treasurer),
		11 => custom(origins::Origin::SmallSpender),
		12 => custom(origins::Origin::BigSpender),
		20 => custom(origins::Origin::ReferendumCanceller),
		21 => custom(origins::Origin::ReferendumKiller),
		_ => None,
	}
}
