//! The store: one SQLite file, one write connection behind a mutex, two read connections for
//! lists and statistics (WAL lets reads run beside a write, and the 工作台's queries beside
//! each other).
//!
//! Opening is careful about files it did not expect: a damaged, foreign, newer, read-only or
//! locked file is refused with its own error *before* anything is written to it. The desktop
//! app may put the page check off the start ([`OpenOptions::check_later`]): then the first
//! write waits for it, so nothing is still written to a damaged file.

pub mod audit_hooks;
pub mod backup;
pub mod migrations;
pub mod settings;

use crate::error::{Error, Result};
use audit_hooks::{AuditContext, Level};
use migrations::{user_version, APPLICATION_ID, SCHEMA_VERSION};
use rusqlite::{ffi::ErrorCode, Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;
use ts_rs::TS;

#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// How long to wait for another program's lock before giving up with
    /// [`Error::DbLocked`].
    pub busy_timeout: Duration,
    /// Check the file's pages (`PRAGMA quick_check`, 180 ms on 100,000 households) after the
    /// open instead of during it, when the file needs no upgrade: reads start at once, the
    /// first write runs the check if [`Store::finish_check`] has not yet. The desktop app sets
    /// it and calls `finish_check` in the background; the CLI checks before anything.
    pub check_later: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            busy_timeout: Duration::from_secs(5),
            check_later: false,
        }
    }
}

/// Whether the file's pages were checked, and what the check found.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    Pending,
    Sound,
    Damaged(String),
}

/// Read connections a file store keeps.
const READERS: usize = 2;

pub struct Store {
    path: Option<PathBuf>,
    /// Empty for in-memory stores, which read through the writer. Declared before `writer`
    /// so they close first: the writer, closing last, checkpoints the WAL into the file.
    readers: Vec<Mutex<Connection>>,
    writer: Mutex<Connection>,
    /// The page check: done at open, or still to do before the first write.
    verdict: Mutex<Verdict>,
    /// Set when this open upgraded an existing file: the copy taken before.
    upgrade_backup: Option<PathBuf>,
    /// Who is working and how much the audit triggers record (`crate::audit`).
    audit: Arc<AuditContext>,
    /// Write transactions of this store that have ended ([`Store::writes`]).
    writes: AtomicU64,
}

/// Pragmas every connection gets. `synchronous=FULL`: a saved record survives a power cut.
fn apply_pragmas(conn: &Connection, busy: Duration) -> rusqlite::Result<()> {
    conn.busy_timeout(busy)?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
    )?;
    Ok(())
}

/// Switches the file to WAL and returns the journal mode it ends in. Switching needs the file to
/// itself, and SQLite answers "busy" at once rather than waiting through the busy handler while
/// other connections (another window opening the same new file) read it, so this waits here,
/// within the same busy timeout. A file already in WAL returns at once.
fn enable_wal(conn: &Connection, busy: Duration) -> rusqlite::Result<String> {
    let start = std::time::Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == ErrorCode::DatabaseBusy && start.elapsed() < busy =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// `PRAGMA quick_check(1)`: `Ok(Err(what))` when a page is damaged.
fn quick_check(conn: &Connection) -> rusqlite::Result<std::result::Result<(), String>> {
    let found: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    Ok(if found == "ok" { Ok(()) } else { Err(found) })
}

/// Statistics for the query planner: a bounded ANALYZE the first time (`PRAGMA optimize` skips
/// tables that were never analysed), `PRAGMA optimize` afterwards.
fn refresh_statistics(conn: &Connection) -> rusqlite::Result<()> {
    let analysed: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'sqlite_stat1'",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch(if analysed {
        "PRAGMA analysis_limit = 1000; PRAGMA optimize;"
    } else {
        "PRAGMA analysis_limit = 1000; ANALYZE;"
    })
}

