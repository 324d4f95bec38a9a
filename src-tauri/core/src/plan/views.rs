//! Reading a plan: the cadres × days board, one cadre-day's households, a village's and a
//! household's planned visits, the due list, and what changed between two versions.

use super::store::{current_version, read_input};
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::privacy::mask_phone;
use crate::Store;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

/// One cell of the board: a cadre's day.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct BoardCell {
    /// Index into `Board::days`.
    pub day: u32,
    pub village: String,
    pub count: u32,
    pub done: u32,
    pub locked: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct BoardRow {
    pub cadre_id: i64,
    pub name: String,
    pub unit: String,
    pub planned: u32,
    pub cells: Vec<BoardCell>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub version_id: Option<i64>,
    /// Every day of the cycle (working or not), and which are working days.
    #[ts(type = "string[]")]
    pub days: Vec<NaiveDate>,
    pub working: Vec<bool>,
    pub rows: Vec<BoardRow>,
}

/// The cadres × days board of the current version (or `version_id`).
pub fn board(store: &Store, cycle_id: i64, version_id: Option<i64>) -> Result<Board> {
    store.read(|c| {
        let input = read_input(c, cycle_id)?;
        let cal = Calendar::load(c)?;
        let mut days = Vec::new();
        let mut d = input.start;
        while d <= input.end {
            days.push(d);
            d += Duration::days(1);
        }
        let working = days.iter().map(|d| cal.is_working_day(*d)).collect();
        let index: HashMap<NaiveDate, u32> = days.iter().enumerate().map(|(i, d)| (*d, i as u32)).collect();
        let version = match version_id {
            Some(v) => Some(v),
            None => current_version(c, cycle_id)?,
        };
        let mut rows: Vec<BoardRow> = Vec::new();
        if let Some(v) = version {
            let mut st = c.prepare(
                "SELECT pv.cadre_id, cd.name, cd.unit, pv.visit_date, vl.name, count(*), count(pv.visit_id), sum(pv.locked)
                 FROM plan_visits pv JOIN cadres cd ON cd.id = pv.cadre_id
                 JOIN households h ON h.id = pv.household_id JOIN villages vl ON vl.id = h.village_id
                 WHERE pv.version_id = ?1
                 GROUP BY pv.cadre_id, pv.visit_date, vl.id
                 ORDER BY cd.name_pinyin, pv.cadre_id, pv.visit_date",
            )?;
            let mut q = st.query([v])?;
            while let Some(r) = q.next()? {
                let cadre: i64 = r.get(0)?;
                let date: NaiveDate = r.get(3)?;
                let Some(&day) = index.get(&date) else { continue };
                if rows.last().is_none_or(|row| row.cadre_id != cadre) {
                    rows.push(BoardRow { cadre_id: cadre, name: r.get(1)?, unit: r.get(2)?, planned: 0, cells: Vec::new() });
                }
                let row = rows.last_mut().expect("pushed");
                let count: u32 = r.get(5)?;
                row.planned += count;
                row.cells.push(BoardCell { day, village: r.get(4)?, count, done: r.get(6)?, locked: r.get(7)? });
            }
        }
        Ok(Board { version_id: version, days, working, rows })
    })
}

/// A planned visit as a cell's list, a village view or a household's detail shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PlannedVisit {
    pub id: i64,
    pub cycle_name: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub cadre_id: i64,
    pub cadre_name: String,
    pub household_id: i64,
    pub head_name: String,
    pub village_name: String,
    pub group_name: String,
    pub address: String,
    pub phone_masked: String,
    pub tags: Vec<String>,
    /// 必到, 结对 or 覆盖.
    pub reason: String,
    pub locked: bool,
    pub done: bool,
    pub attempts: i64,
}

const VISIT_SELECT: &str = "SELECT pv.id, pc.name, pv.visit_date, pv.cadre_id, cd.name, pv.household_id, h.head_name, vl.name, g.name,
        h.address, h.phone,
        (SELECT group_concat(t.name, char(31) ORDER BY t.sort_order) FROM household_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.household_id = h.id),
        pv.reason, pv.locked, pv.visit_id IS NOT NULL, pv.attempts
     FROM plan_visits pv
     JOIN plan_versions ver ON ver.id = pv.version_id JOIN plan_cycles pc ON pc.id = ver.cycle_id
     JOIN cadres cd ON cd.id = pv.cadre_id JOIN households h ON h.id = pv.household_id
     JOIN villages vl ON vl.id = h.village_id JOIN village_groups g ON g.id = h.group_id";

