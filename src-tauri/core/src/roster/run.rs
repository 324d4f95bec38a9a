//! One import from start to end: locate the table, apply the mapping, check and write every
//! row inside one transaction, then commit — or roll back for a dry run, a cancel, an error,
//! or problems when the user chose "有问题就全部不导入". The dry run is the same code rolled
//! back, so what the preview promises is exactly what the import does.

use super::detect::{self, ColumnMap, Header, SkippedLine};
use super::fields::{column_letter, Field, ImportKind};
use super::households::Feed;
use super::{history, Book, Cell, Sheet};
use crate::audit::{AuditEntity, Level};
use crate::error::{Error, Result};
use crate::Store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum ImportMode {
    /// 仅新增: rows whose person is already registered are skipped and listed.
    #[default]
    Add,
    /// 新增并更新: registered people are updated field by field (old → new listed).
    Upsert,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    pub kind: ImportKind,
    #[serde(default)]
    pub sheet: Option<String>,
    /// Excel's row number of the header; `None` detects it.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// The user's mapping; `None` takes the remembered or guessed one.
    #[serde(default)]
    pub mapping: Option<Vec<ColumnMap>>,
    #[serde(default)]
    pub mode: ImportMode,
    /// 试运行: check everything, write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// 有问题的行跳过，其余导入 (otherwise any problem stops the whole import).
    #[serde(default)]
    pub skip_bad: bool,
    /// Create villages, groups (and tags) the file names but the register lacks.
    #[serde(default)]
    pub create_missing: bool,
    /// The village of every row, for a file without a village column (otherwise the one its
    /// title or file name names is taken).
    #[serde(default)]
    pub village: Option<String>,
    /// A 民情诉求台账: a row marked closed without its result, reply or closing date comes in
    /// as 办理中 (or 登记 without a unit) instead of being a problem.
    #[serde(default)]
    pub incomplete_as_open: bool,
}

