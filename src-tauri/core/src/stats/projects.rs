//! The figures of 实事项目 for a period: the 实事项目台账 (every project as it stood at the
//! period's end) and the 办实事竞赛情况表 (by unit: projects planned, underway, done, stopped,
//! funds, on-time completion, the unit's requests closed, a score by a printed rule, a ranking).
//!
//! A project belongs to a period when it was registered by the period's end and was not
//! finished (已完成/已终止) before the period began. Its status is the one its history shows at
//! the period's end, so a report of last quarter does not change when a project moves on today.

use crate::db::settings::{read_json, write_json};
use crate::error::{Error, Result};
use crate::requests::projects::{ProjectKind, ProjectStatus};
use crate::requests::rates::{rates_in, RateGroup};
use crate::stats::district::Scope;
use crate::Store;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// How the 办实事竞赛 scores a unit (set in 设置; printed under the table).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ContestRule {
    /// Points for each project done (已完成) in the period.
    pub done_points: f64,
    /// Points for each project underway (实施中) at the period's end.
    pub underway_points: f64,
    /// Points for an on-time rate of 100 % (proportionally less).
    pub on_time_points: f64,
    /// Points for closing all the unit's requests received in the period (proportionally less).
    pub requests_points: f64,
}

impl Default for ContestRule {
    fn default() -> Self {
        ContestRule {
            done_points: 10.0,
            underway_points: 4.0,
            on_time_points: 30.0,
            requests_points: 30.0,
        }
    }
}

fn points(x: f64) -> String {
    super::figure_text(Some(x))
}

impl ContestRule {
    /// The rule in words, as the sheet prints it.
    pub fn text(&self) -> String {
        format!(
            "得分 = 已完成项目数×{} + 实施中项目数×{} + 按期完成率×{} + 诉求办结率×{}（比率无从计算的一项不得分）。",
            points(self.done_points),
            points(self.underway_points),
            points(self.on_time_points),
            points(self.requests_points)
        )
    }

    fn score(&self, r: &ContestRow) -> f64 {
        let s = r.done as f64 * self.done_points
            + r.underway as f64 * self.underway_points
            + r.on_time_rate.unwrap_or(0.0) * self.on_time_points
            + r.close_rate.unwrap_or(0.0) * self.requests_points;
        (s * 10.0).round() / 10.0
    }
}

pub(crate) fn read_contest_rule(c: &Connection) -> Result<ContestRule> {
    read_json(c, "contest_rule")
}

pub fn contest_rule(store: &Store) -> Result<ContestRule> {
    store.read(read_contest_rule)
}

/// Saves the rule after checking each weight is a number from 0 to 100.
pub fn save_contest_rule(store: &Store, rule: &ContestRule) -> Result<()> {
    for (field, label, v) in [
        ("donePoints", "每个已完成项目的分值", rule.done_points),
        (
            "underwayPoints",
            "每个实施中项目的分值",
            rule.underway_points,
        ),
        ("onTimePoints", "按期完成率的满分", rule.on_time_points),
        ("requestsPoints", "诉求办结率的满分", rule.requests_points),
    ] {
        if !(0.0..=100.0).contains(&v) || v.is_nan() {
            return Err(Error::invalid(
                field,
                format!("{label}应在 0 到 100 之间，现在是 {v}。"),
            ));
        }
    }
    store.write(|tx| write_json(tx, "contest_rule", rule))
}

/// One line of the 实事项目台账.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ProjectLine {
    pub id: i64,
    pub kind: ProjectKind,
    pub unit_id: i64,
    pub unit: String,
    pub village: String,
    pub title: String,
    pub content: String,
    /// 万元
    pub funds: Option<f64>,
    #[ts(type = "string | null")]
    pub planned_end: Option<NaiveDate>,
    /// As at the period's end.
    pub status: ProjectStatus,
    /// The day it was done or stopped (by the period's end).
    #[ts(type = "string | null")]
    pub finished_on: Option<NaiveDate>,
    /// The result written when it was done or stopped (empty while it runs).
    pub result: String,
    /// The last history line by the period's end: "2026-11-03 实施中：路基已完成".
    pub latest: String,
    /// Done by its planned end (None: not due yet, or no planned end).
    pub on_time: Option<bool>,
}

