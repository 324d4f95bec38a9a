//! The names a district report goes by: its file name, its title and the 填报单位 line.

use super::*;

/// The file name the district expects: 宿城区XX镇_三解三促_走访情况统计表_2026年11月.xlsx.
pub fn report_file_name(town: &Township, kind: ReportKind, scope: &Scope) -> String {
    crate::report::safe_file_name(&format!(
        "{}{}_{}_{}_{}.xlsx",
        town.district,
        town.name,
        campaign(town),
        kind.title(),
        period_label(scope.from, scope.to)
    ))
}

pub fn default_file_name(store: &Store, kind: ReportKind, scope: &Scope) -> Result<String> {
    let town = store.read(township::read)?;
    Ok(report_file_name(&town, kind, scope))
}

/// The 填报单位 line.
pub(crate) fn info_line(
    town: &Township,
    scope: &Scope,
    villages: &str,
    today: NaiveDate,
) -> String {
    let unit = if town.reporting_unit.trim().is_empty() {
        format!("{}人民政府", town.name)
    } else {
        town.reporting_unit.clone()
    };
    format!(
        "填报单位：{unit}（盖章）    统计时段：{} 至 {}    统计范围：{villages}    填报日期：{}",
        scope.from, scope.to, today
    )
}

pub(crate) fn title(town: &Township, scope: &Scope, kind: ReportKind) -> String {
    format!(
        "{}“{}”{}（{}）",
        town.name,
        campaign(town),
        kind.title(),
        period_label(scope.from, scope.to)
    )
}
