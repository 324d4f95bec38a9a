//! Excel workbooks the app writes (rust_xlsxwriter), in one house style: 宋体 body, 黑体
//! titles, thin borders, A4. Every file is written to a temporary name beside its target and
//! renamed when complete, so a crash never leaves half a workbook under the real name.

pub mod audit;
pub mod bulletin;
pub mod casebook;
pub mod departments;
pub mod district;
pub mod merge;
pub mod projects;
pub mod schedule;
pub mod slips;
pub(crate) mod word;

use crate::error::{Error, Result};
pub use crate::paths::{reserved_device_name, safe_file_name};
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

/// Checks a target file and makes its folder: not a folder itself, a name Windows accepts.
fn prepare_target(target: &Path, example: &str) -> Result<()> {
    check_target_name(target)?;
    if target.is_dir() {
        return Err(Error::invalid(
            "path",
            format!(
                "“{}”是一个文件夹。请在它后面加上文件名，例如“{}”。",
                target.display(),
                target.join(example).display()
            ),
        ));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("无法创建文件夹“{}”", dir.display()), e))?;
    }
    Ok(())
}

/// Renames the finished `tmp` over `target`, or removes it.
fn replace(tmp: &Path, target: &Path) -> Result<PathBuf> {
    std::fs::rename(tmp, target).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        Error::io(
            format!(
                "无法保存“{}”（如果该文件正在 Word、Excel 或 WPS 中打开，请先关闭它）",
                target.display()
            ),
            e,
        )
    })?;
    Ok(target.to_path_buf())
}

/// Saves a finished file's bytes atomically: `target.EXT.tmp` first, then a rename.
pub(crate) fn save_bytes(bytes: &[u8], target: &Path, ext: &str, example: &str) -> Result<PathBuf> {
    prepare_target(target, example)?;
    let tmp = target.with_extension(format!("{ext}.tmp"));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(format!("无法写入“{}”", target.display()), e));
    }
    replace(&tmp, target)
}

/// Saves atomically: `target.tmp` first, then a rename over `target`.
pub(crate) fn save(workbook: &mut Workbook, target: &Path) -> Result<PathBuf> {
    prepare_target(target, "报表.xlsx")?;
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
    replace(&tmp, target)
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

/// An unmasked sheet says so on every printed page (the page header), not only on its last.
pub(crate) fn mark_personal_data(ws: &mut Worksheet, masking: crate::privacy::Masking) {
    if masking.unmasked() {
        ws.set_header("&C&\"黑体,Bold\"&10本表含未脱敏的个人信息，仅限工作使用，请妥善保管，不得外传、不得公开");
    }
}

/// A4 landscape as [`page_and_title`] lays it out: the printable width and height in points
/// (margins 0.5 in left and right, 0.6 in top, 0.7 in bottom).
const PRINT_WIDTH_PT: f64 = 841.9 - 72.0;
const PRINT_HEIGHT_PT: f64 = 595.3 - 0.6 * 72.0 - 0.7 * 72.0;

/// A column width in Excel's character units, in points, at `px` pixels a unit: Excel and WPS
/// lay a unit out as 7 pixels of the default font; LibreOffice as about 9.5 (measured from its
/// PDF: a 121.5-unit sheet is scaled to 84 % to fit an A4 landscape width), so it scales the
/// same sheet smaller and fits more rows on a page.
fn width_pt(units: f64, px: f64) -> f64 {
    (units * px + 5.0) * 0.75
}

/// How wide a column unit prints, from Excel/WPS (7 px) to LibreOffice (9.5–9.7 px, measured)
/// and a little beyond: a page break must suit every renderer, and a renderer that scales the
/// page 1 % differently moves the page end by a row.
fn renderers() -> impl Iterator<Item = f64> {
    (0..=14).map(|i| 7.0 + 0.25 * i as f64)
}

/// The heights of a printed table, for [`tail_break`].
pub(crate) struct Table<'a> {
    /// Column widths (character units): fitting one page wide scales the page by them.
    pub widths: &'a [f64],
    /// Title, 填报单位 line and header rows above the first data row (points).
    pub top: f64,
    /// The header rows repeated on every further page (points).
    pub repeat: f64,
    /// The data rows (points).
    pub rows: &'a [f64],
    /// What must stay with the table's end: the 合计 row, notes and the closing lines.
    pub tail: f64,
}

