//! 操作记录: who is working (chosen at start), the trail itself and its export through the
//! save dialog.

use super::{dialogs, with_store, CmdResult};
use crate::AppState;
use minqing_core::audit::{self, AuditQuery, AuditRow};
use minqing_core::paging::Page;
use minqing_core::privacy::Masking;
use minqing_core::report::audit::{self as report_audit, AuditExport};
use std::path::PathBuf;
use tauri::State;

/// The start dialog's answer: every change from now on is recorded under this name, also
/// after a restore reopens the database. Returns the remembered names, most recent first.
#[tauri::command]
pub async fn choose_operator(state: State<'_, AppState>, name: String) -> CmdResult<Vec<String>> {
    let names = with_store(&state, move |s| audit::choose_operator(s, &name)).await?;
    // The core checked the name and put it first.
    *state.operator.write().unwrap_or_else(|p| p.into_inner()) = names.first().cloned();
    Ok(names)
}

#[tauri::command]
pub async fn list_audit(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> CmdResult<Page<AuditRow>> {
    with_store(&state, move |s| audit::list(s, &query)).await
}

#[tauri::command]
pub async fn audit_operators(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    with_store(&state, audit::operators).await
}

/// Writes the lines matching the filter through a save dialog (masked unless the user asked
/// for the full values, which the screen confirms first). None when the dialog was cancelled.
#[tauri::command]
pub async fn export_audit(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    query: AuditQuery,
    masking: Masking,
) -> CmdResult<Option<AuditExport>> {
    let today = state.today();
    let store = state.store()?;
    let name = report_audit::file_name(&store, today).map_err(|e| e.payload())?;
    let Some(target) =
        dialogs::save_file(&app, "保存操作记录", name, ("Excel 工作簿", &["xlsx"])).await?
    else {
        return Ok(None);
    };
    let saved = state.saved.clone();
    let done = with_store(&state, move |s| {
        report_audit::export(s, &query, masking, &target, today)
    })
    .await?;
    crate::lock(&saved).insert(PathBuf::from(&done.path));
    Ok(Some(done))
}