impl ImportOptions {
    pub fn new(kind: ImportKind) -> Self {
        ImportOptions {
            kind,
            sheet: None,
            header_row: None,
            mapping: None,
            mode: ImportMode::Add,
            dry_run: false,
            skip_bad: false,
            create_missing: false,
            village: None,
            incomplete_as_open: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum Stage {
    Read,
    Check,
    Write,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
}

/// One problem in the file's own terms: sheet, the row number Excel shows, column letter and
/// header, the value, what is wrong and what to do.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub header: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A registered household (or cadre) the file changes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RowChange {
    pub row: u32,
    pub name: String,
    /// Masked ID (households) or unit (cadres).
    pub key: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ExistingRow {
    pub row: u32,
    pub name: String,
    pub key: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct NameCount {
    pub name: String,
    pub rows: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub kind: ImportKind,
    pub file: String,
    pub sheet: String,
    pub header_row: u32,
    pub header_rows: u32,
    /// Field key → column letter.
    pub mapping: BTreeMap<String, String>,
    /// Data rows under the header.
    pub rows: u32,
    /// New records written (or, when nothing was written, that would have been).
    pub imported: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Rows not written: already registered in 仅新增 mode, or with problems when skipped.
    pub skipped: u32,
    pub problems: Vec<Problem>,
    pub problem_rows: u32,
    /// All problems, when `problems` was shortened for the screen.
    pub problems_total: u32,
    pub existing: Vec<ExistingRow>,
    pub changes: Vec<RowChange>,
    pub changes_total: u32,
    pub new_villages: Vec<NameCount>,
    pub new_groups: Vec<NameCount>,
    pub new_tags: Vec<NameCount>,
    /// Tags not in the dictionary and not created: left off those rows.
    pub unknown_tags: Vec<NameCount>,
    pub skipped_lines: Vec<SkippedLine>,
    pub dry_run: bool,
    /// The transaction was committed.
    pub written: bool,
    /// Problems stopped the import (nothing written).
    pub blocked: bool,
    pub history_id: Option<i64>,
    pub backup: Option<String>,
    /// The file has no village column: the village every row was taken to be in.
    pub village_for_all: Option<detect::VillageForAll>,
    /// A 人口花名册 (a row per person): how its rows became households.
    pub per_person: Option<super::persons::PersonRoster>,
    /// A 民情诉求台账: units and categories the register lacks (created when confirmed).
    pub new_units: Vec<NameCount>,
    pub new_categories: Vec<NameCount>,
    /// A 民情诉求台账: requests that kept the file's own number.
    pub kept_numbers: u32,
}

impl ImportReport {
    /// The report for the screen: at most `n` problems and changes (the CLI and the problem
    /// list get them all).
    pub fn shortened(mut self, n: usize) -> Self {
        self.problems.truncate(n);
        self.changes.truncate(n);
        self.existing.truncate(n);
        self
    }
}

/// What the row checkers need to know about the table.
pub(crate) struct Ctx<'a> {
    pub sheet: &'a Sheet,
    pub header: &'a Header,
    pub cols: BTreeMap<Field, usize>,
    pub opts: &'a ImportOptions,
    pub today: NaiveDate,
    pub now: String,
    /// A value every row has although the file has no column for it: the village the user
    /// chose, or the one the title or file name names.
    pub fixed: BTreeMap<Field, Cell>,
    /// Values a row gets from its family in a 人口花名册 (家庭人口, the members' tags…):
    /// (sheet row, field) → value, in place of the row's own cell.
    pub derived: std::collections::HashMap<(usize, Field), Cell>,
    /// The fields `derived` gives.
    pub derived_fields: std::collections::BTreeSet<Field>,
}

impl Ctx<'_> {
    /// The same table and choices over another piece of the sheet.
    pub fn over<'b>(&'b self, sheet: &'b Sheet) -> Ctx<'b> {
        Ctx {
            sheet,
            header: self.header,
            cols: self.cols.clone(),
            opts: self.opts,
            today: self.today,
            now: self.now.clone(),
            fixed: self.fixed.clone(),
            derived: self.derived.clone(),
            derived_fields: self.derived_fields.clone(),
        }
    }

    pub fn cell(&self, row: usize, f: Field) -> &Cell {
        if let Some(c) = self.derived.get(&(row, f)) {
            return c;
        }
        match self.cols.get(&f) {
            Some(&c) => self.sheet.cell(row, c),
            None => self.fixed.get(&f).unwrap_or(&Cell::Empty),
        }
    }

    /// Whether the file gives this field (a column, a value for every row, or a value
    /// counted from the family): an update leaves fields it does not give alone.
    pub fn has(&self, f: Field) -> bool {
        self.cols.contains_key(&f)
            || self.fixed.contains_key(&f)
            || self.derived_fields.contains(&f)
    }

    /// A problem at a row, in the column of `f` (or the row's first mapped column).
    pub fn problem(&self, row: usize, f: Option<Field>, message: impl Into<String>) -> Problem {
        let col = f.and_then(|f| self.cols.get(&f).copied());
        Problem {
            sheet: self.sheet.name.clone(),
            row: row as u32 + 1,
            column: col.map(column_letter).unwrap_or_default(),
            header: col
                .and_then(|c| self.header.display.get(c).cloned())
                .unwrap_or_default(),
            value: col
                .map(|c| super::output::masked_sample(f, self.sheet.cell(row, c)))
                .unwrap_or_default(),
            message: message.into(),
        }
    }

    /// A cell's text; a whole number (a phone or a group typed as a number) in all its digits,
    /// not as Excel would show a long one; a formula without a value or an error value becomes
    /// a problem and the text is empty.
    pub fn digits_or_text(&self, row: usize, f: Field, problems: &mut Vec<Problem>) -> String {
        match self.cell(row, f) {
            Cell::Number(n) if n.fract() == 0.0 && *n > 0.0 && *n < 1e15 => {
                format!("{}", *n as i64)
            }
            _ => self.text_or_problem(row, f, problems),
        }
    }

    /// A cell's text; a formula without a value or an error value becomes a problem.
    pub fn text_or_problem(&self, row: usize, f: Field, problems: &mut Vec<Problem>) -> String {
        self.text(row, f).unwrap_or_else(|p| {
            problems.push(*p);
            String::new()
        })
    }

    /// A cell's text, or a problem when the cell holds a formula without a value or an
    /// Excel error.
    pub fn text(&self, row: usize, f: Field) -> std::result::Result<String, Box<Problem>> {
        match self.cell(row, f) {
            Cell::Formula(formula) => Err(Box::new(self.problem(
                row,
                Some(f),
                format!(
                    "这一格是公式“={}”，文件里没有它算出的结果。请在 Excel/WPS 中打开文件，选中整列，复制后“选择性粘贴 → 数值”，保存后再导入。",
                    formula.chars().take(40).collect::<String>()
                ),
            ))),
            Cell::Error(e) => Err(Box::new(self.problem(
                row,
                Some(f),
                format!("这一格是 Excel 错误值“{e}”。请在原表中改成正确的内容后再导入。"),
            ))),
            c => Ok(c.text()),
        }
    }
}

/// Tells the caller how far the work is; checks the cancel flag every 1,000 rows.
pub(crate) struct Ticker<'a> {
    pub progress: &'a mut dyn FnMut(ImportProgress),
    pub cancel: &'a AtomicBool,
}

impl Ticker<'_> {
    /// The second pass: "writing", or "checking" for a dry run.
    pub fn writing(&mut self, dry_run: bool, done: usize, total: usize) -> Result<()> {
        self.tick(
            if dry_run { Stage::Check } else { Stage::Write },
            done,
            total,
        )
    }

