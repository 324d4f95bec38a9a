//! Finding the table in a workbook: the sheet, the header row (one row, or two when a merged
//! "联系方式" stands over "手机"/"座机"), which column is which field, and which lines under the
//! header are not households (a row of column numbers, "填表人：" at the end). Every choice
//! comes with the reason the screen shows, and the user can override sheet and header row.

use super::fields::{best_field, column_letter, normalize_header, Field, ImportKind, Strength};
use super::{history, Book, Cell, Sheet};
use crate::error::{Error, Result};
use crate::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How far down a header is looked for.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SheetInfo {
    pub name: String,
    pub rows: u32,
    /// Columns whose header the dictionary recognised (0: probably not a roster).
    pub recognised: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ColumnGuess {
    pub index: u32,
    pub letter: String,
    pub header: String,
    pub field: Option<Field>,
    /// Why this field: 列名一致 / 列名相近 / 按内容判断 / 沿用上次的对应.
    pub how: String,
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    pub field: Field,
    pub label: String,
    pub required: bool,
}

/// A line under the header that is not a household, and why it was passed over.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SkippedLine {
    pub row: u32,
    pub reason: String,
}

/// What the mapping screen shows before anything is checked.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub kind: ImportKind,
    pub file_name: String,
    pub format: String,
    pub encoding: Option<String>,
    pub sheets: Vec<SheetInfo>,
    pub sheet: String,
    pub sheet_reason: String,
    /// Excel's row number of the (first) header row.
    pub header_row: u32,
    /// 1, or 2 for a two-level header.
    pub header_rows: u32,
    pub header_reason: String,
    pub columns: Vec<ColumnGuess>,
    pub fields: Vec<FieldInfo>,
    pub missing_required: Vec<String>,
    /// The mapping came from an earlier import of a file with the same headers.
    pub remembered: bool,
    pub data_rows: u32,
    pub skipped_lines: Vec<SkippedLine>,
    /// No village column: the village the title or file name names, proposed for every row.
    pub village_for_all: Option<VillageForAll>,
    /// The mapping has 与户主关系 or 户号: a row per person, the 户主 rows are the households.
    pub per_person: bool,
}

/// The village of every row of a file that has no village column, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VillageForAll {
    pub name: String,
    /// 标题 / 文件名 / 您的选择.
    pub from: String,
}

/// Characters a village's name does not run across, read backwards from 村/社区:
/// the township or county before it, a year, a preposition.
const NOT_IN_A_NAME: &str = "镇乡区县市省州街道年月日度期份于的在和及与、，,.。 （）()【】[]《》";

/// Words before 村 that do not make a village ("农村人口", "全村", "本村").
const NOT_A_VILLAGE: &[&str] = &[
    "农", "全", "本", "各", "该", "每", "行政", "自然", "新农", "乡",
];

/// The first village named in `text`: a registered village (the longest named), else a word
/// ending in 村 / 社区 / 居委会 ("宿城区龙河镇黄河村2024年人口花名册" → 黄河村).
pub fn village_in_text(known: &[String], text: &str) -> Option<String> {
    let text = crate::validate::halfwidth(text);
    let found = known
        .iter()
        .filter_map(|v| {
            let core = super::values::village_core(v);
            if text.contains(v.as_str()) {
                Some((v.chars().count() + 1, v))
            } else if core.chars().count() >= 2
                && ["村", "社区", "居"]
                    .iter()
                    .any(|k| text.contains(&format!("{core}{k}")))
            {
                Some((core.chars().count(), v))
            } else {
                None
            }
        })
        .max_by_key(|(len, _)| *len);
    if let Some((_, v)) = found {
        return Some(v.clone());
    }
    let chars: Vec<char> = text.chars().collect();
    for i in 1..chars.len() {
        let rest: String = chars[i..].iter().take(3).collect();
        let kind = if rest.starts_with('村') {
            "村"
        } else if rest.starts_with("社区") || rest.starts_with("居委") {
            "社区"
        } else {
            continue;
        };
        let mut j = i;
        while j > 0
            && i - j < 6
            && ('\u{4e00}'..='\u{9fff}').contains(&chars[j - 1])
            && !NOT_IN_A_NAME.contains(chars[j - 1])
        {
            j -= 1;
        }
        let word: String = chars[j..i].iter().collect();
        if word.is_empty() || NOT_A_VILLAGE.contains(&word.as_str()) {
            continue;
        }
        return Some(format!("{word}{kind}"));
    }
    None
}

