//! 导入任务单: the 走访任务单 a cadre took out, filled in and handed back becomes diary entries.
//! Each row carries the hidden key of its planned visit (see `report::schedule::task_key`);
//! a filled row goes through the diary's own rules ([`crate::diary::insert`]: double entry refused, a
//! visit that counts closes its planned visit, 不在家 records an attempt and leaves it due), and
//! a 群众诉求 becomes a request registered from that visit under the category 待分类, for the
//! coordinator to classify and hand to a unit. Everything the import cannot take is a problem
//! named by file, sheet, row, column and value; all of it is written in one transaction, or
//! nothing (`skip_bad` takes the good rows and lists the rest).

use super::{Cell, Sheet};
use crate::calendar::Calendar;
use crate::diary::{RaisedRequest, VisitInput, VisitOutcome};
use crate::error::{Error, Result};
use crate::report::schedule::{ALREADY_DONE, FILL_IN, KEY_HEADER};
use crate::requests::{RequestKind, Satisfaction, Urgency};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use ts_rs::TS;

pub use crate::requests::categories::UNCLASSIFIED;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TaskImportOptions {
    /// Check everything, write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Import the good rows and list the others; without it any problem stops the import.
    #[serde(default)]
    pub skip_bad: bool,
}

/// A row the import could not take, named as the coordinator finds it in the file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TaskProblem {
    pub file: String,
    pub sheet: String,
    /// The sheet's row number as Excel shows it (0: the file as a whole).
    pub row: u32,
    /// The column's header (empty: the row or the file as a whole).
    pub column: String,
    pub value: String,
    pub message: String,
}

/// A request registered from a returned task sheet, waiting to be classified.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Unclassified {
    pub number: String,
    pub head_name: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TaskImportReport {
    pub files: u32,
    /// Filled-in rows found (empty rows and rows recorded before the export not counted).
    pub rows: u32,
    /// Diary entries written (or that would be, in a dry run).
    pub imported: u32,
    /// Of those, 不在家 and other visits that did not count: the planned visit stays due.
    pub attempts: u32,
    /// Requests registered from the rows' 群众诉求.
    pub requests: u32,
    pub skipped: u32,
    pub problems: Vec<TaskProblem>,
    /// The requests registered under 待分类, for the coordinator to classify (empty in a dry run).
    pub unclassified: Vec<Unclassified>,
    pub dry_run: bool,
    /// Something was written.
    pub written: bool,
}

/// One filled-in row as read from a sheet.
struct Filled {
    file: String,
    sheet: String,
    row: u32,
    key: String,
    cells: [Cell; 5],
}

/// Where a sheet's columns are.
struct Columns {
    header_row: usize,
    key: usize,
    fill: [usize; 5],
}

fn find_columns(sheet: &Sheet) -> Option<Columns> {
    for r in 0..sheet.rows.len().min(30) {
        let row = sheet.row(r);
        let at = |name: &str| row.iter().position(|c| c.text().trim() == name);
        let Some(key) = at(KEY_HEADER) else { continue };
        let mut fill = [0usize; 5];
        for (i, name) in FILL_IN.iter().enumerate() {
            fill[i] = at(name)?;
        }
        return Some(Columns {
            header_row: r,
            key,
            fill,
        });
    }
    None
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Date(_) | Cell::Number(_) => c.text(),
        _ => c.text().trim().to_string(),
    }
}