    /// `Err(Cancelled)` once the user pressed 取消.
    pub fn cancelled(&self) -> Result<()> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    pub fn tick(&mut self, stage: Stage, done: usize, total: usize) -> Result<()> {
        if done % 1000 == 0 || done == total {
            self.cancelled()?;
            (self.progress)(ImportProgress {
                stage,
                done: done as u64,
                total: total as u64,
            });
        }
        Ok(())
    }
}

/// Checks and (unless a dry run, or blocked by problems) writes one file's rows.
pub fn run_import(
    store: &Store,
    book: &Book,
    opts: &ImportOptions,
    today: NaiveDate,
    progress: &mut dyn FnMut(ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let loc = detect::locate(book, opts.kind, opts.sheet.as_deref(), opts.header_row)?;
    let ticker = Ticker { progress, cancel };
    execute(store, &book.file_name, &loc, None, opts, today, ticker)
}

/// The rest of a sheet still being read: its pieces, and its height as the file states it.
type Rest<'r> = (&'r mut dyn FnMut() -> Result<Option<Sheet>>, usize);

/// [`run_import`] from a file's path. A household roster in .xlsx is written while it is still
/// being read: a second thread reads the sheet and hands over pieces of 2,048 rows, so reading
/// and writing overlap. The rows are checked and written exactly as [`run_import`] does (the
/// same code, fed piece by piece). Any other file, or one whose header is not among its first
/// rows, is read whole first.
pub fn import_file(
    store: &Store,
    path: &std::path::Path,
    opts: &ImportOptions,
    today: NaiveDate,
    progress: &mut dyn FnMut(ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    use super::read::{self, Piece};
    let whole = |progress: &mut dyn FnMut(ImportProgress)| -> Result<ImportReport> {
        let book = read::read_file(
            path,
            &mut |n| {
                progress(ImportProgress {
                    stage: Stage::Read,
                    done: n,
                    total: 0,
                })
            },
            cancel,
        )?;
        run_import(store, &book, opts, today, progress, cancel)
    };
    if opts.kind != ImportKind::Households {
        return whole(progress);
    }
    // Enough rows to find the header and to see 20 data rows under it.
    let head_rows = detect::HEADER_SEARCH_ROWS + 30 + opts.header_row.unwrap_or(0) as usize;
    let unordered = std::cell::Cell::new(false);
    let streamed = std::thread::scope(|scope| -> Result<Option<ImportReport>> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<Piece>>(4);
        let sheet = opts.sheet.clone();
        scope.spawn(move || {
            let sent = read::stream_file(
                path,
                sheet.as_deref(),
                head_rows,
                &mut |p| send.send(Ok(p)).is_ok(),
                cancel,
            );
            if let Err(e) = sent {
                let _ = send.send(Err(e));
            }
        });
        let next = || -> Result<Piece> {
            receive.recv().unwrap_or_else(|_| {
                Err(Error::invalid(
                    "file",
                    "读取文件时意外中断，没有导入任何内容。请重试；如果一再出现，请在 Excel/WPS 中把文件另存为 .xlsx 后再导入。",
                ))
            })
        };
        match next()? {
            Piece::Whole(book) => run_import(store, &book, opts, today, progress, cancel).map(Some),
            Piece::Head(book, height) => {
                let sheet = &book.sheets[0];
                if opts.header_row.is_none() && detect::find_header(opts.kind, sheet).is_none() {
                    // Not a table this reading can take apart: read it whole (the screen's
                    // messages for such files come from there).
                    return Ok(None);
                }
                let loc = detect::locate(&book, opts.kind, opts.sheet.as_deref(), opts.header_row)?;
                // A 人口花名册's families can span pieces: read it whole.
                if resolve_mapping(store, opts, &loc)?
                    .iter()
                    .any(|m| matches!(m.field, Field::Relation | Field::HouseholdNo))
                {
                    return Ok(None);
                }
                let name = sheet.name.clone();
                let mut pieces = || -> Result<Option<Sheet>> {
                    match next()? {
                        Piece::Rows(first, rows) => Ok(Some(Sheet::piece(&name, first, rows))),
                        Piece::End => Ok(None),
                        Piece::Unordered | Piece::Head(..) | Piece::Whole(_) => {
                            unordered.set(true);
                            Err(Error::Cancelled)
                        }
                    }
                };
                execute(
                    store,
                    &book.file_name,
                    &loc,
                    Some((&mut pieces, height)),
                    opts,
                    today,
                    Ticker { progress, cancel },
                )
                .map(Some)
            }
            Piece::Unordered | Piece::Rows(..) | Piece::End => Ok(None),
        }
    });
    match streamed {
        Ok(Some(report)) => Ok(report),
        Ok(None) => whole(progress),
        // Rolled back; start again from the file read whole.
        Err(Error::Cancelled) if unordered.get() => whole(progress),
        Err(e) => Err(e),
    }
}

