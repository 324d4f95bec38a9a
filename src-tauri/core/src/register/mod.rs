//! The register (台账): the township's settings, villages and 村民小组, the tag dictionary with
//! the 三个必到 rules, households and cadres.

pub mod cadres;
pub mod households;
pub mod tags;
pub mod township;
pub mod units;
pub mod villages;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 户 status. Households are never deleted once they have history; they move out or are
/// cancelled instead, so every past visit and request keeps its household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum HouseholdStatus {
    #[default]
    #[serde(rename = "在册")]
    Registered,
    #[serde(rename = "迁出")]
    MovedOut,
    #[serde(rename = "注销")]
    Cancelled,
}

impl HouseholdStatus {
    pub const ALL: [HouseholdStatus; 3] = [
        HouseholdStatus::Registered,
        HouseholdStatus::MovedOut,
        HouseholdStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdStatus::Registered => "在册",
            HouseholdStatus::MovedOut => "迁出",
            HouseholdStatus::Cancelled => "注销",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }
}

/// 干部 level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CadreLevel {
    #[serde(rename = "区领导")]
    DistrictLeader,
    #[serde(rename = "部门负责人")]
    DepartmentHead,
    #[default]
    #[serde(rename = "一般干部")]
    Staff,
    #[serde(rename = "乡镇干部")]
    Township,
    #[serde(rename = "村干部")]
    Village,
}

impl CadreLevel {
    pub const ALL: [CadreLevel; 5] = [
        CadreLevel::DistrictLeader,
        CadreLevel::DepartmentHead,
        CadreLevel::Staff,
        CadreLevel::Township,
        CadreLevel::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CadreLevel::DistrictLeader => "区领导",
            CadreLevel::DepartmentHead => "部门负责人",
            CadreLevel::Staff => "一般干部",
            CadreLevel::Township => "乡镇干部",
            CadreLevel::Village => "村干部",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }
}

macro_rules! sql_text_enum {
    ($t:ty, $what:literal) => {
        impl rusqlite::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
        impl rusqlite::types::FromSql for $t {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                <$t>::parse(s).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("未知的{}：{s}", $what).into())
                })
            }
        }
    };
}
sql_text_enum!(HouseholdStatus, "户状态");
sql_text_enum!(CadreLevel, "干部层级");
