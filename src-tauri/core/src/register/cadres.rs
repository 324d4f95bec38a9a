//! 干部 (cadres): who they are, their 挂钩村 (linked villages) and 结对户 (paired households).

use super::CadreLevel;
use crate::audit::{self, AuditEntity};
use crate::db::placeholders;
use crate::error::{Error, Result};
use crate::names;
use crate::paging::{page_bounds, NamedRef, Page};
use crate::privacy::{mask_id, mask_phone};
use crate::validate::{check_optional_text, check_person_name, check_phone, check_text};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CadreInput {
    pub name: String,
    /// 单位（派出单位）
    pub unit: String,
    /// 职务
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub level: CadreLevel,
    /// 每月可走访天数 (used when no weekday pattern is set)
    pub visit_days_per_month: i64,
    /// 固定走访日: weekdays, Monday = 1; empty means "N days a month".
    #[serde(default)]
    pub visit_weekdays: Vec<u8>,
    /// 请假日期 (no visits planned on these days).
    #[serde(default)]
    pub leave_dates: Vec<NaiveDate>,
    #[serde(default = "yes")]
    pub active: bool,
    /// 挂钩村
    #[serde(default)]
    pub village_ids: Vec<i64>,
    /// 结对户
    #[serde(default)]
    pub household_ids: Vec<i64>,
    #[serde(default)]
    pub note: String,
}

fn yes() -> bool {
    true
}

impl CadreInput {
    pub fn new(name: &str, unit: &str) -> Self {
        CadreInput {
            name: name.into(),
            unit: unit.into(),
            title: String::new(),
            phone: String::new(),
            level: CadreLevel::Staff,
            visit_days_per_month: 4,
            visit_weekdays: Vec::new(),
            leave_dates: Vec::new(),
            active: true,
            village_ids: Vec::new(),
            household_ids: Vec::new(),
            note: String::new(),
        }
    }
}

