//! The server of the `kv_*` RPC methods of a KV node (`--kv`); their API is
//! `zerog_rpc_api::kv`.

use crate::{
	kv_db::{Found, KvDb, Outcome},
	rpc::parse_hash,
};
use jsonrpsee::core::RpcResult;
use sp_core::Bytes;
use std::sync::Arc;
use zerog_rpc_api::kv::{KvApiServer, KvEntryStatus, KvInfo, KvValue};

/// The `kv_*` RPC server.
#[derive(Clone)]
pub struct KvRpc(pub Arc<KvDb>);

fn out(found: Option<Found>) -> RpcResult<Option<KvValue>> {
	Ok(found.map(|f| KvValue { key: f.key.into(), value: f.value.into(), version: f.version }))
}

impl KvApiServer for KvRpc {
	fn get(&self, stream: String, key: Bytes, version: Option<u64>) -> RpcResult<Option<KvValue>> {
		out(self.0.get(&parse_hash(&stream)?, &key, version))
	}

	fn next(&self, stream: String, key: Bytes, version: Option<u64>) -> RpcResult<Option<KvValue>> {
		out(self.0.seek(&parse_hash(&stream)?, Some(&key), true, version))
	}

	fn prev(&self, stream: String, key: Bytes, version: Option<u64>) -> RpcResult<Option<KvValue>> {
		out(self.0.seek(&parse_hash(&stream)?, Some(&key), false, version))
	}

	fn first(&self, stream: String, version: Option<u64>) -> RpcResult<Option<KvValue>> {
		out(self.0.seek(&parse_hash(&stream)?, None, true, version))
	}

	fn last(&self, stream: String, version: Option<u64>) -> RpcResult<Option<KvValue>> {
		out(self.0.seek(&parse_hash(&stream)?, None, false, version))
	}

	fn entry(&self, deal: u64) -> RpcResult<Option<KvEntryStatus>> {
		Ok(self.0.outcome(deal).map(|(version, outcome)| {
			let (outcome, reason) = match outcome {
				Outcome::Applied => ("applied", None),
				Outcome::Rejected(why) => ("rejected", Some(why)),
				Outcome::Skipped(why) => ("skipped", Some(why)),
			};
			KvEntryStatus { version, outcome: outcome.into(), reason }
		}))
	}

	fn info(&self) -> RpcResult<KvInfo> {
		let s = self.0.stats();
		Ok(KvInfo {
			next_version: s.next,
			applied: s.applied,
			rejected: s.rejected,
			skipped: s.skipped,
		})
	}
}
