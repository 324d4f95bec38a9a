//! The district's statistics and list sheets, each laid out from figures computed in
//! `crate::stats::district`.

use super::*;

/// A statistics sheet (two header rows, then data, then the 合计 row, a 44-point note, a blank
/// row and the 填报人 line): its last rows, 合计 and closing lines print on one page.
pub(crate) fn keep_stats_tail(
    ws: &mut Worksheet,
    cols: &[Col],
    title: &str,
    info: &str,
    first: u32,
    heights: &[f64],
) -> std::result::Result<(), XlsxError> {
    let widths: Vec<f64> = cols.iter().map(|c| c.width).collect();
    let widths = crate::report::widths_for_titles(&widths, title, info);
    crate::report::keep_with_table(
        ws,
        first,
        &crate::report::Table {
            widths: &widths,
            top: 36.0 + 22.0 + 22.0 + 30.0,
            repeat: 22.0 + 30.0,
            rows: heights,
            tail: 22.0 + 44.0 + 15.0 + 20.0,
        },
    )
}

/// What a cadre's 应访 and 已访 count, and why their totals differ from the village sheet's.
fn cadre_counts_note(planned: bool) -> String {
    if planned {
        "按干部：应访户数为统计时段内排班安排给该干部的户数（只含已排班的户，所以合计与“按村统计”的应访户数——全部在册户——不相等）；已访户数为该干部实际走访（见到户主或家人）的户数，来自民情日记，含排班以外的户，故走访率可超过 100%。".into()
    } else {
        "按干部：统计时段内没有排班，应访户数和走访率无从统计，记为“—”；已访户数为该干部实际走访（见到户主或家人）的户数，来自民情日记。".into()
    }
}

/// The note under a sheet with rates: the three formulas (there is no national formula).
fn formula_note(f: &RateFormula) -> String {
    format!("注：{}；{}；{}。", f.response, f.solve, f.satisfaction)
}

pub(super) fn coverage_sheet(
    book: &mut Book<'_>,
    ctx: &ReportCtx<'_>,
    name: &str,
    rows: &[CoverageRow],
    total: &CoverageRow,
    by_cadre: bool,
    formula: &RateFormula,
) -> std::result::Result<(), XlsxError> {
    let (wb, figures) = (&mut *book.wb, &mut *book.figures);
    let ReportCtx {
        s,
        town,
        title,
        info,
        ..
    } = *ctx;
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let mut cols: Vec<Col> = vec![col("序号", 5.5)];
    if by_cadre {
        cols.push(col("走访干部", 9.0));
        cols.push(col("单位", 20.0));
    } else {
        cols.push(col("村（社区）", 12.0));
    }
    cols.extend([
        sub("走访情况", "应访户数", 8.0),
        sub("走访情况", "已访户数", 8.0),
        sub("走访情况", "走访率", 8.0),
        sub("走访情况", "走访户次", 8.0),
        sub("重点户", "应访户数", 8.0),
        sub("重点户", "已访户数", 8.0),
        sub("重点户", "走访率", 8.0),
        sub("群众诉求", "收集诉求", 8.0),
        sub("群众诉求", "办结", 7.0),
        sub("群众诉求", "办结率", 8.0),
        sub("群众诉求", "满意率", 8.0),
    ]);
    let title = format!("{title}·{name}");
    let first = report_sheet_grouped(ws, s, &title, info, &cols)?;
    let base: u16 = if by_cadre { 3 } else { 2 };
    let last = cols.len() as u16 - 1;
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures,
    };
    let mut row = first;
    let heights: Vec<f64> = rows
        .iter()
        .map(|r| crate::report::fit_row_height(&[(&r.unit, 20.0)], 20.0))
        .collect();
    keep_stats_tail(out.ws, &cols, &title, info, first, &heights)?;
    for (i, r) in rows.iter().enumerate() {
        out.ws.set_row_height(row, heights[i])?;
        out.ws
            .write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        out.ws.write_string_with_format(row, 1, &r.name, &s.cell)?;
        if by_cadre {
            out.ws.write_string_with_format(row, 2, &r.unit, &s.cell)?;
        }
        line(&mut out, s, row, base, r)?;
        row += 1;
    }
    // 合计: counts as SUM formulas, rates as formulas of the line's own counts.
    out.ws.set_row_height(row, 22)?;
    out.ws
        .merge_range(row, 0, row, base - 1, "合计", &s.total_label)?;
    total_line(&mut out, s, row, first, base, total)?;
    let mut note = formula_note(formula);
    note.push(' ');
    if by_cadre {
        note.push_str(&cadre_counts_note(total.should_known));
        note.push_str(
            "诉求按提出诉求的走访记录计入参加走访的每位干部，合计行的满意率按每件诉求计一次。",
        );
    } else {
        note.push_str("应访户数为在册户数（全部户都应走访）；已访户数为统计时段内有走访记录（见到户主或家人）的户数；走访户次含同一户的多次走访。");
    }
    out.ws.set_row_height(row + 1, 44)?;
    out.ws
        .merge_range(row + 1, 0, row + 1, last, &note, &s.note)?;
    closing(out.ws, s, town, row + 2, last, None)
}

