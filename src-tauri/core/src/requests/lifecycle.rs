//! Registering a request and every step of its lifecycle. Each step checks that it may happen
//! now, changes the request and appends one history row — in one transaction.

use super::rules::{operator, read_deadline_rules};
use super::{Handling, Outcome, RequestKind, Satisfaction, Source, Status, Urgency};
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::validate::{check_optional_text, check_person_name, check_phone, check_text};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the registration form (or a visit's inline request) sends.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RequestInput {
    pub source: Source,
    /// The household the request comes from; its head, phone and village fill the blanks.
    #[serde(default)]
    pub household_id: Option<i64>,
    /// 诉求人 when not a registered household (or someone other than the head).
    #[serde(default)]
    pub requester_name: String,
    #[serde(default)]
    pub requester_phone: String,
    #[serde(default)]
    pub village_id: Option<i64>,
    #[serde(default)]
    pub visit_id: Option<i64>,
    pub kind: RequestKind,
    pub category_id: i64,
    pub urgency: Urgency,
    #[serde(default)]
    pub handling: Option<Handling>,
    pub content: String,
    /// The day it was received; today when absent.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub received_on: Option<NaiveDate>,
    /// 交办 at once to this unit, in the same transaction.
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// A step of the lifecycle, as the UI and the CLI ask for it.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Action {
    /// 交办: to a unit (and a person there).
    Assign {
        unit_id: i64,
        #[serde(default)]
        handler: String,
        #[serde(default)]
        note: String,
    },
    /// 退回: the unit sends it back (not its remit); it waits for a new assignment.
    Return { reason: String },
    /// 改派: to another unit.
    Reassign {
        unit_id: i64,
        #[serde(default)]
        handler: String,
        reason: String,
    },
    /// 办理中: a progress note from the unit.
    Progress { note: String },
    /// 延期: asked before the deadline, to a later day.
    Extend {
        #[ts(type = "string")]
        to: NaiveDate,
        reason: String,
    },
    /// 催办: a reminder to the unit.
    Urge {
        #[serde(default)]
        note: String,
    },
    /// 督办: formal supervision by the activity office.
    Supervise { note: String },
    /// Marks the request behind schedule (yellow) or clears the mark.
    MarkBehind {
        behind: bool,
        #[serde(default)]
        note: String,
    },
    /// 办结: the result and the reply to the villager are both required.
    Close {
        result: String,
        reply: String,
        outcome: Outcome,
    },
    /// 回访: the villager's satisfaction.
    Review {
        satisfaction: Satisfaction,
        #[serde(default)]
        note: String,
    },
    /// 重办: reopened after 不满意.
    Reopen { reason: String },
}

impl Action {
    pub fn label(&self) -> &'static str {
        match self {
            Action::Assign { .. } => "交办",
            Action::Return { .. } => "退回",
            Action::Reassign { .. } => "改派",
            Action::Progress { .. } => "办理",
            Action::Extend { .. } => "延期",
            Action::Urge { .. } => "催办",
            Action::Supervise { .. } => "督办",
            Action::MarkBehind { behind: true, .. } => "标记滞后",
            Action::MarkBehind { behind: false, .. } => "取消滞后",
            Action::Close { .. } => "办结",
            Action::Review { .. } => "回访",
            Action::Reopen { .. } => "重办",
        }
    }
}

pub(crate) fn history(
    c: &Connection,
    id: i64,
    on: NaiveDate,
    action: &str,
    from: Option<Status>,
    to: Option<Status>,
    note: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO request_history (request_id, at, on_date, operator, action, from_status, to_status, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![id, crate::now_text(), on, operator(c)?, action, from, to, note])?;
    Ok(())
}

fn check_category(c: &Connection, id: i64) -> Result<()> {
    if c.prepare_cached("SELECT 1 FROM request_categories WHERE id = ?1")?
        .exists([id])?
    {
        Ok(())
    } else {
        Err(Error::invalid("categoryId", "请选择诉求类别。"))
    }
}

