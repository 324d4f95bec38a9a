use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::db::backup::{self, BackupInfo, Recovered};
use minqing_core::demo::{self, DemoOptions, DemoSummary};
use minqing_core::status::{self, AppStatus, Progress};
use tauri::ipc::Channel;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    // 重试 on the start-up error screen: the cause may have been fixed since.
    state.reopen();
    let (data_dir, db_path, today) = (state.data_dir.clone(), state.db_path.clone(), state.today());
    match state.store() {
        Ok(_) => {
            with_store(&state, move |s| {
                status::app_status(Some(s), &data_dir, &db_path, None, today)
            })
            .await
        }
        Err(error) => status::app_status(None, &data_dir, &db_path, Some(error), today)
            .map_err(|e| e.payload()),
    }
}

/// The backups a damaged database can be recovered from, newest first (each verified).
#[tauri::command]
pub async fn recovery_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupInfo>> {
    let dir = minqing_core::paths::backups_dir_for(&state.db_path);
    tauri::async_runtime::spawn_blocking(move || backup::list(&dir))
        .await
        .map_err(|e| minqing_core::Error::Internal(e.to_string()).payload())?
        .map_err(|e| e.payload())
}

/// 「用最近的备份恢复」 on the start-up error screen: the damaged file is set aside untouched,
/// the newest good backup takes its place, and the database is opened again.
#[tauri::command]
pub async fn recover_database(state: State<'_, AppState>) -> CmdResult<Recovered> {
    let db = state.db_path.clone();
    let r = tauri::async_runtime::spawn_blocking(move || {
        backup::recover(&db, None, chrono::Local::now().naive_local())
    })
    .await
    .map_err(|e| minqing_core::Error::Internal(e.to_string()).payload())?
    .map_err(|e| e.payload())?;
    state.reopen();
    state.store()?;
    Ok(r)
}

/// Opens the data folder in the system file manager (only that folder: the UI cannot ask for
/// any other path).
#[tauri::command]
pub async fn open_data_dir(app: tauri::AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    let _ = std::fs::create_dir_all(&state.data_dir);
    app.opener()
        .open_path(state.data_dir.display().to_string(), None::<&str>)
        .map_err(|e| minqing_core::Error::Internal(format!("无法打开文件夹：{e}")).payload())
}

#[tauri::command]
pub async fn load_demo(
    state: State<'_, AppState>,
    on_progress: Channel<Progress>,
) -> CmdResult<DemoSummary> {
    let today = state.today();
    with_store(&state, move |s| {
        demo::generate(s, &DemoOptions::default(), today, |done, total| {
            let _ = on_progress.send(Progress { done, total });
            true
        })
    })
    .await
}

#[tauri::command]
pub async fn start_blank(state: State<'_, AppState>) -> CmdResult<()> {
    with_store(&state, minqing_core::register::township::mark_setup_done).await
}

/// Opens a file the app exported, or its folder. Only paths inside the export folder, or files
/// the user saved through a save dialog this session, are accepted: the web side cannot open
/// anything else.
/// 「打开」 opens a file inside the export folder (after resolving `..` and links), or one the
/// user saved through a save dialog this session — nothing else the web side could name.
pub(crate) fn may_open(
    p: &std::path::Path,
    export_root: &std::path::Path,
    saved: &std::collections::HashSet<std::path::PathBuf>,
) -> bool {
    crate::inside(p, export_root) || saved.contains(p)
}

#[tauri::command]
pub async fn open_export(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
    folder: bool,
) -> CmdResult<()> {
    let root = minqing_core::paths::export_dir();
    let p = std::path::PathBuf::from(&path);
    if !may_open(&p, &root, &crate::lock(&state.saved)) {
        return Err(
            minqing_core::Error::invalid("path", "只能打开民情通导出文件夹中的文件。").payload(),
        );
    }
    let target = if folder {
        p.parent().map(|d| d.to_path_buf()).unwrap_or(root)
    } else {
        p
    };
    app.opener()
        .open_path(target.display().to_string(), None::<&str>)
        .map_err(|e| minqing_core::Error::Internal(format!("无法打开：{e}")).payload())
}
