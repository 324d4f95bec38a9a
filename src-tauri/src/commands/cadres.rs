use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::paging::Page;
use minqing_core::register::cadres::{self, Cadre, CadreInput, CadreQuery, CadreRow};
use tauri::State;

#[tauri::command]
pub async fn list_cadres(
    state: State<'_, AppState>,
    query: CadreQuery,
) -> CmdResult<Page<CadreRow>> {
    with_store(&state, move |s| cadres::list_cadres(s, &query)).await
}

#[tauri::command]
pub async fn get_cadre(state: State<'_, AppState>, id: i64) -> CmdResult<Cadre> {
    with_store(&state, move |s| cadres::get_cadre(s, id)).await
}

#[tauri::command]
pub async fn add_cadre(state: State<'_, AppState>, input: CadreInput) -> CmdResult<Cadre> {
    with_store(&state, move |s| cadres::add_cadre(s, &input)).await
}

#[tauri::command]
pub async fn update_cadre(
    state: State<'_, AppState>,
    id: i64,
    input: CadreInput,
) -> CmdResult<Cadre> {
    with_store(&state, move |s| cadres::update_cadre(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_cadre(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| cadres::delete_cadre(s, id)).await
}

#[tauri::command]
pub async fn list_cadre_units(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    with_store(&state, cadres::list_units).await
}
