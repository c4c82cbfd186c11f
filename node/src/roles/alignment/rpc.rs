//! The `alignment_*` RPC methods: licences, operators, the running era and finalized
//! outcomes, as JSON, at the best block or at `at`.
//!
//! | method | params | result |
//! |---|---|---|
//! | `alignment_licence` | id, at? | `{owner, operator, pendingRewards}` or null |
//! | `alignment_licencesOf` | owner, at? | licence ids |
//! | `alignment_operator` | account, at? | `{licences, rewardIndex}` or null |
//! | `alignment_era` | at? | `{era, start, seed, subjects: [{kind, account, checkSeed}], revealing}` or null |
//! | `alignment_reportStatus` | era, operator, at? | `{committed, revealed}` |
//! | `alignment_outcome` | era, at? | `{reporters, agreeing, faulty, holderReward, activeReward, accrued}` or null |
//! | `alignment_reportCommitment` | era, operator, verdicts `[{ok, evidence, receipt?}]`, salt | the hash to commit |
//!
//! Accounts are SS58 strings; balances are decimal strings; hashes are `0x` hex. `kind` is
//! `storage`, `da` or `compute`; `revealing` is `{era, closesAt}` or null.

use crate::{roles::chain::runtime_api_error as internal, service::types::Block};
use codec::Decode;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObject},
};
use pallet_alignment::{
	runtime_api::AlignmentApi as AlignmentRuntimeApi, EraIndex, LicenceId, ReportedVerdict, Subject,
};
use serde::{Deserialize, Serialize};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use std::sync::Arc;
use zerog_runtime::{AccountId, Balance, BlockNumber, Runtime};

/// The runtime API as the node names it.
pub trait NodeAlignmentApi:
	AlignmentRuntimeApi<
	Block,
	AccountId,
	Balance,
	BlockNumber,
	pallet_alignment::LicenceOf<Runtime>,
	pallet_alignment::EraOf<Runtime>,
>
{
}
impl<T> NodeAlignmentApi for T where
	T: AlignmentRuntimeApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		pallet_alignment::LicenceOf<Runtime>,
		pallet_alignment::EraOf<Runtime>,
	>
{
}

/// A verdict as JSON: `{ok, evidence, receipt}`, the receipt (for a pass on something
/// checked) as `0x` hex of the SCALE-encoded `MultiSignature`, or absent.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct VerdictJson {
	/// The subject answered correctly.
	pub ok: bool,
	/// The evidence hash.
	pub evidence: H256,
	/// The subject's receipt.
	#[serde(default)]
	pub receipt: Option<sp_core::Bytes>,
}

impl TryFrom<VerdictJson> for ReportedVerdict {
	type Error = codec::Error;

	fn try_from(v: VerdictJson) -> Result<Self, codec::Error> {
		let receipt = v
			.receipt
			.map(|bytes| sp_runtime::MultiSignature::decode(&mut &bytes.0[..]))
			.transpose()?;
		Ok(ReportedVerdict { ok: v.ok, evidence: v.evidence.0, receipt })
	}
}

/// The `alignment_*` methods.
#[rpc(client, server, namespace = "alignment")]
pub trait AlignmentApi {
	/// A licence with what it has accrued.
	#[method(name = "licence")]
	fn licence(&self, id: LicenceId, at: Option<H256>) -> RpcResult<Option<serde_json::Value>>;
	/// The licences an account holds.
	#[method(name = "licencesOf")]
	fn licences_of(&self, owner: AccountId, at: Option<H256>) -> RpcResult<Vec<LicenceId>>;
	/// An operator's delegated licences and reward index.
	#[method(name = "operator")]
	fn operator(&self, who: AccountId, at: Option<H256>) -> RpcResult<Option<serde_json::Value>>;
	/// The running era: seed, subjects with their check seeds, and the era being revealed.
	#[method(name = "era")]
	fn era(&self, at: Option<H256>) -> RpcResult<Option<serde_json::Value>>;
	/// Whether an operator committed and revealed its report of an era.
	#[method(name = "reportStatus")]
	fn report_status(
		&self,
		era: EraIndex,
		operator: AccountId,
		at: Option<H256>,
	) -> RpcResult<serde_json::Value>;
	/// What a finalized era found.
	#[method(name = "outcome")]
	fn outcome(&self, era: EraIndex, at: Option<H256>) -> RpcResult<Option<serde_json::Value>>;
	/// The commitment of a report (what `commit_report` takes).
	#[method(name = "reportCommitment")]
	fn report_commitment(
		&self,
		era: EraIndex,
		operator: AccountId,
		verdicts: Vec<VerdictJson>,
		salt: H256,
	) -> RpcResult<H256>;
}