/// The eleven figures of a coverage line from column `base`.
fn line(
    out: &mut Out,
    s: &Style,
    row: u32,
    base: u16,
    r: &CoverageRow,
) -> std::result::Result<(), XlsxError> {
    out.count_or_dash(row, base, r.should, r.should_known, &s.num)?;
    out.count(row, base + 1, r.visited, &s.num)?;
    out.rate(row, base + 2, r.visit_rate, &s.pct)?;
    out.count(row, base + 3, r.visits, &s.num)?;
    out.count_or_dash(row, base + 4, r.key_should, r.should_known, &s.num)?;
    out.count(row, base + 5, r.key_visited, &s.num)?;
    out.rate(row, base + 6, r.key_rate, &s.pct)?;
    out.count(row, base + 7, r.requests, &s.num)?;
    out.count(row, base + 8, r.closed, &s.num)?;
    out.rate(row, base + 9, r.close_rate, &s.pct)?;
    out.rate(row, base + 10, r.satisfaction_rate, &s.pct)
}

fn total_line(
    out: &mut Out,
    s: &Style,
    row: u32,
    first: u32,
    base: u16,
    t: &CoverageRow,
) -> std::result::Result<(), XlsxError> {
    let known = t.should_known;
    out.sum_or_dash(row, base, first, t.should, known, &s.total_num)?;
    out.sum(row, base + 1, first, t.visited, &s.total_num)?;
    out.ratio_or_dash(
        row,
        base + 2,
        (base + 1, base),
        t.visit_rate,
        known,
        &s.total_pct,
    )?;
    out.sum(row, base + 3, first, t.visits, &s.total_num)?;
    out.sum_or_dash(row, base + 4, first, t.key_should, known, &s.total_num)?;
    out.sum(row, base + 5, first, t.key_visited, &s.total_num)?;
    out.ratio_or_dash(
        row,
        base + 6,
        (base + 5, base + 4),
        t.key_rate,
        known,
        &s.total_pct,
    )?;
    out.sum(row, base + 7, first, t.requests, &s.total_num)?;
    out.sum(row, base + 8, first, t.closed, &s.total_num)?;
    out.ratio(
        row,
        base + 9,
        base + 8,
        base + 7,
        t.close_rate,
        &s.total_pct,
    )?;
    out.rate(row, base + 10, t.satisfaction_rate, &s.total_pct)
}

