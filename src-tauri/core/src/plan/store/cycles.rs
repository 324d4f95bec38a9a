//! Setting up a cycle: its form, checked against the township and the other cycles, stored,
//! read back with its versions and warnings, listed.

use super::{PlanSummary, VersionInfo};
use crate::audit::{self, AuditEntity};
use crate::calendar::Calendar;
use crate::db::{placeholders, Store};
use crate::error::{Error, Result};
use crate::paging::NamedRef;
use crate::plan::problem::Rules;
use crate::validate::check_text;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The cycle form: name, dates, villages in scope and every rule of docs/DOMAIN.md.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CycleInput {
    pub name: String,
    #[ts(type = "string")]
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub end: NaiveDate,
    /// Empty: every village.
    #[serde(default)]
    pub village_ids: Vec<i64>,
    pub min_gap_days: u32,
    pub max_per_month: u32,
    pub per_cadre_day: u32,
    pub prefer_pairing: bool,
    pub prefer_continuity: bool,
    pub locality: bool,
    pub seed: u32,
}

impl CycleInput {
    pub fn new(name: &str, start: NaiveDate, end: NaiveDate) -> CycleInput {
        let r = Rules::default();
        CycleInput {
            name: name.into(),
            start,
            end,
            village_ids: Vec::new(),
            min_gap_days: r.min_gap_days,
            max_per_month: r.max_per_month,
            per_cadre_day: r.per_cadre_day,
            prefer_pairing: r.prefer_pairing,
            prefer_continuity: r.prefer_continuity,
            locality: r.locality,
            seed: 1,
        }
    }
}
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Cycle {
    pub id: i64,
    pub input: CycleInput,
    pub villages: Vec<NamedRef>,
    pub versions: Vec<VersionInfo>,
    pub current: Option<PlanSummary>,
    pub warnings: Vec<String>,
}

fn validate(c: &Connection, input: &CycleInput, except: Option<i64>) -> Result<String> {
    let name = check_text("name", "轮次名称", &input.name, 40)?;
    let other: Option<i64> = c
        .query_row("SELECT id FROM plan_cycles WHERE name = ?1", [&name], |r| {
            r.get(0)
        })
        .optional()?;
    if other.is_some_and(|o| Some(o) != except) {
        return Err(Error::duplicate(
            "name",
            format!("已经有名为“{name}”的轮次了，请换一个名称。"),
        ));
    }
    if input.end < input.start {
        return Err(Error::invalid(
            "end",
            format!("结束日期 {} 早于开始日期 {}。", input.end, input.start),
        ));
    }
    if (input.end - input.start).num_days() > 366 {
        return Err(Error::invalid(
            "end",
            "一个轮次不超过一年，请缩短日期范围。",
        ));
    }
    for (field, label, v, lo, hi) in [
        ("minGapDays", "最小间隔天数", input.min_gap_days, 1, 90),
        (
            "maxPerMonth",
            "每户每月最多走访次数",
            input.max_per_month,
            1,
            31,
        ),
        (
            "perCadreDay",
            "每名干部每天最多走访户数",
            input.per_cadre_day,
            1,
            50,
        ),
    ] {
        if !(lo..=hi).contains(&v) {
            return Err(Error::invalid(
                field,
                format!("{label}“{v}”不合理，应在 {lo} 到 {hi} 之间。"),
            ));
        }
    }
    // A cycle without a single working day can never be planned: refused before anything is
    // written (a refused cycle must leave no 新增/删除 lines in the 操作记录).
    let cal = Calendar::load(c)?;
    let mut d = input.start;
    while d <= input.end && !cal.is_working_day(d) {
        d += Duration::days(1);
    }
    if d > input.end {
        return Err(Error::invalid(
            "end",
            format!(
                "{} 至 {} 没有工作日（周末或法定节假日），无法排班。请把日期范围放宽到包含工作日。",
                input.start, input.end
            ),
        ));
    }
    let ids = distinct_villages(&input.village_ids);
    overlapping(c, input, &ids, except)?;
    if !ids.is_empty() {
        let n: i64 = c
            .prepare_cached(&format!(
                "SELECT count(*) FROM villages WHERE id IN ({})",
                placeholders(ids.len())
            ))?
            .query_row(params_from_iter(&ids), |r| r.get(0))?;
        if n != ids.len() as i64 {
            return Err(Error::invalid(
                "villageIds",
                "所选的村中有已被删除的，请刷新后重新选择。",
            ));
        }
    }
    Ok(name)
}