/// Serves `alignment_*` from the client's runtime API.
pub struct AlignmentRpc<C> {
	client: Arc<C>,
}

impl<C> AlignmentRpc<C> {
	/// Methods reading through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn hex32(bytes: &[u8; 32]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A subject as JSON, with the seed its challenge is derived from.
fn subject_json(
	subject: &Subject<AccountId>,
	era_seed: &[u8; 32],
	index: u32,
) -> serde_json::Value {
	let kind = match subject {
		Subject::Storage(_) => "storage",
		Subject::Da(_) => "da",
		Subject::Compute(_) => "compute",
	};
	serde_json::json!({
		"kind": kind,
		"account": subject.account(),
		"checkSeed": hex32(&pallet_alignment::check_seed(era_seed, index)),
	})
}

impl<C> AlignmentRpc<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<H256>) -> H256 {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> AlignmentApiServer for AlignmentRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NodeAlignmentApi,
{
	fn licence(&self, id: LicenceId, at: Option<H256>) -> RpcResult<Option<serde_json::Value>> {
		let (api, at) = (self.client.runtime_api(), self.at(at));
		let Some(licence) = api.licence(at, id).map_err(internal)? else { return Ok(None) };
		let pending = api.pending_rewards(at, id).map_err(internal)?.unwrap_or_default();
		Ok(Some(serde_json::json!({
			"owner": licence.owner,
			"operator": licence.operator,
			"pendingRewards": pending.to_string(),
		})))
	}

	fn licences_of(&self, owner: AccountId, at: Option<H256>) -> RpcResult<Vec<LicenceId>> {
		self.client.runtime_api().licences_of(self.at(at), owner).map_err(internal)
	}

	fn operator(&self, who: AccountId, at: Option<H256>) -> RpcResult<Option<serde_json::Value>> {
		let found = self.client.runtime_api().operator(self.at(at), who).map_err(internal)?;
		Ok(found.map(
			|op| serde_json::json!({ "licences": op.licences, "rewardIndex": op.reward_index.to_string() }),
		))
	}

	fn era(&self, at: Option<H256>) -> RpcResult<Option<serde_json::Value>> {
		let (api, at) = (self.client.runtime_api(), self.at(at));
		let Some((era, info)) = api.current_era(at).map_err(internal)? else { return Ok(None) };
		let revealing = api.revealing(at).map_err(internal)?;
		let subjects: Vec<_> = info
			.subjects
			.iter()
			.enumerate()
			.map(|(i, s)| subject_json(s, &info.seed, i as u32))
			.collect();
		Ok(Some(serde_json::json!({
			"era": era,
			"start": info.start,
			"seed": hex32(&info.seed),
			"subjects": subjects,
			"revealing": revealing.map(|(era, _, closes)| serde_json::json!({ "era": era, "closesAt": closes })),
		})))
	}

	fn report_status(
		&self,
		era: EraIndex,
		operator: AccountId,
		at: Option<H256>,
	) -> RpcResult<serde_json::Value> {
		let (committed, revealed) = self
			.client
			.runtime_api()
			.report_status(self.at(at), era, operator)
			.map_err(internal)?;
		Ok(serde_json::json!({ "committed": committed, "revealed": revealed }))
	}

	fn outcome(&self, era: EraIndex, at: Option<H256>) -> RpcResult<Option<serde_json::Value>> {
		let found = self.client.runtime_api().outcome(self.at(at), era).map_err(internal)?;
		Ok(found.map(|o| {
			serde_json::json!({
				"reporters": o.reporters,
				"agreeing": o.agreeing,
				"faulty": o.faulty,
				"holderReward": o.holder_reward.to_string(),
				"activeReward": o.active_reward.to_string(),
				"accrued": o.accrued.to_string(),
			})
		}))
	}

	fn report_commitment(
		&self,
		era: EraIndex,
		operator: AccountId,
		verdicts: Vec<VerdictJson>,
		salt: H256,
	) -> RpcResult<H256> {
		let verdicts = verdicts
			.into_iter()
			.map(ReportedVerdict::try_from)
			.collect::<Result<Vec<_>, _>>()
			.map_err(|e| {
				let message = format!("a receipt is not a SCALE MultiSignature: {e}");
				ErrorObject::owned(INVALID_PARAMS_CODE, message, None::<()>)
			})?;
		Ok(pallet_alignment::report_commitment(era, &operator, &verdicts, &salt.0).into())
	}
}
