//! Shared by the targets: a panic the reader catches (calamine behind `catch_unwind`) is the
//! app's normal path, so libFuzzer's abort-on-any-panic hook is replaced by a silent one;
//! a panic that escapes still aborts and is a crash.

use minqing_core::roster::{self, ImportKind, ImportOptions};
use minqing_core::Store;
use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

pub fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

fn store() -> &'static Store {
    static S: OnceLock<Store> = OnceLock::new();
    S.get_or_init(|| Store::open_in_memory().expect("in-memory store"))
}

/// The whole reading path of an import: bytes → sheets → header and mapping → a dry run of
/// the import (checks every row; nothing is written).
#[allow(dead_code)]
pub fn read_and_check(name: &str, data: &[u8]) {
    let cancel = AtomicBool::new(false);
    let Ok(book) = roster::read::read_bytes(name, data.to_vec(), &mut |_| {}, &cancel) else {
        return;
    };
    for kind in [ImportKind::Households, ImportKind::Cadres] {
        let _ = roster::inspect(store(), &book, kind, None, None);
        let mut o = ImportOptions::new(kind);
        o.dry_run = true;
        o.skip_bad = true;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date");
        let _ = roster::run_import(store(), &book, &o, today, &mut |_| {}, &cancel);
    }
}