fn visits(
    c: &Connection,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<PlannedVisit>> {
    let sql = format!("{VISIT_SELECT} WHERE {where_sql}");
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(args, |r| {
        let tags: Option<String> = r.get(11)?;
        Ok(PlannedVisit {
            id: r.get(0)?,
            cycle_name: r.get(1)?,
            date: r.get(2)?,
            cadre_id: r.get(3)?,
            cadre_name: r.get(4)?,
            household_id: r.get(5)?,
            head_name: r.get(6)?,
            village_name: r.get(7)?,
            group_name: r.get(8)?,
            address: r.get(9)?,
            phone_masked: mask_phone(&r.get::<_, String>(10)?),
            tags: tags
                .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
            reason: r.get(12)?,
            locked: r.get(13)?,
            done: r.get(14)?,
            attempts: r.get(15)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One cadre-day's households, in walking order.
pub fn cadre_day(
    store: &Store,
    version_id: i64,
    cadre_id: i64,
    date: NaiveDate,
) -> Result<Vec<PlannedVisit>> {
    store.read(|c| visits(c, "pv.version_id = ?1 AND pv.cadre_id = ?2 AND pv.visit_date = ?3 ORDER BY g.sort_order, h.name_pinyin", &[&version_id, &cadre_id, &date]))
}

/// A village's planned visits in the current version.
pub fn village_plan(store: &Store, cycle_id: i64, village_id: i64) -> Result<Vec<PlannedVisit>> {
    store.read(|c| {
        let Some(v) = current_version(c, cycle_id)? else { return Ok(Vec::new()) };
        visits(c, "pv.version_id = ?1 AND h.village_id = ?2 ORDER BY g.sort_order, h.name_pinyin, pv.visit_date", &[&v, &village_id])
    })
}

/// A household's planned visits in the plans in force.
pub fn household_plan(store: &Store, household_id: i64) -> Result<Vec<PlannedVisit>> {
    store.read(|c| {
        visits(
            c,
            "pv.household_id = ?1 AND pv.version_id IN (SELECT max(id) FROM plan_versions GROUP BY cycle_id) ORDER BY pv.visit_date",
            &[&household_id],
        )
    })
}

/// Due items: planned visits not yet done, from the plans in force.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DueList {
    pub today: Vec<PlannedVisit>,
    pub this_week: Vec<PlannedVisit>,
    pub overdue: Vec<PlannedVisit>,
    pub overdue_total: i64,
}

pub fn due_list(
    store: &Store,
    today: NaiveDate,
    cadre_id: Option<i64>,
    limit: u32,
) -> Result<DueList> {
    store.read(|c| {
        let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
        let sunday = monday + Duration::days(6);
        let current = "pv.visit_id IS NULL AND pv.version_id IN (SELECT max(id) FROM plan_versions GROUP BY cycle_id) AND (?3 IS NULL OR pv.cadre_id = ?3)";
        let limit = limit.clamp(1, 500) as i64;
        let today_list = visits(c, &format!("{current} AND pv.visit_date = ?1 AND ?2 = ?2 ORDER BY cd.name_pinyin, g.sort_order LIMIT {limit}"), &[&today, &today, &cadre_id])?;
        let week = visits(c, &format!("{current} AND pv.visit_date > ?1 AND pv.visit_date <= ?2 ORDER BY pv.visit_date, cd.name_pinyin LIMIT {limit}"), &[&today, &sunday, &cadre_id])?;
        let overdue = visits(c, &format!("{current} AND pv.visit_date < ?1 AND ?2 = ?2 ORDER BY pv.visit_date, cd.name_pinyin LIMIT {limit}"), &[&today, &today, &cadre_id])?;
        let overdue_total: i64 = c.query_row(
            &format!("SELECT count(*) FROM plan_visits pv WHERE {current} AND pv.visit_date < ?1 AND ?2 = ?2"),
            params![today, today, cadre_id],
            |r| r.get(0),
        )?;
        Ok(DueList { today: today_list, this_week: week, overdue, overdue_total })
    })
}

/// A household whose visit moved between two versions, and why.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    pub household_id: i64,
    pub head_name: String,
    pub village_name: String,
    #[ts(type = "string | null")]
    pub from_date: Option<NaiveDate>,
    pub from_cadre: Option<String>,
    #[ts(type = "string | null")]
    pub to_date: Option<NaiveDate>,
    pub to_cadre: Option<String>,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VersionDiff {
    pub from_number: i64,
    pub to_number: i64,
    pub unchanged: u32,
    pub changes: Vec<Moved>,
}

/// What moved from version `a` to version `b` of a cycle, household by household.
pub fn compare_versions(store: &Store, cycle_id: i64, a: i64, b: i64) -> Result<VersionDiff> {
    store.read(|c| {
        let number = |v: i64| -> Result<i64> {
            c.query_row("SELECT number FROM plan_versions WHERE id = ?1 AND cycle_id = ?2", params![v, cycle_id], |r| r.get(0))
                .map_err(|_| Error::NotFound("要比较的排班版本不存在，请刷新后重试。".into()))
        };
        let (na, nb) = (number(a)?, number(b)?);
        type Key = (i64, String, String);
        type Slots = HashMap<Key, Vec<(NaiveDate, String, bool)>>;
        let load = |v: i64| -> Result<Slots> {
            let mut st = c.prepare(
                "SELECT pv.household_id, h.head_name, vl.name, pv.visit_date, cd.name, pv.locked
                 FROM plan_visits pv JOIN households h ON h.id = pv.household_id JOIN villages vl ON vl.id = h.village_id
                 JOIN cadres cd ON cd.id = pv.cadre_id WHERE pv.version_id = ?1 ORDER BY pv.visit_date",
            )?;
            let mut m: HashMap<Key, Vec<(NaiveDate, String, bool)>> = HashMap::new();
            let rows = st.query_map([v], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?, r.get(5)?))))?;
            for row in rows {
                let (k, val) = row?;
                m.entry(k).or_default().push(val);
            }
            Ok(m)
        };
        let (va, vb) = (load(a)?, load(b)?);
        let mut keys: Vec<&Key> = va.keys().chain(vb.keys()).collect();
        keys.sort();
        keys.dedup();
        let leave: std::collections::HashSet<(String, NaiveDate)> = {
            let mut st = c.prepare("SELECT cd.name, l.date FROM cadre_leave l JOIN cadres cd ON cd.id = l.cadre_id")?;
            let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            v
        };
        let mut changes = Vec::new();
        let mut unchanged = 0;
        for k in keys {
            let empty = Vec::new();
            let (xa, xb) = (va.get(k).unwrap_or(&empty), vb.get(k).unwrap_or(&empty));
            for i in 0..xa.len().max(xb.len()) {
                let (fa, fb) = (xa.get(i), xb.get(i));
                if let (Some(p), Some(q)) = (fa, fb) {
                    if p.0 == q.0 && p.1 == q.1 {
                        unchanged += 1;
                        continue;
                    }
                }
                let why = match (fa, fb) {
                    (_, Some(q)) if q.2 => "手工调整并锁定".to_string(),
                    (Some(p), _) if leave.contains(&(p.1.clone(), p.0)) => format!("{}在 {} 请假", p.1, p.0),
                    (Some(_), None) => "不再需要：已走访、已不在册，或为满足间隔规则合并到其他日期".to_string(),
                    (None, Some(_)) => "新增安排：新登记的户、重点户新到期，或原先排不上现在有了空位".to_string(),
                    (Some(p), Some(q)) if p.1 == q.1 => format!("同一干部改到 {}：重新计算时给锁定、已走访的安排或变化的规则让位", q.0),
                    (Some(_), Some(q)) => format!("改由{}走访：重新计算时给锁定、已走访的安排或变化的规则让位", q.1),
                    _ => "重新计算后调整".to_string(),
                };
                changes.push(Moved {
                    household_id: k.0,
                    head_name: k.1.clone(),
                    village_name: k.2.clone(),
                    from_date: fa.map(|x| x.0),
                    from_cadre: fa.map(|x| x.1.clone()),
                    to_date: fb.map(|x| x.0),
                    to_cadre: fb.map(|x| x.1.clone()),
                    why,
                });
            }
        }
        Ok(VersionDiff { from_number: na, to_number: nb, unchanged, changes })
    })
}
