//! Backups: copies of the database through SQLite's online backup API, verified after writing,
//! named `minqing-<kind>-<YYYYMMDD-HHMMSS>.db` in `backups/` beside the database (or a folder
//! the user chooses). Automatic daily copies are kept as 7 daily + 4 weekly + 12 monthly;
//! manual ones and the copies made before an upgrade or a restore are never pruned.
//!
//! A copy is written to `<name>.partial`, checked (`integrity_check`, application id) and only
//! then renamed, so a backup that exists is a whole one. Restoring verifies the copy, backs up
//! the current database first, checkpoints and closes it, and renames a verified temporary copy
//! over it — the database file is either the old one or the restored one, never half of each.

use super::migrations::APPLICATION_ID;
use crate::error::{Error, Result};
use crate::Store;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OpenFlags, MAIN_DB};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Why a backup was made; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The first start of a day (pruned by the 7 + 4 + 12 rule).
    Daily,
    /// 「立即备份」 or `minqing backup create`.
    Manual,
    /// The current database, copied before a restore replaced it.
    BeforeRestore,
    /// Before a plan is recomputed (the newest 10 are kept).
    BeforeRecompute,
    /// Before a roster import writes (the newest 10 are kept).
    BeforeImport,
}

/// How many `before-recompute` (and `before-import`) copies are kept.
pub const KEEP_BEFORE_RECOMPUTE: usize = 10;

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Daily => "daily",
            Kind::Manual => "manual",
            Kind::BeforeRestore => "before-restore",
            Kind::BeforeRecompute => "before-recompute",
            Kind::BeforeImport => "before-import",
        }
    }
    fn label(tag: &str) -> &'static str {
        match tag {
            "daily" => "每日自动备份",
            "manual" => "手动备份",
            "before-restore" => "恢复前的备份",
            "before-recompute" => "重新计算排班前的备份",
            "before-import" => "导入前的备份",
            _ => "升级前的备份",
        }
    }
}

/// One verified backup file and what it holds.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub file_name: String,
    /// 每日自动备份 / 手动备份 / 恢复前的备份 / 升级前的备份.
    pub kind: String,
    /// When it was made, `YYYY-MM-DD HH:MM:SS` (from its name; the file time otherwise).
    pub created: String,
    pub bytes: u64,
    pub households: i64,
    pub requests: i64,
    pub visits: i64,
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::io(context, e)
}

/// Opens a backup read-only and checks it is a whole 民情通 database; counts what it holds.
pub fn verify(file: &Path) -> Result<BackupInfo> {
    if !file.is_file() {
        return Err(Error::NotFound(format!(
            "找不到备份文件“{}”，请检查路径是否正确。",
            file.display()
        )));
    }
    let meta =
        std::fs::metadata(file).map_err(io(format!("无法读取备份文件“{}”", file.display())))?;
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::DbOpen {
        path: file.to_path_buf(),
        detail: crate::error::sqlite_cause(&e),
    })?;
    let corrupt = |detail: String| Error::DbCorrupt {
        path: file.to_path_buf(),
        detail,
    };
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| corrupt(crate::error::sqlite_cause(&e)))?;
    if app_id != APPLICATION_ID {
        return Err(Error::DbForeign {
            path: file.to_path_buf(),
        });
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| corrupt(crate::error::sqlite_cause(&e)))?;
    if check != "ok" {
        return Err(corrupt(format!("完整性检查未通过：{check}")));
    }
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(|e| corrupt(crate::error::sqlite_cause(&e)))
    };
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tag, stamp) = parse_name(&file_name);
    let created = stamp
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .or_else(|| {
            meta.modified().ok().map(|m| {
                chrono::DateTime::<chrono::Local>::from(m)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
        })
        .unwrap_or_default();
    Ok(BackupInfo {
        path: file.to_path_buf(),
        kind: Kind::label(tag.as_deref().unwrap_or("")).to_string(),
        file_name,
        created,
        bytes: meta.len(),
        households: count("households")?,
        requests: count("requests")?,
        visits: count("visits")?,
    })
}

/// `minqing-<tag>-<YYYYMMDD-HHMMSS>[-n].db` → (tag, time).
fn parse_name(name: &str) -> (Option<String>, Option<NaiveDateTime>) {
    let Some(rest) = name
        .strip_prefix("minqing-")
        .and_then(|r| r.strip_suffix(".db"))
    else {
        return (None, None);
    };
    // The stamp is the 15 characters after the tag's last dash-separated part.
    for (i, _) in rest.match_indices('-') {
        let stamp = rest.get(i + 1..i + 16).unwrap_or("");
        if let Ok(t) = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S") {
            return (Some(rest[..i].to_string()), Some(t));
        }
    }
    (None, None)
}

