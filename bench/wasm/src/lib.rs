//! The benchmark workloads for the browser: `bench/page/bench.js` times [`Bench::run`] with
//! `performance.now()`, and hands [`cache_stream`] to JavaScript's `lru-cache` and the ring's keys
//! to `hashring` to time them on the same inputs in the same run.

use scalelab_bench_workloads::{
    build, names, zipf_stream, Spec, Workload, CACHE_ALPHA, CACHE_CAPACITY, CACHE_KEYS, CACHE_SEED, RING_BUILDS,
    RING_LOOKUPS, RING_NODES, RING_POINTS, STREAM_LEN,
};
use wasm_bindgen::prelude::*;

/// Every workload name, in report order.
#[wasm_bindgen]
pub fn workload_names() -> Vec<String> {
    names().into_iter().map(String::from).collect()
}

/// One prepared workload.
#[wasm_bindgen]
pub struct Bench {
    spec: Spec,
    workload: Box<dyn Workload>,
    checksum: u64,
}

#[wasm_bindgen]
impl Bench {
    /// The workload `name` (see [`workload_names`]); throws for an unknown name.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str) -> Result<Bench, JsError> {
        let (spec, workload) = build(name).ok_or_else(|| JsError::new("unknown workload"))?;
        Ok(Bench {
            spec,
            workload,
            checksum: 0,
        })
    }

    /// What an element is (`lookups`, `requests`, `events`, `points`).
    pub fn unit(&self) -> String {
        self.spec.unit.to_string()
    }

    /// What is timed, in one line.
    pub fn what(&self) -> String {
        self.spec.what.to_string()
    }

    /// Prepares a run (not to be timed).
    pub fn setup(&mut self) {
        self.workload.setup();
    }

    /// The timed part: runs once and returns the elements processed.
    pub fn run(&mut self) -> f64 {
        let out = self.workload.run();
        self.checksum = out.checksum;
        out.elements as f64
    }

    /// The checksum of the last run, as 16 hex digits (equal to the native run's).
    pub fn checksum(&self) -> String {
        format!("{:016x}", self.checksum)
    }
}

/// The key stream the `cache.policy/*` workloads replay (same sampler, sizes and seed), for
/// JavaScript's `lru-cache` to replay too.
#[wasm_bindgen]
pub fn cache_stream() -> Vec<u32> {
    zipf_stream(STREAM_LEN, CACHE_KEYS, CACHE_ALPHA, CACHE_SEED)
}

/// The sizes the JavaScript peers must use: `[cache capacity, cache keys, ring nodes, ring points
/// per node, ring lookups, rings built per run of `ring/build`]`.
#[wasm_bindgen]
pub fn sizes() -> Vec<f64> {
    vec![
        CACHE_CAPACITY as f64,
        CACHE_KEYS as f64,
        f64::from(RING_NODES),
        f64::from(RING_POINTS),
        RING_LOOKUPS as f64,
        RING_BUILDS as f64,
    ]
}
