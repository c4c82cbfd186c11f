//! What the DA service reads from the chain. The crate knows nothing of the runtime's
//! types: the node implements [`ChainView`] over its client.

use zerog_erasure::{BlobCommitment, Hash};

/// What the chain records of a blob, as the node reads it at its best block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBlob {
	/// Its id.
	pub id: u64,
	/// Its commitment.
	pub commitment: BlobCommitment,
	/// Whether quorum was reached.
	pub available: bool,
	/// Last block attestations count.
	pub deadline: u32,
	/// When it expires (once available).
	pub expires_at: Option<u32>,
}

/// Read access to DA state on chain; the node implements it over its client.
pub trait ChainView: Send + Sync {
	/// The blob with `id`, if the chain still keeps it.
	fn blob(&self, id: u64) -> Option<ChainBlob>;
	/// The id of the blob with commitment root `root`, if the chain keeps one.
	fn blob_id(&self, root: &Hash) -> Option<u64>;
}