/// Writes a verified copy of the store into `dir` (the database's `backups/` when `None`).
pub fn create(
    store: &Store,
    dir: Option<&Path>,
    kind: Kind,
    now: NaiveDateTime,
) -> Result<BackupInfo> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => crate::paths::backups_dir_for(
            store
                .path()
                .ok_or_else(|| Error::Internal("内存数据库不能备份".into()))?,
        ),
    };
    std::fs::create_dir_all(&dir).map_err(io(format!(
        "无法创建备份文件夹“{}”，请检查是否有写入权限",
        dir.display()
    )))?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut target = dir.join(format!("minqing-{}-{stamp}.db", kind.tag()));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!("minqing-{}-{stamp}-{n}.db", kind.tag()));
    }
    let partial = target.with_extension("db.partial");
    let _ = std::fs::remove_file(&partial);
    copy_into(store, &partial)?;
    finish(&partial, &target)
}

/// The name 「导出全部数据」 offers: `民情通全部数据_龙河镇_2026-11-30.db` (乡镇 while the township
/// has no name yet), made safe for Windows.
pub fn export_file_name(town: &str, today: NaiveDate) -> String {
    let town = if town.trim().is_empty() {
        "乡镇"
    } else {
        town.trim()
    };
    crate::paths::safe_file_name(&format!("民情通全部数据_{town}_{today}.db"))
}

/// 「导出全部数据」: the whole database as one verified, self-contained file at `target` (a
/// name the user chose), for moving to a new PC; 「导入全部数据」 is [`restore`] from it.
pub fn export_to(store: &Store, target: &Path) -> Result<BackupInfo> {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(format!(
            "无法创建文件夹“{}”，请检查是否有写入权限",
            dir.display()
        )))?;
    }
    if store.path().is_some_and(|db| db == target) {
        return Err(Error::invalid(
            "path",
            "不能导出到正在使用的数据库文件本身，请换一个位置或文件名。",
        ));
    }
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    copy_into(store, &partial)?;
    finish(&partial, target)
}

/// The online backup API's copy of the store at `partial`; nothing left behind when it fails
/// (a full disk, a U盘 pulled out).
fn copy_into(store: &Store, partial: &Path) -> Result<()> {
    let copied = store.read(|c| {
        c.backup(MAIN_DB, partial, None::<fn(rusqlite::backup::Progress)>)?;
        Ok(())
    });
    if copied.is_err() {
        let _ = std::fs::remove_file(partial);
    }
    copied
}

/// A copy of a WAL database is itself in WAL mode; a backup is one self-contained file.
fn standalone(file: &Path) -> Result<()> {
    let c = Connection::open(file)?;
    c.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    Ok(())
}

/// Makes a freshly written copy one self-contained file, verifies it (removing it when it is
/// not whole) and makes it durable — before it gets a name anything relies on.
fn seal(copy: &Path) -> Result<()> {
    if let Err(e) = standalone(copy).and_then(|_| verify(copy)) {
        let _ = std::fs::remove_file(copy);
        return Err(e);
    }
    // Write access: on Windows `sync_all` is FlushFileBuffers, which a read-only handle may
    // not call ("拒绝访问", system error 5) — every backup failed there, leaving the copy.
    let synced = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(copy)
        .and_then(|f| f.sync_all());
    if let Err(e) = synced {
        let _ = std::fs::remove_file(copy);
        return Err(Error::io(format!("无法写入“{}”", copy.display()), e));
    }
    Ok(())
}

