//! Reading a roster file into rows of cells: .xlsx/.xlsm and .ods through calamine (xlsx
//! streamed, so a huge sheet is refused before it fills memory), .xls (BIFF8), and text
//! (.csv/.txt) in UTF-8, UTF-16 or GBK/GB18030. The format is decided by the bytes, not by
//! the name: a picture renamed .xlsx, an HTML page saved as .xls or a password-protected
//! workbook each get their own Chinese message. Nothing here panics on any input.

use super::text;
use super::{Book, Cell, Format, Merges, Sheet};
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
        _ => format!(
            "无法读取文件“{name}”：{}。请确认文件可以正常打开后再导入。",
            crate::error::io_cause(e)
        ),
    }
}

/// Reads a whole roster file. `rows_read` is told how many rows have been read so far;
/// `cancel` stops the reading between rows.
pub fn read_file(path: &Path, rows_read: &mut dyn FnMut(u64), cancel: &AtomicBool) -> Result<Book> {
    let (name, bytes) = file_bytes(path)?;
    read_bytes(&name, bytes, rows_read, cancel)
}

/// A roster file's name (for messages) and bytes, with the reasons it cannot be read.
fn file_bytes(path: &Path) -> Result<(String, Vec<u8>)> {
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
    Ok((name, bytes))
}

/// Reads a roster from its bytes; `name` is used in messages only.
pub fn read_bytes(
    name: &str,
    bytes: Vec<u8>,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    check_bytes(name, &bytes)?;
    // The parsers are third-party code fed with arbitrary files: a panic inside them is caught
    // and reported as a damaged file instead of taking the app down.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if is_zip(&bytes) {
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
    check_not_empty(name, &book)?;
    Ok(book)
}

fn check_bytes(name: &str, bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(file_problem(format!(
            "文件“{name}”是空的（0 字节）。请确认选对了文件；如果是从微信或邮件下载的，请重新下载。"
        )));
    }
    if let Some(what) = not_a_table(bytes) {
        return Err(file_problem(format!(
            "文件“{name}”不是表格，看起来是{what}。请选择村里报来的 Excel 表格（.xlsx、.xls）、WPS 表格（.ods）或 .csv 文件。"
        )));
    }
    Ok(())
}

