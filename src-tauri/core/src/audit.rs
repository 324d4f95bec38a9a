//! 操作记录 (audit trail): every change to households, cadres, requests and plans, with the
//! operator chosen at start, the time, the field and its old and new value.
//!
//! Scalar fields are recorded by triggers (`db/migrations/0007_audit.sql`), in the same
//! transaction as the change: a rolled-back change leaves no line, and no code path can change
//! a household without its line. The triggers ask the write connection two functions this
//! module registers — `mq_operator()` and `mq_audit_level()` — so the operator travels with
//! the store, not with every call. Relation sets (a household's tags and paired cadre, a
//! cadre's 挂钩村 and 结对户, a cycle's villages) are compared here before and after a save;
//! an import or the demo writes one summary line instead of a line per new record.
//!
//! Lists and exports show ID numbers and phones masked; the full values stay in the file,
//! which already holds them.

use crate::error::{Error, Result};
use crate::register::{page_bounds, Page};
use crate::report::district::Masking;
use crate::Store;
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};
use ts_rs::TS;

crate::text_enum! {
    /// What an audit line is about.
    pub enum AuditEntity ("对象") {
        Household = "农户",
        Cadre = "干部",
        Request = "诉求",
        Plan = "排班",
    }
}

/// How much the triggers record (see the migration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Nothing: generated demo data.
    Off = 0,
    /// Changes and deletions, not each new record: a bulk import records one summary line.
    ChangesOnly = 1,
    /// Everything.
    All = 2,
}

/// The store's audit state, shared with the SQL functions of its write connection.
#[derive(Debug)]
pub struct AuditContext {
    operator: RwLock<Option<String>>,
    level: AtomicU8,
}

impl Default for AuditContext {
    fn default() -> Self {
        AuditContext {
            operator: RwLock::new(None),
            level: AtomicU8::new(Level::All as u8),
        }
    }
}

impl AuditContext {
    pub fn operator(&self) -> Option<String> {
        self.operator
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_operator(&self, name: Option<String>) {
        *self.operator.write().unwrap_or_else(|p| p.into_inner()) = name;
    }

    pub(crate) fn swap_level(&self, level: Level) -> u8 {
        self.level.swap(level as u8, Ordering::SeqCst)
    }

    pub(crate) fn restore_level(&self, level: u8) {
        self.level.store(level, Ordering::SeqCst);
    }
}

/// Registers `mq_operator()` and `mq_audit_level()` on a connection that writes (the store's
/// writer; a test's own connection that changes audited tables needs them too).
pub fn register_functions(conn: &Connection, ctx: Arc<AuditContext>) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    let c = ctx.clone();
    conn.create_scalar_function("mq_operator", 0, flags, move |_| Ok(c.operator()))?;
    conn.create_scalar_function("mq_audit_level", 0, flags, move |_| {
        Ok(ctx.level.load(Ordering::SeqCst) as i64)
    })
}

/// An operator's name as typed: trimmed, 1–20 characters, no control characters.
pub fn check_operator(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(Error::invalid(
            "operator",
            "请选择或填写操作人姓名：操作记录里每一条修改都记在操作人名下。",
        ));
    }
    if n.chars().count() > 20 || n.chars().any(char::is_control) {
        return Err(Error::invalid(
            "operator",
            format!("操作人姓名“{n}”不合适：最多 20 个字，不含换行等控制字符。"),
        ));
    }
    Ok(n.to_string())
}

/// Sets who is working: every change from now on is recorded under this name; the name is
/// remembered for the start dialog. Returns the remembered names, the checked name first.
pub fn choose_operator(store: &Store, name: &str) -> Result<Vec<String>> {
    let name = check_operator(name)?;
    let names = store.write(|tx| {
        let mut names = remembered(tx)?;
        names.retain(|n| n != &name);
        names.insert(0, name.clone());
        names.truncate(20);
        crate::requests::rules::write_json(tx, "operators", &names)?;
        Ok(names)
    })?;
    store.set_operator(Some(name));
    Ok(names)
}

fn remembered(c: &Connection) -> Result<Vec<String>> {
    crate::requests::rules::read_json(c, "operators")
}

/// The operators chosen before on this database, most recent first.
pub fn known_operators(store: &Store) -> Result<Vec<String>> {
    store.read(remembered)
}

/// Writes a summary line whatever the level (an import, the demo).
pub(crate) fn note(
    c: &Connection,
    entity: AuditEntity,
    entity_id: Option<i64>,
    label: &str,
    action: &str,
    new_value: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit_log (at, operator, entity, entity_id, label, action, new_value)
         VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
                 ?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![entity, entity_id, label, action, new_value])?;
    Ok(())
}