fn execute(
    store: &Store,
    file_name: &str,
    loc: &detect::Located<'_>,
    rest: Option<Rest<'_>>,
    opts: &ImportOptions,
    today: NaiveDate,
    mut ticker: Ticker<'_>,
) -> Result<ImportReport> {
    let kind = opts.kind;
    let mapping = resolve_mapping(store, opts, loc)?;
    let mut cols: BTreeMap<Field, usize> = BTreeMap::new();
    for m in &mapping {
        cols.insert(m.field, m.column as usize);
    }
    // A file without a village column: every row is in the village the user chose, or the one
    // its title or file name names.
    let chosen = opts
        .village
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let mut village_for_all = None;
    if kind.has_village() {
        match (cols.get(&Field::Village), chosen) {
            (Some(&c), Some(v)) => {
                return Err(Error::invalid(
                    "village",
                    format!(
                        "文件里已经有“村（社区）”这一列（{} 列），不能再指定所有行都在“{v}”。请取消这一列的对应，或不指定村。",
                        column_letter(c)
                    ),
                ))
            }
            (Some(_), None) => {}
            (None, Some(v)) => {
                village_for_all = Some(detect::VillageForAll {
                    name: super::values::village_name(v),
                    from: "您的选择".into(),
                })
            }
            (None, None) => {
                let known = detect::known_villages(store)?;
                village_for_all = detect::village_in_title(&known, loc, file_name);
            }
        }
    }
    let mut fixed = BTreeMap::new();
    if let Some(v) = &village_for_all {
        fixed.insert(Field::Village, Cell::Text(v.name.clone()));
    }
    let missing: Vec<Field> = kind
        .fields()
        .iter()
        .copied()
        .filter(|f| f.required(kind) && !cols.contains_key(f) && !fixed.contains_key(f))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|f| f.label_in(kind)).collect();
        return Err(Error::invalid(
            "mapping",
            if missing.contains(&Field::Village) {
                format!(
                    "还没有找到必需的列：{}。文件的标题和文件名里也看不出是哪个村：请在列对应表中为“村（社区）”选一列，或指定所有行所在的村（命令行加 --village 村名）。",
                    names.join("、")
                )
            } else {
                format!(
                    "还没有找到必需的列：{}。请在列对应表中为它们各选一列；如果文件里确实没有，请先在原表中补上这一列。",
                    names.join("、")
                )
            },
        ));
    }
    let mut ctx = Ctx {
        sheet: loc.sheet,
        header: &loc.header,
        cols,
        opts,
        today,
        now: crate::now_text(),
        fixed,
        derived: Default::default(),
        derived_fields: Default::default(),
    };
    // A 人口花名册: only the 户主 rows are households (read whole: see `import_file`).
    let families = if kind == ImportKind::Households && rest.is_none() {
        super::persons::group(&ctx, &loc.data)
    } else {
        None
    };
    let mut problems = Vec::new();
    let mut per_person = None;
    let data: Vec<usize> = match families {
        Some(f) => {
            ctx.derived = f.derived;
            ctx.derived_fields = f.derived_fields;
            problems = f.problems;
            per_person = Some(f.summary);
            f.heads
        }
        None => loc.data.clone(),
    };
    let mut report = ImportReport {
        kind,
        file: file_name.to_string(),
        sheet: loc.sheet.name.clone(),
        header_row: loc.header.row as u32 + 1,
        header_rows: loc.header.rows as u32,
        mapping: ctx
            .cols
            .iter()
            .map(|(f, c)| (f.key().to_string(), column_letter(*c)))
            .collect(),
        rows: loc.data.len() as u32,
        imported: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        problems,
        problem_rows: 0,
        problems_total: 0,
        existing: Vec::new(),
        changes: Vec::new(),
        changes_total: 0,
        new_villages: Vec::new(),
        new_groups: Vec::new(),
        new_tags: Vec::new(),
        unknown_tags: Vec::new(),
        skipped_lines: loc.skipped.clone(),
        dry_run: opts.dry_run,
        written: false,
        blocked: false,
        history_id: None,
        backup: None,
        village_for_all,
        per_person,
        new_units: Vec::new(),
        new_categories: Vec::new(),
        kept_numbers: 0,
    };
    let no_data = Error::invalid(
        "file",
        format!(
            "工作表“{}”第 {} 行的表头下面没有数据。请确认选对了工作表和表头行。",
            loc.sheet.name,
            report.header_row + report.header_rows - 1
        ),
    );
    if loc.data.is_empty() && rest.is_none() {
        return Err(no_data);
    }
    if !opts.dry_run {
        report.backup =
            crate::db::backup::before_import(store, chrono::Local::now().naive_local())?
                .map(|b| b.path.display().to_string());
    }
    let signature = detect::signature(kind, &loc.header.labels);
    let report = store.write_if(|tx| {
        // One summary line for the new records (below); updates are recorded field by field.
        store.with_audit_level(Level::ChangesOnly, || -> Result<()> {
            match (kind, rest) {
                (ImportKind::Households, None) => super::households::import(
                    store,
                    tx,
                    &ctx,
                    Feed::Whole(&data),
                    data.len(),
                    &mut report,
                    &mut ticker,
                ),
                (ImportKind::Households, Some((next, height))) => {
                    // The head's rows first, then each piece as it is read.
                    let mut head = Some((loc.sheet.clone(), loc.data.clone()));
                    let mut skipped = Vec::new();
                    let mut rows = loc.data.len();
                    let mut feed = || -> Result<Option<(Sheet, Vec<usize>)>> {
                        if let Some(h) = head.take() {
                            return Ok(Some(h));
                        }
                        let Some(piece) = next()? else {
                            return Ok(None);
                        };
                        let (data, skip) = detect::data_rows_in(&piece, &loc.header);
                        rows += data.len();
                        skipped.extend(skip);
                        Ok(Some((piece, data)))
                    };
                    let expected = height.saturating_sub(loc.header.row + loc.header.rows);
                    super::households::import(
                        store,
                        tx,
                        &ctx,
                        Feed::Chunks(&mut feed),
                        expected,
                        &mut report,
                        &mut ticker,
                    )?;
                    if rows == 0 {
                        return Err(no_data);
                    }
                    report.rows = rows as u32;
                    report.skipped_lines.extend(skipped);
                    Ok(())
                }
                (ImportKind::Cadres, _) => {
                    super::cadres::import(tx, &ctx, &loc.data, &mut report, &mut ticker)
                }
                (ImportKind::Requests, _) => {
                    super::requests::import(tx, &ctx, &loc.data, &mut report, &mut ticker)
                }
                (ImportKind::Diary, _) => {
                    super::diary::import(tx, &ctx, &loc.data, &mut report, &mut ticker)
                }
            }
        })?;
        // A row with a problem is not written; with 跳过 it counts as skipped.
        report.problems.sort_by_key(|p| p.row);
        report.problems_total = report.problems.len() as u32;
        report.problem_rows = bad_rows(&report).len() as u32;
        report.skipped += report.problem_rows;
        report.changes_total = report.changes.len() as u32;
        report.blocked = report.problem_rows > 0 && !opts.skip_bad;
        if report.blocked || opts.dry_run {
            return Ok((report, false));
        }
        ticker.cancelled()?;
        report.history_id = Some(history::record(
            tx,
            &report,
            opts.mode,
            opts.create_missing,
            &ctx.now,
        )?);
        history::save_mapping(tx, kind, &signature, &mapping, &ctx.now)?;
        crate::audit::note(
            tx,
            match kind {
                ImportKind::Households => AuditEntity::Household,
                ImportKind::Cadres => AuditEntity::Cadre,
                ImportKind::Requests => AuditEntity::Request,
                // Visits belong to households (the trail has no entity of its own for them).
                ImportKind::Diary => AuditEntity::Household,
            },
            None,
            &report.file,
            "导入",
            &format!(
                "新增 {}，更新 {}，跳过 {}",
                report.imported, report.updated, report.skipped
            ),
        )?;
        report.written = true;
        Ok((report, true))
    })?;
    if report.written && report.imported > 0 {
        store.optimize()?;
    }
    Ok(report)
}

