//! The register (台账): the township's settings, villages and 村民小组, the tag dictionary with
//! the 三个必到 rules, households and cadres.

pub mod cadres;
pub mod households;
pub mod tags;
pub mod township;
pub mod units;
pub mod villages;

crate::text_enum! {
    /// 户 status. Households are never deleted once they have history; they move out or are
    /// deregistered (注销) instead, so every past visit and request keeps its household.
    #[derive(Default)]
    pub enum HouseholdStatus ("户状态") {
        #[default]
        Registered = "在册",
        MovedOut = "迁出",
        Deregistered = "注销",
    }
}

crate::text_enum! {
    /// 干部 level.
    #[derive(Default)]
    pub enum CadreLevel ("干部层级") {
        DistrictLeader = "区领导",
        DepartmentHead = "部门负责人",
        #[default]
        Staff = "一般干部",
        Township = "乡镇干部",
        Village = "村干部",
    }
}
