//! 责任单位: the units requests are assigned to, with a contact for the 交办单.

use crate::error::{Error, Result};
use crate::paging::NamedRef;
use crate::validate::{check_optional_text, check_phone, check_text};
use crate::Store;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub active: bool,
    /// Requests assigned to the unit and not yet closed.
    pub open_requests: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UnitInput {
    pub name: String,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl UnitInput {
    pub fn new(name: &str) -> Self {
        UnitInput {
            name: name.into(),
            contact_person: String::new(),
            contact_phone: String::new(),
            active: true,
        }
    }
}

pub fn list_units(store: &Store) -> Result<Vec<Unit>> {
    store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT u.id, u.name, u.contact_person, u.contact_phone, u.active,
                    (SELECT count(*) FROM requests r WHERE r.unit_id = u.id AND r.status IN ('登记', '交办', '办理中'))
             FROM units u ORDER BY u.active DESC, u.sort_order, u.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Unit {
                id: r.get(0)?,
                name: r.get(1)?,
                contact_person: r.get(2)?,
                contact_phone: r.get(3)?,
                active: r.get(4)?,
                open_requests: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

struct Valid {
    name: String,
    contact_person: String,
    contact_phone: String,
}

fn validate(c: &Connection, input: &UnitInput, except: Option<i64>) -> Result<Valid> {
    let name = check_text("name", "单位名称", &input.name, 40)?;
    let other: Option<i64> = c
        .query_row("SELECT id FROM units WHERE name = ?1", [&name], |r| {
            r.get(0)
        })
        .optional()?;
    if other.is_some_and(|o| Some(o) != except) {
        return Err(Error::duplicate(
            "name",
            format!("已经有名为“{name}”的责任单位了。"),
        ));
    }
    Ok(Valid {
        name,
        contact_person: check_optional_text("contactPerson", "联系人", &input.contact_person, 20)?,
        contact_phone: check_phone("contactPhone", "联系电话", &input.contact_phone)?,
    })
}

pub(crate) fn insert(c: &Connection, input: &UnitInput) -> Result<NamedRef> {
    let v = validate(c, input, None)?;
    let order: i64 = c.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM units",
        [],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO units (name, contact_person, contact_phone, sort_order, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![v.name, v.contact_person, v.contact_phone, order, input.active, crate::now_text()],
    )?;
    Ok(NamedRef {
        id: c.last_insert_rowid(),
        name: v.name,
    })
}

pub fn add_unit(store: &Store, input: &UnitInput) -> Result<NamedRef> {
    store.write(|tx| insert(tx, input))
}

pub fn update_unit(store: &Store, id: i64, input: &UnitInput) -> Result<NamedRef> {
    store.write(|tx| {
        let v = validate(tx, input, Some(id))?;
        let n = tx.execute(
            "UPDATE units SET name = ?1, contact_person = ?2, contact_phone = ?3, active = ?4 WHERE id = ?5",
            params![v.name, v.contact_person, v.contact_phone, input.active, id],
        )?;
        if n == 0 {
            return Err(Error::NotFound("该责任单位已不存在，请刷新后重试。".into()));
        }
        Ok(NamedRef { id, name: v.name })
    })
}

/// Deletes a unit that never had a request; one with history is deactivated instead.
pub fn delete_unit(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        let n: i64 = tx.query_row(
            "SELECT (SELECT count(*) FROM requests WHERE unit_id = ?1) + (SELECT count(*) FROM projects WHERE unit_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if n > 0 {
            return Err(Error::Conflict(format!(
                "该单位承办过 {n} 件诉求或实事项目，不能删除，以免台账缺失。如已撤并，请在修改中设为“停用”。"
            )));
        }
        tx.execute("DELETE FROM units WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// Finds a unit by its exact name (the CLI), or says which exist.
pub fn find_unit(store: &Store, name: &str) -> Result<i64> {
    let units = list_units(store)?;
    units
        .iter()
        .find(|u| u.name == name.trim())
        .map(|u| u.id)
        .ok_or_else(|| {
            let known: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
            Error::invalid(
                "unit",
                format!(
                    "没有名为“{}”的责任单位。已有：{}。请先在“设置 → 责任单位”中添加。",
                    name.trim(),
                    if known.is_empty() {
                        "（无）".into()
                    } else {
                        known.join("、")
                    }
                ),
            )
        })
}
