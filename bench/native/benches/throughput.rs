//! Native throughput of every workload in `scalelab-bench-workloads`, with criterion.
//!
//! Each workload is set up outside the timing (`Workload::setup`) and timed around
//! `Workload::run`; criterion records the time per run and, from the declared element count,
//! elements per second. Estimates land in `target/criterion/<group>/<variant>/new/` (JSON), and
//! `target/bench-native-workloads.json` lists each workload's unit, element count and checksum.
//!
//! `BENCH_QUICK=1` shortens warm-up and measurement (for a quick look; the report says so).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalelab_bench_workloads::{build, names};

fn quick() -> bool {
    std::env::var_os("BENCH_QUICK").is_some_and(|v| v != "0")
}

fn write_manifest(rows: &[String]) {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let path = std::path::Path::new(&dir).join("bench-native-workloads.json");
    let body = format!("[\n{}\n]\n", rows.join(",\n"));
    if let Err(e) = std::fs::write(&path, body) {
        eprintln!("could not write {}: {e}", path.display());
    }
}

fn json_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn throughput(c: &mut Criterion) {
    let mut rows = Vec::new();
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    for name in names() {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let Some((spec, mut workload)) = build(name) else {
            continue;
        };
        // One untimed run: the element count and checksum (deterministic).
        workload.setup();
        let first = workload.run();
        rows.push(format!(
            "  {{\"name\": {}, \"unit\": {}, \"elements\": {}, \"checksum\": \"{:016x}\", \"what\": {}}}",
            json_str(spec.name),
            json_str(spec.unit),
            first.elements,
            first.checksum,
            json_str(spec.what)
        ));
        let (group_name, variant) = name.split_once('/').unwrap_or((name, "run"));
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Elements(first.elements));
        group.sample_size(10);
        if quick() {
            group.warm_up_time(Duration::from_millis(300));
            group.measurement_time(Duration::from_secs(1));
        } else {
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(3));
        }
        group.bench_function(variant, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    workload.setup();
                    let start = Instant::now();
                    let out = black_box(workload.run());
                    total += start.elapsed();
                    assert_eq!(out, first, "{name} changed between runs");
                }
                total
            })
        });
        group.finish();
    }
    write_manifest(&rows);
}

criterion_group!(benches, throughput);
criterion_main!(benches);
