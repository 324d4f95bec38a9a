//! 交办单: the slip that goes with a request to its responsible unit — one A4 page per
//! request, a sheet each, with blank boxes for the unit to fill in by hand.

use super::{save, xlsx_error, Style};
use crate::error::{Error, Result};
use crate::privacy::Masking;
use crate::register::township;
use crate::requests::query::{read_request, Request};
use crate::Store;
use chrono::NaiveDate;
use rust_xlsxwriter::{Workbook, Worksheet};
use std::path::{Path, PathBuf};

/// Writes the 交办单 of `ids` (assigned requests) to `target`. Phones are masked unless the
/// masking is [`Masking::Unmasked`], and an unmasked slip says so; the 对外公开版 masks the
/// requester's name too.
pub fn write_assign_slips(
    store: &Store,
    ids: &[i64],
    target: &Path,
    masking: Masking,
    today: NaiveDate,
) -> Result<PathBuf> {
    if ids.is_empty() {
        return Err(Error::invalid("ids", "请先选择要打印交办单的诉求。"));
    }
    let (town, requests) = store.read(|c| {
        let town = township::read(c)?;
        let reqs = ids
            .iter()
            .map(|id| read_request(c, *id, today))
            .collect::<Result<Vec<_>>>()?;
        Ok((town, reqs))
    })?;
    if let Some(r) = requests.iter().find(|r| r.unit_name.is_none()) {
        return Err(Error::Conflict(format!(
            "诉求 {} 还没有交办，先交办给责任单位，再打印交办单。",
            r.number
        )));
    }
    let style = Style::new();
    let mut wb = Workbook::new();
    for r in &requests {
        let ws = wb.add_worksheet();
        ws.set_name(&r.number).map_err(xlsx_error)?;
        slip(ws, &style, &town, r, masking, today).map_err(xlsx_error)?;
    }
    save(&mut wb, target)
}

/// A file name for the slips: one request, or the unit and the day for a batch.
pub fn slip_file_name(store: &Store, ids: &[i64], today: NaiveDate) -> Result<String> {
    let first = store.read(|c| read_request(c, ids[0], today))?;
    Ok(super::safe_file_name(&if ids.len() == 1 {
        format!("交办单_{}.xlsx", first.number)
    } else {
        format!(
            "交办单_{}_{}件_{today}.xlsx",
            first.unit_name.unwrap_or_default(),
            ids.len()
        )
    }))
}

fn slip(
    ws: &mut Worksheet,
    s: &Style,
    town: &township::Township,
    r: &Request,
    masking: Masking,
    today: NaiveDate,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    // Four columns: label, value, label, value.
    for (col, width) in [(0u16, 14.0), (1, 28.0), (2, 14.0), (3, 28.0)] {
        ws.set_column_width(col, width)?;
    }
    ws.set_paper_size(9)
        .set_portrait()
        .set_print_fit_to_pages(1, 1)
        .set_print_center_horizontally(true);
    ws.set_margins(0.7, 0.7, 0.75, 0.75, 0.3, 0.3);
    let campaign = if town.campaign_name.is_empty() {
        "三解三促".to_string()
    } else {
        town.campaign_name.clone()
    };
    ws.set_row_height(0, 36)?;
    ws.merge_range(
        0,
        0,
        0,
        3,
        &format!("{}“{campaign}”民情诉求交办单", town.name),
        &s.title,
    )?;
    let assigned_on = r
        .history
        .iter()
        .rev()
        .find(|h| h.action == "交办" || h.action == "改派")
        .map(|h| h.on_date)
        .unwrap_or(today);
    ws.merge_range(
        1,
        0,
        1,
        3,
        &format!("编号：{}        交办日期：{assigned_on}", r.number),
        &s.note,
    )?;
    let phone = masking.phone(&r.requester_phone);
    let rows: [(&str, String, &str, String); 5] = [
        (
            "承办单位",
            r.unit_name.clone().unwrap_or_default(),
            "责任人",
            r.handler.clone(),
        ),
        (
            "诉求人",
            masking.name(&r.requester_name),
            "联系电话",
            if phone.is_empty() {
                "—".into()
            } else {
                phone
            },
        ),
        (
            "所在村/社区",
            r.village_name.clone(),
            "来源",
            r.source.to_string(),
        ),
        (
            "诉求类型",
            format!("{}（{}）", r.kind, r.category),
            "缓急程度",
            r.urgency.to_string(),
        ),
        (
            "受理日期",
            r.received_on.to_string(),
            "办结时限",
            r.deadline.to_string(),
        ),
    ];
    let mut row = 2;
    for (l1, v1, l2, v2) in rows {
        ws.set_row_height(row, 24)?;
        ws.write_string_with_format(row, 0, l1, &s.label)?;
        ws.write_string_with_format(row, 1, &v1, &s.cell)?;
        ws.write_string_with_format(row, 2, l2, &s.label)?;
        ws.write_string_with_format(row, 3, &v2, &s.cell)?;
        row += 1;
    }
    let blocks: [(&str, String, f64); 5] = [
        ("诉求内容", r.content.clone(), 120.0),
        (
            "办理要求",
            format!(
                "请于 {} 前办结，并将办理结果和答复群众的情况书面反馈{}活动办。确需延期的，请在时限前说明理由。",
                r.deadline, town.name
            ),
            48.0,
        ),
        ("办理结果", String::new(), 210.0),
        ("答复群众情况", String::new(), 130.0),
        ("承办单位意见", "负责人（签字）：                    （盖章）          年    月    日".into(), 80.0),
    ];
    for (label, text, height) in blocks {
        ws.set_row_height(row, height)?;
        ws.write_string_with_format(row, 0, label, &s.label)?;
        ws.merge_range(row, 1, row, 3, &text, &s.cell_wrap)?;
        row += 1;
    }
    ws.set_row_height(row, 28)?;
    ws.merge_range(
        row,
        0,
        row,
        3,
        &format!(
            "交办单位：{}（盖章）    联系人：{}    联系电话：{}",
            town.reporting_unit, town.contact_person, town.contact_phone
        ),
        &s.note,
    )?;
    if masking.unmasked() {
        ws.merge_range(
            row + 1,
            0,
            row + 1,
            3,
            "本交办单含未脱敏的个人信息，仅供承办单位办理使用，请妥善保管，不得外传。",
            &s.note,
        )?;
    }
    ws.set_footer("&C第 &P 页 共 &N 页");
    Ok(())
}
