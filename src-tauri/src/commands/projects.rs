use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::register::Page;
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
