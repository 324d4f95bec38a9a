//! .csv / .txt bytes (UTF-8, GBK, UTF-16, any separator, quoted newlines) through the whole
//! import reading path; zip and OLE signatures are cut off so every input takes the text path.
#![no_main]
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let data = if data.starts_with(b"PK") || data.starts_with(&[0xD0, 0xCF]) {
        &data[2..]
    } else {
        data
    };
    common::read_and_check("花名册.csv", data);
});
