//! The store refuses files it must not touch, upgrades old ones after a backup, and survives
//! several processes opening one file at once.

use minqing_core::db::migrations::{migrate_to, user_version, MIGRATIONS, SCHEMA_VERSION};
use minqing_core::db::OpenOptions;
use minqing_core::{Error, ErrorCode, Store};
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// Rows a user would have entered at each schema version, written with that version's SQL.
fn seed_at(version: i64, c: &Connection) {
    if version >= 7 {
        // The audit triggers (version 7) call functions the app registers on each connection.
        use rusqlite::functions::FunctionFlags;
        c.create_scalar_function("mq_audit_level", 0, FunctionFlags::SQLITE_UTF8, |_| Ok(0))
            .unwrap();
        c.create_scalar_function("mq_operator", 0, FunctionFlags::SQLITE_UTF8, |_| {
            Ok(None::<String>)
        })
        .unwrap();
    }
    if version >= 1 {
        c.execute_batch(
            "INSERT INTO villages (id, name, kind, sort_order, created_at) VALUES (1, '黄河村', '村', 1, '2026-01-01 08:00:00');
             INSERT INTO village_groups (id, village_id, name, sort_order, created_at) VALUES (1, 1, '一组', 1, '2026-01-01 08:00:00');
             INSERT INTO households (village_id, group_id, head_name, name_initials, name_pinyin, id_number, id_tail,
                 phone, phone_tail, created_at, updated_at)
             VALUES (1, 1, '张三', 'zs', 'zhangsan', '11010519491231002X', '002X', '13812345678', '5678',
                 '2026-01-01 08:00:00', '2026-01-01 08:00:00');",
        )
        .unwrap();
    }
    if version >= 6 {
        c.execute_batch(
            "INSERT INTO import_history (id, kind, file_name, sheet, mode, imported_at, rows, imported, updated,
                 unchanged, skipped, problem_rows, new_villages, new_groups)
             VALUES (7, 'households', '黄河村花名册.xlsx', '花名册', 'add', '2026-01-01 08:00:00', 1, 1, 0, 0, 0, 0, 1, 1);",
        )
        .unwrap();
    }
}

#[test]
fn every_earlier_version_upgrades_keeps_its_data_and_leaves_a_backup() {
    for from in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("minqing.db");
        {
            let mut c = Connection::open(&path).unwrap();
            migrate_to(&mut c, from).unwrap();
            assert_eq!(user_version(&c).unwrap(), from);
            seed_at(from, &c);
        }
        let store = Store::open(&path).unwrap_or_else(|e| panic!("from v{from}: {e}"));
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(store.check().unwrap().ok, "from v{from}");
        if from >= 1 {
            let backup = store
                .upgrade_backup()
                .expect("a backup before upgrading an existing file");
            assert!(backup.starts_with(dir.path().join("backups")));
            let b = Connection::open(backup).unwrap();
            assert_eq!(
                user_version(&b).unwrap(),
                from,
                "the backup is the old file"
            );
            let name: String = store
                .read(|c| Ok(c.query_row("SELECT head_name FROM households", [], |r| r.get(0))?))
                .unwrap();
            assert_eq!(name, "张三");
            if from >= 6 {
                // The import log survives the rebuild that widened its kinds (version 8).
                let file: String = store
                    .read(|c| {
                        Ok(c.query_row(
                            "SELECT file_name FROM import_history WHERE id = 7",
                            [],
                            |r| r.get(0),
                        )?)
                    })
                    .unwrap();
                assert_eq!(file, "黄河村花名册.xlsx");
            }
        } else {
            assert!(
                store.upgrade_backup().is_none(),
                "a new file needs no backup"
            );
        }
    }
    assert_eq!(MIGRATIONS.last().unwrap().version, SCHEMA_VERSION);
}

#[test]
fn reopening_a_current_database_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minqing.db");
    drop(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    assert!(store.upgrade_backup().is_none());
    assert!(!dir.path().join("backups").exists());
}

#[test]
fn a_database_from_a_newer_app_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minqing.db");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 5))
            .unwrap();
    }
    let before = bytes(&path);
    let e = Store::open(&path).err().expect("refused");
    assert!(
        matches!(e, Error::DbTooNew { found, .. } if found == SCHEMA_VERSION + 5),
        "{e}"
    );
    assert!(
        e.to_string().contains("更新版本") && e.to_string().contains("未作任何改动"),
        "{e}"
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_file_that_is_not_a_database_is_reported_damaged_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minqing.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let e = Store::open(&path).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::DbCorrupt, "{e}");
    assert!(
        e.to_string().contains(&path.display().to_string()),
        "the message says where the file is"
    );
    assert_eq!(bytes(&path), garbage);
}

