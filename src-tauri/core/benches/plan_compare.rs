//! Planner quality benchmark (`cargo xtask bench`): small generated townships (≈300 households,
//! 10 cadres, 4 weeks) planned three ways and scored by the same evaluation and checker —
//!
//! - our engine (`plan::engine::solve`);
//! - OR-Tools CP-SAT (`cpsat_plan.py`, a model written from docs/DOMAIN.md's rules, best found in
//!   `MINQING_BENCH_CPSAT_SECONDS`, default 60 s), when `MINQING_BENCH_PYTHON` has ortools;
//! - the naive round-robin a coordinator does by hand in Excel.
//!
//! JSON to MINQING_BENCH_JSON.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use minqing_core::plan::check::check;
use minqing_core::plan::engine::solve;
use minqing_core::plan::evaluate::{score, Score};
use minqing_core::plan::problem::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// ≈300 households in 3 villages of 5 groups, 10 cadres (two linked to two villages; half on
/// fixed weekdays, half "N days a month"), 4 weeks of November 2026 (no holidays), 20% 重点户
/// every 30 days with a recorded visit 16–40 days before, a third of the others visited in
/// the last three weeks (the gap rule bites), pairings and previous cadres.
fn instance(seed: u64) -> Problem {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let end = start + Duration::days(27);
    let days: Vec<NaiveDate> = (0..28)
        .map(|i| start + Duration::days(i))
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let villages = 3usize;
    let n_cadres = 10usize;
    let cadre_villages: Vec<Vec<usize>> = (0..n_cadres)
        .map(|c| match c {
            3 => vec![0, 1],
            7 => vec![1, 2],
            _ => vec![c % villages],
        })
        .collect();
    let cadres: Vec<Cadre> = (0..n_cadres)
        .map(|c| {
            let (available, allowed, per_month) = if c % 2 == 0 {
                let pattern: &[u32] = if c % 4 == 0 { &[1, 3, 5] } else { &[2, 4] };
                let a: Vec<bool> = days
                    .iter()
                    .map(|d| pattern.contains(&d.weekday().number_from_monday()))
                    .collect();
                (a.clone(), a, None)
            } else {
                let n = [6, 8, 10][c % 3];
                (spread_days(&days, n), vec![true; days.len()], Some(n))
            };
            Cadre {
                id: c as i64,
                name: format!("干部{c}"),
                villages: cadre_villages[c].clone(),
                available,
                allowed,
                days_per_month: per_month,
                taken: Vec::new(),
            }
        })
        .collect();
    let mut households = Vec::new();
    let n = 280 + rng.below(41) as usize;
    for i in 0..n {
        let v = i % villages;
        let g = rng.below(5) as i64;
        let key = rng.below(100) < 20;
        let linked: Vec<usize> = (0..n_cadres)
            .filter(|c| cadre_villages[*c].contains(&v))
            .collect();
        let mut history = Vec::new();
        if key {
            history.push(start - Duration::days(16 + rng.below(25) as i64));
        } else if rng.below(3) == 0 {
            history.push(start - Duration::days(1 + rng.below(21) as i64));
        }
        households.push(Household {
            id: i as i64,
            village: v,
            group: v as i64 * 10 + g,
            group_order: g,
            key_every: key.then_some(30),
            paired: (key && rng.below(2) == 0)
                .then(|| linked[rng.below(linked.len() as u64) as usize]),
            previous: (rng.below(2) == 0).then(|| linked[rng.below(linked.len() as u64) as usize]),
            history,
        });
    }
    Problem {
        start,
        end,
        days,
        villages: (0..villages)
            .map(|v| Village {
                id: v as i64,
                name: format!("{v}村"),
            })
            .collect(),
        households,
        cadres,
        rules: Rules::default(),
        fixed: Vec::new(),
    }
}

