//! Excel workbooks the app writes (rust_xlsxwriter), in one house style: 宋体 body, 黑体
//! titles, thin borders, A4. Every file is written to a temporary name beside its target and
//! renamed when complete, so a crash never leaves half a workbook under the real name.

pub mod district;
pub mod merge;
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
    /// A count, centred.
    pub num: Format,
    /// A rate as 0.0%.
    pub pct: Format,
    /// The 合计 line: bold label, counts and rates.
    pub total_label: Format,
    pub total_num: Format,
    pub total_pct: Format,
    /// 三色督办 fills.
    pub red: Format,
    pub yellow: Format,
    pub blue: Format,
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
            cell_wrap: boxed.clone().set_text_wrap().set_align(FormatAlign::Top),
            note: body.clone().set_font_size(10).set_text_wrap(),
            num: boxed.clone().set_align(FormatAlign::Center),
            pct: boxed
                .clone()
                .set_align(FormatAlign::Center)
                .set_num_format("0.0%"),
            total_label: boxed.clone().set_bold().set_align(FormatAlign::Center),
            total_num: boxed.clone().set_bold().set_align(FormatAlign::Center),
            total_pct: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_num_format("0.0%"),
            red: boxed
                .clone()
                .set_align(FormatAlign::Center)
                .set_background_color(0xFFC7CE)
                .set_font_color(0x9C0006),
            yellow: boxed
                .clone()
                .set_align(FormatAlign::Center)
                .set_background_color(0xFFEB9C)
                .set_font_color(0x9C5700),
            blue: boxed
                .set_align(FormatAlign::Center)
                .set_background_color(0xBDD7EE)
                .set_font_color(0x1F4E79),
        }
    }
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("生成 Excel 文件失败：{e}"))
}

/// Saves atomically: `target.tmp` first, then a rename over `target`.
pub(crate) fn save(workbook: &mut Workbook, target: &Path) -> Result<PathBuf> {
    check_target_name(target)?;
    if target.is_dir() {
        return Err(Error::invalid(
            "path",
            format!(
                "“{}”是一个文件夹。请在它后面加上文件名，例如“{}”。",
                target.display(),
                target.join("报表.xlsx").display()
            ),
        ));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("无法创建文件夹“{}”", dir.display()), e))?;
    }
    let tmp = target.with_extension("xlsx.tmp");
    // zlib level 3 instead of 6: a 100,000-row ledger is written in 0.5 s less and is 15%
    // larger (13 MB instead of 11 MB) — still well within what e-mail takes.
    workbook.set_zip_compression_level(3);
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