/// Verifies a freshly written copy, makes it durable and gives it its final name.
fn finish(partial: &Path, target: &Path) -> Result<BackupInfo> {
    seal(partial)?;
    if let Err(e) = std::fs::rename(partial, target) {
        let _ = std::fs::remove_file(partial);
        return Err(Error::io(
            format!("无法保存备份文件“{}”", target.display()),
            e,
        ));
    }
    sync_dir(target);
    verify(target)
}

#[cfg(unix)]
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
#[cfg(not(unix))]
fn sync_dir(_: &Path) {}

/// The backups in `dir`, newest first. A file that is not a whole 民情通 database is listed
/// nowhere (it cannot be restored); `minqing backup verify` says what is wrong with it.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => {
            return Err(Error::io(
                format!("无法读取备份文件夹“{}”", dir.display()),
                e,
            ))
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|x| x == "db") {
            if let Ok(info) = verify(&p) {
                out.push(info);
            }
        }
    }
    out.sort_by(|a, b| {
        b.created
            .cmp(&a.created)
            .then(b.file_name.cmp(&a.file_name))
    });
    Ok(out)
}

/// Which of the automatic daily backups (by date) the 7 daily + 4 weekly + 12 monthly rule
/// keeps: the newest of each of the 7 newest days, of the 4 newest ISO weeks and of the 12
/// newest months.
pub fn keep_by_rule(dates: &[NaiveDateTime]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..dates.len()).collect();
    order.sort_by(|a, b| dates[*b].cmp(&dates[*a]));
    let mut keep = vec![false; dates.len()];
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut weeks: Vec<(i32, u32)> = Vec::new();
    let mut months: Vec<(i32, u32)> = Vec::new();
    for i in order {
        let d = dates[i].date();
        let w = (d.iso_week().year(), d.iso_week().week());
        let m = (d.year(), d.month());
        if !days.contains(&d) && days.len() < 7 {
            days.push(d);
            keep[i] = true;
        }
        if !weeks.contains(&w) && weeks.len() < 4 {
            weeks.push(w);
            keep[i] = true;
        }
        if !months.contains(&m) && months.len() < 12 {
            months.push(m);
            keep[i] = true;
        }
    }
    keep
}

/// Deletes the automatic daily backups in `dir` that the 7 + 4 + 12 rule does not keep, and
/// all but the newest 10 copies made before recomputing a plan. Returns the files removed.
pub fn prune(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut daily: Vec<(PathBuf, NaiveDateTime)> = Vec::new();
    let mut recompute: Vec<(PathBuf, NaiveDateTime)> = Vec::new();
    let mut import: Vec<(PathBuf, NaiveDateTime)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let p = entry.path();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let (Some(tag), Some(t)) = parse_name(&name) {
                if tag == Kind::Daily.tag() {
                    daily.push((p, t));
                } else if tag == Kind::BeforeRecompute.tag() {
                    recompute.push((p, t));
                } else if tag == Kind::BeforeImport.tag() {
                    import.push((p, t));
                }
            }
        }
    }
    let mut keep = keep_by_rule(&daily.iter().map(|(_, t)| *t).collect::<Vec<_>>());
    for mut copies in [recompute, import] {
        // Newest first by time, then by name (copies made in the same second are numbered).
        copies.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| natural(&b.0).cmp(&natural(&a.0)))
        });
        keep.extend((0..copies.len()).map(|i| i < KEEP_BEFORE_RECOMPUTE));
        daily.extend(copies);
    }
    let mut removed = Vec::new();
    for ((p, _), k) in daily.into_iter().zip(keep) {
        if !k {
            std::fs::remove_file(&p).map_err(io(format!("无法删除过期备份“{}”", p.display())))?;
            removed.push(p);
        }
    }
    Ok(removed)
}

