//! The district's workbooks: 走访情况统计表, 民情诉求台账, 诉求办理情况汇总表, 干部走访考核表 and
//! 督办通报 (the planner's 走访排班表 / 走访任务单 live in [`super::schedule`]). Every number comes
//! from [`crate::stats::district`]; this file only lays it out in the district's house style.
//!
//! Each workbook carries a hidden `_meta` sheet: township, period, villages, report kind, app
//! version, masking, and every figure of the statistics sheets with a checksum over them, so
//! the district's merge can tell a workbook whose numbers were edited after export — and which
//! cells.

use super::{
    campaign, closing, col, meta_sheet, report_sheet_grouped, save, sub, xlsx_error, Col, Style,
};
use crate::error::{Error, Result};
use crate::register::township::{self, Township};
use crate::requests::rates::Formula as RateFormula;
use crate::requests::Colour;
use crate::stats::district::{
    cadre_assessment, ledger_rows, overdue_list, request_summary, visit_stats, CoverageRow, Scope,
    SummaryRow,
};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rust_xlsxwriter::{utility::row_col_to_cell, Format, Formula, Workbook, Worksheet, XlsxError};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

crate::text_enum! {
    /// The district's reports (`minqing export KIND`).
    pub enum ReportKind ("报表") {
        VisitStats = "visit-stats",
        RequestLedger = "request-ledger",
        RequestSummary = "request-summary",
        CadreAssessment = "cadre-assessment",
        Overdue = "overdue",
        Plan = "plan",
        Projects = "projects",
        ProjectContest = "project-contest",
    }
}

impl ReportKind {
    /// The report's name on titles and file names.
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::VisitStats => "走访情况统计表",
            ReportKind::RequestLedger => "民情诉求台账",
            ReportKind::RequestSummary => "诉求办理情况汇总表",
            ReportKind::CadreAssessment => "干部走访考核表",
            ReportKind::Overdue => "督办通报",
            ReportKind::Plan => "走访排班表",
            ReportKind::Projects => "实事项目台账",
            ReportKind::ProjectContest => "办实事竞赛情况表",
        }
    }
}

use crate::privacy::Masking;

/// What `export_report` wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    pub kind: ReportKind,
    pub path: String,
    /// Data lines written (villages + cadres, requests, …).
    pub rows: u64,
    /// The checksum over the workbook's `_meta` (empty for the plan).
    pub checksum: String,
}

mod meta;
mod names;
mod sheets;

pub use crate::stats::figure_text;
pub use meta::checksum;
pub(crate) use meta::{Book, Figures, Out, ReportCtx};
pub use names::{default_file_name, report_file_name};
pub(crate) use names::{info_line, title};
pub(crate) use sheets::keep_stats_tail;
use sheets::{assessment_sheet, coverage_sheet, ledger_sheet, overdue_sheet, summary_sheet};

/// The period as the district writes it (lives with the calendar, below every domain).
pub use crate::calendar::period_label;

