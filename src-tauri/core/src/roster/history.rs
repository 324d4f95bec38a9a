//! The import log (file, time, counts) and the mappings remembered by header signature, so
//! next month's file from the same village maps itself.

use super::detect::ColumnMap;
use super::fields::ImportKind;
use super::run::{ImportMode, ImportReport};
use crate::error::Result;
use crate::Store;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportRecord {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub sheet: String,
    pub mode: ImportMode,
    pub imported_at: String,
    pub rows: i64,
    pub imported: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub problem_rows: i64,
    pub new_villages: i64,
    pub new_groups: i64,
}

pub(crate) fn record(
    tx: &Connection,
    r: &ImportReport,
    mode: ImportMode,
    created: bool,
    now: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO import_history (kind, file_name, sheet, mode, imported_at, rows, imported, updated,
             unchanged, skipped, problem_rows, new_villages, new_groups)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            r.kind.as_str(),
            r.file,
            r.sheet,
            match mode {
                ImportMode::Add => "add",
                ImportMode::Upsert => "upsert",
            },
            now,
            r.rows,
            r.imported,
            r.updated,
            r.unchanged,
            r.skipped,
            r.problem_rows,
            if created { r.new_villages.len() as i64 } else { 0 },
            if created { r.new_groups.len() as i64 } else { 0 },
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn list_history(store: &Store, limit: u32) -> Result<Vec<ImportRecord>> {
    store.read(|c| {
        let mut st = c.prepare(
            "SELECT id, kind, file_name, sheet, mode, imported_at, rows, imported, updated, unchanged,
                    skipped, problem_rows, new_villages, new_groups
             FROM import_history ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = st
            .query_map([limit], |r| {
                Ok(ImportRecord {
                    id: r.get(0)?,
                    kind: match r.get::<_, String>(1)?.as_str() {
                        "cadres" => ImportKind::Cadres,
                        "requests" => ImportKind::Requests,
                        "diary" => ImportKind::Diary,
                        _ => ImportKind::Households,
                    },
                    file_name: r.get(2)?,
                    sheet: r.get(3)?,
                    mode: if r.get::<_, String>(4)? == "upsert" { ImportMode::Upsert } else { ImportMode::Add },
                    imported_at: r.get(5)?,
                    rows: r.get(6)?,
                    imported: r.get(7)?,
                    updated: r.get(8)?,
                    unchanged: r.get(9)?,
                    skipped: r.get(10)?,
                    problem_rows: r.get(11)?,
                    new_villages: r.get(12)?,
                    new_groups: r.get(13)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })
}

pub(crate) fn save_mapping(
    tx: &Connection,
    kind: ImportKind,
    signature: &str,
    mapping: &[ColumnMap],
    now: &str,
) -> Result<()> {
    let json = serde_json::to_string(mapping).map_err(|e| crate::Error::Internal(e.to_string()))?;
    tx.execute(
        "INSERT INTO import_mappings (signature, kind, mapping, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        params![signature, kind.as_str(), json, now],
    )?;
    Ok(())
}

pub(crate) fn remembered_mapping(store: &Store, signature: &str) -> Result<Option<Vec<ColumnMap>>> {
    store.read(|c| {
        let json: Option<String> = c
            .query_row(
                "SELECT mapping FROM import_mappings WHERE signature = ?1",
                [signature],
                |r| r.get(0),
            )
            .optional()?;
        // A mapping that no longer parses (an older app's) is simply not used.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    })
}
