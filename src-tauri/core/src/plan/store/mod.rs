//! Cycles and computed plans in the database: setting up a cycle, computing a new version
//! (the engine on the township as it is, keeping locked and completed visits), and reading
//! back the summary.
//!
//! `cycles` sets up and reads back a cycle; `load` reads what the engine plans from the
//! database; this module computes, stores and checks the versions.

mod cycles;
mod load;

pub use cycles::{
    create_cycle, delete_cycle, get_cycle, list_cycles, update_cycle, Cycle, CycleInput, CycleRow,
};
pub(crate) use cycles::{current_version, read_input};
use load::{load, load_problem, still_fitting};

use crate::db::Store;
use crate::error::{Error, Result};
use crate::plan::check::check;
use crate::plan::engine::solve;
use crate::plan::evaluate::{explain, score, CadreLoad, Score, Shortfall, VillageCoverage};
use crate::plan::problem::Reason;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

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
            plan.push(crate::plan::problem::Assignment { household: h, cadre: k, day: t, reason: Reason::Coverage, fixed: false });
        }
        violations.extend(check(p, &plan).into_iter().map(|v| RuleViolation { rule: v.rule.into(), message: v.message }));
        Ok(PlanCheck { version_id, number, checked, violations })
    })
}