/// Writes one report of the district to `target` (atomically). `today` is the 填报日期 and
/// the day overdue counts are taken on.
pub fn export_report(
    store: &Store,
    kind: ReportKind,
    scope: &Scope,
    masking: Masking,
    target: &Path,
    today: NaiveDate,
) -> Result<ExportDone> {
    let style = Style::new();
    let mut wb = Workbook::new();
    let mut figures = Figures::default();
    let (town, villages) = store.read(|c| {
        scope.check(c)?;
        Ok((township::read(c)?, scope.village_names(c)?))
    })?;
    let info = info_line(&town, scope, &villages, today);
    let report_title = title(&town, scope, kind);
    let ctx = ReportCtx {
        s: &style,
        town: &town,
        title: &report_title,
        info: &info,
        today,
        masking,
    };
    let mut book = Book {
        wb: &mut wb,
        figures: &mut figures,
    };
    // The township's totals, for the district's merge (covered by the checksum).
    let mut totals: Vec<(&str, String)> = Vec::new();
    // The contest's lines by unit, for the district's ranking of departments.
    let mut unit_lines: Vec<(String, String)> = Vec::new();
    let rows = match kind {
        ReportKind::VisitStats => {
            let st = store.read(|c| visit_stats(c, scope))?;
            coverage_sheet(
                &mut book,
                &ctx,
                "按村统计",
                &st.by_village,
                &st.village_total,
                false,
                &st.formula,
            )
            .map_err(xlsx_error)?;
            coverage_sheet(
                &mut book,
                &ctx,
                "按干部统计",
                &st.by_cadre,
                &st.cadre_total,
                true,
                &st.formula,
            )
            .map_err(xlsx_error)?;
            totals = coverage_totals(&st.village_total);
            (st.by_village.len() + st.by_cadre.len()) as u64
        }
        ReportKind::CadreAssessment => {
            let (rows, total) = store.read(|c| cadre_assessment(c, scope))?;
            let formula = store.read(|c| {
                Ok(RateFormula::new(
                    &crate::requests::rules::read_rate_settings(c)?,
                ))
            })?;
            assessment_sheet(&mut book, &ctx, &rows, &total, &formula).map_err(xlsx_error)?;
            totals = coverage_totals(&total);
            totals.push(("cadres", rows.len().to_string()));
            totals.push(("cases", total.cases.to_string()));
            rows.len() as u64
        }
        ReportKind::RequestSummary => {
            let sum = store.read(|c| request_summary(c, scope, today))?;
            summary_sheet(
                &mut book,
                &ctx,
                "按诉求类别",
                "诉求类别",
                &sum.by_category,
                &sum.total,
                &sum.formula,
            )
            .map_err(xlsx_error)?;
            summary_sheet(
                &mut book,
                &ctx,
                "按责任单位",
                "责任单位",
                &sum.by_unit,
                &sum.total,
                &sum.formula,
            )
            .map_err(xlsx_error)?;
            let t = &sum.total;
            totals = vec![
                ("received", t.rates.received.to_string()),
                ("closed", t.rates.closed.to_string()),
                ("open", t.open.to_string()),
                ("overdue", t.overdue.to_string()),
                ("lateClosed", t.late_closed.to_string()),
                ("responded", t.rates.responded.to_string()),
                ("solved", t.rates.solved.to_string()),
                ("evaluated", t.rates.evaluated.to_string()),
                ("satisfied", t.rates.satisfied.to_string()),
                ("basic", t.rates.basic.to_string()),
                ("satisfactionRate", figure_text(t.rates.satisfaction_rate)),
            ];
            (sum.by_category.len() + sum.by_unit.len()) as u64
        }
        ReportKind::Overdue => {
            let list = store.read(|c| overdue_list(c, scope, today))?;
            overdue_sheet(&mut book, &ctx, &list).map_err(xlsx_error)?;
            for (key, c) in [
                ("red", Colour::Red),
                ("yellow", Colour::Yellow),
                ("blue", Colour::Blue),
            ] {
                totals.push((
                    key,
                    list.iter().filter(|r| r.colour == c).count().to_string(),
                ));
            }
            list.len() as u64
        }
        ReportKind::Projects => {
            let lines = store.read(|c| crate::stats::projects::project_lines(c, scope))?;
            let n = super::projects::ledger_sheet(&mut book, &ctx, &lines).map_err(xlsx_error)?;
            let funds = crate::stats::projects::total_funds(&lines);
            totals = vec![
                ("projects", n.to_string()),
                ("funds", figure_text(Some(funds))),
            ];
            n
        }
        ReportKind::ProjectContest => {
            let contest = store.read(|c| crate::stats::projects::project_contest(c, scope))?;
            let n =
                super::projects::contest_sheet(&mut book, &ctx, &contest).map_err(xlsx_error)?;
            let t = &contest.total;
            totals = vec![
                ("projects", t.projects.to_string()),
                ("planned", t.planned.to_string()),
                ("underway", t.underway.to_string()),
                ("done", t.done.to_string()),
                ("stopped", t.stopped.to_string()),
                ("funds", figure_text(Some(t.funds))),
                ("due", t.due.to_string()),
                ("onTime", t.on_time.to_string()),
                ("requests", t.requests.to_string()),
                ("requestsClosed", t.requests_closed.to_string()),
                ("units", contest.rows.len().to_string()),
            ];
            unit_lines = super::projects::contest_meta(&contest.rows);
            n
        }
        ReportKind::RequestLedger => ledger_sheet(book.wb, store, &ctx, scope)?,
        ReportKind::Plan => {
            let cycle = store.read(|c| plan_cycle_for(c, scope))?;
            let path = super::schedule::write_schedule_in(
                store,
                cycle,
                target,
                false,
                masking,
                today,
                &scope.villages,
            )?;
            let visits: i64 = store.read(|c| {
                Ok(c.query_row(
                    &format!(
                        "SELECT count(*) FROM plan_visits pv JOIN households h ON h.id = pv.household_id
                         WHERE pv.version_id = (SELECT max(id) FROM plan_versions WHERE cycle_id = ?1){}",
                        scope.on("h.village_id")
                    ),
                    [cycle],
                    |r| r.get(0),
                )?)
            })?;
            return Ok(ExportDone {
                kind,
                path: path.display().to_string(),
                rows: visits as u64,
                checksum: String::new(),
            });
        }
    };
    let villages_ids: Vec<String> = scope.villages.iter().map(|v| v.to_string()).collect();
    let mut pairs: Vec<(String, String)> = vec![
        ("report".into(), kind.as_str().into()),
        ("title".into(), kind.title().into()),
        ("township".into(), town.name.clone()),
        ("district".into(), town.district.clone()),
        ("campaign".into(), campaign(&town)),
        ("from".into(), scope.from.to_string()),
        ("to".into(), scope.to.to_string()),
        ("villages".into(), villages_ids.join(",")),
        ("scope".into(), villages.clone()),
        ("masking".into(), masking.as_str().into()),
        ("generated".into(), today.to_string()),
        ("rows".into(), rows.to_string()),
    ];
    for (k, v) in totals {
        pairs.push((format!("total:{k}"), v));
    }
    pairs.extend(unit_lines);
    for (c, v) in &figures.cells {
        pairs.push((format!("cell:{c}"), v.clone()));
    }
    let sum = checksum(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    pairs.push(("checksum".into(), sum.clone()));
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    meta_sheet(&mut wb, &refs).map_err(xlsx_error)?;
    let path = save(&mut wb, target)?;
    Ok(ExportDone {
        kind,
        path: path.display().to_string(),
        rows,
        checksum: sum,
    })
}

/// The cycle whose plan the period prints: the one overlapping the period most (the newest on
/// a tie) that has a computed plan.
pub fn plan_cycle_for(c: &rusqlite::Connection, scope: &Scope) -> Result<i64> {
    let best: Option<i64> = c
        .query_row(
            "SELECT p.id FROM plan_cycles p
             WHERE p.start_date <= ?2 AND p.end_date >= ?1
               AND EXISTS (SELECT 1 FROM plan_versions v WHERE v.cycle_id = p.id)
             ORDER BY julianday(min(p.end_date, ?2)) - julianday(max(p.start_date, ?1)) DESC, p.id DESC
             LIMIT 1",
            rusqlite::params![scope.from, scope.to],
            |r| r.get(0),
        )
        .optional()?;
    best.ok_or_else(|| {
        Error::Conflict(format!(
            "{} 至 {} 没有已计算排班的走访轮次，无法导出走访排班表。请先在“走访排班”中新建轮次并计算排班。",
            scope.from, scope.to
        ))
    })
}

/// What 「本月全部导出」 did: the workbooks written, and the reports left out with the reason.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ExportAll {
    pub folder: String,
    pub done: Vec<ExportDone>,
    pub skipped: Vec<String>,
}

