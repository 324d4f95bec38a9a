//! The 实事项目 workbooks: the 实事项目台账 (every project of the period) and the 办实事竞赛情况表
//! (a line per unit, scored and ranked). The figures come from [`crate::stats::projects`]; the
//! `_meta` sheet and its checksum are written by [`super::district::export_report`] like every
//! other report's, and the contest's lines by unit go into `_meta` too, so the district's merge
//! can rank the departments across townships.

use super::district::{figure_text, keep_stats_tail, Book, Out, ReportCtx};
use super::{closing, col, report_sheet_grouped, sub, Col, Style};
use crate::stats::projects::{ContestRow, ProjectContest, ProjectLine};
use rust_xlsxwriter::{Format, XlsxError};

type X<T> = std::result::Result<T, XlsxError>;

fn funds_format(f: &Format) -> Format {
    f.clone().set_num_format("0.00")
}

/// The 实事项目台账 sheet; returns the number of projects.
pub(crate) fn ledger_sheet(
    book: &mut Book<'_>,
    ctx: &ReportCtx<'_>,
    lines: &[ProjectLine],
) -> X<u64> {
    let (wb, figures) = (&mut *book.wb, &mut *book.figures);
    let ReportCtx {
        s,
        town,
        title,
        info,
        ..
    } = *ctx;
    let ws = wb.add_worksheet();
    let name = "实事项目台账";
    ws.set_name(name)?;
    let cols = [
        col("序号", 5.5),
        col("类别", 12.5),
        col("承担单位", 13.0),
        col("村（社区）", 9.0),
        col("项目名称", 16.0),
        col("项目内容", 26.0),
        col("资金（万元）", 10.0),
        col("计划完成", 10.5),
        col("状态", 7.0),
        col("完成或终止日期", 11.0),
        col("结果", 20.0),
        col("最近进展", 22.0),
        col("按期", 5.5),
    ];
    let first = report_sheet_grouped(ws, s, title, info, &cols)?;
    let last = cols.len() as u16 - 1;
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures,
    };
    let funds = funds_format(&s.num);
    let mut row = first;
    let mut heights = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let h = super::fit_row_height(
            &[
                (&l.title, 16.0),
                (&l.content, 26.0),
                (&l.result, 20.0),
                (&l.latest, 22.0),
            ],
            20.0,
        )
        .min(409.0);
        heights.push(h);
        out.ws.set_row_height(row, h)?;
        out.ws
            .write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let texts: [(String, &Format); 5] = [
            (l.kind.to_string(), &s.cell),
            (l.unit.clone(), &s.cell),
            (l.village.clone(), &s.cell),
            (l.title.clone(), &s.cell),
            (l.content.clone(), &s.cell),
        ];
        for (c, (t, f)) in texts.iter().enumerate() {
            out.ws.write_string_with_format(row, c as u16 + 1, t, f)?;
        }
        match l.funds {
            Some(x) => out.amount(row, 6, x, &funds)?,
            None => {
                out.ws.write_string_with_format(row, 6, "", &s.num)?;
            }
        }
        let rest: [(String, &Format); 6] = [
            (date(l.planned_end), &s.cell_center),
            (l.status.to_string(), &s.cell_center),
            (date(l.finished_on), &s.cell_center),
            (l.result.clone(), &s.cell),
            (l.latest.clone(), &s.cell),
            (
                match l.on_time {
                    Some(true) => "是",
                    Some(false) => "否",
                    None => "",
                }
                .to_string(),
                &s.cell_center,
            ),
        ];
        for (c, (t, f)) in rest.iter().enumerate() {
            out.ws.write_string_with_format(row, c as u16 + 7, t, f)?;
        }
        row += 1;
    }
    if lines.is_empty() {
        out.ws.merge_range(
            row,
            0,
            row,
            last,
            "统计时段内没有实事项目。",
            &s.cell_center,
        )?;
        row += 1;
    } else {
        out.ws.autofilter(first - 1, 0, row - 1, last)?;
    }
    // 合计: the number of projects and their funds.
    out.ws.set_row_height(row, 22)?;
    out.ws.merge_range(row, 0, row, 5, "合计", &s.total_label)?;
    let funds = crate::stats::projects::total_funds(lines);
    out.sum_amount(row, 6, first, funds, &funds_format(&s.total_num))?;
    out.ws.merge_range(
        row,
        7,
        row,
        last,
        &format!("共 {} 个项目", lines.len()),
        &s.total_label,
    )?;
    let note = "注：统计时段结束前立项、且不在时段开始前已完成或终止的项目；状态为统计时段结束时的状态；“按期”指在计划完成日期前（含当天）完成，到期未完成记“否”。";
    out.ws.set_row_height(row + 1, 44)?;
    out.ws
        .merge_range(row + 1, 0, row + 1, last, note, &s.note)?;
    keep_stats_tail(out.ws, &cols, title, info, first, &heights)?;
    closing(out.ws, s, town, row + 3, last, None)?;
    Ok(lines.len() as u64)
}

