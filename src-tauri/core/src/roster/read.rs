//! Reading a roster file into rows of cells: .xlsx/.xlsm and .ods through calamine (xlsx
//! streamed, so a huge sheet is refused before it fills memory), .xls (BIFF8), and text
//! (.csv/.txt) in UTF-8, UTF-16 or GBK/GB18030. The format is decided by the bytes, not by
//! the name: a picture renamed .xlsx, an HTML page saved as .xls or a password-protected
//! workbook each get their own Chinese message. Nothing here panics on any input.

use super::text;
use super::{Book, Cell, Format, Sheet};
use crate::error::{Error, Result};
use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx};
use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Larger files are refused before reading (a township roster is a few MB).
pub const MAX_FILE_BYTES: u64 = 150 * 1024 * 1024;
/// Rows per sheet, header included (a township has at most a few tens of thousands of 户).
pub const MAX_ROWS: usize = 300_000;
/// Columns per sheet (a roster has a dozen or two).
pub const MAX_COLS: usize = 128;
/// Merged cells are read for sheets up to this many rows (see `read_zip`).
const MERGES_UP_TO_ROWS: usize = 20_000;

pub(crate) fn file_problem(msg: impl Into<String>) -> Error {
    Error::invalid("file", msg)
}

/// Why a file could not be opened, in words a coordinator can act on. Windows reports a file
/// held open by Excel or WPS as a sharing violation (32) or lock violation (33).
pub fn open_error_message(name: &str, e: &std::io::Error, windows: bool) -> String {
    let code = e.raw_os_error();
    if windows && matches!(code, Some(32) | Some(33)) {
        return format!("文件“{name}”正被其他程序（如 Excel 或 WPS）打开，无法读取。请先在那个程序中关闭它，再导入。");
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("找不到文件“{name}”，可能已被移动或删除。请重新选择文件。")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!(
            "没有权限读取文件“{name}”{}。请关闭占用它的程序，或把它复制到“文档”文件夹后再导入。",
            if windows { "（也可能正被 Excel 或 WPS 打开）" } else { "" }
        )
        }
        _ => format!("无法读取文件“{name}”：{e}。请确认文件可以正常打开后再导入。"),
    }
}

