//! A 走访记录 (民情日记) kept in Excel before 民情通, through the roster machinery: each row a
//! visit — a date, one or several cadres, a household found by the head's name (with the ID
//! number, its last four characters, the village or the group where names repeat), what came of
//! it and what was learned. Each goes through the diary's own insert (double entries refused, a
//! visit that counts closes its planned visit); a 群众诉求 becomes a request under 待分类.
//! Nothing is created: cadres and households must be registered first.

use super::fields::Field;
use super::requests::{date_of, satisfaction_of};
use super::run::{Ctx, ImportReport, Stage, Ticker};
use super::values::{same_group, split_list, village_core};
use crate::calendar::Calendar;
use crate::diary::{RaisedRequest, VisitInput, VisitOutcome};
use crate::error::{Error, Result};
use crate::requests::{RequestKind, Urgency};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;

fn outcome_of(raw: &str) -> Option<VisitOutcome> {
    let t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Some(VisitOutcome::MetHead);
    }
    VisitOutcome::parse(&t).or(match t.as_str() {
        "见面" | "已见面" | "是" | "入户" | "已入户" | "面谈" | "见到本人" | "本人" => {
            Some(VisitOutcome::MetHead)
        }
        "家人" | "见到家属" | "家属" | "见到家庭成员" => {
            Some(VisitOutcome::MetFamily)
        }
        "未见面" | "否" | "不在" | "无人" | "家中无人" | "未遇" | "外出" => {
            Some(VisitOutcome::NotHome)
        }
        "拒绝" | "拒绝走访" | "不配合" => Some(VisitOutcome::Refused),
        "迁出" | "已搬走" => Some(VisitOutcome::MovedOut),
        "注销" | "已注销" | "户已销" => Some(VisitOutcome::Deregistered),
        _ => None,
    })
}

struct Household {
    id: i64,
    id_number: String,
    village: String,
    group: String,
}

struct Row {
    row: usize,
    input: VisitInput,
}