/// The reports `kinds` (「本月全部导出」: all of them) into `folder`, under the district's file
/// names. A report that cannot be made (no plan for the period) is listed, not fatal; any
/// other error stops.
pub fn export_all(
    store: &Store,
    kinds: &[ReportKind],
    scope: &Scope,
    masking: Masking,
    folder: &Path,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize, ReportKind),
) -> Result<ExportAll> {
    let town = store.read(township::read)?;
    let mut done = Vec::new();
    let mut skipped = Vec::new();
    for (i, &kind) in kinds.iter().enumerate() {
        progress(i, kinds.len(), kind);
        let target = folder.join(report_file_name(&town, kind, scope));
        match export_report(store, kind, scope, masking, &target, today) {
            Ok(d) => done.push(d),
            Err(Error::Conflict(m)) if kind == ReportKind::Plan => {
                skipped.push(format!("{}：{m}", kind.title()))
            }
            Err(e) => return Err(e),
        }
    }
    progress(kinds.len(), kinds.len(), ReportKind::Plan);
    Ok(ExportAll {
        folder: folder.display().to_string(),
        done,
        skipped,
    })
}

fn coverage_totals(t: &CoverageRow) -> Vec<(&'static str, String)> {
    vec![
        ("should", t.should.to_string()),
        ("visited", t.visited.to_string()),
        ("visits", t.visits.to_string()),
        ("keyShould", t.key_should.to_string()),
        ("keyVisited", t.key_visited.to_string()),
        ("requests", t.requests.to_string()),
        ("closed", t.closed.to_string()),
        ("evaluated", t.evaluated.to_string()),
        ("satisfactionRate", figure_text(t.satisfaction_rate)),
    ]
}
