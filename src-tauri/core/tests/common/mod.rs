//! Running the `minqing` binary from the integration tests.
#![allow(dead_code)] // each test crate uses part of it

pub mod sheets;

use std::path::Path;
use std::process::{Command, Output};

/// `minqing --db DB ARGS…`, never reading `MINQING_DB` from the environment.
pub fn minqing(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minqing"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MINQING_DB")
        .output()
        .expect("run minqing")
}

/// The same with `--today DATE` as the clock.
pub fn minqing_on(db: &Path, today: &str, args: &[&str]) -> Output {
    minqing(db, &[&["--today", today], args].concat())
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}