/// Translates SQLite's failure codes about the file itself into errors a user can act on.
fn file_error(path: &Path, e: rusqlite::Error) -> Error {
    // SQLite's own text is English: the user reads a Chinese cause.
    if let rusqlite::Error::SqliteFailure(f, _) = e {
        let path = path.to_path_buf();
        return match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::DbLocked { path },
            ErrorCode::NotADatabase => Error::DbCorrupt {
                path,
                detail: "文件头不是 SQLite 数据库格式".into(),
            },
            ErrorCode::DatabaseCorrupt => Error::DbCorrupt {
                path,
                detail: "数据页损坏".into(),
            },
            ErrorCode::ReadOnly => why_read_only(&path),
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied if held_open(&path) => {
                Error::DbLocked { path }
            }
            ErrorCode::CannotOpen | ErrorCode::PermissionDenied => Error::DbOpen {
                path,
                detail: "文件夹不存在、没有访问权限，或文件名不合法".into(),
            },
            _ => Error::Sqlite(e),
        };
    }
    Error::Sqlite(e)
}

/// Whether another program holds the file so that nobody else may write it: Windows'
/// sharing rules (Excel, WPS, a backup tool or a second copy of SQLite without sharing). SQLite
/// then opens it read-only, or not at all, and the honest message is "占用", not "只读".
fn held_open(path: &Path) -> bool {
    cfg!(windows)
        && std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .err()
            .and_then(|e| e.raw_os_error())
            .is_some_and(|c| c == 32 || c == 33)
}

/// A file SQLite could only open read-only: held by another program, or really read-only.
fn why_read_only(path: &Path) -> Error {
    if held_open(path) {
        Error::DbLocked { path: path.into() }
    } else {
        Error::DbReadOnly { path: path.into() }
    }
}

/// A statement journal (the pages one statement changed inside a larger transaction, kept so
/// that statement alone can be undone) stays in memory up to this size. SQLite's default, 64
/// KiB, is 16 pages: one household inserted with its indexes and audit trigger touches a few
/// more, so every such statement wrote its journal to a temporary file and threw it away —
/// 2 million writes for `minqing demo --households 100000`, a third of its time. It is not
/// needed to survive a crash (the WAL does that), only to undo a failed statement.
const STATEMENT_JOURNAL_IN_MEMORY: i32 = 1 << 20;

