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

/// The lifecycle in one table: the statuses each step may start from, and how the refusal
/// names the step. 登记 → 交办 → 办理中 → 已办结 → 已回访, with 退回 and 改派 while a unit holds
/// it, the 督办 steps while it is open, and 重办 after a 不满意 回访.
pub(crate) fn starts_from(action: &Action) -> (&'static [Status], &'static str) {
    use Status::*;
    const OPEN: &[Status] = &[Registered, Assigned, InProgress];
    const HELD: &[Status] = &[Assigned, InProgress];
    match action {
        Action::Assign { .. } => (&[Registered], "交办"),
        Action::Return { .. } => (HELD, "退回"),
        Action::Reassign { .. } => (HELD, "改派"),
        Action::Progress { .. } => (HELD, "登记办理进展"),
        Action::Extend { .. } => (OPEN, "延期"),
        Action::Urge { .. } => (OPEN, "催办"),
        Action::Supervise { .. } => (OPEN, "督办"),
        Action::MarkBehind { .. } => (OPEN, "标记进度"),
        Action::Close { .. } => (OPEN, "办结"),
        Action::Review { .. } => (&[Closed], "回访"),
        Action::Reopen { .. } => (&[Reviewed], "重办"),
    }
}

/// Why `action` cannot start from `status` (one not in [`starts_from`]), and what to do instead.
fn why_not(action: &Action, status: Status) -> &'static str {
    match action {
        Action::Assign { .. } if status.is_open() => "已经交办，换单位请用“改派”",
        Action::Return { .. } => "只有已交办、办理中的诉求可以退回",
        Action::Reassign { .. } => "只有已交办、办理中的诉求可以改派；未交办的请直接交办",
        Action::Progress { .. } if status == Status::Registered => "请先交办给责任单位",
        Action::Review { .. } if status.is_open() => "还没有办结",
        Action::Review { .. } => "已经回访过",
        Action::Reopen { .. } => "只有回访“不满意”的诉求才能重办",
        _ => "诉求已经办结",
    }
}

/// One step being carried out: the request as it was, the step's date and the time written.
struct Step<'a> {
    c: &'a Connection,
    id: i64,
    on: NaiveDate,
    now: String,
    cur: Current,
}

/// What a step did: the status it moved the request to (None: unchanged) and the history note.
type Done = (Option<Status>, String);

