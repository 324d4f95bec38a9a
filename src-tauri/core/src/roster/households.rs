//! Households from a roster: each row normalised (IDs, phones, village and group matched
//! tolerantly, sizes, tags), checked by the register's own form rules, then inserted or —
//! in 新增并更新 mode — updated field by field for the columns the file has.

use super::fields::Field;
use super::run::{
    bad_rows, count_names, field_of, Ctx, ExistingRow, FieldChange, ImportMode, ImportReport,
    RowChange, Stage, Ticker,
};
use super::values::{group_number, parse_size, split_list, village_core};
use super::Cell;
use crate::error::Result;
use crate::privacy::mask_id;
use crate::register::households::{
    insert_valid, read_household, update_valid, validate_with, HouseholdInput, Valid,
};
use crate::register::villages::{group_name, insert_group};
use crate::register::{tags::insert_tag, tags::TagInput, HouseholdStatus};
use rusqlite::{Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// Where a row's household lives: a known village/group, or one to be created.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Place {
    Known(i64),
    New(String),
}

struct Row {
    row: usize,
    head_name: String,
    id_number: String,
    phone: String,
    address: String,
    size: Option<i64>,
    village: Place,
    /// (village, group key) — the group key is its number or its name.
    group: (Place, GroupKey),
    tags: Vec<String>,
    note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GroupKey {
    Id(i64),
    Number(u32),
    Name(String),
}

struct Villages {
    /// (id, name, core name)
    list: Vec<(i64, String, String)>,
    /// village id → (group id, name, number)
    groups: HashMap<i64, Vec<(i64, String, Option<u32>)>>,
}

impl Villages {
    fn load(c: &Connection) -> Result<Villages> {
        let list = c
            .prepare("SELECT id, name FROM villages ORDER BY sort_order, id")?
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(id, n)| (id, n.clone(), village_core(&n)))
            .collect();
        let mut groups: HashMap<i64, Vec<(i64, String, Option<u32>)>> = HashMap::new();
        let mut st =
            c.prepare("SELECT id, village_id, name FROM village_groups ORDER BY sort_order, id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(2)?;
            groups.entry(r.get(1)?).or_default().push((
                r.get(0)?,
                name.clone(),
                group_number(&name),
            ));
        }
        Ok(Villages { list, groups })
    }

    fn village(&self, raw: &str) -> Option<i64> {
        let t = raw.trim();
        self.list
            .iter()
            .find(|v| v.1 == t)
            .or_else(|| {
                let core = village_core(t);
                self.list.iter().find(|v| v.2 == core)
            })
            .map(|v| v.0)
    }

    fn group(&self, village: i64, raw: &str) -> Option<i64> {
        let gs = self.groups.get(&village)?;
        let t = raw.trim();
        gs.iter()
            .find(|g| g.1 == t)
            .or_else(|| {
                let n = group_number(t)?;
                gs.iter().find(|g| g.2 == Some(n))
            })
            .map(|g| g.0)
    }
}

fn tag_core(s: &str) -> String {
    let s = s.trim();
    s.strip_suffix("家庭")
        .or_else(|| s.strip_suffix('户'))
        .filter(|c| !c.is_empty())
        .unwrap_or(s)
        .to_string()
}