/// A paired household as the cadre form lists it (masked: the form is about the cadre).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PairedHousehold {
    pub id: i64,
    pub head_name: String,
    pub village_name: String,
    pub group_name: String,
    pub id_masked: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Cadre {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub title: String,
    pub phone: String,
    pub level: CadreLevel,
    pub visit_days_per_month: i64,
    pub visit_weekdays: Vec<u8>,
    pub leave_dates: Vec<NaiveDate>,
    pub active: bool,
    pub villages: Vec<NamedRef>,
    pub households: Vec<PairedHousehold>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CadreRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub title: String,
    pub phone_masked: String,
    pub level: CadreLevel,
    pub visit_days_per_month: i64,
    pub active: bool,
    pub village_names: Vec<String>,
    pub paired_count: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct CadreQuery {
    /// Cadres linked to this village.
    #[ts(optional)]
    pub village_id: Option<i64>,
    #[ts(optional)]
    pub level: Option<CadreLevel>,
    #[ts(optional)]
    pub unit: Option<String>,
    /// Name, pinyin initials or part of the unit.
    #[ts(optional)]
    pub search: Option<String>,
    pub include_inactive: bool,
    pub page: u32,
    pub page_size: u32,
}

struct Valid {
    name: String,
    unit: String,
    title: String,
    phone: String,
    village_ids: Vec<i64>,
    household_ids: Vec<i64>,
    note: String,
    weekdays: String,
    leave: Vec<NaiveDate>,
}

fn sorted_unique(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

fn validate(c: &Connection, input: &CadreInput, except: Option<i64>) -> Result<Valid> {
    let name = check_person_name("name", "干部姓名", &input.name)?;
    let unit = check_text("unit", "单位", &input.unit, 40)?;
    let title = check_optional_text("title", "职务", &input.title, 30)?;
    let phone = check_phone("phone", "联系电话", &input.phone)?;
    if !(0..=31).contains(&input.visit_days_per_month) {
        return Err(Error::invalid(
            "visitDaysPerMonth",
            format!(
                "每月可走访天数“{}”不合理，应在 0 到 31 之间。",
                input.visit_days_per_month
            ),
        ));
    }
    let mut weekdays = input.visit_weekdays.clone();
    weekdays.sort_unstable();
    weekdays.dedup();
    if let Some(w) = weekdays.iter().find(|w| !(1..=7).contains(*w)) {
        return Err(Error::invalid(
            "visitWeekdays",
            format!("固定走访日“{w}”不是星期一到星期日，请重新勾选。"),
        ));
    }
    let weekdays = weekdays
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let mut leave = input.leave_dates.clone();
    leave.sort_unstable();
    leave.dedup();
    if leave.len() > 366 {
        return Err(Error::invalid(
            "leaveDates",
            format!("请假日期有 {} 天，超过一年，请检查。", leave.len()),
        ));
    }
    let village_ids = sorted_unique(&input.village_ids);
    if !village_ids.is_empty() {
        let n: i64 = c.query_row(
            &format!(
                "SELECT count(*) FROM villages WHERE id IN ({})",
                placeholders(village_ids.len())
            ),
            params_from_iter(&village_ids),
            |r| r.get(0),
        )?;
        if n != village_ids.len() as i64 {
            return Err(Error::invalid(
                "villageIds",
                "所选的挂钩村中有已被删除的，请刷新后重新选择。",
            ));
        }
    }
    let household_ids = sorted_unique(&input.household_ids);
    let mut stmt = c.prepare_cached(
        "SELECT h.head_name, h.village_id, v.name, ch.cadre_id, cd.name FROM households h
         JOIN villages v ON v.id = h.village_id
         LEFT JOIN cadre_households ch ON ch.household_id = h.id
         LEFT JOIN cadres cd ON cd.id = ch.cadre_id
         WHERE h.id = ?1",
    )?;
    for hid in &household_ids {
        let row = stmt
            .query_row([hid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()?;
        let Some((head, village, village_name, paired, paired_name)) = row else {
            return Err(Error::invalid(
                "householdIds",
                "所选的结对户中有已被删除的，请刷新后重新选择。",
            ));
        };
        if !village_ids.contains(&village) {
            return Err(Error::invalid(
                "householdIds",
                format!("结对户“{head}”在{village_name}，不在该干部的挂钩村内。请先把{village_name}加为挂钩村，或另选结对户。"),
            ));
        }
        if let Some(other) = paired.filter(|p| Some(*p) != except) {
            return Err(Error::duplicate(
                "householdIds",
                format!(
                    "“{head}”户已经与干部{}（编号 {other}）结对。一户只结对一名干部；如需更换，请先在那名干部处取消结对。",
                    paired_name.unwrap_or_default()
                ),
            ));
        }
    }
    let note = check_optional_text("note", "备注", &input.note, 500)?;
    Ok(Valid {
        name,
        unit,
        title,
        phone,
        village_ids,
        household_ids,
        note,
        weekdays,
        leave,
    })
}

fn write_links(c: &Connection, id: i64, v: &Valid) -> Result<()> {
    c.prepare_cached("UPDATE cadres SET visit_weekdays = ?1 WHERE id = ?2")?
        .execute(params![v.weekdays, id])?;
    c.prepare_cached("DELETE FROM cadre_leave WHERE cadre_id = ?1")?
        .execute([id])?;
    let mut sl = c.prepare_cached("INSERT INTO cadre_leave (cadre_id, date) VALUES (?1, ?2)")?;
    for d in &v.leave {
        sl.execute(params![id, d])?;
    }
    c.prepare_cached("DELETE FROM cadre_villages WHERE cadre_id = ?1")?
        .execute([id])?;
    c.prepare_cached("DELETE FROM cadre_households WHERE cadre_id = ?1")?
        .execute([id])?;
    let mut sv =
        c.prepare_cached("INSERT INTO cadre_villages (cadre_id, village_id) VALUES (?1, ?2)")?;
    for vid in &v.village_ids {
        sv.execute(params![id, vid])?;
    }
    let mut sh =
        c.prepare_cached("INSERT INTO cadre_households (cadre_id, household_id) VALUES (?1, ?2)")?;
    for hid in &v.household_ids {
        sh.execute(params![id, hid])?;
    }
    Ok(())
}

pub(crate) fn insert(c: &Connection, input: &CadreInput, now: &str) -> Result<i64> {
    let v = validate(c, input, None)?;
    c.prepare_cached(
        "INSERT INTO cadres (name, name_initials, name_pinyin, unit, title, phone, level,
             visit_days_per_month, active, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        v.name,
        names::initials(&v.name),
        names::full_pinyin(&v.name),
        v.unit,
        v.title,
        v.phone,
        input.level,
        input.visit_days_per_month,
        input.active,
        v.note,
        now
    ])?;
    let id = c.last_insert_rowid();
    write_links(c, id, &v)?;
    audit::record_sets(
        c,
        AuditEntity::Cadre,
        id,
        &audit::empty_sets(AuditEntity::Cadre),
        audit::Level::All,
    )?;
    Ok(id)
}

pub fn add_cadre(store: &Store, input: &CadreInput) -> Result<Cadre> {
    let id = store.write(|tx| insert(tx, input, &crate::now_text()))?;
    get_cadre(store, id)
}

pub fn update_cadre(store: &Store, id: i64, input: &CadreInput) -> Result<Cadre> {
    store.write(|tx| update_in(tx, id, input))?;
    get_cadre(store, id)
}

/// Validates and updates one cadre inside the caller's transaction (the form and the import).
pub(crate) fn update_in(tx: &Connection, id: i64, input: &CadreInput) -> Result<()> {
    {
        cadre_name(tx, id)?;
        let v = validate(tx, input, Some(id))?;
        let before = audit::sets(tx, AuditEntity::Cadre, id)?;
        tx.execute(
            "UPDATE cadres SET name = ?1, name_initials = ?2, name_pinyin = ?3, unit = ?4, title = ?5,
                 phone = ?6, level = ?7, visit_days_per_month = ?8, active = ?9, note = ?10, updated_at = ?11
             WHERE id = ?12",
            params![
                v.name,
                names::initials(&v.name),
                names::full_pinyin(&v.name),
                v.unit,
                v.title,
                v.phone,
                input.level,
                input.visit_days_per_month,
                input.active,
                v.note,
                crate::now_text(),
                id
            ],
        )?;
        write_links(tx, id, &v)?;
        audit::record_sets(
            tx,
            AuditEntity::Cadre,
            id,
            &before,
            audit::Level::ChangesOnly,
        )
    }
}

/// "1,3,5" → [1, 3, 5]; anything else in the column is ignored.
pub(crate) fn parse_weekdays(text: &str) -> Vec<u8> {
    text.split(',')
        .filter_map(|w| w.trim().parse::<u8>().ok())
        .filter(|w| (1..=7).contains(w))
        .collect()
}

fn cadre_name(c: &Connection, id: i64) -> Result<String> {
    c.query_row("SELECT name FROM cadres WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "找不到编号为 {id} 的干部，可能已被删除。请刷新列表后重试。"
            ))
        })
}

