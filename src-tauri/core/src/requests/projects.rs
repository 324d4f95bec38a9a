//! 实事项目 (the 自选动作: 区直部门服务基层办实事竞赛, 部门职能十下乡, 牵手奔小康): a unit's
//! project for a village, with content, funds, status and result, and the same append-only
//! history as requests.

use super::rules::operator;
use crate::error::{Error, Result};
use crate::paging::{page_bounds, Page};
use crate::validate::{check_optional_text, check_text};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::text_enum! {
    /// 项目类别
    pub enum ProjectKind ("项目类别") {
        Contest = "办实事竞赛",
        TenToVillages = "部门职能十下乡",
        Pairing = "牵手奔小康",
    }
}

crate::text_enum! {
    pub enum ProjectStatus ("项目状态") {
        Planned = "计划",
        Underway = "实施中",
        Done = "已完成",
        Stopped = "已终止",
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ProjectInput {
    pub kind: ProjectKind,
    pub unit_id: i64,
    pub village_id: i64,
    pub title: String,
    #[serde(default)]
    pub content: String,
    /// 万元
    #[serde(default)]
    pub funds: Option<f64>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub planned_end: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ProjectHistory {
    pub at: String,
    pub operator: String,
    pub action: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: i64,
    pub kind: ProjectKind,
    pub unit_id: i64,
    pub unit_name: String,
    pub village_id: i64,
    pub village_name: String,
    pub title: String,
    pub content: String,
    pub funds: Option<f64>,
    #[ts(type = "string | null")]
    pub planned_end: Option<NaiveDate>,
    pub status: ProjectStatus,
    pub result: String,
    pub history: Vec<ProjectHistory>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectQuery {
    #[ts(optional)]
    pub kind: Option<ProjectKind>,
    #[ts(optional)]
    pub unit_id: Option<i64>,
    #[ts(optional)]
    pub village_id: Option<i64>,
    #[ts(optional)]
    pub status: Option<ProjectStatus>,
    pub page: u32,
    pub page_size: u32,
}

fn history(c: &Connection, id: i64, action: &str, note: &str) -> Result<()> {
    c.execute(
        "INSERT INTO project_history (project_id, at, operator, action, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, crate::now_text(), operator(c)?, action, note],
    )?;
    Ok(())
}

struct Valid {
    title: String,
    content: String,
}

fn validate(c: &Connection, p: &ProjectInput) -> Result<Valid> {
    if !c
        .prepare_cached("SELECT 1 FROM units WHERE id = ?1")?
        .exists([p.unit_id])?
    {
        return Err(Error::invalid("unitId", "请选择承担项目的单位。"));
    }
    if !c
        .prepare_cached("SELECT 1 FROM villages WHERE id = ?1")?
        .exists([p.village_id])?
    {
        return Err(Error::invalid("villageId", "请选择项目所在的村/社区。"));
    }
    if let Some(f) = p
        .funds
        .filter(|f| !(0.0..=1_000_000.0).contains(f) || f.is_nan())
    {
        return Err(Error::invalid(
            "funds",
            format!("资金“{f}”万元不合理，请核对。"),
        ));
    }
    Ok(Valid {
        title: check_text("title", "项目名称", &p.title, 60)?,
        content: check_optional_text("content", "项目内容", &p.content, 2000)?,
    })
}

pub fn add_project(store: &Store, p: &ProjectInput) -> Result<Project> {
    let id = store.write(|tx| {
        let v = validate(tx, p)?;
        let now = crate::now_text();
        tx.execute(
            "INSERT INTO projects (kind, unit_id, village_id, title, content, funds, planned_end, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![p.kind, p.unit_id, p.village_id, v.title, v.content, p.funds, p.planned_end, now],
        )?;
        let id = tx.last_insert_rowid();
        history(tx, id, "立项", &format!("{}：{}", p.kind, v.title))?;
        Ok(id)
    })?;
    get_project(store, id)
}

/// Edits the project's facts; the history says which fields changed, from what to what.
pub fn update_project(store: &Store, id: i64, p: &ProjectInput) -> Result<Project> {
    store.write(|tx| {
        let old = read(tx, id)?;
        let v = validate(tx, p)?;
        tx.execute(
            "UPDATE projects SET kind = ?1, unit_id = ?2, village_id = ?3, title = ?4, content = ?5, funds = ?6,
                 planned_end = ?7, updated_at = ?8 WHERE id = ?9",
            params![p.kind, p.unit_id, p.village_id, v.title, v.content, p.funds, p.planned_end, crate::now_text(), id],
        )?;
        let new = read(tx, id)?;
        let mut changes = Vec::new();
        let fmt_funds = |f: Option<f64>| f.map(|x| format!("{x} 万元")).unwrap_or_else(|| "未填".into());
        for (label, a, b) in [
            ("类别", old.kind.to_string(), new.kind.to_string()),
            ("单位", old.unit_name.clone(), new.unit_name.clone()),
            ("村/社区", old.village_name.clone(), new.village_name.clone()),
            ("名称", old.title.clone(), new.title.clone()),
            ("内容", old.content.clone(), new.content.clone()),
            ("资金", fmt_funds(old.funds), fmt_funds(new.funds)),
            ("计划完成", old.planned_end.map(|d| d.to_string()).unwrap_or_default(), new.planned_end.map(|d| d.to_string()).unwrap_or_default()),
        ] {
            if a != b {
                changes.push(format!("{label}：{a} → {b}"));
            }
        }
        if !changes.is_empty() {
            history(tx, id, "修改", &changes.join("；"))?;
        }
        Ok(())
    })?;
    get_project(store, id)
}

/// Moves the project on: 实施中 with a note, 已完成/已终止 with the result (required).
pub fn set_project_status(
    store: &Store,
    id: i64,
    status: ProjectStatus,
    note: &str,
) -> Result<Project> {
    store.write(|tx| {
        let old = read(tx, id)?;
        if old.status == status {
            return Err(Error::Conflict(format!("项目已经是“{status}”状态。")));
        }
        if matches!(old.status, ProjectStatus::Done | ProjectStatus::Stopped) {
            return Err(Error::Conflict(format!("项目已经{}，不能再改状态。", old.status)));
        }
        let note = check_optional_text("note", "说明", note, 2000)?;
        let finished = matches!(status, ProjectStatus::Done | ProjectStatus::Stopped);
        if finished && note.is_empty() {
            return Err(Error::invalid("note", format!("项目{status}时请写明结果（做成了什么、为什么终止）。")));
        }
        tx.execute(
            "UPDATE projects SET status = ?1, result = CASE WHEN ?2 THEN ?3 ELSE result END, updated_at = ?4 WHERE id = ?5",
            params![status, finished, note, crate::now_text(), id],
        )?;
        history(tx, id, status.as_str(), &note)
    })?;
    get_project(store, id)
}

fn read(c: &Connection, id: i64) -> Result<Project> {
    let mut p = c
        .query_row(
            "SELECT p.id, p.kind, p.unit_id, u.name, p.village_id, v.name, p.title, p.content, p.funds, p.planned_end, p.status, p.result
             FROM projects p JOIN units u ON u.id = p.unit_id JOIN villages v ON v.id = p.village_id WHERE p.id = ?1",
            [id],
            |r| {
                Ok(Project {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    unit_id: r.get(2)?,
                    unit_name: r.get(3)?,
                    village_id: r.get(4)?,
                    village_name: r.get(5)?,
                    title: r.get(6)?,
                    content: r.get(7)?,
                    funds: r.get(8)?,
                    planned_end: r.get(9)?,
                    status: r.get(10)?,
                    result: r.get(11)?,
                    history: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound("找不到该实事项目，请刷新后重试。".into()))?;
    p.history = c
        .prepare_cached("SELECT at, operator, action, note FROM project_history WHERE project_id = ?1 ORDER BY id")?
        .query_map([id], |r| Ok(ProjectHistory { at: r.get(0)?, operator: r.get(1)?, action: r.get(2)?, note: r.get(3)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(p)
}

pub fn get_project(store: &Store, id: i64) -> Result<Project> {
    store.read(|c| read(c, id))
}

pub fn list_projects(store: &Store, q: &ProjectQuery) -> Result<Page<Project>> {
    store.read(|c| {
        let (page, size, offset) = page_bounds(q.page, q.page_size);
        let mut wh: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(k) = q.kind {
            wh.push("kind = ?");
            args.push(k.as_str().to_string().into());
        }
        if let Some(u) = q.unit_id {
            wh.push("unit_id = ?");
            args.push(u.into());
        }
        if let Some(v) = q.village_id {
            wh.push("village_id = ?");
            args.push(v.into());
        }
        if let Some(s) = q.status {
            wh.push("status = ?");
            args.push(s.as_str().to_string().into());
        }
        let wh = if wh.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wh.join(" AND "))
        };
        let total: i64 = c.query_row(
            &format!("SELECT count(*) FROM projects {wh}"),
            params_from_iter(&args),
            |r| r.get(0),
        )?;
        args.push((size as i64).into());
        args.push(offset.into());
        let ids: Vec<i64> = c
            .prepare(&format!(
                "SELECT id FROM projects {wh} ORDER BY id DESC LIMIT ? OFFSET ?"
            ))?
            .query_map(params_from_iter(&args), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let rows = ids
            .into_iter()
            .map(|id| read(c, id))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            total,
            page,
            page_size: size,
            rows,
        })
    })
}