fn day(at: &str) -> Option<NaiveDate> {
    at.get(..10).and_then(|d| d.parse().ok())
}

/// Every project of the period, ordered by unit, village and id, as it stood at `scope.to`.
pub fn project_lines(c: &Connection, scope: &Scope) -> Result<Vec<ProjectLine>> {
    scope.check(c)?;
    let mut out = Vec::new();
    let mut st = c.prepare(&format!(
        "SELECT p.id, p.kind, p.unit_id, u.name, v.name, p.title, p.content, p.funds, p.planned_end,
                p.result, p.created_at
         FROM projects p JOIN units u ON u.id = p.unit_id JOIN villages v ON v.id = p.village_id
         WHERE substr(p.created_at, 1, 10) <= ?1{}
         ORDER BY u.sort_order, u.id, v.sort_order, v.id, p.id",
        scope.on("p.village_id")
    ))?;
    let mut hist = c.prepare_cached(
        "SELECT at, action, note FROM project_history WHERE project_id = ?1 AND substr(at, 1, 10) <= ?2 ORDER BY id",
    )?;
    let mut rows = st.query(params![scope.to])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let history: Vec<(String, String, String)> = hist
            .query_map(params![id, scope.to], |h| {
                Ok((h.get(0)?, h.get(1)?, h.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut status = ProjectStatus::Planned;
        let mut finished_on = None;
        for (at, action, _) in &history {
            if let Some(s) = ProjectStatus::parse(action) {
                status = s;
                if matches!(s, ProjectStatus::Done | ProjectStatus::Stopped) {
                    finished_on = day(at);
                }
            }
        }
        if finished_on.is_some_and(|d| d < scope.from) {
            continue;
        }
        let planned_end: Option<NaiveDate> = r.get(8)?;
        let on_time = match (status, planned_end) {
            (ProjectStatus::Done, Some(end)) => Some(finished_on.is_some_and(|d| d <= end)),
            (ProjectStatus::Stopped, _) | (_, None) => None,
            (_, Some(end)) if end <= scope.to => Some(false),
            _ => None,
        };
        let latest = history
            .last()
            .map(|(at, action, note)| {
                let d = day(at).map(|d| d.to_string()).unwrap_or_default();
                if note.is_empty() {
                    format!("{d} {action}")
                } else {
                    format!("{d} {action}：{note}")
                }
            })
            .unwrap_or_default();
        let finished = matches!(status, ProjectStatus::Done | ProjectStatus::Stopped);
        out.push(ProjectLine {
            id,
            kind: r.get(1)?,
            unit_id: r.get(2)?,
            unit: r.get(3)?,
            village: r.get(4)?,
            title: r.get(5)?,
            content: r.get(6)?,
            funds: r.get(7)?,
            planned_end,
            status,
            finished_on,
            result: if finished { r.get(9)? } else { String::new() },
            latest,
            on_time,
        });
    }
    Ok(out)
}

/// One unit's line of the 办实事竞赛情况表 (or the 合计 line, `unit_id` 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ContestRow {
    pub unit_id: i64,
    pub unit: String,
    /// Projects of the period, in any status.
    pub projects: i64,
    pub planned: i64,
    pub underway: i64,
    pub done: i64,
    pub stopped: i64,
    /// 万元, over the period's projects with funds.
    pub funds: f64,
    /// Projects due by the period's end (a planned end on or before it, or done).
    pub due: i64,
    /// Done by their planned end.
    pub on_time: i64,
    pub on_time_rate: Option<f64>,
    /// The unit's requests received in the period, and how many of them are closed.
    pub requests: i64,
    pub requests_closed: i64,
    pub close_rate: Option<f64>,
    pub score: f64,
    /// 1 for the best score; ties share a place. 0 on the 合计 line.
    pub rank: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ProjectContest {
    pub rows: Vec<ContestRow>,
    pub total: ContestRow,
    pub rule: ContestRule,
    /// The rule in words (printed under the table).
    pub rule_text: String,
}

/// 万元 to four decimals (one yuan less than a hundredth of a 元 is not money).
pub(crate) fn round_funds(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The funds of the ledger's projects, as its 合计 line and `_meta` carry them.
pub fn total_funds(lines: &[ProjectLine]) -> f64 {
    round_funds(lines.iter().filter_map(|l| l.funds).sum())
}

fn ratio(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

impl ContestRow {
    fn add(&mut self, l: &ProjectLine) {
        self.projects += 1;
        match l.status {
            ProjectStatus::Planned => self.planned += 1,
            ProjectStatus::Underway => self.underway += 1,
            ProjectStatus::Done => self.done += 1,
            ProjectStatus::Stopped => self.stopped += 1,
        }
        self.funds += l.funds.unwrap_or(0.0);
        if let Some(ok) = l.on_time {
            self.due += 1;
            self.on_time += ok as i64;
        }
    }

    /// Adds another line's counts and funds (a township's line to a department's, a line to
    /// the 合计).
    pub(crate) fn absorb(&mut self, o: &ContestRow) {
        self.projects += o.projects;
        self.planned += o.planned;
        self.underway += o.underway;
        self.done += o.done;
        self.stopped += o.stopped;
        self.funds += o.funds;
        self.due += o.due;
        self.on_time += o.on_time;
        self.requests += o.requests;
        self.requests_closed += o.requests_closed;
    }

    /// Rounds the funds and computes the rates and the score from the counts.
    pub(crate) fn finish(&mut self, rule: &ContestRule) {
        self.funds = round_funds(self.funds);
        self.on_time_rate = ratio(self.on_time, self.due);
        self.close_rate = ratio(self.requests_closed, self.requests);
        self.score = rule.score(self);
    }
}

/// The 办实事竞赛情况表: every unit with a project in the period, scored and ranked.
pub fn project_contest(c: &Connection, scope: &Scope) -> Result<ProjectContest> {
    let lines = project_lines(c, scope)?;
    let rule = read_contest_rule(c)?;
    let mut by_unit: BTreeMap<i64, ContestRow> = BTreeMap::new();
    let mut order: Vec<i64> = Vec::new();
    for l in &lines {
        let row = by_unit.entry(l.unit_id).or_insert_with(|| {
            order.push(l.unit_id);
            ContestRow {
                unit_id: l.unit_id,
                unit: l.unit.clone(),
                ..Default::default()
            }
        });
        row.add(l);
    }
    let requests = rates_in(
        c,
        RateGroup::Unit,
        Some(scope.from),
        Some(scope.to),
        &scope.villages,
    )?;
    for r in requests.rows {
        if let Some(row) = r
            .key
            .parse::<i64>()
            .ok()
            .and_then(|id| by_unit.get_mut(&id))
        {
            row.requests = r.received;
            row.requests_closed = r.closed;
        }
    }
    let mut rows: Vec<ContestRow> = order
        .iter()
        .map(|id| by_unit.remove(id).expect("each unit once"))
        .collect();
    let mut total = ContestRow {
        unit: "合计".into(),
        ..Default::default()
    };
    for r in rows.iter_mut() {
        r.finish(&rule);
        total.absorb(r);
    }
    total.finish(&rule);
    total.score = 0.0;
    rank(&mut rows);
    Ok(ProjectContest {
        rows,
        total,
        rule,
        rule_text: rule.text(),
    })
}

/// Orders by score (best first; ties by unit order) and numbers the places, ties sharing one.
pub(crate) fn rank(rows: &mut [ContestRow]) {
    rows.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut place = 0;
    for i in 0..rows.len() {
        if i == 0 || rows[i].score != rows[i - 1].score {
            place = i as u32 + 1;
        }
        rows[i].rank = place;
    }
}

pub fn contest(store: &Store, scope: &Scope) -> Result<ProjectContest> {
    store.read(|c| project_contest(c, scope))
}

pub fn lines(store: &Store, scope: &Scope) -> Result<Vec<ProjectLine>> {
    store.read(|c| project_lines(c, scope))
}
