//! Planner scale benchmark (`cargo xtask bench`): generated townships of 5k / 20k / 50k /
//! 100k households with one cadre per 100 households, a 13-week cycle. Reports time, memory
//! (peak RSS of this process), coverage and must-visit timeliness; JSON to MINQING_BENCH_JSON.

#[path = "common/measure.rs"]
#[allow(dead_code)]
mod measure;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use measure::*;
use minqing_core::plan::check::check;
use minqing_core::plan::engine::solve;
use minqing_core::plan::evaluate::score;
use minqing_core::plan::problem::*;
use std::time::Instant;

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

pub fn generated(households: usize, seed: u64) -> Problem {
    let start = NaiveDate::from_ymd_opt(2026, 9, 7).unwrap();
    let end = start + Duration::days(7 * 13 - 1);
    let mut days = Vec::new();
    let mut x = start;
    while x <= end {
        if !matches!(x.weekday(), Weekday::Sat | Weekday::Sun) {
            days.push(x);
        }
        x += Duration::days(1);
    }
    let villages = (households / 3000).clamp(10, 40);
    let cadres = households / 100;
    let mut rng = seed | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let hh: Vec<Household> = (0..households)
        .map(|i| {
            let v = i % villages;
            let g = (next() % 10) as i64;
            Household {
                id: i as i64,
                village: v,
                group: v as i64 * 100 + g,
                group_order: g,
                key_every: (next() % 100 < 18).then_some(30),
                paired: None,
                previous: None,
                history: Vec::new(),
            }
        })
        .collect();
    let cd: Vec<Cadre> = (0..cadres)
        .map(|c| Cadre {
            id: c as i64,
            name: format!("干部{c}"),
            villages: if c % 5 == 0 {
                vec![c % villages, (c + 1) % villages]
            } else {
                vec![c % villages]
            },
            available: spread_days(&days, [4, 6, 8, 10][c % 4]),
            allowed: vec![true; days.len()],
            days_per_month: Some([4, 6, 8, 10][c % 4]),
            taken: Vec::new(),
        })
        .collect();
    Problem {
        start,
        end,
        days,
        villages: (0..villages)
            .map(|v| Village {
                id: v as i64,
                name: format!("村{v}"),
            })
            .collect(),
        households: hh,
        cadres: cd,
        rules: Rules::default(),
        fixed: Vec::new(),
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("MINQING_BENCH_PLAN_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![5_000, 20_000, 50_000, 100_000]);
    let mut rows = Vec::new();
    // Flat keys for `cargo xtask bench` (which reads them without a JSON library).
    let mut flat = serde_json::Map::new();
    for n in sizes {
        let p = generated(n, 42);
        let t = Instant::now();
        let sol = solve(&p, 1);
        let secs = t.elapsed().as_secs_f64();
        let violations = check(&p, &sol.assignments).len();
        let (s, _, _) = score(&p, &sol.assignments);
        println!(
            "{n} households, {} cadres, {} working days: {:.2} s, peak RSS {:.0} MB, {} visits, coverage {:.1}%, 必到 on time {:.1}%, violations {violations}",
            p.cadres.len(),
            p.days.len(),
            secs,
            peak_rss_mb(),
            sol.assignments.len(),
            100.0 * s.covered as f64 / s.households as f64,
            100.0 * s.key_visits_on_time as f64 / s.key_visits_due.max(1) as f64
        );
        flat.insert(format!("s{n}Seconds"), serde_json::json!(secs));
        flat.insert(format!("s{n}RssMb"), serde_json::json!(peak_rss_mb()));
        flat.insert(
            format!("s{n}Coverage"),
            serde_json::json!(s.covered as f64 / s.households as f64),
        );
        flat.insert(format!("s{n}Violations"), serde_json::json!(violations));
        rows.push(serde_json::json!({
            "households": n, "cadres": p.cadres.len(), "seconds": secs, "peakRssMb": peak_rss_mb(),
            "coverage": s.covered as f64 / s.households as f64,
            "mustOnTime": s.key_visits_on_time as f64 / s.key_visits_due.max(1) as f64, "violations": violations,
        }));
    }
    if let Ok(out) = std::env::var("MINQING_BENCH_JSON") {
        flat.insert("rows".into(), serde_json::json!(rows));
        std::fs::write(out, serde_json::to_string_pretty(&flat).unwrap()).unwrap();
    }
}
