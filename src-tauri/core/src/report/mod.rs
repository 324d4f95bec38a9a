//! Excel workbooks the app writes (rust_xlsxwriter), in one house style: 宋体 body, 黑体
//! titles, thin borders, A4. Every file is written to a temporary name beside its target and
//! renamed when complete, so a crash never leaves half a workbook under the real name.

pub mod schedule;
pub mod slips;

use crate::error::{Error, Result};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

/// The formats every report shares.
pub(crate) struct Style {
    pub title: Format,
    pub label: Format,
    pub cell: Format,
    pub cell_wrap: Format,
    pub cell_center: Format,
    pub note: Format,
}

impl Style {
    pub fn new() -> Style {
        let body = Format::new().set_font_name("宋体").set_font_size(11);
        let boxed = body
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Style {
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(18)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            cell: boxed.clone().set_text_wrap(),
            cell_center: boxed.clone().set_align(FormatAlign::Center),
            cell_wrap: boxed.set_text_wrap().set_align(FormatAlign::Top),
            note: body.set_font_size(10),
        }
    }
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("生成 Excel 文件失败：{e}"))
}

/// Saves atomically: `target.tmp` first, then a rename over `target`.
pub(crate) fn save(workbook: &mut Workbook, target: &Path) -> Result<PathBuf> {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("无法创建文件夹“{}”", dir.display()), e))?;
    }
    let tmp = target.with_extension("xlsx.tmp");
    workbook.save(&tmp).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        match e {
            rust_xlsxwriter::XlsxError::IoError(io) => {
                Error::io(format!("无法写入“{}”", target.display()), io)
            }
            other => xlsx_error(other),
        }
    })?;
    std::fs::rename(&tmp, target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(
            format!(
                "无法保存“{}”（如果该文件正在 Excel 或 WPS 中打开，请先关闭它）",
                target.display()
            ),
            e,
        )
    })?;
    Ok(target.to_path_buf())
}

/// Characters Windows does not allow in a file name become ＿.
pub fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '＿'
            } else {
                c
            }
        })
        .collect()
}

/// Lays out a report sheet in the district's house style: a merged 黑体 title, the
/// 填报单位 line, one bold header row, A4 landscape one page wide, header rows repeated on
/// every page, frozen below the header, footer 第 &P 页 共 &N 页. Returns the first data row.
pub(crate) fn report_sheet(
    ws: &mut Worksheet,
    s: &Style,
    title: &str,
    info: &str,
    headers: &[(&str, f64)],
) -> std::result::Result<u32, XlsxError> {
    let last = headers.len() as u16 - 1;
    for (col, (_, width)) in headers.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_footer("&C第 &P 页 共 &N 页");
    ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    ws.set_row_height(0, 36)?;
    ws.merge_range(0, 0, 0, last, title, &s.title)?;
    ws.set_row_height(1, 22)?;
    ws.merge_range(1, 0, 1, last, info, &s.note)?;
    ws.set_row_height(2, 28)?;
    for (col, (name, _)) in headers.iter().enumerate() {
        ws.write_string_with_format(2, col as u16, *name, &s.label)?;
    }
    ws.set_repeat_rows(2, 2)?;
    ws.set_freeze_panes(3, 0)?;
    Ok(3)
}

/// The hidden sheet of machine-readable facts the district merges townships' workbooks by.
pub(crate) fn meta_sheet(
    wb: &mut Workbook,
    pairs: &[(&str, &str)],
) -> std::result::Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("_meta")?;
    ws.write_string(0, 0, "key")?;
    ws.write_string(0, 1, "value")?;
    ws.write_string(1, 0, "app")?;
    ws.write_string(1, 1, format!("minqing {}", env!("CARGO_PKG_VERSION")))?;
    for (i, (k, v)) in pairs.iter().enumerate() {
        ws.write_string(i as u32 + 2, 0, *k)?;
        ws.write_string(i as u32 + 2, 1, *v)?;
    }
    ws.set_hidden(true);
    Ok(())
}

/// The row height that shows every wrapped cell whole (rust_xlsxwriter does not autofit and
/// LibreOffice keeps a fixed height): lines per cell from its display width, CJK counting two.
pub(crate) fn fit_row_height(cells: &[(&str, f64)], min: f64) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            let w: f64 = text
                .chars()
                .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
                .sum();
            (w / (width - 1.0).max(1.0)).ceil().max(1.0)
        })
        .fold(1.0, f64::max);
    (lines * 14.5 + 4.0).max(min)
}
