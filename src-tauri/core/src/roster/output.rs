//! What an import writes out: 「导出问题清单」 (the problem rows with their original values, the
//! problem cells highlighted, one column saying what is wrong and what to do) and
//! 「下载导入模板」 (the expected headers, the ID column as text, drop-downs for villages and
//! tags). Both saved atomically through `report::save`.

use super::fields::{column_letter, Field, ImportKind};
use super::run::ImportReport;
use super::{Book, Cell};
use crate::error::{Error, Result};
use crate::privacy::{mask_id, mask_phone};
use crate::report::{save, xlsx_error};
use crate::Store;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Formula, Workbook,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A sample value as the screen shows it: ID numbers and phones masked.
pub fn masked_sample(field: Option<Field>, cell: &Cell) -> String {
    let t = cell.text();
    match (field, cell) {
        (Some(Field::IdNumber), Cell::Text(_)) if t.chars().count() >= 15 => {
            mask_id(&crate::validate::normalize_id(&t))
        }
        (Some(Field::Phone), Cell::Text(_) | Cell::Number(_))
            if t.chars().filter(|c| c.is_ascii_digit()).count() >= 11 =>
        {
            mask_phone(&super::values::normalize_phone(&t))
        }
        _ => t,
    }
}

/// `黄河村花名册_问题清单_20261129-220526.xlsx` for a problem list of `黄河村花名册.xlsx`.
pub fn problem_list_file_name(source: &str, now: chrono::NaiveDateTime) -> String {
    let stem = Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{stem}_问题清单_{}.xlsx", now.format("%Y%m%d-%H%M%S"))
}

/// The template's file name for each list.
pub fn template_file_name(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Households => "农户花名册导入模板.xlsx",
        ImportKind::Cadres => "干部名单导入模板.xlsx",
        ImportKind::Requests => "民情诉求台账导入模板.xlsx",
        ImportKind::Diary => "走访记录导入模板.xlsx",
    }
}

/// Width of the problem list's 问题说明 column, in characters.
const NOTE_WIDTH: f64 = 70.0;

