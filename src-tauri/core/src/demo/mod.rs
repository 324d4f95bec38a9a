//! The demo township: a deterministic, seeded generator of realistic register data — surnames
//! by their real frequency, ID numbers with the district's region code, real birth dates and
//! correct check digits, valid mobiles, tag shares like a real township, cadres from district
//! departments linked to villages. Every household goes through the same validation as one
//! typed in the form.

pub mod activity;
mod data;

use crate::audit::{self, AuditEntity, Level};
use crate::error::{Error, Result};
use crate::register::households::{self, HouseholdInput};
use crate::register::villages::{group_name, insert_group, insert_village, VillageInput};
use crate::register::{cadres, township, CadreLevel, HouseholdStatus};
use crate::validate::id_check_char;
use crate::Store;
use chrono::{Datelike, NaiveDate};
use data::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

/// 宿迁市宿城区: the region code the demo's ID numbers start with.
pub const REGION_CODE: &str = "321302";
pub const DEFAULT_TOWNSHIP: &str = "龙河镇";
pub const DEFAULT_HOUSEHOLDS: u32 = 6000;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub households: u32,
    pub seed: u64,
    pub township: String,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            households: DEFAULT_HOUSEHOLDS,
            seed: 1,
            township: DEFAULT_TOWNSHIP.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    pub township: String,
    pub villages: u32,
    pub groups: u32,
    pub households: u32,
    pub cadres: u32,
    pub paired_households: u32,
}

/// SplitMix64: tiny, fast, and its sequence never changes with a dependency upgrade, so a
/// seed gives the same township forever.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as u64
    }
    pub(crate) fn range(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.below(hi_inclusive - lo + 1)
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub(crate) fn pick<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        items[self.below(items.len() as u64) as usize]
    }
    pub(crate) fn weighted<'a, T>(&mut self, items: &'a [(T, u32)], total: u32) -> &'a T {
        let mut x = self.below(total as u64) as u32;
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }
}

struct Names {
    surname_total: u32,
}

impl Names {
    fn new() -> Self {
        Names {
            surname_total: SURNAMES.iter().map(|(_, w)| w).sum(),
        }
    }
    fn person(&self, rng: &mut Rng, male: bool) -> String {
        let mut name = rng.weighted(SURNAMES, self.surname_total).to_string();
        let chars = if male { MALE_CHARS } else { FEMALE_CHARS };
        let first = rng.pick(chars);
        name.push_str(first);
        if rng.chance(0.72) {
            let second = rng.pick(chars);
            if second != first {
                name.push_str(second);
            }
        }
        name
    }
}

fn mobile(rng: &mut Rng) -> String {
    format!("{}{:08}", rng.pick(MOBILE_PREFIXES), rng.below(100_000_000))
}

/// An 18-digit ID: region code, birth date, sequence (odd for men), check character.
fn id_number(rng: &mut Rng, birth: NaiveDate, male: bool, used: &mut HashSet<String>) -> String {
    loop {
        let mut seq = rng.below(1000) as u32;
        if (seq % 2 == 1) != male {
            seq = (seq + 1) % 1000;
        }
        let first17 = format!("{REGION_CODE}{}{seq:03}", birth.format("%Y%m%d"));
        let id = format!("{first17}{}", id_check_char(&first17).expect("17 digits"));
        if used.insert(id.clone()) {
            return id;
        }
    }
}

/// Age of a household head: most between 45 and 75, as in rural Jiangsu.
fn head_age(rng: &mut Rng) -> u64 {
    let bands: &[((u64, u64), u32)] = &[
        ((25, 34), 6),
        ((35, 44), 12),
        ((45, 54), 22),
        ((55, 64), 26),
        ((65, 74), 22),
        ((75, 90), 12),
    ];
    let (lo, hi) = *rng.weighted(bands, 100);
    rng.range(lo, hi)
}