/// The village a file without a village column names in its title rows or its file name.
pub(crate) fn village_in_title(
    known: &[String],
    loc: &Located<'_>,
    file_name: &str,
) -> Option<VillageForAll> {
    let title = (0..loc.header.row).find_map(|r| {
        loc.sheet.row(r).iter().find_map(|c| match c {
            Cell::Text(t) => village_in_text(known, t),
            _ => None,
        })
    });
    if let Some(name) = title {
        return Some(VillageForAll {
            name,
            from: "标题".into(),
        });
    }
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    village_in_text(known, &stem).map(|name| VillageForAll {
        name,
        from: "文件名".into(),
    })
}

/// A column the user (or the guess) gave a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMap {
    pub column: u32,
    pub field: Field,
}

/// The header rows chosen and the labels they give each column.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub row: usize,
    pub rows: usize,
    /// What the screen shows ("联系方式 / 手机").
    pub display: Vec<String>,
    /// What is matched against the dictionary (the lower row when there are two).
    pub labels: Vec<String>,
}

pub(crate) struct Located<'a> {
    pub sheet: &'a Sheet,
    pub sheet_reason: String,
    pub header: Header,
    pub header_reason: String,
    /// Data rows (zero-based sheet rows) in order.
    pub data: Vec<usize>,
    pub skipped: Vec<SkippedLine>,
}

fn cell_label(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.trim().replace(['\n', '\r'], ""),
        _ => String::new(),
    }
}

fn labels_one(sheet: &Sheet, r: usize) -> Header {
    let w = sheet.width();
    let labels: Vec<String> = (0..w).map(|c| cell_label(sheet.cell(r, c))).collect();
    Header {
        row: r,
        rows: 1,
        display: labels.clone(),
        labels,
    }
}

/// Two header rows: the upper label spreads over its merged cells; the lower one names the
/// column where present ("手机" under "联系方式").
fn labels_two(sheet: &Sheet, r: usize) -> Header {
    let w = sheet.width();
    let mut display = Vec::with_capacity(w);
    let mut labels = Vec::with_capacity(w);
    for c in 0..w {
        let mut upper = cell_label(sheet.cell(r, c));
        if upper.is_empty() {
            if let Some((r0, c0)) = sheet.merge_origin(r, c) {
                if r0 == r {
                    upper = cell_label(sheet.cell(r0, c0));
                }
            }
        }
        let lower = cell_label(sheet.cell(r + 1, c));
        let lower_is_upper = sheet.merge_origin(r + 1, c) == Some((r, c));
        if lower.is_empty() || lower_is_upper {
            display.push(upper.clone());
            labels.push(upper);
        } else if upper.is_empty() {
            display.push(lower.clone());
            labels.push(lower);
        } else {
            display.push(format!("{upper} / {lower}"));
            labels.push(lower);
        }
    }
    Header {
        row: r,
        rows: 2,
        display,
        labels,
    }
}

/// Each column's field by the dictionary, each field to at most one column (the strongest
/// header wins: exact before contained, longer word before shorter, earlier synonym first).
pub(crate) fn guess_mapping(kind: ImportKind, labels: &[String]) -> Vec<Option<(Field, Strength)>> {
    let mut cands: Vec<(Strength, usize, Field)> = labels
        .iter()
        .enumerate()
        .filter_map(|(c, h)| best_field(kind, h).map(|(f, s)| (s, c, f)))
        .collect();
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = vec![None; labels.len()];
    let mut taken = Vec::new();
    for (s, c, f) in cands {
        if !taken.contains(&f) {
            taken.push(f);
            out[c] = Some((f, s));
        }
    }
    out
}

