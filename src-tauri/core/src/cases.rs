//! 先进典型: a visit, a request or a 实事项目 marked as a case worth telling — a short story
//! (who, what was solved, the villager's words) and the selection it is put forward for
//! (一创四争, 双十双百, or the township's own). The cadre assessment counts each cadre's cases;
//! the district's selections take their nominations from these marks.

use crate::error::{Error, Result};
use crate::validate::{check_optional_text, check_text};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The district's selections, offered first; a township may write its own.
pub const CASE_CATEGORIES: [&str; 2] = ["一创四争", "双十双百"];

crate::text_enum! {
    /// What a case is about.
    pub enum CaseKind ("典型类型") {
        Visit = "走访",
        Request = "诉求",
        Project = "实事项目",
    }
}

/// What to mark: exactly one of the three, with its story.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct CaseInput {
    pub visit_id: Option<i64>,
    /// The request's number (2026-000123) or id.
    pub request: Option<String>,
    pub project_id: Option<i64>,
    pub category: String,
    pub story: String,
    /// 群众的话, quoted.
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub id: i64,
    pub kind: CaseKind,
    /// The visit's, request's or project's id.
    pub subject_id: i64,
    /// What the case is, in a line: 李明走访张三（黄河村）, 2026-000123 路灯不亮, the project's name.
    pub title: String,
    pub village: String,
    /// The cadres of the visit (or of the visit that raised the request), or the project's unit.
    pub who: String,
    pub category: String,
    pub story: String,
    pub quote: String,
    #[ts(type = "string")]
    pub marked_on: NaiveDate,
}

fn request_id(c: &Connection, r: &str) -> Result<i64> {
    let r = r.trim();
    let found: Option<i64> = c
        .query_row(
            "SELECT id FROM requests WHERE number = ?1 OR CAST(id AS TEXT) = ?1",
            [r],
            |x| x.get(0),
        )
        .optional()?;
    found.ok_or_else(|| Error::invalid("request", format!("没有编号为“{r}”的诉求。")))
}

/// The item's own day, checking it exists.
fn subject_day(c: &Connection, kind: CaseKind, id: i64) -> Result<NaiveDate> {
    let (sql, missing) = match kind {
        CaseKind::Visit => (
            "SELECT visit_date FROM visits WHERE id = ?1",
            format!("没有编号为 {id} 的走访记录。"),
        ),
        CaseKind::Request => (
            "SELECT received_on FROM requests WHERE id = ?1",
            format!("没有编号为 {id} 的诉求。"),
        ),
        CaseKind::Project => (
            "SELECT substr(created_at, 1, 10) FROM projects WHERE id = ?1",
            format!("没有编号为 {id} 的实事项目。"),
        ),
    };
    let field = match kind {
        CaseKind::Visit => "visitId",
        CaseKind::Request => "request",
        CaseKind::Project => "projectId",
    };
    c.query_row(sql, [id], |r| r.get::<_, NaiveDate>(0))
        .optional()?
        .ok_or_else(|| Error::invalid(field, missing))
}

/// Marks an item as a 典型 (or rewrites its story when it already is one).
pub fn mark_case(store: &Store, input: &CaseInput) -> Result<Case> {
    let id = store.write(|tx| {
        let chosen = [
            input.visit_id.map(|v| (CaseKind::Visit, v)),
            match &input.request {
                Some(r) if !r.trim().is_empty() => Some((CaseKind::Request, request_id(tx, r)?)),
                _ => None,
            },
            input.project_id.map(|p| (CaseKind::Project, p)),
        ];
        let chosen: Vec<(CaseKind, i64)> = chosen.into_iter().flatten().collect();
        let [(kind, subject)] = chosen[..] else {
            return Err(Error::invalid(
                "subject",
                "请选择一条走访记录、一件诉求或一个实事项目（只选一个）作为典型。",
            ));
        };
        let day = subject_day(tx, kind, subject)?;
        let category = check_text("category", "典型类别", &input.category, 20)?;
        let story = check_text("story", "典型事迹", &input.story, 2000)?;
        let quote = check_optional_text("quote", "群众的话", &input.quote, 500)?;
        let col = match kind {
            CaseKind::Visit => "visit_id",
            CaseKind::Request => "request_id",
            CaseKind::Project => "project_id",
        };
        let now = crate::now_text();
        let existing: Option<i64> = tx
            .query_row(
                &format!("SELECT id FROM cases WHERE {col} = ?1"),
                [subject],
                |r| r.get(0),
            )
            .optional()?;
        match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE cases SET category = ?1, story = ?2, quote = ?3, updated_at = ?4 WHERE id = ?5",
                    params![category, story, quote, now, id],
                )?;
                Ok(id)
            }
            None => {
                tx.execute(
                    &format!(
                        "INSERT INTO cases ({col}, category, story, quote, marked_on, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                    ),
                    params![subject, category, story, quote, day, now],
                )?;
                Ok(tx.last_insert_rowid())
            }
        }
    })?;
    store.read(|c| read(c, id))
}