/// The relation sets of a record, as the text an audit line shows (names joined by 、).
pub(crate) type Sets = Vec<(&'static str, String)>;

fn set_queries(entity: AuditEntity) -> &'static [(&'static str, &'static str)] {
    match entity {
        AuditEntity::Household => &[
            (
                "类别标签",
                "SELECT ifnull(group_concat(name, '、'), '') FROM (SELECT t.name FROM household_tags ht
                 JOIN tags t ON t.id = ht.tag_id WHERE ht.household_id = ?1 ORDER BY t.sort_order, t.id)",
            ),
            (
                "结对干部",
                "SELECT ifnull(group_concat(name, '、'), '') FROM (SELECT c.name FROM cadre_households ch
                 JOIN cadres c ON c.id = ch.cadre_id WHERE ch.household_id = ?1 ORDER BY c.id)",
            ),
        ],
        AuditEntity::Cadre => &[
            (
                "挂钩村",
                "SELECT ifnull(group_concat(name, '、'), '') FROM (SELECT v.name FROM cadre_villages cv
                 JOIN villages v ON v.id = cv.village_id WHERE cv.cadre_id = ?1 ORDER BY v.sort_order, v.id)",
            ),
            (
                "结对户",
                "SELECT ifnull(group_concat(name, '、'), '') FROM (SELECT h.head_name AS name FROM cadre_households ch
                 JOIN households h ON h.id = ch.household_id WHERE ch.cadre_id = ?1 ORDER BY h.name_pinyin, h.id)",
            ),
            (
                "请假日",
                "SELECT ifnull(group_concat(date, '、'), '') FROM (SELECT date FROM cadre_leave
                 WHERE cadre_id = ?1 ORDER BY date)",
            ),
        ],
        AuditEntity::Plan => &[(
            "走访范围",
            "SELECT ifnull(group_concat(name, '、'), '') FROM (SELECT v.name FROM plan_cycle_villages cv
             JOIN villages v ON v.id = cv.village_id WHERE cv.cycle_id = ?1 ORDER BY v.sort_order, v.id)",
        )],
        AuditEntity::Request => &[],
    }
}

fn label_query(entity: AuditEntity) -> &'static str {
    match entity {
        AuditEntity::Household => {
            "SELECT h.head_name || '（' || v.name || '）' FROM households h JOIN villages v ON v.id = h.village_id WHERE h.id = ?1"
        }
        AuditEntity::Cadre => "SELECT name FROM cadres WHERE id = ?1",
        AuditEntity::Plan => "SELECT name FROM plan_cycles WHERE id = ?1",
        AuditEntity::Request => "SELECT number FROM requests WHERE id = ?1",
    }
}

/// The record's relation sets now (call before a save, then [`record_sets`] after it).
pub(crate) fn sets(c: &Connection, entity: AuditEntity, id: i64) -> Result<Sets> {
    let mut out = Vec::new();
    for (field, sql) in set_queries(entity) {
        let v: String = c.prepare_cached(sql)?.query_row([id], |r| r.get(0))?;
        out.push((*field, v));
    }
    Ok(out)
}

/// Records each relation set that differs from `before` as a 修改 line, when the audit level
/// is at least `min` (a new record's sets are not recorded by a bulk import).
pub(crate) fn record_sets(
    c: &Connection,
    entity: AuditEntity,
    id: i64,
    before: &Sets,
    min: Level,
) -> Result<()> {
    let level: i64 = c
        .prepare_cached("SELECT mq_audit_level()")?
        .query_row([], |r| r.get(0))?;
    if level < min as i64 {
        return Ok(());
    }
    let after = sets(c, entity, id)?;
    let mut label: Option<String> = None;
    for ((field, old), (_, new)) in before.iter().zip(after.iter()) {
        if old != new {
            if label.is_none() {
                label = Some(
                    c.prepare_cached(label_query(entity))?
                        .query_row([id], |r| r.get(0))
                        .optional()?
                        .unwrap_or_default(),
                );
            }
            c.prepare_cached(
                "INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value, new_value)
                 VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
                         ?1, ?2, ?3, '修改', ?4, ?5, ?6)",
            )?
            .execute(params![entity, id, label, field, old, new])?;
        }
    }
    Ok(())
}

