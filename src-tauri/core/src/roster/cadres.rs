//! Cadres from a list (姓名, 单位, 职务, 电话, 挂钩村, 干部类别) through the same machinery: a
//! cadre is known by name and unit; 挂钩村 may list several villages, matched tolerantly.

use super::fields::Field;
use super::run::{
    count_names, field_of, Ctx, ExistingRow, FieldChange, ImportMode, ImportReport, RowChange,
    Stage, Ticker,
};
use super::values::{normalize_phone, split_list, village_core};
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

pub(crate) fn import(
    tx: &Connection,
    ctx: &Ctx<'_>,
    data: &[usize],
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let villages: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM villages ORDER BY sort_order, id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let find_village = |t: &str| {
        villages
            .iter()
            .find(|v| v.1 == t)
            .or_else(|| {
                villages
                    .iter()
                    .find(|v| village_core(&v.1) == village_core(t))
            })
            .map(|v| v.0)
    };
    struct Row {
        row: usize,
        name: String,
        unit: String,
        title: String,
        phone: String,
        villages: Vec<String>,
        level: Option<CadreLevel>,
        note: String,
    }
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
            match level_of(&level_raw) {
                Some(l) => Some(l),
                None => {
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
                    None
                }
            }
        };
        for v in &vs {
            if find_village(v).is_none() {
                missing.push(v.clone());
            }
        }
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
        rows.push(Row {
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
    report.new_villages = count_names(missing.iter().cloned());
    let created: HashMap<String, i64> = if ctx.opts.create_missing {
        super::run::create_villages(tx, &report.new_villages)?
    } else {
        HashMap::new()
    };
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
            match find_village(v).or_else(|| created.get(v).copied()) {
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
        match existing {
            Some(_) if ctx.opts.mode == ImportMode::Add => {
                report.skipped += 1;
                report.existing.push(ExistingRow {
                    row: r as u32 + 1,
                    name: row.name.clone(),
                    key: row.unit.clone(),
                });
            }
            Some(id) => {
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
                    let names = |ids: &[i64]| {
                        ids.iter()
                            .filter_map(|id| {
                                villages
                                    .iter()
                                    .find(|v| v.0 == *id)
                                    .map(|v| v.1.clone())
                                    .or_else(|| {
                                        created.iter().find(|c| c.1 == id).map(|c| c.0.clone())
                                    })
                            })
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    push(Field::Villages, names(&a), names(&b));
                }
                push(
                    Field::Level,
                    old.level.as_str().into(),
                    input.level.as_str().into(),
                );
                push(Field::Note, old.note.clone(), input.note.trim().to_string());
                if changes.is_empty() {
                    report.unchanged += 1;
                    continue;
                }
                match update_in(tx, id, &input) {
                    Ok(()) => {
                        report.updated += 1;
                        report.changes.push(RowChange {
                            row: r as u32 + 1,
                            name: row.name.clone(),
                            key: row.unit.clone(),
                            changes,
                        });
                    }
                    Err(e) if e.field().is_some() => {
                        report
                            .problems
                            .push(ctx.problem(r, field_of(&e), e.to_string()))
                    }
                    Err(e) => return Err(e),
                }
            }
            None => match insert(tx, &input, &ctx.now) {
                Ok(_) => report.imported += 1,
                Err(e) if e.field().is_some() => {
                    report
                        .problems
                        .push(ctx.problem(r, field_of(&e), e.to_string()))
                }
                Err(e) => return Err(e),
            },
        }
    }
    Ok(())
}
