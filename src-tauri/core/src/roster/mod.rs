//! 花名册导入 — bringing in the household and cadre lists villages keep in Excel.
//!
//! The path of a file: [`read`] (bytes → sheets of cells, any format, guarded) →
//! [`detect`] (which sheet, which header row, which column is which field — each with the
//! reason shown to the user) → [`households`] / [`cadres`] (normalize each row, check it by the
//! register's own rules, write everything in one transaction or nothing) → [`output`]
//! (the problem list and the template as .xlsx). [`history`] keeps the import log and the
//! mappings remembered by header signature.

pub mod cadres;
pub mod detect;
pub mod diary;
pub mod fields;
pub mod history;
pub mod households;
pub mod output;
pub mod persons;
mod places;
pub mod read;
pub mod requests;
pub mod run;
pub mod tasks;
pub mod text;
pub mod values;

pub use detect::{inspect, Inspection};
pub use fields::{Field, ImportKind};
pub use run::{
    import_file, run_import, ImportMode, ImportOptions, ImportProgress, ImportReport, Problem,
    Stage,
};

/// One cell as read, before any field's rules apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date (serial days since 1899-12-30).
    Date(f64),
    /// A formula whose value the file does not carry (never calculated or saved by a program
    /// that does not calculate).
    Formula(String),
    /// An Excel error value such as `#N/A`.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as the user sees it in Excel (numbers without a trailing `.0`, dates as
    /// 2026-11-29, big numbers as Excel shows them: 3.20113E+17).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(f) => number_text(*f),
            Cell::Date(serial) => values::serial_date(*serial)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| number_text(*serial)),
            Cell::Formula(f) => format!("={f}"),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A number as Excel's General format shows it: integers up to 11 digits in full, larger
/// ones in scientific notation with 6 significant digits.
pub fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e11 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e11 {
        let exp = f.abs().log10().floor() as i32;
        let mant = f / 10f64.powi(exp);
        let m = format!("{mant:.5}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        return format!("{m}E+{exp:02}");
    }
    let s = format!("{f:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Merged ranges as (first row, first column, last row, last column), zero-based.
pub type Merges = Vec<(u32, u32, u32, u32)>;

/// One worksheet (or the single table of a text file).
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    /// Row 0 is the sheet's first row (Excel's row 1); rows may be ragged.
    pub rows: Vec<Vec<Cell>>,
    pub merges: Merges,
    /// The sheet's row number of `rows[0]`: 0, except for a piece of a sheet being read
    /// while it is imported ([`Sheet::piece`]).
    pub first_row: usize,
}

impl Sheet {
    pub fn new(name: String, rows: Vec<Vec<Cell>>, merges: Merges) -> Sheet {
        Sheet {
            name,
            rows,
            merges,
            first_row: 0,
        }
    }

    /// Rows `first_row..` of a sheet; cells are still addressed by the sheet's row numbers.
    pub fn piece(name: &str, first_row: usize, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: name.to_string(),
            rows,
            merges: Vec::new(),
            first_row,
        }
    }

    /// The cells of a row (by the sheet's row number); empty outside this sheet or piece.
    pub fn row(&self, row: usize) -> &[Cell] {
        row.checked_sub(self.first_row)
            .and_then(|i| self.rows.get(i))
            .map_or(&[], Vec::as_slice)
    }

    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.row(row).get(col).unwrap_or(&Cell::Empty)
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The merged range whose top-left cell holds the value shown at (row, col).
    pub fn merge_origin(&self, row: usize, col: usize) -> Option<(usize, usize)> {
        self.merges
            .iter()
            .find(|(r0, c0, r1, c1)| {
                (*r0 as usize..=*r1 as usize).contains(&row)
                    && (*c0 as usize..=*c1 as usize).contains(&col)
            })
            .map(|(r0, c0, _, _)| (*r0 as usize, *c0 as usize))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "Excel 工作簿（.xlsx）",
            Format::Xls => "Excel 97-2003 工作簿（.xls）",
            Format::Ods => "OpenDocument 表格（.ods）",
            Format::Csv => "文本表格（.csv）",
        }
    }
}

/// A whole file as read.
#[derive(Debug, Clone)]
pub struct Book {
    pub file_name: String,
    pub format: Format,
    /// Text files: the detected encoding.
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheets: Vec<Sheet>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(13800001234.0), "13800001234");
        assert_eq!(number_text(320113198001011234.0), "3.20113E+17");
        assert_eq!(number_text(2.5), "2.5");
    }
}