/// A name Windows accepts for a file: its forbidden characters and control characters become
/// ＿, trailing dots and spaces (which Windows drops silently) go, and a device name Windows
/// reserves (`CON`, `NUL`, `COM1` … — also with an extension) gets a ＿ in front. Generated
/// names (a township, a cadre, a village) pass through here.
pub fn safe_file_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '＿'
            } else {
                c
            }
        })
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if reserved_device_name(&out) {
        out.insert(0, '＿');
    }
    if out.is_empty() {
        out.push('＿');
    }
    out
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9` (any case, with or without an
/// extension): Windows opens the device instead of a file of that name.
pub fn reserved_device_name(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or("").trim_end();
    let upper = stem.to_ascii_uppercase();
    matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || (upper.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper
            .chars()
            .nth(3)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³')))
}

/// A file name the user gave (`--out`, a save dialog) that Windows cannot hold: refused with
/// what to do instead of being written to a device.
pub fn check_target_name(target: &Path) -> Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if reserved_device_name(&name) {
        return Err(Error::invalid(
            "path",
            format!(
                "“{name}”是 Windows 保留的设备名，不能用作文件名。请换一个文件名，例如“{}”。",
                safe_file_name(&name)
            ),
        ));
    }
    Ok(())
}

/// Lays out a report sheet in the district's house style: a merged 黑体 title, the
/// 填报单位 line, one bold header row, A4 landscape one page wide, header rows repeated on
/// every page, frozen below the header, footer 第 &P 页 共 &N 页. Returns the first data row.
/// A4 landscape one page wide, centred, the page footer, and the title and 填报单位 lines
/// merged across the `last + 1` columns.
fn page_and_title(
    ws: &mut Worksheet,
    s: &Style,
    title: &str,
    info: &str,
    last: u16,
) -> std::result::Result<(), XlsxError> {
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
    Ok(())
}

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
    page_and_title(ws, s, title, info, last)?;
    ws.set_row_height(2, 28)?;
    for (col, (name, _)) in headers.iter().enumerate() {
        ws.write_string_with_format(2, col as u16, *name, &s.label)?;
    }
    ws.set_repeat_rows(2, 2)?;
    ws.set_freeze_panes(3, 0)?;
    Ok(3)
}

/// A report column: its header, its group's header for a two-row header (None: the header
/// spans both rows), and its width.
pub(crate) struct Col<'a> {
    pub group: Option<&'a str>,
    pub name: &'a str,
    pub width: f64,
}

pub(crate) const fn col(name: &str, width: f64) -> Col<'_> {
    Col {
        group: None,
        name,
        width,
    }
}

pub(crate) const fn sub<'a>(group: &'a str, name: &'a str, width: f64) -> Col<'a> {
    Col {
        group: Some(group),
        name,
        width,
    }
}

/// [`report_sheet`] with one or two header rows: a column in a group sits under the group's
/// merged header, the others span both rows. Returns the first data row.
pub(crate) fn report_sheet_grouped(
    ws: &mut Worksheet,
    s: &Style,
    title: &str,
    info: &str,
    cols: &[Col],
) -> std::result::Result<u32, XlsxError> {
    if cols.iter().all(|c| c.group.is_none()) {
        let headers: Vec<(&str, f64)> = cols.iter().map(|c| (c.name, c.width)).collect();
        return report_sheet(ws, s, title, info, &headers);
    }
    let last = cols.len() as u16 - 1;
    for (i, c) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, c.width)?;
    }
    page_and_title(ws, s, title, info, last)?;
    ws.set_row_height(2, 22)?;
    ws.set_row_height(3, 30)?;
    let mut i = 0;
    while i < cols.len() {
        match cols[i].group {
            None => {
                ws.merge_range(2, i as u16, 3, i as u16, cols[i].name, &s.label)?;
                i += 1;
            }
            Some(g) => {
                let mut j = i;
                while j + 1 < cols.len() && cols[j + 1].group == Some(g) {
                    j += 1;
                }
                if j > i {
                    ws.merge_range(2, i as u16, 2, j as u16, g, &s.label)?;
                } else {
                    ws.write_string_with_format(2, i as u16, g, &s.label)?;
                }
                for (k, c) in cols.iter().enumerate().take(j + 1).skip(i) {
                    ws.write_string_with_format(3, k as u16, c.name, &s.label)?;
                }
                i = j + 1;
            }
        }
    }
    ws.set_repeat_rows(2, 3)?;
    ws.set_freeze_panes(4, 0)?;
    Ok(4)
}

/// The closing lines: who filled the sheet in, and what the masking of the sheet is.
pub(crate) fn closing(
    ws: &mut Worksheet,
    s: &Style,
    town: &crate::register::township::Township,
    row: u32,
    last_col: u16,
    privacy_note: Option<&str>,
) -> std::result::Result<(), XlsxError> {
    ws.merge_range(
        row,
        0,
        row,
        last_col,
        &format!(
            "填报人：{}        审核人：              联系电话：{}",
            town.contact_person, town.contact_phone
        ),
        &s.note,
    )?;
    if let Some(note) = privacy_note {
        ws.set_row_height(row + 1, 30)?;
        ws.merge_range(row + 1, 0, row + 1, last_col, note, &s.note)?;
    }
    Ok(())
}

/// The campaign's name on titles and file names (default 三解三促).
pub(crate) fn campaign(town: &crate::register::township::Township) -> String {
    if town.campaign_name.trim().is_empty() {
        "三解三促".into()
    } else {
        town.campaign_name.trim().to_string()
    }
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
/// LibreOffice keeps a fixed height): lines per cell from its display width, CJK counting two,
/// and each line break in the text starting a new line.
pub(crate) fn fit_row_height(cells: &[(&str, f64)], min: f64) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            text.split('\n')
                .map(|line| {
                    let w: f64 = line
                        .chars()
                        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
                        .sum();
                    (w / (width - 1.0).max(1.0)).ceil().max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    (lines * 14.5 + 4.0).max(min)
}

#[cfg(test)]
mod tests {
    use super::{check_target_name, fit_row_height, safe_file_name};

    #[test]
    fn generated_names_are_names_windows_can_hold() {
        assert_eq!(
            safe_file_name("龙河镇_走访任务单_李明"),
            "龙河镇_走访任务单_李明"
        );
        assert_eq!(safe_file_name("A/B:C*?"), "A＿B＿C＿＿");
        assert_eq!(safe_file_name("CON"), "＿CON");
        assert_eq!(safe_file_name("nul.xlsx"), "＿nul.xlsx");
        assert_eq!(safe_file_name("com1"), "＿com1");
        assert_eq!(safe_file_name("COM10"), "COM10");
        assert_eq!(safe_file_name("console"), "console");
        assert_eq!(safe_file_name("张三. "), "张三");
        assert_eq!(safe_file_name("a\tb"), "a＿b");
        assert_eq!(safe_file_name(""), "＿");
    }

    #[test]
    fn a_reserved_device_name_or_a_folder_is_refused_as_a_target() {
        let e = check_target_name(std::path::Path::new("报表/CON.xlsx")).unwrap_err();
        assert!(e.to_string().contains("保留"), "{e}");
        assert!(check_target_name(std::path::Path::new("报表/龙河镇.xlsx")).is_ok());
        let dir = tempfile::tempdir().unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet();
        let e = super::save(&mut wb, dir.path()).unwrap_err().to_string();
        assert!(e.contains("是一个文件夹") && !e.contains("Excel"), "{e}");
    }

    #[test]
    fn a_row_is_as_tall_as_its_most_wrapped_cell_with_line_breaks_counted() {
        let one = fit_row_height(&[("短", 70.0)], 0.0);
        // Three short problems, one per line, in the problem list's 问题说明 column.
        assert_eq!(
            fit_row_height(&[("一\n二\n三", 70.0)], 0.0),
            one + 2.0 * 14.5
        );
        // 30 Chinese characters need two lines of a 40-wide cell, plus one after the break.
        let thirty = "字".repeat(30);
        assert_eq!(
            fit_row_height(&[(&format!("{thirty}\n短"), 40.0), ("短", 10.0)], 0.0),
            one + 2.0 * 14.5
        );
        assert_eq!(
            fit_row_height(&[("短", 70.0)], 30.0),
            30.0,
            "never below the minimum"
        );
    }
}
