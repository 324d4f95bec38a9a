use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::stats::RegisterStats;
use tauri::State;

/// The 工作台's first call gets the counts begun as the app started (`StartStats`).
#[tauri::command]
pub async fn register_stats(state: State<'_, AppState>) -> CmdResult<RegisterStats> {
    let start = state.start_stats.clone();
    with_store(&state, move |store| start.take(store)).await
}