/// Sets for a record that was just created: recorded as changes from nothing, so the 新增
/// line is followed by its tags and pairings.
pub(crate) fn empty_sets(entity: AuditEntity) -> Sets {
    set_queries(entity)
        .iter()
        .map(|(f, _)| (*f, String::new()))
        .collect()
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditQuery {
    /// First day, YYYY-MM-DD (inclusive).
    #[ts(optional)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (inclusive).
    #[ts(optional)]
    pub to: Option<String>,
    #[ts(optional)]
    pub operator: Option<String>,
    #[ts(optional)]
    pub entity: Option<AuditEntity>,
    /// One record's lines (with `entity`).
    #[ts(optional)]
    pub entity_id: Option<i64>,
    /// Part of the name, the field or a value.
    #[ts(optional)]
    pub search: Option<String>,
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub operator: String,
    pub entity: AuditEntity,
    pub entity_id: Option<i64>,
    pub label: String,
    pub action: String,
    pub field: String,
    /// Masked when the field is an ID number or a phone.
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

fn masked(field: &str, v: Option<String>, masking: Masking) -> Option<String> {
    v.map(|v| match field {
        "公民身份号码" => masking.id(&v),
        "联系电话" => masking.phone(&v),
        _ => v,
    })
}

fn bad_date(field: &'static str, v: &str) -> Error {
    Error::invalid(
        field,
        format!("日期“{v}”不对，应为 YYYY-MM-DD，例如 2026-11-30。"),
    )
}

/// The WHERE clause and its parameters for a query (newest first).
fn filter(q: &AuditQuery) -> Result<(String, Vec<rusqlite::types::Value>)> {
    use rusqlite::types::Value;
    let mut wh = Vec::new();
    let mut ps: Vec<Value> = Vec::new();
    if let Some(f) = q.from.as_deref().filter(|s| !s.is_empty()) {
        let d = crate::validate::parse_date(f).ok_or_else(|| bad_date("from", f))?;
        wh.push("at >= ?");
        ps.push(Value::Text(d.to_string()));
    }
    if let Some(t) = q.to.as_deref().filter(|s| !s.is_empty()) {
        let d = crate::validate::parse_date(t).ok_or_else(|| bad_date("to", t))?;
        wh.push("at < ?");
        ps.push(Value::Text(
            d.succ_opt().unwrap_or(d).format("%Y-%m-%d").to_string(),
        ));
    }
    if let Some(o) = q.operator.as_deref().filter(|s| !s.trim().is_empty()) {
        wh.push("operator = ?");
        ps.push(Value::Text(o.trim().to_string()));
    }
    if let Some(e) = q.entity {
        wh.push("entity = ?");
        ps.push(Value::Text(e.as_str().to_string()));
        if let Some(id) = q.entity_id {
            wh.push("entity_id = ?");
            ps.push(Value::Integer(id));
        }
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Values of ID and phone fields are not searched: a list that matched on a full number
        // it shows masked would reveal it digit by digit.
        wh.push(
            "(instr(label, ?) > 0 OR instr(field, ?) > 0 OR instr(action, ?) > 0
              OR (field NOT IN ('公民身份号码', '联系电话')
                  AND (instr(ifnull(old_value, ''), ?) > 0 OR instr(ifnull(new_value, ''), ?) > 0)))",
        );
        for _ in 0..5 {
            ps.push(Value::Text(s.to_string()));
        }
    }
    let sql = if wh.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", wh.join(" AND "))
    };
    Ok((sql, ps))
}

fn row(r: &rusqlite::Row, masking: Masking) -> rusqlite::Result<AuditRow> {
    let field: String = r.get(7)?;
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        label: r.get(5)?,
        action: r.get(6)?,
        old_value: masked(&field, r.get(8)?, masking),
        new_value: masked(&field, r.get(9)?, masking),
        field,
    })
}

const COLUMNS: &str =
    "id, at, operator, entity, entity_id, label, action, field, old_value, new_value";

/// One page of the audit trail, newest first, masked.
pub fn list(store: &Store, q: &AuditQuery) -> Result<Page<AuditRow>> {
    let (page, page_size, offset) = page_bounds(q.page, q.page_size);
    let (wh, ps) = filter(q)?;
    store.read(|c| {
        let total: i64 = c.query_row(
            &format!("SELECT count(*) FROM audit_log{wh}"),
            params_from_iter(ps.iter()),
            |r| r.get(0),
        )?;
        let mut stmt = c.prepare(&format!(
            "SELECT {COLUMNS} FROM audit_log{wh} ORDER BY id DESC LIMIT {page_size} OFFSET {offset}"
        ))?;
        let rows = stmt
            .query_map(params_from_iter(ps.iter()), |r| row(r, Masking::Masked))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page {
            total,
            page,
            page_size,
            rows,
        })
    })
}

