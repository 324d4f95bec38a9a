use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::diary::{self, TimelineItem, Visit, VisitInput, VisitQuery, VisitRow};
use minqing_core::register::Page;
use tauri::State;

#[tauri::command]
pub async fn record_visit(state: State<'_, AppState>, input: VisitInput) -> CmdResult<Visit> {
    let today = state.today();
    with_store(&state, move |s| diary::record_visit(s, &input, today)).await
}

#[tauri::command]
pub async fn list_visits(
    state: State<'_, AppState>,
    query: VisitQuery,
) -> CmdResult<Page<VisitRow>> {
    with_store(&state, move |s| diary::list_visits(s, &query)).await
}

#[tauri::command]
pub async fn get_visit(state: State<'_, AppState>, id: i64) -> CmdResult<Visit> {
    with_store(&state, move |s| diary::get_visit(s, id)).await
}

#[tauri::command]
pub async fn household_timeline(
    state: State<'_, AppState>,
    household_id: i64,
) -> CmdResult<Vec<TimelineItem>> {
    with_store(&state, move |s| diary::household_timeline(s, household_id)).await
}