/// Reads a whole roster file. `rows_read` is told how many rows have been read so far;
/// `cancel` stops the reading between rows.
pub fn read_file(path: &Path, rows_read: &mut dyn FnMut(u64), cancel: &AtomicBool) -> Result<Book> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let meta = std::fs::metadata(path)
        .map_err(|e| file_problem(open_error_message(&name, &e, cfg!(windows))))?;
    if meta.is_dir() {
        return Err(file_problem(format!(
            "“{name}”是一个文件夹，请选择其中的表格文件。"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(file_problem(format!(
            "文件“{name}”有 {} MB，超过了 {} MB 的上限。花名册一般只有几 MB：请检查是否选错了文件，或按村拆分成几个文件分别导入。",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| file_problem(open_error_message(&name, &e, cfg!(windows))))?;
    read_bytes(&name, bytes, rows_read, cancel)
}

/// Reads a roster from its bytes; `name` is used in messages only.
pub fn read_bytes(
    name: &str,
    bytes: Vec<u8>,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    if bytes.is_empty() {
        return Err(file_problem(format!(
            "文件“{name}”是空的（0 字节）。请确认选对了文件；如果是从微信或邮件下载的，请重新下载。"
        )));
    }
    if let Some(what) = not_a_table(&bytes) {
        return Err(file_problem(format!(
            "文件“{name}”不是表格，看起来是{what}。请选择村里报来的 Excel 表格（.xlsx、.xls）、WPS 表格（.ods）或 .csv 文件。"
        )));
    }
    // The parsers are third-party code fed with arbitrary files: a panic inside them is caught
    // and reported as a damaged file instead of taking the app down.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            read_zip(name, bytes, rows_read, cancel)
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            read_cfb(name, bytes, rows_read, cancel)
        } else {
            text::read_text(name, &bytes, rows_read, cancel)
        }
    }));
    let book = match read {
        Ok(r) => r?,
        Err(_) => return Err(broken(name)),
    };
    if book
        .sheets
        .iter()
        .all(|s| s.rows.iter().all(|r| r.iter().all(Cell::is_empty)))
    {
        return Err(file_problem(format!(
            "文件“{name}”里没有任何内容（所有工作表都是空的）。请确认选对了文件。"
        )));
    }
    Ok(book)
}

/// Pictures, PDFs and archives users pick by mistake.
fn not_a_table(b: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| b.starts_with(m);
    if starts(b"\x89PNG") {
        Some("一张 PNG 图片")
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("一张 JPG 照片")
    } else if starts(b"GIF8") {
        Some("一张 GIF 图片")
    } else if starts(b"BM") && b.len() > 14 && b[6..10] == [0, 0, 0, 0] {
        Some("一张 BMP 图片")
    } else if starts(b"%PDF") {
        Some("一个 PDF 文档")
    } else if starts(b"Rar!") || starts(&[0x37, 0x7A, 0xBC, 0xAF]) {
        Some("一个压缩包，请先解压")
    } else {
        None
    }
}

fn broken(name: &str) -> Error {
    file_problem(format!(
        "文件“{name}”已损坏或不完整（可能没有下载完整），无法读取。请重新下载或请村里重新发送；如果能用 Excel/WPS 打开，请另存为 .xlsx 后再导入。"
    ))
}

fn read_zip(
    name: &str,
    bytes: Vec<u8>,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    let head = &bytes[..bytes.len().min(400)];
    let looks_ods = head
        .windows(46)
        .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
    if looks_ods {
        let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|_| broken(name))?;
        return read_ranges(name, Format::Ods, &mut wb, None, rows_read, cancel);
    }
    // The zip's central directory (at its end) names every member: enough to tell a Word
    // document from a workbook without scanning the whole file.
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    let has = |needle: &[u8]| tail.windows(needle.len()).any(|w| w == needle);
    if has(b"word/document.xml") && !has(b"xl/workbook.xml") {
        return Err(file_problem(format!(
            "文件“{name}”是 Word 文档，不是表格。请把表格复制到 Excel/WPS 表格中另存为 .xlsx 后再导入。"
        )));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| broken(name))?;
    let mut sheets = Vec::new();
    for sheet_name in wb.sheet_names() {
        let dims = wb
            .worksheet_cells_reader(&sheet_name)
            .map_err(|_| broken(name))?
            .dimensions();
        // Merged cells only matter for a two-row header. calamine finds them with a second pass
        // over the whole sheet (a third of the reading time of a 100,000-row file), so large
        // sheets go without: their two-row headers are still recognised by the lower row's
        // words ("手机" under "联系方式").
        let merges = if (dims.end.0 as usize) < MERGES_UP_TO_ROWS || dims.end.0 == u32::MAX {
            wb.merge_cells_by_sheet_name(&sheet_name)
                .unwrap_or_default()
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect()
        } else {
            Vec::new()
        };
        let mut reader = wb
            .worksheet_cells_reader(&sheet_name)
            .map_err(|_| broken(name))?;
        if dims.end.0 as usize >= MAX_ROWS && dims.end.0 != u32::MAX {
            return Err(too_many_rows(name, &sheet_name, dims.end.0 as usize + 1));
        }
        if dims.end.1 as usize >= MAX_COLS && dims.end.1 != u32::MAX {
            return Err(too_many_cols(name, &sheet_name, dims.end.1 as usize + 1));
        }
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        loop {
            let cell = match reader.next_cell_with_formula() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(_) => return Err(broken(name)),
            };
            let (r, c) = (cell.pos.0 as usize, cell.pos.1 as usize);
            if r >= MAX_ROWS {
                return Err(too_many_rows(name, &sheet_name, r + 1));
            }
            let value = match (from_data_ref(&cell.value), &cell.formula) {
                (Cell::Empty, Some(f)) if !f.is_empty() => Cell::Formula(f.clone()),
                (v, _) => v,
            };
            if value.is_empty() {
                continue;
            }
            if c >= MAX_COLS {
                return Err(too_many_cols(name, &sheet_name, c + 1));
            }
            if rows.len() <= r {
                if r % 5000 == 0 {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(Error::Cancelled);
                    }
                    rows_read(r as u64 + 1);
                }
                rows.resize_with(r + 1, Vec::new);
            }
            if rows[r].is_empty() && r > 0 {
                // Rows are alike: one allocation the size of the row above instead of one
                // per doubling.
                let above = rows[r - 1].len();
                rows[r].reserve_exact(above.max(c + 1));
            }
            let row = &mut rows[r];
            if row.len() <= c {
                row.resize(c + 1, Cell::Empty);
            }
            row[c] = value;
        }
        rows_read(rows.len() as u64);
        sheets.push(Sheet::new(sheet_name, rows, merges));
    }
    Ok(Book {
        file_name: name.to_string(),
        format: Format::Xlsx,
        encoding: None,
        delimiter: None,
        sheets,
    })
}