/// Everyone who has a line in the trail, for the operator filter.
pub fn operators(store: &Store) -> Result<Vec<String>> {
    store.read(|c| {
        let mut stmt = c.prepare("SELECT DISTINCT operator FROM audit_log ORDER BY operator")?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    })
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AuditExport {
    pub path: String,
    pub rows: u64,
}

/// Writes the lines matching `q` (all pages, oldest first) as a printable workbook, masked
/// unless asked otherwise.
pub fn export(
    store: &Store,
    q: &AuditQuery,
    masking: Masking,
    target: &Path,
    today: chrono::NaiveDate,
) -> Result<AuditExport> {
    use crate::report::{closing, report_sheet, save, xlsx_error, Style};
    let town = crate::register::township::get_township(store)?;
    let (wh, ps) = filter(q)?;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = Style::new();
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_error)?;
    ws.set_name("操作记录").map_err(xlsx_error)?;
    let range = match (q.from.as_deref(), q.to.as_deref()) {
        (Some(f), Some(t)) if !f.is_empty() && !t.is_empty() => format!("{f} 至 {t}"),
        (Some(f), _) if !f.is_empty() => format!("{f} 起"),
        (_, Some(t)) if !t.is_empty() => format!("至 {t}"),
        _ => "全部".into(),
    };
    let info = format!(
        "单位：{}    时段：{range}    操作人：{}    对象：{}    导出日期：{today}",
        town.name,
        q.operator
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("全部"),
        q.entity.map(|e| e.as_str()).unwrap_or("全部"),
    );
    let headers = [
        ("序号", 6.0),
        ("时间", 17.0),
        ("操作人", 9.0),
        ("对象", 6.0),
        ("名称", 22.0),
        ("操作", 11.0),
        ("项目", 12.0),
        ("原值", 26.0),
        ("新值", 26.0),
    ];
    let mut r = report_sheet(
        ws,
        &s,
        &format!("{}民情通操作记录", town.name),
        &info,
        &headers,
    )
    .map_err(xlsx_error)?;
    let first = r;
    let n = store.read(|c| {
        let mut stmt = c.prepare(&format!("SELECT {COLUMNS} FROM audit_log{wh} ORDER BY id"))?;
        let mut rows = stmt.query(params_from_iter(ps.iter()))?;
        let mut n = 0u64;
        while let Some(x) = rows.next()? {
            let a = row(x, masking)?;
            n += 1;
            let old = a.old_value.unwrap_or_default();
            let new = a.new_value.unwrap_or_default();
            let h = crate::report::fit_row_height(
                &[(&a.label, 22.0), (&old, 26.0), (&new, 26.0)],
                18.0,
            );
            (|| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
                ws.set_row_height(r, h)?;
                ws.write_number_with_format(r, 0, n as f64, &s.cell_center)?;
                ws.write_string_with_format(r, 1, &a.at, &s.cell_center)?;
                ws.write_string_with_format(r, 2, &a.operator, &s.cell)?;
                ws.write_string_with_format(r, 3, a.entity.as_str(), &s.cell_center)?;
                ws.write_string_with_format(r, 4, &a.label, &s.cell)?;
                ws.write_string_with_format(r, 5, &a.action, &s.cell_center)?;
                ws.write_string_with_format(r, 6, &a.field, &s.cell)?;
                ws.write_string_with_format(r, 7, &old, &s.cell_wrap)?;
                ws.write_string_with_format(r, 8, &new, &s.cell_wrap)?;
                Ok(())
            })()
            .map_err(xlsx_error)?;
            r += 1;
        }
        Ok(n)
    })?;
    (|| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        if n == 0 {
            ws.merge_range(r, 0, r, 8, "所选范围内没有操作记录。", &s.cell_center)?;
            r += 1;
        } else {
            ws.autofilter(first - 1, 0, r - 1, 8)?;
        }
        let note = match masking {
            Masking::Unmasked => "注意：本表含未脱敏的个人信息（公民身份号码、联系电话），系经办人明确要求导出，仅限工作使用，请妥善保管，不得外传。",
            _ => "说明：本表中的公民身份号码、联系电话已脱敏。操作记录由系统在保存修改时自动写入，不能修改或删除。",
        };
        closing(ws, &s, &town, r, 8, Some(note))
    })()
    .map_err(xlsx_error)?;
    let path = save(&mut wb, target)?;
    Ok(AuditExport {
        path: path.display().to_string(),
        rows: n,
    })
}

/// The default file name: `龙河镇_操作记录_2026-11-30.xlsx`.
pub fn file_name(store: &Store, today: chrono::NaiveDate) -> Result<String> {
    let town = crate::register::township::get_township(store)?;
    Ok(crate::report::safe_file_name(&format!(
        "{}_操作记录_{today}.xlsx",
        town.name
    )))
}
