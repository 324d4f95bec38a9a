//! Cadres from a list (姓名, 单位, 职务, 电话, 挂钩村, 干部类别) through the same machinery: a
//! cadre is known by name and unit; 挂钩村 may list several villages, matched tolerantly.

use super::fields::Field;
use super::run::{
    count_names, field_of, Ctx, ExistingRow, FieldChange, ImportMode, ImportReport, RowChange,
    Stage, Ticker,
};
use super::values::{normalize_phone, split_list, Names};
use crate::error::Result;
use crate::register::cadres::{insert, read_cadre, update_in, CadreInput};
use crate::register::CadreLevel;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

fn level_of(raw: &str) -> Option<CadreLevel> {
    let t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    CadreLevel::ALL
        .iter()
        .copied()
        .find(|l| l.as_str() == t)
        .or(match t.as_str() {
            "区级领导" | "区领导干部" | "县领导" => Some(CadreLevel::DistrictLeader),
            "部门领导" | "单位负责人" | "部门主要负责人" => {
                Some(CadreLevel::DepartmentHead)
            }
            "一般" | "干部" | "机关干部" | "工作人员" => Some(CadreLevel::Staff),
            "镇干部" | "乡干部" | "街道干部" | "镇村干部" => {
                Some(CadreLevel::Township)
            }
            "村居干部" | "社区干部" | "村两委" => Some(CadreLevel::Village),
            _ => None,
        })
}

/// One checked row of the list.
struct CadreRow {
    row: usize,
    name: String,
    unit: String,
    title: String,
    phone: String,
    villages: Vec<String>,
    level: Option<CadreLevel>,
    note: String,
}

/// The township's villages (matched as the ledger import matches them), and the ones this
/// import created.
struct Villages {
    known: Names,
    created: HashMap<String, i64>,
}

impl Villages {
    fn read(tx: &Connection) -> Result<Villages> {
        Ok(Villages {
            known: Names::load(tx, "SELECT id, name FROM villages ORDER BY sort_order, id")?,
            created: HashMap::new(),
        })
    }

    fn find(&self, t: &str) -> Option<i64> {
        self.known
            .find(t, true)
            .or_else(|| self.created.get(t).copied())
    }