/// Where a page must break so the table's last rows, its 合计 line and the closing lines print
/// on one page: the index of the data row to start a new page with, or None when they already
/// share a page. Without it a page can hold only the notes and the 填报人 line, or only the 合计
/// row. The page is estimated as LibreOffice and Excel lay it out from the explicit row
/// heights; three data rows go along with the tail, so an estimate a row off still keeps them
/// together.
pub(crate) fn tail_break(t: &Table) -> Option<usize> {
    const KEEP: usize = 3;
    // The data row the last page starts with, when the tail would not fit beside it.
    let split = |px: f64| -> Option<usize> {
        let width: f64 = t.widths.iter().map(|w| width_pt(*w, px)).sum();
        let scale = if width > PRINT_WIDTH_PT {
            PRINT_WIDTH_PT / width
        } else {
            1.0
        };
        let page = PRINT_HEIGHT_PT / scale;
        let (mut y, mut start) = (t.top, 0usize);
        for (i, h) in t.rows.iter().enumerate() {
            if y + h > page && i > start {
                y = t.repeat;
                start = i;
            }
            y += h;
        }
        // 12 points of slack: a renderer's rounding must not split the tail off either.
        (y + t.tail + 12.0 > page).then_some(start)
    };
    let start = renderers().filter_map(split).max()?;
    let at = t.rows.len().saturating_sub(KEEP).max(start + 1);
    (at < t.rows.len()).then_some(at)
}

/// Starts a new page before data row `first + at` when [`tail_break`] says so.
pub(crate) fn keep_with_table(
    ws: &mut Worksheet,
    first: u32,
    t: &Table,
) -> std::result::Result<(), XlsxError> {
    if let Some(at) = tail_break(t) {
        ws.set_page_breaks(&[first + at as u32])?;
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

/// Column widths scaled up, when the columns together are narrower than the title (18 pt) or
/// the 填报单位 line (10 pt) needs: a sheet of few columns (the merged 民情诉求台账 has three)
/// otherwise prints its title cut off at both ends. Printing fits one page wide, so wider
/// columns only scale the page.
pub(crate) fn widths_for_titles(widths: &[f64], title: &str, info: &str) -> Vec<f64> {
    let units = |text: &str, pt: f64| -> f64 {
        text.chars()
            .map(|c| if c.is_ascii() { 1.1 } else { 2.0 })
            .sum::<f64>()
            * pt
            / 11.0
            + 4.0
    };
    let need = units(title, 18.0).max(units(info, 10.0));
    let have: f64 = widths.iter().sum();
    let scale = if have > 0.0 && have < need {
        need / have
    } else {
        1.0
    };
    widths
        .iter()
        .map(|w| (w * scale * 10.0).ceil() / 10.0)
        .collect()
}

pub(crate) fn report_sheet(
    ws: &mut Worksheet,
    s: &Style,
    title: &str,
    info: &str,
    headers: &[(&str, f64)],
) -> std::result::Result<u32, XlsxError> {
    let last = headers.len() as u16 - 1;
    let widths: Vec<f64> = headers.iter().map(|h| h.1).collect();
    for (col, width) in widths_for_titles(&widths, title, info).iter().enumerate() {
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
    let widths: Vec<f64> = cols.iter().map(|c| c.width).collect();
    for (i, w) in widths_for_titles(&widths, title, info).iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
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

/// The closing line of a district sheet: who merged and who checked it.
pub(crate) fn closing_district(
    ws: &mut Worksheet,
    s: &Style,
    row: u32,
    last_col: u16,
) -> std::result::Result<(), XlsxError> {
    ws.merge_range(
        row,
        0,
        row,
        last_col,
        "汇总人：              审核人：              联系电话：",
        &s.note,
    )?;
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
    fn the_total_and_closing_lines_never_print_alone_on_a_page() {
        use super::{tail_break, Table};
        let widths = [
            5.5, 12.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 7.0, 8.0, 8.0,
        ];
        // 11 villages of 20 pt under a 110 pt top: room to spare, no break.
        let rows = vec![20.0; 11];
        let t = Table {
            widths: &widths,
            top: 110.0,
            repeat: 52.0,
            rows: &rows,
            tail: 90.0,
        };
        assert_eq!(tail_break(&t), None);
        // 18 rows fill page 1 to 470 pt of 502: the 90 pt tail would go to page 2 alone; the
        // last three rows go with it.
        let rows = vec![20.0; 18];
        let t = Table { rows: &rows, ..t };
        assert_eq!(tail_break(&t), Some(15));
        // Two pages of rows, the second with room left: nothing to do.
        let rows = vec![20.0; 25];
        let t = Table { rows: &rows, ..t };
        assert_eq!(tail_break(&t), None);
    }

    #[test]
    fn a_sheet_of_few_columns_is_widened_to_hold_its_title() {
        let title = "宿迁市宿城区“三解三促”民情诉求台账（区级汇总，2026年11月）";
        let w = super::widths_for_titles(&[5.5, 14.0, 12.0], title, "汇总单位：宿迁市宿城区");
        let total: f64 = w.iter().sum();
        // 30 CJK characters and 4 digits at 18 pt need about 105 units; the columns keep their
        // proportions.
        assert!(total >= 100.0, "{total}");
        assert!((w[1] / w[0] - 14.0 / 5.5).abs() < 0.05);
        // Wide sheets are left alone.
        assert_eq!(
            super::widths_for_titles(&[60.0, 60.0], "短标题", "说明"),
            vec![60.0, 60.0]
        );
    }

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