/// Deletes a cadre entered by mistake, with their links and pairings. A cadre who has left
/// the campaign is marked inactive instead, so their past visits keep a name.
pub fn delete_cadre(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        let name = cadre_name(tx, id)?;
        let visits: i64 = tx.query_row("SELECT count(*) FROM visit_cadres WHERE cadre_id = ?1", [id], |r| r.get(0))?;
        if visits > 0 {
            return Err(Error::Conflict(format!(
                "{name}已有 {visits} 条走访记录，不能删除，以免民情日记缺少走访人。如已离开活动，请在修改中设为“停用”。"
            )));
        }
        tx.execute("DELETE FROM cadres WHERE id = ?1", [id])?;
        Ok(())
    })
}

pub fn get_cadre(store: &Store, id: i64) -> Result<Cadre> {
    store.read(|c| read_cadre(c, id))
}

pub(crate) fn read_cadre(c: &Connection, id: i64) -> Result<Cadre> {
    {
        let mut cadre = c
            .query_row(
                "SELECT id, name, unit, title, phone, level, visit_days_per_month, active, note, visit_weekdays FROM cadres WHERE id = ?1",
                [id],
                |r| {
                    Ok(Cadre {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        unit: r.get(2)?,
                        title: r.get(3)?,
                        phone: r.get(4)?,
                        level: r.get(5)?,
                        visit_days_per_month: r.get(6)?,
                        active: r.get(7)?,
                        note: r.get(8)?,
                        visit_weekdays: parse_weekdays(&r.get::<_, String>(9)?),
                        leave_dates: Vec::new(),
                        villages: Vec::new(),
                        households: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("找不到编号为 {id} 的干部，可能已被删除。请刷新列表后重试。")))?;
        cadre.villages = c
            .prepare_cached(
                "SELECT v.id, v.name FROM cadre_villages cv JOIN villages v ON v.id = cv.village_id
                 WHERE cv.cadre_id = ?1 ORDER BY v.sort_order, v.id",
            )?
            .query_map([id], |r| {
                Ok(NamedRef {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        cadre.households = c
            .prepare_cached(
                "SELECT h.id, h.head_name, v.name, g.name, h.id_number,
                        (SELECT group_concat(t.name, char(31) ORDER BY t.sort_order, t.id)
                           FROM household_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.household_id = h.id)
                 FROM cadre_households ch
                 JOIN households h ON h.id = ch.household_id
                 JOIN villages v ON v.id = h.village_id
                 JOIN village_groups g ON g.id = h.group_id
                 WHERE ch.cadre_id = ?1 ORDER BY v.sort_order, g.sort_order, h.name_pinyin",
            )?
            .query_map([id], |r| {
                let tags: Option<String> = r.get(5)?;
                Ok(PairedHousehold {
                    id: r.get(0)?,
                    head_name: r.get(1)?,
                    village_name: r.get(2)?,
                    group_name: r.get(3)?,
                    id_masked: mask_id(&r.get::<_, String>(4)?),
                    tags: tags.map(|t| t.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        cadre.leave_dates = c
            .prepare_cached("SELECT date FROM cadre_leave WHERE cadre_id = ?1 ORDER BY date")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cadre)
    }
}

pub fn list_cadres(store: &Store, q: &CadreQuery) -> Result<Page<CadreRow>> {
    store.read(|c| {
        let (page, size, offset) = page_bounds(q.page, q.page_size);
        let mut wh: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if !q.include_inactive {
            wh.push("c.active = 1");
        }
        if let Some(v) = q.village_id {
            wh.push("c.id IN (SELECT cadre_id FROM cadre_villages WHERE village_id = ?)");
            args.push(v.into());
        }
        if let Some(l) = q.level {
            wh.push("c.level = ?");
            args.push(l.as_str().to_string().into());
        }
        if let Some(u) = q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            wh.push("c.unit = ?");
            args.push(u.to_string().into());
        }
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            if s.chars().all(|c| c.is_ascii_alphabetic()) {
                wh.push("(c.name_initials LIKE ? OR c.name_pinyin LIKE ?)");
                let p = format!("{}%", s.to_ascii_lowercase());
                args.push(p.clone().into());
                args.push(p.into());
            } else {
                wh.push("(instr(c.name, ?) > 0 OR instr(c.unit, ?) > 0)");
                args.push(s.to_string().into());
                args.push(s.to_string().into());
            }
        }
        let wh = if wh.is_empty() { String::new() } else { format!("WHERE {}", wh.join(" AND ")) };
        let total: i64 = c.query_row(&format!("SELECT count(*) FROM cadres c {wh}"), params_from_iter(&args), |r| r.get(0))?;
        args.push((size as i64).into());
        args.push(offset.into());
        let sql = format!(
            "SELECT c.id, c.name, c.unit, c.title, c.phone, c.level, c.visit_days_per_month, c.active,
                    (SELECT group_concat(v.name, char(31) ORDER BY v.sort_order, v.id)
                       FROM cadre_villages cv JOIN villages v ON v.id = cv.village_id WHERE cv.cadre_id = c.id),
                    (SELECT count(*) FROM cadre_households ch WHERE ch.cadre_id = c.id)
             FROM cadres c {wh}
             ORDER BY CASE c.level WHEN '区领导' THEN 1 WHEN '部门负责人' THEN 2 WHEN '一般干部' THEN 3
                                   WHEN '乡镇干部' THEN 4 ELSE 5 END, c.unit, c.name_pinyin, c.id
             LIMIT ? OFFSET ?"
        );
        let rows = c
            .prepare_cached(&sql)?
            .query_map(params_from_iter(&args), |r| {
                let villages: Option<String> = r.get(8)?;
                Ok(CadreRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    unit: r.get(2)?,
                    title: r.get(3)?,
                    phone_masked: mask_phone(&r.get::<_, String>(4)?),
                    level: r.get(5)?,
                    visit_days_per_month: r.get(6)?,
                    active: r.get(7)?,
                    village_names: villages.map(|v| v.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default(),
                    paired_count: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, page, page_size: size, rows })
    })
}

/// Distinct units already entered, for the form's autocomplete.
pub fn list_units(store: &Store) -> Result<Vec<String>> {
    store.read(|c| {
        let mut stmt =
            c.prepare("SELECT unit FROM cadres GROUP BY unit ORDER BY count(*) DESC, unit")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}