pub(crate) fn import(
    tx: &Connection,
    ctx: &Ctx<'_>,
    data: &[usize],
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    // The register, by head's name; the cadres, by name.
    let mut by_name: HashMap<String, Vec<Household>> = HashMap::new();
    {
        let mut st = tx.prepare(
            "SELECT h.id, h.head_name, h.id_number, v.name, g.name FROM households h
             JOIN villages v ON v.id = h.village_id JOIN village_groups g ON g.id = h.group_id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            by_name.entry(r.get(1)?).or_default().push(Household {
                id: r.get(0)?,
                id_number: r.get(2)?,
                village: r.get(3)?,
                group: r.get(4)?,
            });
        }
    }
    let mut cadres: HashMap<String, Vec<i64>> = HashMap::new();
    {
        let mut st = tx.prepare("SELECT id, name FROM cadres ORDER BY active DESC, id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            cadres.entry(r.get(1)?).or_default().push(r.get(0)?);
        }
    }
    let mut good: Vec<Row> = Vec::new();
    for (i, &r) in data.iter().enumerate() {
        ticker.tick(Stage::Check, i, data.len())?;
        let before = report.problems.len();
        let p = &mut report.problems;
        let text = |f: Field, p: &mut Vec<_>| ctx.text_or_problem(r, f, p).trim().to_string();
        let cadre_raw = text(Field::Cadres, p);
        let head = text(Field::HeadName, p);
        let id_number = ctx
            .digits_or_text(r, Field::IdNumber, p)
            .trim()
            .to_uppercase();
        let id_tail = ctx
            .digits_or_text(r, Field::IdTail, p)
            .trim()
            .to_uppercase();
        let village = text(Field::Village, p);
        let group = text(Field::Group, p);
        let outcome_raw = text(Field::VisitResult, p);
        let learned = text(Field::Learned, p);
        let evaluation_raw = text(Field::Satisfaction, p);
        let request = text(Field::Content, p);
        let mut problem = |f: Field, m: String| report.problems.push(ctx.problem(r, Some(f), m));
        // The date.
        let cell = ctx.cell(r, Field::VisitDate);
        let date: Option<NaiveDate> = if cell.is_empty() {
            problem(Field::VisitDate, "走访日期是空的。".into());
            None
        } else {
            match date_of(cell) {
                Some(d) if d > ctx.today => {
                    problem(Field::VisitDate, format!("走访日期 {d} 晚于今天，请核对。"));
                    None
                }
                Some(d) => Some(d),
                None => {
                    problem(
                        Field::VisitDate,
                        format!(
                            "走访日期“{}”看不懂，请写成 2025-03-08 或 2025年3月8日 的样子（要有年份）。",
                            cell.text().trim()
                        ),
                    );
                    None
                }
            }
        };
        // The cadres, each registered once under that name.
        let mut cadre_ids = Vec::new();
        let names = split_list(&cadre_raw);
        if names.is_empty() {
            problem(Field::Cadres, "走访干部是空的。".into());
        }
        for n in &names {
            match cadres.get(n).map(Vec::as_slice) {
                Some([id]) => cadre_ids.push(*id),
                Some(ids) if ids.len() > 1 => problem(
                    Field::Cadres,
                    format!("干部队伍中有 {} 名“{n}”，无法确定是哪一位。请在“干部队伍”中用不同的名字区分（如加单位）后再导入。", ids.len()),
                ),
                _ => problem(
                    Field::Cadres,
                    format!("干部“{n}”不在干部队伍中。请先在“干部队伍”中登记（或导入干部名单），再导入走访记录。"),
                ),
            }
        }
        // The household.
        let household: Option<i64> = if head.is_empty() {
            problem(Field::HeadName, "户主是空的。".into());
            None
        } else {
            let all = by_name.get(&head).map(Vec::as_slice).unwrap_or(&[]);
            let fits: Vec<&Household> = all
                .iter()
                .filter(|h| id_number.is_empty() || h.id_number.eq_ignore_ascii_case(&id_number))
                .filter(|h| id_tail.is_empty() || h.id_number.to_uppercase().ends_with(&id_tail))
                .filter(|h| {
                    village.is_empty()
                        || village_core(&h.village)
                            == village_core(&super::values::village_name(&village))
                })
                .filter(|h| group.is_empty() || same_group(&h.group, &group))
                .collect();
            let place = [village.as_str(), group.as_str()].concat();
            match fits.as_slice() {
                [h] => Some(h.id),
                [] if all.is_empty() => {
                    problem(
                        Field::HeadName,
                        format!("户籍名册中没有户主“{head}”。请先登记这一户（或导入花名册），再导入走访记录。"),
                    );
                    None
                }
                [] => {
                    problem(
                        Field::HeadName,
                        format!(
                            "户籍名册中有户主“{head}”，但{}对不上。请核对。",
                            if id_number.is_empty() && id_tail.is_empty() {
                                format!("“{place}”")
                            } else {
                                "身份证号".to_string()
                            }
                        ),
                    );
                    None
                }
                many => {
                    problem(
                        Field::HeadName,
                        format!("户籍名册中有 {} 户户主叫“{head}”。请填写身份证号或身份证后四位（也可填村和组）以区分。", many.len()),
                    );
                    None
                }
            }
        };
        let outcome = outcome_of(&outcome_raw).unwrap_or_else(|| {
            problem(
                Field::VisitResult,
                format!(
                    "走访结果“{outcome_raw}”认不出，应为：{}（空着算“见到户主”）。",
                    VisitOutcome::ALL
                        .iter()
                        .map(|o| o.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
            VisitOutcome::MetHead
        });
        let evaluation = satisfaction_of(&evaluation_raw).unwrap_or_else(|| {
            problem(
                Field::Satisfaction,
                format!("群众评价“{evaluation_raw}”认不出，应为：满意、基本满意、不满意（也可以空着）。"),
            );
            None
        });
        if report.problems.len() > before {
            continue;
        }
        let (Some(date), Some(household_id)) = (date, household) else {
            continue;
        };
        let mut requests = Vec::new();
        if !request.is_empty() {
            requests.push(RaisedRequest {
                kind: RequestKind::Help,
                category_id: crate::requests::categories::category_or_insert(
                    tx,
                    crate::requests::categories::UNCLASSIFIED,
                )?,
                urgency: Urgency::Normal,
                handling: None,
                content: request,
                requester_name: String::new(),
                unit_id: None,
            });
        }
        good.push(Row {
            row: r,
            input: VisitInput {
                household_id,
                visit_date: Some(date),
                cadre_ids,
                outcome,
                learned,
                evaluation,
                requests,
            },
        });
    }
    // Through the diary's own rules, a savepoint per row: a refused row leaves nothing behind.
    let cal = Calendar::load(tx)?;
    for (i, row) in good.iter().enumerate() {
        ticker.writing(ctx.opts.dry_run, i, good.len())?;
        tx.execute_batch("SAVEPOINT diary_row")?;
        match crate::diary::insert(tx, &cal, &row.input, ctx.today) {
            Ok(_) => {
                tx.execute_batch("RELEASE diary_row")?;
                report.imported += 1;
            }
            Err(Error::Invalid { field, message } | Error::Duplicate { field, message }) => {
                tx.execute_batch("ROLLBACK TO diary_row; RELEASE diary_row")?;
                let f = match field {
                    "visitDate" => Field::VisitDate,
                    "evaluation" => Field::Satisfaction,
                    "learned" => Field::Learned,
                    "cadreIds" => Field::Cadres,
                    "content" => Field::Content,
                    _ => Field::HeadName,
                };
                report.problems.push(ctx.problem(row.row, Some(f), message));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