fn score(kind: ImportKind, labels: &[String]) -> u32 {
    guess_mapping(kind, labels)
        .iter()
        .flatten()
        .map(|(f, s)| (if s.exact { 2 } else { 1 }) + u32::from(f.required(kind)))
        .sum()
}

fn looks_like_data(c: &Cell) -> bool {
    match c {
        Cell::Number(_) | Cell::Date(_) => true,
        Cell::Text(s) => s.chars().filter(|c| c.is_ascii_digit()).count() >= 6,
        _ => false,
    }
}

/// Row r+1 completes row r as a lower header row: no data-like cells, fewer cells than the
/// upper row, and either a recognised word or a merged cell over it.
fn is_lower_header(kind: ImportKind, sheet: &Sheet, r: usize) -> bool {
    let Some(lower) = sheet.rows.get(r + 1) else {
        return false;
    };
    let filled: Vec<usize> = (0..lower.len()).filter(|&c| !lower[c].is_empty()).collect();
    let upper_filled = sheet.rows[r].iter().filter(|c| !c.is_empty()).count();
    // A title above the header has one cell; a header's upper row has several, and more
    // than the lower row under it.
    if filled.is_empty() || upper_filled < 2 || filled.len() >= upper_filled {
        return false;
    }
    if filled.iter().any(|&c| looks_like_data(&lower[c])) {
        return false;
    }
    sheet_has_merge_in(sheet, r)
        || filled
            .iter()
            .any(|&c| best_field(kind, &cell_label(&lower[c])).is_some())
}

fn sheet_has_merge_in(sheet: &Sheet, r: usize) -> bool {
    sheet
        .merges
        .iter()
        .any(|(r0, c0, _, c1)| *r0 as usize == r && c1 > c0)
}

/// The best header of a sheet and its score.
pub(crate) fn find_header(kind: ImportKind, sheet: &Sheet) -> Option<(Header, u32)> {
    let mut best: Option<(Header, u32)> = None;
    for r in 0..sheet.rows.len().min(HEADER_SEARCH_ROWS) {
        let one = labels_one(sheet, r);
        let mut cand = (score(kind, &one.labels), one);
        if is_lower_header(kind, sheet, r) {
            let two = labels_two(sheet, r);
            let s2 = score(kind, &two.labels);
            if s2 >= cand.0 {
                cand = (s2, two);
            }
        }
        if cand.0 > 0 && best.as_ref().is_none_or(|b| cand.0 > b.1) {
            best = Some((cand.1, cand.0));
        }
    }
    best
}

fn header_at(kind: ImportKind, sheet: &Sheet, row: usize) -> Header {
    if is_lower_header(kind, sheet, row) {
        labels_two(sheet, row)
    } else {
        labels_one(sheet, row)
    }
}

fn quoted(names: &[String], max: usize) -> String {
    let mut s: Vec<String> = names.iter().take(max).map(|n| format!("“{n}”")).collect();
    if names.len() > max {
        s.push(format!("等 {} 个", names.len()));
    }
    s.join("")
}