/// Process-wide SQLite settings, set once before the first connection opens; if SQLite was
/// already started by other code it keeps its defaults (the calls are refused, harmlessly).
///
/// - No allocation statistics: they take a lock on every allocation and free, and a bulk
///   import or a 100,000-row export makes millions of them (about 0.1 s per 100,000 imported
///   rows once the import's reading thread runs, and a third of the ledger export's time).
///   SQLite keeps the C library's allocator: on mimalloc the ledger export's peak memory grew
///   by 32 MB, past its goal.
/// - Statement journals in memory up to [`STATEMENT_JOURNAL_IN_MEMORY`].
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: before any connection of this process (Once, first thing of every open).
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            );
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_STMTJRNL_SPILL,
                STATEMENT_JOURNAL_IN_MEMORY as std::os::raw::c_int,
            );
        }
    });
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, OpenOptions::default())
    }

    pub fn open_with(path: &Path, opts: OpenOptions) -> Result<Store> {
        configure_sqlite();
        let fe = |e| file_error(path, e);
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().readonly() => {
                return Err(Error::DbReadOnly { path: path.into() });
            }
            Ok(meta) if meta.is_dir() => {
                return Err(Error::DbOpen {
                    path: path.into(),
                    detail: "这是一个文件夹，不是数据文件".into(),
                });
            }
            Ok(_) => {}
            Err(_) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| Error::DbOpen {
                        path: path.into(),
                        detail: format!(
                            "无法创建文件夹“{}”：{}",
                            dir.display(),
                            crate::error::io_cause(&e)
                        ),
                    })?;
                }
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(fe)?;
        conn.busy_timeout(opts.busy_timeout).map_err(fe)?;
        if conn.is_readonly(rusqlite::MAIN_DB).map_err(fe)? {
            return Err(why_read_only(path));
        }

        // One statement, so one snapshot: read apart, another opener's first migration could
        // commit between the version (0) and the count of objects (many), and a new database
        // would look like another program's.
        let (version, app_id, objects): (i64, i64, i64) = conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), \
                        (SELECT application_id FROM pragma_application_id), \
                        (SELECT count(*) FROM sqlite_schema)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(fe)?;
        if (version > 0 && app_id != APPLICATION_ID) || (version == 0 && objects > 0) {
            return Err(Error::DbForeign { path: path.into() });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::DbTooNew {
                path: path.into(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        // Look before touching: nothing below writes until the file's pages are known sound.
        // A file that needs no upgrade may be looked at later (`check_later`): nothing here
        // writes to it then, and the first write waits for the check.
        let later = opts.check_later && version == SCHEMA_VERSION;
        if !later {
            quick_check(&conn)
                .map_err(fe)?
                .map_err(|detail| Error::DbCorrupt {
                    path: path.into(),
                    detail,
                })?;
        }

        let mode = enable_wal(&conn, opts.busy_timeout).map_err(fe)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::DbOpen {
                path: path.into(),
                detail: format!("无法启用 WAL 日志模式（{mode}）"),
            });
        }
        apply_pragmas(&conn, opts.busy_timeout).map_err(fe)?;
        let audit = Arc::new(AuditContext::default());
        audit_hooks::register_functions(&conn, audit.clone()).map_err(fe)?;

        let mut upgrade_backup = None;
        if version < SCHEMA_VERSION {
            if version > 0 {
                upgrade_backup = Some(migrations::backup_before_upgrade(&conn, path, version)?);
            }
            migrations::migrate_to(&mut conn, SCHEMA_VERSION).map_err(|e| match e {
                Error::Sqlite(s) => fe(s),
                other => other,
            })?;
        }

        // Fresh statistics for the query planner (cheap: analysis_limit bounds the work).
        // Without them SQLite sorts 40,000 overdue requests instead of walking the index
        // newest first. They are written, so they follow the check.
        if !later {
            refresh_statistics(&conn).map_err(fe)?;
        }

        let readers = (0..READERS)
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                apply_pragmas(&reader, opts.busy_timeout)?;
                // A list page or a statistic reads a few thousand pages; 16 MB each keeps
                // the app small (the writer keeps 64 MB for imports and reports).
                reader.execute_batch("PRAGMA cache_size = -16384;")?;
                Ok(Mutex::new(reader))
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(fe)?;

        Ok(Store {
            path: Some(path.to_path_buf()),
            writer: Mutex::new(conn),
            readers,
            verdict: Mutex::new(if later {
                Verdict::Pending
            } else {
                Verdict::Sound
            }),
            upgrade_backup,
            audit,
            writes: AtomicU64::new(0),
        })
    }

    /// A fresh, fully migrated database in memory — for tests and CI.
    pub fn open_in_memory() -> Result<Store> {
        configure_sqlite();
        let mut conn = Connection::open_in_memory()?;
        apply_pragmas(&conn, Duration::from_secs(5))?;
        let audit = Arc::new(AuditContext::default());
        audit_hooks::register_functions(&conn, audit.clone())?;
        migrations::migrate_to(&mut conn, SCHEMA_VERSION)?;
        Ok(Store {
            path: None,
            writer: Mutex::new(conn),
            readers: Vec::new(),
            verdict: Mutex::new(Verdict::Sound),
            upgrade_backup: None,
            audit,
            writes: AtomicU64::new(0),
        })
    }

    /// Runs the page check an open with [`OpenOptions::check_later`] put off (and the
    /// planner's statistics after it), once; `Err(DbCorrupt)` when the file is damaged, on
    /// this call and on every write after it. Done at open otherwise: then it returns at once.
    pub fn finish_check(&self) -> Result<()> {
        let mut verdict = self.verdict.lock().unwrap_or_else(|p| p.into_inner());
        if *verdict == Verdict::Pending {
            let conn = Self::lock(&self.writer);
            // On a connection of its own, closed after: the check reads every page, and the
            // writer would keep them all in its cache for nothing. (Only a file is ever left
            // pending: an in-memory store is sound from the start.)
            let path = self.path.as_deref().unwrap_or(Path::new(":memory:"));
            let found = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .and_then(|c| quick_check(&c))
            .map_err(|e| self.map_err(e.into()))?;
            *verdict = match found {
                Ok(()) => {
                    refresh_statistics(&conn).map_err(|e| self.map_err(e.into()))?;
                    Verdict::Sound
                }
                Err(detail) => Verdict::Damaged(detail),
            };
        }
        match &*verdict {
            Verdict::Damaged(detail) => Err(Error::DbCorrupt {
                path: self.path.clone().unwrap_or_default(),
                detail: detail.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Refreshes the planner's statistics after bulk changes (demo, import).
    pub fn optimize(&self) -> Result<()> {
        self.finish_check()?;
        let conn = Self::lock(&self.writer);
        conn.execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
        Ok(())
    }

    /// Who is working (chosen at start): every change is recorded under this name.
    /// See [`crate::audit::choose_operator`], which also remembers the name.
    pub fn set_operator(&self, name: Option<String>) {
        self.audit.set_operator(name);
    }

    pub fn operator(&self) -> Option<String> {
        self.audit.operator()
    }

    /// Runs `f` with the audit triggers recording only `level` (a bulk import, the demo), and
    /// restores the level afterwards, also when `f` fails or panics.
    pub fn with_audit_level<T>(&self, level: Level, f: impl FnOnce() -> T) -> T {
        struct Restore<'a>(&'a AuditContext, u8);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.0.restore_level(self.1);
            }
        }
        let _restore = Restore(&self.audit, self.audit.swap_level(level));
        f()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The copy taken before this open upgraded the file, if it did.
    pub fn upgrade_backup(&self) -> Option<&Path> {
        self.upgrade_backup.as_deref()
    }

    fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock dropped its transaction (rolled back); the connection
        // itself is still sound.
        m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn map_err(&self, e: Error) -> Error {
        match (e, &self.path) {
            (Error::Sqlite(s), Some(p)) => file_error(p, s),
            (e, _) => e,
        }
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is saved, or none of it.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.finish_check()?;
        let mut conn = Self::lock(&self.writer);
        let run = || -> Result<T> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        let out = run().map_err(|e| self.map_err(e));
        self.writes.fetch_add(1, Ordering::SeqCst);
        out
    }

    /// Like [`Store::write`], but `f` decides whether its transaction is committed (`true`) or
    /// rolled back (`false`): a dry run, or an import that found problems, writes nothing.
    pub fn write_if<T>(&self, f: impl FnOnce(&Transaction) -> Result<(T, bool)>) -> Result<T> {
        self.finish_check()?;
        let mut conn = Self::lock(&self.writer);
        let run = || -> Result<T> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (out, commit) = f(&tx)?;
            if commit {
                tx.commit()?;
            } else {
                tx.rollback()?;
            }
            Ok(out)
        };
        let out = run().map_err(|e| self.map_err(e));
        self.writes.fetch_add(1, Ordering::SeqCst);
        out
    }

    /// How many write transactions of this store have ended (committed or not). Counted after
    /// the commit: a figure read after this count was taken and still the same when it is used
    /// saw every write of this store. Other programs writing the same file (the CLI beside the
    /// app) are not counted.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// Runs `f` on a read connection: it sees every committed write, never a half-done one.
    /// A free connection is taken, so two reads (the 工作台's figures, a list page) run at
    /// once; when both are busy, the call waits for one.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.reader();
        f(&conn).map_err(|e| self.map_err(e))
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        if self.readers.is_empty() {
            return Self::lock(&self.writer);
        }
        for r in &self.readers {
            match r.try_lock() {
                Ok(conn) => return conn,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let i = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.readers.len();
        Self::lock(&self.readers[i])
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.read(user_version)
    }

    /// `minqing check`: full integrity check, foreign keys, schema version.
    pub fn check(&self) -> Result<CheckReport> {
        self.read(|c| {
            let mut integrity = Vec::new();
            let mut stmt = c.prepare("PRAGMA integrity_check")?;
            for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
                let row = row?;
                if row != "ok" {
                    integrity.push(row);
                }
            }
            let mut foreign_keys = Vec::new();
            let mut stmt = c.prepare("PRAGMA foreign_key_check")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                foreign_keys.push(format!(
                    "表 {table} 第 {} 行引用的 {parent} 记录不存在",
                    rowid.unwrap_or(0)
                ));
            }
            let schema_version = user_version(c)?;
            Ok(CheckReport {
                ok: integrity.is_empty()
                    && foreign_keys.is_empty()
                    && schema_version == SCHEMA_VERSION,
                schema_version,
                supported_version: SCHEMA_VERSION,
                integrity,
                foreign_keys,
            })
        })
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub ok: bool,
    pub schema_version: i64,
    pub supported_version: i64,
    /// Lines of `PRAGMA integrity_check` other than "ok".
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
}

/// Placeholders `?,?,?` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}