/// Takes the mark off (the visit, request or project stays as it is).
pub fn unmark_case(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        let n = tx.execute("DELETE FROM cases WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound("找不到该典型，请刷新后重试。".into()));
        }
        Ok(())
    })
}

const SELECT: &str = "SELECT k.id, k.visit_id, k.request_id, k.project_id, k.category, k.story, k.quote, k.marked_on FROM cases k";

fn read(c: &Connection, id: i64) -> Result<Case> {
    let row = c
        .query_row(&format!("{SELECT} WHERE k.id = ?1"), [id], raw)
        .optional()?
        .ok_or_else(|| Error::NotFound("找不到该典型，请刷新后重试。".into()))?;
    describe(c, row)
}

type Raw = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    NaiveDate,
);

fn raw(r: &rusqlite::Row) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn cadres_of_visit(c: &Connection, visit: i64) -> Result<String> {
    let names: Vec<String> = c
        .prepare_cached(
            "SELECT cd.name FROM visit_cadres vc JOIN cadres cd ON cd.id = vc.cadre_id WHERE vc.visit_id = ?1 ORDER BY cd.id",
        )?
        .query_map([visit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names.join("、"))
}

fn describe(
    c: &Connection,
    (id, visit, request, project, category, story, quote, day): Raw,
) -> Result<Case> {
    let (kind, subject, title, village, who) = if let Some(v) = visit {
        let (head, village): (String, String) = c.query_row(
            "SELECT h.head_name, vl.name FROM visits x JOIN households h ON h.id = x.household_id
             JOIN villages vl ON vl.id = h.village_id WHERE x.id = ?1",
            [v],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let who = cadres_of_visit(c, v)?;
        (
            CaseKind::Visit,
            v,
            format!("{who}走访{head}（{village}）"),
            village,
            who,
        )
    } else if let Some(q) = request {
        let (number, content, village, visit): (String, String, String, Option<i64>) = c.query_row(
            "SELECT r.number, r.content, v.name, r.visit_id FROM requests r JOIN villages v ON v.id = r.village_id WHERE r.id = ?1",
            [q],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let who = match visit {
            Some(v) => cadres_of_visit(c, v)?,
            None => String::new(),
        };
        let short: String = content.chars().take(24).collect();
        (
            CaseKind::Request,
            q,
            format!("{number} {short}"),
            village,
            who,
        )
    } else {
        let p = project.expect("the table's check: one subject");
        let (title, village, unit): (String, String, String) = c.query_row(
            "SELECT p.title, v.name, u.name FROM projects p JOIN villages v ON v.id = p.village_id
             JOIN units u ON u.id = p.unit_id WHERE p.id = ?1",
            [p],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        (CaseKind::Project, p, title, village, unit)
    };
    Ok(Case {
        id,
        kind,
        subject_id: subject,
        title,
        village,
        who,
        category,
        story,
        quote,
        marked_on: day,
    })
}

/// The cases whose item falls in `[from, to]` (all when None), of one category when given,
/// oldest first.
pub fn list_cases(
    store: &Store,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    category: Option<&str>,
) -> Result<Vec<Case>> {
    store.read(|c| {
        let rows: Vec<Raw> = c
            .prepare(&format!(
                "{SELECT} WHERE (?1 IS NULL OR k.marked_on >= ?1) AND (?2 IS NULL OR k.marked_on <= ?2)
                   AND (?3 IS NULL OR k.category = ?3) ORDER BY k.marked_on, k.id"
            ))?
            .query_map(params![from, to, category], raw)?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter().map(|r| describe(c, r)).collect()
    })
}

/// Each cadre's cases in `[from, to]` (of one selection when `category` is given), oldest
/// first: through the visit, or through the visit that raised the request. By cadre id.
/// Only the cases of `villages` (all when empty).
pub(crate) fn case_ids_by_cadre(
    c: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    villages: &[i64],
    category: Option<&str>,
) -> Result<std::collections::HashMap<i64, Vec<i64>>> {
    let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    let mut st = c.prepare(&format!(
        "SELECT DISTINCT vc.cadre_id, k.id, k.marked_on FROM cases k
         LEFT JOIN requests r ON r.id = k.request_id
         JOIN visits x ON x.id = coalesce(k.visit_id, r.visit_id)
         JOIN households h ON h.id = x.household_id
         JOIN visit_cadres vc ON vc.visit_id = x.id
         WHERE k.marked_on BETWEEN ?1 AND ?2 AND (?3 IS NULL OR k.category = ?3){}
         ORDER BY k.marked_on, k.id",
        crate::requests::rates::in_ids("h.village_id", villages)
    ))?;
    let mut rows = st.query(params![from, to, category])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

/// How many cases each cadre has in `[from, to]` (the 考核表's 先进典型 column).
pub(crate) fn cases_by_cadre(
    c: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    villages: &[i64],
) -> Result<std::collections::HashMap<i64, i64>> {
    Ok(case_ids_by_cadre(c, from, to, villages, None)?
        .into_iter()
        .map(|(cadre, ids)| (cadre, ids.len() as i64))
        .collect())
}