/// Finds (or takes the user's) sheet and header row, and the rows of data under it.
pub(crate) fn locate<'a>(
    book: &'a Book,
    kind: ImportKind,
    sheet_name: Option<&str>,
    header_row: Option<u32>,
) -> Result<Located<'a>> {
    let (sheet, sheet_reason) = match sheet_name {
        Some(n) => {
            let s = book.sheets.iter().find(|s| s.name == n).ok_or_else(|| {
                Error::invalid(
                    "sheet",
                    format!(
                        "文件里没有名为“{n}”的工作表。现有的工作表：{}。",
                        book.sheets
                            .iter()
                            .map(|s| format!("“{}”", s.name))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                )
            })?;
            (s, "按您的选择。".to_string())
        }
        None => {
            let scored: Vec<(&Sheet, u32)> = book
                .sheets
                .iter()
                .map(|s| (s, find_header(kind, s).map_or(0, |h| h.1)))
                .collect();
            // The first of the sheets whose header recognises the most (the first sheet when
            // none recognises anything).
            let best = scored.iter().map(|(_, sc)| *sc).max().unwrap_or(0);
            let (s, sc) = scored
                .iter()
                .copied()
                .find(|(_, x)| *x == best)
                .ok_or_else(|| Error::invalid("file", "文件里没有工作表。"))?;
            let reason = if book.sheets.len() == 1 {
                "文件只有这一个工作表。".to_string()
            } else if sc == 0 {
                format!(
                    "{} 个工作表都没有认出表头，先显示第一个；请选择正确的工作表。",
                    book.sheets.len()
                )
            } else {
                format!(
                    "在 {} 个工作表中，它的表头认出的列最多。",
                    book.sheets.len()
                )
            };
            (s, reason)
        }
    };
    let (header, header_reason) = match header_row {
        Some(n) => {
            let r = (n as usize).checked_sub(1).filter(|&r| r < sheet.rows.len()).ok_or_else(|| {
                Error::invalid(
                    "headerRow",
                    format!("表头行号 {n} 不在工作表“{}”的范围内（共 {} 行）。", sheet.name, sheet.rows.len()),
                )
            })?;
            let h = header_at(kind, sheet, r);
            let reason = if h.rows == 2 {
                format!("按您的选择：第 {}–{} 行是两层表头。", r + 1, r + 2)
            } else {
                format!("按您的选择：第 {} 行是表头。", r + 1)
            };
            (h, reason)
        }
        None => match find_header(kind, sheet) {
            Some((h, _)) => {
                let known: Vec<String> = guess_mapping(kind, &h.labels)
                    .iter()
                    .zip(&h.display)
                    .filter(|(g, _)| g.is_some())
                    .map(|(_, d)| d.clone())
                    .collect();
                let rows = if h.rows == 2 {
                    format!("第 {}–{} 行是两层表头", h.row + 1, h.row + 2)
                } else {
                    format!("第 {} 行是表头", h.row + 1)
                };
                let above = if h.row > 0 {
                    format!("；上面 {} 行是标题或说明，已跳过", h.row)
                } else {
                    String::new()
                };
                let two = if h.rows == 2 {
                    let pairs: Vec<String> = h.display.iter().filter(|d| d.contains(" / ")).take(3).cloned().collect();
                    if pairs.is_empty() { String::new() } else { format!("（{}）", pairs.join("，")) }
                } else {
                    String::new()
                };
                (
                    h.clone(),
                    format!("{rows}{two}：认出了{}列名{above}。", quoted(&known, 4)),
                )
            }
            None => (
                labels_one(sheet, 0),
                "没有找到认得的列名，先把第 1 行当作表头；请指定表头所在的行，并在下面逐列选择对应的内容。".to_string(),
            ),
        },
    };
    let (data, skipped) = data_rows_in(sheet, &header);
    Ok(Located {
        sheet,
        sheet_reason,
        header,
        header_reason,
        data,
        skipped,
    })
}

fn is_number_row(row: &[Cell]) -> bool {
    let vals: Vec<String> = row
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| c.text())
        .collect();
    vals.len() >= 3
        && vals.iter().enumerate().all(|(i, v)| {
            let v = v.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
            v == (i + 1).to_string()
        })
}

const NOTE_WORDS: &[&str] = &[
    "填表",
    "填报",
    "制表",
    "审核",
    "负责人",
    "合计",
    "总计",
    "说明",
    "备注：",
    "注：",
    "注:",
    "签字",
    "盖章",
];

