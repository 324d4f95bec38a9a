//! 户 (households): the form's rules, the paged list with its search, and the detail.

use super::HouseholdStatus;
use crate::audit::{self, AuditEntity};
use crate::error::{Error, Result};
use crate::names;
use crate::paging::{page_bounds, NamedRef, Page};
use crate::privacy::{mask_id, mask_phone};
use crate::validate::{check_id_number, check_optional_text, check_person_name, check_phone};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the household form sends.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct HouseholdInput {
    pub village_id: i64,
    pub group_id: i64,
    /// 户主姓名
    pub head_name: String,
    /// 公民身份号码
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    /// 家庭人口
    #[serde(default)]
    pub size: Option<i64>,
    #[serde(default)]
    pub status: HouseholdStatus,
    #[serde(default)]
    pub tag_ids: Vec<i64>,
    #[serde(default)]
    pub note: String,
}

impl HouseholdInput {
    pub fn new(village_id: i64, group_id: i64, head_name: &str, id_number: &str) -> Self {
        HouseholdInput {
            village_id,
            group_id,
            head_name: head_name.into(),
            id_number: id_number.into(),
            phone: String::new(),
            address: String::new(),
            size: None,
            status: HouseholdStatus::Registered,
            tag_ids: Vec::new(),
            note: String::new(),
        }
    }
}

