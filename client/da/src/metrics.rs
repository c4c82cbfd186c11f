//! Prometheus metrics of the DA service, named `zerog_da_*` (labelled with the chain).

use prometheus_endpoint::{register, Counter, Gauge, PrometheusError, Registry, U64};

/// DA counters and gauges. Cloning shares them.
#[derive(Clone)]
pub struct Metrics {
	/// Blobs accepted by `da_submitBlob` (encoded and stored here).
	pub blobs_submitted: Counter<U64>,
	/// Blobs that became available on chain.
	pub blobs_available: Counter<U64>,
	/// Blobs dropped on chain for lack of attestations.
	pub blobs_failed: Counter<U64>,
	/// Chunks written to the store.
	pub chunks_stored: Counter<U64>,
	/// Chunk bytes written to the store.
	pub bytes_stored: Counter<U64>,
	/// Chunks sent to peers.
	pub chunks_served: Counter<U64>,
	/// Chunk bytes sent to peers.
	pub bytes_served: Counter<U64>,
	/// Verified chunk bytes fetched from peers.
	pub bytes_fetched: Counter<U64>,
	/// Blobs held in the store.
	pub store_blobs: Gauge<U64>,
	/// Chunks held in the store.
	pub store_chunks: Gauge<U64>,
	/// Bytes held in the store (chunks and proofs).
	pub store_bytes: Gauge<U64>,
}

impl Metrics {
	/// Registers the metrics in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let counter = |name: &str, help: &str| -> Result<Counter<U64>, PrometheusError> {
			register(Counter::new(format!("zerog_da_{name}"), help)?, registry)
		};
		let gauge = |name: &str, help: &str| -> Result<Gauge<U64>, PrometheusError> {
			register(Gauge::new(format!("zerog_da_{name}"), help)?, registry)
		};
		Ok(Metrics {
			blobs_submitted: counter("blobs_submitted_total", "Blobs accepted by da_submitBlob")?,
			blobs_available: counter("blobs_available_total", "Blobs that became available")?,
			blobs_failed: counter("blobs_failed_total", "Blobs dropped as unavailable")?,
			chunks_stored: counter("chunks_stored_total", "Chunks written to the store")?,
			bytes_stored: counter("bytes_stored_total", "Chunk bytes written to the store")?,
			chunks_served: counter("chunks_served_total", "Chunks sent to peers")?,
			bytes_served: counter("bytes_served_total", "Chunk bytes sent to peers")?,
			bytes_fetched: counter(
				"bytes_fetched_total",
				"Verified chunk bytes fetched from peers",
			)?,
			store_blobs: gauge("store_blobs", "Blobs held in the chunk store")?,
			store_chunks: gauge("store_chunks", "Chunks held in the chunk store")?,
			store_bytes: gauge("store_bytes", "Bytes held in the chunk store")?,
		})
	}
}
