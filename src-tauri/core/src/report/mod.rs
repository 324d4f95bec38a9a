//! Excel workbooks the app writes (rust_xlsxwriter), in one house style: 宋体 body, 黑体
//! titles, thin borders, A4. Every file is written to a temporary name beside its target and
//! renamed when complete, so a crash never leaves half a workbook under the real name.

pub mod slips;

use crate::error::{Error, Result};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use std::path::{Path, PathBuf};

/// The formats every report shares.
pub(crate) struct Style {
    pub title: Format,
    pub label: Format,
    pub cell: Format,
    pub cell_wrap: Format,
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
