use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::db::backup::{self, BackupInfo, Kind};
use minqing_core::register::tags::{self, KeyRule, KeyRuleInput, Tag, TagInput};
use minqing_core::register::township::{self, Township};
use tauri::State;

#[tauri::command]
pub async fn get_township(state: State<'_, AppState>) -> CmdResult<Township> {
    with_store(&state, township::get_township).await
}

#[tauri::command]
pub async fn save_township(state: State<'_, AppState>, township: Township) -> CmdResult<Township> {
    with_store(&state, move |s| township::save_township(s, &township)).await
}

#[tauri::command]
pub async fn list_tags(state: State<'_, AppState>) -> CmdResult<Vec<Tag>> {
    with_store(&state, tags::list_tags).await
}

#[tauri::command]
pub async fn add_tag(state: State<'_, AppState>, input: TagInput) -> CmdResult<Tag> {
    with_store(&state, move |s| tags::add_tag(s, &input)).await
}

#[tauri::command]
pub async fn update_tag(state: State<'_, AppState>, id: i64, input: TagInput) -> CmdResult<()> {
    with_store(&state, move |s| tags::update_tag(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_tag(state: State<'_, AppState>, id: i64, force: bool) -> CmdResult<()> {
    with_store(&state, move |s| tags::delete_tag(s, id, force)).await
}

#[tauri::command]
pub async fn list_key_rules(state: State<'_, AppState>) -> CmdResult<Vec<KeyRule>> {
    with_store(&state, tags::list_key_rules).await
}

#[tauri::command]
pub async fn add_key_rule(state: State<'_, AppState>, input: KeyRuleInput) -> CmdResult<KeyRule> {
    with_store(&state, move |s| tags::add_key_rule(s, &input)).await
}

#[tauri::command]
pub async fn update_key_rule(
    state: State<'_, AppState>,
    id: i64,
    input: KeyRuleInput,
) -> CmdResult<()> {
    with_store(&state, move |s| tags::update_key_rule(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_key_rule(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| tags::delete_key_rule(s, id)).await
}

use minqing_core::calendar::{self, CalendarYear};
use minqing_core::register::units::{self, Unit, UnitInput};
use minqing_core::register::NamedRef;
use minqing_core::requests::categories;
use minqing_core::requests::rules::{self, DeadlineRules, RateSettings};

#[tauri::command]
pub async fn list_units(state: State<'_, AppState>) -> CmdResult<Vec<Unit>> {
    with_store(&state, units::list_units).await
}

#[tauri::command]
pub async fn add_unit(state: State<'_, AppState>, input: UnitInput) -> CmdResult<NamedRef> {
    with_store(&state, move |s| units::add_unit(s, &input)).await
}

#[tauri::command]
pub async fn update_unit(
    state: State<'_, AppState>,
    id: i64,
    input: UnitInput,
) -> CmdResult<NamedRef> {
    with_store(&state, move |s| units::update_unit(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_unit(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| units::delete_unit(s, id)).await
}

#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> CmdResult<Vec<NamedRef>> {
    with_store(&state, categories::list_categories).await
}

#[tauri::command]
pub async fn save_category(
    state: State<'_, AppState>,
    id: Option<i64>,
    name: String,
) -> CmdResult<NamedRef> {
    with_store(&state, move |s| categories::save_category(s, id, &name)).await
}

#[tauri::command]
pub async fn delete_category(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| categories::delete_category(s, id)).await
}

#[tauri::command]
pub async fn get_deadline_rules(state: State<'_, AppState>) -> CmdResult<DeadlineRules> {
    with_store(&state, rules::deadline_rules).await
}

#[tauri::command]
pub async fn save_deadline_rules(
    state: State<'_, AppState>,
    rules: DeadlineRules,
) -> CmdResult<()> {
    with_store(&state, move |s| rules::save_deadline_rules(s, &rules)).await
}

#[tauri::command]
pub async fn get_rate_settings(state: State<'_, AppState>) -> CmdResult<RateSettings> {
    with_store(&state, rules::rate_settings).await
}

#[tauri::command]
pub async fn save_rate_settings(
    state: State<'_, AppState>,
    settings: RateSettings,
) -> CmdResult<()> {
    with_store(&state, move |s| rules::save_rate_settings(s, &settings)).await
}

#[tauri::command]
pub async fn calendar_year(state: State<'_, AppState>, year: i32) -> CmdResult<CalendarYear> {
    with_store(&state, move |s| calendar::calendar_year(s, year)).await
}

#[tauri::command]
pub async fn set_calendar_day(
    state: State<'_, AppState>,
    date: chrono::NaiveDate,
    is_off_day: bool,
    name: String,
) -> CmdResult<()> {
    with_store(&state, move |s| {
        calendar::set_day(s, date, is_off_day, &name)
    })
    .await
}

#[tauri::command]
pub async fn reset_calendar_day(
    state: State<'_, AppState>,
    date: chrono::NaiveDate,
) -> CmdResult<()> {
    with_store(&state, move |s| calendar::reset_day(s, date)).await
}

#[tauri::command]
pub async fn set_calendar_year_complete(
    state: State<'_, AppState>,
    year: i32,
    complete: bool,
) -> CmdResult<()> {
    with_store(&state, move |s| {
        calendar::set_year_complete(s, year, complete)
    })
    .await
}

/// The backups in the data folder's `backups/`, newest first.
#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupInfo>> {
    let dir = minqing_core::paths::backups_dir_for(&state.db_path);
    with_store(&state, move |_| backup::list(&dir)).await
}

/// 「立即备份」: a verified copy in `backups/`.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupInfo> {
    with_store(&state, |s| {
        backup::create(s, None, Kind::Manual, chrono::Local::now().naive_local())
    })
    .await
}