fn read_cfb(
    name: &str,
    bytes: Vec<u8>,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect::<Vec<u8>>()
    };
    let enc = utf16("EncryptedPackage");
    if bytes.windows(enc.len()).any(|w| w == enc.as_slice()) {
        return Err(password(name));
    }
    let mut wb: Xls<_> = match Xls::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(calamine::XlsError::Password) => return Err(password(name)),
        Err(_) => return Err(broken(name)),
    };
    let merges: Vec<(String, Vec<(u32, u32, u32, u32)>)> = wb
        .sheet_names()
        .into_iter()
        .map(|s| {
            let m = wb
                .merge_cells_by_sheet_name(&s)
                .unwrap_or_default()
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect();
            (s, m)
        })
        .collect();
    read_ranges(name, Format::Xls, &mut wb, Some(merges), rows_read, cancel)
}

fn password(name: &str) -> Error {
    file_problem(format!(
        "文件“{name}”设有打开密码，程序无法读取。请在 Excel/WPS 中用密码打开它，在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中取消密码并保存，再导入。"
    ))
}

fn too_many_rows(name: &str, sheet: &str, n: usize) -> Error {
    file_problem(format!(
        "文件“{name}”的工作表“{sheet}”有 {n} 行以上，超过了每个工作表 {MAX_ROWS} 行的上限。一个乡镇的花名册不会这么多行：请检查是否有大量空白格式行（可删除多余行后另存），或按村拆分后分别导入。"
    ))
}

fn too_many_cols(name: &str, sheet: &str, n: usize) -> Error {
    file_problem(format!(
        "文件“{name}”的工作表“{sheet}”用到了第 {n} 列，超过了 {MAX_COLS} 列的上限。花名册一般只有十几列：请删除用不到的列（或只把需要的列复制到新表）后再导入。"
    ))
}

fn read_ranges<R>(
    name: &str,
    format: Format,
    wb: &mut R,
    merges: Option<Vec<(String, Vec<(u32, u32, u32, u32)>)>>,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book>
where
    R: Reader<Cursor<Vec<u8>>>,
{
    let mut sheets = Vec::new();
    for sheet_name in wb.sheet_names() {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let range = wb.worksheet_range(&sheet_name).map_err(|_| broken(name))?;
        let formulas = wb.worksheet_formula(&sheet_name).ok();
        let Some((r0, c0)) = range.start() else {
            sheets.push(Sheet::new(sheet_name, Vec::new(), Vec::new()));
            continue;
        };
        let h = range.height();
        if r0 as usize + h > MAX_ROWS {
            return Err(too_many_rows(name, &sheet_name, r0 as usize + h));
        }
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
        for (i, row) in range.rows().enumerate() {
            let mut out = vec![Cell::Empty; c0 as usize];
            out.extend(row.iter().map(from_data));
            while out.last().is_some_and(Cell::is_empty) {
                out.pop();
            }
            if out.len() > MAX_COLS {
                return Err(too_many_cols(name, &sheet_name, out.len()));
            }
            if let Some(f) = &formulas {
                for (c, cell) in out.iter_mut().enumerate() {
                    if cell.is_empty() {
                        if let Some(text) = f.get_value((r0 + i as u32, c as u32)) {
                            if !text.is_empty() {
                                *cell = Cell::Formula(text.clone());
                            }
                        }
                    }
                }
            }
            rows.push(out);
        }
        rows_read(rows.len() as u64);
        let m = merges
            .as_ref()
            .and_then(|m| m.iter().find(|(s, _)| *s == sheet_name))
            .map(|(_, m)| m.clone())
            .unwrap_or_default();
        sheets.push(Sheet::new(sheet_name, rows, m));
    }
    Ok(Book {
        file_name: name.to_string(),
        format,
        encoding: None,
        delimiter: None,
        sheets,
    })
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => text_cell(s),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(dt) => Cell::Date(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

/// A text cell; whitespace-only text counts as empty.
pub(crate) fn text_cell(s: &str) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}
