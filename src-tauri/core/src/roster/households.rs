//! Households from a roster: each row normalized (IDs, phones, village and group matched
//! tolerantly, sizes, tags), checked by the register's own form rules, then inserted or —
//! in 新增并更新 mode — updated field by field for the columns the file has.

use super::fields::Field;
use super::places::{tag_core, GroupKey, Place, Villages};
use super::run::{
    count_names, count_weighted, create_village, field_of, Ctx, ExistingRow, FieldChange,
    ImportMode, ImportReport, RowChange, Ticker,
};
use super::values::{group_number, parse_size, split_list, village_core};
use super::Cell;
use crate::audit::Level;
use crate::error::Result;
use crate::privacy::mask_id;
use crate::register::households::{
    read_household, update_valid, validate_with, HouseholdInput, NewHouseholds, Valid,
};
use crate::register::villages::{group_name, insert_group};
use crate::register::{tags::insert_tag, tags::TagInput, HouseholdStatus};
use rusqlite::{Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

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

/// Where the rows come from: the located rows of a sheet read beforehand, or chunks of a
/// sheet still being read by another thread (`run::import_file`), each a piece of the sheet
/// with its data rows.
pub(crate) enum Feed<'f> {
    Whole(&'f [usize]),
    Chunks(&'f mut dyn FnMut() -> Result<Option<(super::Sheet, Vec<usize>)>>),
}

/// A village the register lacks, as the file spells it. It is created at its first row (when
/// the user confirmed) and named at the end by its fullest spelling: "黄河" and "黄河村" are one
/// new village, 黄河村.
struct NewVillage {
    id: Option<i64>,
    created_as: String,
    name: String,
    /// Rows naming it.
    rows: u32,
}

/// The first row of an ID number: written as a new household (`Some`) or not (yet).
struct Seen {
    row: usize,
    written: Option<i64>,
}

/// The import's memory across rows. Every row is checked and written as it comes, in one pass:
/// what only a later row can reveal is settled then — a duplicate ID un-writes the first row
/// (which was only inserted; rows of registered people wait until the end, because an update
/// is recorded in the audit trail), and new villages get their fullest name at the end.
struct Pass<'s> {
    store: &'s crate::Store,
    villages: Villages,
    tags: Vec<(i64, String)>,
    tag_ids: HashMap<String, i64>,
    registered_ids: HashMap<String, i64>,
    /// New villages by core name, and the core names in the order the file names them.
    new_villages: HashMap<String, NewVillage>,
    new_village_order: Vec<String>,
    /// Each village cell's text as the file spells it → its place (most rows repeat one).
    places: HashMap<String, Place>,
    /// Groups the register lacks, with their rows, in the order the file names them.
    new_groups: HashMap<(Place, GroupKey), u32>,
    new_group_order: Vec<(Place, GroupKey)>,
    unknown_tags: Vec<String>,
    /// Problems saying a new village is missing: (index in `report.problems`, core name).
    village_problems: Vec<(usize, String)>,
    group_ids: HashMap<(Place, GroupKey), i64>,
    seen_ids: HashMap<String, Seen>,
    dup_rows: HashSet<usize>,
    /// Rows of registered people, decided at the end: (row, its cells, normalized).
    registered: Vec<(super::Sheet, Row)>,
    new: NewHouseholds,
    done: usize,
}

pub(crate) fn import(
    store: &crate::Store,
    tx: &Connection,
    ctx: &Ctx<'_>,
    feed: Feed<'_>,
    expected_rows: usize,
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let tags: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM tags")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut pass = Pass {
        store,
        villages: Villages::load(tx)?,
        tag_ids: tags.iter().map(|(id, n)| (n.clone(), *id)).collect(),
        tags,
        // Every registered ID number, looked up in memory instead of one query per row.
        registered_ids: tx
            .prepare("SELECT id_number, id FROM households")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?,
        new_villages: HashMap::new(),
        new_village_order: Vec::new(),
        places: HashMap::new(),
        new_groups: HashMap::new(),
        new_group_order: Vec::new(),
        unknown_tags: Vec::new(),
        village_problems: Vec::new(),
        group_ids: HashMap::new(),
        seen_ids: HashMap::with_capacity(expected_rows),
        dup_rows: HashSet::new(),
        registered: Vec::new(),
        new: NewHouseholds::new(tx, &ctx.now)?,
        done: 0,
    };

    // A large file into a small register: the secondary indexes are built once at the end
    // (a sort) instead of row by row. DDL is transactional, so a rollback restores them.
    let deferred = if expected_rows >= 10_000 && expected_rows > pass.registered_ids.len() {
        defer_indexes(tx, &["households", "household_tags"])?
    } else {
        Vec::new()
    };

    let mut rows = |ctx: &Ctx<'_>, data: &[usize]| -> Result<()> {
        for &r in data {
            // The file's stated height can fall short (a sheet saved without it): then the
            // total is 0, not known.
            let total = if pass.done < expected_rows {
                expected_rows
            } else {
                0
            };
            ticker.writing(ctx.opts.dry_run, pass.done, total)?;
            pass.row(tx, ctx, r, report)?;
            pass.done += 1;
        }
        Ok(())
    };
    match feed {
        Feed::Whole(data) => rows(ctx, data)?,
        Feed::Chunks(next) => {
            while let Some((sheet, data)) = next()? {
                rows(&ctx.over(&sheet), &data)?;
            }
        }
    }
    // Every row is in: the total is known now (100%).
    ticker.writing(ctx.opts.dry_run, pass.done, pass.done)?;
    pass.finish(tx, ctx, report)?;

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

