//! Crash safety, tested the hard way: the `minqing` CLI is killed with SIGKILL at random
//! moments during an import, a plan recomputation and a request registration — 270 runs,
//! at least 200 of them killed mid-way. After each, the database opens, passes `minqing check`, and its contents are exactly
//! those before or exactly those after the operation; never something in between.
#![cfg(unix)]

mod common;

use common::sheets;
use common::{fingerprint, fresh_copy, minqing, minqing_on};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic generator for the moments of the kills.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Runs the operation on copies of `base`, killing it after a random delay up to a little
/// past its usual duration; returns how many runs were really killed mid-way.
fn kill_runs(name: &str, base: &Path, args: &[String], runs: usize, seed: u64) -> usize {
    let dir = base.parent().unwrap();
    let db = dir.join(format!("{name}.db"));
    let before = fingerprint(base);
    // The whole operation three times, for its "after" and its duration: the shortest of
    // three, so that one run slowed by a busy machine does not push the kills past the end.
    let mut took = u64::MAX;
    let mut after = None;
    for _ in 0..3 {
        fresh_copy(base, &db);
        let t = Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_minqing"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("MINQING_DB")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        took = took.min(t.elapsed().as_micros() as u64);
        let fp = fingerprint(&db);
        assert!(
            after.is_none_or(|a| a == fp),
            "{name}: two complete runs left different data"
        );
        after = Some(fp);
    }
    let after = after.unwrap();
    assert_ne!(before, after, "{name} changes the data");
    let mut rng = Lcg(seed);
    let mut killed = 0;
    for i in 0..runs {
        fresh_copy(base, &db);
        let mut child = Command::new(env!("CARGO_BIN_EXE_minqing"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("MINQING_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(took * 8 / 10)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        let check = minqing(&db, &["check"]);
        assert!(
            check.status.success(),
            "{name} run {i}: check failed: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let fp = fingerprint(&db);
        assert!(
            fp == before || fp == after,
            "{name} run {i}: the data is neither before nor after"
        );
    }
    killed
}

#[test]
fn sigkill_at_any_moment_leaves_the_data_exactly_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    let o = minqing_on(&base, "2026-03-02", &["demo", "--households", "400"]);
    assert!(o.status.success());
    let o = minqing_on(
        &base,
        "2026-03-02",
        &[
            "plan",
            "create",
            "--name",
            "一季度",
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-31",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let roster = dir.path().join("花名册.xlsx");
    sheets::xlsx(&roster, &[sheets::plain_roster(1500, "张三", "197", "139")]);
    let args = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut killed = 0;
    killed += kill_runs(
        "import",
        &base,
        &args(&[
            "import",
            "households",
            roster.to_str().unwrap(),
            "--create-missing",
            "--skip-bad",
        ]),
        90,
        1,
    );
    killed += kill_runs(
        "recompute",
        &base,
        &args(&["--today", "2026-03-02", "plan", "compute", "1"]),
        90,
        2,
    );
    killed += kill_runs(
        "request",
        &base,
        &args(&[
            "request",
            "add",
            "--household",
            "12",
            "--type",
            "求助",
            "--category",
            "基础设施",
            "--urgency",
            "一般",
            "--content",
            "村口路灯坏了",
        ]),
        90,
        3,
    );
    // Most runs die mid-way; the rest finish before the kill and count as "after".
    assert!(
        killed >= 200,
        "only {killed} of 270 runs were killed mid-way"
    );
    eprintln!("{killed} of 270 runs killed mid-way; every one left the data before or after");
}
