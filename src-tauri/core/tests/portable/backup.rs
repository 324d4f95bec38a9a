//! Backups on real files: a verified copy with its counts, the 7 + 4 + 12 pruning of daily
//! copies, damaged and foreign files refused, and a restore round trip through the CLI that
//! backs up the current database first.

use chrono::NaiveDateTime;
use minqing_core::db::backup::{create, daily, list, prune, recover, verify, Kind};
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::Store;
use std::path::Path;

use crate::common::{json, minqing};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn township(db: &Path, households: u32) -> Store {
    let store = Store::open(db).unwrap();
    generate(
        &store,
        &DemoOptions {
            households,
            ..Default::default()
        },
        "2026-03-31".parse().unwrap(),
        |_, _| true,
    )
    .unwrap();
    store
}

#[test]
fn a_backup_is_a_verified_copy_with_its_counts_and_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    let store = township(&db, 300);
    let info = create(&store, None, Kind::Manual, t("2026-11-29 09:15")).unwrap();
    assert_eq!(info.households, 300);
    assert_eq!(info.kind, "手动备份");
    assert_eq!(info.created, "2026-11-29 09:15:00");
    assert!(info.path.starts_with(dir.path().join("backups")));
    // No half-written file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["minqing-manual-20261129-091500.db".to_string()]);
    let listed = list(&dir.path().join("backups")).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].households, 300);
}

#[test]
fn the_first_start_of_a_day_backs_up_once_and_old_daily_copies_are_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    let store = township(&db, 50);
    let backups = dir.path().join("backups");
    // A year and a half of daily copies (names only matter for pruning), plus a manual one.
    std::fs::create_dir_all(&backups).unwrap();
    let start = t("2025-05-01 08:00");
    for i in 0..540 {
        let d = start + chrono::Duration::days(i);
        std::fs::write(
            backups.join(format!("minqing-daily-{}.db", d.format("%Y%m%d-%H%M%S"))),
            b"x",
        )
        .unwrap();
    }
    std::fs::write(backups.join("minqing-manual-20250501-090000.db"), b"x").unwrap();
    let first = daily(&store, t("2026-11-29 08:30")).unwrap();
    assert!(first.is_some(), "first start of the day backs up");
    assert!(
        daily(&store, t("2026-11-29 17:00")).unwrap().is_none(),
        "once a day"
    );
    let left: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let dailies = left
        .iter()
        .filter(|n| n.starts_with("minqing-daily-"))
        .count();
    assert!((15..=23).contains(&dailies), "{dailies} daily copies kept");
    assert!(left.contains(&"minqing-daily-20261129-083000.db".to_string()));
    assert!(
        left.contains(&"minqing-manual-20250501-090000.db".to_string()),
        "manual copies are never pruned"
    );
    // Nothing older than 12 months of daily copies.
    assert!(!left
        .iter()
        .any(|n| n.starts_with("minqing-daily-202505") || n.starts_with("minqing-daily-202510")));
    assert!(
        prune(&backups).unwrap().is_empty(),
        "pruning twice removes nothing more"
    );
}

#[test]
fn a_damaged_or_foreign_file_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    let store = township(&db, 100);
    let info = create(&store, None, Kind::Manual, t("2026-11-29 09:15")).unwrap();
    // Damage the middle of the copy.
    let mut bytes = std::fs::read(&info.path).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0x5A;
    }
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    let err = verify(&damaged).unwrap_err().to_string();
    assert!(err.contains("已损坏"), "{err}");
    // Another program's SQLite file.
    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = verify(&foreign).unwrap_err().to_string();
    assert!(err.contains("不是民情通的数据文件"), "{err}");
    // Neither is listed as something to restore.
    std::fs::copy(
        &damaged,
        dir.path().join("backups/minqing-manual-20261128-090000.db"),
    )
    .unwrap();
    assert_eq!(list(&dir.path().join("backups")).unwrap().len(), 1);
}