impl Step<'_> {
    /// The first answer to the villager (响应), dated by the first step that gives one.
    fn respond(&self) -> Result<()> {
        if self.cur.first_response_on.is_none() {
            self.c.execute(
                "UPDATE requests SET first_response_on = ?1 WHERE id = ?2",
                params![self.on, self.id],
            )?;
        }
        Ok(())
    }

    fn set_status(&self, to: Status) -> Result<()> {
        self.c.execute(
            "UPDATE requests SET status = ?1, updated_at = ?2 WHERE id = ?3",
            params![to, self.now, self.id],
        )?;
        Ok(())
    }

    fn set_unit(&self, unit_id: i64, handler: &str) -> Result<(String, String)> {
        let unit = check_unit(self.c, unit_id)?;
        let handler = check_optional_text("handler", "责任人", handler, 20)?;
        self.c.execute(
            "UPDATE requests SET unit_id = ?1, handler = ?2 WHERE id = ?3",
            params![unit_id, handler, self.id],
        )?;
        Ok((unit, handler))
    }

    fn assign(&self, unit_id: i64, handler: &str, note: &str) -> Result<Done> {
        let (unit, handler) = self.set_unit(unit_id, handler)?;
        self.respond()?;
        self.set_status(Status::Assigned)?;
        let note = check_optional_text("note", "备注", note, 500)?;
        let who = if handler.is_empty() {
            String::new()
        } else {
            format!("（{handler}）")
        };
        Ok((
            Some(Status::Assigned),
            format!("交办给 {unit}{who}{}", sep(&note)),
        ))
    }

    fn give_back(&self, reason: &str) -> Result<Done> {
        let reason = required("reason", "退回理由", reason)?;
        self.c.execute(
            "UPDATE requests SET unit_id = NULL, handler = '' WHERE id = ?1",
            [self.id],
        )?;
        self.set_status(Status::Registered)?;
        Ok((Some(Status::Registered), reason))
    }

    fn reassign(&self, unit_id: i64, handler: &str, reason: &str) -> Result<Done> {
        if self.cur.unit_id == Some(unit_id) {
            return Err(Error::invalid(
                "unitId",
                "改派的单位与当前承办单位相同，请选择另一个单位。",
            ));
        }
        let reason = required("reason", "改派理由", reason)?;
        let (unit, _) = self.set_unit(unit_id, handler)?;
        self.set_status(Status::Assigned)?;
        Ok((Some(Status::Assigned), format!("改派给 {unit}：{reason}")))
    }

    fn progress(&self, note: &str) -> Result<Done> {
        let note = required("note", "办理进展", note)?;
        self.respond()?;
        self.set_status(Status::InProgress)?;
        Ok((Some(Status::InProgress), note))
    }

    fn extend(&self, to: NaiveDate, reason: &str) -> Result<Done> {
        let cur = &self.cur;
        if self.on > cur.deadline {
            return Err(Error::Conflict(format!(
                "诉求 {} 的办结时限 {} 已过，延期必须在时限之前申请。现在只能尽快办结，或由活动办督办。",
                cur.number, cur.deadline
            )));
        }
        if to <= cur.deadline {
            return Err(Error::invalid(
                "to",
                format!("新的时限 {to} 应晚于原时限 {}。", cur.deadline),
            ));
        }
        let reason = required("reason", "延期理由", reason)?;
        self.c.execute(
            "UPDATE requests SET deadline = ?1, extended = 1, updated_at = ?2 WHERE id = ?3",
            params![to, self.now, self.id],
        )?;
        Ok((None, format!("时限由 {} 延至 {to}：{reason}", cur.deadline)))
    }

    fn mark_behind(&self, behind: bool, note: &str) -> Result<Done> {
        self.c.execute(
            "UPDATE requests SET behind = ?1, updated_at = ?2 WHERE id = ?3",
            params![behind, self.now, self.id],
        )?;
        Ok((None, check_optional_text("note", "备注", note, 500)?))
    }

    fn close(&self, result: &str, reply: &str, outcome: Outcome) -> Result<Done> {
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
                format!(
                    "不能办结：还没有填写{}。“事事有回音，件件有结果”——结果和对群众的答复都要有。",
                    missing.join("和")
                ),
            ));
        }
        let result = check_text("result", "办理结果", result, 2000)?;
        let reply = check_text("reply", "答复群众的内容", reply, 2000)?;
        self.respond()?;
        self.c.execute(
            "UPDATE requests SET result = ?1, reply = ?2, outcome = ?3, closed_on = ?4, status = '已办结', updated_at = ?5 WHERE id = ?6",
            params![result, reply, outcome, self.on, self.now, self.id],
        )?;
        Ok((Some(Status::Closed), format!("{outcome}：{result}")))
    }

    fn review(&self, satisfaction: Satisfaction, note: &str) -> Result<Done> {
        self.c.execute(
            "UPDATE requests SET satisfaction = ?1, reviewed_on = ?2, status = '已回访', updated_at = ?3 WHERE id = ?4",
            params![satisfaction, self.on, self.now, self.id],
        )?;
        let note = check_optional_text("note", "备注", note, 500)?;
        Ok((
            Some(Status::Reviewed),
            format!("群众评价：{satisfaction}{}", sep(&note)),
        ))
    }

    /// `action` is the 重办 itself: a refusal reads as the table's.
    fn reopen(&self, action: &Action, reason: &str) -> Result<Done> {
        let cur = &self.cur;
        if cur.satisfaction != Some(Satisfaction::Dissatisfied) {
            return Err(refuse(
                &cur.number,
                "重办",
                cur.status,
                why_not(action, cur.status),
            ));
        }
        let reason = required("reason", "重办理由", reason)?;
        let cal = Calendar::load(self.c)?;
        let deadline = read_deadline_rules(self.c)?.deadline(&cal, cur.kind, cur.urgency, self.on);
        self.c.execute(
            "UPDATE requests SET status = '办理中', result = '', reply = '', outcome = NULL, closed_on = NULL,
                 satisfaction = NULL, reviewed_on = NULL, reopened = reopened + 1, extended = 0, behind = 0,
                 deadline = ?1, updated_at = ?2
             WHERE id = ?3",
            params![deadline, self.now, self.id],
        )?;
        Ok((
            Some(Status::InProgress),
            format!("{reason}；新的办结时限 {deadline}"),
        ))
    }
}

