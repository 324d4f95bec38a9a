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

pub fn register_stats(store: &Store) -> Result<RegisterStats> {
    store.read(|c| {
        let count = |sql: &str| -> rusqlite::Result<i64> { c.query_row(sql, [], |r| r.get(0)) };
        let by_village = c
            .prepare(&format!(
                "SELECT v.id, v.name,
                    (SELECT count(*) FROM village_groups g WHERE g.village_id = v.id),
                    (SELECT count(*) FROM households h WHERE h.village_id = v.id AND h.status = '在册'),
                    (SELECT count(*) FROM households h WHERE h.village_id = v.id AND h.status = '在册'
                        AND h.id IN ({KEY_HOUSEHOLDS})),
                    (SELECT count(*) FROM cadre_villages cv JOIN cadres cd ON cd.id = cv.cadre_id
                        WHERE cv.village_id = v.id AND cd.active = 1)
                 FROM villages v ORDER BY v.sort_order, v.id"
            ))?
            .query_map([], |r| {
                Ok(VillageStat {
                    village_id: r.get(0)?,
                    name: r.get(1)?,
                    groups: r.get(2)?,
                    households: r.get(3)?,
                    key_households: r.get(4)?,
                    cadres: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let by_tag = c
            .prepare(
                "SELECT t.id, t.name, t.key_rule_id IS NOT NULL,
                    (SELECT count(*) FROM household_tags ht JOIN households h ON h.id = ht.household_id
                      WHERE ht.tag_id = t.id AND h.status = '在册')
                 FROM tags t ORDER BY t.sort_order, t.id",
            )?
            .query_map([], |r| Ok(TagStat { tag_id: r.get(0)?, name: r.get(1)?, is_key: r.get(2)?, households: r.get(3)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let by_status = c
            .prepare(
                "SELECT s.status, (SELECT count(*) FROM households h WHERE h.status = s.status)
                 FROM (SELECT '在册' AS status, 1 AS o UNION ALL SELECT '迁出', 2 UNION ALL SELECT '注销', 3) s
                 ORDER BY s.o",
            )?
            .query_map([], |r| Ok(StatusStat { status: r.get(0)?, households: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(RegisterStats {
            villages: count("SELECT count(*) FROM villages")?,
            groups: count("SELECT count(*) FROM village_groups")?,
            households_all: count("SELECT count(*) FROM households")?,
            households: count("SELECT count(*) FROM households WHERE status = '在册'")?,
            key_households: count(&format!(
                "SELECT count(*) FROM households WHERE status = '在册' AND id IN ({KEY_HOUSEHOLDS})"
            ))?,
            population: count("SELECT coalesce(sum(size), 0) FROM households WHERE status = '在册'")?,
            cadres: count("SELECT count(*) FROM cadres WHERE active = 1")?,
            paired_households: count(
                "SELECT count(*) FROM cadre_households ch JOIN households h ON h.id = ch.household_id
                 WHERE h.status = '在册'",
            )?,
            by_village,
            by_tag,
            by_status,
        })
    })
}