/// Two cycles for one village at the same time would each plan its households as if the other
/// did not exist (a household visited twice a day, a cadre's day over its cap): refused, naming
/// the other cycle and the villages they share. No villages chosen means all of them.
fn overlapping(c: &Connection, input: &CycleInput, ids: &[i64], except: Option<i64>) -> Result<()> {
    let mut st = c.prepare(
        "SELECT p.id, p.name, p.start_date, p.end_date FROM plan_cycles p
         WHERE p.start_date <= ?2 AND p.end_date >= ?1 ORDER BY p.start_date, p.id",
    )?;
    let others: Vec<(i64, String, NaiveDate, NaiveDate)> = st
        .query_map(params![input.start, input.end], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let all: Vec<i64> = c
        .prepare("SELECT id FROM villages ORDER BY sort_order, id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mine: Vec<i64> = if ids.is_empty() {
        all.clone()
    } else {
        ids.to_vec()
    };
    for (id, name, start, end) in others {
        if Some(id) == except {
            continue;
        }
        let theirs: Vec<i64> = c
            .prepare("SELECT village_id FROM plan_cycle_villages WHERE cycle_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let theirs = if theirs.is_empty() {
            all.clone()
        } else {
            theirs
        };
        let shared: Vec<i64> = mine
            .iter()
            .copied()
            .filter(|v| theirs.contains(v))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let mut names = Vec::new();
        for v in shared.iter().take(3) {
            names.push(
                c.query_row("SELECT name FROM villages WHERE id = ?1", [v], |r| {
                    r.get::<_, String>(0)
                })?,
            );
        }
        let more = if shared.len() > 3 {
            format!("等 {} 个村", shared.len())
        } else {
            String::new()
        };
        return Err(Error::invalid(
            "start",
            format!(
                "与轮次“{name}”（{start} 至 {end}）在{}{more}的日期重叠：同一个村同一时间只能有一个轮次。请把开始日期放在 {end} 之后，或换选别的村。",
                names.join("、")
            ),
        ));
    }
    Ok(())
}

/// The chosen villages, each once (黄河村,黄河村 is one village chosen twice, not an error).
fn distinct_villages(ids: &[i64]) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|v| seen.insert(*v)).collect()
}

fn write_cycle(c: &Connection, id: Option<i64>, name: &str, input: &CycleInput) -> Result<i64> {
    let now = crate::now_text();
    let existing = id;
    let id = match id {
        Some(id) => {
            c.execute(
                "UPDATE plan_cycles SET name = ?1, start_date = ?2, end_date = ?3, min_gap_days = ?4, max_per_month = ?5,
                     per_cadre_day = ?6, prefer_pairing = ?7, prefer_continuity = ?8, locality = ?9, seed = ?10, updated_at = ?11
                 WHERE id = ?12",
                params![
                    name,
                    input.start,
                    input.end,
                    input.min_gap_days,
                    input.max_per_month,
                    input.per_cadre_day,
                    input.prefer_pairing,
                    input.prefer_continuity,
                    input.locality,
                    input.seed,
                    now,
                    id
                ],
            )?;
            id
        }
        None => {
            c.execute(
                "INSERT INTO plan_cycles (name, start_date, end_date, min_gap_days, max_per_month, per_cadre_day,
                     prefer_pairing, prefer_continuity, locality, seed, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                params![
                    name,
                    input.start,
                    input.end,
                    input.min_gap_days,
                    input.max_per_month,
                    input.per_cadre_day,
                    input.prefer_pairing,
                    input.prefer_continuity,
                    input.locality,
                    input.seed,
                    now
                ],
            )?;
            c.last_insert_rowid()
        }
    };
    let (before, min) = match existing {
        Some(_) => (
            audit::sets(c, AuditEntity::Plan, id)?,
            audit::Level::ChangesOnly,
        ),
        None => (audit::empty_sets(AuditEntity::Plan), audit::Level::All),
    };
    c.execute("DELETE FROM plan_cycle_villages WHERE cycle_id = ?1", [id])?;
    for v in &distinct_villages(&input.village_ids) {
        c.execute(
            "INSERT INTO plan_cycle_villages (cycle_id, village_id) VALUES (?1, ?2)",
            params![id, v],
        )?;
    }
    audit::record_sets(c, AuditEntity::Plan, id, &before, min)?;
    Ok(id)
}

pub fn create_cycle(store: &Store, input: &CycleInput) -> Result<Cycle> {
    let id = store.write(|tx| {
        let name = validate(tx, input, None)?;
        write_cycle(tx, None, &name, input)
    })?;
    get_cycle(store, id)
}

pub fn update_cycle(store: &Store, id: i64, input: &CycleInput) -> Result<Cycle> {
    store.write(|tx| {
        read_input(tx, id)?;
        let name = validate(tx, input, Some(id))?;
        write_cycle(tx, Some(id), &name, input)
    })?;
    get_cycle(store, id)
}

/// Deletes a cycle and its versions. Visits already recorded in the diary stay.
pub fn delete_cycle(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        read_input(tx, id)?;
        tx.execute("DELETE FROM plan_cycles WHERE id = ?1", [id])?;
        Ok(())
    })
}

