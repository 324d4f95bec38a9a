//! 走访排班表 (the whole cycle, one row per cadre-day) and 走访任务单 (a sheet per cadre: the
//! households to visit, in date and walking order, with an empty column for notes) — what the
//! coordinator prints and hands out.

use super::{campaign, closing, fit_row_height, meta_sheet, report_sheet, save, xlsx_error, Style};
use crate::error::{Error, Result};
use crate::plan::store::{current_version, read_input, CycleInput};
use crate::privacy::Masking;
use crate::register::township::{self, Township};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Formula, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

/// One planned visit as the printouts need it.
struct Row {
    /// The planned visit (`plan_visits.id`): the hidden key a returned task sheet is read by.
    pv_id: i64,
    household_id: i64,
    date: NaiveDate,
    cadre_id: i64,
    cadre: String,
    unit: String,
    village: String,
    group: String,
    head: String,
    address: String,
    phone: String,
    tags: String,
    reason: String,
    key_every: Option<u32>,
    done: bool,
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

fn weekday(d: NaiveDate) -> String {
    format!(
        "周{}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize]
    )
}

fn reason_text(r: &Row) -> String {
    match (r.reason.as_str(), r.key_every) {
        ("必到", Some(n)) => format!("重点户必到（每{n}天）"),
        ("必到", None) => "重点户必到".into(),
        ("结对", _) => "结对户".into(),
        _ => "全覆盖走访".into(),
    }
}

/// The planned visits of `version`, of the villages `villages` (all when empty).
fn read_rows(c: &rusqlite::Connection, version: i64, villages: &[i64]) -> Result<Vec<Row>> {
    let list: Vec<String> = villages.iter().map(|v| v.to_string()).collect();
    let mut st = c.prepare(
        "SELECT pv.id, pv.household_id, pv.visit_date, pv.cadre_id, cd.name, cd.unit, vl.name, g.name, h.head_name, h.address, h.phone,
                (SELECT group_concat(t.name, '、' ORDER BY t.sort_order) FROM household_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.household_id = h.id),
                pv.reason,
                (SELECT min(k.every_days) FROM household_tags ht JOIN tags t ON t.id = ht.tag_id JOIN key_rules k ON k.id = t.key_rule_id WHERE ht.household_id = h.id),
                pv.visit_id IS NOT NULL
         FROM plan_visits pv
         JOIN cadres cd ON cd.id = pv.cadre_id JOIN households h ON h.id = pv.household_id
         JOIN villages vl ON vl.id = h.village_id JOIN village_groups g ON g.id = h.group_id
         WHERE pv.version_id = ?1 AND (?2 = '' OR instr(',' || ?2 || ',', ',' || h.village_id || ',') > 0)
         ORDER BY cd.name_pinyin, cd.id, pv.visit_date, vl.sort_order, g.sort_order, h.name_pinyin",
    )?;
    let rows = st.query_map(rusqlite::params![version, list.join(",")], |r| {
        Ok(Row {
            pv_id: r.get(0)?,
            household_id: r.get(1)?,
            date: r.get(2)?,
            cadre_id: r.get(3)?,
            cadre: r.get(4)?,
            unit: r.get(5)?,
            village: r.get(6)?,
            group: r.get(7)?,
            head: r.get(8)?,
            address: r.get(9)?,
            phone: r.get(10)?,
            tags: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            reason: r.get(12)?,
            key_every: r.get(13)?,
            done: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes the current plan of `cycle_id`: the 走访排班表, or with `per_cadre` one 走访任务单
/// sheet per cadre. Phones are masked unless `masking` is [`Masking::Unmasked`] (the sheet
/// then says so on every page); the 对外公开版 masks the households' names too.
pub fn write_schedule(
    store: &Store,
    cycle_id: i64,
    target: &Path,
    per_cadre: bool,
    masking: Masking,
    today: NaiveDate,
) -> Result<PathBuf> {
    write_schedule_in(store, cycle_id, target, per_cadre, masking, today, &[])
}

/// What every printout of a cycle's plan needs: the township, the cycle, its planned visits
/// (of `villages`, all when empty) and the calendar warning of a year whose 调休 is not known.
fn load(
    store: &Store,
    cycle_id: i64,
    villages: &[i64],
) -> Result<(Township, CycleInput, Vec<Row>, String)> {
    let (town, input, rows, warnings) = store.read(|c| {
        let input = read_input(c, cycle_id)?;
        let cal = crate::calendar::Calendar::load(c)?;
        let warnings: Vec<String> = (input.start.year()..=input.end.year())
            .filter_map(|y| cal.warning_for(NaiveDate::from_ymd_opt(y, 1, 1)?))
            .collect();
        let version = current_version(c, cycle_id)?.ok_or_else(|| {
            Error::Conflict(format!(
                "轮次“{}”还没有计算排班，请先计算再打印。",
                input.name
            ))
        })?;
        Ok((
            township::read(c)?,
            input,
            read_rows(c, version, villages)?,
            warnings,
        ))
    })?;
    if rows.is_empty() {
        return Err(Error::Conflict(format!(
            "轮次“{}”的排班中没有走访安排，无需打印。",
            input.name
        )));
    }
    // A year whose 调休 is not known: said on the printout too, where the cadres read it.
    Ok((town, input, rows, warnings.join(" ")))
}

/// The planned visits grouped by cadre, in the cadres' pinyin order (the rows come sorted so).
fn by_cadre(rows: &[Row]) -> Vec<Vec<&Row>> {
    let mut out: Vec<Vec<&Row>> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(list) if list[0].cadre_id == r.cadre_id => list.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

/// [`write_schedule`] for the villages `villages` only (all when empty): the 报表导出
/// screen's village choice.
pub fn write_schedule_in(
    store: &Store,
    cycle_id: i64,
    target: &Path,
    per_cadre: bool,
    masking: Masking,
    today: NaiveDate,
    villages: &[i64],
) -> Result<PathBuf> {
    let (town, input, rows, warning) = load(store, cycle_id, villages)?;
    let style = Style::new();
    let cx = SheetCx {
        s: &style,
        town: &town,
        input: &input,
        cycle_id,
        masking,
        warning: &warning,
        today,
    };
    let mut wb = Workbook::new();
    let kind = if per_cadre {
        "走访任务单"
    } else {
        "走访排班表"
    };
    if per_cadre {
        let mut used = Vec::new();
        for list in by_cadre(&rows) {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(&list[0].cadre, &mut used))
                .map_err(xlsx_error)?;
            task_sheet(ws, &cx, &list).map_err(xlsx_error)?;
        }
    } else {
        let ws = wb.add_worksheet();
        ws.set_name("走访排班表").map_err(xlsx_error)?;
        schedule_sheet(ws, &cx, &rows).map_err(xlsx_error)?;
    }
    schedule_meta(&mut wb, &cx, kind, rows.len(), None)?;
    save(&mut wb, target)
}

/// One 走访任务单 workbook per cadre in the folder `folder` (created when missing), each named
/// by its cadre (`张三_走访任务单_轮次.xlsx`): each goes to a different e-mail address. Returns
/// the files written, in the cadres' order. A file already there is replaced.
pub fn write_task_files(
    store: &Store,
    cycle_id: i64,
    folder: &Path,
    masking: Masking,
    today: NaiveDate,
    villages: &[i64],
) -> Result<Vec<PathBuf>> {
    let (town, input, rows, warning) = load(store, cycle_id, villages)?;
    if folder.is_file() {
        return Err(Error::invalid(
            "path",
            format!(
                "“{}”是一个文件，请选择一个文件夹来存放每名干部的任务单。",
                folder.display()
            ),
        ));
    }
    std::fs::create_dir_all(folder).map_err(|e| {
        Error::invalid(
            "path",
            format!(
                "无法创建文件夹“{}”：{}。请换一个位置。",
                folder.display(),
                crate::error::io_cause(&e)
            ),
        )
    })?;
    let style = Style::new();
    let cx = SheetCx {
        s: &style,
        town: &town,
        input: &input,
        cycle_id,
        masking,
        warning: &warning,
        today,
    };
    let mut used = Vec::new();
    let mut written = Vec::new();
    for list in by_cadre(&rows) {
        let mut wb = Workbook::new();
        let name = sheet_name(&list[0].cadre, &mut used);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xlsx_error)?;
        task_sheet(ws, &cx, &list).map_err(xlsx_error)?;
        schedule_meta(&mut wb, &cx, "走访任务单", list.len(), Some(&list[0].cadre))?;
        let file = super::safe_file_name(&format!("{name}_走访任务单_{}.xlsx", input.name));
        written.push(save(&mut wb, &folder.join(file))?);
    }
    Ok(written)
}

fn schedule_meta(
    wb: &mut Workbook,
    cx: &SheetCx,
    kind: &str,
    visits: usize,
    cadre: Option<&str>,
) -> Result<()> {
    let SheetCx {
        town,
        input,
        cycle_id,
        masking,
        today,
        ..
    } = *cx;
    let mut pairs = vec![
        ("report", kind.to_string()),
        ("township", town.name.clone()),
        ("district", town.district.clone()),
        ("cycle", input.name.clone()),
        ("cycle_id", cycle_id.to_string()),
        ("from", input.start.to_string()),
        ("to", input.end.to_string()),
        ("visits", visits.to_string()),
        (
            "masked",
            if masking.unmasked() { "no" } else { "yes" }.to_string(),
        ),
        ("masking", masking.as_str().to_string()),
        ("generated", today.to_string()),
    ];
    if let Some(c) = cadre {
        pairs.push(("cadre", c.to_string()));
    }
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    meta_sheet(wb, &refs).map_err(xlsx_error)
}

/// The default file name, as the district expects: 乡镇_活动_表名_轮次.xlsx.
pub fn schedule_file_name(store: &Store, cycle_id: i64, per_cadre: bool) -> Result<String> {
    let (town, input) = store.read(|c| Ok((township::read(c)?, read_input(c, cycle_id)?)))?;
    Ok(super::safe_file_name(&format!(
        "{}{}_{}_{}_{}.xlsx",
        town.district,
        town.name,
        campaign(&town),
        if per_cadre {
            "走访任务单"
        } else {
            "走访排班表"
        },
        input.name
    )))
}

/// The folder [`write_task_files`] writes into by default: the task sheets' file name
/// without its extension (乡镇_活动_走访任务单_轮次).
pub fn task_folder_name(store: &Store, cycle_id: i64) -> Result<String> {
    Ok(schedule_file_name(store, cycle_id, true)?
        .trim_end_matches(".xlsx")
        .to_string())
}

/// Sheet names: at most 31 characters, none of []:*?/\, unique (同名 cadres get ②, ③…).
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .take(28)
        .collect();
    let base = if clean.is_empty() {
        "干部".to_string()
    } else {
        clean
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}({n})");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

/// What every sheet of a schedule workbook is headed and marked with.
#[derive(Clone, Copy)]
struct SheetCx<'a> {
    s: &'a Style,
    town: &'a Township,
    input: &'a CycleInput,
    cycle_id: i64,
    masking: Masking,
    warning: &'a str,
    today: NaiveDate,
}

fn schedule_sheet(
    ws: &mut Worksheet,
    cx: &SheetCx,
    rows: &[Row],
) -> std::result::Result<(), XlsxError> {
    let SheetCx {
        s,
        town,
        input,
        masking,
        warning,
        today,
        ..
    } = *cx;
    let headers: [(&str, f64); 10] = [
        ("序号", 5.5),
        ("日期", 11.0),
        ("星期", 5.5),
        ("走访干部", 9.0),
        ("单位", 18.0),
        ("村（社区）", 11.0),
        ("村民小组", 22.0),
        ("户数", 6.0),
        ("其中必到", 7.0),
        ("走访对象（户主）", 54.0),
    ];
    let title = format!(
        "{}“{}”走访排班表（{}）",
        town.name,
        campaign(town),
        input.name
    );
    let info = format!(
        "填报单位：{}（盖章）    轮次：{}    统计时段：{} 至 {}    填报日期：{}",
        town.reporting_unit, input.name, input.start, input.end, today
    );
    let mut row = report_sheet(ws, s, &title, &info, &headers)?;
    // One line per cadre-day.
    let mut days: Vec<Vec<&Row>> = Vec::new();
    for r in rows {
        match days.last_mut() {
            Some(day) if day[0].cadre_id == r.cadre_id && day[0].date == r.date => day.push(r),
            _ => days.push(vec![r]),
        }
    }
    days.sort_by(|a, b| (a[0].date, &a[0].cadre).cmp(&(b[0].date, &b[0].cadre)));
    let first = row;
    let mut heights = Vec::with_capacity(days.len());
    let (mut total, mut must) = (0usize, 0usize);
    for (i, day) in days.iter().enumerate() {
        let r = day[0];
        let mut villages: Vec<&str> = day.iter().map(|x| x.village.as_str()).collect();
        villages.dedup();
        let mut groups: Vec<&str> = day.iter().map(|x| x.group.as_str()).collect();
        groups.dedup();
        let key = day.iter().filter(|x| x.reason == "必到").count();
        let names: Vec<String> = day
            .iter()
            .map(|x| {
                let head = masking.name(&x.head);
                if x.done {
                    format!("{head}（已访）")
                } else {
                    head
                }
            })
            .collect();
        let (villages, groups, names) = (villages.join("、"), groups.join("、"), names.join("、"));
        let height = fit_row_height(
            &[
                (&r.unit, headers[4].1),
                (&villages, headers[5].1),
                (&groups, headers[6].1),
                (&names, headers[9].1),
            ],
            20.0,
        );
        heights.push(height);
        ws.set_row_height(row, height)?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 1, r.date.to_string(), &s.cell_center)?;
        ws.write_string_with_format(row, 2, weekday(r.date), &s.cell_center)?;
        ws.write_string_with_format(row, 3, &r.cadre, &s.cell)?;
        ws.write_string_with_format(row, 4, &r.unit, &s.cell)?;
        ws.write_string_with_format(row, 5, &villages, &s.cell)?;
        ws.write_string_with_format(row, 6, &groups, &s.cell)?;
        ws.write_number_with_format(row, 7, day.len() as f64, &s.cell_center)?;
        ws.write_number_with_format(row, 8, key as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 9, &names, &s.cell)?;
        total += day.len();
        must += key;
        row += 1;
    }
    ws.set_row_height(row, 22)?;
    ws.merge_range(row, 0, row, 6, "合计", &s.total_label)?;
    ws.write_formula_with_format(
        row,
        7,
        Formula::new(format!("=SUM(H{}:H{})", first + 1, row)).set_result(total.to_string()),
        &s.total_num,
    )?;
    ws.write_formula_with_format(
        row,
        8,
        Formula::new(format!("=SUM(I{}:I{})", first + 1, row)).set_result(must.to_string()),
        &s.total_num,
    )?;
    ws.write_string_with_format(
        row,
        9,
        format!("共 {} 个干部工作日", days.len()),
        &s.total_label,
    )?;
    let widths: Vec<f64> = headers.iter().map(|h| h.1).collect();
    super::keep_with_table(
        ws,
        first,
        &super::Table {
            widths: &widths,
            top: 36.0 + 22.0 + 28.0,
            repeat: 28.0,
            rows: &heights,
            tail: 22.0 + 15.0 + 20.0 + 30.0,
        },
    )?;
    super::mark_personal_data(ws, masking);
    closing(ws, s, town, row + 2, 9, Some(masking.note_phones()))?;
    calendar_note(ws, s, row + 4, 9, warning)
}

/// The calendar warning under a printout (a year whose 调休 is not known), when there is one.
fn calendar_note(
    ws: &mut Worksheet,
    s: &Style,
    row: u32,
    last: u16,
    warning: &str,
) -> std::result::Result<(), XlsxError> {
    if warning.is_empty() {
        return Ok(());
    }
    ws.set_row_height(row, fit_row_height(&[(warning, 150.0)], 30.0))?;
    ws.merge_range(row, 0, row, last, &format!("注意：{warning}"), &s.note)?;
    Ok(())
}

/// The fill-in columns of the 走访任务单, in order: what a cadre writes after the visit and
/// [`crate::roster::tasks`] reads back. Their headers are the contract with the import.
pub const FILL_IN: [&str; 5] = [
    "实际走访日期",
    "走访结果",
    "了解到的情况",
    "群众诉求",
    "群众评价",
];
/// The hidden column's header: each row's planned visit, `MQ1|计划走访|户|干部|日期`.
pub const KEY_HEADER: &str = "任务键（请勿改动）";
/// What a planned visit already recorded in the diary shows in 走访结果 (not to be imported).
pub const ALREADY_DONE: &str = "已走访";

/// The hidden key of a planned visit on a task sheet.
pub fn task_key(pv_id: i64, household_id: i64, cadre_id: i64, date: NaiveDate) -> String {
    format!("MQ1|{pv_id}|{household_id}|{cadre_id}|{date}")
}

fn task_sheet(
    ws: &mut Worksheet,
    cx: &SheetCx,
    rows: &[&Row],
) -> std::result::Result<(), XlsxError> {
    let SheetCx {
        s,
        town,
        input,
        masking,
        warning,
        today,
        ..
    } = *cx;
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, ProtectionOptions};
    let headers: [(&str, f64); 16] = [
        ("序号", 5.0),
        ("日期", 10.5),
        ("星期", 5.0),
        ("村（社区）", 9.0),
        ("村民小组", 8.0),
        ("户主", 8.0),
        ("住址", 14.0),
        ("联系电话", 12.5),
        ("标签", 10.0),
        ("走访原因", 12.0),
        (FILL_IN[0], 11.0),
        (FILL_IN[1], 9.5),
        (FILL_IN[2], 24.0),
        (FILL_IN[3], 20.0),
        (FILL_IN[4], 9.0),
        (KEY_HEADER, 12.0),
    ];
    let key_col = 15u16;
    let r0 = rows[0];
    let title = format!("{}“{}”走访任务单", town.name, campaign(town));
    let info = format!(
        "走访干部：{}    单位：{}    轮次：{}（{} 至 {}）    共 {} 户次    打印日期：{}",
        r0.cadre,
        r0.unit,
        input.name,
        input.start,
        input.end,
        rows.len(),
        today
    );
    let mut row = report_sheet(ws, s, &title, &info, &headers)?;
    // The 走访干部 line repeats with the header: a continuation page still names the cadre.
    ws.set_repeat_rows(1, 2)?;
    let first = row;
    let fill = s.cell.clone().set_unlocked();
    let fill_center = s.cell_center.clone().set_unlocked();
    for (i, r) in rows.iter().enumerate() {
        let reason = reason_text(r);
        ws.set_row_height(
            row,
            fit_row_height(
                &[
                    (&r.address, headers[6].1),
                    (&r.tags, headers[8].1),
                    (&reason, headers[9].1),
                ],
                36.0,
            ),
        )?;
        let phone = masking.phone(&r.phone);
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        ws.write_string_with_format(row, 1, r.date.to_string(), &s.cell_center)?;
        ws.write_string_with_format(row, 2, weekday(r.date), &s.cell_center)?;
        ws.write_string_with_format(row, 3, &r.village, &s.cell)?;
        ws.write_string_with_format(row, 4, &r.group, &s.cell)?;
        ws.write_string_with_format(row, 5, masking.name(&r.head), &s.cell)?;
        ws.write_string_with_format(row, 6, &r.address, &s.cell)?;
        ws.write_string_with_format(row, 7, phone, &s.cell_center)?;
        ws.write_string_with_format(row, 8, &r.tags, &s.cell)?;
        ws.write_string_with_format(row, 9, &reason, &s.cell)?;
        if r.done {
            // Recorded already: nothing to fill in, and nothing to import twice.
            for c in 10..15u16 {
                let text = if c == 11 { ALREADY_DONE } else { "" };
                ws.write_string_with_format(row, c, text, &s.cell_center)?;
            }
        } else {
            for c in 10..15u16 {
                let f = if c == 12 || c == 13 {
                    &fill
                } else {
                    &fill_center
                };
                ws.write_blank(row, c, f)?;
            }
        }
        ws.write_string_with_format(
            row,
            key_col,
            task_key(r.pv_id, r.household_id, r.cadre_id, r.date),
            &s.cell,
        )?;
        row += 1;
    }
    let last_row = row - 1;
    let outcomes: Vec<&str> = crate::diary::VisitOutcome::ALL
        .iter()
        .map(|o| o.as_str())
        .collect();
    let evaluations: Vec<&str> = crate::requests::Satisfaction::ALL
        .iter()
        .map(|o| o.as_str())
        .collect();
    let outcome_list = DataValidation::new()
        .allow_list_strings(&outcomes)?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("走访结果")?
        .set_error_message("请从下拉列表中选择走访结果。")?
        .set_input_title("走访结果")?
        .set_input_message("见到户主、见到家人才算走访；不在家的会再安排。")?;
    ws.add_data_validation(first, 11, last_row, 11, &outcome_list)?;
    let satisfaction = DataValidation::new()
        .allow_list_strings(&evaluations)?
        .set_error_title("群众评价")?
        .set_error_message("请从下拉列表中选择：满意、基本满意或不满意。")?;
    ws.add_data_validation(first, 14, last_row, 14, &satisfaction)?;
    let date_hint = DataValidation::new()
        .allow_any_value()
        .set_input_title("实际走访日期")?
        .set_input_message("如 2026-12-03 或 12月3日")?;
    ws.add_data_validation(first, 10, last_row, 10, &date_hint)?;
    ws.set_column_hidden(key_col)?;
    super::mark_personal_data(ws, masking);
    closing(
        ws,
        s,
        town,
        row + 1,
        14,
        Some(if masking.unmasked() {
            "本表含未脱敏的个人信息（联系电话），仅供走访干部使用，请妥善保管，不得外传。"
        } else {
            masking.note_phones()
        }),
    )?;
    let how = "填写说明：走访后填写实际走访日期、走访结果（下拉选择）、了解到的情况、群众诉求（没有则空着）和群众评价，\
               交回活动办导入民情通。没走访的行空着即可。表格结构已保护（无密码），只能填写这五列。";
    ws.set_row_height(row + 4, 30)?;
    ws.merge_range(row + 4, 0, row + 4, 14, how, &s.note)?;
    calendar_note(ws, s, row + 5, 14, warning)?;
    // Protected without a password: the fill-in cells stay editable, the structure (and the
    // hidden key) cannot be broken by accident; rows and columns may still be resized.
    ws.protect_with_options(&ProtectionOptions {
        format_rows: true,
        format_columns: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}
