//! 走访记录 — the 民情日记: who visited which household when, what came of it, what was
//! learned, the household's evaluation, and the requests raised there (registered on the
//! ledger in the same transaction, linked to the visit).

use crate::calendar::Calendar;
use crate::db::placeholders;
use crate::error::{Error, Result};
use crate::paging::{page_bounds, NamedRef, Page};
use crate::requests::lifecycle::{self, RequestInput};
use crate::requests::{Handling, RequestKind, Satisfaction, Source, Status, Urgency};
use crate::validate::check_optional_text;
use crate::Store;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::text_enum! {
    /// 走访结果 (door-to-door practice). Only the first two count as a visit; 不在家 asks for
    /// a return visit.
    pub enum VisitOutcome ("走访结果") {
        MetHead = "见到户主",
        MetFamily = "见到家人",
        NotHome = "不在家",
        Refused = "拒访",
        MovedOut = "已迁出",
        Deregistered = "户已注销",
    }
}

impl VisitOutcome {
    /// Counts as a visit in coverage and statistics.
    pub fn counts(self) -> bool {
        matches!(self, VisitOutcome::MetHead | VisitOutcome::MetFamily)
    }
}

/// A request raised during the visit, typed in the diary form.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RaisedRequest {
    pub kind: RequestKind,
    pub category_id: i64,
    pub urgency: Urgency,
    #[serde(default)]
    pub handling: Option<Handling>,
    pub content: String,
    /// Someone other than the head (a family member); empty means the head.
    #[serde(default)]
    pub requester_name: String,
    /// 交办 at once to this unit.
    #[serde(default)]
    pub unit_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VisitInput {
    pub household_id: i64,
    /// Today when absent.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub visit_date: Option<NaiveDate>,
    pub cadre_ids: Vec<i64>,
    pub outcome: VisitOutcome,
    /// 了解到的情况
    #[serde(default)]
    pub learned: String,
    /// The household's evaluation of party and government work.
    #[serde(default)]
    pub evaluation: Option<Satisfaction>,
    #[serde(default)]
    pub requests: Vec<RaisedRequest>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VisitRequest {
    pub id: i64,
    pub number: String,
    pub kind: RequestKind,
    pub content: String,
    pub status: Status,
    #[ts(type = "string")]
    pub deadline: NaiveDate,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    pub id: i64,
    pub household_id: i64,
    pub head_name: String,
    pub village_name: String,
    pub group_name: String,
    #[ts(type = "string")]
    pub visit_date: NaiveDate,
    pub cadres: Vec<NamedRef>,
    pub outcome: VisitOutcome,
    pub learned: String,
    pub evaluation: Option<Satisfaction>,
    pub requests: Vec<VisitRequest>,
    pub operator: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VisitRow {
    pub id: i64,
    #[ts(type = "string")]
    pub visit_date: NaiveDate,
    pub household_id: i64,
    pub head_name: String,
    pub village_name: String,
    pub group_name: String,
    pub cadre_names: Vec<String>,
    pub outcome: VisitOutcome,
    pub learned: String,
    pub evaluation: Option<Satisfaction>,
    pub request_count: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct VisitQuery {
    #[ts(optional)]
    pub village_id: Option<i64>,
    #[ts(optional)]
    pub cadre_id: Option<i64>,
    #[ts(optional)]
    pub household_id: Option<i64>,
    #[ts(optional)]
    pub outcome: Option<VisitOutcome>,
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub page_size: u32,
}

fn check_cadres(c: &Connection, ids: &[i64]) -> Result<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::invalid("cadreIds", "请选择走访干部（至少一名）。"));
    }
    let n: i64 = c
        .prepare_cached(&format!(
            "SELECT count(*) FROM cadres WHERE id IN ({})",
            placeholders(ids.len())
        ))?
        .query_row(params_from_iter(&ids), |r| r.get(0))?;
    if n != ids.len() as i64 {
        return Err(Error::invalid(
            "cadreIds",
            "所选的干部中有已被删除的，请刷新后重新选择。",
        ));
    }
    Ok(ids)
}

/// Records a visit and registers the requests raised during it, all or nothing.
pub fn record_visit(store: &Store, input: &VisitInput, today: NaiveDate) -> Result<Visit> {
    let id = store.write(|tx| {
        let cal = Calendar::load(tx)?;
        insert(tx, &cal, input, today)
    })?;
    get_visit(store, id)
}

