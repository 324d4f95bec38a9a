//! Where a roster row's household lives: the register's villages and groups, matched as
//! people write them ("黄河" for 黄河村, "3组" or "三组" for 第三村民小组), or one the
//! register lacks, to be created.

use super::values::{group_number, village_core};
use crate::error::Result;
use rusqlite::Connection;
use std::collections::HashMap;

/// Where a row's household lives: a known village/group, or one to be created.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Place {
    Known(i64),
    New(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum GroupKey {
    Id(i64),
    Number(u32),
    Name(String),
}

pub(super) struct Villages {
    /// (id, name, core name)
    list: Vec<(i64, String, String)>,
    /// village id → (group id, name, number)
    groups: HashMap<i64, Vec<(i64, String, Option<u32>)>>,
}

impl Villages {
    pub(super) fn load(c: &Connection) -> Result<Villages> {
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

    pub(super) fn village(&self, raw: &str) -> Option<i64> {
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

    /// A registered village's name.
    pub(super) fn name(&self, id: i64) -> Option<&str> {
        self.list.iter().find(|v| v.0 == id).map(|v| v.1.as_str())
    }

    pub(super) fn group(&self, village: i64, raw: &str) -> Option<i64> {
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

pub(super) fn tag_core(s: &str) -> String {
    let s = s.trim();
    s.strip_suffix("家庭")
        .or_else(|| s.strip_suffix('户'))
        .filter(|c| !c.is_empty())
        .unwrap_or(s)
        .to_string()
}