fn birth_date(rng: &mut Rng, today: NaiveDate, age: u64) -> NaiveDate {
    let year = today.year() - age as i32;
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let d = start + chrono::Days::new(rng.below(365));
    d.min(today)
}

/// Loads the demo township into an empty database in one transaction. `progress(done, total)`
/// returning `false` cancels, and nothing is written.
pub fn generate(
    store: &Store,
    opts: &DemoOptions,
    today: NaiveDate,
    mut progress: impl FnMut(u64, u64) -> bool,
) -> Result<DemoSummary> {
    if opts.households == 0 || opts.households > 1_000_000 {
        return Err(Error::invalid(
            "households",
            "示例户数应在 1 到 1000000 之间。",
        ));
    }
    let township_name = crate::validate::check_text("township", "乡镇名称", &opts.township, 30)?;
    // Generated data is not the operators' work: one summary line in the audit trail.
    let summary = store.write(|tx| {
        store.with_audit_level(Level::Off, || {
            let (villages, households): (i64, i64) = tx.query_row(
                "SELECT (SELECT count(*) FROM villages), (SELECT count(*) FROM households)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if villages > 0 || households > 0 {
                return Err(Error::Conflict(format!(
                "数据库里已经有 {villages} 个村、{households} 户，示例乡镇只能载入到空白数据库。\
                 如需体验示例数据，请另建一个数据库（命令行用 --db 指定新文件）。"
            )));
            }
            let mut rng = Rng(opts.seed ^ 0x6D69_6E71_696E_6721);
            let names = Names::new();
            let now = crate::now_text();

            township::write(
                tx,
                &township::Township {
                    name: township_name.clone(),
                    district: "宿迁市宿城区".into(),
                    campaign_name: "三解三促".into(),
                    reporting_unit: format!("{township_name}人民政府"),
                    contact_person: {
                        let male = rng.chance(0.5);
                        names.person(&mut rng, male)
                    },
                    contact_phone: mobile(&mut rng),
                },
            )?;
            tx.execute("UPDATE township SET setup_done = 1 WHERE id = 1", [])?;

            // Villages and their groups, with uneven sizes.
            let village_count = rng.range(10, 20) as usize;
            let mut stems: Vec<&str> = VILLAGE_STEMS.to_vec();
            let mut village_ids = Vec::new();
            let mut groups: Vec<(i64, i64, String, String, f64)> = Vec::new(); // (village, group, village name, group name, weight)
            for i in 0..village_count {
                let stem = stems.remove(rng.below(stems.len() as u64) as usize);
                let name = if i % 7 == 3 {
                    format!("{stem}社区")
                } else {
                    format!("{stem}村")
                };
                let v = insert_village(
                    tx,
                    &VillageInput {
                        name: name.clone(),
                        kind: None,
                    },
                )?;
                village_ids.push((v.id, name.clone()));
                let weight = 0.5 + rng.below(1000) as f64 / 1000.0;
                let n_groups = rng.range(5, 12) as u32;
                for g in 1..=n_groups {
                    let gname = group_name(g);
                    let group = insert_group(tx, v.id, &gname)?;
                    groups.push((
                        v.id,
                        group.id,
                        name.clone(),
                        gname,
                        weight / n_groups as f64 * (0.7 + rng.below(600) as f64 / 1000.0),
                    ));
                }
            }
            let weight_total: f64 = groups.iter().map(|g| g.4).sum();

            let tags: HashMap<String, (i64, bool)> = {
                let mut stmt = tx.prepare("SELECT name, id, key_rule_id IS NOT NULL FROM tags")?;
                let rows = stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        (r.get::<_, i64>(1)?, r.get::<_, bool>(2)?),
                    ))
                })?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let tag = |n: &str| tags.get(n).map(|t| t.0);

            let total = opts.households as u64;
            let mut used_ids = HashSet::with_capacity(total as usize);
            let mut house_no: HashMap<i64, u32> = HashMap::new();
            let mut key_by_village: HashMap<i64, Vec<i64>> = HashMap::new();
            let mut made = 0u64;
            let size_weights: &[(i64, u32); 7] =
                &[(1, 12), (2, 25), (3, 22), (4, 20), (5, 13), (6, 6), (7, 2)];
            for (gi, (village_id, group_id, vname, gname, w)) in groups.iter().enumerate() {
                let share = if gi + 1 == groups.len() {
                    total - made
                } else {
                    ((w / weight_total) * total as f64).round() as u64
                }
                .min(total - made);
                for _ in 0..share {
                    let male = rng.chance(0.8);
                    let mut age = head_age(&mut rng);
                    let mut size = *rng.weighted(size_weights, 100);
                    let mut tag_ids = Vec::new();
                    for (name, p) in TAG_SHARES {
                        if rng.chance(*p) {
                            if let Some(t) = tag(name) {
                                tag_ids.push(t);
                            }
                            match *name {
                                "独居老人" => {
                                    size = 1;
                                    age = age.max(65 + rng.below(20));
                                }
                                "留守老人" => age = age.max(60 + rng.below(25)),
                                "留守儿童" => size = size.max(3),
                                _ => {}
                            }
                        }
                    }
                    let birth = birth_date(&mut rng, today, age);
                    let n = house_no.entry(*group_id).or_insert(0);
                    *n += 1 + rng.below(3) as u32;
                    let phone = match rng.below(100) {
                        0..=91 => mobile(&mut rng),
                        92..=94 => format!("0527-8{:07}", rng.below(10_000_000)),
                        _ => String::new(),
                    };
                    let input = HouseholdInput {
                        village_id: *village_id,
                        group_id: *group_id,
                        head_name: names.person(&mut rng, male),
                        id_number: id_number(&mut rng, birth, male, &mut used_ids),
                        phone,
                        address: format!("{vname}{gname}{n}号"),
                        size: Some(size),
                        status: match rng.below(1000) {
                            0..=979 => HouseholdStatus::Registered,
                            980..=992 => HouseholdStatus::MovedOut,
                            _ => HouseholdStatus::Deregistered,
                        },
                        tag_ids: tag_ids.clone(),
                        note: String::new(),
                    };
                    let hid = households::insert(tx, &input, today, &now)?;
                    let is_key = tag_ids
                        .iter()
                        .any(|t| tags.values().any(|(id, key)| id == t && *key));
                    if is_key && input.status == HouseholdStatus::Registered {
                        key_by_village.entry(*village_id).or_default().push(hid);
                    }
                    made += 1;
                    if made % 2000 == 0 && !progress(made, total) {
                        return Err(Error::Conflict(
                            "已取消载入示例数据，数据库未作改动。".into(),
                        ));
                    }
                }
            }

            // Cadres: district leaders, department heads and staff from district units, township
            // cadres and village cadres; every village gets several, each pairs with 重点户.
            let cadre_count = (total / 100).clamp(24, 300) as usize;
            let mut cadres_made = 0u32;
            let mut paired = 0u32;
            for i in 0..cadre_count {
                let (village_id, village_name) = village_ids[i % village_ids.len()].clone();
                let (level, unit, title, days, pairs) = match rng.below(100) {
                    0..=3 => (
                        CadreLevel::DistrictLeader,
                        "区委区政府".to_string(),
                        rng.pick(DISTRICT_LEADER_TITLES).to_string(),
                        2,
                        2,
                    ),
                    4..=18 => (
                        CadreLevel::DepartmentHead,
                        rng.pick(DISTRICT_UNITS).to_string(),
                        rng.pick(HEAD_TITLES).to_string(),
                        4,
                        3,
                    ),
                    19..=62 => (
                        CadreLevel::Staff,
                        rng.pick(DISTRICT_UNITS).to_string(),
                        rng.pick(STAFF_TITLES).to_string(),
                        6,
                        4,
                    ),
                    63..=82 => (
                        CadreLevel::Township,
                        format!("{township_name}{}", rng.pick(TOWNSHIP_UNITS)),
                        rng.pick(TOWNSHIP_TITLES).to_string(),
                        8,
                        4,
                    ),
                    _ => {
                        let unit = if village_name.ends_with("社区") {
                            format!("{village_name}居委会")
                        } else {
                            format!("{village_name}委会")
                        };
                        (
                            CadreLevel::Village,
                            unit,
                            rng.pick(VILLAGE_TITLES).to_string(),
                            10,
                            5,
                        )
                    }
                };
                let mut villages = vec![village_id];
                if level != CadreLevel::Village && rng.chance(0.2) {
                    let other = village_ids[rng.below(village_ids.len() as u64) as usize].0;
                    if other != village_id {
                        villages.push(other);
                    }
                }
                let pool = key_by_village.entry(village_id).or_default();
                let take = pairs.min(pool.len());
                let household_ids: Vec<i64> = pool.drain(..take).collect();
                paired += household_ids.len() as u32;
                let male = rng.chance(0.7);
                let input = cadres::CadreInput {
                    name: names.person(&mut rng, male),
                    unit,
                    title,
                    phone: mobile(&mut rng),
                    level,
                    visit_days_per_month: days,
                    // Every fourth cadre keeps fixed visit days (Tuesday and Thursday).
                    visit_weekdays: if cadres_made % 4 == 3 {
                        vec![2, 4]
                    } else {
                        Vec::new()
                    },
                    leave_dates: Vec::new(),
                    active: true,
                    village_ids: villages,
                    household_ids,
                    note: String::new(),
                };
                cadres::insert(tx, &input, &now)?;
                cadres_made += 1;
            }
            progress(total, total);
            audit::note(
                tx,
                AuditEntity::Household,
                None,
                &township_name,
                "生成示例数据",
                &format!("{village_count} 个村、{made} 户、{cadres_made} 名干部"),
            )?;
            Ok(DemoSummary {
                township: township_name.clone(),
                villages: village_count as u32,
                groups: groups.len() as u32,
                households: made as u32,
                cadres: cadres_made,
                paired_households: paired,
            })
        })
    })?;
    store.optimize()?;
    Ok(summary)
}

