//! Text rosters (.csv / .txt): the encoding is detected (a BOM, else strict UTF-8, else
//! GB18030 — a superset of the GBK that Chinese Excel writes), the separator is guessed from
//! the first lines (comma, tab or semicolon, outside quotes), and quoted fields may hold
//! separators, doubled quotes and newlines. Excel's `="0123"` text trick is unwrapped.

use super::read::{file_problem, text_cell, MAX_COLS, MAX_ROWS};
use super::{Book, Cell, Format, Sheet};
use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) fn read_text(
    name: &str,
    bytes: &[u8],
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Book> {
    let (text, encoding) = decode(name, bytes)?;
    let delimiter = guess_delimiter(&text);
    let rows = parse(name, &text, delimiter, rows_read, cancel)?;
    let sheet_name = std::path::Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    Ok(Book {
        file_name: name.to_string(),
        format: Format::Csv,
        encoding: Some(encoding),
        delimiter: Some(delimiter),
        sheets: vec![Sheet::new(sheet_name, rows, Vec::new())],
    })
}

/// The text and the name of its encoding as a coordinator knows it.
pub fn decode(name: &str, bytes: &[u8]) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec())
            .map(|s| (s, "UTF-8"))
            .map_err(|_| undecodable(name));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (enc, _) = encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_16LE, 2));
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(undecodable(name));
        }
        return Ok((text.into_owned(), "UTF-16（Unicode 文本）"));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(file_problem(format!(
            "文件“{name}”不是表格文件，也不是文本（里面有二进制内容）。请选择 Excel 表格（.xlsx、.xls）或 .csv 文件。"
        )));
    }
    let trimmed = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .copied()
        .collect::<Vec<u8>>();
    let lower = String::from_utf8_lossy(&trimmed).to_ascii_lowercase();
    if lower.starts_with("<!doctype")
        || lower.starts_with("<html")
        || lower.starts_with("<table")
        || lower.starts_with("<?xml")
    {
        return Err(file_problem(format!(
            "文件“{name}”其实是网页（HTML/XML）格式，只是扩展名像表格（一些系统导出的 .xls 就是这样）。请用 Excel 或 WPS 打开它，“另存为”Excel 工作簿（.xlsx）后再导入。"
        )));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), "GBK/GB18030")),
        None => Err(undecodable(name)),
    }
}

fn undecodable(name: &str) -> Error {
    file_problem(format!(
        "无法识别文件“{name}”的文字编码（既不是 UTF-8，也不是 GBK）。请用 Excel 或 WPS 打开它，另存为 Excel 工作簿（.xlsx）后再导入。"
    ))
}

/// Counts a separator per line outside quotes over the first lines; the separator that
/// appears the same non-zero number of times on most lines wins (tab, comma, semicolon).
pub fn guess_delimiter(text: &str) -> char {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (',', 0usize, 0usize);
    for d in ['\t', ',', ';'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| {
                let mut quoted = false;
                l.chars()
                    .filter(|&c| {
                        if c == '"' {
                            quoted = !quoted;
                        }
                        c == d && !quoted
                    })
                    .count()
            })
            .collect();
        let mut freq = std::collections::HashMap::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_insert(0usize) += 1;
        }
        let (lines_agreeing, per_line) = freq
            .into_iter()
            .map(|(c, n)| (n, c))
            .max()
            .unwrap_or((0, 0));
        if (lines_agreeing, per_line) > (best.1, best.2) {
            best = (d, lines_agreeing, per_line);
        }
    }
    best.0
}

