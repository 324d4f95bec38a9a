use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::db::backup::{self, BackupInfo, Recovered};
use minqing_core::demo::{self, DemoStory};
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

/// Opens a file or folder with the system's program for it. Under WebDriver
/// (`MINQING_E2E_OPEN_LOG` set) the path is appended to that file instead, so the tests see
/// what would have opened without starting a file manager or a browser.
pub(crate) fn open_path(app: &tauri::AppHandle, path: &std::path::Path) -> CmdResult<()> {
    if let Some(log) = std::env::var_os("MINQING_E2E_OPEN_LOG") {
        use std::io::Write;
        return std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut f| writeln!(f, "{}", path.display()))
            .map_err(|e| minqing_core::Error::io("无法记录要打开的文件", e).payload());
    }
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|_| {
            minqing_core::Error::Conflict(format!(
                "无法打开“{}”：系统没有找到打开它的程序。可以在文件管理器中找到它手动打开。",
                path.display()
            ))
            .payload()
        })
}

/// Opens the data folder in the system file manager (only that folder: the UI cannot ask for
/// any other path).
#[tauri::command]
pub async fn open_data_dir(app: tauri::AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    let _ = std::fs::create_dir_all(&state.data_dir);
    open_path(&app, &state.data_dir)
}

/// 打开日志文件夹: `logs/` in the data folder, whose files a user can send to whoever helps.
#[tauri::command]
pub async fn open_log_dir(app: tauri::AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    let dir = minqing_core::logfile::dir_for(&state.data_dir);
    let _ = std::fs::create_dir_all(&dir);
    open_path(&app, &dir)
}

/// 使用说明: the guide shipped beside the program (the installer and the zip put
/// `使用说明.html` there; `cargo xtask` writes one beside the development build).
#[tauri::command]
pub async fn open_guide(app: tauri::AppHandle) -> CmdResult<()> {
    let guide = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join("使用说明.html")))
        .filter(|p| p.is_file())
        .ok_or_else(|| {
            minqing_core::Error::NotFound(
                "找不到使用说明（使用说明.html 应在民情通程序所在的文件夹中）。请重新安装民情通。"
                    .into(),
            )
            .payload()
        })?;
    open_path(&app, &guide)
}

/// Background failures not yet shown (the daily backup); the window shows each once.
#[tauri::command]
pub async fn take_notices(state: State<'_, AppState>) -> CmdResult<Vec<crate::Notice>> {
    Ok(std::mem::take(&mut *crate::lock(&state.notices)))
}

#[tauri::command]
pub async fn load_demo(
    state: State<'_, AppState>,
    on_progress: Channel<Progress>,
) -> CmdResult<DemoStory> {
    let today = state.today();
    // The township with 90 days of work and a current cycle: a newcomer sees figures, not zeros.
    with_store(&state, move |s| {
        demo::story(s, today, |done, total| {
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
    let root = state.export_dir();
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
    open_path(&app, &target)
}