/// `…-20261129-083000-12.db` sorts after `…-2.db`.
fn natural(p: &Path) -> (usize, String) {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name.len(), name)
}

/// Before a plan is recomputed: a copy, then pruning. Nothing for an in-memory store.
pub fn before_recompute(store: &Store, now: NaiveDateTime) -> Result<Option<BackupInfo>> {
    before_change(store, Kind::BeforeRecompute, now)
}

/// A copy before an import writes (花名册, 干部名单, returned task sheets; the newest 10 are kept).
pub fn before_import(store: &Store, now: NaiveDateTime) -> Result<Option<BackupInfo>> {
    before_change(store, Kind::BeforeImport, now)
}

fn before_change(store: &Store, kind: Kind, now: NaiveDateTime) -> Result<Option<BackupInfo>> {
    let Some(db) = store.path() else {
        return Ok(None);
    };
    let dir = crate::paths::backups_dir_for(db);
    let info = create(store, Some(&dir), kind, now)?;
    prune(&dir)?;
    Ok(Some(info))
}

/// The first start of a day: a daily backup unless one was made today, then pruning.
pub fn daily(store: &Store, now: NaiveDateTime) -> Result<Option<BackupInfo>> {
    let Some(db) = store.path() else {
        return Ok(None);
    };
    let dir = crate::paths::backups_dir_for(db);
    let today = now.date();
    let done_today = std::fs::read_dir(&dir).ok().is_some_and(|entries| {
        entries.flatten().any(|e| {
            matches!(parse_name(&e.file_name().to_string_lossy()), (Some(tag), Some(t)) if tag == Kind::Daily.tag() && t.date() == today)
        })
    });
    if done_today {
        return Ok(None);
    }
    let info = create(store, Some(&dir), Kind::Daily, now)?;
    prune(&dir)?;
    Ok(Some(info))
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    pub restored: BackupInfo,
    /// The copy of the database as it was just before the restore.
    pub previous: BackupInfo,
}

/// Replaces the database at `db` with the backup `file`. Nothing else may have the database
/// open. The current database is backed up first (`before-restore`); the backup is verified,
/// copied beside the database, made durable and renamed over it.
pub fn restore(db: &Path, file: &Path, now: NaiveDateTime) -> Result<Restored> {
    let restored = verify(file)?;
    let store = Store::open(db)?;
    let previous = create(&store, None, Kind::BeforeRestore, now)?;
    // Fold the WAL into the file and close: no stale WAL may meet the restored file.
    store.read(|c| {
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    })?;
    drop(store);
    let incoming = copy_beside(db, file)?;
    for side in ["db-wal", "db-shm"] {
        let p = db.with_extension(side);
        if p.exists() {
            std::fs::remove_file(&p).map_err(io(format!(
                "无法移除“{}”，请关闭正在使用数据库的程序后重试",
                p.display()
            )))?;
        }
    }
    std::fs::rename(&incoming, db).map_err(io(format!(
        "无法替换数据库文件“{}”，请关闭正在使用它的程序后重试",
        db.display()
    )))?;
    sync_dir(db);
    Ok(Restored { restored, previous })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_export_name_carries_the_township_and_the_day_and_suits_windows() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(
            super::export_file_name("龙河镇", day),
            "民情通全部数据_龙河镇_2026-11-30.db"
        );
        assert_eq!(
            super::export_file_name("  ", day),
            "民情通全部数据_乡镇_2026-11-30.db"
        );
        assert_eq!(
            super::export_file_name("龙河/新区", day),
            "民情通全部数据_龙河＿新区_2026-11-30.db"
        );
    }

    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_give_back_their_kind_and_time() {
        assert_eq!(
            parse_name("minqing-daily-20261129-083000.db"),
            (Some("daily".into()), Some(t("2026-11-29 08:30")))
        );
        assert_eq!(
            parse_name("minqing-before-restore-20261129-083000-2.db"),
            (Some("before-restore".into()), Some(t("2026-11-29 08:30")))
        );
        assert_eq!(parse_name("minqing.db"), (None, None));
    }

    #[test]
    fn a_year_of_daily_backups_keeps_7_days_4_weeks_and_12_months() {
        let start = t("2025-12-01 08:00");
        let dates: Vec<NaiveDateTime> = (0..365)
            .map(|i| start + chrono::Duration::days(i))
            .collect();
        let keep = keep_by_rule(&dates);
        let kept: Vec<NaiveDateTime> = dates
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(d, _)| *d)
            .collect();
        let newest = dates[364];
        // The last 7 days are all there.
        for i in 0..7 {
            assert!(kept.contains(&(newest - chrono::Duration::days(i))));
        }
        // 12 distinct months, nothing older than a year.
        let mut months: Vec<(i32, u32)> = kept.iter().map(|d| (d.year(), d.month())).collect();
        months.dedup();
        assert_eq!(months.len(), 12);
        assert!(kept.len() <= 7 + 4 + 12, "{}", kept.len());
        assert!(kept.len() >= 12 + 3);
    }
}

