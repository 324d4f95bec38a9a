//! Register benchmarks (`cargo xtask bench` runs this with `cargo bench -p minqing-core`):
//! - `minqing demo --households 100000` equivalent: the generator writing a fresh file;
//! - on that database, filtered + searched + sorted pages of 50 households, as the 户籍台账
//!   asks for them, with percentiles.
//!
//! Prints a human summary and, when `MINQING_BENCH_JSON` names a file, writes the figures there.

use minqing_core::demo::{generate, DemoOptions};
use minqing_core::register::households::{list_households, HouseholdQuery, HouseholdSort};
use minqing_core::register::villages::list_villages;
use minqing_core::Store;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

fn main() {
    let households: u32 = std::env::var("MINQING_BENCH_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let dir = tempfile::tempdir().expect("temp dir");

    // 1. Demo generation into a fresh file, three runs.
    let mut demo_times = Vec::new();
    let mut path = dir.path().join("demo-0.db");
    for run in 0..3 {
        path = dir.path().join(format!("demo-{run}.db"));
        let t = Instant::now();
        let store = Store::open(&path).expect("open");
        generate(
            &store,
            &DemoOptions {
                households,
                ..Default::default()
            },
            today,
            |_, _| true,
        )
        .expect("demo");
        drop(store);
        demo_times.push(t.elapsed());
    }
    demo_times.sort();
    let demo_median = demo_times[1].as_secs_f64();
    println!(
        "demo {households} households: median {:.2} s (runs: {:?})",
        demo_median, demo_times
    );

    // 2. Household pages: every village × common initials, sorted like a roster.
    let store = Store::open(&path).expect("open");
    let villages = list_villages(&store).expect("villages");
    let initials = ["zs", "wj", "lm", "zh", "cx", "wf", "ly", "lg", "wx", "z"];
    let mut samples = Vec::new();
    let mut total_rows = 0usize;
    for round in 0..5 {
        for v in &villages {
            for ini in initials {
                let q = HouseholdQuery {
                    village_id: Some(v.id),
                    search: Some(ini.to_string()),
                    sort: if round % 2 == 0 {
                        HouseholdSort::Roster
                    } else {
                        HouseholdSort::Name
                    },
                    page: 1,
                    page_size: 50,
                    ..Default::default()
                };
                let t = Instant::now();
                let page = list_households(&store, &q).expect("page");
                samples.push(t.elapsed());
                total_rows += page.rows.len();
            }
        }
    }
    samples.sort();
    let (p50, p95, max) = (
        percentile(&samples, 0.5),
        percentile(&samples, 0.95),
        percentile(&samples, 1.0),
    );
    println!(
        "household page (village filter + pinyin initials + sort, 50 rows): n={} p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} rows read)",
        samples.len(),
        p50,
        p95,
        max,
        total_rows
    );

    // 3. Other pages a coordinator opens often.
    let mut others = Vec::new();
    let cases: Vec<(&str, HouseholdQuery)> = vec![
        ("first page, no filter", HouseholdQuery::default()),
        (
            "page 100, no filter",
            HouseholdQuery {
                page: 100,
                ..Default::default()
            },
        ),
        (
            "重点户 only",
            HouseholdQuery {
                key_only: true,
                ..Default::default()
            },
        ),
        (
            "ID / phone tail",
            HouseholdQuery {
                search: Some("1234".into()),
                ..Default::default()
            },
        ),
        (
            "name part 明",
            HouseholdQuery {
                search: Some("明".into()),
                ..Default::default()
            },
        ),
    ];
    for (label, q) in &cases {
        let mut s: Vec<Duration> = (0..20)
            .map(|_| {
                let t = Instant::now();
                list_households(&store, q).expect("page");
                t.elapsed()
            })
            .collect();
        s.sort();
        let p95 = percentile(&s, 0.95);
        println!("  {label}: p95 {p95:.2} ms");
        others.push(serde_json::json!({ "case": label, "p95Ms": p95 }));
    }

    if let Ok(out) = std::env::var("MINQING_BENCH_JSON") {
        let json = serde_json::json!({
            "households": households,
            "demoSeconds": demo_median,
            "pageP50Ms": p50,
            "pageP95Ms": p95,
            "pageMaxMs": max,
            "pageSamples": samples.len(),
            "otherPages": others,
        });
        std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap())
            .expect("write bench json");
    }
}
