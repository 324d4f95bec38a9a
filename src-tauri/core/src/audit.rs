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

pub use crate::db::audit_hooks::{register_functions, AuditContext, Level};
use crate::error::{Error, Result};
use crate::paging::{page_bounds, Page};
use crate::privacy::Masking;
use crate::Store;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
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
        crate::db::settings::write_json(tx, "operators", &names)?;
        Ok(names)
    })?;
    store.set_operator(Some(name));
    Ok(names)
}

fn remembered(c: &Connection) -> Result<Vec<String>> {
    crate::db::settings::read_json(c, "operators")
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
pub(crate) fn filter(q: &AuditQuery) -> Result<(String, Vec<rusqlite::types::Value>)> {
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

pub(crate) fn row(r: &rusqlite::Row, masking: Masking) -> rusqlite::Result<AuditRow> {
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

pub(crate) const COLUMNS: &str =
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
