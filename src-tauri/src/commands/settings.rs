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
use minqing_core::paging::NamedRef;
use minqing_core::register::units::{self, Unit, UnitInput};
use minqing_core::requests::categories;
use minqing_core::requests::rules::{self, DeadlineRules, RateSettings};
use minqing_core::stats::projects::{self, ContestRule};

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
pub async fn get_contest_rule(state: State<'_, AppState>) -> CmdResult<ContestRule> {
    with_store(&state, projects::contest_rule).await
}

#[tauri::command]
pub async fn save_contest_rule(state: State<'_, AppState>, rule: ContestRule) -> CmdResult<()> {
    with_store(&state, move |s| projects::save_contest_rule(s, &rule)).await
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

const DB_FILES: (&str, &[&str]) = ("民情通数据文件", &["db"]);

/// 「备份到U盘」: a verified copy in a folder the user chooses; None when cancelled.
#[tauri::command]
pub async fn backup_to_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<BackupInfo>> {
    let Some(dir) = super::dialogs::folder(&app, "选择备份到的文件夹（如U盘）").await?
    else {
        return Ok(None);
    };
    with_store(&state, move |s| {
        backup::create(
            s,
            Some(&dir),
            Kind::Manual,
            chrono::Local::now().naive_local(),
        )
        .map(Some)
    })
    .await
}

/// 「导出全部数据」: the whole database as one file, to move to a new PC; None when cancelled.
#[tauri::command]
pub async fn export_all_data(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<BackupInfo>> {
    let store = state.store()?;
    let town = minqing_core::register::township::get_township(&store).map_err(|e| e.payload())?;
    let name = backup::export_file_name(&town.name, state.today());
    let Some(target) = super::dialogs::save_file(&app, "导出全部数据", name, DB_FILES).await?
    else {
        return Ok(None);
    };
    let saved = state.saved.clone();
    with_store(&state, move |s| {
        let info = backup::export_to(s, &target)?;
        crate::lock(&saved).insert(target);
        Ok(Some(info))
    })
    .await
}

/// Restores one of the backups in `backups/` (only those: the web side names no other file).
/// The current database is backed up first; the app reopens the restored one.
#[tauri::command]
pub async fn restore_backup(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<backup::Restored> {
    let dir = minqing_core::paths::backups_dir_for(&state.db_path);
    let file = std::path::PathBuf::from(&path);
    if !crate::inside(&file, &dir) {
        return Err(minqing_core::Error::invalid(
            "path",
            "只能从数据文件夹的备份中恢复。其他位置的文件请用“导入全部数据”。",
        )
        .payload());
    }
    restore_file(app, file).await
}

/// 「导入全部数据」: a file exported on another PC (or any verified backup) replaces the
/// current data, which is backed up first; None when the dialog was cancelled.
#[tauri::command]
pub async fn import_all_data(app: tauri::AppHandle) -> CmdResult<Option<backup::Restored>> {
    let Some(file) =
        super::dialogs::open_file(&app, "选择要导入的民情通数据文件", DB_FILES).await?
    else {
        return Ok(None);
    };
    restore_file(app, file).await.map(Some)
}

/// Verifies `file` (a bad file changes nothing), then closes the database, restores and
/// reopens it — off the async runtime, since closing waits for commands still running.
async fn restore_file(
    app: tauri::AppHandle,
    file: std::path::PathBuf,
) -> CmdResult<backup::Restored> {
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || {
        backup::verify(&file).map_err(|e| e.payload())?;
        let state = app.state::<AppState>();
        let db = state.db_path.clone();
        state.with_store_closed(|| backup::restore(&db, &file, chrono::Local::now().naive_local()))
    })
    .await
    .map_err(|e| minqing_core::Error::Internal(e.to_string()).payload())?
}
