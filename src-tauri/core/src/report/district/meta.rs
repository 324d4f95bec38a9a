//! The figures a report records for its hidden `_meta` sheet, their checksum, and the sheet
//! being written (`Out`, with the report's shared `ReportCtx` and `Book`).

use super::*;

/// Every figure written to a statistics sheet, by cell, for the `_meta` checksum.
#[derive(Default)]
pub(crate) struct Figures {
    pub(super) cells: Vec<(String, String)>,
}

impl Figures {
    pub(crate) fn record(&mut self, sheet: &str, row: u32, col: u16, value: String) {
        self.cells
            .push((format!("{sheet}!{}", row_col_to_cell(row, col)), value));
    }
}

/// FNV-1a (64-bit) over the `_meta` lines ("key=value\n": the report, township, period,
/// totals and every figure by cell), salted with the app's name: what the merge recomputes to
/// tell an edited workbook. Not a secret — a check against edits by hand.
pub fn checksum<'a>(cells: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: &[u8]| {
        for &x in b {
            h ^= x as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat("minqing-figures-v1\n".as_bytes());
    for (c, v) in cells {
        eat(c.as_bytes());
        eat(b"=");
        eat(v.as_bytes());
        eat(b"\n");
    }
    format!("{h:016x}")
}

/// What every sheet of one report shares: the house style, the township, the report's title
/// and 填报单位 line, the day it is written and how personal data appears.
pub(crate) struct ReportCtx<'a> {
    pub s: &'a Style,
    pub town: &'a Township,
    pub title: &'a str,
    pub info: &'a str,
    pub today: NaiveDate,
    pub masking: Masking,
}

/// The workbook being written and the figures its sheets record for `_meta`.
pub(crate) struct Book<'a> {
    pub wb: &'a mut Workbook,
    pub figures: &'a mut Figures,
}

/// A sheet being written: the worksheet, its name and the figures it records.
pub(crate) struct Out<'a> {
    pub ws: &'a mut Worksheet,
    pub name: String,
    pub figures: &'a mut Figures,
}

impl Out<'_> {
    /// An amount (资金, 万元) to four decimals at most.
    pub(crate) fn amount(
        &mut self,
        row: u32,
        col: u16,
        v: f64,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        self.figures
            .record(&self.name, row, col, figure_text(Some(v)));
        self.ws.write_number_with_format(row, col, v, f)?;
        Ok(())
    }
    /// [`Out::sum`] of amounts.
    pub(crate) fn sum_amount(
        &mut self,
        row: u32,
        col: u16,
        first: u32,
        v: f64,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        self.figures
            .record(&self.name, row, col, figure_text(Some(v)));
        let c = rust_xlsxwriter::utility::column_number_to_name(col);
        let formula = if row > first {
            format!("=SUM({c}{}:{c}{})", first + 1, row)
        } else {
            "=0".to_string()
        };
        self.ws.write_formula_with_format(
            row,
            col,
            Formula::new(formula).set_result(figure_text(Some(v))),
            f,
        )?;
        Ok(())
    }
    pub(crate) fn count(
        &mut self,
        row: u32,
        col: u16,
        v: i64,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        self.amount(row, col, v as f64, f)
    }
    pub(crate) fn rate(
        &mut self,
        row: u32,
        col: u16,
        v: Option<f64>,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        self.figures.record(&self.name, row, col, figure_text(v));
        match v {
            Some(x) => self.ws.write_number_with_format(row, col, x, f)?,
            None => self.ws.write_string_with_format(row, col, "—", f)?,
        };
        Ok(())
    }
    /// A count, or "—" when it is not known (a cadre's 应访户数 without a plan).
    pub(super) fn count_or_dash(
        &mut self,
        row: u32,
        col: u16,
        v: i64,
        known: bool,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        if known {
            self.count(row, col, v, f)
        } else {
            self.rate(row, col, None, f)
        }
    }
    /// [`Out::sum`], or "—" when the column's counts are not known.
    pub(super) fn sum_or_dash(
        &mut self,
        row: u32,
        col: u16,
        first: u32,
        v: i64,
        known: bool,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        if known {
            self.sum(row, col, first, v, f)
        } else {
            self.rate(row, col, None, f)
        }
    }
    /// [`Out::ratio`] of the cells in columns `(num, den)`, or "—" when its divisor is not known.
    pub(super) fn ratio_or_dash(
        &mut self,
        row: u32,
        col: u16,
        (num, den): (u16, u16),
        v: Option<f64>,
        known: bool,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        if known {
            self.ratio(row, col, num, den, v, f)
        } else {
            self.rate(row, col, None, f)
        }
    }
    /// `=SUM(…)` over the data lines above, with its value cached for readers that do not
    /// calculate.
    pub(crate) fn sum(
        &mut self,
        row: u32,
        col: u16,
        first: u32,
        v: i64,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        self.sum_amount(row, col, first, v as f64, f)
    }
    /// A rate of the 合计 line as a formula of two count cells of the same line.
    pub(crate) fn ratio(
        &mut self,
        row: u32,
        col: u16,
        num: u16,
        den: u16,
        v: Option<f64>,
        f: &Format,
    ) -> std::result::Result<(), XlsxError> {
        self.figures.record(&self.name, row, col, figure_text(v));
        let (n, d) = (row_col_to_cell(row, num), row_col_to_cell(row, den));
        let cached = v.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
        self.ws.write_formula_with_format(
            row,
            col,
            Formula::new(format!("=IF({d}>0,{n}/{d},\"—\")")).set_result(cached),
            f,
        )?;
        Ok(())
    }
}