pub(super) fn assessment_sheet(
    book: &mut Book<'_>,
    ctx: &ReportCtx<'_>,
    rows: &[CoverageRow],
    total: &CoverageRow,
    formula: &RateFormula,
) -> std::result::Result<(), XlsxError> {
    let (wb, figures) = (&mut *book.wb, &mut *book.figures);
    let ReportCtx {
        s,
        town,
        title,
        info,
        ..
    } = *ctx;
    let ws = wb.add_worksheet();
    let name = "干部走访考核表";
    ws.set_name(name)?;
    let cols = [
        col("名次", 5.5),
        col("走访干部", 9.0),
        col("单位", 20.0),
        sub("走访任务", "应访户数", 8.0),
        sub("走访任务", "已访户数", 8.0),
        sub("走访任务", "走访率", 8.0),
        sub("走访任务", "走访户次", 8.0),
        sub("走访任务", "走访天数", 8.0),
        sub("重点户", "应访户数", 8.0),
        sub("重点户", "已访户数", 8.0),
        sub("重点户", "走访率", 8.0),
        sub("群众诉求", "收集诉求", 8.0),
        sub("群众诉求", "办结", 7.0),
        sub("群众诉求", "办结率", 8.0),
        sub("群众诉求", "满意率", 8.0),
        col("先进典型", 6.5),
    ];
    let first = report_sheet_grouped(ws, s, title, info, &cols)?;
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures,
    };
    let mut row = first;
    let heights: Vec<f64> = rows
        .iter()
        .map(|r| crate::report::fit_row_height(&[(&r.unit, 20.0)], 20.0))
        .collect();
    keep_stats_tail(out.ws, &cols, title, info, first, &heights)?;
    for (r, height) in rows.iter().zip(&heights) {
        out.ws.set_row_height(row, *height)?;
        out.count(row, 0, r.rank as i64, &s.cell_center)?;
        out.ws.write_string_with_format(row, 1, &r.name, &s.cell)?;
        out.ws.write_string_with_format(row, 2, &r.unit, &s.cell)?;
        out.count_or_dash(row, 3, r.should, r.should_known, &s.num)?;
        out.count(row, 4, r.visited, &s.num)?;
        out.rate(row, 5, r.visit_rate, &s.pct)?;
        out.count(row, 6, r.visits, &s.num)?;
        out.count(row, 7, r.visit_days, &s.num)?;
        out.count_or_dash(row, 8, r.key_should, r.should_known, &s.num)?;
        out.count(row, 9, r.key_visited, &s.num)?;
        out.rate(row, 10, r.key_rate, &s.pct)?;
        out.count(row, 11, r.requests, &s.num)?;
        out.count(row, 12, r.closed, &s.num)?;
        out.rate(row, 13, r.close_rate, &s.pct)?;
        out.rate(row, 14, r.satisfaction_rate, &s.pct)?;
        out.count(row, 15, r.cases, &s.num)?;
        row += 1;
    }
    out.ws.set_row_height(row, 22)?;
    out.ws.merge_range(row, 0, row, 2, "合计", &s.total_label)?;
    let known = total.should_known;
    out.sum_or_dash(row, 3, first, total.should, known, &s.total_num)?;
    out.sum(row, 4, first, total.visited, &s.total_num)?;
    out.ratio_or_dash(row, 5, (4, 3), total.visit_rate, known, &s.total_pct)?;
    out.sum(row, 6, first, total.visits, &s.total_num)?;
    out.sum(row, 7, first, total.visit_days, &s.total_num)?;
    out.sum_or_dash(row, 8, first, total.key_should, known, &s.total_num)?;
    out.sum(row, 9, first, total.key_visited, &s.total_num)?;
    out.ratio_or_dash(row, 10, (9, 8), total.key_rate, known, &s.total_pct)?;
    out.sum(row, 11, first, total.requests, &s.total_num)?;
    out.sum(row, 12, first, total.closed, &s.total_num)?;
    out.ratio(row, 13, 12, 11, total.close_rate, &s.total_pct)?;
    out.rate(row, 14, total.satisfaction_rate, &s.total_pct)?;
    out.sum(row, 15, first, total.cases, &s.total_num)?;
    let note = format!(
        "{} {} 名次依次按走访率、已访户数、走访户次、办结率排列，各项相同者名次并列；没有排班任务的干部走访率记为“—”，排在有任务的干部之后。先进典型为统计时段内标为典型的该干部的走访及其收集的诉求。",
        formula_note(formula),
        cadre_counts_note(total.should_known)
    );
    out.ws.set_row_height(row + 1, 44)?;
    out.ws
        .merge_range(row + 1, 0, row + 1, 15, &note, &s.note)?;
    closing(out.ws, s, town, row + 2, 15, None)
}

