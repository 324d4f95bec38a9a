//! Numbered schema migrations, embedded in the binary. `PRAGMA user_version` says which have
//! run. Each step runs inside a SAVEPOINT of one `BEGIN IMMEDIATE` transaction, so several
//! processes opening the same file at once serialise and a failed step leaves the file as it
//! was. A copy of the database is taken before any upgrade of an existing file.

use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior, MAIN_DB};
use std::path::{Path, PathBuf};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration in order; `MIGRATIONS[i].version == i + 1`. Append only: never edit a
/// migration that has shipped.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "register",
        sql: include_str!("migrations/0001_register.sql"),
    },
    Migration {
        version: 2,
        name: "calendar",
        sql: include_str!("migrations/0002_calendar.sql"),
    },
    Migration {
        version: 3,
        name: "diary_requests",
        sql: include_str!("migrations/0003_diary_requests.sql"),
    },
    Migration {
        version: 4,
        name: "projects",
        sql: include_str!("migrations/0004_projects.sql"),
    },
    Migration {
        version: 5,
        name: "plans",
        sql: include_str!("migrations/0005_plans.sql"),
    },
    Migration {
        version: 6,
        name: "imports",
        sql: include_str!("migrations/0006_imports.sql"),
    },
    Migration {
        version: 7,
        name: "audit",
        sql: include_str!("migrations/0007_audit.sql"),
    },
    Migration {
        version: 8,
        name: "import_kinds",
        sql: include_str!("migrations/0008_import_kinds.sql"),
    },
    Migration {
        version: 9,
        name: "cases",
        sql: include_str!("migrations/0009_cases.sql"),
    },
    Migration {
        version: 10,
        name: "bulletins",
        sql: include_str!("migrations/0010_bulletins.sql"),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a 民情通 database ("MQT1"), so another program's SQLite file is
/// recognised and refused instead of being "upgraded".
pub const APPLICATION_ID: i64 = 0x4D51_5431;

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database to `target` (≤ [`SCHEMA_VERSION`]). Returns the version found before.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let from = user_version(&tx)?;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > from && m.version <= target)
    {
        let sp_name = format!("migration_{}", m.version);
        tx.execute_batch(&format!("SAVEPOINT {sp_name}"))?;
        let step = tx
            .execute_batch(m.sql)
            .and_then(|_| tx.execute_batch(&format!("PRAGMA user_version = {}", m.version)));
        if let Err(e) = step {
            let _ = tx.execute_batch(&format!("ROLLBACK TO {sp_name}"));
            return Err(Error::Internal(format!(
                "数据库升级第 {} 步（{}）失败：{e}",
                m.version, m.name
            )));
        }
        tx.execute_batch(&format!("RELEASE {sp_name}"))?;
    }
    if from == 0 {
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
    }
    tx.commit()?;
    Ok(from)
}

/// Copies the database through SQLite's online backup API before an upgrade. The copy sits in
/// `backups/` beside the database and is named for the versions and the time.
pub fn backup_before_upgrade(conn: &Connection, db_path: &Path, from: i64) -> Result<PathBuf> {
    let dir = crate::paths::backups_dir_for(db_path);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("无法创建备份文件夹“{}”", dir.display()), e))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut target = dir.join(format!(
        "before-upgrade-v{from}-to-v{SCHEMA_VERSION}-{stamp}.db"
    ));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!(
            "before-upgrade-v{from}-to-v{SCHEMA_VERSION}-{stamp}-{n}.db"
        ));
    }
    conn.backup(MAIN_DB, &target, None::<fn(rusqlite::backup::Progress)>)?;
    Ok(target)
}
