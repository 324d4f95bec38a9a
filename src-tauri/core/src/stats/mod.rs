//! Statistics: one module that the 工作台, the CLI and every district workbook read, so a number
//! is the same on screen and on paper.
//! - this file: the register (what `minqing stats` prints and the 工作台's cards show);
//! - [`district`]: the period figures of the district's reports (coverage, requests, cadres,
//!   the overdue list and the ledger rows).

pub mod district;
pub mod projects;

use crate::error::Result;
use crate::Store;
use serde::Serialize;
use ts_rs::TS;

/// The canonical text of a figure, as the workbooks' `_meta` records it and the merge compares
/// it: integers plainly, rates to six decimals, "—" for none.
pub fn figure_text(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
        Some(x) => format!("{x:.6}"),
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RegisterStats {
    pub villages: i64,
    pub groups: i64,
    /// Households of every status.
    pub households_all: i64,
    /// 在册 households.
    pub households: i64,
    /// 在册 重点户.
    pub key_households: i64,
    /// 在册 population (sum of 家庭人口 where known).
    pub population: i64,
    pub cadres: i64,
    /// 在册 households with a paired cadre.
    pub paired_households: i64,
    pub by_village: Vec<VillageStat>,
    pub by_tag: Vec<TagStat>,
    pub by_status: Vec<StatusStat>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VillageStat {
    pub village_id: i64,
    pub name: String,
    pub groups: i64,
    /// 在册 households.
    pub households: i64,
    pub key_households: i64,
    /// Active cadres linked to the village.
    pub cadres: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct TagStat {
    pub tag_id: i64,
    pub name: String,
    pub is_key: bool,
    /// 在册 households with the tag.
    pub households: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct StatusStat {
    pub status: String,
    pub households: i64,
}

pub(crate) const KEY_HOUSEHOLDS: &str = "SELECT DISTINCT ht.household_id FROM household_tags ht
     JOIN tags t ON t.id = ht.tag_id WHERE t.key_rule_id IS NOT NULL";

/// The register's counts. One pass over the households and one over their tags, counted here:
/// on 100,000 households the per-village subqueries this replaced took 200 ms of the 工作台's
/// start, this takes a fraction of that (the statuses and villages are few, the rows many).
pub fn register_stats(store: &Store) -> Result<RegisterStats> {
    store.read(|c| Ok(register_stats_in(c)?))
}

/// The register's counts, worked out once on a thread of their own as the app starts: the
/// 工作台 asks for them first thing, and on 100,000 households a count on a cold cache takes
/// 80–170 ms, while the window spends longer than that loading its page. The 工作台's first
/// call takes them if the store is the same and nothing was written to it since; every later
/// call counts anew (another program writing the file, such as the CLI, is not seen: the counts
/// are a second old at most, and only on the first call).
#[derive(Default)]
pub struct StartStats {
    slot: std::sync::Mutex<Slot>,
    done: std::sync::Condvar,
}

#[derive(Default)]
enum Slot {
    #[default]
    Empty,
    Counting,
    Ready {
        store: std::sync::Weak<Store>,
        writes: u64,
        stats: RegisterStats,
    },
}

impl StartStats {
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts the count on its own thread. The thread holds the store only while it counts.
    pub fn begin(self: &std::sync::Arc<Self>, store: std::sync::Arc<Store>) {
        *self.slot() = Slot::Counting;
        let me = self.clone();
        let spawned = std::thread::Builder::new()
            .name("start-stats".into())
            .spawn(move || {
                // Empty again if the count fails or panics: the first call counts itself.
                struct Wake<'a>(&'a StartStats, Option<Slot>);
                impl Drop for Wake<'_> {
                    fn drop(&mut self) {
                        *self.0.slot() = self.1.take().unwrap_or_default();
                        self.0.done.notify_all();
                    }
                }
                let mut wake = Wake(&me, None);
                let writes = store.writes();
                if let Ok(stats) = register_stats(&store) {
                    wake.1 = Some(Slot::Ready {
                        store: std::sync::Arc::downgrade(&store),
                        writes,
                        stats,
                    });
                }
            });
        if spawned.is_err() {
            *self.slot() = Slot::Empty;
        }
    }

    /// The counts: the ones worked out at start if they still hold for `store` (waiting for
    /// them if they are being counted), otherwise counted now.
    pub fn take(&self, store: &Store) -> Result<RegisterStats> {
        let mut slot = self.slot();
        while matches!(*slot, Slot::Counting) {
            slot = self.done.wait(slot).unwrap_or_else(|p| p.into_inner());
        }
        if let Slot::Ready {
            store: counted,
            writes,
            stats,
        } = std::mem::take(&mut *slot)
        {
            if std::ptr::eq(counted.as_ptr(), store) && writes == store.writes() {
                return Ok(stats);
            }
        }
        drop(slot);
        register_stats(store)
    }
}

fn register_stats_in(c: &rusqlite::Connection) -> rusqlite::Result<RegisterStats> {
    use std::collections::{HashMap, HashSet};
    let registered = crate::register::HouseholdStatus::Registered.as_str();
    let count = |sql: &str| -> rusqlite::Result<i64> { c.query_row(sql, [], |r| r.get(0)) };
    let key_tags: HashSet<i64> = c
        .prepare("SELECT id FROM tags WHERE key_rule_id IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // The registered households and their villages; then their tags, by tag, and which of
    // them carry a key tag.
    let mut village_of: HashMap<i64, i64> = HashMap::new();
    let (mut all, mut households, mut population) = (0i64, 0i64, 0i64);
    let mut by_status: Vec<StatusStat> = crate::register::HouseholdStatus::ALL
        .iter()
        .map(|s| StatusStat {
            status: s.as_str().to_string(),
            households: 0,
        })
        .collect();
    let mut per_village: HashMap<i64, i64> = HashMap::new();
    {
        let mut st = c.prepare_cached("SELECT id, village_id, status, size FROM households")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            all += 1;
            let status = r.get_ref(2)?.as_str().unwrap_or_default();
            if let Some(s) = by_status.iter_mut().find(|s| s.status == status) {
                s.households += 1;
            }
            if status == registered {
                let (id, village): (i64, i64) = (r.get(0)?, r.get(1)?);
                households += 1;
                population += r.get::<_, Option<i64>>(3)?.unwrap_or(0);
                village_of.insert(id, village);
                *per_village.entry(village).or_default() += 1;
            }
        }
    }
    let mut per_tag: HashMap<i64, i64> = HashMap::new();
    let mut key: HashSet<i64> = HashSet::new();
    {
        let mut st = c.prepare_cached("SELECT household_id, tag_id FROM household_tags")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (household, tag): (i64, i64) = (r.get(0)?, r.get(1)?);
            if village_of.contains_key(&household) {
                *per_tag.entry(tag).or_default() += 1;
                if key_tags.contains(&tag) {
                    key.insert(household);
                }
            }
        }
    }
    let mut key_per_village: HashMap<i64, i64> = HashMap::new();
    for h in &key {
        *key_per_village.entry(village_of[h]).or_default() += 1;
    }
    let by_village = c
        .prepare(
            "SELECT v.id, v.name,
                (SELECT count(*) FROM village_groups g WHERE g.village_id = v.id),
                (SELECT count(*) FROM cadre_villages cv JOIN cadres cd ON cd.id = cv.cadre_id
                    WHERE cv.village_id = v.id AND cd.active = 1)
             FROM villages v ORDER BY v.sort_order, v.id",
        )?
        .query_map([], |r| {
            let id = r.get(0)?;
            Ok(VillageStat {
                village_id: id,
                name: r.get(1)?,
                groups: r.get(2)?,
                households: per_village.get(&id).copied().unwrap_or(0),
                key_households: key_per_village.get(&id).copied().unwrap_or(0),
                cadres: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let by_tag = c
        .prepare("SELECT id, name, key_rule_id IS NOT NULL FROM tags ORDER BY sort_order, id")?
        .query_map([], |r| {
            let id = r.get(0)?;
            Ok(TagStat {
                tag_id: id,
                name: r.get(1)?,
                is_key: r.get(2)?,
                households: per_tag.get(&id).copied().unwrap_or(0),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(RegisterStats {
        villages: count("SELECT count(*) FROM villages")?,
        groups: count("SELECT count(*) FROM village_groups")?,
        households_all: all,
        households,
        key_households: key.len() as i64,
        population,
        cadres: count("SELECT count(*) FROM cadres WHERE active = 1")?,
        paired_households: count(
            "SELECT count(*) FROM cadre_households ch JOIN households h ON h.id = ch.household_id
             WHERE h.status = '在册'",
        )?,
        by_village,
        by_tag,
        by_status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass counts against the same figures asked of SQLite one by one, on a demo
    /// township where some households left the register and some carry two key tags.
    #[test]
    fn one_pass_counts_match_sqlite_counting_each_figure() {
        let store = Store::open_in_memory().unwrap();
        let opts = crate::demo::DemoOptions {
            households: 1500,
            seed: 3,
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        crate::demo::generate(&store, &opts, today, |_, _| true).unwrap();
        store
            .write(|c| {
                c.execute_batch(
                    "UPDATE households SET status = '迁出' WHERE id % 17 = 0;
                     UPDATE households SET status = '注销' WHERE id % 29 = 0;
                     INSERT OR IGNORE INTO household_tags (household_id, tag_id)
                       SELECT ht.household_id, t.id FROM household_tags ht, tags t
                       WHERE t.key_rule_id IS NOT NULL AND ht.household_id % 5 = 0;",
                )?;
                Ok(())
            })
            .unwrap();
        let s = register_stats(&store).unwrap();
        let key = "SELECT DISTINCT ht.household_id FROM household_tags ht
                   JOIN tags t ON t.id = ht.tag_id WHERE t.key_rule_id IS NOT NULL";
        store
            .read(|c| {
                let n = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
                assert_eq!(s.households_all, n("SELECT count(*) FROM households"));
                assert_eq!(s.households, n("SELECT count(*) FROM households WHERE status = '在册'"));
                assert!(s.households < s.households_all);
                assert_eq!(
                    s.key_households,
                    n(&format!("SELECT count(*) FROM households WHERE status = '在册' AND id IN ({key})"))
                );
                assert_eq!(
                    s.population,
                    n("SELECT coalesce(sum(size), 0) FROM households WHERE status = '在册'")
                );
                for v in &s.by_village {
                    let id = v.village_id;
                    assert_eq!(v.households, n(&format!("SELECT count(*) FROM households WHERE village_id = {id} AND status = '在册'")));
                    assert_eq!(v.key_households, n(&format!("SELECT count(*) FROM households WHERE village_id = {id} AND status = '在册' AND id IN ({key})")));
                    assert_eq!(v.groups, n(&format!("SELECT count(*) FROM village_groups WHERE village_id = {id}")));
                }
                assert_eq!(s.by_village.iter().map(|v| v.households).sum::<i64>(), s.households);
                for t in &s.by_tag {
                    assert_eq!(t.households, n(&format!("SELECT count(*) FROM household_tags ht JOIN households h ON h.id = ht.household_id WHERE ht.tag_id = {} AND h.status = '在册'", t.tag_id)));
                }
                assert!(s.by_tag.iter().any(|t| t.households > 0));
                for st in &s.by_status {
                    assert_eq!(st.households, n(&format!("SELECT count(*) FROM households WHERE status = '{}'", st.status)));
                }
                assert!(s.by_status.iter().all(|st| st.households > 0));
                Ok(())
            })
            .unwrap();
    }

    fn demo_store(households: u32) -> (tempfile::TempDir, std::sync::Arc<Store>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("m.db")).unwrap();
        let opts = crate::demo::DemoOptions {
            households,
            seed: 5,
            ..Default::default()
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        crate::demo::generate(&store, &opts, today, |_, _| true).unwrap();
        (dir, std::sync::Arc::new(store))
    }

    const MOVE_OUT: &str =
        "UPDATE households SET status = '迁出' WHERE id <= ?1 AND status = '在册'";

    fn wait_counted(s: &StartStats) {
        let mut slot = s.slot();
        while matches!(*slot, Slot::Counting) {
            slot = s.done.wait(slot).unwrap();
        }
    }

    /// The counts worked out at start are what the 工作台's first call gets, once: a change
    /// another program makes to the file (not counted by this store) is seen by the second.
    #[test]
    fn start_counts_answer_the_first_call_once() {
        let (dir, store) = demo_store(300);
        let before = register_stats(&store).unwrap().households;
        let start = std::sync::Arc::new(StartStats::default());
        start.begin(store.clone());
        wait_counted(&start);
        let other = Store::open(&dir.path().join("m.db")).unwrap();
        let moved = other.write(|c| Ok(c.execute(MOVE_OUT, [10])?)).unwrap() as i64;
        assert!(moved > 0);
        assert_eq!(start.take(&store).unwrap().households, before);
        assert_eq!(start.take(&store).unwrap().households, before - moved);
    }

    /// A write of this store after the count, or another store (a database recovered from a
    /// backup), and the first call counts anew.
    #[test]
    fn start_counts_are_not_used_after_a_write_or_for_another_store() {
        let (_dir, store) = demo_store(300);
        let before = register_stats(&store).unwrap().households;
        let start = std::sync::Arc::new(StartStats::default());
        start.begin(store.clone());
        wait_counted(&start);
        let moved = store.write(|c| Ok(c.execute(MOVE_OUT, [7])?)).unwrap() as i64;
        assert!(moved > 0);
        assert_eq!(start.take(&store).unwrap().households, before - moved);

        let (_dir2, second) = demo_store(120);
        start.begin(store.clone());
        assert_eq!(
            start.take(&second).unwrap().households,
            register_stats(&second).unwrap().households
        );
        assert_ne!(register_stats(&second).unwrap().households, before - moved);
    }

    /// A call while the count runs waits for it and gets it; the thread lets go of the store
    /// when it is done (a recovery must be able to close it).
    #[test]
    fn a_call_during_the_count_waits_for_it() {
        let (_dir, store) = demo_store(2000);
        let want = register_stats(&store).unwrap();
        let start = std::sync::Arc::new(StartStats::default());
        start.begin(store.clone());
        let got = start.take(&store).unwrap();
        assert_eq!(got.households, want.households);
        assert_eq!(got.key_households, want.key_households);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::sync::Arc::strong_count(&store) > 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(std::sync::Arc::strong_count(&store), 1);
    }
}