pub(super) fn summary_sheet(
    book: &mut Book<'_>,
    ctx: &ReportCtx<'_>,
    name: &str,
    by: &str,
    rows: &[SummaryRow],
    total: &SummaryRow,
    formula: &RateFormula,
) -> std::result::Result<(), XlsxError> {
    let (wb, figures) = (&mut *book.wb, &mut *book.figures);
    let ReportCtx {
        s,
        town,
        title,
        info,
        today,
        ..
    } = *ctx;
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let cols = [
        col("序号", 5.5),
        col(by, 16.0),
        sub("办理情况", "受理", 7.0),
        sub("办理情况", "已办结", 7.0),
        sub("办理情况", "办理中", 7.0),
        sub("办理情况", "逾期未办结", 8.0),
        sub("办理情况", "超期办结", 8.0),
        sub("响应", "按时响应", 8.0),
        sub("响应", "响应率", 8.0),
        sub("解决", "已解决", 7.0),
        sub("解决", "解决率", 8.0),
        sub("满意", "已评价", 7.0),
        sub("满意", "满意", 7.0),
        sub("满意", "基本满意", 8.0),
        sub("满意", "满意率", 8.0),
    ];
    let title = format!("{title}·{name}");
    let first = report_sheet_grouped(ws, s, &title, info, &cols)?;
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures,
    };
    let mut row = first;
    keep_stats_tail(out.ws, &cols, &title, info, first, &vec![20.0; rows.len()])?;
    for (i, r) in rows.iter().enumerate() {
        out.ws.set_row_height(row, 20)?;
        out.ws
            .write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        out.ws
            .write_string_with_format(row, 1, &r.rates.name, &s.cell)?;
        summary_line(&mut out, s, row, r)?;
        row += 1;
    }
    out.ws.set_row_height(row, 22)?;
    out.ws.merge_range(row, 0, row, 1, "合计", &s.total_label)?;
    let t = total;
    out.sum(row, 2, first, t.rates.received, &s.total_num)?;
    out.sum(row, 3, first, t.rates.closed, &s.total_num)?;
    out.sum(row, 4, first, t.open, &s.total_num)?;
    out.sum(row, 5, first, t.overdue, &s.total_num)?;
    out.sum(row, 6, first, t.late_closed, &s.total_num)?;
    out.sum(row, 7, first, t.rates.responded, &s.total_num)?;
    out.ratio(row, 8, 7, 2, t.rates.response_rate, &s.total_pct)?;
    out.sum(row, 9, first, t.rates.solved, &s.total_num)?;
    out.ratio(row, 10, 9, 3, t.rates.solve_rate, &s.total_pct)?;
    out.sum(row, 11, first, t.rates.evaluated, &s.total_num)?;
    out.sum(row, 12, first, t.rates.satisfied, &s.total_num)?;
    out.sum(row, 13, first, t.rates.basic, &s.total_num)?;
    out.rate(row, 14, t.rates.satisfaction_rate, &s.total_pct)?;
    let note = format!(
        "{} 逾期未办结按 {today} 统计；超期办结指办结日期晚于办结时限。",
        formula_note(formula)
    );
    out.ws.set_row_height(row + 1, 44)?;
    out.ws
        .merge_range(row + 1, 0, row + 1, 14, &note, &s.note)?;
    closing(out.ws, s, town, row + 2, 14, None)
}

fn summary_line(
    out: &mut Out,
    s: &Style,
    row: u32,
    r: &SummaryRow,
) -> std::result::Result<(), XlsxError> {
    out.count(row, 2, r.rates.received, &s.num)?;
    out.count(row, 3, r.rates.closed, &s.num)?;
    out.count(row, 4, r.open, &s.num)?;
    out.count(row, 5, r.overdue, &s.num)?;
    out.count(row, 6, r.late_closed, &s.num)?;
    out.count(row, 7, r.rates.responded, &s.num)?;
    out.rate(row, 8, r.rates.response_rate, &s.pct)?;
    out.count(row, 9, r.rates.solved, &s.num)?;
    out.rate(row, 10, r.rates.solve_rate, &s.pct)?;
    out.count(row, 11, r.rates.evaluated, &s.num)?;
    out.count(row, 12, r.rates.satisfied, &s.num)?;
    out.count(row, 13, r.rates.basic, &s.num)?;
    out.rate(row, 14, r.rates.satisfaction_rate, &s.pct)
}

