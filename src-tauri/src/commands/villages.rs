use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::paging::NamedRef;
use minqing_core::register::villages::{self, Village, VillageInput};
use tauri::State;

#[tauri::command]
pub async fn list_villages(state: State<'_, AppState>) -> CmdResult<Vec<Village>> {
    with_store(&state, villages::list_villages).await
}

#[tauri::command]
pub async fn add_village(state: State<'_, AppState>, input: VillageInput) -> CmdResult<NamedRef> {
    with_store(&state, move |s| villages::add_village(s, &input)).await
}

#[tauri::command]
pub async fn update_village(
    state: State<'_, AppState>,
    id: i64,
    input: VillageInput,
) -> CmdResult<NamedRef> {
    with_store(&state, move |s| villages::update_village(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_village(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| villages::delete_village(s, id)).await
}

#[tauri::command]
pub async fn reorder_villages(state: State<'_, AppState>, ids: Vec<i64>) -> CmdResult<()> {
    with_store(&state, move |s| villages::reorder_villages(s, &ids)).await
}

#[tauri::command]
pub async fn add_groups(
    state: State<'_, AppState>,
    village_id: i64,
    names: Vec<String>,
) -> CmdResult<Vec<NamedRef>> {
    with_store(&state, move |s| villages::add_groups(s, village_id, &names)).await
}

#[tauri::command]
pub async fn rename_group(
    state: State<'_, AppState>,
    id: i64,
    name: String,
) -> CmdResult<NamedRef> {
    with_store(&state, move |s| villages::rename_group(s, id, &name)).await
}

#[tauri::command]
pub async fn delete_group(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| villages::delete_group(s, id)).await
}

#[tauri::command]
pub async fn reorder_groups(
    state: State<'_, AppState>,
    village_id: i64,
    ids: Vec<i64>,
) -> CmdResult<()> {
    with_store(&state, move |s| {
        villages::reorder_groups(s, village_id, &ids)
    })
    .await
}

#[tauri::command]
pub async fn add_numbered_groups(
    state: State<'_, AppState>,
    village_id: i64,
    count: u32,
) -> CmdResult<Vec<NamedRef>> {
    with_store(&state, move |s| {
        villages::add_numbered_groups(s, village_id, count)
    })
    .await
}
