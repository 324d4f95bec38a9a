//! Cycles and computed plans in the database: setting up a cycle, computing a new version
//! (the engine on the township as it is, keeping locked and completed visits), and reading
//! back the summary.

use super::check::check;
use super::engine::solve;
use super::evaluate::{explain, score, CadreLoad, Score, Shortfall, VillageCoverage};
use super::problem::{spread_days, Cadre, Fixed, Household, Problem, Reason, Rules, Village};
use crate::audit::{self, AuditEntity};
use crate::calendar::Calendar;
use crate::db::{placeholders, Store};
use crate::error::{Error, Result};
use crate::paging::NamedRef;
use crate::validate::check_text;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub id: i64,
    pub number: i64,
    pub created_at: String,
}

/// What a computation produced, as the screen and `minqing plan create` show it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    pub version_id: i64,
    pub number: i64,
    pub assignments: u32,
    pub score: Score,
    pub loads: Vec<CadreLoad>,
    pub villages: Vec<VillageCoverage>,
    pub shortfalls: Vec<Shortfall>,
    /// From the independent checker; empty for every plan the engine makes.
    pub hard_violations: Vec<String>,
    pub seconds: f64,
    /// e.g. a year of the cycle without a holiday table.
    pub warnings: Vec<String>,
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

fn calendar_warnings(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> Vec<String> {
    (start.year()..=end.year())
        .filter_map(|y| cal.warning_for(NaiveDate::from_ymd_opt(y, 1, 1)?))
        .collect()
}

/// Rules of the cycle that defeat each other: a minimum gap as long as a 必到 period leaves no
/// day on which a 重点户 can be visited on time (visits fall on working days, so the gap is
/// always a little longer than N).
fn rule_warnings(c: &Connection, input: &CycleInput) -> Result<Vec<String>> {
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
                serde_json::from_str(&super::evaluate::ShortfallCause::upgrade_saved(&json)).ok()
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

/// What the engine needs, read from the database, with the ids to map its answer back.
pub(crate) struct Loaded {
    pub problem: Problem,
    pub household_ids: Vec<i64>,
    pub cadre_ids: Vec<i64>,
    /// Rows of the current version kept as they are: (household idx, cadre idx, day idx, row id).
    pub keep_rows: Vec<i64>,
    /// The current version's other planned visits (not locked, not done): what a
    /// recomputation that keeps the plan tries to leave where it is.
    pub unlocked: Vec<(i64, Fixed)>,
    pub warnings: Vec<String>,
}

pub(crate) fn load_problem(c: &Connection, cycle_id: i64) -> Result<Loaded> {
    load(c, cycle_id, true)
}

/// `keep_current`: the current version's locked visits become fixed (recomputing); without
/// it the problem is the township alone (checking a stored version).
fn load(c: &Connection, cycle_id: i64, keep_current: bool) -> Result<Loaded> {
    let input = read_input(c, cycle_id)?;
    let cal = Calendar::load(c)?;
    let mut days = Vec::new();
    let mut d = input.start;
    while d <= input.end {
        if cal.is_working_day(d) {
            days.push(d);
        }
        d += Duration::days(1);
    }
    if days.is_empty() {
        return Err(Error::invalid(
            "end",
            "这个日期范围内没有工作日，无法排班。",
        ));
    }
    let day_index: HashMap<NaiveDate, usize> =
        days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    // Villages in scope.
    let villages: Vec<(i64, String)> = if input.village_ids.is_empty() {
        c.prepare("SELECT id, name FROM villages ORDER BY sort_order, id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        c.prepare("SELECT v.id, v.name FROM plan_cycle_villages cv JOIN villages v ON v.id = cv.village_id WHERE cv.cycle_id = ?1 ORDER BY v.sort_order, v.id")?
            .query_map([cycle_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let village_index: HashMap<i64, usize> = villages
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();

    // Cadres: active, linked to a village in scope.
    let mut cadres: Vec<Cadre> = Vec::new();
    let mut cadre_ids = Vec::new();
    {
        let mut st = c.prepare("SELECT id, name, visit_weekdays, visit_days_per_month FROM cadres WHERE active = 1 ORDER BY id")?;
        let rows: Vec<(i64, String, String, u32)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut links =
            c.prepare_cached("SELECT village_id FROM cadre_villages WHERE cadre_id = ?1")?;
        let mut leave = c.prepare_cached(
            "SELECT date FROM cadre_leave WHERE cadre_id = ?1 AND date BETWEEN ?2 AND ?3",
        )?;
        for (id, name, weekdays, per_month) in rows {
            let linked: Vec<usize> = links
                .query_map([id], |r| r.get::<_, i64>(0))?
                .filter_map(|v| v.ok().and_then(|v| village_index.get(&v).copied()))
                .collect();
            if linked.is_empty() {
                continue;
            }
            let pattern: Vec<u32> = weekdays
                .split(',')
                .filter_map(|w| w.trim().parse().ok())
                .filter(|w| (1..=7).contains(w))
                .collect();
            let mut allowed: Vec<bool> = if pattern.is_empty() {
                vec![true; days.len()]
            } else {
                days.iter()
                    .map(|d| pattern.contains(&d.weekday().number_from_monday()))
                    .collect()
            };
            let mut available = if pattern.is_empty() {
                spread_days(&days, per_month)
            } else {
                allowed.clone()
            };
            let mut lost = Vec::new();
            for l in leave.query_map(params![id, input.start, input.end], |r| {
                r.get::<_, NaiveDate>(0)
            })? {
                if let Some(&t) = day_index.get(&l?) {
                    if available[t] {
                        lost.push(t);
                    }
                    available[t] = false;
                    allowed[t] = false;
                }
            }
            // "N days a month": a leave day that fell on one of the spread days is replaced by
            // the nearest free day of the same month, so the month keeps its N days.
            if pattern.is_empty() {
                for t in lost {
                    let month = super::problem::month_key(days[t]);
                    let replacement = (1..days.len())
                        .flat_map(|k| [t.checked_sub(k), Some(t + k)])
                        .flatten()
                        .filter(|&u| u < days.len())
                        .find(|&u| {
                            super::problem::month_key(days[u]) == month
                                && allowed[u]
                                && !available[u]
                        });
                    if let Some(u) = replacement {
                        available[u] = true;
                    }
                }
            }
            cadre_ids.push(id);
            cadres.push(Cadre {
                id,
                name,
                villages: linked,
                available,
                allowed,
                days_per_month: pattern.is_empty().then_some(per_month),
                taken: Vec::new(),
            });
        }
    }
    let cadre_index: HashMap<i64, usize> = cadre_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();

    // Households in scope: 在册, with their 必到 period, pairing, previous cadre and recent visits.
    let mut households = Vec::new();
    let mut household_ids = Vec::new();
    {
        let mut st = c.prepare(
            "SELECT h.id, h.village_id, h.group_id, g.sort_order,
                    (SELECT min(k.every_days) FROM household_tags ht JOIN tags t ON t.id = ht.tag_id
                       JOIN key_rules k ON k.id = t.key_rule_id WHERE ht.household_id = h.id),
                    (SELECT cadre_id FROM cadre_households ch WHERE ch.household_id = h.id)
             FROM households h JOIN village_groups g ON g.id = h.group_id
             WHERE h.status = '在册'
             ORDER BY h.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<u32>>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, village, group, group_order, key_every, paired) = row?;
            let Some(&v) = village_index.get(&village) else {
                continue;
            };
            household_ids.push(id);
            households.push(Household {
                id,
                village: v,
                group,
                group_order,
                key_every,
                paired: paired.and_then(|p| cadre_index.get(&p).copied()),
                previous: None,
                history: Vec::new(),
            });
        }
    }
    let household_index: HashMap<i64, usize> = household_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    // Recorded visits near and inside the cycle (gap, monthly limit, must-visit timing), and the
    // last cadre before the cycle (continuity).
    {
        let from = input.start - Duration::days(62);
        let mut st = c.prepare(
            "SELECT v.household_id, v.visit_date, v.outcome IN ('见到户主', '见到家人'),
                    (SELECT min(cadre_id) FROM visit_cadres vc WHERE vc.visit_id = v.id)
             FROM visits v WHERE v.visit_date BETWEEN ?1 AND ?2 ORDER BY v.visit_date",
        )?;
        let rows = st.query_map(params![from, input.end], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, NaiveDate>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        for row in rows {
            let (hid, date, counted, cadre) = row?;
            if let Some(&h) = household_index.get(&hid) {
                if counted {
                    households[h].history.push(date);
                }
                if date < input.start {
                    households[h].previous = cadre.and_then(|c| cadre_index.get(&c).copied());
                }
            }
        }
    }
    // Other cycles' current plans (not yet done: done ones are recorded visits above): their
    // visits count like recorded ones for the gap and the monthly limit, and fill their
    // cadres' days — two cycles must not together break a rule neither breaks alone.
    {
        let from = input.start - Duration::days(62);
        let to = input.end + Duration::days(62);
        let mut st = c.prepare(
            "SELECT pv.household_id, pv.cadre_id, pv.visit_date FROM plan_visits pv
             WHERE pv.visit_id IS NULL AND pv.visit_date BETWEEN ?2 AND ?3
               AND pv.version_id IN (SELECT max(id) FROM plan_versions
                                      WHERE cycle_id <> ?1 GROUP BY cycle_id)",
        )?;
        let rows = st.query_map(params![cycle_id, from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, NaiveDate>(2)?,
            ))
        })?;
        for row in rows {
            let (hid, cid, date) = row?;
            if let Some(&h) = household_index.get(&hid) {
                households[h].history.push(date);
            }
            if let (Some(&cd), Some(&t)) = (cadre_index.get(&cid), day_index.get(&date)) {
                let taken = &mut cadres[cd].taken;
                if taken.is_empty() {
                    taken.resize(days.len(), 0);
                }
                taken[t] += 1;
            }
        }
    }
    // The current version: locked visits stay where they are; done ones are history already.
    let mut fixed = Vec::new();
    let mut keep_rows = Vec::new();
    let mut unlocked = Vec::new();
    if let Some(v) = current_version(c, cycle_id)?.filter(|_| keep_current) {
        let mut st = c.prepare("SELECT id, household_id, cadre_id, visit_date, locked, visit_id IS NOT NULL FROM plan_visits WHERE version_id = ?1")?;
        let rows = st.query_map([v], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, NaiveDate>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?;
        for row in rows {
            let (row_id, hid, cid, date, locked, done) = row?;
            if done {
                keep_rows.push(row_id);
            } else if let (Some(&h), Some(&cd), Some(&t)) = (
                household_index.get(&hid),
                cadre_index.get(&cid),
                day_index.get(&date),
            ) {
                let f = Fixed {
                    household: h,
                    cadre: cd,
                    day: t,
                };
                if locked {
                    fixed.push(f);
                    keep_rows.push(row_id);
                } else {
                    unlocked.push((row_id, f));
                }
            }
        }
    }
    make_room_for_fixed(&mut cadres, &days, &fixed);
    let rules = Rules {
        min_gap_days: input.min_gap_days,
        max_per_month: input.max_per_month,
        per_cadre_day: input.per_cadre_day,
        prefer_pairing: input.prefer_pairing,
        prefer_continuity: input.prefer_continuity,
        locality: input.locality,
    };
    let mut warnings = calendar_warnings(&cal, input.start, input.end);
    warnings.extend(rule_warnings(c, &input)?);
    Ok(Loaded {
        problem: Problem {
            start: input.start,
            end: input.end,
            days,
            villages: villages
                .into_iter()
                .map(|(id, name)| Village { id, name })
                .collect(),
            households,
            cadres,
            rules,
            fixed,
        },
        household_ids,
        cadre_ids,
        keep_rows,
        unlocked,
        warnings,
    })
}

/// The current version's unlocked visits that still fit every hard rule next to the locked
/// and recorded ones — the cadre still links the village and visits that day, the day has
/// room and stays in one village, the household's gap and monthly limit hold. Visits are taken
/// in date order, so a visit that a locked move or a new leave day displaced is the one left
/// out (and planned afresh).
fn still_fitting(p: &Problem, unlocked: &[(i64, Fixed)]) -> Vec<usize> {
    let mut dates: Vec<Vec<NaiveDate>> = p.households.iter().map(|h| h.history.clone()).collect();
    let mut load: HashMap<(usize, usize), u32> = HashMap::new();
    for (c, cadre) in p.cadres.iter().enumerate() {
        for t in 0..p.days.len() {
            if cadre.taken_on(t) > 0 {
                load.insert((c, t), cadre.taken_on(t));
            }
        }
    }
    let mut village: HashMap<(usize, usize), usize> = HashMap::new();
    for f in &p.fixed {
        dates[f.household].push(p.days[f.day]);
        *load.entry((f.cadre, f.day)).or_default() += 1;
        village
            .entry((f.cadre, f.day))
            .or_insert(p.households[f.household].village);
    }
    let mut order: Vec<usize> = (0..unlocked.len()).collect();
    order.sort_by_key(|&i| (unlocked[i].1.day, unlocked[i].0));
    let mut out = Vec::new();
    for i in order {
        let f = unlocked[i].1;
        let (c, t, h) = (f.cadre, f.day, f.household);
        let v = p.households[h].village;
        let d = p.days[t];
        let fits = p.cadres[c].available[t]
            && p.cadres[c].villages.contains(&v)
            && *load.get(&(c, t)).unwrap_or(&0) < p.rules.per_cadre_day
            && village.get(&(c, t)).is_none_or(|x| *x == v)
            && p.rules.household_allows(&dates[h], d);
        if fits {
            dates[h].push(d);
            *load.entry((c, t)).or_default() += 1;
            village.entry((c, t)).or_insert(v);
            out.push(i);
        }
    }
    out
}

/// A locked visit moved by hand onto a day outside an "N days a month" cadre's spread days:
/// that day becomes a planning day and another day of the same month without locked visits
/// (the nearest) stops being one, so the month keeps N visit days.
fn make_room_for_fixed(cadres: &mut [Cadre], days: &[NaiveDate], fixed: &[Fixed]) {
    use super::problem::month_key;
    for f in fixed {
        let c = &mut cadres[f.cadre];
        if c.available[f.day] || !c.allowed[f.day] {
            continue;
        }
        c.available[f.day] = true;
        let Some(n) = c.days_per_month else { continue };
        let month = month_key(days[f.day]);
        let in_month: Vec<usize> = (0..days.len())
            .filter(|t| month_key(days[*t]) == month && c.available[*t])
            .collect();
        if in_month.len() as u32 <= n {
            continue;
        }
        let locked_here = |t: usize| fixed.iter().any(|x| x.cadre == f.cadre && x.day == t);
        if let Some(drop) = in_month
            .iter()
            .copied()
            .filter(|t| !locked_here(*t))
            .min_by_key(|t| (*t as i64 - f.day as i64).abs())
        {
            c.available[drop] = false;
        }
    }
}

/// Computes a new version of the cycle's plan: locked and completed visits stay, the rest is
/// planned afresh. Refuses to store a plan the independent checker finds a hard violation in.
///
/// `keep`: the current version's unlocked visits that still fit stay too (copied as they
/// are), and only what they leave open is planned — what a coordinator wants after moving and
/// locking a few visits or adding a leave day, when the task sheets are already out. Without
/// it everything not locked or done is planned afresh (after changing rules or cadres).
pub fn compute_plan(store: &Store, cycle_id: i64, keep: bool) -> Result<PlanSummary> {
    // A recomputation replaces the current version as the one in use: a copy first.
    if store.read(|c| current_version(c, cycle_id))?.is_some() {
        crate::db::backup::before_recompute(store, chrono::Local::now().naive_local())?;
    }
    store.write(|tx| {
        let started = std::time::Instant::now();
        let mut loaded = load_problem(tx, cycle_id)?;
        if keep {
            for i in still_fitting(&loaded.problem, &loaded.unlocked) {
                let (row, f) = loaded.unlocked[i];
                loaded.problem.fixed.push(f);
                loaded.keep_rows.push(row);
            }
        }
        let seed: u32 = tx.query_row("SELECT seed FROM plan_cycles WHERE id = ?1", [cycle_id], |r| r.get(0))?;
        let p = &loaded.problem;
        let sol = solve(p, seed as u64);
        let violations: Vec<String> = check(p, &sol.assignments).into_iter().map(|v| v.message).collect();
        if !violations.is_empty() {
            // Only locked visits that no longer fit (leave or a holiday added after locking) can
            // get here; the engine itself never breaks a hard rule.
            return Err(Error::Conflict(format!(
                "排班未保存：已锁定的走访与现行规则冲突（{}）。请解除这些走访的锁定或调整后重新计算。",
                violations.iter().take(3).cloned().collect::<Vec<_>>().join("；")
            )));
        }
        let (score, loads, villages) = score(p, &sol.assignments);
        let shortfalls = explain(p, &sol.assignments, &villages);
        let number: i64 = tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM plan_versions WHERE cycle_id = ?1", [cycle_id], |r| r.get(0))?;
        let previous = current_version(tx, cycle_id)?;
        tx.execute(
            "INSERT INTO plan_versions (cycle_id, number, created_at, summary) VALUES (?1, ?2, ?3, '{}')",
            params![cycle_id, number, crate::now_text()],
        )?;
        let version_id = tx.last_insert_rowid();
        // Kept rows (done and locked) are copied as they are.
        if previous.is_some() && !loaded.keep_rows.is_empty() {
            let mut copy = tx.prepare_cached(
                "INSERT INTO plan_visits (version_id, household_id, cadre_id, visit_date, reason, locked, visit_id, attempts, last_attempt)
                 SELECT ?1, household_id, cadre_id, visit_date, reason, locked, visit_id, attempts, last_attempt FROM plan_visits WHERE id = ?2",
            )?;
            for row in &loaded.keep_rows {
                copy.execute(params![version_id, row])?;
            }
        }
        let mut ins = tx.prepare_cached(
            "INSERT INTO plan_visits (version_id, household_id, cadre_id, visit_date, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut planned = 0u32;
        for a in sol.assignments.iter().filter(|a| !a.fixed) {
            ins.execute(params![version_id, loaded.household_ids[a.household], loaded.cadre_ids[a.cadre], p.days[a.day], a.reason.as_str()])?;
            planned += 1;
        }
        let summary = PlanSummary {
            version_id,
            number,
            assignments: planned + loaded.keep_rows.len() as u32,
            score,
            loads,
            villages,
            shortfalls,
            hard_violations: violations,
            seconds: started.elapsed().as_secs_f64(),
            warnings: loaded.warnings.clone(),
        };
        tx.execute(
            "UPDATE plan_versions SET summary = ?1 WHERE id = ?2",
            params![serde_json::to_string(&summary).map_err(|e| Error::Internal(e.to_string()))?, version_id],
        )?;
        Ok(summary)
    })
}

/// What `minqing plan check` reports: the independent checker run on a stored version.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PlanCheck {
    pub version_id: i64,
    pub number: i64,
    /// Planned visits checked (completed ones are recorded visits and count as history).
    pub checked: u32,
    pub violations: Vec<RuleViolation>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RuleViolation {
    pub rule: String,
    pub message: String,
}

/// Checks the stored version (the current one unless given) against the township as it is
/// now: cadres' days and leave, the calendar, recorded visits and the cycle's rules.
pub fn check_version(store: &Store, cycle_id: i64, version_id: Option<i64>) -> Result<PlanCheck> {
    store.read(|c| {
        read_input(c, cycle_id)?;
        let (version_id, number): (i64, i64) = match version_id {
            Some(v) => c
                .query_row("SELECT id, number FROM plan_versions WHERE id = ?1 AND cycle_id = ?2", params![v, cycle_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("这一轮次没有编号为 {v} 的排班版本。")))?,
            None => c
                .query_row("SELECT id, number FROM plan_versions WHERE cycle_id = ?1 ORDER BY id DESC LIMIT 1", [cycle_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| Error::Conflict("这一轮次还没有计算排班，请先计算。".into()))?,
        };
        let loaded = load(c, cycle_id, false)?;
        let p = &loaded.problem;
        let hh: HashMap<i64, usize> = loaded.household_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let cd: HashMap<i64, usize> = loaded.cadre_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let day: HashMap<NaiveDate, usize> = p.days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut plan = Vec::new();
        let mut violations = Vec::new();
        let mut st = c.prepare(
            "SELECT pv.household_id, h.head_name, pv.cadre_id, cd.name, pv.visit_date
             FROM plan_visits pv JOIN households h ON h.id = pv.household_id JOIN cadres cd ON cd.id = pv.cadre_id
             WHERE pv.version_id = ?1 AND pv.visit_id IS NULL",
        )?;
        let rows = st.query_map([version_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?, r.get::<_, NaiveDate>(4)?))
        })?;
        let mut checked = 0u32;
        for row in rows {
            let (hid, head, cid, cadre, date) = row?;
            checked += 1;
            // Visits the problem cannot even express break a rule by themselves.
            let (Some(&h), Some(&k), Some(&t)) = (hh.get(&hid), cd.get(&cid), day.get(&date)) else {
                let why = if !day.contains_key(&date) {
                    ("day", format!("{cadre}走访{head}安排在 {date}，这天不是本轮的工作日"))
                } else if !cd.contains_key(&cid) {
                    ("village", format!("{cadre}已停用或不再挂钩本轮的村，仍安排走访{head}"))
                } else {
                    ("village", format!("{head}已不在本轮范围内（已迁出、注销或所在村不在本轮），仍安排了走访"))
                };
                violations.push(RuleViolation { rule: why.0.into(), message: why.1 });
                continue;
            };
            plan.push(super::problem::Assignment { household: h, cadre: k, day: t, reason: Reason::Coverage, fixed: false });
        }
        violations.extend(check(p, &plan).into_iter().map(|v| RuleViolation { rule: v.rule.into(), message: v.message }));
        Ok(PlanCheck { version_id, number, checked, violations })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_visit_on_an_unplanned_day_takes_the_place_of_the_nearest_free_day() {
        let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let days: Vec<NaiveDate> = (0..30).map(|i| start + Duration::days(i)).collect();
        let available = spread_days(&days, 4);
        let off = (0..30).find(|t| !available[*t]).unwrap();
        let locked_elsewhere = (0..30).rev().find(|t| available[*t]).unwrap();
        let mut cadres = vec![Cadre {
            id: 1,
            name: "甲".into(),
            villages: vec![0],
            available,
            allowed: vec![true; 30],
            days_per_month: Some(4),
            taken: Vec::new(),
        }];
        let fixed = vec![
            Fixed {
                household: 0,
                cadre: 0,
                day: off,
            },
            Fixed {
                household: 1,
                cadre: 0,
                day: locked_elsewhere,
            },
        ];
        make_room_for_fixed(&mut cadres, &days, &fixed);
        let c = &cadres[0];
        assert!(c.available[off]);
        assert!(
            c.available[locked_elsewhere],
            "a day with a locked visit stays"
        );
        assert_eq!(c.available.iter().filter(|a| **a).count(), 4);
    }
}