pub(super) fn overdue_sheet(
    book: &mut Book<'_>,
    ctx: &ReportCtx<'_>,
    list: &[crate::stats::district::OverdueRow],
) -> std::result::Result<(), XlsxError> {
    let (wb, figures) = (&mut *book.wb, &mut *book.figures);
    let ReportCtx {
        s,
        town,
        title,
        info,
        today,
        masking,
        ..
    } = *ctx;
    // Written row by row (the list may hold every open request of a year).
    let ws = wb.add_worksheet_with_constant_memory()?;
    let name = "督办通报";
    ws.set_name(name)?;
    let headers = [
        col("序号", 5.5),
        col("督办等级", 9.0),
        col("诉求编号", 12.0),
        col("村（社区）", 10.0),
        col("诉求人", 8.0),
        col("类别", 9.0),
        col("诉求内容", 30.0),
        col("责任单位", 14.0),
        col("责任人", 8.0),
        col("受理日期", 11.0),
        col("办结时限", 11.0),
        col("超期工作日", 7.5),
        col("状态", 7.0),
        col("催办督办\n次数", 9.0),
    ];
    let first = report_sheet_grouped(ws, s, title, info, &headers)?;
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures,
    };
    crate::report::mark_personal_data(out.ws, masking);
    let (mut red, mut yellow, mut blue) = (0, 0, 0);
    let mut row = first;
    let contents: Vec<String> = list
        .iter()
        .map(|r| r.content.chars().take(120).collect())
        .collect();
    let heights: Vec<f64> = list
        .iter()
        .zip(&contents)
        .map(|(r, c)| crate::report::fit_row_height(&[(c, 30.0), (&r.unit, 14.0)], 20.0))
        .collect();
    let widths: Vec<f64> = headers.iter().map(|c| c.width).collect();
    crate::report::keep_with_table(
        out.ws,
        first,
        &crate::report::Table {
            widths: &crate::report::widths_for_titles(&widths, title, info),
            top: 36.0 + 22.0 + 28.0,
            repeat: 28.0,
            rows: &heights,
            tail: 22.0 + 30.0 + 15.0 + 20.0,
        },
    )?;
    for (i, r) in list.iter().enumerate() {
        let (label, fmt) = match r.colour {
            Colour::Red => {
                red += 1;
                ("红色", &s.red)
            }
            Colour::Yellow => {
                yellow += 1;
                ("黄色", &s.yellow)
            }
            Colour::Blue => {
                blue += 1;
                ("蓝色", &s.blue)
            }
        };
        let content = &contents[i];
        out.ws.set_row_height(row, heights[i])?;
        out.ws
            .write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        out.ws.write_string_with_format(row, 1, label, fmt)?;
        out.ws
            .write_string_with_format(row, 2, &r.number, &s.cell_center)?;
        out.ws
            .write_string_with_format(row, 3, &r.village, &s.cell)?;
        out.ws
            .write_string_with_format(row, 4, masking.name(&r.requester), &s.cell)?;
        out.ws
            .write_string_with_format(row, 5, &r.category, &s.cell)?;
        out.ws.write_string_with_format(row, 6, content, &s.cell)?;
        out.ws.write_string_with_format(row, 7, &r.unit, &s.cell)?;
        out.ws
            .write_string_with_format(row, 8, &r.handler, &s.cell)?;
        out.ws
            .write_string_with_format(row, 9, r.received_on.to_string(), &s.cell_center)?;
        out.ws
            .write_string_with_format(row, 10, r.deadline.to_string(), &s.cell_center)?;
        out.count(row, 11, r.days_over, &s.num)?;
        out.ws
            .write_string_with_format(row, 12, r.status.as_str(), &s.cell_center)?;
        out.count(row, 13, r.urged, &s.num)?;
        row += 1;
    }
    if list.is_empty() {
        out.ws.merge_range(
            row,
            0,
            row,
            13,
            &format!("截至 {today}，没有超期、延期或临近时限的诉求。"),
            &s.cell_center,
        )?;
        row += 1;
    } else {
        out.ws.autofilter(first - 1, 0, row - 1, 13)?;
    }
    out.ws.set_row_height(row, 22)?;
    out.ws.merge_range(row, 0, row, 2, "合计", &s.total_label)?;
    out.ws.merge_range(
        row,
        3,
        row,
        13,
        &format!(
            "共 {} 件：红色（已超期）{red} 件，黄色（已延期或进度滞后）{yellow} 件，蓝色（临近时限）{blue} 件",
            list.len()
        ),
        &s.total_label,
    )?;
    out.ws.set_row_height(row + 1, 30)?;
    out.ws.merge_range(
        row + 1,
        0,
        row + 1,
        13,
        &format!("注：三色督办按 {today} 计。红色：已超过办结时限；黄色：已批准延期或标记为进度滞后；蓝色：距办结时限不足一个工作日。超期工作日不含节假日。{}", masking.note_phones()),
        &s.note,
    )?;
    closing(out.ws, s, town, row + 2, 13, None)
}

