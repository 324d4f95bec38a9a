//! 区级汇总: the district takes the workbooks the townships emailed and writes one district
//! workbook — a sheet per report kind, a line per township, totals and a ranking. Every input
//! is checked first through its hidden `_meta` sheet: a workbook whose numbers were edited
//! after export (its figures no longer match, or the checksum of `_meta` fails) stops the
//! merge and is named with the cells; duplicates and workbooks of another period are left out
//! and listed.

use super::district::{checksum, figure_text, period_label, ReportKind};
use super::{col, meta_sheet, report_sheet_grouped, save, sub, xlsx_error, Col, Style};
use crate::error::{Error, Result};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{utility::row_col_to_cell, Formula, Workbook};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// One township's workbook as the merge read it.
#[derive(Debug, Clone)]
struct Input {
    file: String,
    kind: ReportKind,
    township: String,
    district: String,
    campaign: String,
    from: NaiveDate,
    to: NaiveDate,
    totals: HashMap<String, String>,
    /// The villages of a workbook exported for only some of them (统计范围), by name; None for
    /// the whole township.
    partial: Option<String>,
    /// The lines by unit of a 办实事竞赛情况表.
    units: Vec<super::departments::UnitLine>,
}

/// A problem with one input, in the district clerk's words.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct MergeProblem {
    pub file: String,
    pub message: String,
    /// The cells whose numbers differ from the export (sheet!cell: exported → now).
    pub cells: Vec<String>,
    /// True when the problem stops the merge (edited numbers); false when the file is only
    /// left out (a duplicate, another period).
    pub blocking: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct MergeReport {
    /// The district workbook (None when a blocking problem stopped the merge).
    pub path: Option<String>,
    pub townships: Vec<String>,
    pub kinds: Vec<ReportKind>,
    pub period: String,
    pub problems: Vec<MergeProblem>,
    /// Unit names that may be one 区直部门, ranked apart until the user confirms them.
    pub unsure_units: Vec<(String, String)>,
}

fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => figure_text(Some(*f)),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(x) => figure_text(Some(x.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

/// "按村统计!D16" → ("按村统计", row 15, col 3).
fn parse_ref(r: &str) -> Option<(&str, u32, u32)> {
    let (sheet, cell) = r.rsplit_once('!')?;
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let mut col: u32 = 0;
    for ch in letters.chars() {
        if !ch.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + (ch as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    (col > 0 && row > 0).then_some((sheet, row - 1, col - 1))
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

/// Reads and verifies one township's workbook.
fn read_input(path: &Path) -> std::result::Result<Input, MergeProblem> {
    let file = name_of(path);
    let problem = |message: String, cells: Vec<String>| MergeProblem {
        file: file.clone(),
        message,
        cells,
        blocking: true,
    };
    let opened: std::result::Result<Xlsx<_>, _> = open_workbook(path);
    let mut wb = opened.map_err(|_| {
        problem(
            "无法打开：不是 .xlsx 工作簿，或文件已损坏。请让乡镇重新导出后发送。".into(),
            vec![],
        )
    })?;
    let meta = wb.worksheet_range("_meta").map_err(|_| {
        problem(
            "不是民情通导出的报表（没有隐藏的元数据表 _meta），无法核对数字。请让乡镇用民情通重新导出。"
                .into(),
            vec![],
        )
    })?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for row in meta.rows().skip(1) {
        let k = row.first().map(text_of).unwrap_or_default();
        let v = row.get(1).map(text_of).unwrap_or_default();
        if !k.is_empty() {
            pairs.push((k, v));
        }
    }
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    // What the file is comes first: the app writes other workbooks into the same folder (the
    // 走访排班表 beside the reports), and a 区级汇总 may be passed back in by mistake. Those are
    // named and left out, not called tampered.
    let report = get("report").unwrap_or_default();
    let leave_out = |message: String| MergeProblem {
        file: file.clone(),
        message,
        cells: vec![],
        blocking: false,
    };
    match report.as_str() {
        "schedule" | "走访排班表" => {
            return Err(leave_out(
                "这是走访排班表，不参加汇总（区级汇总只汇总统计报表）。".into(),
            ))
        }
        "task-sheets" | "走访任务单" => {
            return Err(leave_out(
                "这是走访任务单，不参加汇总（区级汇总只汇总统计报表）。".into(),
            ))
        }
        "district-merge" => {
            return Err(leave_out(
                "这是一份区级汇总表，不能再次汇总。请只选择各乡镇发来的报表。".into(),
            ))
        }
        r if ReportKind::parse(r).is_none() || r == ReportKind::Plan.as_str() => {
            return Err(leave_out(format!(
                "不是区级汇总用的统计报表（类型“{r}”），未汇总。"
            )))
        }
        _ => {}
    }
    let stored = get("checksum").unwrap_or_default();
    let covered: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| k != "checksum" && k != "app")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // The figures first: an edited cell is named even when _meta was left alone.
    let mut ranges: HashMap<String, Range<Data>> = HashMap::new();
    let mut formulas: HashMap<String, Option<Range<String>>> = HashMap::new();
    let mut edited = Vec::new();
    // Mismatches that are not a formula cell read back empty.
    let mut changed_values = 0;
    for (k, exported) in &pairs {
        let Some(r) = k.strip_prefix("cell:") else {
            continue;
        };
        let Some((sheet, row, col)) = parse_ref(r) else {
            continue;
        };
        if !ranges.contains_key(sheet) {
            match wb.worksheet_range(sheet) {
                Ok(range) => {
                    ranges.insert(sheet.to_string(), range);
                }
                Err(_) => {
                    return Err(problem(
                        format!(
                            "工作表“{sheet}”被删除或改名了，无法核对。请让乡镇重新导出后发送。"
                        ),
                        vec![],
                    ))
                }
            }
        }
        let now = ranges[sheet]
            .get_value((row, col))
            .map(text_of)
            .unwrap_or_default();
        if &now != exported {
            let shown = if now.is_empty() {
                "（空）".to_string()
            } else {
                now.clone()
            };
            edited.push(format!("{r}：导出时为 {exported}，现在是 {shown}"));
            // An empty cell is an edit unless it holds a formula that lost its cached result.
            if !now.is_empty() || !formula_cell(&mut wb, sheet, row, col, &mut formulas) {
                changed_values += 1;
            }
        }
    }
    if !edited.is_empty() && changed_values == 0 {
        // Only formula cells came back empty: a program that does not calculate re-saved the
        // file and dropped the results Excel shows (Python's openpyxl, some online sheets).
        // The numbers were not edited; Excel or WPS puts the results back on saving.
        return Err(MergeProblem {
            file: file.clone(),
            message: format!(
                "这个文件被不会计算公式的程序重新保存过，{} 个合计和比率单元格的计算结果丢失了（数字本身没有被改动的迹象），未汇总。请在 Excel 或 WPS 中打开它，保存一次（公式会重新算出结果），再参加汇总；或让乡镇用民情通重新导出。",
                edited.len()
            ),
            cells: vec![],
            blocking: false,
        });
    }
    if !edited.is_empty() {
        return Err(problem(
            format!(
                "导出后有 {} 处数字被改动过，不能汇总。请让乡镇核实后用民情通重新导出，不要在 Excel 里手工修改报表中的数字。",
                edited.len()
            ),
            edited,
        ));
    }
    if stored.is_empty() || checksum(covered.into_iter()) != stored {
        return Err(problem(
            "隐藏的元数据表 _meta 被改动过（校验码不符），无法确认数字是否原样。请让乡镇用民情通重新导出。"
                .into(),
            vec![],
        ));
    }
    let kind = ReportKind::parse(&report)
        .ok_or_else(|| problem("元数据中没有报表类型。".into(), vec![]))?;
    let date = |k: &str| get(k).and_then(|v| v.parse::<NaiveDate>().ok());
    let (Some(from), Some(to)) = (date("from"), date("to")) else {
        return Err(problem("元数据中没有统计时段。".into(), vec![]));
    };
    let mut totals: HashMap<String, String> = pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("total:").map(|t| (t.to_string(), v.clone())))
        .collect();
    // The ledger's count of requests is its `rows` (workbooks exported before `total:rows`).
    if let Some(rows) = get("rows") {
        totals.entry("rows".into()).or_insert(rows);
    }
    let villages = get("villages").unwrap_or_default();
    let partial = (!villages.trim().is_empty()).then(|| {
        get("scope").filter(|s| !s.is_empty()).unwrap_or_else(|| {
            format!(
                "部分村（{} 个）",
                villages.split(',').filter(|v| !v.is_empty()).count()
            )
        })
    });
    let township = get("township").unwrap_or_default();
    let mut units = Vec::new();
    for (k, v) in &pairs {
        if k.starts_with("unit:") {
            match super::departments::parse_unit_line(&township, v) {
                Some(u) => units.push(u),
                None => {
                    return Err(problem(
                        format!("元数据中单位“{k}”的数字无法读出，请让乡镇用民情通重新导出。"),
                        vec![],
                    ))
                }
            }
        }
    }
    Ok(Input {
        units,
        file: file.clone(),
        kind,
        township: get("township").unwrap_or_default(),
        district: get("district").unwrap_or_default(),
        campaign: get("campaign").unwrap_or_else(|| "三解三促".into()),
        from,
        to,
        totals,
        partial,
    })
}

/// Whether the cell holds a formula (the formulas of each sheet are read once).
fn formula_cell(
    wb: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
    row: u32,
    col: u32,
    cache: &mut HashMap<String, Option<Range<String>>>,
) -> bool {
    let range = cache
        .entry(sheet.to_string())
        .or_insert_with(|| wb.worksheet_formula(sheet).ok());
    range
        .as_ref()
        .and_then(|r| r.get_value((row, col)))
        .is_some_and(|f| !f.is_empty())
}

/// What the user chose for a merge.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct MergeOptions {
    /// Also merge workbooks exported for only some villages (marked on the sheet).
    pub partial: bool,
    /// Unit names confirmed as one 区直部门: (the name as written, the name to use).
    pub same: Vec<(String, String)>,
}

/// The name the app offers for the district's merged workbook: `区级汇总_2026-12-06.xlsx`.
pub fn file_name(today: NaiveDate) -> String {
    format!("区级汇总_{today}.xlsx")
}

/// Merges the townships' workbooks into `target`. Blocking problems (edited numbers, files
/// that are not the app's reports) write nothing; duplicates and other periods are left out.
pub fn merge(files: &[PathBuf], target: &Path, today: NaiveDate) -> Result<MergeReport> {
    merge_with(files, target, today, false)
}

/// [`merge`]; `partial`: also merge workbooks exported for only some villages of a township
/// (left out by default: 326 households of one village would rank as the whole township),
/// marked on the sheet with their 统计范围.
pub fn merge_with(
    files: &[PathBuf],
    target: &Path,
    today: NaiveDate,
    partial: bool,
) -> Result<MergeReport> {
    merge_opts(
        files,
        target,
        today,
        &MergeOptions {
            partial,
            ..Default::default()
        },
    )
}

/// [`merge_with`] with every option: `same` merges unit names the user confirmed as one
/// 区直部门 in the department ranking.
pub fn merge_opts(
    files: &[PathBuf],
    target: &Path,
    today: NaiveDate,
    opts: &MergeOptions,
) -> Result<MergeReport> {
    let partial = opts.partial;
    if files.is_empty() {
        return Err(Error::invalid(
            "files",
            "请选择要汇总的乡镇报表（.xlsx，可多选）。",
        ));
    }
    let mut problems = Vec::new();
    let mut inputs = Vec::new();
    for f in files {
        match read_input(f) {
            Ok(i) if i.partial.is_some() && !partial => problems.push(MergeProblem {
                file: i.file.clone(),
                message: format!(
                    "统计范围只是{}的{}，不是全镇，未汇总（否则会被当作全镇排名）。请让{}选“全镇”重新导出；确需汇总部分村时，请勾选“包括只统计部分村的报表”（命令行 --partial），表上会注明统计范围。",
                    i.township,
                    i.partial.as_deref().unwrap_or_default(),
                    i.township
                ),
                cells: vec![],
                blocking: false,
            }),
            Ok(i) => inputs.push(i),
            Err(p) => problems.push(p),
        }
    }
    // The period: the one most inputs have.
    let mut periods: BTreeMap<(NaiveDate, NaiveDate), usize> = BTreeMap::new();
    for i in &inputs {
        *periods.entry((i.from, i.to)).or_default() += 1;
    }
    let period = periods
        .iter()
        .max_by_key(|(p, n)| (**n, std::cmp::Reverse(**p)))
        .map(|(p, _)| *p);
    let mut kept: Vec<Input> = Vec::new();
    for i in inputs {
        let (from, to) = period.expect("there are inputs");
        if (i.from, i.to) != (from, to) {
            problems.push(MergeProblem {
                file: i.file.clone(),
                message: format!(
                    "统计时段是 {} 至 {}，与其他报表的 {} 至 {} 不同，未汇总。请让{}按 {} 重新导出。",
                    i.from,
                    i.to,
                    from,
                    to,
                    i.township,
                    period_label(from, to)
                ),
                cells: vec![],
                blocking: false,
            });
            continue;
        }
        if let Some(first) = kept
            .iter()
            .find(|k| k.kind == i.kind && k.township == i.township)
        {
            problems.push(MergeProblem {
                file: i.file.clone(),
                message: format!(
                    "与“{}”重复：都是{}的{}，只汇总前一份。",
                    first.file,
                    i.township,
                    i.kind.title()
                ),
                cells: vec![],
                blocking: false,
            });
            continue;
        }
        kept.push(i);
    }
    let blocked = problems.iter().any(|p| p.blocking);
    let period_text = period.map(|(f, t)| period_label(f, t)).unwrap_or_default();
    let mut report = MergeReport {
        path: None,
        townships: Vec::new(),
        kinds: Vec::new(),
        period: period_text.clone(),
        problems,
        unsure_units: Vec::new(),
    };
    for k in &kept {
        if !report.townships.contains(&k.township) {
            report.townships.push(k.township.clone());
        }
        if !report.kinds.contains(&k.kind) {
            report.kinds.push(k.kind);
        }
    }
    if blocked || kept.is_empty() {
        return Ok(report);
    }
    let (from, to) = period.expect("kept inputs have the period");
    let district = {
        let mut names: Vec<&str> = kept.iter().map(|k| k.district.as_str()).collect();
        names.sort();
        names.dedup();
        if names.len() == 1 && !names[0].is_empty() {
            names[0].to_string()
        } else {
            "区".to_string()
        }
    };
    let style = Style::new();
    let head = Heading {
        s: &style,
        district: &district,
        from,
        to,
        today,
    };
    let mut wb = Workbook::new();
    for kind in ReportKind::ALL {
        let rows: Vec<&Input> = kept.iter().filter(|k| k.kind == *kind).collect();
        if rows.is_empty() {
            continue;
        }
        district_sheet(&mut wb, &head, *kind, &rows).map_err(xlsx_error)?;
    }
    // 区直部门排名: the contest's lines by unit over every township.
    let contests: Vec<&Input> = kept
        .iter()
        .filter(|k| k.kind == ReportKind::ProjectContest)
        .collect();
    if !contests.is_empty() {
        let lines: Vec<super::departments::UnitLine> = contests
            .iter()
            .flat_map(|k| k.units.iter().cloned())
            .collect();
        let rule = crate::stats::projects::ContestRule::default();
        let (deps, unsure, local) =
            super::departments::departments(&lines, &district, &opts.same, &rule);
        for (a, b) in &unsure {
            report.problems.push(MergeProblem {
                file: String::new(),
                message: format!(
                    "“{a}”与“{b}”可能是同一个区直部门，暂按两个部门分别排名。如确是同一部门，请确认后重新汇总（命令行 --same {a}={b}）。"
                ),
                cells: vec![],
                blocking: false,
            });
        }
        report.unsure_units = unsure;
        super::departments::department_sheet(
            &mut wb,
            &head,
            (&contests[0].campaign, contests.len()),
            &deps,
            local,
            &rule,
        )
        .map_err(xlsx_error)?;
    }
    let files_line: Vec<String> = kept.iter().map(|k| k.file.clone()).collect();
    meta_sheet(
        &mut wb,
        &[
            ("report", "district-merge"),
            ("district", &district),
            ("from", &from.to_string()),
            ("to", &to.to_string()),
            ("townships", &report.townships.join(",")),
            ("files", &files_line.join("|")),
            ("generated", &today.to_string()),
        ],
    )
    .map_err(xlsx_error)?;
    let path = save(&mut wb, target)?;
    report.path = Some(path.display().to_string());
    Ok(report)
}

/// The figures of a district sheet: (group, header, total key or a rate of two keys).
enum Fig {
    Count(&'static str),
    /// numerator key / denominator key
    Rate(&'static str, &'static str),
    /// A rate stored as such (满意率: weighted, not a ratio of two counts here).
    Stored(&'static str, &'static str),
}

fn figures(kind: ReportKind) -> Vec<(Option<&'static str>, &'static str, Fig)> {
    use Fig::*;
    match kind {
        ReportKind::VisitStats | ReportKind::CadreAssessment => vec![
            (Some("走访情况"), "应访户数", Count("should")),
            (Some("走访情况"), "已访户数", Count("visited")),
            (Some("走访情况"), "走访率", Rate("visited", "should")),
            (Some("走访情况"), "走访户次", Count("visits")),
            (Some("重点户"), "应访户数", Count("keyShould")),
            (Some("重点户"), "已访户数", Count("keyVisited")),
            (Some("重点户"), "走访率", Rate("keyVisited", "keyShould")),
            (Some("群众诉求"), "收集诉求", Count("requests")),
            (Some("群众诉求"), "办结", Count("closed")),
            (Some("群众诉求"), "办结率", Rate("closed", "requests")),
            (
                Some("群众诉求"),
                "满意率",
                Stored("satisfactionRate", "evaluated"),
            ),
        ],
        ReportKind::RequestSummary => vec![
            (Some("办理情况"), "受理", Count("received")),
            (Some("办理情况"), "已办结", Count("closed")),
            (Some("办理情况"), "办理中", Count("open")),
            (Some("办理情况"), "逾期未办结", Count("overdue")),
            (Some("办理情况"), "超期办结", Count("lateClosed")),
            (Some("响应"), "按时响应", Count("responded")),
            (Some("响应"), "响应率", Rate("responded", "received")),
            (Some("解决"), "已解决", Count("solved")),
            (Some("解决"), "解决率", Rate("solved", "closed")),
            (Some("满意"), "已评价", Count("evaluated")),
            (
                Some("满意"),
                "满意率",
                Stored("satisfactionRate", "evaluated"),
            ),
        ],
        ReportKind::Overdue => vec![
            (Some("督办件数"), "红色（已超期）", Count("red")),
            (Some("督办件数"), "黄色（延期或滞后）", Count("yellow")),
            (Some("督办件数"), "蓝色（临近时限）", Count("blue")),
        ],
        ReportKind::RequestLedger => vec![(None, "受理诉求件数", Count("rows"))],
        ReportKind::Projects => vec![
            (None, "实事项目（个）", Count("projects")),
            (None, "资金（万元）", Count("funds")),
        ],
        ReportKind::ProjectContest => vec![
            (Some("实事项目（个）"), "项目数", Count("projects")),
            (Some("实事项目（个）"), "实施中", Count("underway")),
            (Some("实事项目（个）"), "已完成", Count("done")),
            (None, "资金（万元）", Count("funds")),
            (Some("按期完成"), "到期项目", Count("due")),
            (Some("按期完成"), "按期完成", Count("onTime")),
            (Some("按期完成"), "按期完成率", Rate("onTime", "due")),
            (Some("群众诉求"), "交办件数", Count("requests")),
            (Some("群众诉求"), "已办结", Count("requestsClosed")),
            (
                Some("群众诉求"),
                "办结率",
                Rate("requestsClosed", "requests"),
            ),
        ],
        // Never merged (read_input leaves 走访排班表 out).
        ReportKind::Plan => vec![],
    }
}

fn value(i: &Input, key: &str) -> f64 {
    i.totals
        .get(key)
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// What orders a sheet's ranking: None when a township has no figure to rank by (no plan, so
/// no 走访率): it gets "—" instead of a place.
type RankKey = Box<dyn Fn(&Input) -> Option<f64>>;

/// The ranking of a sheet: what is better, in words, and the key that orders.
fn rank_rule(kind: ReportKind) -> (&'static str, RankKey) {
    let rate = |n: &'static str, d: &'static str| {
        move |i: &Input| {
            let den = value(i, d);
            (den > 0.0).then(|| value(i, n) / den)
        }
    };
    match kind {
        ReportKind::VisitStats => (
            "名次按走访率从高到低排列。",
            Box::new(rate("visited", "should")),
        ),
        ReportKind::CadreAssessment => (
            "名次按走访率从高到低排列；统计时段内没有排班的乡镇走访率无从计算，名次记为“—”。",
            Box::new(rate("visited", "should")),
        ),
        ReportKind::RequestSummary => (
            "名次按三率的平均值从高到低排列（没有数据的一率不计入平均）。",
            Box::new(|i: &Input| {
                let mut rs = Vec::new();
                for (n, d) in [("responded", "received"), ("solved", "closed")] {
                    if value(i, d) > 0.0 {
                        rs.push(value(i, n) / value(i, d));
                    }
                }
                if let Some(s) = i
                    .totals
                    .get("satisfactionRate")
                    .and_then(|v| v.parse::<f64>().ok())
                {
                    rs.push(s);
                }
                (!rs.is_empty()).then(|| rs.iter().sum::<f64>() / rs.len() as f64)
            }),
        ),
        ReportKind::Overdue => (
            "名次按红色（已超期）件数从少到多排列。",
            Box::new(|i: &Input| Some(-value(i, "red"))),
        ),
        _ => ("", Box::new(|_: &Input| None)),
    }
}

/// What every sheet of the district's workbook is headed with.
pub(crate) struct Heading<'a> {
    pub s: &'a Style,
    pub district: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
}

impl Heading<'_> {
    /// The line under a sheet's title: who merged, the period, how many townships, when.
    pub fn info(&self, townships: usize) -> String {
        format!(
            "汇总单位：{}    统计时段：{} 至 {}    参加汇总的乡镇：{townships} 个    汇总日期：{}",
            self.district, self.from, self.to, self.today
        )
    }
}

fn district_sheet(
    wb: &mut Workbook,
    head: &Heading,
    kind: ReportKind,
    inputs: &[&Input],
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    let Heading {
        s,
        district,
        from,
        to,
        ..
    } = *head;
    let figs = figures(kind);
    let ws = wb.add_worksheet();
    ws.set_name(kind.title())?;
    let mut cols: Vec<Col> = vec![col("序号", 5.5), col("乡镇（街道）", 14.0)];
    for (g, name, _) in &figs {
        cols.push(match g {
            Some(g) => sub(g, name, 9.0),
            None => col(name, 12.0),
        });
    }
    // The contest is ranked by department (区直部门排名), not by township.
    let ranked = !matches!(
        kind,
        ReportKind::RequestLedger
            | ReportKind::Plan
            | ReportKind::Projects
            | ReportKind::ProjectContest
    );
    if ranked {
        cols.push(col("名次", 6.0));
    }
    let title = format!(
        "{district}“{}”{}（区级汇总，{}）",
        inputs[0].campaign,
        kind.title(),
        period_label(from, to)
    );
    let first = report_sheet_grouped(ws, s, &title, &head.info(inputs.len()), &cols)?;
    let last = cols.len() as u16 - 1;
    // Ranking: ties share a place; a township without a figure to rank by gets none.
    let (rule, key) = rank_rule(kind);
    let mut order: Vec<usize> = (0..inputs.len())
        .filter(|&i| key(inputs[i]).is_some())
        .collect();
    order.sort_by(|&a, &b| {
        key(inputs[b])
            .partial_cmp(&key(inputs[a]))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut place: Vec<Option<u32>> = vec![None; inputs.len()];
    for (n, &ix) in order.iter().enumerate() {
        place[ix] = if n > 0 && key(inputs[order[n - 1]]) == key(inputs[ix]) {
            place[order[n - 1]]
        } else {
            Some(n as u32 + 1)
        };
    }
    let mut row = first;
    for (n, i) in inputs.iter().enumerate() {
        ws.set_row_height(row, 20)?;
        ws.write_number_with_format(row, 0, (n + 1) as f64, &s.cell_center)?;
        let name = match &i.partial {
            Some(scope) => format!("{}（仅{scope}）", i.township),
            None => i.township.clone(),
        };
        ws.write_string_with_format(row, 1, &name, &s.cell)?;
        for (c, (_, _, f)) in figs.iter().enumerate() {
            let c = c as u16 + 2;
            match f {
                Fig::Count(k) => ws.write_number_with_format(row, c, value(i, k), &s.num)?,
                Fig::Rate(a, b) => match value(i, b) {
                    d if d > 0.0 => ws.write_number_with_format(row, c, value(i, a) / d, &s.pct)?,
                    _ => ws.write_string_with_format(row, c, "—", &s.pct)?,
                },
                Fig::Stored(k, _) => match i.totals.get(*k).and_then(|v| v.parse::<f64>().ok()) {
                    Some(x) => ws.write_number_with_format(row, c, x, &s.pct)?,
                    None => ws.write_string_with_format(row, c, "—", &s.pct)?,
                },
            };
        }
        if ranked {
            match place[n] {
                Some(p) => ws.write_number_with_format(row, last, p as f64, &s.cell_center)?,
                None => ws.write_string_with_format(row, last, "—", &s.cell_center)?,
            };
        }
        row += 1;
    }
    // 合计: SUM formulas for counts, rates of the line's own sums, the weighted 满意率.
    ws.set_row_height(row, 22)?;
    ws.merge_range(row, 0, row, 1, "合计", &s.total_label)?;
    let col_of = |key: &str| {
        figs.iter()
            .position(|(_, _, f)| matches!(f, Fig::Count(k) if *k == key))
            .map(|p| p as u16 + 2)
    };
    for (c, (_, _, f)) in figs.iter().enumerate() {
        let c = c as u16 + 2;
        match f {
            Fig::Count(k) => {
                let sum: f64 = inputs.iter().map(|i| value(i, k)).sum();
                let letter = rust_xlsxwriter::utility::column_number_to_name(c);
                ws.write_formula_with_format(
                    row,
                    c,
                    Formula::new(format!("=SUM({letter}{}:{letter}{})", first + 1, row))
                        .set_result(figure_text(Some(sum))),
                    &s.total_num,
                )?;
            }
            Fig::Rate(a, b) => {
                let (n, d): (f64, f64) = (
                    inputs.iter().map(|i| value(i, a)).sum(),
                    inputs.iter().map(|i| value(i, b)).sum(),
                );
                let cached = if d > 0.0 {
                    (n / d).to_string()
                } else {
                    "—".into()
                };
                match (col_of(a), col_of(b)) {
                    (Some(ca), Some(cb)) => {
                        let (na, nb) = (row_col_to_cell(row, ca), row_col_to_cell(row, cb));
                        ws.write_formula_with_format(
                            row,
                            c,
                            Formula::new(format!("=IF({nb}>0,{na}/{nb},\"—\")")).set_result(cached),
                            &s.total_pct,
                        )?;
                    }
                    _ if d > 0.0 => {
                        ws.write_number_with_format(row, c, n / d, &s.total_pct)?;
                    }
                    _ => {
                        ws.write_string_with_format(row, c, "—", &s.total_pct)?;
                    }
                }
            }
            Fig::Stored(k, weight) => {
                // Weighted by each township's divisor (已评价), never a plain average.
                let (mut num, mut den) = (0.0, 0.0);
                for i in inputs {
                    if let Some(x) = i.totals.get(*k).and_then(|v| v.parse::<f64>().ok()) {
                        num += x * value(i, weight);
                        den += value(i, weight);
                    }
                }
                if den > 0.0 {
                    ws.write_number_with_format(row, c, num / den, &s.total_pct)?;
                } else {
                    ws.write_string_with_format(row, c, "—", &s.total_pct)?;
                }
            }
        }
    }
    if ranked {
        ws.write_string_with_format(row, last, "", &s.total_label)?;
    }
    let mut note = String::from("注：数字取自各乡镇用民情通导出的报表，已逐一核对校验码。");
    if figs.iter().any(|(_, _, f)| matches!(f, Fig::Rate(..))) {
        note.push_str("合计行的比率由合计数计算。");
    }
    if figs.iter().any(|(_, _, f)| matches!(f, Fig::Stored(..))) {
        note.push_str("满意率按各乡镇已评价件数加权。");
    }
    if inputs.iter().any(|i| i.partial.is_some()) {
        note.push_str("注明“仅……”的乡镇只统计了其中部分村，名次仅供参考。");
    }
    note.push_str(rule);
    ws.set_row_height(row + 1, 30)?;
    ws.merge_range(row + 1, 0, row + 1, last, &note, &s.note)?;
    super::closing_district(ws, s, row + 2, last)
}
