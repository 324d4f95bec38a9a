//! The 操作记录 workbook: the audit trail's lines matching a query, oldest first, as a printable
//! sheet in the house style; masked unless asked otherwise.

use super::{closing, fit_row_height, report_sheet, safe_file_name, save, xlsx_error, Style};
use crate::audit::{self, AuditQuery};
use crate::error::Result;
use crate::privacy::Masking;
use crate::Store;
use rusqlite::params_from_iter;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AuditExport {
    pub path: String,
    pub rows: u64,
}

/// Writes the lines matching `q` (all pages, oldest first) as a printable workbook, masked
/// unless asked otherwise.
pub fn export(
    store: &Store,
    q: &AuditQuery,
    masking: Masking,
    target: &Path,
    today: chrono::NaiveDate,
) -> Result<AuditExport> {
    let town = crate::register::township::get_township(store)?;
    let (wh, ps) = audit::filter(q)?;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = Style::new();
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_error)?;
    ws.set_name("操作记录").map_err(xlsx_error)?;
    let range = match (q.from.as_deref(), q.to.as_deref()) {
        (Some(f), Some(t)) if !f.is_empty() && !t.is_empty() => format!("{f} 至 {t}"),
        (Some(f), _) if !f.is_empty() => format!("{f} 起"),
        (_, Some(t)) if !t.is_empty() => format!("至 {t}"),
        _ => "全部".into(),
    };
    let info = format!(
        "单位：{}    时段：{range}    操作人：{}    对象：{}    导出日期：{today}",
        town.name,
        q.operator
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("全部"),
        q.entity.map(|e| e.as_str()).unwrap_or("全部"),
    );
    let headers = [
        ("序号", 6.0),
        ("时间", 17.0),
        ("操作人", 9.0),
        ("对象", 6.0),
        ("名称", 22.0),
        ("操作", 11.0),
        ("项目", 12.0),
        ("原值", 26.0),
        ("新值", 26.0),
    ];
    let mut r = report_sheet(
        ws,
        &s,
        &format!("{}民情通操作记录", town.name),
        &info,
        &headers,
    )
    .map_err(xlsx_error)?;
    let first = r;
    let n = store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT {} FROM audit_log{wh} ORDER BY id",
            audit::COLUMNS
        ))?;
        let mut rows = stmt.query(params_from_iter(ps.iter()))?;
        let mut n = 0u64;
        while let Some(x) = rows.next()? {
            let a = audit::row(x, masking)?;
            n += 1;
            let old = a.old_value.unwrap_or_default();
            let new = a.new_value.unwrap_or_default();
            let h = fit_row_height(&[(&a.label, 22.0), (&old, 26.0), (&new, 26.0)], 18.0);
            (|| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
                ws.set_row_height(r, h)?;
                ws.write_number_with_format(r, 0, n as f64, &s.cell_center)?;
                ws.write_string_with_format(r, 1, &a.at, &s.cell_center)?;
                ws.write_string_with_format(r, 2, &a.operator, &s.cell)?;
                ws.write_string_with_format(r, 3, a.entity.as_str(), &s.cell_center)?;
                ws.write_string_with_format(r, 4, &a.label, &s.cell)?;
                ws.write_string_with_format(r, 5, &a.action, &s.cell_center)?;
                ws.write_string_with_format(r, 6, &a.field, &s.cell)?;
                ws.write_string_with_format(r, 7, &old, &s.cell_wrap)?;
                ws.write_string_with_format(r, 8, &new, &s.cell_wrap)?;
                Ok(())
            })()
            .map_err(xlsx_error)?;
            r += 1;
        }
        Ok(n)
    })?;
    (|| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        if n == 0 {
            ws.merge_range(r, 0, r, 8, "所选范围内没有操作记录。", &s.cell_center)?;
            r += 1;
        } else {
            ws.autofilter(first - 1, 0, r - 1, 8)?;
        }
        let note = match masking {
            Masking::Unmasked => "注意：本表含未脱敏的个人信息（公民身份号码、联系电话），系经办人明确要求导出，仅限工作使用，请妥善保管，不得外传。",
            _ => "说明：本表中的公民身份号码、联系电话已脱敏。操作记录由系统在保存修改时自动写入，不能修改或删除。",
        };
        closing(ws, &s, &town, r, 8, Some(note))
    })()
    .map_err(xlsx_error)?;
    let path = save(&mut wb, target)?;
    Ok(AuditExport {
        path: path.display().to_string(),
        rows: n,
    })
}

/// The default file name: `龙河镇_操作记录_2026-11-30.xlsx`.
pub fn file_name(store: &Store, today: chrono::NaiveDate) -> Result<String> {
    let town = crate::register::township::get_township(store)?;
    Ok(safe_file_name(&format!(
        "{}_操作记录_{today}.xlsx",
        town.name
    )))
}