pub(crate) fn read_input(c: &Connection, id: i64) -> Result<CycleInput> {
    let mut input = c
        .query_row(
            "SELECT name, start_date, end_date, min_gap_days, max_per_month, per_cadre_day, prefer_pairing,
                    prefer_continuity, locality, seed FROM plan_cycles WHERE id = ?1",
            [id],
            |r| {
                Ok(CycleInput {
                    name: r.get(0)?,
                    start: r.get(1)?,
                    end: r.get(2)?,
                    village_ids: Vec::new(),
                    min_gap_days: r.get(3)?,
                    max_per_month: r.get(4)?,
                    per_cadre_day: r.get(5)?,
                    prefer_pairing: r.get(6)?,
                    prefer_continuity: r.get(7)?,
                    locality: r.get(8)?,
                    seed: r.get(9)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到编号为 {id} 的轮次，可能已被删除。")))?;
    input.village_ids = c
        .prepare_cached(
            "SELECT village_id FROM plan_cycle_villages WHERE cycle_id = ?1 ORDER BY village_id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(input)
}

pub(crate) fn current_version(c: &Connection, cycle_id: i64) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT max(id) FROM plan_versions WHERE cycle_id = ?1",
        [cycle_id],
        |r| r.get(0),
    )?)
}

pub(super) fn calendar_warnings(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> Vec<String> {
    (start.year()..=end.year())
        .filter_map(|y| cal.warning_for(NaiveDate::from_ymd_opt(y, 1, 1)?))
        .collect()
}

/// Rules of the cycle that defeat each other: a minimum gap as long as a 必到 period leaves no
/// day on which a 重点户 can be visited on time (visits fall on working days, so the gap is
/// always a little longer than N).
pub(super) fn rule_warnings(c: &Connection, input: &CycleInput) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut st = c.prepare(
        "SELECT name, every_days FROM key_rules WHERE every_days <= ?1 ORDER BY every_days, id",
    )?;
    let clashing: Vec<(String, u32)> = st
        .query_map([input.min_gap_days], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, every) in clashing {
        out.push(format!(
            "两次走访至少间隔 {} 天，不短于“{name}”规定的每 {every} 天走访一次：这类重点户几乎不可能按期走访。\
             请把最小间隔改小（默认 14 天），或在“设置 → 标签与重点户”中放宽这条规则。",
            input.min_gap_days
        ));
    }
    Ok(out)
}

pub fn get_cycle(store: &Store, id: i64) -> Result<Cycle> {
    store.read(|c| {
        let input = read_input(c, id)?;
        let cal = Calendar::load(c)?;
        let villages: Vec<NamedRef> = if input.village_ids.is_empty() {
            c.prepare("SELECT id, name FROM villages ORDER BY sort_order, id")?
                .query_map([], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
                .collect::<rusqlite::Result<_>>()?
        } else {
            c.prepare("SELECT v.id, v.name FROM plan_cycle_villages cv JOIN villages v ON v.id = cv.village_id WHERE cv.cycle_id = ?1 ORDER BY v.sort_order")?
                .query_map([id], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
                .collect::<rusqlite::Result<_>>()?
        };
        let versions: Vec<VersionInfo> = c
            .prepare("SELECT id, number, created_at FROM plan_versions WHERE cycle_id = ?1 ORDER BY number")?
            .query_map([id], |r| Ok(VersionInfo { id: r.get(0)?, number: r.get(1)?, created_at: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let current = match versions.last() {
            Some(v) => {
                let json: String = c.query_row("SELECT summary FROM plan_versions WHERE id = ?1", [v.id], |r| r.get(0))?;
                serde_json::from_str(&crate::plan::evaluate::ShortfallCause::upgrade_saved(&json)).ok()
            }
            None => None,
        };
        let mut warnings = calendar_warnings(&cal, input.start, input.end);
        warnings.extend(rule_warnings(c, &input)?);
        Ok(Cycle { id, input, villages, versions, current, warnings })
    })
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CycleRow {
    pub id: i64,
    pub name: String,
    #[ts(type = "string")]
    pub start: NaiveDate,
    #[ts(type = "string")]
    pub end: NaiveDate,
    pub versions: i64,
    pub planned: i64,
    pub done: i64,
}

pub fn list_cycles(store: &Store) -> Result<Vec<CycleRow>> {
    store.read(|c| {
        let mut st = c.prepare(
            "SELECT p.id, p.name, p.start_date, p.end_date,
                    (SELECT count(*) FROM plan_versions v WHERE v.cycle_id = p.id),
                    (SELECT count(*) FROM plan_visits pv WHERE pv.version_id = (SELECT max(id) FROM plan_versions WHERE cycle_id = p.id)),
                    (SELECT count(*) FROM plan_visits pv WHERE pv.version_id = (SELECT max(id) FROM plan_versions WHERE cycle_id = p.id) AND pv.visit_id IS NOT NULL)
             FROM plan_cycles p ORDER BY p.start_date DESC, p.id DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(CycleRow { id: r.get(0)?, name: r.get(1)?, start: r.get(2)?, end: r.get(3)?, versions: r.get(4)?, planned: r.get(5)?, done: r.get(6)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}
