use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::paging::Page;
use minqing_core::requests::lifecycle::{self, Action, RequestInput};
use minqing_core::requests::query::{self, ColourCounts, Request, RequestQuery, RequestRow};
use minqing_core::requests::rates::{self, RateGroup, RatesReport};
use tauri::State;

#[tauri::command]
pub async fn register_request(
    state: State<'_, AppState>,
    input: RequestInput,
) -> CmdResult<Request> {
    let today = state.today();
    with_store(&state, move |s| lifecycle::register(s, &input, today)).await
}

/// One lifecycle step on a request, dated today.
#[tauri::command]
pub async fn request_action(
    state: State<'_, AppState>,
    id: i64,
    action: Action,
) -> CmdResult<Request> {
    let today = state.today();
    with_store(&state, move |s| lifecycle::act(s, id, &action, today)).await
}

#[tauri::command]
pub async fn assign_requests(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    unit_id: i64,
) -> CmdResult<usize> {
    let today = state.today();
    with_store(&state, move |s| {
        lifecycle::assign_many(s, &ids, unit_id, today)
    })
    .await
}

#[tauri::command]
pub async fn urge_overdue(
    state: State<'_, AppState>,
    unit_id: i64,
    note: String,
) -> CmdResult<usize> {
    let today = state.today();
    with_store(&state, move |s| {
        lifecycle::urge_overdue(s, unit_id, today, &note)
    })
    .await
}

#[tauri::command]
pub async fn list_requests(
    state: State<'_, AppState>,
    query: RequestQuery,
) -> CmdResult<Page<RequestRow>> {
    let today = state.today();
    with_store(&state, move |s| query::list_requests(s, &query, today)).await
}

#[tauri::command]
pub async fn get_request(state: State<'_, AppState>, id: i64) -> CmdResult<Request> {
    let today = state.today();
    with_store(&state, move |s| query::get_request(s, id, today)).await
}

#[tauri::command]
pub async fn colour_counts(state: State<'_, AppState>) -> CmdResult<ColourCounts> {
    let today = state.today();
    with_store(&state, move |s| query::colour_counts(s, today)).await
}

#[tauri::command]
pub async fn request_rates(
    state: State<'_, AppState>,
    group: RateGroup,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> CmdResult<RatesReport> {
    with_store(&state, move |s| rates::rates(s, group, from, to)).await
}

/// Writes the 交办单 of `ids` into the export folder and returns the file's path.
#[tauri::command]
pub async fn export_assign_slips(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    masking: minqing_core::privacy::Masking,
) -> CmdResult<String> {
    let today = state.today();
    let exports = state.export_dir();
    with_store(&state, move |s| {
        let name = minqing_core::report::slips::slip_file_name(s, &ids, today)?;
        let target = exports.join(name);
        minqing_core::report::slips::write_assign_slips(s, &ids, &target, masking, today)
            .map(|p| p.display().to_string())
    })
    .await
}
