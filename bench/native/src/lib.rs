//! Holder crate for the criterion benchmark in `benches/throughput.rs` (the workloads live in
//! `scalelab-bench-workloads`). Run it through `scripts/bench.sh`.
