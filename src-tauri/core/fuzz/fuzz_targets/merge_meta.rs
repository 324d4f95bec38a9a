//! 区级汇总's reader: any bytes as a township's workbook (seeded with real exported reports,
//! hidden `_meta` sheet included) — verified, merged or refused, never a panic.
#![no_main]
#[path = "common.rs"]
mod common;

use std::io::Write;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("乡镇报表.xlsx");
    std::fs::File::create(&file)
        .and_then(|mut f| f.write_all(data))
        .expect("write input");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
    let _ = minqing_core::report::merge::merge(&[file], &dir.path().join("区.xlsx"), today);
});
