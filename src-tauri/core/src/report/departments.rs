//! 区直部门排名: the district's ranking of its departments in the 办实事竞赛, from the lines by
//! unit of the townships' 办实事竞赛情况表. A department serves many townships; only the
//! district sees all of them, so its projects and figures are summed over every township that
//! listed it. Names are matched tolerantly: spellings that differ only in spaces, width or
//! brackets are one unit; names that look like one unit (区交通局, 区交通运输局) are merged only
//! when the user confirms them (`--same 区交通局=区交通运输局`), and are listed until then.

use super::district::{Figures, Out};
use super::projects::{contest_cols, contest_line, contest_note, contest_total};
use super::{closing_district, report_sheet_grouped};
use crate::stats::projects::{rank, ContestRow, ContestRule};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::BTreeMap;

/// One unit's line as a township's workbook carried it.
#[derive(Debug, Clone)]
pub(crate) struct UnitLine {
    pub township: String,
    pub row: ContestRow,
}

/// Parses `unit:N` = name|projects|planned|underway|done|stopped|funds|due|onTime|requests|
/// requestsClosed (see [`super::projects::contest_meta`]).
pub(crate) fn parse_unit_line(township: &str, value: &str) -> Option<UnitLine> {
    let f: Vec<&str> = value.split('|').collect();
    if f.len() != 11 {
        return None;
    }
    let n = |i: usize| f[i].parse::<i64>().ok();
    Some(UnitLine {
        township: township.to_string(),
        row: ContestRow {
            unit: f[0].to_string(),
            projects: n(1)?,
            planned: n(2)?,
            underway: n(3)?,
            done: n(4)?,
            stopped: n(5)?,
            funds: f[6].parse().ok()?,
            due: n(7)?,
            on_time: n(8)?,
            requests: n(9)?,
            requests_closed: n(10)?,
            ..Default::default()
        },
    })
}

/// The name as compared: no spaces, ASCII brackets and letters as full-width are the same.
pub fn normalize_unit(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// Whether a unit is a 区直部门 (the ranking's subject): its name starts with 区 or the
/// district's name, or says 区直. A township's own 中心 or 办 is not ranked across townships.
pub fn is_district_unit(name: &str, district: &str) -> bool {
    let n = normalize_unit(name);
    n.starts_with('区') || (!district.is_empty() && n.starts_with(district)) || n.contains("区直")
}

/// The core of a department's name, for telling that two names may be one unit: without the
/// district prefix and the kind of body at the end (局, 委, 办, 中心 …).
fn core(name: &str, district: &str) -> String {
    let mut n = normalize_unit(name);
    if !district.is_empty() {
        if let Some(rest) = n.strip_prefix(district) {
            n = rest.to_string();
        }
    }
    if let Some(rest) = n.strip_prefix('区') {
        n = rest.to_string();
    }
    for end in ["委员会", "中心", "局", "委", "办", "站", "所", "处"] {
        if let Some(rest) = n.strip_suffix(end) {
            return rest.to_string();
        }
    }
    n
}

/// Whether `a` could be a short form of `b`: its characters appear in `b` in order
/// (交通 in 交通运输), and they share their first character.
fn maybe_same(a: &str, b: &str, district: &str) -> bool {
    let (ca, cb) = (core(a, district), core(b, district));
    if ca.is_empty() || cb.is_empty() || ca == cb {
        return !ca.is_empty() && ca == cb;
    }
    let (short, long) = if ca.chars().count() <= cb.chars().count() {
        (ca, cb)
    } else {
        (cb, ca)
    };
    if short.chars().next() != long.chars().next() || short.chars().count() < 2 {
        return false;
    }
    let mut it = long.chars();
    short.chars().all(|c| it.any(|x| x == c))
}

/// A department of the district's ranking: its name, the townships that listed it (with the
/// name each used) and the summed line.
#[derive(Debug, Clone)]
pub(crate) struct Department {
    pub name: String,
    pub townships: Vec<String>,
    pub spellings: Vec<String>,
    pub row: ContestRow,
}

/// The departments from every township's lines: exact (normalized) names and confirmed pairs
/// (`same`: A=B, B's spelling kept) are one unit; pairs that look alike but were not confirmed
/// are returned as such, for the user to confirm. Units that are not 区直部门 are counted.
pub(crate) fn departments(
    lines: &[UnitLine],
    district: &str,
    same: &[(String, String)],
    rule: &ContestRule,
) -> (Vec<Department>, Vec<(String, String)>, usize) {
    // The name each spelling goes under: a confirmed pair maps onto its second name.
    let alias: BTreeMap<String, String> = same
        .iter()
        .map(|(a, b)| (normalize_unit(a), normalize_unit(b)))
        .collect();
    let resolve = |n: &str| {
        let mut n = normalize_unit(n);
        for _ in 0..8 {
            match alias.get(&n) {
                Some(to) if *to != n => n = to.clone(),
                _ => break,
            }
        }
        n
    };
    let mut by_name: BTreeMap<String, Department> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut local = std::collections::BTreeSet::new();
    for l in lines {
        if !is_district_unit(&l.row.unit, district) {
            local.insert((l.township.clone(), normalize_unit(&l.row.unit)));
            continue;
        }
        let key = resolve(&l.row.unit);
        let d = by_name.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Department {
                name: key.clone(),
                townships: Vec::new(),
                spellings: Vec::new(),
                row: ContestRow {
                    unit: key.clone(),
                    ..Default::default()
                },
            }
        });
        if !d.townships.contains(&l.township) {
            d.townships.push(l.township.clone());
        }
        let spelled = l.row.unit.clone();
        if !d.spellings.contains(&spelled) {
            d.spellings.push(spelled);
        }
        d.row.absorb(&l.row);
    }
    let names: Vec<String> = order.clone();
    let mut unsure = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in names.iter().skip(i + 1) {
            if maybe_same(a, b, district) {
                unsure.push((a.clone(), b.clone()));
            }
        }
    }
    let mut out: Vec<Department> = order
        .into_iter()
        .map(|k| by_name.remove(&k).expect("each name once"))
        .collect();
    for d in out.iter_mut() {
        d.row.finish(rule);
    }
    let mut rows: Vec<ContestRow> = out.iter().map(|d| d.row.clone()).collect();
    rank(&mut rows);
    // Keep each department's facts beside its ranked line.
    let mut ranked = Vec::new();
    for r in rows {
        let i = out
            .iter()
            .position(|d| d.name == r.unit)
            .expect("ranked from these");
        let mut d = out.remove(i);
        d.row = r;
        ranked.push(d);
    }
    (ranked, unsure, local.len())
}

