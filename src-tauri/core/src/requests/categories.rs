//! 诉求类别: a small configurable dictionary (基础设施, 农业生产 … 其他).

use crate::error::{Error, Result};
use crate::paging::NamedRef;
use crate::validate::check_text;
use crate::Store;
use rusqlite::{params, Connection, OptionalExtension};

/// The category of requests that arrive without one (from a returned task sheet, a diary or a
/// ledger without a 类别 column), for the coordinator to classify.
pub const UNCLASSIFIED: &str = "待分类";

/// Adds a category at the end of the list (the name already checked by the caller).
pub(crate) fn insert_category(c: &Connection, name: &str) -> Result<i64> {
    let order: i64 = c.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM request_categories",
        [],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO request_categories (name, sort_order) VALUES (?1, ?2)",
        params![name, order],
    )?;
    Ok(c.last_insert_rowid())
}

/// The category named `name`, created at the end of the list the first time it is needed.
pub(crate) fn category_or_insert(c: &Connection, name: &str) -> Result<i64> {
    match c
        .prepare_cached("SELECT id FROM request_categories WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
    {
        Some(id) => Ok(id),
        None => insert_category(c, name),
    }
}

pub fn list_categories(store: &Store) -> Result<Vec<NamedRef>> {
    store.read(|c| {
        let mut st =
            c.prepare("SELECT id, name FROM request_categories ORDER BY sort_order, id")?;
        let rows = st.query_map([], |r| {
            Ok(NamedRef {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

pub fn save_category(store: &Store, id: Option<i64>, name: &str) -> Result<NamedRef> {
    let name = check_text("name", "类别名称", name, 12)?;
    store.write(|tx| {
        let other: Option<i64> = tx
            .query_row(
                "SELECT id FROM request_categories WHERE name = ?1",
                [&name],
                |r| r.get(0),
            )
            .optional()?;
        if other.is_some_and(|o| Some(o) != id) {
            return Err(Error::duplicate("name", format!("类别“{name}”已经存在。")));
        }
        match id {
            Some(id) => {
                if tx.execute(
                    "UPDATE request_categories SET name = ?1 WHERE id = ?2",
                    params![name, id],
                )? == 0
                {
                    return Err(Error::NotFound("该类别已不存在，请刷新后重试。".into()));
                }
                Ok(NamedRef {
                    id,
                    name: name.clone(),
                })
            }
            None => Ok(NamedRef {
                id: insert_category(tx, &name)?,
                name: name.clone(),
            }),
        }
    })
}

/// Deletes a category no request uses; one in use is renamed or kept.
pub fn delete_category(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM requests WHERE category_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if n > 0 {
            return Err(Error::Conflict(format!(
                "有 {n} 件诉求属于这个类别，不能删除；可以改名。"
            )));
        }
        tx.execute("DELETE FROM request_categories WHERE id = ?1", [id])?;
        Ok(())
    })
}