/// What a coordinator does by hand: each village's households in roster order dealt round-robin
/// to its linked cadres, each cadre filling their visit days in order, H a day; one visit per
/// household, no look at recent visits, 重点户 or pairings.
fn round_robin(p: &Problem) -> Vec<Assignment> {
    let mut queue: Vec<Vec<usize>> = vec![Vec::new(); p.cadres.len()];
    for v in 0..p.villages.len() {
        let linked: Vec<usize> = (0..p.cadres.len())
            .filter(|c| p.cadres[*c].villages.contains(&v))
            .collect();
        if linked.is_empty() {
            continue;
        }
        let mut hs: Vec<usize> = (0..p.households.len())
            .filter(|h| p.households[*h].village == v)
            .collect();
        hs.sort_by_key(|h| (p.households[*h].group_order, p.households[*h].id));
        for (i, h) in hs.into_iter().enumerate() {
            queue[linked[i % linked.len()]].push(h);
        }
    }
    let mut out = Vec::new();
    for (c, q) in queue.iter().enumerate() {
        let days: Vec<usize> = (0..p.days.len())
            .filter(|t| p.cadres[c].available[*t])
            .collect();
        for (i, h) in q.iter().enumerate() {
            let slot = i / p.rules.per_cadre_day as usize;
            if let Some(&t) = days.get(slot) {
                out.push(Assignment {
                    household: *h,
                    cadre: c,
                    day: t,
                    reason: Reason::Coverage,
                    fixed: false,
                });
            }
        }
    }
    out
}

