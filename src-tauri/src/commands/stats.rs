use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::stats::{self, RegisterStats};
use tauri::State;

#[tauri::command]
pub async fn register_stats(state: State<'_, AppState>) -> CmdResult<RegisterStats> {
    with_store(&state, stats::register_stats).await
}