/// RFC 4180 with the usual liberties: quotes only matter at the start of a field, a stray
/// quote inside a field is kept, CRLF or LF ends a record.
fn parse(
    name: &str,
    text: &str,
    d: char,
    rows_read: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> Result<Vec<Vec<Cell>>> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    let mut quoted = false;
    let mut was_quoted = false;
    let finish_field = |row: &mut Vec<Cell>, field: &mut String, was_quoted: bool| -> Result<()> {
        let f = std::mem::take(field);
        let cell = if was_quoted {
            if f.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(f)
            }
        } else {
            unwrap_excel_text(&f)
        };
        if !cell.is_empty() && row.len() >= MAX_COLS {
            return Err(file_problem(format!(
                "文件“{name}”有一行超过了 {MAX_COLS} 列的上限。花名册一般只有十几列：请删除用不到的列后再导入；也可能是分隔符不对，请用 Excel 打开后另存为 .xlsx。"
            )));
        }
        row.push(cell);
        Ok(())
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else if c == '\r' && chars.peek() == Some(&'\n') {
                // A line break inside a cell is CRLF in a Windows file; the cell keeps "\n".
            } else {
                field.push(c);
            }
            continue;
        }
        if c == '"' && at_start {
            quoted = true;
            was_quoted = true;
            at_start = false;
            continue;
        }
        if c == d {
            finish_field(&mut row, &mut field, was_quoted)?;
            at_start = true;
            was_quoted = false;
            continue;
        }
        if c == '\r' || c == '\n' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            finish_field(&mut row, &mut field, was_quoted)?;
            end_row(&mut rows, &mut row);
            if rows.len() > MAX_ROWS {
                return Err(file_problem(format!(
                    "文件“{name}”有 {MAX_ROWS} 行以上，超过了上限。请按村拆分成几个文件分别导入。"
                )));
            }
            if rows.len() % 5000 == 0 {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                rows_read(rows.len() as u64);
            }
            at_start = true;
            was_quoted = false;
            continue;
        }
        at_start = false;
        field.push(c);
    }
    if !field.is_empty() || !row.is_empty() || was_quoted {
        finish_field(&mut row, &mut field, was_quoted)?;
        end_row(&mut rows, &mut row);
    }
    rows_read(rows.len() as u64);
    Ok(rows)
}

fn end_row(rows: &mut Vec<Vec<Cell>>, row: &mut Vec<Cell>) {
    let mut r = std::mem::take(row);
    while r.last().is_some_and(Cell::is_empty) {
        r.pop();
    }
    rows.push(r);
}

/// `="0123"` (how some systems keep leading zeros in a CSV) → `0123`.
fn unwrap_excel_text(f: &str) -> Cell {
    let t = f.trim();
    if let Some(inner) = t.strip_prefix("=\"").and_then(|s| s.strip_suffix('"')) {
        return text_cell(inner);
    }
    text_cell(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        let d = guess_delimiter(text);
        parse("t.csv", text, d, &mut |_| {}, &AtomicBool::new(false))
            .unwrap()
            .into_iter()
            .map(|r| r.iter().map(|c| c.text()).collect())
            .collect()
    }

    #[test]
    fn quoted_fields_keep_separators_quotes_and_newlines() {
        let r = rows("姓名,地址\r\n张三,\"黄河村\n3号,东\"\r\n\"李\"\"四\",x\n");
        assert_eq!(r[1], vec!["张三", "黄河村\n3号,东"]);
        assert_eq!(r[2], vec!["李\"四", "x"]);
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn the_separator_is_guessed_from_the_lines() {
        assert_eq!(guess_delimiter("a\tb\tc\n1\t2,5\t3\n"), '\t');
        assert_eq!(guess_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), ';');
        assert_eq!(guess_delimiter("a,b,c\n1,2,3\n"), ',');
    }

    #[test]
    fn gbk_text_is_recognised() {
        let (bytes, _, _) = encoding_rs::GBK.encode("户主姓名,身份证号\n张三,1\n");
        let (text, enc) = decode("a.csv", &bytes).unwrap();
        assert_eq!(enc, "GBK/GB18030");
        assert!(text.starts_with("户主姓名"));
        let (text, enc) = decode("a.csv", "\u{feff}户主".as_bytes()).unwrap();
        assert_eq!((text.as_str(), enc), ("户主", "UTF-8"));
    }

    #[test]
    fn excel_text_formulas_are_unwrapped() {
        assert_eq!(unwrap_excel_text("=\"0123\"").text(), "0123");
    }
}
