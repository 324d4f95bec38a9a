//! The system's file dialogs, opened from Rust: the web side has no dialog or file
//! permission, so every path a command touches is one the user chose here (or the app's own
//! folders). WebDriver cannot drive native dialogs: `MINQING_E2E_SAVE_DIR` answers save and
//! folder dialogs (with the default file name), `MINQING_E2E_OPEN_FILE` the open dialog.

use super::CmdResult;
use minqing_core::Error;
use std::path::PathBuf;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

fn dialog_error(e: impl std::fmt::Display) -> minqing_core::ErrorPayload {
    Error::Internal(format!("无法打开文件对话框：{e}")).payload()
}

/// The folder a save or folder dialog opens in: this window's export folder, made if missing.
fn export_folder(app: &tauri::AppHandle) -> PathBuf {
    use tauri::Manager;
    let dir = app.state::<crate::AppState>().export_dir();
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Shows one native dialog, titled, off the async runtime (it blocks until the user answers).
async fn show<T: Send + 'static>(
    app: &tauri::AppHandle,
    title: &str,
    answer: impl FnOnce(FileDialogBuilder<tauri::Wry>) -> T + Send + 'static,
) -> CmdResult<T> {
    let builder = app.dialog().file().set_title(title);
    tauri::async_runtime::spawn_blocking(move || answer(builder))
        .await
        .map_err(dialog_error)
}

/// Where to save `name` (default folder: the export folder); None when cancelled. The
/// extension of the first filter is added when the user typed none.
pub async fn save_file(
    app: &tauri::AppHandle,
    title: &str,
    name: String,
    filter: (&'static str, &'static [&'static str]),
) -> CmdResult<Option<PathBuf>> {
    if let Some(d) = std::env::var_os("MINQING_E2E_SAVE_DIR") {
        return Ok(Some(PathBuf::from(d).join(name)));
    }
    let dir = export_folder(app);
    show(app, title, move |d| {
        d.set_directory(&dir)
            .set_file_name(name)
            .add_filter(filter.0, filter.1)
            .blocking_save_file()
            .and_then(|f| f.into_path().ok())
            .map(|p| {
                if p.extension().is_none() {
                    p.with_extension(filter.1[0])
                } else {
                    p
                }
            })
    })
    .await
}

/// A folder (default: the export folder); None when cancelled.
pub async fn folder(app: &tauri::AppHandle, title: &str) -> CmdResult<Option<PathBuf>> {
    if let Some(d) = std::env::var_os("MINQING_E2E_SAVE_DIR") {
        return Ok(Some(PathBuf::from(d)));
    }
    let dir = export_folder(app);
    show(app, title, move |d| {
        d.set_directory(&dir)
            .blocking_pick_folder()
            .and_then(|f| f.into_path().ok())
    })
    .await
}

/// One file to open; None when cancelled.
pub async fn open_file(
    app: &tauri::AppHandle,
    title: &str,
    filter: (&'static str, &'static [&'static str]),
) -> CmdResult<Option<PathBuf>> {
    if let Some(f) = std::env::var_os("MINQING_E2E_OPEN_FILE") {
        return Ok(Some(PathBuf::from(f)));
    }
    pick_file(app, title, filter).await
}

/// The open dialog itself, without a WebDriver stand-in (the import has its own, which
/// cycles through several files).
pub async fn pick_file(
    app: &tauri::AppHandle,
    title: &str,
    filter: (&'static str, &'static [&'static str]),
) -> CmdResult<Option<PathBuf>> {
    show(app, title, move |d| {
        d.add_filter(filter.0, filter.1)
            .add_filter("所有文件", &["*"])
            .blocking_pick_file()
            .and_then(|f| f.into_path().ok())
    })
    .await
}

/// Several files to open (`MINQING_E2E_PICK_FILES`, `|`-separated, under WebDriver); empty
/// when cancelled.
pub async fn open_files(
    app: &tauri::AppHandle,
    title: &str,
    filter: (&'static str, &'static [&'static str]),
) -> CmdResult<Vec<PathBuf>> {
    if let Ok(list) = std::env::var("MINQING_E2E_PICK_FILES") {
        return Ok(list.split('|').map(PathBuf::from).collect());
    }
    show(app, title, move |d| {
        d.add_filter(filter.0, filter.1)
            .blocking_pick_files()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect()
    })
    .await
}