    /// The names of `ids`, joined with 、 as the change list shows them.
    fn names(&self, ids: &[i64]) -> String {
        ids.iter()
            .filter_map(|id| {
                self.known
                    .list
                    .iter()
                    .map(|(i, n)| (i, n))
                    .chain(self.created.iter().map(|(n, i)| (i, n)))
                    .find(|(i, _)| *i == id)
                    .map(|(_, n)| n.clone())
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// Checks every row, then creates the missing villages (when asked to) and writes the rows
/// that passed: the same two steps as the household import.
pub(crate) fn import(
    tx: &Connection,
    ctx: &Ctx<'_>,
    data: &[usize],
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let mut villages = Villages::read(tx)?;
    let rows = check(ctx, data, &villages, report, ticker)?;
    if ctx.opts.create_missing {
        villages.created = super::run::create_villages(tx, &report.new_villages)?;
    }
    write(tx, ctx, &rows, &villages, report, ticker)
}

/// Reads and checks each row: problems go to the report, villages not yet in the register to
/// `report.new_villages`. Nothing is written.
fn check(
    ctx: &Ctx<'_>,
    data: &[usize],
    villages: &Villages,
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<Vec<CadreRow>> {
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, &r) in data.iter().enumerate() {
        ticker.tick(Stage::Check, i, data.len())?;
        let before = report.problems.len();
        let p = &mut report.problems;
        let name = ctx.text_or_problem(r, Field::Name, p);
        let unit = ctx.text_or_problem(r, Field::Unit, p);
        let title = ctx.text_or_problem(r, Field::Title, p);
        let phone = normalize_phone(&ctx.digits_or_text(r, Field::Phone, p));
        let vs = split_list(&ctx.text_or_problem(r, Field::Villages, p));
        let level_raw = ctx.text_or_problem(r, Field::Level, p);
        let note = ctx.text_or_problem(r, Field::Note, p);
        let level = if level_raw.is_empty() {
            None
        } else {
            let level = level_of(&level_raw);
            if level.is_none() {
                report.problems.push(ctx.problem(
                    r,
                    Some(Field::Level),
                    format!(
                        "干部类别“{level_raw}”认不出。请填写其中之一：{}。",
                        CadreLevel::ALL
                            .iter()
                            .map(|l| l.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                ));
            }
            level
        };
        missing.extend(vs.iter().filter(|v| villages.find(v).is_none()).cloned());
        if report.problems.len() == before && !name.is_empty() {
            let key = (name.trim().to_string(), unit.trim().to_string());
            if let Some(&first) = seen.get(&key) {
                report.problems.push(ctx.problem(
                    r,
                    Some(Field::Name),
                    format!(
                        "{}（{}）在文件里出现了两次（还有第 {} 行）。请合并成一行后再导入。",
                        key.0,
                        key.1,
                        first + 1
                    ),
                ));
            } else {
                seen.insert(key, r);
            }
        }
        rows.push(CadreRow {
            row: r,
            name,
            unit,
            title,
            phone,
            villages: vs,
            level,
            note,
        });
    }
    report.new_villages = count_names(missing);
    Ok(rows)
}

/// Writes the rows without problems: a new cadre is added; a known one (same name and unit)
/// is skipped in 仅新增 mode, otherwise updated in the columns the file has.
fn write(
    tx: &Connection,
    ctx: &Ctx<'_>,
    rows: &[CadreRow],
    villages: &Villages,
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let bad = super::run::bad_rows(report);
    let mut existing_st = tx.prepare("SELECT id FROM cadres WHERE name = ?1 AND unit = ?2")?;
    for (i, row) in rows.iter().enumerate() {
        ticker.writing(ctx.opts.dry_run, i, rows.len())?;
        let r = row.row;
        if bad.contains(&(r as u32 + 1)) {
            continue;
        }
        let mut village_ids = Vec::new();
        let mut unknown = Vec::new();
        for v in &row.villages {
            match villages.find(v) {
                Some(id) => village_ids.push(id),
                None => unknown.push(v.clone()),
            }
        }
        if !unknown.is_empty() {
            report.problems.push(ctx.problem(
                r,
                Some(Field::Villages),
                format!("挂钩村“{}”不在村组设置中。请先添加这些村，或勾选“新建文件中缺少的村和组”（命令行：--create-missing）。", unknown.join("、")),
            ));
            continue;
        }
        let existing: Option<i64> = existing_st
            .query_row([row.name.trim(), row.unit.trim()], |x| x.get(0))
            .optional()?;
        let mut input = CadreInput::new(&row.name, &row.unit);
        input.title = row.title.clone();
        input.phone = row.phone.clone();
        input.village_ids = village_ids;
        input.level = row.level.unwrap_or_default();
        input.note = row.note.clone();
        let written = match existing {
            Some(_) if ctx.opts.mode == ImportMode::Add => {
                report.skipped += 1;
                report.existing.push(ExistingRow {
                    row: r as u32 + 1,
                    name: row.name.clone(),
                    key: row.unit.clone(),
                });
                Ok(())
            }
            Some(id) => {
                let changes = merge_into_known(tx, ctx, id, row, villages, &mut input)?;
                if changes.is_empty() {
                    report.unchanged += 1;
                    Ok(())
                } else {
                    update_in(tx, id, &input).map(|()| {
                        report.updated += 1;
                        report.changes.push(RowChange {
                            row: r as u32 + 1,
                            name: row.name.clone(),
                            key: row.unit.clone(),
                            changes,
                        });
                    })
                }
            }
            None => insert(tx, &input, &ctx.now).map(|_| report.imported += 1),
        };
        match written {
            Ok(()) => {}
            Err(e) if e.field().is_some() => {
                report
                    .problems
                    .push(ctx.problem(r, field_of(&e), e.to_string()))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Completes `input` for the known cadre `id` from what the file leaves out (the columns it
/// does not have, the plan settings it never carries) and lists what changes, phones masked.
fn merge_into_known(
    tx: &Connection,
    ctx: &Ctx<'_>,
    id: i64,
    row: &CadreRow,
    villages: &Villages,
    input: &mut CadreInput,
) -> Result<Vec<FieldChange>> {
    let old = read_cadre(tx, id)?;
    let keep = |has: bool, new: &str, old: &str| {
        if has {
            new.to_string()
        } else {
            old.to_string()
        }
    };
    input.title = keep(ctx.has(Field::Title), &input.title, &old.title);
    input.phone = keep(ctx.has(Field::Phone), &input.phone, &old.phone);
    input.note = keep(ctx.has(Field::Note), &input.note, &old.note);
    if !ctx.has(Field::Villages) {
        input.village_ids = old.villages.iter().map(|v| v.id).collect();
    }
    input.level = row.level.unwrap_or(old.level);
    input.visit_days_per_month = old.visit_days_per_month;
    input.visit_weekdays = old.visit_weekdays.clone();
    input.leave_dates = old.leave_dates.clone();
    input.active = old.active;
    input.household_ids = old.households.iter().map(|h| h.id).collect();
    let mut changes = Vec::new();
    let mut push = |f: Field, a: String, b: String| {
        if a != b {
            changes.push(FieldChange {
                field: f.label().into(),
                old: a,
                new: b,
            });
        }
    };
    push(
        Field::Title,
        old.title.clone(),
        input.title.trim().to_string(),
    );
    push(
        Field::Phone,
        crate::privacy::mask_phone(&old.phone),
        crate::privacy::mask_phone(&input.phone),
    );
    let mut a: Vec<i64> = old.villages.iter().map(|v| v.id).collect();
    let mut b = input.village_ids.clone();
    a.sort_unstable();
    b.sort_unstable();
    b.dedup();
    if a != b {
        push(Field::Villages, villages.names(&a), villages.names(&b));
    }
    push(
        Field::Level,
        old.level.as_str().into(),
        input.level.as_str().into(),
    );
    push(Field::Note, old.note.clone(), input.note.trim().to_string());
    Ok(changes)
}