/// Writes the problem rows of `report` from `book` with their original values and a
/// 问题说明 column. Personal data is written as in the source file: the list goes back to the
/// person who made the file, to correct it.
pub fn write_problem_list(book: &Book, report: &ImportReport, out: &Path) -> Result<PathBuf> {
    if report.problems.is_empty() {
        return Err(Error::invalid(
            "file",
            "这次导入没有发现问题，不需要导出问题清单。",
        ));
    }
    let sheet = book
        .sheets
        .iter()
        .find(|s| s.name == report.sheet)
        .ok_or_else(|| {
            Error::invalid("file", "找不到导入时用的工作表，请重新选择文件后再导出。")
        })?;
    let header_first = report.header_row.saturating_sub(1) as usize;
    let header_last = header_first + report.header_rows.max(1) as usize - 1;
    let width = sheet.width();
    let mut by_row: BTreeMap<u32, Vec<&super::run::Problem>> = BTreeMap::new();
    for p in &report.problems {
        by_row.entry(p.row).or_default().push(p);
    }
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("问题清单").map_err(xlsx_error)?;
    let body = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_border(FormatBorder::Thin);
    let head = body
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_text_wrap();
    let bad = body
        .clone()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let note = body
        .clone()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x9C0006));
    let text_fmt = body.clone().set_num_format_index(49);
    let bad_text = bad.clone().set_num_format_index(49);
    let long = body.clone().set_num_format("0");
    let bad_long = bad.clone().set_num_format("0");
    let title = Format::new().set_font_name("黑体").set_font_size(14);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{} 的问题清单：共 {} 行有问题。请按“问题说明”改正原表（标红的格子），再重新导入。",
            report.file,
            by_row.len()
        ),
        &title,
    )
    .map_err(xlsx_error)?;
    let mut out_row: u32 = 1;
    for hr in header_first..=header_last {
        let label = if hr == header_first { "原行号" } else { "" };
        ws.write_string_with_format(out_row, 0, label, &head)
            .map_err(xlsx_error)?;
        for c in 0..width {
            let v = sheet.cell(hr, c).text();
            ws.write_string_with_format(out_row, c as u16 + 1, v, &head)
                .map_err(xlsx_error)?;
        }
        let label = if hr == header_first {
            "问题说明"
        } else {
            ""
        };
        ws.write_string_with_format(out_row, width as u16 + 1, label, &head)
            .map_err(xlsx_error)?;
        out_row += 1;
    }
    ws.set_freeze_panes(out_row, 1).map_err(xlsx_error)?;
    // Printed for the village to correct: A4 landscape, one page wide, headers on every page.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(1, out_row - 1).map_err(xlsx_error)?;
    ws.set_footer("&C第 &P 页 共 &N 页");
    for (row, problems) in &by_row {
        let r = *row as usize - 1;
        let cols: BTreeSet<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        ws.write_number_with_format(out_row, 0, *row as f64, &body)
            .map_err(xlsx_error)?;
        for c in 0..width {
            let hit = cols.contains(column_letter(c).as_str());
            let col = c as u16 + 1;
            match sheet.cell(r, c) {
                // A long number (an ID typed as a number) shows every digit it still has, so
                // the zeros Excel put in place of the lost ones are plain to see.
                Cell::Number(f) if f.abs() >= 1e11 => ws.write_number_with_format(
                    out_row,
                    col,
                    *f,
                    if hit { &bad_long } else { &long },
                ),
                Cell::Number(f) => {
                    ws.write_number_with_format(out_row, col, *f, if hit { &bad } else { &body })
                }
                cell => ws.write_string_with_format(
                    out_row,
                    col,
                    cell.text(),
                    if hit { &bad_text } else { &text_fmt },
                ),
            }
            .map_err(xlsx_error)?;
        }
        let msg = problems
            .iter()
            .map(|p| {
                if p.column.is_empty() {
                    p.message.clone()
                } else {
                    format!("{} 列（{}）：{}", p.column, p.header, p.message)
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        // Wrapped text does not grow its row in every program: the height is set from the
        // message, as the reports do.
        ws.set_row_height(
            out_row,
            crate::report::fit_row_height(&[(&msg, NOTE_WIDTH)], 15.0),
        )
        .map_err(xlsx_error)?;
        ws.write_string_with_format(out_row, width as u16 + 1, msg, &note)
            .map_err(xlsx_error)?;
        out_row += 1;
    }
    ws.set_column_width(0, 8).map_err(xlsx_error)?;
    for c in 0..width {
        let longest = by_row
            .keys()
            .take(200)
            .map(|r| sheet.cell(*r as usize - 1, c).text().chars().count())
            .chain((header_first..=header_last).map(|h| sheet.cell(h, c).text().chars().count()))
            .max()
            .unwrap_or(4);
        ws.set_column_width(c as u16 + 1, (longest as f64 * 1.8 + 2.0).clamp(6.0, 30.0))
            .map_err(xlsx_error)?;
    }
    ws.set_column_width(width as u16 + 1, NOTE_WIDTH)
        .map_err(xlsx_error)?;
    ws.autofilter(
        header_last as u32 - header_first as u32 + 1,
        0,
        out_row.saturating_sub(1).max(2),
        width as u16 + 1,
    )
    .map_err(xlsx_error)?;
    save(&mut wb, out)
}

/// Rows the template's drop-downs and text format cover.
const TEMPLATE_ROWS: u32 = 5000;

/// A clean template for `kind`: the expected headers, the ID column as text, drop-downs for
/// villages (and tags), and a sheet of instructions.
pub fn write_template(store: &Store, kind: ImportKind, out: &Path) -> Result<PathBuf> {
    let villages: Vec<String> = crate::register::villages::list_villages(store)?
        .into_iter()
        .map(|v| v.name)
        .collect();
    let tags: Vec<String> = crate::register::tags::list_tags(store)?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_font_name("宋体")
        .set_font_size(11)
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xDDEBF7));
    let required = head.clone().set_font_color(Color::RGB(0xC00000));
    let text = Format::new().set_font_name("宋体").set_num_format_index(49);
    let fields: Vec<Field> = kind
        .fields()
        .iter()
        .copied()
        .filter(|f| f.in_template())
        .collect();
    {
        let ws = wb.add_worksheet();
        ws.set_name(match kind {
            ImportKind::Households => "花名册",
            ImportKind::Cadres => "干部名单",
            ImportKind::Requests => "民情诉求台账",
            ImportKind::Diary => "走访记录",
        })
        .map_err(xlsx_error)?;
        for (c, f) in fields.iter().enumerate() {
            let label = if f.required(kind) {
                format!("{}（必填）", f.label_in(kind))
            } else {
                f.label_in(kind).to_string()
            };
            ws.write_string_with_format(
                0,
                c as u16,
                &label,
                if f.required(kind) { &required } else { &head },
            )
            .map_err(xlsx_error)?;
            let width = match f {
                Field::IdNumber => 22.0,
                Field::Address | Field::Note | Field::Villages | Field::Unit => 24.0,
                Field::Phone | Field::Tags => 16.0,
                _ => 12.0,
            };
            // Wide enough for the header itself (a CJK character is about two widths).
            let width = f64::max(width, label.chars().count() as f64 * 2.1 + 1.0);
            ws.set_column_width(c as u16, width).map_err(xlsx_error)?;
            // Every column as text: IDs and phones keep all their digits, groups stay "三组".
            ws.set_column_format(c as u16, &text).map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        // If printed to fill in by hand: A4 landscape, one page wide, the header on every page.
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(xlsx_error)?;
        let list_col = |f: Field| fields.iter().position(|x| *x == f).map(|c| c as u16);
        let village_field = if kind.has_village() {
            Field::Village
        } else {
            Field::Villages
        };
        if let (Some(c), false) = (list_col(village_field), villages.is_empty()) {
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "=村组!$A$2:$A${}",
                    villages.len() + 1
                )))
                .set_error_style(if kind.has_village() {
                    DataValidationErrorStyle::Stop
                } else {
                    DataValidationErrorStyle::Information
                })
                .set_error_message(
                    "请从下拉列表中选择本乡镇的村（社区）；新的村请先在民情通中添加。",
                )
                .map_err(xlsx_error)?;
            ws.add_data_validation(1, c, TEMPLATE_ROWS, c, &dv)
                .map_err(xlsx_error)?;
        }
        if let (Some(c), false) = (list_col(Field::Tags), tags.is_empty()) {
            // Several tags may share a cell ("低保户、独居老人"), so a value not in the list is
            // allowed with a note rather than refused.
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(format!("=村组!$B$2:$B${}", tags.len() + 1)))
                .set_error_style(DataValidationErrorStyle::Information)
                .set_error_message("多个类别请用顿号（、）隔开；不在标签字典中的类别导入时会列出。")
                .map_err(xlsx_error)?;
            ws.add_data_validation(1, c, TEMPLATE_ROWS, c, &dv)
                .map_err(xlsx_error)?;
        }
        if let Some(c) = list_col(Field::Level) {
            let levels: Vec<&str> = crate::register::CadreLevel::ALL
                .iter()
                .map(|l| l.as_str())
                .collect();
            let dv = DataValidation::new()
                .allow_list_strings(&levels)
                .map_err(xlsx_error)?;
            ws.add_data_validation(1, c, TEMPLATE_ROWS, c, &dv)
                .map_err(xlsx_error)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("填写说明").map_err(xlsx_error)?;
        let lines: Vec<String> = match kind {
            ImportKind::Households => vec![
                "农户花名册导入模板 — 填写说明".into(),
                "1. 每户一行；标红的列必填：村（社区）、村民小组、户主姓名、公民身份号码。".into(),
                "2. 公民身份号码这一列已设为“文本”格式，请直接输入 18 位号码；不要改成数字格式，否则后几位会丢失。".into(),
                "3. 村民小组写“三组”“3组”或“第三村民小组”都可以。".into(),
                "4. 类别可填多个，用顿号隔开，如：低保户、独居老人。".into(),
                "5. 联系电话填手机（11 位）或座机（如 0527-88881234）。".into(),
                "示例：黄河村 | 三组 | 张三 | 321302198001010011 | 13800001234 | 4 | 黄河村三组 12 号 | 低保户、独居老人 |".into(),
            ],
            ImportKind::Cadres => vec![
                "干部名单导入模板 — 填写说明".into(),
                "1. 每名干部一行；姓名和单位必填（同名同单位视为同一人）。".into(),
                "2. 挂钩村可填多个，用顿号隔开。".into(),
                format!("3. 干部类别从下拉列表中选择：{}。", crate::register::CadreLevel::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("、")),
            ],
            ImportKind::Requests => vec![
                "民情诉求台账导入模板 — 填写说明".into(),
                "1. 每件诉求一行；受理日期、村（社区）、诉求人、诉求内容必填。".into(),
                "2. 日期写成 2025-03-08 或 2025年3月8日；诉求编号有就填，与已有编号不重复时保留原编号。".into(),
                "3. 办理状态填 登记、交办、办理中、已办结 或 已回访；已办结的必须有办理结果、答复群众和办结日期。".into(),
                "4. 责任单位、诉求类别不在民情通中的，导入前会列出，确认后新建。".into(),
            ],
            ImportKind::Diary => vec![
                "走访记录导入模板 — 填写说明".into(),
                "1. 每次走访一行；走访日期、走访干部、户主必填。".into(),
                "2. 走访干部可填多名，用顿号隔开；干部须已在“干部队伍”中登记。".into(),
                "3. 户主同名时，请填身份证号或身份证后四位，也可填村和组帮助区分。".into(),
                "4. 走访结果填 见到户主、见到家人、不在家、拒访 等，空着算“见到户主”；群众诉求会登记为“待分类”的诉求。".into(),
            ],
        };
        for (i, l) in lines.iter().enumerate() {
            ws.write_string(i as u32, 0, l).map_err(xlsx_error)?;
        }
        ws.set_column_width(0, 100).map_err(xlsx_error)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("村组").map_err(xlsx_error)?;
        ws.write_string(0, 0, "村（社区）").map_err(xlsx_error)?;
        ws.write_string(0, 1, "类别").map_err(xlsx_error)?;
        for (i, v) in villages.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, v).map_err(xlsx_error)?;
        }
        for (i, t) in tags.iter().enumerate() {
            ws.write_string(i as u32 + 1, 1, t).map_err(xlsx_error)?;
        }
        ws.set_hidden(true);
    }
    save(&mut wb, out)
}