pub(super) fn ledger_sheet(
    wb: &mut Workbook,
    store: &Store,
    ctx: &ReportCtx<'_>,
    scope: &Scope,
) -> Result<u64> {
    let ReportCtx {
        s,
        town,
        title,
        info,
        today,
        masking,
        ..
    } = *ctx;
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_error)?;
    ws.set_name("民情诉求台账").map_err(xlsx_error)?;
    let headers = [
        col("序号", 5.5),
        col("诉求编号", 12.0),
        col("来源", 7.0),
        col("村（社区）", 9.0),
        col("诉求人", 7.0),
        col("联系电话", 12.0),
        col("类型", 5.5),
        col("类别", 8.0),
        col("缓急", 5.5),
        col("办理分类", 8.0),
        col("诉求内容", 28.0),
        col("受理日期", 10.5),
        col("办结时限", 10.5),
        col("状态", 7.0),
        col("督办", 5.5),
        col("责任单位", 12.0),
        col("责任人", 7.0),
        col("首次响应", 10.5),
        col("办理结果", 22.0),
        col("答复群众", 18.0),
        col("办结结果", 8.0),
        col("办结日期", 10.5),
        col("满意度", 7.0),
    ];
    let first = report_sheet_grouped(ws, s, title, info, &headers).map_err(xlsx_error)?;
    crate::report::mark_personal_data(ws, masking);
    let last = headers.len() as u16 - 1;
    let mut row = first;
    let mut heights: Vec<f64> = Vec::new();
    let n = store.read(|c| {
        ledger_rows(c, scope, today, &mut |r| {
            let cut = |t: &str| -> String { t.chars().take(2000).collect() };
            let content = cut(&r.content);
            let requester = masking.name(&r.requester);
            let phone = masking.phone(&r.phone);
            let result = cut(&r.result);
            let reply = cut(&r.reply);
            let height = crate::report::fit_row_height(
                &[(&content, 28.0), (&result, 22.0), (&reply, 18.0)],
                20.0,
            )
            .min(409.0);
            heights.push(height);
            let write = |ws: &mut Worksheet| -> std::result::Result<(), XlsxError> {
                ws.set_row_height(row, height)?;
                ws.write_number_with_format(row, 0, (row - first + 1) as f64, &s.cell_center)?;
                let texts: [(&str, &Format); 22] = [
                    (&r.number, &s.cell_center),
                    (&r.source, &s.cell_center),
                    (&r.village, &s.cell),
                    (&requester, &s.cell),
                    (&phone, &s.cell_center),
                    (&r.kind, &s.cell_center),
                    (&r.category, &s.cell),
                    (&r.urgency, &s.cell_center),
                    (&r.handling, &s.cell_center),
                    (&content, &s.cell),
                    (&r.received_on, &s.cell_center),
                    (&r.deadline, &s.cell_center),
                    (&r.status, &s.cell_center),
                    match r.colour {
                        Some(Colour::Red) => ("红", &s.red),
                        Some(Colour::Yellow) => ("黄", &s.yellow),
                        Some(Colour::Blue) => ("蓝", &s.blue),
                        None => ("", &s.cell_center),
                    },
                    (&r.unit, &s.cell),
                    (&r.handler, &s.cell),
                    (&r.first_response_on, &s.cell_center),
                    (&result, &s.cell),
                    (&reply, &s.cell),
                    (&r.outcome, &s.cell_center),
                    (&r.closed_on, &s.cell_center),
                    (&r.satisfaction, &s.cell_center),
                ];
                for (i, (t, f)) in texts.iter().enumerate() {
                    ws.write_string_with_format(row, i as u16 + 1, *t, f)?;
                }
                Ok(())
            };
            write(ws).map_err(xlsx_error)?;
            row += 1;
            Ok(())
        })
    })?;
    let w = |e| xlsx_error(e);
    if n == 0 {
        ws.merge_range(
            row,
            0,
            row,
            last,
            &format!("统计时段 {} 至 {} 没有受理诉求。", scope.from, scope.to),
            &s.cell_center,
        )
        .map_err(w)?;
        row += 1;
    } else {
        ws.autofilter(first - 1, 0, row - 1, last).map_err(w)?;
    }
    ws.merge_range(
        row,
        0,
        row,
        last,
        &format!("共 {n} 件。{}", masking.note_phones()),
        &s.note,
    )
    .map_err(w)?;
    let widths: Vec<f64> = headers.iter().map(|c| c.width).collect();
    crate::report::keep_with_table(
        ws,
        first,
        &crate::report::Table {
            widths: &crate::report::widths_for_titles(&widths, title, info),
            top: 36.0 + 22.0 + 28.0,
            repeat: 28.0,
            rows: &heights,
            tail: 20.0 + 20.0,
        },
    )
    .map_err(w)?;
    closing(ws, s, town, row + 1, last, None).map_err(w)?;
    Ok(n)
}