fn write_instance(p: &Problem, path: &Path) {
    let days: Vec<String> = p.days.iter().map(|d| d.to_string()).collect();
    let households: Vec<Value> = p
        .households
        .iter()
        .map(|h| {
            json!({
                "village": h.village, "group": h.group, "keyEvery": h.key_every,
                "paired": h.paired, "previous": h.previous,
                "history": h.history.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let cadres: Vec<Value> = p
        .cadres
        .iter()
        .map(|c| {
            json!({
                "villages": c.villages, "allowed": c.allowed, "daysPerMonth": c.days_per_month,
                // The evaluation's denominator for utilisation (planning days × H).
                "capacity": c.available.iter().filter(|a| **a).count() as u32 * p.rules.per_cadre_day,
            })
        })
        .collect();
    let v = json!({
        "start": p.start.to_string(), "end": p.end.to_string(), "days": days,
        "villages": p.villages.len(),
        "rules": { "minGapDays": p.rules.min_gap_days, "maxPerMonth": p.rules.max_per_month, "perCadreDay": p.rules.per_cadre_day },
        "households": households, "cadres": cadres,
    });
    std::fs::write(path, serde_json::to_string(&v).unwrap()).unwrap();
}

fn read_solution(path: &Path) -> Option<(Vec<Assignment>, Value)> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let a = v["assignments"]
        .as_array()?
        .iter()
        .filter_map(|x| {
            Some(Assignment {
                household: x[0].as_u64()? as usize,
                cadre: x[1].as_u64()? as usize,
                day: x[2].as_u64()? as usize,
                reason: Reason::Coverage,
                fixed: false,
            })
        })
        .collect();
    Some((a, v))
}

fn summary(s: &Score, violations: usize) -> Value {
    let frac = |a: u32, b: u32| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    json!({
        "objective": s.objective,
        "coverage": frac(s.covered, s.households),
        "mustOnTime": frac(s.key_visits_on_time, s.key_visits_due),
        "pairedOwn": frac(s.paired_by_own_cadre, s.paired_visited),
        "continuity": frac(s.continuity_kept, s.continuity_possible),
        "singleVillageDays": frac(s.single_village_days, s.cadre_days),
        "groupsPerDay": s.groups_per_cadre_day,
        "balanceSd": s.balance_sd,
        "spreadCv": s.spread_cv,
        "violations": violations,
    })
}

fn main() {
    let seeds: Vec<u64> = std::env::var("MINQING_BENCH_COMPARE_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 2, 3]);
    let python = std::env::var("MINQING_BENCH_PYTHON").ok();
    let limit = std::env::var("MINQING_BENCH_CPSAT_SECONDS").unwrap_or_else(|_| "60".into());
    let model = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/cpsat_plan.py");
    let dir = std::env::temp_dir().join("minqing-plan-compare");
    std::fs::create_dir_all(&dir).unwrap();
    let mut rows = Vec::new();
    for seed in seeds {
        let p = instance(seed);
        // Ours: the median of 5 runs (it takes milliseconds).
        let mut times = Vec::new();
        let mut ours = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            ours = solve(&p, 1).assignments;
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let our_secs = times[2];
        let (s_ours, _, _) = score(&p, &ours);
        let v_ours = check(&p, &ours).len();
        let naive = round_robin(&p);
        let (s_naive, _, _) = score(&p, &naive);
        let v_naive = check(&p, &naive).len();
        let mut row = json!({
            "seed": seed, "households": p.households.len(), "cadres": p.cadres.len(), "days": p.days.len(),
            "ours": summary(&s_ours, v_ours), "ourSeconds": our_secs,
            "naive": summary(&s_naive, v_naive),
        });
        println!(
            "seed {seed}: {} households — ours {:.1} in {:.4} s ({v_ours} violations); round-robin {:.1} ({v_naive} violations)",
            p.households.len(),
            s_ours.objective,
            our_secs,
            s_naive.objective
        );
        if let Some(py) = &python {
            let inst = dir.join(format!("instance-{seed}.json"));
            let sol = dir.join(format!("cpsat-{seed}.json"));
            write_instance(&p, &inst);
            let _ = std::fs::remove_file(&sol);
            let ok = Command::new(py)
                .arg(&model)
                .arg(&inst)
                .arg(&sol)
                .arg(&limit)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            match read_solution(&sol).filter(|_| ok) {
                Some((a, meta)) => {
                    let (s_cp, _, _) = score(&p, &a);
                    let v_cp = check(&p, &a).len();
                    println!(
                        "         CP-SAT {:.1} ({} , best found at {:.1} s of {:.0} s, {v_cp} violations); ours/CP-SAT = {:.4}",
                        s_cp.objective,
                        meta["status"].as_str().unwrap_or("?"),
                        meta["bestSeconds"].as_f64().unwrap_or(0.0),
                        meta["wallSeconds"].as_f64().unwrap_or(0.0),
                        s_ours.objective / s_cp.objective
                    );
                    row["cpsat"] = summary(&s_cp, v_cp);
                    row["cpsatStatus"] = meta["status"].clone();
                    row["cpsatBestSeconds"] = meta["bestSeconds"].clone();
                    row["cpsatWallSeconds"] = meta["wallSeconds"].clone();
                    row["ratio"] = json!(s_ours.objective / s_cp.objective);
                    row["speedup"] = json!(meta["bestSeconds"].as_f64().unwrap_or(0.0) / our_secs);
                }
                None => println!("         CP-SAT: no solution (is ortools installed for {py}?)"),
            }
        }
        rows.push(row);
    }
    // Flat keys for `cargo xtask bench`: means over the instances, the worst ratio and speed-up.
    let mean = |who: &str, key: &str| {
        let v: Vec<f64> = rows.iter().filter_map(|r| r[who][key].as_f64()).collect();
        if v.is_empty() {
            Value::Null
        } else {
            json!(v.iter().sum::<f64>() / v.len() as f64)
        }
    };
    let min = |key: &str| {
        rows.iter()
            .filter_map(|r| r[key].as_f64())
            .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
            .map_or(Value::Null, |x| json!(x))
    };
    let mut flat = serde_json::Map::new();
    flat.insert("instances".into(), json!(rows.len()));
    flat.insert("minRatio".into(), min("ratio"));
    flat.insert("minSpeedup".into(), min("speedup"));
    let secs: Vec<f64> = rows
        .iter()
        .filter_map(|r| r["ourSeconds"].as_f64())
        .collect();
    flat.insert(
        "ourMs".into(),
        json!(1000.0 * secs.iter().sum::<f64>() / secs.len().max(1) as f64),
    );
    let best: Vec<f64> = rows
        .iter()
        .filter_map(|r| r["cpsatBestSeconds"].as_f64())
        .collect();
    if !best.is_empty() {
        flat.insert(
            "cpsatBestS".into(),
            json!(best.iter().sum::<f64>() / best.len() as f64),
        );
    }
    for who in ["ours", "cpsat", "naive"] {
        for key in [
            "objective",
            "coverage",
            "mustOnTime",
            "pairedOwn",
            "singleVillageDays",
            "groupsPerDay",
            "balanceSd",
            "spreadCv",
            "violations",
        ] {
            flat.insert(format!("{who}_{key}"), mean(who, key));
        }
    }
    flat.insert("rows".into(), json!(rows));
    if let Ok(out) = std::env::var("MINQING_BENCH_JSON") {
        std::fs::write(out, serde_json::to_string_pretty(&flat).unwrap()).unwrap();
    }
}
