use super::{with_store, CmdResult};
use crate::AppState;
use chrono::NaiveDate;
use minqing_core::cases::{self, Case, CaseInput};
use minqing_core::paging::Page;
use minqing_core::requests::projects::{self, Project, ProjectInput, ProjectQuery, ProjectStatus};
use tauri::State;

#[tauri::command]
pub async fn list_projects(
    state: State<'_, AppState>,
    query: ProjectQuery,
) -> CmdResult<Page<Project>> {
    with_store(&state, move |s| projects::list_projects(s, &query)).await
}

#[tauri::command]
pub async fn add_project(state: State<'_, AppState>, input: ProjectInput) -> CmdResult<Project> {
    with_store(&state, move |s| projects::add_project(s, &input)).await
}

#[tauri::command]
pub async fn update_project(
    state: State<'_, AppState>,
    id: i64,
    input: ProjectInput,
) -> CmdResult<Project> {
    with_store(&state, move |s| projects::update_project(s, id, &input)).await
}

#[tauri::command]
pub async fn set_project_status(
    state: State<'_, AppState>,
    id: i64,
    status: ProjectStatus,
    note: String,
) -> CmdResult<Project> {
    with_store(&state, move |s| {
        projects::set_project_status(s, id, status, &note)
    })
    .await
}

/// 先进典型: marks a visit, a request or a project (again: rewrites its story).
#[tauri::command]
pub async fn mark_case(state: State<'_, AppState>, input: CaseInput) -> CmdResult<Case> {
    with_store(&state, move |s| cases::mark_case(s, &input)).await
}

#[tauri::command]
pub async fn unmark_case(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| cases::unmark_case(s, id)).await
}

/// The cases of a period (all when no dates), oldest first.
#[tauri::command]
pub async fn list_cases(
    state: State<'_, AppState>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> CmdResult<Vec<Case>> {
    with_store(&state, move |s| cases::list_cases(s, from, to, None)).await
}
