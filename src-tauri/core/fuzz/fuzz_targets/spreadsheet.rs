//! .xlsx / .xls / .ods bytes (seeded with real workbooks) through the whole import reading path.
#![no_main]
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    common::read_and_check("表格.xlsx", data);
});