pub(crate) fn import(
    tx: &Connection,
    ctx: &Ctx<'_>,
    data: &[usize],
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let villages = Villages::load(tx)?;
    let tags: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM tags")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let find_tag = |t: &str| -> Option<i64> {
        tags.iter()
            .find(|(_, n)| n == t)
            .or_else(|| tags.iter().find(|(_, n)| tag_core(n) == tag_core(t)))
            .map(|(id, _)| *id)
    };

    // A village the register lacks may be spelt "黄河" in one row and "黄河村" in another: it
    // is one new village, named by its fullest spelling.
    let mut new_names: HashMap<String, String> = HashMap::new();
    for &r in data {
        let raw = ctx.cell(r, Field::Village).text();
        if raw.is_empty() || villages.village(&raw).is_some() {
            continue;
        }
        let e = new_names
            .entry(village_core(&raw))
            .or_insert_with(|| raw.clone());
        if raw.chars().count() > e.chars().count() {
            *e = raw;
        }
    }

    // Pass 1: normalise every row; collect what is missing from the register.
    let mut rows: Vec<Row> = Vec::with_capacity(data.len());
    let mut new_villages: Vec<String> = Vec::new();
    let mut new_groups: Vec<String> = Vec::new();
    let mut unknown_tags: Vec<String> = Vec::new();
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    let mut dup_reported: HashSet<usize> = HashSet::new();
    for (i, &r) in data.iter().enumerate() {
        ticker.tick(Stage::Check, i, data.len())?;
        let before = report.problems.len();

        let head_name = ctx.text_or_problem(r, Field::HeadName, &mut report.problems);
        let address = ctx.text_or_problem(r, Field::Address, &mut report.problems);
        let note = ctx.text_or_problem(r, Field::Note, &mut report.problems);
        let phone_raw = ctx.digits_or_text(r, Field::Phone, &mut report.problems);
        let phone = if phone_raw.is_empty() {
            phone_raw
        } else {
            super::values::normalize_phone(&phone_raw)
        };
        let village_raw = ctx.text_or_problem(r, Field::Village, &mut report.problems);
        let group_raw = ctx.digits_or_text(r, Field::Group, &mut report.problems);
        let tags_raw = ctx.text_or_problem(r, Field::Tags, &mut report.problems);
        if village_raw.is_empty() && ctx.text(r, Field::Village).is_ok() {
            report.problems.push(ctx.problem(
                r,
                Some(Field::Village),
                "没有填写村（社区）。请在原表中补上这一户所在的村。",
            ));
        }
        if group_raw.is_empty() && ctx.text(r, Field::Group).is_ok() {
            report.problems.push(ctx.problem(
                r,
                Some(Field::Group),
                "没有填写村民小组。请在原表中补上这一户所在的组，如“三组”。",
            ));
        }
        let id_number = match ctx.cell(r, Field::IdNumber) {
            Cell::Number(f) if f.abs() >= 1e15 => {
                report.problems.push(ctx.problem(
                    r,
                    Some(Field::IdNumber),
                    "身份证号在 Excel 里被存成了数字，Excel 只保留 15 位有效数字，后几位已经丢失、无法还原。请把这一列设为“文本”格式，照身份证重新录入这些号码（不要猜测后几位），再导入。",
                ));
                String::new()
            }
            Cell::Number(f) if f.fract() == 0.0 && *f >= 0.0 => format!("{}", *f as i64),
            Cell::Date(_) => {
                report.problems.push(ctx.problem(
                    r,
                    Some(Field::IdNumber),
                    "这一格是日期，不是身份证号。请检查是否把列对应错了，或原表这一格填错了。",
                ));
                String::new()
            }
            _ => ctx.text_or_problem(r, Field::IdNumber, &mut report.problems),
        };
        let id_number = if id_number.is_empty() {
            id_number
        } else {
            crate::validate::normalize_id(&id_number)
        };
        let size = match ctx.cell(r, Field::Size) {
            Cell::Empty => None,
            Cell::Number(f) if f.fract() == 0.0 => Some(*f as i64),
            c => {
                let t = c.text();
                match parse_size(&t) {
                    Some(n) => Some(n),
                    None => {
                        report.problems.push(ctx.problem(
                            r,
                            Some(Field::Size),
                            format!(
                                "家庭人口“{t}”不是一个整数。请填写人数，如 4；不清楚的可以留空。"
                            ),
                        ));
                        None
                    }
                }
            }
        };
        // Village and group.
        let village = if village_raw.is_empty() {
            Place::New(String::new())
        } else {
            match villages.village(&village_raw) {
                Some(id) => Place::Known(id),
                None => {
                    let name = village_raw.trim().to_string();
                    let canonical = new_names.get(&village_core(&name)).cloned().unwrap_or(name);
                    new_villages.push(canonical.clone());
                    Place::New(canonical)
                }
            }
        };
        let group_key = match &village {
            Place::Known(v) => match villages.group(*v, &group_raw) {
                Some(g) => GroupKey::Id(g),
                None => group_number(&group_raw)
                    .map(GroupKey::Number)
                    .unwrap_or(GroupKey::Name(group_raw.trim().to_string())),
            },
            Place::New(_) => group_number(&group_raw)
                .map(GroupKey::Number)
                .unwrap_or(GroupKey::Name(group_raw.trim().to_string())),
        };
        if !group_raw.is_empty() && !village_raw.is_empty() && !matches!(group_key, GroupKey::Id(_))
        {
            new_groups.push(group_label(&village, &villages, &group_key));
            if !ctx.opts.create_missing {
                report.problems.push(match &village {
                    Place::New(name) => ctx.problem(r, Some(Field::Village), missing_village(name)),
                    Place::Known(_) => ctx.problem(
                        r,
                        Some(Field::Group),
                        missing_group(&group_label(&village, &villages, &group_key)),
                    ),
                });
            }
        }
        let mut tag_names = Vec::new();
        for t in split_list(&tags_raw) {
            match find_tag(&t) {
                Some(id) => tag_names.push(
                    tags.iter()
                        .find(|x| x.0 == id)
                        .map(|x| x.1.clone())
                        .unwrap_or(t),
                ),
                None => {
                    unknown_tags.push(t.clone());
                    tag_names.push(t);
                }
            }
        }
        // The same person twice in the file: both rows are named, neither is guessed right.
        if !id_number.is_empty() && report.problems.len() == before {
            if let Some(&first) = seen_ids.get(&id_number) {
                if dup_reported.insert(first) {
                    report.problems.push(ctx.problem(
                        first,
                        Some(Field::IdNumber),
                        format!("这个身份证号在文件里出现了不止一次（还有第 {} 行）。同一个人只能登记一户：请核对后删去多余的行。", r + 1),
                    ));
                }
                report.problems.push(ctx.problem(
                    r,
                    Some(Field::IdNumber),
                    format!(
                        "这个身份证号与第 {} 行重复。同一个人只能登记一户：请核对后删去多余的行。",
                        first + 1
                    ),
                ));
            } else {
                seen_ids.insert(id_number.clone(), r);
            }
        }
        rows.push(Row {
            row: r,
            head_name,
            id_number,
            phone,
            address,
            size,
            village: village.clone(),
            group: (village, group_key),
            tags: tag_names,
            note,
        });
    }

    // Missing villages, groups and tags: created when the user confirmed, problems otherwise.
    report.new_villages = count_names(new_villages.iter().cloned());
    report.new_groups = count_names(new_groups.iter().cloned());
    let unknown = count_names(unknown_tags.iter().cloned());
    let mut village_ids: HashMap<String, i64> = HashMap::new();
    let mut group_ids: HashMap<(Place, GroupKey), i64> = HashMap::new();
    let mut tag_ids: HashMap<String, i64> = tags.iter().map(|(id, n)| (n.clone(), *id)).collect();
    if ctx.opts.create_missing {
        village_ids = super::run::create_villages(tx, &report.new_villages)?;
        for t in &unknown {
            let tag = insert_tag(
                tx,
                &TagInput {
                    name: t.name.clone(),
                    key_rule_id: None,
                },
            )
            .map_err(|e| crate::Error::invalid("file", format!("无法新建标签“{}”：{e}", t.name)))?;
            tag_ids.insert(t.name.clone(), tag.id);
        }
        report.new_tags = unknown;
    } else {
        report.unknown_tags = unknown;
    }
    let checked_bad = bad_rows(report);

    // A large file into a small register: the secondary indexes are built once at the end
    // (a sort) instead of row by row. DDL is transactional, so a rollback restores them.
    let registered: i64 = tx.query_row("SELECT count(*) FROM households", [], |r| r.get(0))?;
    let deferred = if rows.len() >= 10_000 && rows.len() as i64 > registered {
        defer_indexes(tx, &["households", "household_tags"])?
    } else {
        Vec::new()
    };

    // Pass 2: check each row by the register's rules and write it.
    // Every registered ID number, looked up in memory instead of one query per row.
    let registered_ids: HashMap<String, i64> = tx
        .prepare("SELECT id_number, id FROM households")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (i, row) in rows.iter().enumerate() {
        ticker.writing(ctx.opts.dry_run, i, rows.len())?;
        let r = row.row;
        if checked_bad.contains(&(r as u32 + 1)) {
            continue;
        }
        // Resolve (or refuse) the place.
        let village_id = match &row.village {
            Place::Known(id) => Some(*id),
            Place::New(name) if name.is_empty() => None,
            Place::New(name) => match village_ids.get(name) {
                Some(id) => Some(*id),
                None => {
                    report.problems.push(ctx.problem(
                        r,
                        Some(Field::Village),
                        missing_village(name),
                    ));
                    continue;
                }
            },
        };
        let group_id = match (&row.group.1, village_id) {
            (GroupKey::Id(g), _) => Some(*g),
            (_, None) => None,
            (key, Some(vid)) => {
                if let Some(g) = group_ids.get(&row.group) {
                    Some(*g)
                } else if ctx.opts.create_missing {
                    let name = match key {
                        GroupKey::Number(n) => group_name(*n),
                        GroupKey::Name(n) => n.clone(),
                        GroupKey::Id(_) => unreachable!(),
                    };
                    let existing = crate::register::villages::find_group(tx, vid, &name)?;
                    let gid = match existing {
                        Some(g) => g,
                        None => match insert_group(tx, vid, &name) {
                            Ok(g) => g.id,
                            Err(e) => {
                                report.problems.push(ctx.problem(
                                    r,
                                    Some(Field::Group),
                                    format!("无法新建村民小组：{e}"),
                                ));
                                continue;
                            }
                        },
                    };
                    group_ids.insert(row.group.clone(), gid);
                    Some(gid)
                } else if matches!(key, GroupKey::Name(n) if n.is_empty()) {
                    None
                } else {
                    report.problems.push(ctx.problem(
                        r,
                        Some(Field::Group),
                        missing_group(&group_label(&row.village, &villages, key)),
                    ));
                    continue;
                }
            }
        };
        // A row without a place was reported in the first pass; this is only a guard.
        let (Some(village_id), Some(group_id)) = (village_id, group_id) else {
            report.problems.push(ctx.problem(
                r,
                Some(Field::Village),
                "没有找到这一户所在的村和村民小组，请检查这两列。",
            ));
            continue;
        };
        let row_tag_ids: Vec<i64> = row
            .tags
            .iter()
            .filter_map(|t| tag_ids.get(t).copied())
            .collect();
        let existing: Option<i64> = registered_ids.get(&row.id_number).copied();
        let mut input = HouseholdInput {
            village_id,
            group_id,
            head_name: row.head_name.clone(),
            id_number: row.id_number.clone(),
            phone: row.phone.clone(),
            address: row.address.clone(),
            size: row.size,
            status: HouseholdStatus::Registered,
            tag_ids: row_tag_ids.clone(),
            note: row.note.clone(),
        };
        let mut old = None;
        if let Some(hid) = existing {
            if ctx.opts.mode == ImportMode::Add {
                report.skipped += 1;
                report.existing.push(ExistingRow {
                    row: r as u32 + 1,
                    name: row.head_name.clone(),
                    key: mask_id(&row.id_number),
                });
                continue;
            }
            let h = read_household(tx, hid)?;
            // Only the columns the file has change; the rest keep their registered values.
            if !ctx.has(Field::Phone) {
                input.phone = h.phone.clone();
            }
            if !ctx.has(Field::Address) {
                input.address = h.address.clone();
            }
            if !ctx.has(Field::Size) {
                input.size = h.size;
            }
            if !ctx.has(Field::Tags) {
                input.tag_ids = h.tag_ids.clone();
            }
            if !ctx.has(Field::Note) {
                input.note = h.note.clone();
            }
            input.status = h.status;
            old = Some(h);
        }
        let valid = match validate_with(tx, &input, ctx.today, existing, false)? {
            Ok(v) => v,
            Err(errs) => {
                for e in errs {
                    report
                        .problems
                        .push(ctx.problem(r, field_of(&e), e.to_string()));
                }
                continue;
            }
        };
        match (existing, old) {
            (Some(hid), Some(h)) => {
                let changes = diff(tx, &h, &valid)?;
                if changes.is_empty() {
                    report.unchanged += 1;
                } else {
                    update_valid(tx, hid, &valid, &ctx.now)?;
                    report.updated += 1;
                    report.changes.push(RowChange {
                        row: r as u32 + 1,
                        name: row.head_name.clone(),
                        key: mask_id(&row.id_number),
                        changes,
                    });
                }
            }
            _ => {
                insert_valid(tx, &valid, &ctx.now)?;
                report.imported += 1;
            }
        }
    }
    if !deferred.is_empty() {
        // The index builds sort; SQLite may use a second core for that.
        tx.execute_batch("PRAGMA threads = 2")?;
        for sql in &deferred {
            tx.execute_batch(sql)?;
        }
        tx.execute_batch("PRAGMA threads = 0")?;
    }
    Ok(())
}