/// The sheet 区直部门排名 of the district's workbook.
pub(crate) fn department_sheet(
    wb: &mut Workbook,
    head: &super::merge::Heading,
    (campaign, townships): (&str, usize),
    deps: &[Department],
    local_units: usize,
    rule: &ContestRule,
) -> std::result::Result<(), XlsxError> {
    let (s, district) = (head.s, head.district);
    let period = super::district::period_label(head.from, head.to);
    let info = head.info(townships);
    let ws = wb.add_worksheet();
    let name = "区直部门排名";
    ws.set_name(name)?;
    let mut cols = contest_cols("区直部门");
    cols.push(super::col("服务乡镇（个）", 11.0));
    let title = format!("{district}“{campaign}”办实事竞赛情况表（区级汇总·{name}，{period}）");
    let first = report_sheet_grouped(ws, s, &title, &info, &cols)?;
    let last = cols.len() as u16 - 1;
    let mut figures = Figures::default();
    let mut out = Out {
        ws,
        name: name.to_string(),
        figures: &mut figures,
    };
    let mut row = first;
    let mut total = ContestRow::default();
    for (i, d) in deps.iter().enumerate() {
        out.ws.set_row_height(row, 20)?;
        out.ws
            .write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)?;
        let shown = if d.spellings.len() > 1 {
            let others: Vec<&str> = d
                .spellings
                .iter()
                .filter(|x| normalize_unit(x) != d.name)
                .map(String::as_str)
                .collect();
            format!("{}（含{}）", d.name, others.join("、"))
        } else {
            d.name.clone()
        };
        out.ws.write_string_with_format(row, 1, &shown, &s.cell)?;
        contest_line(&mut out, s, row, &d.row)?;
        out.count(row, 15, d.row.rank as i64, &s.cell_center)?;
        out.count(row, 16, d.townships.len() as i64, &s.num)?;
        total.absorb(&d.row);
        row += 1;
    }
    total.finish(rule);
    contest_total(&mut out, s, row, first, &total)?;
    out.ws
        .write_string_with_format(row, 16, "", &s.total_label)?;
    let mut note = contest_note(&rule.text());
    note.push_str(
        "各部门的数字为所有乡镇报表中该部门各项之和，得分按汇总后的数字计算，名次按得分从高到低。",
    );
    if local_units > 0 {
        note.push_str(&format!(
            "乡镇自有单位（{local_units} 个，名称不以“区”开头）不参加区直部门排名。"
        ));
    }
    out.ws.set_row_height(row + 1, 58)?;
    out.ws
        .merge_range(row + 1, 0, row + 1, last, &note, &s.note)?;
    closing_district(out.ws, s, row + 2, last)?;
    Ok(())
}