/// A database of a 2,000-household demo township in `dir`.
fn demo_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("minqing.db");
    let store = Store::open(&path).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    minqing_core::demo::generate(
        &store,
        &minqing_core::demo::DemoOptions {
            households: 2000,
            ..Default::default()
        },
        today,
        |_, _| true,
    )
    .unwrap();
    path
}

/// Overwrites the 31st page of the file with garbage; the file's new bytes.
fn damage_a_page(path: &std::path::Path) -> Vec<u8> {
    let mut data = bytes(path);
    let page = 4096;
    assert!(data.len() > page * 40);
    for b in &mut data[page * 30..page * 31] {
        *b = 0xA5;
    }
    std::fs::write(path, &data).unwrap();
    data
}

#[test]
fn a_database_with_a_damaged_page_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path());
    let data = damage_a_page(&path);
    let e = Store::open(&path).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::DbCorrupt, "{e}");
    assert_eq!(bytes(&path), data);
}

/// The desktop app opens without the page check and runs it after the window is up: reads
/// start at once, but no write reaches a damaged file, and the check's verdict stays.
#[test]
fn a_page_check_put_off_still_comes_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_file(dir.path());
    let later = OpenOptions {
        check_later: true,
        ..Default::default()
    };
    let rename = |store: &Store| {
        store.write(|c| {
            c.execute("UPDATE township SET name = '改名镇' WHERE id = 1", [])?;
            Ok(())
        })
    };
    // A sound file: open, read, and the first write runs the check and goes through.
    {
        let store = Store::open_with(&path, later.clone()).unwrap();
        let n: i64 = store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM households", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(n, 2000);
        rename(&store).unwrap();
        store.finish_check().unwrap();
    }
    // A damaged page: the open takes it (the check is put off), the check and every write
    // after it refuse, and the file is as it was.
    let data = damage_a_page(&path);
    let store = Store::open_with(&path, later).unwrap();
    let e = store
        .finish_check()
        .expect_err("the check finds the damage");
    assert_eq!(e.code(), ErrorCode::DbCorrupt, "{e}");
    let e = rename(&store).expect_err("no write after a failed check");
    assert_eq!(e.code(), ErrorCode::DbCorrupt, "{e}");
    drop(store);
    assert_eq!(bytes(&path), data);
    // A write before the background check got to it runs the check itself.
    let store = Store::open_with(
        &path,
        OpenOptions {
            check_later: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        rename(&store).err().map(|e| e.code()),
        Some(ErrorCode::DbCorrupt)
    );
    drop(store);
    assert_eq!(bytes(&path), data);
}

#[test]
fn another_programs_sqlite_file_is_not_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');")
            .unwrap();
    }
    let before = bytes(&path);
    assert_eq!(
        Store::open(&path).err().unwrap().code(),
        ErrorCode::DbForeign
    );
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_read_only_file_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minqing.db");
    drop(Store::open(&path).unwrap());
    let mut perm = std::fs::metadata(&path).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&path, perm).unwrap();
    let e = Store::open(&path).err().expect("refused");
    assert_eq!(e.code(), ErrorCode::DbReadOnly);
    assert!(e.to_string().contains("只读"), "{e}");
}

#[test]
fn a_file_locked_by_another_program_is_reported_as_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minqing.db");
    drop(Store::open(&path).unwrap());
    let holder = Connection::open(&path).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE township SET name = '占用' WHERE id = 1;")
        .unwrap();
    let e = Store::open_with(
        &path,
        OpenOptions {
            busy_timeout: Duration::from_millis(200),
            ..Default::default()
        },
    )
    .err()
    .expect("refused");
    assert_eq!(e.code(), ErrorCode::DbLocked, "{e}");
    assert!(e.to_string().contains("其他程序占用"), "{e}");
    holder.execute_batch("ROLLBACK").unwrap();
}

/// Several windows opening one new file at the same moment. The races are narrow (one opener
/// switching the file to WAL while others read it, or committing the first migration between
/// another's reads), so the test runs many rounds: each opener must get a working store, never
/// "occupied by another program" nor "not our file".
#[test]
fn several_openers_at_once_migrate_exactly_once() {
    for round in 0..25 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("minqing.db");
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let p = path.clone();
                std::thread::spawn(move || Store::open(&p).map(|s| s.schema_version().unwrap()))
            })
            .collect();
        for h in handles {
            match h.join().unwrap() {
                Ok(v) => assert_eq!(v, SCHEMA_VERSION),
                Err(e) => panic!("round {round}: an opener was refused: {e:?}"),
            }
        }
        let store = Store::open(&path).unwrap();
        let tags: i64 = store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM tags", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(tags, 13, "default tags inserted once, not once per opener");
    }
}

#[test]
fn a_missing_folder_is_created_for_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("minqing.db");
    Store::open(&path).unwrap();
    assert!(path.exists());
}
