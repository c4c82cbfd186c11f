//! The node's concrete types: the block, the client, the backend and the pool. The roles
//! import these instead of the service, so that the service depends on the roles and never
//! the other way round.

/// The block type of the node (opaque extrinsics).
pub use zerog_runtime::opaque::Block;

/// A block hash.
pub type BlockHash = <Block as sp_runtime::traits::Block>::Hash;

/// Host functions the runtime may call. The benchmarking ones are added when the node is
/// built to run `benchmark pallet`.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = (sp_io::SubstrateHostFunctions, zerog_da_io::da_chunks::HostFunctions);
/// Host functions the runtime may call, with the benchmarking ones.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	zerog_da_io::da_chunks::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

/// The full client: database backend plus the wasm executor.
pub type FullClient = sc_service::TFullClient<
	Block,
	zerog_runtime::RuntimeApi,
	sc_executor::WasmExecutor<HostFunctions>,
>;
/// The database backend.
pub type FullBackend = sc_service::TFullBackend<Block>;
/// The best-chain rule: the longest chain.
pub type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
/// The node's transaction pool.
pub type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;
