//! 走访排班: cycles, computing, the board and the other views, adjusting, printing.

use super::{with_store, CmdResult};
use crate::AppState;
use chrono::NaiveDate;
use minqing_core::plan::adjust;
use minqing_core::plan::store::{self, Cycle, CycleInput, CycleRow, PlanCheck, PlanSummary};
use minqing_core::plan::views::{self, Board, DueList, PlannedVisit, VersionDiff};
use minqing_core::report::schedule;
use tauri::State;

/// What 新建轮次 proposes: the next quarter, named and with the rules' defaults (the core's,
/// so the form never keeps a copy of them).
#[tauri::command]
pub async fn new_cycle_input(state: State<'_, AppState>) -> CmdResult<CycleInput> {
    Ok(CycleInput::next_quarter(state.today()))
}

#[tauri::command]
pub async fn list_cycles(state: State<'_, AppState>) -> CmdResult<Vec<CycleRow>> {
    with_store(&state, store::list_cycles).await
}

#[tauri::command]
pub async fn get_cycle(state: State<'_, AppState>, id: i64) -> CmdResult<Cycle> {
    with_store(&state, move |s| store::get_cycle(s, id)).await
}

#[tauri::command]
pub async fn create_cycle(state: State<'_, AppState>, input: CycleInput) -> CmdResult<Cycle> {
    with_store(&state, move |s| store::create_cycle(s, &input)).await
}

#[tauri::command]
pub async fn update_cycle(
    state: State<'_, AppState>,
    id: i64,
    input: CycleInput,
) -> CmdResult<Cycle> {
    with_store(&state, move |s| store::update_cycle(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_cycle(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| store::delete_cycle(s, id)).await
}

#[tauri::command]
pub async fn compute_plan(
    state: State<'_, AppState>,
    cycle_id: i64,
    keep: bool,
) -> CmdResult<PlanSummary> {
    with_store(&state, move |s| store::compute_plan(s, cycle_id, keep)).await
}

#[tauri::command]
pub async fn check_plan(state: State<'_, AppState>, cycle_id: i64) -> CmdResult<PlanCheck> {
    with_store(&state, move |s| store::check_version(s, cycle_id, None)).await
}

#[tauri::command]
pub async fn plan_board(
    state: State<'_, AppState>,
    cycle_id: i64,
    version_id: Option<i64>,
) -> CmdResult<Board> {
    with_store(&state, move |s| views::board(s, cycle_id, version_id)).await
}

#[tauri::command]
pub async fn cadre_day_plan(
    state: State<'_, AppState>,
    version_id: i64,
    cadre_id: i64,
    date: NaiveDate,
) -> CmdResult<Vec<PlannedVisit>> {
    with_store(&state, move |s| {
        views::cadre_day(s, version_id, cadre_id, date)
    })
    .await
}

#[tauri::command]
pub async fn village_plan(
    state: State<'_, AppState>,
    cycle_id: i64,
    village_id: i64,
) -> CmdResult<Vec<PlannedVisit>> {
    with_store(&state, move |s| {
        views::village_plan(s, cycle_id, village_id)
    })
    .await
}

#[tauri::command]
pub async fn household_plan(
    state: State<'_, AppState>,
    household_id: i64,
) -> CmdResult<Vec<PlannedVisit>> {
    with_store(&state, move |s| views::household_plan(s, household_id)).await
}

#[tauri::command]
pub async fn due_visits(
    state: State<'_, AppState>,
    cadre_id: Option<i64>,
    limit: u32,
) -> CmdResult<DueList> {
    let today = state.today();
    with_store(&state, move |s| views::due_list(s, today, cadre_id, limit)).await
}

#[tauri::command]
pub async fn compare_versions(
    state: State<'_, AppState>,
    cycle_id: i64,
    from: i64,
    to: i64,
) -> CmdResult<VersionDiff> {
    with_store(&state, move |s| {
        views::compare_versions(s, cycle_id, from, to)
    })
    .await
}

#[tauri::command]
pub async fn move_visit(
    state: State<'_, AppState>,
    id: i64,
    cadre_id: i64,
    date: NaiveDate,
) -> CmdResult<()> {
    with_store(&state, move |s| adjust::move_visit(s, id, cadre_id, date)).await
}

#[tauri::command]
pub async fn lock_visits(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    locked: bool,
) -> CmdResult<usize> {
    with_store(&state, move |s| adjust::lock_visits(s, &ids, locked)).await
}

/// Writes the 走访排班表 (or, `per_cadre`, the 走访任务单) into the export folder.
#[tauri::command]
pub async fn export_schedule(
    state: State<'_, AppState>,
    cycle_id: i64,
    per_cadre: bool,
    masking: minqing_core::privacy::Masking,
) -> CmdResult<String> {
    let today = state.today();
    let exports = state.export_dir();
    with_store(&state, move |s| {
        let name = schedule::schedule_file_name(s, cycle_id, per_cadre)?;
        let target = exports.join(name);
        schedule::write_schedule(s, cycle_id, &target, per_cadre, masking, today)
            .map(|p| p.display().to_string())
    })
    .await
}

/// 走访任务单, one workbook per cadre, in a folder the user chooses (a subfolder named after
/// the cycle is made there). The files written (they may be opened); None: cancelled.
#[tauri::command]
pub async fn export_task_files(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    cycle_id: i64,
    masking: minqing_core::privacy::Masking,
) -> CmdResult<Option<Vec<String>>> {
    let Some(base) = super::dialogs::folder(&app, "选择存放各干部任务单的文件夹").await?
    else {
        return Ok(None);
    };
    let today = state.today();
    let files = with_store(&state, move |s| {
        let folder = base.join(schedule::task_folder_name(s, cycle_id)?);
        schedule::write_task_files(s, cycle_id, &folder, masking, today, &[])
    })
    .await?;
    let mut saved = crate::lock(&state.saved);
    saved.extend(files.iter().cloned());
    Ok(Some(
        files.iter().map(|f| f.display().to_string()).collect(),
    ))
}