fn missing_village(name: &str) -> String {
    format!("村“{name}”不在村组设置中。请先在“户籍台账”左侧的村组树中添加这个村，或勾选“新建文件中缺少的村和组”（命令行：--create-missing）。")
}

fn missing_group(label: &str) -> String {
    format!("“{label}”不在村组设置中。请先在村组树中添加这个村民小组，或勾选“新建文件中缺少的村和组”（命令行：--create-missing）。")
}

/// Drops the non-unique indexes of `tables` and returns the statements that rebuild them.
fn defer_indexes(tx: &Connection, tables: &[&str]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in tables {
        let list: Vec<(String, String)> = tx
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")?
            .query_map([t], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in list {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            out.push(sql);
        }
    }
    Ok(out)
}

fn group_label(village: &Place, villages: &Villages, key: &GroupKey) -> String {
    let vname = match village {
        Place::Known(id) => villages
            .list
            .iter()
            .find(|v| v.0 == *id)
            .map(|v| v.1.clone())
            .unwrap_or_default(),
        Place::New(n) => n.clone(),
    };
    let g = match key {
        GroupKey::Number(n) => group_name(*n),
        GroupKey::Name(n) => n.clone(),
        GroupKey::Id(_) => String::new(),
    };
    format!("{vname} {g}")
}

fn name_of(c: &Connection, sql: &str, id: i64) -> Result<String> {
    Ok(c.prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// What an update changes, field by field, in words.
fn diff(
    c: &Connection,
    h: &crate::register::households::Household,
    v: &Valid,
) -> Result<Vec<FieldChange>> {
    use crate::privacy::mask_phone;
    let mut out = Vec::new();
    let mut push = |field: Field, old: String, new: String| {
        if old != new {
            out.push(FieldChange {
                field: field.label().to_string(),
                old,
                new,
            });
        }
    };
    if h.village_id != v.village_id {
        push(
            Field::Village,
            h.village_name.clone(),
            name_of(c, "SELECT name FROM villages WHERE id = ?1", v.village_id)?,
        );
    }
    if h.group_id != v.group_id {
        push(
            Field::Group,
            h.group_name.clone(),
            name_of(
                c,
                "SELECT name FROM village_groups WHERE id = ?1",
                v.group_id,
            )?,
        );
    }
    push(Field::HeadName, h.head_name.clone(), v.head_name.clone());
    if h.phone != v.phone {
        push(Field::Phone, mask_phone(&h.phone), mask_phone(&v.phone));
    }
    push(Field::Address, h.address.clone(), v.address.clone());
    push(
        Field::Size,
        h.size.map(|s| s.to_string()).unwrap_or_default(),
        v.size.map(|s| s.to_string()).unwrap_or_default(),
    );
    let mut old_tags = h.tag_ids.clone();
    old_tags.sort_unstable();
    let mut new_tags = v.tag_ids.clone();
    new_tags.sort_unstable();
    new_tags.dedup();
    if old_tags != new_tags {
        let names = |ids: &[i64]| -> Result<String> {
            let mut v = Vec::new();
            for id in ids {
                v.push(name_of(c, "SELECT name FROM tags WHERE id = ?1", *id)?);
            }
            Ok(v.join("、"))
        };
        push(Field::Tags, names(&old_tags)?, names(&new_tags)?);
    }
    push(Field::Note, h.note.clone(), v.note.clone());
    Ok(out)
}