/// The data rows under `header` in a sheet or a piece of it ([`Sheet::piece`]), and the lines
/// skipped as not households.
pub(crate) fn data_rows_in(sheet: &Sheet, header: &Header) -> (Vec<usize>, Vec<SkippedLine>) {
    let mut data = Vec::new();
    let mut skipped = Vec::new();
    let first = header.row + header.rows;
    for r in first.max(sheet.first_row)..sheet.first_row + sheet.rows.len() {
        let row = sheet.row(r);
        let filled: Vec<&Cell> = row.iter().filter(|c| !c.is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        if r == first && is_number_row(row) {
            skipped.push(SkippedLine {
                row: r as u32 + 1,
                reason: "列序号行（1、2、3…），不是农户。".into(),
            });
            continue;
        }
        if filled.len() <= 2 {
            let t = filled
                .iter()
                .map(|c| c.text())
                .collect::<Vec<_>>()
                .join(" ");
            let starts = NOTE_WORDS.iter().any(|w| t.trim_start().starts_with(w));
            let mentions = NOTE_WORDS.iter().any(|w| t.contains(w));
            if starts || (mentions && !filled.iter().any(|c| looks_like_data(c))) {
                skipped.push(SkippedLine {
                    row: r as u32 + 1,
                    reason: format!(
                        "说明或签字行“{}”，不是农户。",
                        t.chars().take(30).collect::<String>()
                    ),
                });
                continue;
            }
        }
        data.push(r);
    }
    (data, skipped)
}

/// Columns without a recognised header whose values look like ID numbers or mobiles.
fn sniff_contents(located: &Located<'_>, mapping: &mut [Option<(Field, String)>]) {
    let taken = |m: &[Option<(Field, String)>], f: Field| m.iter().flatten().any(|(g, _)| *g == f);
    for field in [Field::IdNumber, Field::Phone] {
        if taken(mapping, field) {
            continue;
        }
        for (c, slot) in mapping.iter_mut().enumerate() {
            if slot.is_some() {
                continue;
            }
            let vals: Vec<String> = located
                .data
                .iter()
                .take(20)
                .map(|&r| located.sheet.cell(r, c).text())
                .filter(|v| !v.is_empty())
                .collect();
            if vals.is_empty() {
                continue;
            }
            let hits = vals
                .iter()
                .filter(|v| match field {
                    Field::IdNumber => {
                        let v = crate::validate::normalize_id(v);
                        v.chars().count() == 18 && v.chars().take(17).all(|c| c.is_ascii_digit())
                    }
                    _ => super::values::normalize_phone(v).len() == 11 && v.starts_with('1'),
                })
                .count();
            if hits * 10 >= vals.len() * 8 {
                *slot = Some((field, "按内容判断".into()));
                break;
            }
        }
    }
}

/// The header signature under which a mapping is remembered.
pub(crate) fn signature(kind: ImportKind, labels: &[String]) -> String {
    let mut s = String::from(kind.as_str());
    for l in labels {
        s.push('\u{1f}');
        s.push_str(&normalize_header(l));
    }
    s
}

/// A column's field (None: not imported) and why it was chosen, column by column.
type Mapping = Vec<Option<(Field, String)>>;

/// The mapping for a located table: remembered for this header signature, else guessed.
pub(crate) fn auto_mapping(
    store: &Store,
    kind: ImportKind,
    located: &Located<'_>,
) -> Result<(Mapping, bool)> {
    let w = located.header.labels.len();
    if let Some(saved) =
        history::remembered_mapping(store, &signature(kind, &located.header.labels))?
    {
        let mut m = vec![None; w];
        for cm in saved {
            if (cm.column as usize) < w && kind.fields().contains(&cm.field) {
                m[cm.column as usize] = Some((cm.field, "沿用上次的对应".to_string()));
            }
        }
        return Ok((m, true));
    }
    let mut m: Mapping = guess_mapping(kind, &located.header.labels)
        .into_iter()
        .map(|g| {
            g.map(|(f, s)| {
                (
                    f,
                    if s.exact {
                        "列名一致"
                    } else {
                        "列名相近"
                    }
                    .to_string(),
                )
            })
        })
        .collect();
    sniff_contents(located, &mut m);
    Ok((m, false))
}

/// The registered villages' names.
pub(crate) fn known_villages(store: &Store) -> Result<Vec<String>> {
    Ok(crate::register::villages::list_villages(store)?
        .into_iter()
        .map(|v| v.name)
        .collect())
}

/// Reads the file's structure and proposes a mapping (nothing is checked or written).
pub fn inspect(
    store: &Store,
    book: &Book,
    kind: ImportKind,
    sheet: Option<&str>,
    header_row: Option<u32>,
) -> Result<Inspection> {
    let loc = locate(book, kind, sheet, header_row)?;
    let (mapping, remembered) = auto_mapping(store, kind, &loc)?;
    let columns: Vec<ColumnGuess> = (0..loc.header.labels.len())
        .filter(|&c| {
            !loc.header.display[c].is_empty()
                || mapping[c].is_some()
                || loc
                    .data
                    .iter()
                    .take(50)
                    .any(|&r| !loc.sheet.cell(r, c).is_empty())
        })
        .map(|c| ColumnGuess {
            index: c as u32,
            letter: column_letter(c),
            header: loc.header.display[c].clone(),
            field: mapping[c].as_ref().map(|m| m.0),
            how: mapping[c].as_ref().map(|m| m.1.clone()).unwrap_or_default(),
            samples: loc
                .data
                .iter()
                .map(|&r| loc.sheet.cell(r, c))
                .filter(|v| !v.is_empty())
                .take(5)
                .map(|v| super::output::masked_sample(mapping[c].as_ref().map(|m| m.0), v))
                .collect(),
        })
        .collect();
    let mapped: Vec<Field> = mapping.iter().flatten().map(|m| m.0).collect();
    Ok(Inspection {
        kind,
        file_name: book.file_name.clone(),
        format: book.format.label().to_string(),
        encoding: book.encoding.map(str::to_string),
        sheets: book
            .sheets
            .iter()
            .map(|s| SheetInfo {
                name: s.name.clone(),
                rows: s.rows.len() as u32,
                recognised: find_header(kind, s)
                    .map(|(h, _)| guess_mapping(kind, &h.labels).iter().flatten().count() as u32)
                    .unwrap_or(0),
            })
            .collect(),
        sheet: loc.sheet.name.clone(),
        sheet_reason: loc.sheet_reason.clone(),
        header_row: loc.header.row as u32 + 1,
        header_rows: loc.header.rows as u32,
        header_reason: loc.header_reason.clone(),
        columns,
        fields: kind
            .fields()
            .iter()
            .map(|&f| FieldInfo {
                field: f,
                label: f.label_in(kind).to_string(),
                required: f.required(kind),
            })
            .collect(),
        missing_required: kind
            .fields()
            .iter()
            .filter(|f| f.required(kind) && !mapped.contains(f))
            .map(|f| f.label_in(kind).to_string())
            .collect(),
        remembered,
        data_rows: loc.data.len() as u32,
        skipped_lines: loc.skipped.clone(),
        village_for_all: if kind.has_village() && !mapped.contains(&Field::Village) {
            let known = known_villages(store)?;
            village_in_title(&known, &loc, &book.file_name)
        } else {
            None
        },
        per_person: mapped.contains(&Field::Relation)
            || mapping
                .iter()
                .position(|m| matches!(m, Some((Field::HouseholdNo, _))))
                .is_some_and(|c| {
                    let mut seen = std::collections::HashSet::new();
                    loc.data.iter().any(|&r| {
                        let v = loc.sheet.cell(r, c).text();
                        !v.is_empty() && !seen.insert(v)
                    })
                }),
    })
}

#[cfg(test)]
mod tests {
    use super::village_in_text;

    #[test]
    fn a_village_is_read_from_a_title_or_a_file_name() {
        let none: Vec<String> = Vec::new();
        for (text, want) in [
            ("黄河村人口信息花名册", Some("黄河村")),
            ("宿城区龙河镇黄河村2024年人口花名册", Some("黄河村")),
            ("2024年黄河村委会人口花名册", Some("黄河村")),
            ("新河社区居委会花名册", Some("新河社区")),
            ("东关居委会网格人口", Some("东关社区")),
            ("农村人口花名册", None),
            ("全村农户名单", None),
            ("人口花名册", None),
        ] {
            assert_eq!(village_in_text(&none, text).as_deref(), want, "{text}");
        }
        // A registered village is named as registered, the longest name first.
        let known = vec!["黄河村".to_string(), "黄河新村".to_string()];
        assert_eq!(
            village_in_text(&known, "龙河镇黄河新村花名册").as_deref(),
            Some("黄河新村")
        );
        assert_eq!(
            village_in_text(&known, "黄河村委会人口").as_deref(),
            Some("黄河村")
        );
    }
}