fn check_unit(c: &Connection, id: i64) -> Result<String> {
    c.query_row(
        "SELECT name FROM units WHERE id = ?1 AND active = 1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::invalid("unitId", "请选择责任单位（已停用的单位不能再交办）。"))
}

/// Registers a request (登记) with its number and deadline; returns its id.
pub(crate) fn insert(
    c: &Connection,
    input: &RequestInput,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<i64> {
    let received = input.received_on.unwrap_or(today);
    if received > today {
        return Err(Error::invalid(
            "receivedOn",
            format!("受理日期 {received} 晚于今天，请核对。"),
        ));
    }
    let (mut name, mut phone, mut village) = (
        input.requester_name.trim().to_string(),
        input.requester_phone.clone(),
        input.village_id,
    );
    if let Some(hid) = input.household_id {
        let (head, hphone, hvillage): (String, String, i64) = c
            .prepare_cached("SELECT head_name, phone, village_id FROM households WHERE id = ?1")?
            .query_row([hid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| Error::invalid("householdId", "所选的农户已不存在，请重新选择。"))?;
        if name.is_empty() {
            name = head;
        }
        if phone.trim().is_empty() {
            phone = hphone;
        }
        village = Some(hvillage);
    }
    let name = check_person_name("requesterName", "诉求人姓名", &name)?;
    let phone = check_phone("requesterPhone", "联系电话", &phone)?;
    let village = village.ok_or_else(|| {
        Error::invalid(
            "villageId",
            "请选择诉求人所在的村/社区（或选择登记在册的农户）。",
        )
    })?;
    if !c
        .prepare_cached("SELECT 1 FROM villages WHERE id = ?1")?
        .exists([village])?
    {
        return Err(Error::invalid(
            "villageId",
            "所选的村/社区已不存在，请重新选择。",
        ));
    }
    if let Some(v) = input.visit_id {
        if !c
            .prepare_cached("SELECT 1 FROM visits WHERE id = ?1")?
            .exists([v])?
        {
            return Err(Error::invalid("visitId", "关联的走访记录已不存在。"));
        }
    }
    check_category(c, input.category_id)?;
    let content = check_text("content", "诉求内容", &input.content, 2000)?;
    let deadline = read_deadline_rules(c)?.deadline(cal, input.kind, input.urgency, received);
    let year = chrono::Datelike::year(&received);
    let seq: i64 = c
        .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM requests WHERE year = ?1")?
        .query_row([year], |r| r.get(0))?;
    let number = format!("{year}-{seq:06}");
    let now = crate::now_text();
    c.prepare_cached(
        "INSERT INTO requests (number, year, seq, source, household_id, requester_name, requester_phone, village_id,
             visit_id, kind, category_id, urgency, handling, content, received_on, deadline, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, '登记', ?17, ?17)",
    )?
    .execute(params![
        number,
        year,
        seq,
        input.source,
        input.household_id,
        name,
        phone,
        village,
        input.visit_id,
        input.kind,
        input.category_id,
        input.urgency,
        input.handling,
        content,
        received,
        deadline,
        now
    ])?;
    let id = c.last_insert_rowid();
    history(
        c,
        id,
        received,
        "登记",
        None,
        Some(Status::Registered),
        &format!(
            "{}，{}，{}；办结时限 {deadline}",
            input.source, input.kind, input.urgency
        ),
    )?;
    if let Some(unit_id) = input.unit_id {
        let assign = Action::Assign {
            unit_id,
            handler: String::new(),
            note: String::new(),
        };
        apply(c, id, &assign, received)?;
    }
    Ok(id)
}

pub fn register(
    store: &Store,
    input: &RequestInput,
    today: NaiveDate,
) -> Result<super::query::Request> {
    let id = store.write(|tx| {
        let cal = Calendar::load(tx)?;
        insert(tx, input, &cal, today)
    })?;
    super::query::get_request(store, id, today)
}

struct Current {
    status: Status,
    unit_id: Option<i64>,
    deadline: NaiveDate,
    received_on: NaiveDate,
    kind: RequestKind,
    urgency: Urgency,
    first_response_on: Option<NaiveDate>,
    satisfaction: Option<Satisfaction>,
    number: String,
}

fn current(c: &Connection, id: i64) -> Result<Current> {
    c.query_row(
        "SELECT status, unit_id, deadline, received_on, kind, urgency, first_response_on, satisfaction, number
         FROM requests WHERE id = ?1",
        [id],
        |r| {
            Ok(Current {
                status: r.get(0)?,
                unit_id: r.get(1)?,
                deadline: r.get(2)?,
                received_on: r.get(3)?,
                kind: r.get(4)?,
                urgency: r.get(5)?,
                first_response_on: r.get(6)?,
                satisfaction: r.get(7)?,
                number: r.get(8)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("找不到编号为 {id} 的诉求，请刷新后重试。")))
}

fn refuse(number: &str, what: &str, status: Status, why: &str) -> Error {
    Error::Conflict(format!(
        "诉求 {number} 当前状态是“{status}”，不能{what}：{why}"
    ))
}

fn required(field: &'static str, label: &str, v: &str) -> Result<String> {
    let t = check_optional_text(field, label, v, 2000)?;
    if t.is_empty() {
        return Err(Error::invalid(field, format!("请填写{label}。")));
    }
    Ok(t)
}

/// Carries out one step on request `id`, dated `on` (today, or the day it happened when typed
/// up later). Refused steps change nothing and say why.
pub fn act(
    store: &Store,
    id: i64,
    action: &Action,
    on: NaiveDate,
) -> Result<super::query::Request> {
    store.write(|tx| apply(tx, id, action, on))?;
    super::query::get_request(store, id, on)
}

pub(crate) fn apply(c: &Connection, id: i64, action: &Action, on: NaiveDate) -> Result<()> {
    let cur = current(c, id)?;
    let label = action.label();
    let open = cur.status.is_open();
    if on < cur.received_on {
        return Err(Error::invalid(
            "on",
            format!(
                "{label}日期 {on} 早于受理日期 {}，请核对。",
                cur.received_on
            ),
        ));
    }
    let now = crate::now_text();
    let respond = |c: &Connection| -> Result<()> {
        if cur.first_response_on.is_none() {
            c.execute(
                "UPDATE requests SET first_response_on = ?1 WHERE id = ?2",
                params![on, id],
            )?;
        }
        Ok(())
    };
    let set_status = |c: &Connection, to: Status| -> Result<()> {
        c.execute(
            "UPDATE requests SET status = ?1, updated_at = ?2 WHERE id = ?3",
            params![to, now, id],
        )?;
        Ok(())
    };
    let (to, note) = match action {
        Action::Assign {
            unit_id,
            handler,
            note,
        } => {
            if !matches!(cur.status, Status::Registered) {
                let why = if open {
                    "已经交办，换单位请用“改派”"
                } else {
                    "诉求已经办结"
                };
                return Err(refuse(&cur.number, "交办", cur.status, why));
            }
            let unit = check_unit(c, *unit_id)?;
            let handler = check_optional_text("handler", "责任人", handler, 20)?;
            c.execute(
                "UPDATE requests SET unit_id = ?1, handler = ?2 WHERE id = ?3",
                params![unit_id, handler, id],
            )?;
            respond(c)?;
            set_status(c, Status::Assigned)?;
            let note = check_optional_text("note", "备注", note, 500)?;
            (
                Some(Status::Assigned),
                format!(
                    "交办给 {unit}{}{}",
                    if handler.is_empty() {
                        String::new()
                    } else {
                        format!("（{handler}）")
                    },
                    sep(&note)
                ),
            )
        }
        Action::Return { reason } => {
            if !matches!(cur.status, Status::Assigned | Status::InProgress) {
                return Err(refuse(
                    &cur.number,
                    "退回",
                    cur.status,
                    "只有已交办、办理中的诉求可以退回",
                ));
            }
            let reason = required("reason", "退回理由", reason)?;
            c.execute(
                "UPDATE requests SET unit_id = NULL, handler = '' WHERE id = ?1",
                [id],
            )?;
            set_status(c, Status::Registered)?;
            (Some(Status::Registered), reason)
        }
        Action::Reassign {
            unit_id,
            handler,
            reason,
        } => {
            if !matches!(cur.status, Status::Assigned | Status::InProgress) {
                return Err(refuse(
                    &cur.number,
                    "改派",
                    cur.status,
                    "只有已交办、办理中的诉求可以改派；未交办的请直接交办",
                ));
            }
            if cur.unit_id == Some(*unit_id) {
                return Err(Error::invalid(
                    "unitId",
                    "改派的单位与当前承办单位相同，请选择另一个单位。",
                ));
            }
            let reason = required("reason", "改派理由", reason)?;
            let unit = check_unit(c, *unit_id)?;
            let handler = check_optional_text("handler", "责任人", handler, 20)?;
            c.execute(
                "UPDATE requests SET unit_id = ?1, handler = ?2 WHERE id = ?3",
                params![unit_id, handler, id],
            )?;
            set_status(c, Status::Assigned)?;
            (Some(Status::Assigned), format!("改派给 {unit}：{reason}"))
        }
        Action::Progress { note } => {
            if !matches!(cur.status, Status::Assigned | Status::InProgress) {
                let why = if cur.status == Status::Registered {
                    "请先交办给责任单位"
                } else {
                    "诉求已经办结"
                };
                return Err(refuse(&cur.number, "登记办理进展", cur.status, why));
            }
            let note = required("note", "办理进展", note)?;
            respond(c)?;
            set_status(c, Status::InProgress)?;
            (Some(Status::InProgress), note)
        }
        Action::Extend { to, reason } => {
            if !open {
                return Err(refuse(&cur.number, "延期", cur.status, "诉求已经办结"));
            }
            if on > cur.deadline {
                return Err(Error::Conflict(format!(
                    "诉求 {} 的办结时限 {} 已过，延期必须在时限之前申请。现在只能尽快办结，或由活动办督办。",
                    cur.number, cur.deadline
                )));
            }
            if *to <= cur.deadline {
                return Err(Error::invalid(
                    "to",
                    format!("新的时限 {to} 应晚于原时限 {}。", cur.deadline),
                ));
            }
            let reason = required("reason", "延期理由", reason)?;
            c.execute(
                "UPDATE requests SET deadline = ?1, extended = 1, updated_at = ?2 WHERE id = ?3",
                params![to, now, id],
            )?;
            (None, format!("时限由 {} 延至 {to}：{reason}", cur.deadline))
        }
        Action::Urge { note } => {
            if !open {
                return Err(refuse(&cur.number, "催办", cur.status, "诉求已经办结"));
            }
            (None, check_optional_text("note", "备注", note, 500)?)
        }
        Action::Supervise { note } => {
            if !open {
                return Err(refuse(&cur.number, "督办", cur.status, "诉求已经办结"));
            }
            (None, required("note", "督办意见", note)?)
        }
        Action::MarkBehind { behind, note } => {
            if !open {
                return Err(refuse(&cur.number, "标记进度", cur.status, "诉求已经办结"));
            }
            c.execute(
                "UPDATE requests SET behind = ?1, updated_at = ?2 WHERE id = ?3",
                params![behind, now, id],
            )?;
            (None, check_optional_text("note", "备注", note, 500)?)
        }
        Action::Close {
            result,
            reply,
            outcome,
        } => {
            if !open {
                return Err(refuse(&cur.number, "办结", cur.status, "诉求已经办结"));
            }
            let missing: Vec<&str> = [
                ("办理结果", result.trim().is_empty()),
                ("答复群众的内容", reply.trim().is_empty()),
            ]
            .into_iter()
            .filter_map(|(l, m)| m.then_some(l))
            .collect();
            if !missing.is_empty() {
                let field = if result.trim().is_empty() {
                    "result"
                } else {
                    "reply"
                };
                return Err(Error::invalid(
                    field,
                    format!("不能办结：还没有填写{}。“事事有回音，件件有结果”——结果和对群众的答复都要有。", missing.join("和")),
                ));
            }
            let result = check_text("result", "办理结果", result, 2000)?;
            let reply = check_text("reply", "答复群众的内容", reply, 2000)?;
            respond(c)?;
            c.execute(
                "UPDATE requests SET result = ?1, reply = ?2, outcome = ?3, closed_on = ?4, status = '已办结', updated_at = ?5 WHERE id = ?6",
                params![result, reply, outcome, on, now, id],
            )?;
            (Some(Status::Closed), format!("{outcome}：{result}"))
        }
        Action::Review { satisfaction, note } => {
            if cur.status != Status::Closed {
                let why = if open {
                    "还没有办结"
                } else {
                    "已经回访过"
                };
                return Err(refuse(&cur.number, "回访", cur.status, why));
            }
            c.execute(
                "UPDATE requests SET satisfaction = ?1, reviewed_on = ?2, status = '已回访', updated_at = ?3 WHERE id = ?4",
                params![satisfaction, on, now, id],
            )?;
            let note = check_optional_text("note", "备注", note, 500)?;
            (
                Some(Status::Reviewed),
                format!("群众评价：{satisfaction}{}", sep(&note)),
            )
        }
        Action::Reopen { reason } => {
            if cur.status != Status::Reviewed
                || cur.satisfaction != Some(Satisfaction::Dissatisfied)
            {
                return Err(refuse(
                    &cur.number,
                    "重办",
                    cur.status,
                    "只有回访“不满意”的诉求才能重办",
                ));
            }
            let reason = required("reason", "重办理由", reason)?;
            let cal = Calendar::load(c)?;
            let deadline = read_deadline_rules(c)?.deadline(&cal, cur.kind, cur.urgency, on);
            c.execute(
                "UPDATE requests SET status = '办理中', result = '', reply = '', outcome = NULL, closed_on = NULL,
                     satisfaction = NULL, reviewed_on = NULL, reopened = reopened + 1, extended = 0, behind = 0,
                     deadline = ?1, updated_at = ?2
                 WHERE id = ?3",
                params![deadline, now, id],
            )?;
            (
                Some(Status::InProgress),
                format!("{reason}；新的办结时限 {deadline}"),
            )
        }
    };
    c.execute(
        "UPDATE requests SET updated_at = ?1 WHERE id = ?2",
        params![now, id],
    )?;
    history(c, id, on, label, Some(cur.status), to, &note)
}

fn sep(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        format!("；{note}")
    }
}

/// 交办 several requests to one unit at once: all of them, or none (the message names the
/// request that cannot be assigned).
pub fn assign_many(store: &Store, ids: &[i64], unit_id: i64, on: NaiveDate) -> Result<usize> {
    store.write(|tx| {
        for id in ids {
            apply(
                tx,
                *id,
                &Action::Assign {
                    unit_id,
                    handler: String::new(),
                    note: "批量交办".into(),
                },
                on,
            )?;
        }
        Ok(ids.len())
    })
}

/// 催办 every overdue request of a unit; returns how many were urged.
pub fn urge_overdue(store: &Store, unit_id: i64, on: NaiveDate, note: &str) -> Result<usize> {
    store.write(|tx| {
        let ids: Vec<i64> = tx
            .prepare(&format!(
                "SELECT id FROM requests WHERE unit_id = ?1 AND status IN {} AND deadline < ?2 ORDER BY id",
                super::OPEN_SQL
            ))?
            .query_map(params![unit_id, on], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let note = if note.trim().is_empty() { "超期批量催办".to_string() } else { note.to_string() };
        for id in &ids {
            apply(tx, *id, &Action::Urge { note: note.clone() }, on)?;
        }
        Ok(ids.len())
    })
}