/// The user's mapping, checked against the table, or the remembered or guessed one.
fn resolve_mapping(
    store: &Store,
    opts: &ImportOptions,
    loc: &detect::Located<'_>,
) -> Result<Vec<ColumnMap>> {
    let kind = opts.kind;
    let width = loc.header.labels.len();
    let mapping: Vec<ColumnMap> = match &opts.mapping {
        Some(m) => m.clone(),
        None => detect::auto_mapping(store, kind, loc)?
            .0
            .iter()
            .enumerate()
            .filter_map(|(c, m)| {
                m.as_ref().map(|(f, _)| ColumnMap {
                    column: c as u32,
                    field: *f,
                })
            })
            .collect(),
    };
    let mut cols: BTreeMap<Field, usize> = BTreeMap::new();
    for m in &mapping {
        if !kind.fields().contains(&m.field) {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "“{}”不是{}的内容，请重新选择列的对应。",
                    m.field.label_in(kind),
                    kind.label()
                ),
            ));
        }
        if (m.column as usize) >= width.max(loc.sheet.width()) {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "第 {} 列（{}）不在表格中，请重新选择列的对应。",
                    m.column + 1,
                    column_letter(m.column as usize)
                ),
            ));
        }
        if let Some(prev) = cols.insert(m.field, m.column as usize) {
            if prev != m.column as usize {
                return Err(Error::invalid(
                    "mapping",
                    format!(
                        "“{}”同时对应了 {} 列和 {} 列。一项内容只能来自一列，请取消其中一列。",
                        m.field.label_in(kind),
                        column_letter(prev),
                        column_letter(m.column as usize)
                    ),
                ));
            }
        }
    }
    Ok(mapping)
}