pub(crate) fn apply(c: &Connection, id: i64, action: &Action, on: NaiveDate) -> Result<()> {
    let cur = current(c, id)?;
    let label = action.label();
    if on < cur.received_on {
        return Err(Error::invalid(
            "on",
            format!(
                "{label}日期 {on} 早于受理日期 {}，请核对。",
                cur.received_on
            ),
        ));
    }
    let (from, what) = starts_from(action);
    if !from.contains(&cur.status) {
        return Err(refuse(
            &cur.number,
            what,
            cur.status,
            why_not(action, cur.status),
        ));
    }
    let step = Step {
        c,
        id,
        on,
        now: crate::now_text(),
        cur,
    };
    let (to, note) = match action {
        Action::Assign {
            unit_id,
            handler,
            note,
        } => step.assign(*unit_id, handler, note)?,
        Action::Return { reason } => step.give_back(reason)?,
        Action::Reassign {
            unit_id,
            handler,
            reason,
        } => step.reassign(*unit_id, handler, reason)?,
        Action::Progress { note } => step.progress(note)?,
        Action::Extend { to, reason } => step.extend(*to, reason)?,
        Action::Urge { note } => (None, check_optional_text("note", "备注", note, 500)?),
        Action::Supervise { note } => (None, required("note", "督办意见", note)?),
        Action::MarkBehind { behind, note } => step.mark_behind(*behind, note)?,
        Action::Close {
            result,
            reply,
            outcome,
        } => step.close(result, reply, *outcome)?,
        Action::Review { satisfaction, note } => step.review(*satisfaction, note)?,
        Action::Reopen { reason } => step.reopen(action, reason)?,
    };
    c.execute(
        "UPDATE requests SET updated_at = ?1 WHERE id = ?2",
        params![step.now, id],
    )?;
    history(c, id, on, label, Some(step.cur.status), to, &note)
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

#[cfg(test)]
mod tests {
    use super::{starts_from, why_not, Action, Status};

    /// The table read as the lifecycle the coordinator knows: which status each step starts from.
    #[test]
    fn each_step_starts_only_where_the_lifecycle_allows() {
        let s = |x: &str| x.to_string();
        let steps = [
            Action::Assign {
                unit_id: 1,
                handler: s(""),
                note: s(""),
            },
            Action::Return { reason: s("") },
            Action::Reassign {
                unit_id: 1,
                handler: s(""),
                reason: s(""),
            },
            Action::Progress { note: s("") },
            Action::Extend {
                to: chrono::NaiveDate::MIN,
                reason: s(""),
            },
            Action::Urge { note: s("") },
            Action::Supervise { note: s("") },
            Action::MarkBehind {
                behind: true,
                note: s(""),
            },
            Action::Close {
                result: s(""),
                reply: s(""),
                outcome: crate::requests::Outcome::Solved,
            },
            Action::Review {
                satisfaction: crate::requests::Satisfaction::Satisfied,
                note: s(""),
            },
            Action::Reopen { reason: s("") },
        ];
        let table: Vec<String> = steps
            .iter()
            .map(|a| {
                let (from, _) = starts_from(a);
                let from: Vec<&str> = Status::ALL
                    .iter()
                    .filter(|st| from.contains(st))
                    .map(|st| st.as_str())
                    .collect();
                format!("{}←{}", a.label(), from.join("/"))
            })
            .collect();
        assert_eq!(
            table,
            [
                "交办←登记",
                "退回←交办/办理中",
                "改派←交办/办理中",
                "办理←交办/办理中",
                "延期←登记/交办/办理中",
                "催办←登记/交办/办理中",
                "督办←登记/交办/办理中",
                "标记滞后←登记/交办/办理中",
                "办结←登记/交办/办理中",
                "回访←已办结",
                "重办←已回访",
            ]
        );
        // A refusal says what to do instead where there is something to do.
        assert_eq!(
            why_not(&steps[0], Status::Assigned),
            "已经交办，换单位请用“改派”"
        );
        assert_eq!(why_not(&steps[3], Status::Registered), "请先交办给责任单位");
        assert_eq!(why_not(&steps[9], Status::InProgress), "还没有办结");
        assert_eq!(why_not(&steps[5], Status::Closed), "诉求已经办结");
    }
}
