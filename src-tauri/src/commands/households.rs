use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::paging::Page;
use minqing_core::register::households::{
    self, Household, HouseholdInput, HouseholdQuery, HouseholdRow,
};
use minqing_core::register::HouseholdStatus;
use tauri::State;

#[tauri::command]
pub async fn list_households(
    state: State<'_, AppState>,
    query: HouseholdQuery,
) -> CmdResult<Page<HouseholdRow>> {
    with_store(&state, move |s| households::list_households(s, &query)).await
}

#[tauri::command]
pub async fn get_household(state: State<'_, AppState>, id: i64) -> CmdResult<Household> {
    with_store(&state, move |s| households::get_household(s, id)).await
}

#[tauri::command]
pub async fn add_household(
    state: State<'_, AppState>,
    input: HouseholdInput,
) -> CmdResult<Household> {
    let today = state.today();
    with_store(&state, move |s| households::add_household(s, &input, today)).await
}

#[tauri::command]
pub async fn update_household(
    state: State<'_, AppState>,
    id: i64,
    input: HouseholdInput,
) -> CmdResult<Household> {
    let today = state.today();
    with_store(&state, move |s| {
        households::update_household(s, id, &input, today)
    })
    .await
}

#[tauri::command]
pub async fn delete_household(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| households::delete_household(s, id)).await
}

#[tauri::command]
pub async fn set_household_status(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    status: HouseholdStatus,
) -> CmdResult<usize> {
    with_store(&state, move |s| households::set_status(s, &ids, status)).await
}

/// The form's inline validation: every problem, nothing saved.
#[tauri::command]
pub async fn check_household(
    state: State<'_, AppState>,
    input: HouseholdInput,
    id: Option<i64>,
) -> CmdResult<Vec<minqing_core::ErrorPayload>> {
    let today = state.today();
    with_store(&state, move |s| {
        households::check_household(s, &input, id, today)
    })
    .await
}