/// Reads the returned files: the filled rows, and the problems of files that are not task sheets.
fn read_files(paths: &[PathBuf], problems: &mut Vec<TaskProblem>) -> Result<(Vec<Filled>, u32)> {
    let mut out = Vec::new();
    let mut files = 0;
    let cancel = AtomicBool::new(false);
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let book = match super::read::read_file(path, &mut |_| {}, &cancel) {
            Ok(b) => b,
            Err(e) => {
                problems.push(TaskProblem {
                    file: name,
                    sheet: String::new(),
                    row: 0,
                    column: String::new(),
                    value: String::new(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        files += 1;
        let mut any = false;
        for sheet in book.sheets.iter().filter(|s| s.name != "_meta") {
            let Some(cols) = find_columns(sheet) else {
                continue;
            };
            any = true;
            for r in cols.header_row + 1..sheet.rows.len() {
                let key = cell_text(sheet.cell(r, cols.key));
                if key.is_empty() {
                    continue;
                }
                let cells = cols.fill.map(|c| sheet.cell(r, c).clone());
                let texts: Vec<String> = cells.iter().map(cell_text).collect();
                if texts.iter().all(String::is_empty) {
                    continue; // not visited (yet): nothing to say
                }
                if texts[1] == ALREADY_DONE && texts.iter().filter(|t| !t.is_empty()).count() == 1 {
                    continue; // recorded before the export
                }
                out.push(Filled {
                    file: name.clone(),
                    sheet: sheet.name.clone(),
                    row: (sheet.first_row + r + 1) as u32,
                    key,
                    cells,
                });
            }
        }
        if !any {
            problems.push(TaskProblem {
                file: name,
                sheet: String::new(),
                row: 0,
                column: String::new(),
                value: String::new(),
                message: "这不是民情通导出的走访任务单（找不到“任务键”列和“实际走访日期”等填写列），没有导入。请选择干部交回的任务单；纸质任务单请在“走访记录”中逐条录入。".into(),
            });
        }
    }
    Ok((out, files))
}

/// A date as cadres write it: whatever [`crate::validate::parse_date`] reads (2026-12-03,
/// 2026/12/3, 2026.12.3, 2026年12月3日, 20261203), a time after it ignored, or without the
/// year (12月3日, 12-3, 12.3), which is then the year that puts it nearest to `near`.
pub fn parse_visit_date(cell: &Cell, near: NaiveDate) -> Option<NaiveDate> {
    match cell {
        Cell::Date(f) | Cell::Number(f) => super::values::serial_date(*f),
        Cell::Text(s) => {
            let s = s.split_whitespace().next().unwrap_or("");
            match month_day(s) {
                Some((m, d)) => (near.year() - 1..=near.year() + 1)
                    .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
                    .min_by_key(|d| (*d - near).num_days().abs()),
                None => crate::validate::parse_date(s),
            }
        }
        _ => None,
    }
}

/// A date written without its year ("12月3日", "12-3", "12.3"): its month and day.
pub(crate) fn month_day(s: &str) -> Option<(u32, u32)> {
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [m, d] if m.len() <= 2 && d.len() <= 2 => Some((m.parse().ok()?, d.parse().ok()?)),
        _ => None,
    }
}

/// What the key of a row names, and what the database says of it now.
struct Planned {
    pv_id: i64,
    household_id: i64,
    cadre_id: i64,
    date: NaiveDate,
}

fn parse_key(key: &str) -> Option<Planned> {
    let parts: Vec<&str> = key.split('|').collect();
    match parts.as_slice() {
        ["MQ1", pv, hh, cadre, date] => Some(Planned {
            pv_id: pv.parse().ok()?,
            household_id: hh.parse().ok()?,
            cadre_id: cadre.parse().ok()?,
            date: date.parse().ok()?,
        }),
        _ => None,
    }
}

/// version, household, cadre, date, diary entry, current version, cycle start and end, cadre name.
type PlannedRow = (
    i64,
    i64,
    i64,
    NaiveDate,
    Option<i64>,
    i64,
    NaiveDate,
    NaiveDate,
    String,
);

/// Why the planned visit of a key can no longer take a diary entry, if it cannot; else the
/// cycle's dates and the household's name.
fn check_planned(
    c: &Connection,
    p: &Planned,
) -> Result<std::result::Result<(NaiveDate, NaiveDate, String), String>> {
    let row: Option<PlannedRow> = c
        .prepare_cached(
            "SELECT pv.version_id, pv.household_id, pv.cadre_id, pv.visit_date, pv.visit_id,
                    (SELECT max(v2.id) FROM plan_versions v2 WHERE v2.cycle_id = pc.id),
                    pc.start_date, pc.end_date, cd.name
             FROM plan_visits pv JOIN plan_versions v ON v.id = pv.version_id
             JOIN plan_cycles pc ON pc.id = v.cycle_id JOIN cadres cd ON cd.id = pv.cadre_id
             WHERE pv.id = ?1",
        )?
        .query_row([p.pv_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .optional()?;
    let household: Option<(String, String)> = c
        .prepare_cached("SELECT head_name, status FROM households WHERE id = ?1")?
        .query_row([p.household_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((head, status)) = household else {
        return Ok(Err("这一户已从名册中删除，无法录入。".into()));
    };
    if status != "在册" {
        return Ok(Err(format!(
            "“{head}”户已{status}，不在名册中了；如确实走访过，请先在户籍名册中恢复这一户再录入。"
        )));
    }
    let Some((version, hh, cadre, date, visit, current, start, end, cadre_name)) = row else {
        return Ok(Err(format!(
            "“{head}”户的这条走访安排已在任务单导出后删除（排班重新计算或轮次被删除）。请在“走访记录”中直接录入，或重新导出任务单。"
        )));
    };
    if version != current || hh != p.household_id {
        return Ok(Err(format!(
            "“{head}”户的这条走访安排在任务单导出后因重新计算排班而作废。请在“走访记录”中直接录入，或重新导出任务单。"
        )));
    }
    if cadre != p.cadre_id || date != p.date {
        return Ok(Err(format!(
            "“{head}”户的这条走访安排在任务单导出后被调整过（现为 {date} {cadre_name}）。请核对后在“走访记录”中直接录入，或重新导出任务单。"
        )));
    }
    if let Some(v) = visit {
        return Ok(Err(format!(
            "“{head}”户的这次走访已经录入过（记录号 {v}）。同一张任务单不要导入两次；如需补充，请修改那一条记录。"
        )));
    }
    Ok(Ok((start, end, head)))
}

/// Imports returned 走访任务单 files: see the module's description.
pub fn import_task_sheets(
    store: &Store,
    paths: &[PathBuf],
    opts: &TaskImportOptions,
    today: NaiveDate,
) -> Result<TaskImportReport> {
    if paths.is_empty() {
        return Err(Error::invalid("files", "请选择干部交回的任务单文件。"));
    }
    let mut problems = Vec::new();
    let (rows, files) = read_files(paths, &mut problems)?;
    let file_problems = problems.len();
    // Like every import: a copy of the database first (nothing for an in-memory store).
    if !opts.dry_run && !rows.is_empty() {
        crate::db::backup::before_import(store, chrono::Local::now().naive_local())?;
    }
    let mut report = TaskImportReport {
        files,
        rows: rows.len() as u32,
        imported: 0,
        attempts: 0,
        requests: 0,
        skipped: 0,
        problems: Vec::new(),
        unclassified: Vec::new(),
        dry_run: opts.dry_run,
        written: false,
    };
    report = store.write_if(|tx| {
        let cal = Calendar::load(tx)?;
        let mut seen: HashMap<i64, (String, u32)> = HashMap::new();
        for f in &rows {
            let problem = |column: &str, value: String, message: String| TaskProblem {
                file: f.file.clone(),
                sheet: f.sheet.clone(),
                row: f.row,
                column: column.to_string(),
                value,
                message,
            };
            let texts: Vec<String> = f.cells.iter().map(cell_text).collect();
            let Some(p) = parse_key(&f.key) else {
                problems.push(problem(
                    KEY_HEADER,
                    f.key.clone(),
                    "隐藏的任务键被改动过，无法知道这一行是哪一次走访安排。请用原始任务单重新填写。"
                        .into(),
                ));
                continue;
            };
            if let Some((file, row)) = seen.get(&p.pv_id) {
                problems.push(problem(
                    "",
                    String::new(),
                    format!(
                        "这一行与“{file}”第 {row} 行是同一次走访安排：同一张任务单不要导入两次。"
                    ),
                ));
                continue;
            }
            seen.insert(p.pv_id, (f.file.clone(), f.row));
            let (start, end, head) = match check_planned(tx, &p)? {
                Ok(v) => v,
                Err(message) => {
                    problems.push(problem("", String::new(), message));
                    continue;
                }
            };
            let date = match parse_visit_date(&f.cells[0], p.date) {
                Some(d) => d,
                None if texts[0].is_empty() => {
                    problems.push(problem(
                        FILL_IN[0],
                        String::new(),
                        "没有填写实际走访日期。".into(),
                    ));
                    continue;
                }
                None => {
                    problems.push(problem(
                        FILL_IN[0],
                        texts[0].clone(),
                        "实际走访日期看不懂，请写成 2026-12-03 或 12月3日 的样子。".into(),
                    ));
                    continue;
                }
            };
            if date > today {
                problems.push(problem(
                    FILL_IN[0],
                    texts[0].clone(),
                    format!("实际走访日期 {date} 晚于今天，请核对。"),
                ));
                continue;
            }
            if date < start || date > end {
                problems.push(problem(
                    FILL_IN[0],
                    texts[0].clone(),
                    format!("实际走访日期 {date} 不在本轮次（{start} 至 {end}）内，请核对。"),
                ));
                continue;
            }
            let Some(outcome) = VisitOutcome::parse(&texts[1]) else {
                let all: Vec<&str> = VisitOutcome::ALL.iter().map(|o| o.as_str()).collect();
                problems.push(problem(
                    FILL_IN[1],
                    texts[1].clone(),
                    if texts[1].is_empty() {
                        format!("没有填写走访结果，应为：{}。", all.join("、"))
                    } else {
                        format!("走访结果应为：{}。", all.join("、"))
                    },
                ));
                continue;
            };
            let evaluation = if texts[4].is_empty() {
                None
            } else {
                match Satisfaction::parse(&texts[4]) {
                    Some(s) => Some(s),
                    None => {
                        problems.push(problem(
                            FILL_IN[4],
                            texts[4].clone(),
                            "群众评价应为：满意、基本满意、不满意（也可以空着）。".into(),
                        ));
                        continue;
                    }
                }
            };
            let mut requests = Vec::new();
            if !texts[3].is_empty() {
                requests.push(RaisedRequest {
                    kind: RequestKind::Help,
                    category_id: crate::requests::categories::category_or_insert(tx, UNCLASSIFIED)?,
                    urgency: Urgency::Normal,
                    handling: None,
                    content: texts[3].clone(),
                    requester_name: String::new(),
                    unit_id: None,
                });
            }
            let input = VisitInput {
                household_id: p.household_id,
                visit_date: Some(date),
                cadre_ids: vec![p.cadre_id],
                outcome,
                learned: texts[2].clone(),
                evaluation,
                requests,
            };
            // One row's failure (a double entry typed by hand meanwhile, a text too long)
            // must not leave half of that row behind.
            tx.execute_batch("SAVEPOINT task_row")?;
            match crate::diary::insert(tx, &cal, &input, today) {
                Ok(id) => {
                    tx.execute_batch("RELEASE task_row")?;
                    report.imported += 1;
                    if !outcome.counts() {
                        report.attempts += 1;
                    }
                    if !input.requests.is_empty() {
                        report.requests += 1;
                        let number: String = tx.query_row(
                            "SELECT number FROM requests WHERE visit_id = ?1",
                            [id],
                            |r| r.get(0),
                        )?;
                        report.unclassified.push(Unclassified {
                            number,
                            head_name: head.clone(),
                            content: texts[3].clone(),
                        });
                    }
                }
                Err(Error::Invalid { field, message } | Error::Duplicate { field, message }) => {
                    tx.execute_batch("ROLLBACK TO task_row; RELEASE task_row")?;
                    let column = match field {
                        "visitDate" => FILL_IN[0],
                        "evaluation" => FILL_IN[4],
                        "learned" => FILL_IN[2],
                        "content" => FILL_IN[3],
                        _ => "",
                    };
                    let value = FILL_IN
                        .iter()
                        .position(|h| *h == column)
                        .map(|i| texts[i].chars().take(50).collect())
                        .unwrap_or_default();
                    problems.push(problem(column, value, message));
                }
                Err(e) => return Err(e),
            }
        }
        let row_problems = problems.len() - file_problems;
        report.skipped = row_problems as u32;
        let commit = !opts.dry_run && (row_problems == 0 || opts.skip_bad) && report.imported > 0;
        if !commit {
            report.unclassified.clear();
            if !opts.dry_run && row_problems > 0 {
                report.imported = 0;
                report.attempts = 0;
                report.requests = 0;
            }
        }
        report.written = commit;
        report.problems = std::mem::take(&mut problems);
        Ok((report, commit))
    })?;
    Ok(report)
}

/// The name the app offers for the problems of a task-sheet import:
/// `任务单导入问题清单_2026-12-06.xlsx`.
pub fn problems_file_name(today: NaiveDate) -> String {
    format!("任务单导入问题清单_{today}.xlsx")
}

/// The problems of an import as an .xlsx list the coordinator can send back with the sheets.
pub fn write_problem_list(report: &TaskImportReport, target: &std::path::Path) -> Result<PathBuf> {
    use crate::report::{fit_row_height, report_sheet, save, xlsx_error, Style};
    let s = Style::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("问题清单").map_err(xlsx_error)?;
    let headers = [
        ("序号", 5.5),
        ("文件", 26.0),
        ("工作表", 10.0),
        ("行号", 6.0),
        ("列", 12.0),
        ("填写的内容", 16.0),
        ("问题说明", 50.0),
    ];
    let info = format!(
        "共 {} 处问题。改正任务单后重新导入即可，已导入的行不会重复录入。",
        report.problems.len()
    );
    let first =
        report_sheet(ws, &s, "走访任务单导入问题清单", &info, &headers).map_err(xlsx_error)?;
    for (i, p) in report.problems.iter().enumerate() {
        let row = first + i as u32;
        let h = fit_row_height(&[(&p.message, 50.0), (&p.file, 26.0)], 20.0);
        let w = |ws: &mut rust_xlsxwriter::Worksheet| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
            ws.set_row_height(row, h)?;
            ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
            ws.write_string_with_format(row, 1, &p.file, &s.cell)?;
            ws.write_string_with_format(row, 2, &p.sheet, &s.cell)?;
            if p.row > 0 {
                ws.write_number_with_format(row, 3, p.row as f64, &s.cell_center)?;
            } else {
                ws.write_string_with_format(row, 3, "", &s.cell_center)?;
            }
            ws.write_string_with_format(row, 4, &p.column, &s.cell)?;
            ws.write_string_with_format(row, 5, &p.value, &s.cell)?;
            ws.write_string_with_format(row, 6, &p.message, &s.cell)?;
            Ok(())
        };
        w(ws).map_err(xlsx_error)?;
    }
    save(&mut wb, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_cadres_write_them() {
        let near = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let t = |s: &str| parse_visit_date(&Cell::Text(s.into()), near);
        assert_eq!(t("2026-12-03"), d(2026, 12, 3));
        assert_eq!(t("2026/12/3"), d(2026, 12, 3));
        assert_eq!(t("2026.12.3"), d(2026, 12, 3));
        assert_eq!(t("2026年12月3日"), d(2026, 12, 3));
        assert_eq!(t("20261203"), d(2026, 12, 3));
        assert_eq!(t("12月3日"), d(2026, 12, 3));
        // Across the new year: the planned date was 12-28, the visit on 1-2 of the next year.
        assert_eq!(t("1月2日"), d(2027, 1, 2));
        assert_eq!(t("12.30"), d(2026, 12, 30));
        assert_eq!(t("上周三"), None);
        assert_eq!(t("2026-13-03"), None);
        // Excel's serial for 2026-12-03.
        assert_eq!(parse_visit_date(&Cell::Date(46359.0), near), d(2026, 12, 3));
    }
}
