//! Prometheus metrics of the storage service, named `zerog_storage_*`.

use prometheus_endpoint::{register, Counter, Gauge, PrometheusError, Registry, U64};

/// Storage counters and gauges. Cloning shares them.
#[derive(Clone)]
pub struct Metrics {
	/// Segments written from uploads.
	pub segments_uploaded: Counter<U64>,
	/// Segment bytes accepted from uploads.
	pub bytes_stored: Counter<U64>,
	/// Segments fetched from peers to complete this provider's replicas.
	pub segments_replicated: Counter<U64>,
	/// Segments sent to peers.
	pub segments_served: Counter<U64>,
	/// Segment bytes sent to peers.
	pub bytes_served: Counter<U64>,
	/// Verified segment bytes fetched from peers.
	pub bytes_fetched: Counter<U64>,
	/// PoRA tries (rate = tries per second).
	pub pora_tries: Counter<U64>,
	/// PoRA wins found and submitted.
	pub pora_wins: Counter<U64>,
	/// Files known to the store.
	pub store_files: Gauge<U64>,
	/// Segments held.
	pub store_segments: Gauge<U64>,
	/// Bytes of segment data held.
	pub store_bytes: Gauge<U64>,
	/// Deals not recorded yet (a chain read or the disk failed), retried at every block.
	pub unplaced_deals: Gauge<U64>,
	/// Deal acknowledgements sent on chain (`fileStorage.acknowledge`).
	pub acks_sent: Counter<U64>,
	/// Deals held here in full that the chain does not count as acknowledged by this
	/// provider yet.
	pub unacknowledged_deals: Gauge<U64>,
}

impl Metrics {
	/// Registers the metrics in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let counter = |name: &str, help: &str| -> Result<Counter<U64>, PrometheusError> {
			register(Counter::new(format!("zerog_storage_{name}"), help)?, registry)
		};
		let gauge = |name: &str, help: &str| -> Result<Gauge<U64>, PrometheusError> {
			register(Gauge::new(format!("zerog_storage_{name}"), help)?, registry)
		};
		Ok(Metrics {
			segments_uploaded: counter("segments_uploaded_total", "Segments written from uploads")?,
			bytes_stored: counter("bytes_stored_total", "Segment bytes accepted from uploads")?,
			segments_replicated: counter(
				"segments_replicated_total",
				"Segments fetched from peers for replicas",
			)?,
			segments_served: counter("segments_served_total", "Segments sent to peers")?,
			bytes_served: counter("bytes_served_total", "Segment bytes sent to peers")?,
			bytes_fetched: counter(
				"bytes_fetched_total",
				"Verified segment bytes fetched from peers",
			)?,
			pora_tries: counter("pora_tries_total", "PoRA tries")?,
			pora_wins: counter("pora_wins_total", "PoRA wins submitted")?,
			store_files: gauge("store_files", "Files known to the segment store")?,
			store_segments: gauge("store_segments", "Segments held")?,
			store_bytes: gauge("store_bytes", "Bytes of segment data held")?,
			unplaced_deals: gauge(
				"unplaced_deals",
				"Deals not recorded yet, retried at every block",
			)?,
			acks_sent: counter("acks_sent_total", "Deal acknowledgements sent on chain")?,
			unacknowledged_deals: gauge(
				"unacknowledged_deals",
				"Deals held here in full that the chain does not count as acknowledged yet",
			)?,
		})
	}
}