/// What 载入示例乡镇 loaded besides the register.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DemoStory {
    pub summary: DemoSummary,
    pub activity: activity::ActivitySummary,
    /// The current cycle, computed from today.
    pub cycle: String,
    pub planned: u32,
}

/// The demo as a newcomer should meet it: the township, 90 days of visits with requests
/// carried through their lifecycle, and a current cycle of three months from today, computed —
/// so the 工作台, the three rates and the reports open filled, not with zeros.
pub fn story(
    store: &Store,
    today: NaiveDate,
    progress: impl FnMut(u64, u64) -> bool,
) -> Result<DemoStory> {
    let opts = DemoOptions::default();
    let summary = generate(store, &opts, today, progress)?;
    let activity = activity::activity(
        store,
        today - chrono::Days::new(90),
        today,
        0.8,
        opts.seed,
        today,
    )?;
    // Three months from today: long enough for every household's visit (a cycle of the few
    // weeks left in a quarter would open on a wall of 排不上).
    let end = today
        .checked_add_months(chrono::Months::new(3))
        .expect("a date three months on")
        - chrono::Days::new(1);
    let name = format!("{}年{}月起三个月", today.year(), today.month());
    let cycle = crate::plan::store::create_cycle(
        store,
        &crate::plan::store::CycleInput::new(&name, today, end),
    )?;
    let planned = crate::plan::store::compute_plan(store, cycle.id, false)?.assignments;
    Ok(DemoStory {
        summary,
        activity,
        cycle: name,
        planned,
    })
}