impl Pass<'_> {
    fn find_tag(&self, t: &str) -> Option<&(i64, String)> {
        self.tags
            .iter()
            .find(|(_, n)| n == t)
            .or_else(|| self.tags.iter().find(|(_, n)| tag_core(n) == tag_core(t)))
    }

    /// One row: normalized, checked, and written unless it has a problem or its person is
    /// registered (decided in [`Pass::finish`]).
    fn row(
        &mut self,
        tx: &Connection,
        ctx: &Ctx<'_>,
        r: usize,
        report: &mut ImportReport,
    ) -> Result<()> {
        let Some(row) = self.normalize_row(tx, ctx, r, report)? else {
            return Ok(());
        };
        if self.registered_ids.contains_key(&row.id_number) {
            let cells = ctx.sheet.row(r).to_vec();
            self.registered
                .push((super::Sheet::piece(&ctx.sheet.name, r, vec![cells]), row));
            return Ok(());
        }
        self.write(tx, ctx, row, None, report)
    }

    /// A row's first half: its values normalized, its village, group and tags matched (and, when
    /// the user confirmed, created), and the same ID earlier in the file found. `None` when the
    /// row has a problem already.
    fn normalize_row(
        &mut self,
        tx: &Connection,
        ctx: &Ctx<'_>,
        r: usize,
        report: &mut ImportReport,
    ) -> Result<Option<Row>> {
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
            let place = match self.places.get(&village_raw) {
                Some(p) => p.clone(),
                None => {
                    let p = self.place_of(tx, ctx, &village_raw)?;
                    self.places.insert(village_raw.clone(), p.clone());
                    p
                }
            };
            if let Place::New(core) = &place {
                if let Some(nv) = self.new_villages.get_mut(core) {
                    nv.rows += 1;
                }
            }
            place
        };
        let group_key = match &village {
            Place::Known(v) => match self.villages.group(*v, &group_raw) {
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
            let key = (village.clone(), group_key.clone());
            match self.new_groups.get_mut(&key) {
                Some(n) => *n += 1,
                None => {
                    self.new_groups.insert(key.clone(), 1);
                    self.new_group_order.push(key);
                }
            }
            if !ctx.opts.create_missing {
                match &village {
                    Place::New(core) => {
                        self.village_problems
                            .push((report.problems.len(), core.clone()));
                        report.problems.push(ctx.problem(
                            r,
                            Some(Field::Village),
                            missing_village(core),
                        ));
                    }
                    Place::Known(_) => report.problems.push(ctx.problem(
                        r,
                        Some(Field::Group),
                        missing_group(&self.group_label(&village, &group_key)),
                    )),
                }
            }
        }
        let mut tag_names = Vec::new();
        for t in split_list(&tags_raw) {
            match self.find_tag(&t) {
                Some((_, name)) => tag_names.push(name.clone()),
                None => {
                    if ctx.opts.create_missing && !self.tag_ids.contains_key(&t) {
                        let tag = insert_tag(
                            tx,
                            &TagInput {
                                name: t.clone(),
                                key_rule_id: None,
                            },
                        )
                        .map_err(|e| {
                            crate::Error::invalid("file", format!("无法新建标签“{t}”：{e}"))
                        })?;
                        self.tag_ids.insert(t.clone(), tag.id);
                    }
                    self.unknown_tags.push(t.clone());
                    tag_names.push(t);
                }
            }
        }
        // The same person twice in the file: both rows are named, neither is guessed right,
        // and the first one, if already written, is taken back out.
        if !id_number.is_empty() && report.problems.len() == before {
            if let Some(first) = self.seen_ids.get_mut(&id_number) {
                let first_row = first.row;
                if self.dup_rows.insert(first_row) {
                    let mut p = ctx.problem(
                        r,
                        Some(Field::IdNumber),
                        format!("这个身份证号在文件里出现了不止一次（还有第 {} 行）。同一个人只能登记一户：请核对后删去多余的行。", r + 1),
                    );
                    p.row = first_row as u32 + 1;
                    report.problems.push(p);
                    if let Some(hid) = first.written.take() {
                        // Only inserted in this import, never recorded in the audit trail.
                        self.new.flush(tx)?;
                        self.store.with_audit_level(Level::Off, || {
                            tx.execute("DELETE FROM households WHERE id = ?1", [hid])
                        })?;
                        report.imported -= 1;
                    }
                }
                self.dup_rows.insert(r);
                report.problems.push(ctx.problem(
                    r,
                    Some(Field::IdNumber),
                    format!(
                        "这个身份证号与第 {} 行重复。同一个人只能登记一户：请核对后删去多余的行。",
                        first_row + 1
                    ),
                ));
            } else {
                self.seen_ids.insert(
                    id_number.clone(),
                    Seen {
                        row: r,
                        written: None,
                    },
                );
            }
        }
        if report.problems.len() != before {
            return Ok(None);
        }
        Ok(Some(Row {
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
        }))
    }

    /// A row's second half: its place resolved (a new group created when confirmed), checked by
    /// the register's rules, and inserted — or, for a registered person (`existing`), updated
    /// field by field.
    fn write(
        &mut self,
        tx: &Connection,
        ctx: &Ctx<'_>,
        row: Row,
        existing: Option<i64>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let r = row.row;
        // Resolve (or refuse) the place.
        let village_id = match &row.village {
            Place::Known(id) => Some(*id),
            Place::New(core) if core.is_empty() => None,
            Place::New(core) => match self.new_villages.get(core).and_then(|v| v.id) {
                Some(id) => Some(id),
                None => {
                    self.village_problems
                        .push((report.problems.len(), core.clone()));
                    report.problems.push(ctx.problem(
                        r,
                        Some(Field::Village),
                        missing_village(core),
                    ));
                    return Ok(());
                }
            },
        };
        let group_id = match (&row.group.1, village_id) {
            (GroupKey::Id(g), _) => Some(*g),
            (_, None) => None,
            (key, Some(vid)) => {
                if let Some(g) = self.group_ids.get(&row.group) {
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
                                return Ok(());
                            }
                        },
                    };
                    self.group_ids.insert(row.group.clone(), gid);
                    Some(gid)
                } else if matches!(key, GroupKey::Name(n) if n.is_empty()) {
                    None
                } else {
                    report.problems.push(ctx.problem(
                        r,
                        Some(Field::Group),
                        missing_group(&self.group_label(&row.village, key)),
                    ));
                    return Ok(());
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
            return Ok(());
        };
        let row_tag_ids: Vec<i64> = row
            .tags
            .iter()
            .filter_map(|t| self.tag_ids.get(t).copied())
            .collect();
        let mut input = HouseholdInput {
            village_id,
            group_id,
            head_name: row.head_name,
            id_number: row.id_number,
            phone: row.phone,
            address: row.address,
            size: row.size,
            status: HouseholdStatus::Registered,
            tag_ids: row_tag_ids,
            note: row.note,
        };
        let mut old = None;
        // What the lists of changes call the row: the name as the file has it.
        let name = existing
            .map(|_| input.head_name.clone())
            .unwrap_or_default();
        if let Some(hid) = existing {
            if ctx.opts.mode == ImportMode::Add {
                report.skipped += 1;
                report.existing.push(ExistingRow {
                    row: r as u32 + 1,
                    name: input.head_name,
                    key: mask_id(&input.id_number),
                });
                return Ok(());
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
                return Ok(());
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
                        name,
                        key: mask_id(&valid.id_number),
                        changes,
                    });
                }
                Ok(())
            }
            _ => {
                let seen = self.seen_ids.get_mut(&valid.id_number);
                let id = self.new.push(tx, valid)?;
                // Remembered, so that a later row with the same ID can take it back out.
                if let Some(seen) = seen {
                    seen.written = Some(id);
                }
                report.imported += 1;
                Ok(())
            }
        }
    }

    /// After the last row: registered people (now that every duplicate is known), the new
    /// villages' names, and the lists of what the file named and the register lacked.
    fn finish(&mut self, tx: &Connection, ctx: &Ctx<'_>, report: &mut ImportReport) -> Result<()> {
        self.new.flush(tx)?;
        for (sheet, row) in std::mem::take(&mut self.registered) {
            if self.dup_rows.contains(&row.row) {
                continue;
            }
            let hid = self.registered_ids[&row.id_number];
            self.write(tx, &ctx.over(&sheet), row, Some(hid), report)?;
        }
        // A village created for rows that were then all skipped (有问题的行跳过) is taken back
        // out: nothing of it was imported.
        if ctx.opts.create_missing {
            let mut unused = Vec::new();
            for (core, nv) in &self.new_villages {
                let Some(id) = nv.id else { continue };
                let used: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM households WHERE village_id = ?1)",
                    [id],
                    |r| r.get(0),
                )?;
                if !used {
                    tx.execute("DELETE FROM village_groups WHERE village_id = ?1", [id])?;
                    tx.execute("DELETE FROM villages WHERE id = ?1", [id])?;
                    unused.push(core.clone());
                }
            }
            if !unused.is_empty() {
                self.new_village_order.retain(|c| !unused.contains(c));
                self.new_group_order
                    .retain(|(p, _)| !matches!(p, Place::New(c) if unused.contains(c)));
                for c in &unused {
                    self.new_villages.remove(c);
                }
            }
            // Groups listed as new only when created for an imported row.
            let created: std::collections::HashSet<&(Place, GroupKey)> =
                self.group_ids.keys().collect();
            self.new_group_order.retain(|k| created.contains(k));
        }
        for nv in self.new_villages.values() {
            if let (Some(id), true) = (nv.id, nv.name != nv.created_as) {
                let input = crate::register::villages::VillageInput {
                    name: nv.name.clone(),
                    kind: None,
                };
                crate::register::villages::rename_village(tx, id, &input)?;
            }
        }
        for (i, core) in std::mem::take(&mut self.village_problems) {
            report.problems[i].message = missing_village(&self.new_villages[&core].name);
        }
        report.new_villages = count_weighted(self.new_village_order.iter().map(|core| {
            let nv = &self.new_villages[core];
            (nv.name.clone(), nv.rows)
        }));
        report.new_groups = count_weighted(
            self.new_group_order
                .iter()
                .map(|key| (self.group_label(&key.0, &key.1), self.new_groups[key])),
        );
        let unknown = count_names(self.unknown_tags.iter().cloned());
        if ctx.opts.create_missing {
            report.new_tags = unknown;
        } else {
            report.unknown_tags = unknown;
        }
        Ok(())
    }

    /// Where a village cell puts a household: a registered village, or one the register
    /// lacks (created now when the user confirmed; its name may still grow longer).
    fn place_of(&mut self, tx: &Connection, ctx: &Ctx<'_>, raw: &str) -> Result<Place> {
        if let Some(id) = self.villages.village(raw) {
            return Ok(Place::Known(id));
        }
        // The committee is not the village: "黄河村委会" names 黄河村.
        let name = super::values::village_name(raw.trim());
        let core = village_core(&name);
        match self.new_villages.get_mut(&core) {
            Some(nv) => {
                if name.chars().count() > nv.name.chars().count() {
                    nv.name = name;
                }
            }
            None => {
                let id = if ctx.opts.create_missing {
                    Some(create_village(tx, &name)?)
                } else {
                    None
                };
                self.new_villages.insert(
                    core.clone(),
                    NewVillage {
                        id,
                        created_as: name.clone(),
                        name,
                        rows: 0,
                    },
                );
                self.new_village_order.push(core.clone());
            }
        }
        Ok(Place::New(core))
    }

    fn group_label(&self, village: &Place, key: &GroupKey) -> String {
        let vname = match village {
            Place::Known(id) => self.villages.name(*id).unwrap_or_default().to_string(),
            Place::New(core) => self
                .new_villages
                .get(core)
                .map(|v| v.name.clone())
                .unwrap_or_default(),
        };
        let g = match key {
            GroupKey::Number(n) => group_name(*n),
            GroupKey::Name(n) => n.clone(),
            GroupKey::Id(_) => String::new(),
        };
        format!("{vname} {g}")
    }
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