#[test]
fn restoring_brings_back_the_backup_and_keeps_a_copy_of_what_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    drop(township(&db, 200));
    let o = minqing(&db, &["--json", "backup", "create"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let made = json(&o);
    assert_eq!(made["households"], 200);
    let file = made["path"].as_str().unwrap().to_string();

    // After the backup the township changes: a new village.
    let o = minqing(&db, &["village", "add", "新建村"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&minqing(&db, &["village", "list"]).stdout).contains("新建村"));

    let o = minqing(&db, &["--json", "backup", "restore", &file]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    assert_eq!(r["restored"]["households"], 200);
    // The database is the backup again, whole.
    assert!(
        !String::from_utf8_lossy(&minqing(&db, &["village", "list"]).stdout).contains("新建村")
    );
    assert!(minqing(&db, &["check"]).status.success());
    // And the state it replaced was kept.
    let previous = r["previous"]["path"].as_str().unwrap();
    assert!(previous.contains("before-restore"));
    let kept = Store::open(Path::new(previous)).unwrap();
    let n: i64 = kept
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM villages WHERE name = '新建村'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(n, 1);

    let o = minqing(&db, &["--json", "backup", "list"]);
    let rows = json(&o);
    assert_eq!(rows.as_array().unwrap().len(), 2);
    // A file that is not a backup is refused and the database is untouched.
    let before = std::fs::read(&db).unwrap();
    let o = minqing(&db, &["backup", "restore", "no-such-file.db"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("备份文件"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn recomputing_a_plan_backs_up_first_and_keeps_the_newest_ten_copies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    drop(township(&db, 200));
    let o = minqing(
        &db,
        &[
            "--today",
            "2026-03-31",
            "plan",
            "create",
            "--name",
            "二季度",
            "--from",
            "2026-04-01",
            "--to",
            "2026-06-30",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let copies = || -> Vec<String> {
        std::fs::read_dir(dir.path().join("backups"))
            .map(|r| {
                r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with("minqing-before-recompute-"))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        copies().is_empty(),
        "the first computation replaces nothing"
    );
    for i in 1..=12 {
        let o = minqing(&db, &["--today", "2026-03-31", "plan", "compute", "1"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(copies().len(), i.min(10));
    }
    let listed = json(&minqing(&db, &["--json", "backup", "list"]));
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["kind"] == "重新计算排班前的备份"));
}

#[test]
fn a_damaged_database_is_set_aside_untouched_and_the_newest_good_backup_takes_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    let store = township(&db, 200);
    create(&store, None, Kind::Daily, t("2026-11-27 08:00")).unwrap();
    let newest = create(&store, None, Kind::Daily, t("2026-11-28 08:00")).unwrap();
    // The newest copy is itself damaged: the next newest good one is used.
    let mut bytes = std::fs::read(&newest.path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 8192].fill(0x5A);
    std::fs::write(&newest.path, &bytes).unwrap();
    // Nothing to recover while the database is sound.
    drop(store);
    let err = recover(&db, None, t("2026-11-29 09:00"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("完好"), "{err}");
    // Damage the database itself.
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 16384].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();
    assert!(matches!(
        Store::open(&db),
        Err(minqing_core::Error::DbCorrupt { .. })
    ));

    let r = recover(&db, None, t("2026-11-29 09:00")).unwrap();
    assert!(
        r.restored.file_name.contains("20261127"),
        "{}",
        r.restored.file_name
    );
    assert_eq!(
        std::fs::read(&r.kept_aside).unwrap(),
        bytes,
        "the damaged file is kept as it was"
    );
    assert!(r
        .kept_aside
        .display()
        .to_string()
        .ends_with("minqing.db.damaged-20261129-090000"));
    let store = Store::open(&db).unwrap();
    assert_eq!(
        minqing_core::stats::register_stats(&store)
            .unwrap()
            .households_all,
        200
    );
    assert!(store.check().unwrap().ok);
}

#[test]
fn backup_recover_from_the_cli_names_the_copy_it_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minqing.db");
    let store = township(&db, 50);
    create(&store, None, Kind::Daily, t("2026-11-28 08:00")).unwrap();
    drop(store);
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 16384].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();
    let o = minqing(&db, &["--json", "backup", "recover"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j = json(&o);
    assert_eq!(j["restored"]["households"], 50);
    assert!(j["keptAside"]
        .as_str()
        .unwrap()
        .contains("minqing.db.damaged-"));
    assert!(minqing(&db, &["check"]).status.success());
}

#[test]
fn all_data_moves_to_a_new_pc_in_one_file_and_back_through_restore() {
    use minqing_core::db::backup::{export_to, restore};
    let old_pc = tempfile::tempdir().unwrap();
    let new_pc = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let store = township(&old_pc.path().join("minqing.db"), 400);
    let file = usb.path().join("民情通全部数据_龙河镇_2026-11-30.db");
    let info = export_to(&store, &file).unwrap();
    assert_eq!(info.households, 400);
    assert!(!usb
        .path()
        .join("民情通全部数据_龙河镇_2026-11-30.partial")
        .exists());
    // One self-contained file: no -wal or -shm beside it.
    let names: Vec<String> = std::fs::read_dir(usb.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["民情通全部数据_龙河镇_2026-11-30.db"]);
    // Exporting over the database in use is refused.
    let e = export_to(&store, &old_pc.path().join("minqing.db")).unwrap_err();
    assert!(e.to_string().contains("正在使用的数据库"), "{e}");

    // The new PC has a fresh (different) database: the import replaces it, keeping a copy.
    let target = new_pc.path().join("minqing.db");
    drop(township(&target, 50));
    let r = restore(&target, &file, t("2026-11-30 10:00")).unwrap();
    assert_eq!(r.restored.households, 400);
    assert_eq!(r.previous.households, 50);
    let moved = Store::open(&target).unwrap();
    assert!(moved.check().unwrap().ok);
    assert_eq!(
        minqing_core::stats::register_stats(&moved)
            .unwrap()
            .households_all,
        400
    );
}