/// The columns of the 办实事竞赛情况表 (shared with the district's merge).
pub(crate) fn contest_cols(by: &'static str) -> Vec<Col<'static>> {
    vec![
        col("序号", 5.5),
        col(by, 16.0),
        sub("实事项目（个）", "项目数", 7.0),
        sub("实事项目（个）", "计划", 6.0),
        sub("实事项目（个）", "实施中", 7.0),
        sub("实事项目（个）", "已完成", 7.0),
        sub("实事项目（个）", "已终止", 7.0),
        col("资金（万元）", 9.0),
        sub("按期完成", "到期项目", 7.0),
        sub("按期完成", "按期完成", 7.0),
        sub("按期完成", "按期完成率", 8.0),
        sub("群众诉求", "交办件数", 7.0),
        sub("群众诉求", "已办结", 7.0),
        sub("群众诉求", "办结率", 8.0),
        col("得分", 7.0),
        col("名次", 6.0),
    ]
}

/// The figures of one contest line from column 2 on (counts, funds, rates).
pub(crate) fn contest_line(out: &mut Out, s: &Style, row: u32, r: &ContestRow) -> X<()> {
    let funds = funds_format(&s.num);
    out.count(row, 2, r.projects, &s.num)?;
    out.count(row, 3, r.planned, &s.num)?;
    out.count(row, 4, r.underway, &s.num)?;
    out.count(row, 5, r.done, &s.num)?;
    out.count(row, 6, r.stopped, &s.num)?;
    out.amount(row, 7, r.funds, &funds)?;
    out.count(row, 8, r.due, &s.num)?;
    out.count(row, 9, r.on_time, &s.num)?;
    out.rate(row, 10, r.on_time_rate, &s.pct)?;
    out.count(row, 11, r.requests, &s.num)?;
    out.count(row, 12, r.requests_closed, &s.num)?;
    out.rate(row, 13, r.close_rate, &s.pct)?;
    out.amount(row, 14, r.score, &s.num.clone().set_num_format("0.0"))?;
    Ok(())
}

/// The 合计 line of a contest sheet: sums and the rates of the sums.
pub(crate) fn contest_total(
    out: &mut Out,
    s: &Style,
    row: u32,
    first: u32,
    t: &ContestRow,
) -> X<()> {
    out.ws.set_row_height(row, 22)?;
    out.ws.merge_range(row, 0, row, 1, "合计", &s.total_label)?;
    out.sum(row, 2, first, t.projects, &s.total_num)?;
    out.sum(row, 3, first, t.planned, &s.total_num)?;
    out.sum(row, 4, first, t.underway, &s.total_num)?;
    out.sum(row, 5, first, t.done, &s.total_num)?;
    out.sum(row, 6, first, t.stopped, &s.total_num)?;
    out.sum_amount(row, 7, first, t.funds, &funds_format(&s.total_num))?;
    out.sum(row, 8, first, t.due, &s.total_num)?;
    out.sum(row, 9, first, t.on_time, &s.total_num)?;
    out.ratio(row, 10, 9, 8, t.on_time_rate, &s.total_pct)?;
    out.sum(row, 11, first, t.requests, &s.total_num)?;
    out.sum(row, 12, first, t.requests_closed, &s.total_num)?;
    out.ratio(row, 13, 12, 11, t.close_rate, &s.total_pct)?;
    out.ws
        .write_string_with_format(row, 14, "", &s.total_label)?;
    out.ws
        .write_string_with_format(row, 15, "", &s.total_label)?;
    Ok(())
}

/// What the contest's columns count, printed under the table.
pub(crate) fn contest_note(rule_text: &str) -> String {
    format!(
        "注：实事项目含办实事竞赛、部门职能十下乡、牵手奔小康项目，按统计时段结束时的状态计；到期项目指计划完成日期不晚于时段结束或已完成的项目，按期完成率 = 按期完成 ÷ 到期项目；交办件数为统计时段内受理并交办该单位的群众诉求，办结率 = 已办结 ÷ 交办件数。{rule_text}"
    )
}

/// The 办实事竞赛情况表·按单位 sheet; returns the number of units.
pub(crate) fn contest_sheet(
    book: &mut Book<'_>,
    ctx: &ReportCtx<'_>,
    contest: &ProjectContest,
) -> X<u64> {
    let (wb, figures) = (&mut *book.wb, &mut *book.figures);
    let ReportCtx {
        s,
        town,
        title,
        info,
        ..
    } = *ctx;
    let ws = wb.add_worksheet();
    let name = "按单位";
    ws.set_name(name)?;
    let cols = contest_cols("承担单位");
    let title = format!("{title}·{name}");
    let first = report_sheet_grouped(ws, s, &title, info, &cols)?;
    let last = cols.len() as u16 - 1;
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures,
    };
    keep_stats_tail(
        out.ws,
        &cols,
        &title,
        info,
        first,
        &vec![20.0; contest.rows.len()],
    )?;
    let mut row = first;
    for (i, r) in contest.rows.iter().enumerate() {
        out.ws.set_row_height(row, 20)?;
        out.ws
            .write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        out.ws.write_string_with_format(row, 1, &r.unit, &s.cell)?;
        contest_line(&mut out, s, row, r)?;
        out.count(row, 15, r.rank as i64, &s.cell_center)?;
        row += 1;
    }
    contest_total(&mut out, s, row, first, &contest.total)?;
    out.ws.set_row_height(row + 1, 44)?;
    out.ws.merge_range(
        row + 1,
        0,
        row + 1,
        last,
        &contest_note(&contest.rule_text),
        &s.note,
    )?;
    closing(out.ws, s, town, row + 3, last, None)?;
    Ok(contest.rows.len() as u64)
}

/// The contest's lines by unit for `_meta` (covered by the checksum): `unit:N` =
/// name|projects|planned|underway|done|stopped|funds|due|onTime|requests|requestsClosed.
pub fn contest_meta(rows: &[ContestRow]) -> Vec<(String, String)> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let n = |v: i64| v.to_string();
            let fields = [
                r.unit.replace('|', "｜"),
                n(r.projects),
                n(r.planned),
                n(r.underway),
                n(r.done),
                n(r.stopped),
                figure_text(Some(r.funds)),
                n(r.due),
                n(r.on_time),
                n(r.requests),
                n(r.requests_closed),
            ];
            (format!("unit:{}", i + 1), fields.join("|"))
        })
        .collect()
}