pub(crate) fn insert(
    c: &Connection,
    cal: &Calendar,
    input: &VisitInput,
    today: NaiveDate,
) -> Result<i64> {
    let date = input.visit_date.unwrap_or(today);
    if date > today {
        return Err(Error::invalid(
            "visitDate",
            format!("走访日期 {date} 晚于今天，请核对。"),
        ));
    }
    let head: Option<String> = c
        .prepare_cached("SELECT head_name FROM households WHERE id = ?1")?
        .query_row([input.household_id], |r| r.get(0))
        .optional()?;
    let Some(head) = head else {
        return Err(Error::invalid("householdId", "请选择走访的农户。"));
    };
    let cadres = check_cadres(c, &input.cadre_ids)?;
    if input.evaluation.is_some() && !input.outcome.counts() {
        return Err(Error::invalid(
            "evaluation",
            format!(
                "走访结果是“{}”，没有见到人，不能记录群众评价。",
                input.outcome
            ),
        ));
    }
    let learned = check_optional_text("learned", "了解到的情况", &input.learned, 2000)?;
    // Typing up a week of diaries: the same household, day and cadre twice is a double entry.
    let twice: Option<(i64, String)> = c
        .prepare_cached(&format!(
            "SELECT v.id, cd.name FROM visits v JOIN visit_cadres vc ON vc.visit_id = v.id JOIN cadres cd ON cd.id = vc.cadre_id
             WHERE v.household_id = ?1 AND v.visit_date = ?2 AND vc.cadre_id IN ({}) LIMIT 1",
            placeholders(cadres.len())
        ))?
        .query_row(
            params_from_iter(
                [Value::from(input.household_id), Value::from(date.to_string())]
                    .into_iter()
                    .chain(cadres.iter().map(|&i| Value::from(i))),
            ),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((other, cadre)) = twice {
        return Err(Error::duplicate(
            "visitDate",
            format!("“{head}”户 {date} 已经有一条{cadre}的走访记录（记录号 {other}），不要重复录入；如需补充，请修改那一条。"),
        ));
    }
    let now = crate::now_text();
    c.prepare_cached(
        "INSERT INTO visits (household_id, visit_date, outcome, learned, evaluation, operator, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![input.household_id, date, input.outcome, learned, input.evaluation, crate::requests::rules::operator(c)?, now])?;
    let id = c.last_insert_rowid();
    // A planned visit is closed by this entry; 不在家 leaves it due (its attempt noted).
    crate::plan::adjust::link_visit(c, id, input.household_id, date, input.outcome.counts())?;
    let mut ins =
        c.prepare_cached("INSERT INTO visit_cadres (visit_id, cadre_id) VALUES (?1, ?2)")?;
    for cid in &cadres {
        ins.execute(params![id, cid])?;
    }
    for (i, r) in input.requests.iter().enumerate() {
        let req = RequestInput {
            source: Source::Visit,
            household_id: Some(input.household_id),
            requester_name: r.requester_name.clone(),
            requester_phone: String::new(),
            village_id: None,
            visit_id: Some(id),
            kind: r.kind,
            category_id: r.category_id,
            urgency: r.urgency,
            handling: r.handling,
            content: r.content.clone(),
            received_on: Some(date),
            unit_id: r.unit_id,
        };
        lifecycle::insert(c, &req, cal, today).map_err(|e| nth_request(i, e))?;
    }
    Ok(id)
}

/// Says which of the inline requests a problem belongs to.
fn nth_request(i: usize, e: Error) -> Error {
    match e {
        Error::Invalid { field, message } => Error::Invalid {
            field,
            message: format!("第 {} 条诉求：{message}", i + 1),
        },
        other => other,
    }
}

pub fn get_visit(store: &Store, id: i64) -> Result<Visit> {
    store.read(|c| {
        let mut v = c
            .query_row(
                "SELECT v.id, v.household_id, h.head_name, vl.name, g.name, v.visit_date, v.outcome, v.learned, v.evaluation,
                        v.operator, v.created_at
                 FROM visits v JOIN households h ON h.id = v.household_id
                 JOIN villages vl ON vl.id = h.village_id JOIN village_groups g ON g.id = h.group_id
                 WHERE v.id = ?1",
                [id],
                |r| {
                    Ok(Visit {
                        id: r.get(0)?,
                        household_id: r.get(1)?,
                        head_name: r.get(2)?,
                        village_name: r.get(3)?,
                        group_name: r.get(4)?,
                        visit_date: r.get(5)?,
                        outcome: r.get(6)?,
                        learned: r.get(7)?,
                        evaluation: r.get(8)?,
                        operator: r.get(9)?,
                        created_at: r.get(10)?,
                        cadres: Vec::new(),
                        requests: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("找不到记录号为 {id} 的走访记录。")))?;
        v.cadres = c
            .prepare_cached("SELECT cd.id, cd.name FROM visit_cadres vc JOIN cadres cd ON cd.id = vc.cadre_id WHERE vc.visit_id = ?1 ORDER BY cd.name_pinyin")?
            .query_map([id], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        v.requests = c
            .prepare_cached("SELECT id, number, kind, content, status, deadline FROM requests WHERE visit_id = ?1 ORDER BY id")?
            .query_map([id], |r| {
                Ok(VisitRequest { id: r.get(0)?, number: r.get(1)?, kind: r.get(2)?, content: r.get(3)?, status: r.get(4)?, deadline: r.get(5)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(v)
    })
}

pub fn list_visits(store: &Store, q: &VisitQuery) -> Result<Page<VisitRow>> {
    store.read(|c| {
        let (page, size, offset) = page_bounds(q.page, q.page_size);
        let mut wh: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(v) = q.village_id {
            wh.push("h.village_id = ?");
            args.push(v.into());
        }
        if let Some(cd) = q.cadre_id {
            wh.push("v.id IN (SELECT visit_id FROM visit_cadres WHERE cadre_id = ?)");
            args.push(cd.into());
        }
        if let Some(hh) = q.household_id {
            wh.push("v.household_id = ?");
            args.push(hh.into());
        }
        if let Some(o) = q.outcome {
            wh.push("v.outcome = ?");
            args.push(o.as_str().to_string().into());
        }
        if let Some(f) = q.from {
            wh.push("v.visit_date >= ?");
            args.push(f.to_string().into());
        }
        if let Some(t) = q.to {
            wh.push("v.visit_date <= ?");
            args.push(t.to_string().into());
        }
        let wh = if wh.is_empty() { String::new() } else { format!("WHERE {}", wh.join(" AND ")) };
        let total: i64 = c
            .prepare_cached(&format!("SELECT count(*) FROM visits v JOIN households h ON h.id = v.household_id {wh}"))?
            .query_row(params_from_iter(&args), |r| r.get(0))?;
        args.push((size as i64).into());
        args.push(offset.into());
        let rows = c
            .prepare_cached(&format!(
                "SELECT v.id, v.visit_date, v.household_id, h.head_name, vl.name, g.name,
                        (SELECT group_concat(cd.name, char(31)) FROM visit_cadres vc JOIN cadres cd ON cd.id = vc.cadre_id WHERE vc.visit_id = v.id),
                        v.outcome, v.learned, v.evaluation,
                        (SELECT count(*) FROM requests r WHERE r.visit_id = v.id)
                 FROM visits v JOIN households h ON h.id = v.household_id
                 JOIN villages vl ON vl.id = h.village_id JOIN village_groups g ON g.id = h.group_id
                 {wh}
                 ORDER BY v.visit_date DESC, v.id DESC LIMIT ? OFFSET ?"
            ))?
            .query_map(params_from_iter(&args), |r| {
                let cadres: Option<String> = r.get(6)?;
                Ok(VisitRow {
                    id: r.get(0)?,
                    visit_date: r.get(1)?,
                    household_id: r.get(2)?,
                    head_name: r.get(3)?,
                    village_name: r.get(4)?,
                    group_name: r.get(5)?,
                    cadre_names: cadres.map(|s| s.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default(),
                    outcome: r.get(7)?,
                    learned: r.get(8)?,
                    evaluation: r.get(9)?,
                    request_count: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, page, page_size: size, rows })
    })
}

/// One entry of a household's timeline: a visit or a request, newest first.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// `visit` or `request`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub detail: String,
}

/// Every visit and request of a household.
pub fn household_timeline(store: &Store, household_id: i64) -> Result<Vec<TimelineItem>> {
    store.read(|c| {
        let mut items: Vec<TimelineItem> = c
            .prepare_cached(
                "SELECT v.id, v.visit_date, v.outcome, v.learned,
                        (SELECT group_concat(cd.name, '、') FROM visit_cadres vc JOIN cadres cd ON cd.id = vc.cadre_id WHERE vc.visit_id = v.id)
                 FROM visits v WHERE v.household_id = ?1",
            )?
            .query_map([household_id], |r| {
                let outcome: VisitOutcome = r.get(2)?;
                let cadres: Option<String> = r.get(4)?;
                Ok(TimelineItem {
                    date: r.get(1)?,
                    kind: "visit".into(),
                    id: r.get(0)?,
                    title: format!("走访：{outcome}（{}）", cadres.unwrap_or_default()),
                    detail: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let reqs: Vec<TimelineItem> = c
            .prepare_cached("SELECT id, received_on, number, kind, status, content FROM requests WHERE household_id = ?1")?
            .query_map([household_id], |r| {
                let kind: RequestKind = r.get(3)?;
                let status: Status = r.get(4)?;
                Ok(TimelineItem {
                    date: r.get(1)?,
                    kind: "request".into(),
                    id: r.get(0)?,
                    title: format!("诉求 {}：{kind}，{status}", r.get::<_, String>(2)?),
                    detail: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        items.extend(reqs);
        items.sort_by(|a, b| b.date.cmp(&a.date).then(b.kind.cmp(&a.kind)).then(b.id.cmp(&a.id)));
        Ok(items)
    })
}