/// A backup copied beside the database as `<db>.restoring`, verified and fsynced — ready to
/// be renamed over it (restore and recovery).
fn copy_beside(db: &Path, backup: &Path) -> Result<PathBuf> {
    let incoming = db.with_extension("db.restoring");
    let _ = std::fs::remove_file(&incoming);
    {
        let src = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        src.backup(MAIN_DB, &incoming, None::<fn(rusqlite::backup::Progress)>)?;
    }
    seal(&incoming)?;
    Ok(incoming)
}

/// What a recovery from a backup did: the copy now in use and where the damaged file was put.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Recovered {
    pub restored: BackupInfo,
    /// The damaged database, renamed and otherwise untouched (its -wal/-shm beside it).
    #[ts(type = "string")]
    pub kept_aside: PathBuf,
}

/// A database that does not open because it is damaged: it is set aside untouched (renamed,
/// with its -wal and -shm), and the newest backup that passes its check — or the one given —
/// takes its place. A database that opens, or fails for another reason (read-only, locked,
/// newer), is refused: those are not fixed by a backup.
pub fn recover(db: &Path, backup: Option<&Path>, now: NaiveDateTime) -> Result<Recovered> {
    match Store::open(db) {
        Ok(_) => {
            return Err(Error::Conflict(
                "数据库文件是完好的，不需要从备份恢复。如果要回到某个备份，请在“设置 → 数据与关于”中恢复。".into(),
            ))
        }
        Err(Error::DbCorrupt { .. }) => {}
        Err(e) => return Err(e),
    }
    let restored = match backup {
        Some(f) => verify(f)?,
        None => list(&crate::paths::backups_dir_for(db))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                Error::NotFound(
                    "备份文件夹中没有可用的备份，无法自动恢复。请把损坏的数据文件交给技术人员处理，不要删除它。".into(),
                )
            })?,
    };
    // The copy is made and checked before anything is moved: a failure leaves all as it was.
    let incoming = copy_beside(db, &restored.path)?;
    let aside = db.with_extension(format!("db.damaged-{}", now.format("%Y%m%d-%H%M%S")));
    let moves = [
        (db.to_path_buf(), aside.clone()),
        (
            db.with_extension("db-wal"),
            PathBuf::from(format!("{}-wal", aside.display())),
        ),
        (
            db.with_extension("db-shm"),
            PathBuf::from(format!("{}-shm", aside.display())),
        ),
    ];
    for (from, to) in &moves {
        if from.exists() {
            std::fs::rename(from, to).map_err(io(format!(
                "无法把损坏的文件“{}”移到一边，请关闭正在使用它的程序后重试",
                from.display()
            )))?;
        }
    }
    std::fs::rename(&incoming, db).map_err(io(format!(
        "无法把备份放到“{}”，请关闭正在使用它的程序后重试",
        db.display()
    )))?;
    sync_dir(db);
    Ok(Recovered {
        restored,
        kept_aside: aside,
    })
}