fn check_not_empty(name: &str, book: &Book) -> Result<()> {
    if book
        .sheets
        .iter()
        .all(|s| s.rows.iter().all(|r| r.iter().all(Cell::is_empty)))
    {
        return Err(file_problem(format!(
            "文件“{name}”里没有任何内容（所有工作表都是空的）。请确认选对了文件。"
        )));
    }
    Ok(())
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

/// What a zip-based file is, from its first bytes and its central directory.
enum Zip {
    Ods,
    Xlsx,
}

fn zip_kind(name: &str, bytes: &[u8]) -> Result<Zip> {
    let head = &bytes[..bytes.len().min(400)];
    let looks_ods = head
        .windows(46)
        .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
    if looks_ods {
        return Ok(Zip::Ods);
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
    Ok(Zip::Xlsx)
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

type XlsxBook = Xlsx<Cursor<Vec<u8>>>;

fn read_zip(
    name: &str,
    bytes: Vec<u8>,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    if let Zip::Ods = zip_kind(name, &bytes)? {
        let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|_| broken(name))?;
        return read_ranges(name, Format::Ods, &mut wb, None, rows_read, cancel);
    }
    let mut wb: XlsxBook = Xlsx::new(Cursor::new(bytes)).map_err(|_| broken(name))?;
    read_xlsx(name, &mut wb, rows_read, cancel)
}

fn read_xlsx(
    name: &str,
    wb: &mut XlsxBook,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    let mut sheets = Vec::new();
    for sheet_name in wb.sheet_names() {
        let merges = xlsx_merges(name, wb, &sheet_name)?;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut width = 0;
        xlsx_cells(name, wb, &sheet_name, cancel, &mut |r, c, value| {
            if rows.len() <= r && r % 5000 == 0 {
                rows_read(r as u64 + 1);
            }
            put(&mut rows, r, c, value, &mut width);
            Ok(())
        })?;
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

/// Puts a cell at (row `i`, column `c`) of `rows`, growing them. Rows are alike: a new row gets
/// room for `width` cells (the widest so far) in one allocation instead of one per doubling.
fn put(rows: &mut Vec<Vec<Cell>>, i: usize, c: usize, value: Cell, width: &mut usize) {
    if rows.len() <= i {
        rows.resize_with(i + 1, Vec::new);
    }
    let row = &mut rows[i];
    if row.len() <= c {
        if row.is_empty() {
            row.reserve_exact((*width).max(c + 1));
        }
        row.resize(c + 1, Cell::Empty);
        *width = (*width).max(c + 1);
    }
    row[c] = value;
}

/// Merged cells only matter for a two-row header. calamine finds them with a second pass over
/// the whole sheet (a third of the reading time of a 100,000-row file), so large sheets go
/// without: their two-row headers are still recognised by the lower row's words ("手机" under
/// "联系方式").
fn xlsx_merges(name: &str, wb: &mut XlsxBook, sheet_name: &str) -> Result<Merges> {
    let dims = wb
        .worksheet_cells_reader(sheet_name)
        .map_err(|_| broken(name))?
        .dimensions();
    Ok(
        if (dims.end.0 as usize) < MERGES_UP_TO_ROWS || dims.end.0 == u32::MAX {
            wb.merge_cells_by_sheet_name(sheet_name)
                .unwrap_or_default()
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect()
        } else {
            Vec::new()
        },
    )
}

/// Every non-empty cell of a sheet in the file's order, as (row, column, value), within the
/// row and column limits; a formula the file carries no value for becomes `Cell::Formula`.
/// Checks `cancel` every 5,000 rows.
fn xlsx_cells(
    name: &str,
    wb: &mut XlsxBook,
    sheet_name: &str,
    cancel: &AtomicBool,
    cell_at: &mut dyn FnMut(usize, usize, Cell) -> Result<()>,
) -> Result<()> {
    let mut reader = wb
        .worksheet_cells_reader(sheet_name)
        .map_err(|_| broken(name))?;
    let dims = reader.dimensions();
    if dims.end.0 as usize >= MAX_ROWS && dims.end.0 != u32::MAX {
        return Err(too_many_rows(name, sheet_name, dims.end.0 as usize + 1));
    }
    if dims.end.1 as usize >= MAX_COLS && dims.end.1 != u32::MAX {
        return Err(too_many_cols(name, sheet_name, dims.end.1 as usize + 1));
    }
    let mut last_row = usize::MAX;
    loop {
        let cell = match reader.next_cell_with_formula() {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(()),
            Err(_) => return Err(broken(name)),
        };
        let (r, c) = (cell.pos.0 as usize, cell.pos.1 as usize);
        if r >= MAX_ROWS {
            return Err(too_many_rows(name, sheet_name, r + 1));
        }
        let value = match (from_data_ref(&cell.value), &cell.formula) {
            (Cell::Empty, Some(f)) if !f.is_empty() => Cell::Formula(f.clone()),
            (v, _) => v,
        };
        if value.is_empty() {
            continue;
        }
        if c >= MAX_COLS {
            return Err(too_many_cols(name, sheet_name, c + 1));
        }
        if r != last_row {
            last_row = r;
            if r % 5000 == 0 && cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
        }
        cell_at(r, c, value)?;
    }
}

/// What [`stream_file`] hands on while a sheet is imported as it is read.
pub enum Piece {
    /// The sheet's first rows (enough to find the header and guess the mapping) as a book of
    /// that one sheet, and the sheet's height as the file states it (0 when unknown).
    Head(Book, usize),
    /// Rows from the given row number on; rows not in the file are empty.
    Rows(usize, Vec<Vec<Cell>>),
    /// The sheet is done.
    End,
    /// The file is not one to import while reading (not .xlsx; several sheets and none
    /// chosen): here it is, read whole.
    Whole(Book),
    /// The file lists a row after a later one (no spreadsheet program writes that): the
    /// import must start again from the file read whole.
    Unordered,
}

/// Rows per [`Piece::Rows`].
const PIECE_ROWS: usize = 2048;

/// Reads a roster for an import that writes while reading: the .xlsx sheet `sheet` (or the
/// only one) piece by piece — first `head_rows` rows, then pieces of rows, then `End` — or
/// any other file whole. `send` returns false when nobody listens any more; reading stops.
pub fn stream_file(
    path: &Path,
    sheet: Option<&str>,
    head_rows: usize,
    send: &mut dyn FnMut(Piece) -> bool,
    cancel: &AtomicBool,
) -> Result<()> {
    let (name, bytes) = file_bytes(path)?;
    // A zip is neither empty nor a picture: read_bytes checks the rest.
    if !is_zip(&bytes) || matches!(zip_kind(&name, &bytes)?, Zip::Ods) {
        send(Piece::Whole(read_bytes(&name, bytes, &mut |_| {}, cancel)?));
        return Ok(());
    }
    let streamed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stream_xlsx(&name, bytes, sheet, head_rows, send, cancel)
    }));
    streamed.unwrap_or_else(|_| Err(broken(&name)))
}

fn stream_xlsx(
    name: &str,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    head_rows: usize,
    send: &mut dyn FnMut(Piece) -> bool,
    cancel: &AtomicBool,
) -> Result<()> {
    let mut wb: XlsxBook = Xlsx::new(Cursor::new(bytes)).map_err(|_| broken(name))?;
    let names = wb.sheet_names();
    let target = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        None if names.len() == 1 => names[0].clone(),
        _ => {
            let book = read_xlsx(name, &mut wb, &mut |_| {}, cancel)?;
            check_not_empty(name, &book)?;
            send(Piece::Whole(book));
            return Ok(());
        }
    };
    let merges = xlsx_merges(name, &mut wb, &target)?;
    let height = wb
        .worksheet_cells_reader(&target)
        .map_err(|_| broken(name))?
        .dimensions();
    let height = if height.end.0 == u32::MAX {
        0
    } else {
        height.end.0 as usize + 1
    };
    let head_book = |rows: Vec<Vec<Cell>>, merges: Merges| Book {
        file_name: name.to_string(),
        format: Format::Xlsx,
        encoding: None,
        delimiter: None,
        sheets: vec![Sheet::new(target.clone(), rows, merges)],
    };
    // The head, then pieces from `start`; `head` is None once sent.
    let mut head: Option<(Vec<Vec<Cell>>, Merges)> = Some((Vec::new(), merges));
    let mut piece: Vec<Vec<Cell>> = Vec::with_capacity(PIECE_ROWS);
    let mut width = 0usize;
    let mut start = head_rows;
    let mut last = 0usize;
    let mut listening = true;
    let mut unordered = false;
    let read = xlsx_cells(name, &mut wb, &target, cancel, &mut |r, c, value| {
        if r < last {
            unordered = true;
            return Err(Error::Cancelled);
        }
        last = r;
        if r < head_rows {
            let Some((rows, _)) = head.as_mut() else {
                unordered = true;
                return Err(Error::Cancelled);
            };
            put(rows, r, c, value, &mut width);
        } else {
            if let Some((rows, merges)) = head.take() {
                listening = send(Piece::Head(head_book(rows, merges), height));
            }
            if r >= start + PIECE_ROWS && r >= start + piece.len() {
                let full = std::mem::replace(&mut piece, Vec::with_capacity(PIECE_ROWS));
                listening = listening && send(Piece::Rows(start, full));
                start = r;
            }
            if !listening {
                return Err(Error::Cancelled);
            }
            put(&mut piece, r - start, c, value, &mut width);
        }
        Ok(())
    });
    if unordered {
        send(Piece::Unordered);
        return Ok(());
    }
    if !listening {
        return Ok(());
    }
    read?;
    if let Some((rows, merges)) = head.take() {
        let book = head_book(rows, merges);
        check_not_empty(name, &book)?;
        if !send(Piece::Head(book, height)) {
            return Ok(());
        }
    }
    if !piece.is_empty() && !send(Piece::Rows(start, piece)) {
        return Ok(());
    }
    send(Piece::End);
    Ok(())
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
    let merges: Vec<(String, Merges)> = wb
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
    merges: Option<Vec<(String, Merges)>>,
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