/// The rows (as Excel numbers them) that have a problem: never written.
pub(crate) fn bad_rows(report: &ImportReport) -> std::collections::HashSet<u32> {
    report.problems.iter().map(|p| p.row).collect()
}

/// Maps an error of the register's form checks to the import field it concerns.
pub(crate) fn field_of(e: &Error) -> Option<Field> {
    Some(match e.field()? {
        "headName" => Field::HeadName,
        "idNumber" => Field::IdNumber,
        "phone" => Field::Phone,
        "address" => Field::Address,
        "size" => Field::Size,
        "note" => Field::Note,
        "villageId" | "villageIds" => Field::Village,
        "groupId" => Field::Group,
        "tagIds" => Field::Tags,
        "name" => Field::Name,
        "unit" => Field::Unit,
        "title" => Field::Title,
        _ => return None,
    })
}

/// Creates the villages the file names and the register lacks (the user confirmed), by name.
pub(crate) fn create_villages(
    tx: &rusqlite::Connection,
    names: &[NameCount],
) -> Result<std::collections::HashMap<String, i64>> {
    names
        .iter()
        .map(|v| Ok((v.name.clone(), create_village(tx, &v.name)?)))
        .collect()
}

/// Creates one village the file names and the register lacks (the user confirmed).
pub(crate) fn create_village(tx: &rusqlite::Connection, name: &str) -> Result<i64> {
    let input = crate::register::villages::VillageInput {
        name: name.to_string(),
        kind: None,
    };
    crate::register::villages::insert_village(tx, &input)
        .map(|v| v.id)
        .map_err(|e| Error::invalid("file", format!("无法新建村“{name}”：{e}")))
}

pub(crate) fn count_names(names: impl IntoIterator<Item = String>) -> Vec<NameCount> {
    count_weighted(names.into_iter().map(|n| (n, 1)))
}

/// Names with their rows, equal names added up, in the order first named.
pub(crate) fn count_weighted(names: impl IntoIterator<Item = (String, u32)>) -> Vec<NameCount> {
    let mut out: Vec<NameCount> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (name, rows) in names {
        match at.get(&name) {
            Some(&i) => out[i].rows += rows,
            None => {
                at.insert(name.clone(), out.len());
                out.push(NameCount { name, rows });
            }
        }
    }
    out
}
