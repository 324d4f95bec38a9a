//! 村/社区 and 村民小组: the tree that every list filters by.

use crate::error::{Error, Result};
use crate::paging::NamedRef;
use crate::validate::check_text;
use crate::Store;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum VillageKind {
    #[serde(rename = "村")]
    Village,
    #[serde(rename = "社区")]
    Community,
}

impl VillageKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            VillageKind::Village => "村",
            VillageKind::Community => "社区",
        }
    }
    /// 社区 when the name says so, otherwise 村.
    pub fn from_name(name: &str) -> Self {
        if name.ends_with("社区") || name.ends_with("居委会") {
            VillageKind::Community
        } else {
            VillageKind::Village
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Village {
    pub id: i64,
    pub name: String,
    pub kind: VillageKind,
    pub sort_order: i64,
    /// Households of every status.
    pub household_count: i64,
    pub groups: Vec<VillageGroup>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VillageGroup {
    pub id: i64,
    pub village_id: i64,
    pub name: String,
    pub sort_order: i64,
    pub household_count: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VillageInput {
    pub name: String,
    /// Derived from the name when absent.
    #[ts(optional)]
    pub kind: Option<VillageKind>,
}

/// 1 → 一组, 12 → 十二组, 20 → 二十组: how 村民小组 are usually named.
pub fn group_name(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let num = match n {
        0 => "零".to_string(),
        1..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    };
    format!("{num}组")
}

/// The whole tree in display order, with household counts.
pub fn list_villages(store: &Store) -> Result<Vec<Village>> {
    store.read(read_tree)
}

pub(crate) fn read_tree(c: &Connection) -> Result<Vec<Village>> {
    let mut villages: Vec<Village> = c
        .prepare(
            "SELECT v.id, v.name, v.kind, v.sort_order,
                    (SELECT count(*) FROM households h WHERE h.village_id = v.id)
             FROM villages v ORDER BY v.sort_order, v.id",
        )?
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok(Village {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: if kind == "社区" {
                    VillageKind::Community
                } else {
                    VillageKind::Village
                },
                sort_order: r.get(3)?,
                household_count: r.get(4)?,
                groups: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = c.prepare(
        "SELECT g.id, g.village_id, g.name, g.sort_order,
                (SELECT count(*) FROM households h WHERE h.group_id = g.id)
         FROM village_groups g ORDER BY g.village_id, g.sort_order, g.id",
    )?;
    let groups = stmt.query_map([], |r| {
        Ok(VillageGroup {
            id: r.get(0)?,
            village_id: r.get(1)?,
            name: r.get(2)?,
            sort_order: r.get(3)?,
            household_count: r.get(4)?,
        })
    })?;
    for g in groups {
        let g = g?;
        if let Some(v) = villages.iter_mut().find(|v| v.id == g.village_id) {
            v.groups.push(g);
        }
    }
    Ok(villages)
}

fn village_name(c: &Connection, id: i64) -> Result<String> {
    c.query_row("SELECT name FROM villages WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| {
        Error::NotFound(format!(
            "找不到编号为 {id} 的村/社区，可能已被删除。请刷新后重试。"
        ))
    })
}

fn check_village_name_free(c: &Connection, name: &str, except: Option<i64>) -> Result<()> {
    let other: Option<i64> = c
        .query_row("SELECT id FROM villages WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    match other {
        Some(id) if Some(id) != except => Err(Error::duplicate(
            "name",
            format!("已经有名为“{name}”的村/社区了。请换一个名称，或直接使用已有的那个。"),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn insert_village(c: &Connection, input: &VillageInput) -> Result<NamedRef> {
    let name = check_text("name", "村/社区名称", &input.name, 20)?;
    check_village_name_free(c, &name, None)?;
    let kind = input
        .kind
        .clone()
        .unwrap_or_else(|| VillageKind::from_name(&name));
    let order: i64 = c.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM villages",
        [],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO villages (name, kind, sort_order, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, kind.as_str(), order, crate::now_text()],
    )?;
    Ok(NamedRef {
        id: c.last_insert_rowid(),
        name,
    })
}

pub fn add_village(store: &Store, input: &VillageInput) -> Result<NamedRef> {
    store.write(|tx| insert_village(tx, input))
}

pub fn update_village(store: &Store, id: i64, input: &VillageInput) -> Result<NamedRef> {
    store.write(|tx| {
        village_name(tx, id)?;
        rename_village(tx, id, input)
    })
}

/// Renames a village inside the caller's transaction: the form's 修改, and the import naming a
/// village it created at its first spelling by its fullest ("黄河" → "黄河村"). Without a
/// kind, the kind follows the name.
pub(crate) fn rename_village(tx: &Connection, id: i64, input: &VillageInput) -> Result<NamedRef> {
    let name = check_text("name", "村/社区名称", &input.name, 20)?;
    check_village_name_free(tx, &name, Some(id))?;
    let kind = input
        .kind
        .clone()
        .unwrap_or_else(|| VillageKind::from_name(&name));
    tx.execute(
        "UPDATE villages SET name = ?1, kind = ?2 WHERE id = ?3",
        params![name, kind.as_str(), id],
    )?;
    Ok(NamedRef { id, name })
}

/// Deletes a village without households, with its groups and its cadres' links to it.
pub fn delete_village(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        let name = village_name(tx, id)?;
        let n: i64 = tx.query_row("SELECT count(*) FROM households WHERE village_id = ?1", [id], |r| r.get(0))?;
        if n > 0 {
            return Err(Error::Conflict(format!(
                "“{name}”下还有 {n} 户，不能删除。户一旦登记就要保留历史：请先把这些户转到其他村，或把它们标记为迁出/注销后保留该村。"
            )));
        }
        let other: i64 = tx.query_row(
            "SELECT (SELECT count(*) FROM requests WHERE village_id = ?1) + (SELECT count(*) FROM projects WHERE village_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if other > 0 {
            return Err(Error::Conflict(format!("“{name}”有 {other} 件诉求或实事项目，不能删除，以免台账缺失。")));
        }
        tx.execute("DELETE FROM cadre_villages WHERE village_id = ?1", [id])?;
        tx.execute("DELETE FROM village_groups WHERE village_id = ?1", [id])?;
        tx.execute("DELETE FROM villages WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// Puts villages in the given order (ids not listed keep their place after the listed ones).
pub fn reorder_villages(store: &Store, ids: &[i64]) -> Result<()> {
    store.write(|tx| {
        let mut stmt = tx.prepare_cached("UPDATE villages SET sort_order = ?1 WHERE id = ?2")?;
        for (i, id) in ids.iter().enumerate() {
            stmt.execute(params![i as i64 + 1, id])?;
        }
        Ok(())
    })
}

pub(crate) fn find_group(c: &Connection, village_id: i64, name: &str) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT id FROM village_groups WHERE village_id = ?1 AND name = ?2",
        params![village_id, name.trim()],
        |r| r.get(0),
    )
    .optional()?)
}

pub(crate) fn insert_group(c: &Connection, village_id: i64, name: &str) -> Result<NamedRef> {
    let village = village_name(c, village_id)?;
    let name = check_text("name", "村民小组名称", name, 20)?;
    if find_group(c, village_id, &name)?.is_some() {
        return Err(Error::duplicate(
            "name",
            format!("“{village}”已经有“{name}”了。请换一个名称。"),
        ));
    }
    let order: i64 = c.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM village_groups WHERE village_id = ?1",
        [village_id],
        |r| r.get(0),
    )?;
    c.prepare_cached(
        "INSERT INTO village_groups (village_id, name, sort_order, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![village_id, name, order, crate::now_text()])?;
    Ok(NamedRef {
        id: c.last_insert_rowid(),
        name,
    })
}

/// Adds groups to a village in one transaction: all are added or none.
pub fn add_groups(store: &Store, village_id: i64, names: &[String]) -> Result<Vec<NamedRef>> {
    store.write(|tx| {
        names
            .iter()
            .map(|n| insert_group(tx, village_id, n))
            .collect()
    })
}

/// Adds `count` groups named after the ones the village already has: with 一组…五组 present,
/// three more are 六组, 七组, 八组 (names already taken are skipped).
pub fn add_numbered_groups(store: &Store, village_id: i64, count: u32) -> Result<Vec<NamedRef>> {
    if !(1..=50).contains(&count) {
        return Err(Error::invalid(
            "count",
            format!("一次新增的村民小组数“{count}”不合理，应在 1 到 50 之间。"),
        ));
    }
    store.write(|tx| {
        village_name(tx, village_id)?;
        let mut made = Vec::new();
        let mut n = 1;
        while made.len() < count as usize {
            let name = group_name(n);
            if find_group(tx, village_id, &name)?.is_none() {
                made.push(insert_group(tx, village_id, &name)?);
            }
            n += 1;
        }
        Ok(made)
    })
}

pub fn rename_group(store: &Store, id: i64, name: &str) -> Result<NamedRef> {
    store.write(|tx| {
        let village_id: i64 = tx
            .query_row(
                "SELECT village_id FROM village_groups WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::NotFound("找不到该村民小组，可能已被删除。请刷新后重试。".into())
            })?;
        let name = check_text("name", "村民小组名称", name, 20)?;
        if matches!(find_group(tx, village_id, &name)?, Some(other) if other != id) {
            return Err(Error::duplicate(
                "name",
                format!("该村已经有“{name}”了。请换一个名称。"),
            ));
        }
        tx.execute(
            "UPDATE village_groups SET name = ?1 WHERE id = ?2",
            params![name, id],
        )?;
        Ok(NamedRef { id, name })
    })
}

pub fn delete_group(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        let name: String = tx
            .query_row("SELECT name FROM village_groups WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| {
                Error::NotFound("找不到该村民小组，可能已被删除。请刷新后重试。".into())
            })?;
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM households WHERE group_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if n > 0 {
            return Err(Error::Conflict(format!(
                "“{name}”下还有 {n} 户，不能删除。请先把这些户转到其他村民小组。"
            )));
        }
        tx.execute("DELETE FROM village_groups WHERE id = ?1", [id])?;
        Ok(())
    })
}

pub fn reorder_groups(store: &Store, village_id: i64, ids: &[i64]) -> Result<()> {
    store.write(|tx| {
        let mut stmt = tx.prepare_cached(
            "UPDATE village_groups SET sort_order = ?1 WHERE id = ?2 AND village_id = ?3",
        )?;
        for (i, id) in ids.iter().enumerate() {
            stmt.execute(params![i as i64 + 1, id, village_id])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::households::{add_household, HouseholdInput};

    #[test]
    fn group_names_read_like_a_roster() {
        assert_eq!(group_name(1), "一组");
        assert_eq!(group_name(10), "十组");
        assert_eq!(group_name(12), "十二组");
        assert_eq!(group_name(21), "二十一组");
    }

    #[test]
    fn villages_keep_their_order_and_refuse_duplicates() {
        let s = Store::open_in_memory().unwrap();
        let a = add_village(
            &s,
            &VillageInput {
                name: "黄河村".into(),
                kind: None,
            },
        )
        .unwrap();
        let b = add_village(
            &s,
            &VillageInput {
                name: "运河社区".into(),
                kind: None,
            },
        )
        .unwrap();
        let e = add_village(
            &s,
            &VillageInput {
                name: " 黄河村 ".into(),
                kind: None,
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::Duplicate);
        reorder_villages(&s, &[b.id, a.id]).unwrap();
        let tree = list_villages(&s).unwrap();
        assert_eq!(
            tree.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
            ["运河社区", "黄河村"]
        );
        assert_eq!(tree[0].kind, VillageKind::Community);
        add_groups(&s, a.id, &["一组".into(), "二组".into()]).unwrap();
        assert!(add_groups(&s, a.id, &["三组".into(), "一组".into()]).is_err());
        assert_eq!(
            list_villages(&s).unwrap()[1].groups.len(),
            2,
            "a failed batch adds nothing"
        );
    }

    #[test]
    fn a_village_with_households_cannot_be_deleted() {
        let s = Store::open_in_memory().unwrap();
        let v = add_village(
            &s,
            &VillageInput {
                name: "黄河村".into(),
                kind: None,
            },
        )
        .unwrap();
        let g = add_groups(&s, v.id, &["一组".into()]).unwrap()[0].clone();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        add_household(
            &s,
            &HouseholdInput::new(v.id, g.id, "张三", "11010519491231002X"),
            today,
        )
        .unwrap();
        let e = delete_village(&s, v.id).unwrap_err();
        assert!(e.to_string().contains("还有 1 户"), "{e}");
        assert!(delete_group(&s, g.id).is_err());
        let empty = add_village(
            &s,
            &VillageInput {
                name: "空村".into(),
                kind: None,
            },
        )
        .unwrap();
        add_groups(&s, empty.id, &["一组".into()]).unwrap();
        delete_village(&s, empty.id).unwrap();
        assert_eq!(list_villages(&s).unwrap().len(), 1);
    }
}
