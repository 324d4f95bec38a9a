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
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One planned visit as the printouts need it.
struct Row {
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
        "SELECT pv.visit_date, pv.cadre_id, cd.name, cd.unit, vl.name, g.name, h.head_name, h.address, h.phone,
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
            date: r.get(0)?,
            cadre_id: r.get(1)?,
            cadre: r.get(2)?,
            unit: r.get(3)?,
            village: r.get(4)?,
            group: r.get(5)?,
            head: r.get(6)?,
            address: r.get(7)?,
            phone: r.get(8)?,
            tags: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            reason: r.get(10)?,
            key_every: r.get(11)?,
            done: r.get(12)?,
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
    // A year whose 调休 is not known: said on the printout too, where the cadres read it.
    let warning = warnings.join(" ");
    if rows.is_empty() {
        return Err(Error::Conflict(format!(
            "轮次“{}”的排班中没有走访安排，无需打印。",
            input.name
        )));
    }
    let style = Style::new();
    let mut wb = Workbook::new();
    let kind = if per_cadre {
        "走访任务单"
    } else {
        "走访排班表"
    };
    if per_cadre {
        let mut by_cadre: BTreeMap<(String, i64), Vec<&Row>> = BTreeMap::new();
        // Rows come sorted by the cadre's pinyin; keep that order with a sequence number.
        let mut order: Vec<(String, i64)> = Vec::new();
        for r in &rows {
            let key = (r.cadre.clone(), r.cadre_id);
            if !by_cadre.contains_key(&key) {
                order.push(key.clone());
            }
            by_cadre.entry(key).or_default().push(r);
        }
        let mut used = Vec::new();
        for key in order {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(&key.0, &mut used))
                .map_err(xlsx_error)?;
            task_sheet(
                ws,
                &style,
                &town,
                &input,
                &by_cadre[&key],
                masking,
                &warning,
                today,
            )
            .map_err(xlsx_error)?;
        }
    } else {
        let ws = wb.add_worksheet();
        ws.set_name("走访排班表").map_err(xlsx_error)?;
        schedule_sheet(ws, &style, &town, &input, &rows, masking, &warning, today)
            .map_err(xlsx_error)?;
    }
    meta_sheet(
        &mut wb,
        &[
            ("report", kind),
            ("township", &town.name),
            ("district", &town.district),
            ("cycle", &input.name),
            ("from", &input.start.to_string()),
            ("to", &input.end.to_string()),
            ("visits", &rows.len().to_string()),
            ("masked", if masking.unmasked() { "no" } else { "yes" }),
            ("masking", masking.as_str()),
            ("generated", &today.to_string()),
        ],
    )
    .map_err(xlsx_error)?;
    save(&mut wb, target)
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

fn schedule_sheet(
    ws: &mut Worksheet,
    s: &Style,
    town: &Township,
    input: &CycleInput,
    rows: &[Row],
    masking: Masking,
    warning: &str,
    today: NaiveDate,
) -> std::result::Result<(), XlsxError> {
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

fn task_sheet(
    ws: &mut Worksheet,
    s: &Style,
    town: &Township,
    input: &CycleInput,
    rows: &[&Row],
    masking: Masking,
    warning: &str,
    today: NaiveDate,
) -> std::result::Result<(), XlsxError> {
    let headers: [(&str, f64); 11] = [
        ("序号", 5.5),
        ("日期", 11.0),
        ("星期", 5.5),
        ("村（社区）", 10.0),
        ("村民小组", 9.0),
        ("户主", 8.0),
        ("住址", 18.0),
        ("联系电话", 13.0),
        ("标签", 14.0),
        ("走访原因", 17.0),
        ("走访情况记录（手填）", 34.0),
    ];
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
                30.0,
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
        ws.write_string_with_format(row, 10, if r.done { "已走访" } else { "" }, &s.cell)?;
        row += 1;
    }
    super::mark_personal_data(ws, masking);
    closing(
        ws,
        s,
        town,
        row + 1,
        10,
        Some(if masking.unmasked() {
            "本表含未脱敏的个人信息（联系电话），仅供走访干部使用，请妥善保管，不得外传。"
        } else {
            masking.note_phones()
        }),
    )?;
    calendar_note(ws, s, row + 3, 10, warning)
}
