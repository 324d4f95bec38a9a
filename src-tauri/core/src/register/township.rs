//! 乡镇 settings: the name and the 填报单位 line every report carries.

use crate::error::Result;
use crate::validate::{check_optional_text, check_phone, check_text};
use crate::Store;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Township {
    /// 乡镇名称
    pub name: String,
    /// 所属区县
    pub district: String,
    /// 活动名称 (default 三解三促)
    pub campaign_name: String,
    /// 填报单位 (default: 乡镇名称 + 人民政府)
    pub reporting_unit: String,
    /// 联系人
    pub contact_person: String,
    /// 联系电话
    pub contact_phone: String,
}

pub(crate) fn read(conn: &Connection) -> Result<Township> {
    Ok(conn.query_row(
        "SELECT name, district, campaign_name, reporting_unit, contact_person, contact_phone
         FROM township WHERE id = 1",
        [],
        |r| {
            Ok(Township {
                name: r.get(0)?,
                district: r.get(1)?,
                campaign_name: r.get(2)?,
                reporting_unit: r.get(3)?,
                contact_person: r.get(4)?,
                contact_phone: r.get(5)?,
            })
        },
    )?)
}

pub fn get_township(store: &Store) -> Result<Township> {
    store.read(read)
}

/// Checks a township form; an empty 填报单位 becomes "<乡镇名称>人民政府".
pub fn validate(input: &Township) -> Result<Township> {
    let name = check_text("name", "乡镇名称", &input.name, 30)?;
    let mut reporting_unit =
        check_optional_text("reportingUnit", "填报单位", &input.reporting_unit, 50)?;
    if reporting_unit.is_empty() {
        reporting_unit = format!("{name}人民政府");
    }
    Ok(Township {
        district: check_optional_text("district", "所属区县", &input.district, 30)?,
        campaign_name: check_text("campaignName", "活动名称", &input.campaign_name, 30)?,
        reporting_unit,
        contact_person: check_optional_text("contactPerson", "联系人", &input.contact_person, 20)?,
        contact_phone: check_phone("contactPhone", "联系电话", &input.contact_phone)?,
        name,
    })
}

pub(crate) fn write(conn: &Connection, t: &Township) -> Result<()> {
    conn.execute(
        "UPDATE township SET name = ?1, district = ?2, campaign_name = ?3, reporting_unit = ?4,
             contact_person = ?5, contact_phone = ?6, updated_at = ?7
         WHERE id = 1",
        params![
            t.name,
            t.district,
            t.campaign_name,
            t.reporting_unit,
            t.contact_person,
            t.contact_phone,
            crate::now_text()
        ],
    )?;
    Ok(())
}

pub fn save_township(store: &Store, input: &Township) -> Result<Township> {
    let t = validate(input)?;
    store.write(|tx| write(tx, &t))?;
    Ok(t)
}

/// Whether the first-start question (载入示例乡镇 / 从空白开始) has been answered.
pub fn setup_done(store: &Store) -> Result<bool> {
    store.read(|c| {
        Ok(
            c.query_row("SELECT setup_done FROM township WHERE id = 1", [], |r| {
                r.get(0)
            })?,
        )
    })
}

pub fn mark_setup_done(store: &Store) -> Result<()> {
    store.write(|tx| {
        tx.execute("UPDATE township SET setup_done = 1 WHERE id = 1", [])?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn township_defaults_and_reporting_unit_follow_the_name() {
        let store = Store::open_in_memory().unwrap();
        let t = get_township(&store).unwrap();
        assert_eq!(t.campaign_name, "三解三促");
        let saved = save_township(
            &store,
            &Township {
                name: "龙河镇".into(),
                district: "宿迁市宿城区".into(),
                ..t.clone()
            },
        )
        .unwrap();
        assert_eq!(saved.reporting_unit, "龙河镇人民政府");
        assert_eq!(get_township(&store).unwrap(), saved);
    }

    #[test]
    fn township_name_and_phone_are_checked() {
        let store = Store::open_in_memory().unwrap();
        let t = get_township(&store).unwrap();
        let e = save_township(&store, &t).unwrap_err();
        assert_eq!(e.field(), Some("name"));
        let e = save_township(
            &store,
            &Township {
                name: "龙河镇".into(),
                contact_phone: "123".into(),
                ..t
            },
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("contactPhone"));
        assert!(!setup_done(&store).unwrap());
        mark_setup_done(&store).unwrap();
        assert!(setup_done(&store).unwrap());
    }
}
