//! The tag dictionary (低保户, 信访户 …) and the 三个必到 rules that make a household 重点户.

use crate::error::{Error, Result};
use crate::validate::check_text;
use crate::Store;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub id: i64,
    pub name: String,
    /// The 必到 rule this tag falls under; `None` for an ordinary tag.
    pub key_rule_id: Option<i64>,
    pub sort_order: i64,
    pub household_count: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TagInput {
    pub name: String,
    pub key_rule_id: Option<i64>,
}

/// A 必到 rule: households with any of its tags are 重点户, visited every `every_days` days.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct KeyRule {
    pub id: i64,
    pub name: String,
    pub every_days: i64,
    pub sort_order: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct KeyRuleInput {
    pub name: String,
    pub every_days: i64,
}

pub fn list_tags(store: &Store) -> Result<Vec<Tag>> {
    store.read(read_tags)
}

pub(crate) fn read_tags(c: &Connection) -> Result<Vec<Tag>> {
    let mut stmt = c.prepare(
        "SELECT t.id, t.name, t.key_rule_id, t.sort_order,
                (SELECT count(*) FROM household_tags ht WHERE ht.tag_id = t.id)
         FROM tags t ORDER BY t.sort_order, t.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Tag {
            id: r.get(0)?,
            name: r.get(1)?,
            key_rule_id: r.get(2)?,
            sort_order: r.get(3)?,
            household_count: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn check_rule_exists(c: &Connection, rule: Option<i64>) -> Result<()> {
    if let Some(id) = rule {
        let found: Option<i64> = c
            .query_row("SELECT id FROM key_rules WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if found.is_none() {
            return Err(Error::invalid(
                "keyRuleId",
                "所选的必到规则已不存在，请刷新后重新选择。",
            ));
        }
    }
    Ok(())
}

fn check_tag_name_free(c: &Connection, name: &str, except: Option<i64>) -> Result<()> {
    let other: Option<i64> = c
        .query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0))
        .optional()?;
    match other {
        Some(id) if Some(id) != except => Err(Error::duplicate(
            "name",
            format!("标签“{name}”已经存在，不用重复添加。"),
        )),
        _ => Ok(()),
    }
}

pub fn add_tag(store: &Store, input: &TagInput) -> Result<Tag> {
    store.write(|tx| insert_tag(tx, input))
}

/// Adds a tag inside the caller's transaction (the settings screen and the import).
pub(crate) fn insert_tag(tx: &rusqlite::Connection, input: &TagInput) -> Result<Tag> {
    let name = check_text("name", "标签名称", &input.name, 12)?;
    {
        check_tag_name_free(tx, &name, None)?;
        check_rule_exists(tx, input.key_rule_id)?;
        let order: i64 = tx.query_row(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM tags",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO tags (name, key_rule_id, sort_order) VALUES (?1, ?2, ?3)",
            params![name, input.key_rule_id, order],
        )?;
        Ok(Tag {
            id: tx.last_insert_rowid(),
            name: name.clone(),
            key_rule_id: input.key_rule_id,
            sort_order: order,
            household_count: 0,
        })
    }
}

pub fn update_tag(store: &Store, id: i64, input: &TagInput) -> Result<()> {
    let name = check_text("name", "标签名称", &input.name, 12)?;
    store.write(|tx| {
        check_tag_name_free(tx, &name, Some(id))?;
        check_rule_exists(tx, input.key_rule_id)?;
        let n = tx.execute(
            "UPDATE tags SET name = ?1, key_rule_id = ?2 WHERE id = ?3",
            params![name, input.key_rule_id, id],
        )?;
        if n == 0 {
            return Err(Error::NotFound("该标签已不存在，请刷新后重试。".into()));
        }
        Ok(())
    })
}

/// Deletes a tag. When households carry it, `force` must be set (the UI asks first, naming
/// the count); the households stay, only the tag is taken off them.
pub fn delete_tag(store: &Store, id: i64, force: bool) -> Result<()> {
    store.write(|tx| {
        let (name, n): (String, i64) = tx
            .query_row(
                "SELECT name, (SELECT count(*) FROM household_tags WHERE tag_id = ?1) FROM tags WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound("该标签已不存在，请刷新后重试。".into()))?;
        if n > 0 && !force {
            return Err(Error::Conflict(format!(
                "有 {n} 户带有标签“{name}”。删除后这些户将不再带有此标签，确定要删除吗？"
            )));
        }
        tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
        Ok(())
    })
}

pub fn list_key_rules(store: &Store) -> Result<Vec<KeyRule>> {
    store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT id, name, every_days, sort_order FROM key_rules ORDER BY sort_order, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KeyRule {
                id: r.get(0)?,
                name: r.get(1)?,
                every_days: r.get(2)?,
                sort_order: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

fn check_rule_input(input: &KeyRuleInput) -> Result<String> {
    let name = check_text("name", "必到规则名称", &input.name, 20)?;
    if !(1..=366).contains(&input.every_days) {
        return Err(Error::invalid(
            "everyDays",
            format!(
                "走访周期“{}”天不合理，应在 1 到 366 天之间（默认每 30 天一次）。",
                input.every_days
            ),
        ));
    }
    Ok(name)
}

pub fn add_key_rule(store: &Store, input: &KeyRuleInput) -> Result<KeyRule> {
    let name = check_rule_input(input)?;
    store.write(|tx| {
        if tx
            .query_row("SELECT 1 FROM key_rules WHERE name = ?1", [&name], |_| {
                Ok(())
            })
            .optional()?
            .is_some()
        {
            return Err(Error::duplicate(
                "name",
                format!("必到规则“{name}”已经存在。"),
            ));
        }
        let order: i64 = tx.query_row(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM key_rules",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO key_rules (name, every_days, sort_order) VALUES (?1, ?2, ?3)",
            params![name, input.every_days, order],
        )?;
        Ok(KeyRule {
            id: tx.last_insert_rowid(),
            name: name.clone(),
            every_days: input.every_days,
            sort_order: order,
        })
    })
}

pub fn update_key_rule(store: &Store, id: i64, input: &KeyRuleInput) -> Result<()> {
    let name = check_rule_input(input)?;
    store.write(|tx| {
        if tx
            .query_row(
                "SELECT 1 FROM key_rules WHERE name = ?1 AND id <> ?2",
                params![name, id],
                |_| Ok(()),
            )
            .optional()?
            .is_some()
        {
            return Err(Error::duplicate(
                "name",
                format!("必到规则“{name}”已经存在。"),
            ));
        }
        let n = tx.execute(
            "UPDATE key_rules SET name = ?1, every_days = ?2 WHERE id = ?3",
            params![name, input.every_days, id],
        )?;
        if n == 0 {
            return Err(Error::NotFound("该必到规则已不存在，请刷新后重试。".into()));
        }
        Ok(())
    })
}

/// Deletes a rule; its tags stay in the dictionary as ordinary tags.
pub fn delete_key_rule(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        tx.execute(
            "UPDATE tags SET key_rule_id = NULL WHERE key_rule_id = ?1",
            [id],
        )?;
        tx.execute("DELETE FROM key_rules WHERE id = ?1", [id])?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_dictionary_has_the_three_key_visit_rules() {
        let s = Store::open_in_memory().unwrap();
        let rules = list_key_rules(&s).unwrap();
        assert_eq!(rules.len(), 3);
        assert!(rules.iter().all(|r| r.every_days == 30));
        let tags = list_tags(&s).unwrap();
        let rule_of = |n: &str| tags.iter().find(|t| t.name == n).unwrap().key_rule_id;
        assert_eq!(rule_of("低保户"), Some(rules[0].id));
        assert_eq!(rule_of("信访户"), Some(rules[1].id));
        assert_eq!(rule_of("重大变故户"), Some(rules[2].id));
        assert_eq!(rule_of("留守儿童"), None);
    }

    #[test]
    fn tags_are_unique_and_rules_checked() {
        let s = Store::open_in_memory().unwrap();
        let t = add_tag(
            &s,
            &TagInput {
                name: "困境儿童".into(),
                key_rule_id: Some(1),
            },
        )
        .unwrap();
        assert_eq!(
            add_tag(
                &s,
                &TagInput {
                    name: "困境儿童".into(),
                    key_rule_id: None
                }
            )
            .unwrap_err()
            .code(),
            crate::error::ErrorCode::Duplicate
        );
        assert_eq!(
            update_tag(
                &s,
                t.id,
                &TagInput {
                    name: "困境儿童".into(),
                    key_rule_id: Some(99)
                }
            )
            .unwrap_err()
            .field(),
            Some("keyRuleId")
        );
        let e = add_key_rule(
            &s,
            &KeyRuleInput {
                name: "新规则".into(),
                every_days: 0,
            },
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("everyDays"));
        delete_key_rule(&s, 1).unwrap();
        assert!(list_tags(&s)
            .unwrap()
            .iter()
            .all(|t| t.key_rule_id != Some(1)));
    }
}