/// A household as its detail form shows it: full ID number and phone.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Household {
    pub id: i64,
    pub village_id: i64,
    pub village_name: String,
    pub group_id: i64,
    pub group_name: String,
    pub head_name: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub size: Option<i64>,
    pub status: HouseholdStatus,
    pub tag_ids: Vec<i64>,
    pub tags: Vec<String>,
    /// 重点户: at least one tag falls under a 必到 rule.
    pub is_key: bool,
    /// 结对干部
    pub paired_cadre: Option<NamedRef>,
    pub note: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A household as lists show it: ID number and phone masked.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct HouseholdRow {
    pub id: i64,
    pub village_id: i64,
    pub village_name: String,
    pub group_name: String,
    pub head_name: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub address: String,
    pub size: Option<i64>,
    pub status: HouseholdStatus,
    pub tags: Vec<String>,
    pub is_key: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum HouseholdSort {
    /// 村 → 组 → 姓名拼音: the order of a paper roster.
    #[default]
    Roster,
    Name,
    Size,
    Status,
    Updated,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct HouseholdQuery {
    #[ts(optional)]
    pub village_id: Option<i64>,
    /// Any of these villages (the paired-household picker: a cadre's linked villages).
    pub village_ids: Vec<i64>,
    #[ts(optional)]
    pub group_id: Option<i64>,
    #[ts(optional)]
    pub tag_id: Option<i64>,
    #[ts(optional)]
    pub status: Option<HouseholdStatus>,
    /// Only 重点户.
    pub key_only: bool,
    /// A name or part of it, pinyin initials (`zs`) or full pinyin, the last 4 characters of
    /// the ID number or the phone, a whole ID number or phone.
    #[ts(optional)]
    pub search: Option<String>,
    pub sort: HouseholdSort,
    pub desc: bool,
    pub page: u32,
    pub page_size: u32,
}

impl Default for HouseholdQuery {
    fn default() -> Self {
        HouseholdQuery {
            village_id: None,
            village_ids: Vec::new(),
            group_id: None,
            tag_id: None,
            status: None,
            key_only: false,
            search: None,
            sort: HouseholdSort::Roster,
            desc: false,
            page: 1,
            page_size: 50,
        }
    }
}

/// Checked and normalized form values, ready to store.
pub(crate) struct Valid {
    pub(crate) village_id: i64,
    pub(crate) group_id: i64,
    pub(crate) head_name: String,
    pub(crate) id_number: String,
    pub(crate) phone: String,
    pub(crate) address: String,
    pub(crate) size: Option<i64>,
    pub(crate) status: HouseholdStatus,
    pub(crate) tag_ids: Vec<i64>,
    pub(crate) note: String,
}

/// Keeps a field's problem in `errs` and goes on; a database failure still stops everything.
fn field<T>(errs: &mut Vec<Error>, r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.field().is_some() => {
            errs.push(e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn check_place(c: &Connection, input: &HouseholdInput) -> Result<()> {
    let village_ok: bool = c
        .prepare_cached("SELECT 1 FROM villages WHERE id = ?1")?
        .exists([input.village_id])?;
    if !village_ok {
        return Err(Error::invalid("villageId", "请选择所在的村/社区。"));
    }
    let group_village: Option<i64> = c
        .prepare_cached("SELECT village_id FROM village_groups WHERE id = ?1")?
        .query_row([input.group_id], |r| r.get(0))
        .optional()?;
    match group_village {
        None => Err(Error::invalid("groupId", "请选择所在的村民小组。")),
        Some(v) if v != input.village_id => Err(Error::invalid(
            "groupId",
            "所选的村民小组不属于这个村，请重新选择。",
        )),
        Some(_) => Ok(()),
    }
}

/// One household per 公民身份号码: a taken number names the household that has it.
fn check_id_free(c: &Connection, id_number: &str, except: Option<i64>) -> Result<()> {
    // Single-table lookup first: a join with a bound parameter would make SQLite re-prepare
    // the statement on every call (constant propagation), which bulk inserts cannot afford.
    let other: Option<i64> = c
        .prepare_cached("SELECT id FROM households WHERE id_number = ?1")?
        .query_row([id_number], |r| r.get(0))
        .optional()?;
    let Some(oid) = other.filter(|o| Some(*o) != except) else {
        return Ok(());
    };
    let (oname, ovillage, ogroup): (String, String, String) = c.query_row(
        "SELECT h.head_name, v.name, g.name FROM households h
         JOIN villages v ON v.id = h.village_id JOIN village_groups g ON g.id = h.group_id
         WHERE h.id = ?1",
        [oid],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Err(Error::duplicate(
        "idNumber",
        format!(
            "公民身份号码“{id_number}”已经登记在 {ovillage}{ogroup} {oname} 户下（户编号 {oid}）。\
             同一个人不能登记两户；如果是同一户，请找到那一户直接修改。"
        ),
    ))
}

fn check_size(size: Option<i64>) -> Result<Option<i64>> {
    match size {
        Some(n) if !(1..=99).contains(&n) => Err(Error::invalid(
            "size",
            format!("家庭人口“{n}”不合理，应为 1 到 99 之间的整数。"),
        )),
        _ => Ok(size),
    }
}

/// Checks every field of the form; either all values normalized, or every field's problem
/// in form order.
pub(crate) fn validate_all(
    c: &Connection,
    input: &HouseholdInput,
    today: NaiveDate,
    except: Option<i64>,
) -> Result<std::result::Result<Valid, Vec<Error>>> {
    validate_with(c, input, today, except, true)
}

/// [`validate_all`]; with `db_checks` false the place and the ID number's uniqueness are taken
/// as checked — the import resolves places from the register it loaded and looks every ID
/// number up itself, so it need not ask the database again for each row.
pub(crate) fn validate_with(
    c: &Connection,
    input: &HouseholdInput,
    today: NaiveDate,
    except: Option<i64>,
    db_checks: bool,
) -> Result<std::result::Result<Valid, Vec<Error>>> {
    let mut errs = Vec::new();
    let place = if db_checks {
        field(&mut errs, check_place(c, input))?
    } else {
        Some(())
    };
    let head_name = field(
        &mut errs,
        check_person_name("headName", "户主姓名", &input.head_name),
    )?;
    let id_number = field(
        &mut errs,
        check_id_number(&input.id_number, today).and_then(|id| {
            if db_checks {
                check_id_free(c, &id, except).map(|_| id)
            } else {
                Ok(id)
            }
        }),
    )?;
    let phone = field(&mut errs, check_phone("phone", "联系电话", &input.phone))?;
    let address = field(
        &mut errs,
        check_optional_text("address", "地址/门牌", &input.address, 100),
    )?;
    let size = field(&mut errs, check_size(input.size))?;
    let note = field(
        &mut errs,
        check_optional_text("note", "备注", &input.note, 500),
    )?;
    let (
        Some(()),
        Some(head_name),
        Some(id_number),
        Some(phone),
        Some(address),
        Some(size),
        Some(note),
    ) = (place, head_name, id_number, phone, address, size, note)
    else {
        return Ok(Err(errs));
    };
    let mut tag_ids = input.tag_ids.clone();
    tag_ids.sort_unstable();
    tag_ids.dedup();
    Ok(Ok(Valid {
        village_id: input.village_id,
        group_id: input.group_id,
        head_name,
        id_number,
        phone,
        address,
        size,
        status: input.status,
        tag_ids,
        note,
    }))
}

fn validate(
    c: &Connection,
    input: &HouseholdInput,
    today: NaiveDate,
    except: Option<i64>,
) -> Result<Valid> {
    validate_all(c, input, today, except)?.map_err(|mut errs| errs.remove(0))
}

/// Every problem of a household form without saving it — the form's inline validation.
/// `id` is the household being edited, if any.
pub fn check_household(
    store: &Store,
    input: &HouseholdInput,
    id: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<crate::ErrorPayload>> {
    store.read(|c| {
        Ok(match validate_all(c, input, today, id)? {
            Ok(_) => Vec::new(),
            Err(errs) => errs.iter().map(Error::payload).collect(),
        })
    })
}

fn tail4(s: &str) -> String {
    let mut last: Vec<char> = s
        .chars()
        .rev()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(4)
        .collect();
    last.reverse();
    last.into_iter().collect()
}

/// Replaces a household's tags. An unknown tag id fails the foreign key and is reported as
/// a stale form rather than a database error.
fn write_tags(c: &Connection, household: i64, tag_ids: &[i64], fresh: bool) -> Result<()> {
    if !fresh {
        c.prepare_cached("DELETE FROM household_tags WHERE household_id = ?1")?
            .execute([household])?;
    }
    let mut ins =
        c.prepare_cached("INSERT INTO household_tags (household_id, tag_id) VALUES (?1, ?2)")?;
    for t in tag_ids {
        ins.execute(params![household, t])
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    Error::invalid("tagIds", "所选的标签中有已被删除的，请刷新后重新选择。")
                }
                _ => e.into(),
            })?;
    }
    Ok(())
}

/// Validates and inserts one household inside the caller's transaction; the demo generator
/// and the import reuse this, so a generated household obeys the same rules as a typed one.
pub(crate) fn insert(
    c: &Connection,
    input: &HouseholdInput,
    today: NaiveDate,
    now: &str,
) -> Result<i64> {
    let v = validate(c, input, today, None)?;
    insert_valid(c, v, now)
}

/// The columns of a new household (after `id`), in the order [`new_values`] gives them.
const NEW_COLUMNS: &str = "village_id, group_id, head_name, name_initials, name_pinyin, id_number, id_tail, phone, phone_tail, address, size, status, note, created_at, updated_at";

/// `INSERT` of `rows` new households, each with its `id` first when `with_id`.
fn insert_sql(rows: usize, with_id: bool) -> String {
    let width = 15 + with_id as usize;
    let one = format!("({})", vec!["?"; width].join(", "));
    format!(
        "INSERT INTO households ({}{NEW_COLUMNS}) VALUES {}",
        if with_id { "id, " } else { "" },
        vec![one; rows].join(", ")
    )
}

/// A new household's values in the order of [`NEW_COLUMNS`], with what is derived from them
/// for search (initials, pinyin, the last four characters of the ID number and the phone);
/// and its tags.
fn new_values(v: Valid, now: &str) -> ([Value; 15], Vec<i64>) {
    let initials = names::initials(&v.head_name);
    let pinyin = names::full_pinyin(&v.head_name);
    let id_tail = tail4(&v.id_number);
    let phone_tail = tail4(&v.phone);
    let values = [
        Value::Integer(v.village_id),
        Value::Integer(v.group_id),
        Value::Text(v.head_name),
        Value::Text(initials),
        Value::Text(pinyin),
        Value::Text(v.id_number),
        Value::Text(id_tail),
        Value::Text(v.phone),
        Value::Text(phone_tail),
        Value::Text(v.address),
        v.size.map_or(Value::Null, Value::Integer),
        Value::Text(v.status.as_str().to_string()),
        Value::Text(v.note),
        Value::Text(now.to_string()),
        Value::Text(now.to_string()),
    ];
    (values, v.tag_ids)
}

/// Inserts checked values (the import validates first, so it can report every problem).
pub(crate) fn insert_valid(c: &Connection, v: Valid, now: &str) -> Result<i64> {
    let (values, tag_ids) = new_values(v, now);
    c.prepare_cached(&insert_sql(1, false))?
        .execute(params_from_iter(values))?;
    let id = c.last_insert_rowid();
    write_tags(c, id, &tag_ids, true)?;
    // A new household's only set is its tags (pairings come from the cadre's form).
    if !tag_ids.is_empty() {
        audit::record_sets(
            c,
            AuditEntity::Household,
            id,
            &audit::empty_sets(AuditEntity::Household),
            audit::Level::All,
        )?;
    }
    Ok(id)
}

/// New households written 64 to a statement, with their tags (a bulk import: SQLite's cost
/// per statement — a statement journal, the status CHECK's lookup table — is paid once per 64
/// rows instead of per row). Ids are given here, in order after the largest, so a row's id is
/// known before it is written. Nothing is recorded per household in the audit trail: the import
/// writes one summary line. Call [`NewHouseholds::flush`] before anything reads the households.
pub(crate) struct NewHouseholds {
    next_id: i64,
    now: String,
    values: Vec<Value>,
    tags: Vec<i64>,
    rows: usize,
}

const BATCH_ROWS: usize = 64;
const BATCH_TAGS: usize = 256;

impl NewHouseholds {
    pub(crate) fn new(c: &Connection, now: &str) -> Result<NewHouseholds> {
        Ok(NewHouseholds {
            next_id: c.query_row("SELECT coalesce(max(id), 0) + 1 FROM households", [], |r| {
                r.get(0)
            })?,
            now: now.to_string(),
            values: Vec::with_capacity(BATCH_ROWS * 16),
            tags: Vec::new(),
            rows: 0,
        })
    }

    /// Queues a household; returns its id.
    pub(crate) fn push(&mut self, c: &Connection, v: Valid) -> Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        let (values, tag_ids) = new_values(v, &self.now);
        self.values.push(Value::Integer(id));
        self.values.extend(values);
        for t in tag_ids {
            self.tags.extend([id, t]);
        }
        self.rows += 1;
        if self.rows == BATCH_ROWS {
            self.flush(c)?;
        }
        Ok(id)
    }

    /// Writes what is queued.
    pub(crate) fn flush(&mut self, c: &Connection) -> Result<()> {
        if self.rows > 0 {
            c.prepare_cached(&insert_sql(self.rows, true))?
                .execute(params_from_iter(self.values.drain(..)))?;
            self.rows = 0;
        }
        for pairs in self.tags.chunks(BATCH_TAGS * 2) {
            let sql = format!(
                "INSERT INTO household_tags (household_id, tag_id) VALUES {}",
                vec!["(?, ?)"; pairs.len() / 2].join(", ")
            );
            c.prepare_cached(&sql)?.execute(params_from_iter(pairs))?;
        }
        self.tags.clear();
        Ok(())
    }
}

pub fn add_household(store: &Store, input: &HouseholdInput, today: NaiveDate) -> Result<Household> {
    let id = store.write(|tx| insert(tx, input, today, &crate::now_text()))?;
    get_household(store, id)
}

pub fn update_household(
    store: &Store,
    id: i64,
    input: &HouseholdInput,
    today: NaiveDate,
) -> Result<Household> {
    store.write(|tx| {
        exists(tx, id)?;
        let v = validate(tx, input, today, Some(id))?;
        update_valid(tx, id, &v, &crate::now_text())
    })?;
    get_household(store, id)
}

/// Updates a household with checked values.
pub(crate) fn update_valid(tx: &Connection, id: i64, v: &Valid, now: &str) -> Result<()> {
    {
        let before = audit::sets(tx, AuditEntity::Household, id)?;
        tx.prepare_cached(
            "UPDATE households SET village_id = ?1, group_id = ?2, head_name = ?3, name_initials = ?4,
                 name_pinyin = ?5, id_number = ?6, id_tail = ?7, phone = ?8, phone_tail = ?9,
                 address = ?10, size = ?11, status = ?12, note = ?13, updated_at = ?14
             WHERE id = ?15",
        )?
        .execute(params![
            v.village_id,
            v.group_id,
            v.head_name,
            names::initials(&v.head_name),
            names::full_pinyin(&v.head_name),
            v.id_number,
            tail4(&v.id_number),
            v.phone,
            tail4(&v.phone),
            v.address,
            v.size,
            v.status,
            v.note,
            now,
            id,
        ])?;
        // A paired cadre must be linked to the household's village; moving the household to
        // another village ends a pairing that no longer fits.
        tx.execute(
            "DELETE FROM cadre_households WHERE household_id = ?1 AND cadre_id NOT IN
                 (SELECT cadre_id FROM cadre_villages WHERE village_id = ?2)",
            params![id, v.village_id],
        )?;
        write_tags(tx, id, &v.tag_ids, false)?;
        audit::record_sets(
            tx,
            AuditEntity::Household,
            id,
            &before,
            audit::Level::ChangesOnly,
        )
    }
}

fn exists(c: &Connection, id: i64) -> Result<()> {
    if c.prepare_cached("SELECT 1 FROM households WHERE id = ?1")?
        .exists([id])?
    {
        Ok(())
    } else {
        Err(Error::NotFound(format!(
            "找不到编号为 {id} 的户，可能已被删除。请刷新列表后重试。"
        )))
    }
}

/// Tables whose rows are a household's history (visits, requests…). A household named in
/// any of them is never hard-deleted; it is marked 迁出 or 注销 instead. Later migrations that
/// add such tables list them here.
const HISTORY_TABLES: &[(&str, &str)] = &[("visits", "走访记录"), ("requests", "诉求")];

/// Deletes a household entered by mistake. A household with history is refused.
pub fn delete_household(store: &Store, id: i64) -> Result<()> {
    store.write(|tx| {
        exists(tx, id)?;
        for (table, label) in HISTORY_TABLES {
            let n: i64 = tx.query_row(&format!("SELECT count(*) FROM {table} WHERE household_id = ?1"), [id], |r| r.get(0))?;
            if n > 0 {
                return Err(Error::Conflict(format!(
                    "该户已有 {n} 条{label}，不能删除，以免历史记录缺失。如果该户已迁走或已不存在，请把状态改为“迁出”或“注销”。"
                )));
            }
        }
        tx.execute("DELETE FROM households WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// Sets the status of several households at once (batch 迁出 / 注销 / 恢复在册).
pub fn set_status(store: &Store, ids: &[i64], status: HouseholdStatus) -> Result<usize> {
    store.write(|tx| {
        let mut stmt =
            tx.prepare_cached("UPDATE households SET status = ?1, updated_at = ?2 WHERE id = ?3")?;
        let now = crate::now_text();
        let mut n = 0;
        for id in ids {
            n += stmt.execute(params![status, now, id])?;
        }
        Ok(n)
    })
}

pub fn get_household(store: &Store, id: i64) -> Result<Household> {
    store.read(|c| read_household(c, id))
}

pub(crate) fn read_household(c: &Connection, id: i64) -> Result<Household> {
    let mut h = c
        .query_row(
            "SELECT h.id, h.village_id, v.name, h.group_id, g.name, h.head_name, h.id_number, h.phone,
                    h.address, h.size, h.status, h.note, h.created_at, h.updated_at,
                    ch.cadre_id, cd.name
             FROM households h
             JOIN villages v ON v.id = h.village_id
             JOIN village_groups g ON g.id = h.group_id
             LEFT JOIN cadre_households ch ON ch.household_id = h.id
             LEFT JOIN cadres cd ON cd.id = ch.cadre_id
             WHERE h.id = ?1",
            [id],
            |r| {
                let cadre: Option<i64> = r.get(14)?;
                Ok(Household {
                    id: r.get(0)?,
                    village_id: r.get(1)?,
                    village_name: r.get(2)?,
                    group_id: r.get(3)?,
                    group_name: r.get(4)?,
                    head_name: r.get(5)?,
                    id_number: r.get(6)?,
                    phone: r.get(7)?,
                    address: r.get(8)?,
                    size: r.get(9)?,
                    status: r.get(10)?,
                    note: r.get(11)?,
                    created_at: r.get(12)?,
                    updated_at: r.get(13)?,
                    paired_cadre: match cadre {
                        Some(id) => Some(NamedRef { id, name: r.get(15)? }),
                        None => None,
                    },
                    tag_ids: Vec::new(),
                    tags: Vec::new(),
                    is_key: false,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到编号为 {id} 的户，可能已被删除。请刷新列表后重试。")))?;
    let mut stmt = c.prepare_cached(
        "SELECT t.id, t.name, t.key_rule_id IS NOT NULL FROM household_tags ht JOIN tags t ON t.id = ht.tag_id
         WHERE ht.household_id = ?1 ORDER BY t.sort_order, t.id",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        h.tag_ids.push(r.get(0)?);
        h.tags.push(r.get(1)?);
        h.is_key |= r.get::<_, bool>(2)?;
    }
    Ok(h)
}

/// The WHERE clause and its parameters for a query's filters. `walk` names the village and
/// group through `v` and `g` (the roster walk); otherwise everything is on `households h`.
fn filter_sql(q: &HouseholdQuery, walk: bool) -> (String, Vec<Value>) {
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(v) = q.village_id {
        wh.push(if walk { "v.id = ?" } else { "h.village_id = ?" }.into());
        args.push(v.into());
    }
    if let Some(g) = q.group_id {
        wh.push(if walk { "g.id = ?" } else { "h.group_id = ?" }.into());
        args.push(g.into());
    }
    if !q.village_ids.is_empty() {
        wh.push(format!(
            "h.village_id IN ({})",
            crate::db::placeholders(q.village_ids.len())
        ));
        args.extend(q.village_ids.iter().map(|&v| Value::from(v)));
    }
    if let Some(s) = q.status {
        wh.push("h.status = ?".into());
        args.push(s.as_str().to_string().into());
    }
    if let Some(t) = q.tag_id {
        wh.push("h.id IN (SELECT household_id FROM household_tags WHERE tag_id = ?)".into());
        args.push(t.into());
    }
    if q.key_only {
        wh.push(
            "h.id IN (SELECT ht.household_id FROM household_tags ht JOIN tags t ON t.id = ht.tag_id
                      WHERE t.key_rule_id IS NOT NULL)"
                .into(),
        );
    }
    if let Some((clause, mut a)) = q.search.as_deref().and_then(search_sql) {
        wh.push(clause);
        args.append(&mut a);
    }
    let sql = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    (sql, args)
}

/// `[lo, hi)` bounds of every string starting with `prefix` (ASCII), for index range scans.
fn prefix_range(prefix: &str) -> (String, String) {
    let mut hi = prefix.to_string();
    let last = hi
        .pop()
        .map(|c| char::from_u32(c as u32 + 1).unwrap_or(c))
        .unwrap_or('\u{7f}');
    hi.push(last);
    (prefix.to_string(), hi)
}

/// How the search box is read: letters are pinyin, 4 trailing characters are an ID or phone
/// tail, a whole number is an ID or phone, anything else is part of a name.
fn search_sql(raw: &str) -> Option<(String, Vec<Value>)> {
    let s: String = crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_alphabetic()) {
        let lower = s.to_ascii_lowercase();
        let (lo, hi) = prefix_range(&lower);
        return Some((
            "((h.name_initials >= ? AND h.name_initials < ?) OR (h.name_pinyin >= ? AND h.name_pinyin < ?))".into(),
            vec![lo.clone().into(), hi.clone().into(), lo.into(), hi.into()],
        ));
    }
    let upper = s.to_ascii_uppercase();
    let id_like = upper
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || (c == 'X' && i + 1 == upper.len()));
    if id_like {
        return Some(match upper.len() {
            4 => (
                "(h.id_tail = ? OR h.phone_tail = ?)".into(),
                vec![upper.clone().into(), upper.into()],
            ),
            18 => ("h.id_number = ?".into(), vec![upper.into()]),
            11 => (
                "(h.phone = ? OR h.id_number LIKE ?)".into(),
                vec![upper.clone().into(), format!("%{upper}").into()],
            ),
            _ => (
                "(h.id_number LIKE ? OR h.phone LIKE ?)".into(),
                vec![format!("%{upper}%").into(), format!("%{upper}%").into()],
            ),
        });
    }
    Some(("instr(h.head_name, ?) > 0".into(), vec![s.into()]))
}

fn order_sql(q: &HouseholdQuery) -> String {
    let dir = if q.desc { "DESC" } else { "ASC" };
    match q.sort {
        HouseholdSort::Roster => {
            format!("v.sort_order {dir}, v.id {dir}, g.sort_order {dir}, g.id {dir}, h.name_pinyin {dir}, h.id {dir}")
        }
        HouseholdSort::Name => format!("h.name_pinyin {dir}, h.id {dir}"),
        HouseholdSort::Size => format!("h.size {dir}, h.name_pinyin, h.id"),
        HouseholdSort::Status => format!("h.status {dir}, h.name_pinyin, h.id"),
        HouseholdSort::Updated => format!("h.updated_at {dir}, h.id {dir}"),
    }
}

/// One page of the household list, filtered, searched and sorted in SQL.
pub fn list_households(store: &Store, q: &HouseholdQuery) -> Result<Page<HouseholdRow>> {
    store.read(|c| query_households(c, q))
}

pub(crate) fn query_households(c: &Connection, q: &HouseholdQuery) -> Result<Page<HouseholdRow>> {
    let (page, size, offset) = page_bounds(q.page, q.page_size);
    let (wh, args) = filter_sql(q, false);
    let total: i64 = c
        .prepare_cached(&format!("SELECT count(*) FROM households h {wh}"))?
        .query_row(params_from_iter(&args), |r| r.get(0))?;
    // Without a selective filter (search, tag) the roster order is read straight off the
    // indexes: villages in order, their groups in order, each group's households by pinyin —
    // the first page never sorts the township. With one, SQLite picks the selective index and
    // sorts the few rows found.
    let walk = q.sort == HouseholdSort::Roster
        && q.search.as_deref().is_none_or(|s| s.trim().is_empty())
        && q.tag_id.is_none();
    let from = if walk {
        "villages v CROSS JOIN village_groups g ON g.village_id = v.id CROSS JOIN households h ON h.group_id = g.id"
    } else {
        "households h JOIN villages v ON v.id = h.village_id JOIN village_groups g ON g.id = h.group_id"
    };
    let (wh, mut args) = if walk {
        filter_sql(q, true)
    } else {
        (wh, args)
    };
    let sql = format!(
        "SELECT h.id, h.village_id, v.name, g.name, h.head_name, h.id_number, h.phone, h.address, h.size, h.status,
                (SELECT group_concat(t.name, char(31) ORDER BY t.sort_order, t.id)
                   FROM household_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.household_id = h.id),
                EXISTS (SELECT 1 FROM household_tags ht JOIN tags t ON t.id = ht.tag_id
                        WHERE ht.household_id = h.id AND t.key_rule_id IS NOT NULL)
         FROM {from}
         {wh}
         ORDER BY {}
         LIMIT ? OFFSET ?",
        order_sql(q)
    );
    args.push((size as i64).into());
    args.push(offset.into());
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(&args), |r| {
            let id_number: String = r.get(5)?;
            let phone: String = r.get(6)?;
            let tags: Option<String> = r.get(10)?;
            Ok(HouseholdRow {
                id: r.get(0)?,
                village_id: r.get(1)?,
                village_name: r.get(2)?,
                group_name: r.get(3)?,
                head_name: r.get(4)?,
                id_masked: mask_id(&id_number),
                phone_masked: mask_phone(&phone),
                address: r.get(7)?,
                size: r.get(8)?,
                status: r.get(9)?,
                tags: tags
                    .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
                is_key: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        total,
        page,
        page_size: size,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::tail4;

    #[test]
    fn the_search_tail_is_the_last_four_letters_or_digits() {
        assert_eq!(tail4("32130219800101123X"), "123X");
        assert_eq!(tail4("0527-8412 3456"), "3456");
        assert_eq!(tail4("138"), "138");
        assert_eq!(tail4(""), "");
        assert_eq!(tail4("12-3"), "123");
    }
}
