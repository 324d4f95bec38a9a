//! 花名册导入: choose a file (the system dialog, opened from Rust so the web side has no file
//! access), inspect it, run the import with progress and a cancel, write the problem list or
//! the template into the export folder. Only the file the user chose can be read.

use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::roster::{
    self, detect::Inspection, history::ImportRecord, read, Book, ImportKind, ImportOptions,
    ImportProgress, ImportReport, Stage,
};
use minqing_core::Error;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tauri::ipc::Channel;
use tauri::State;

/// Problems and changes sent to the screen at most (the problem list has them all).
const SHOWN: usize = 500;

/// The import in progress: the chosen file, its parsed contents (read once, reused by
/// inspect and run), the last full report (for the problem list) and the cancel flag.
/// A file read whole: its path, modification time and size when read (to notice a change),
/// and the sheets.
type ReadBook = (PathBuf, Option<SystemTime>, u64, Arc<Book>);

#[derive(Default)]
pub struct ImportState {
    picked: Mutex<Option<PathBuf>>,
    /// How many times the E2E stand-in for the dialog was asked (it cycles through its list).
    e2e_picks: std::sync::atomic::AtomicUsize,
    book: Mutex<Option<ReadBook>>,
    last: Mutex<Option<Arc<ImportReport>>>,
    cancel: Arc<AtomicBool>,
}

use crate::lock;

/// Opens the system's file dialog. `MINQING_E2E_PICK_FILE` (paths separated by `|`, taken in
/// turn) stands in for the user's choice in the WebDriver tests: a native dialog cannot be
/// driven.
#[tauri::command]
pub async fn pick_import_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let chosen = match std::env::var("MINQING_E2E_PICK_FILE") {
        Ok(list) => {
            let files: Vec<&str> = list.split('|').collect();
            let n = state.import.e2e_picks.fetch_add(1, Ordering::Relaxed);
            Some(PathBuf::from(files[n % files.len()]))
        }
        Err(_) => {
            super::dialogs::pick_file(
                &app,
                "选择要导入的表格",
                ("表格文件", &["xlsx", "xlsm", "xls", "ods", "csv", "txt"]),
            )
            .await?
        }
    };
    *lock(&state.import.picked) = chosen.clone();
    Ok(chosen.map(|p| p.display().to_string()))
}

/// The chosen file, read once and kept while it does not change on disk.
/// The import reads only the file the user picked in the system's open dialog.
pub(crate) fn only_the_picked_file(
    state: &ImportState,
    p: &std::path::Path,
) -> minqing_core::Result<()> {
    if lock(&state.picked).as_deref() != Some(p) {
        return Err(Error::invalid("file", "请先点“选择文件”选择要导入的表格。"));
    }
    Ok(())
}

fn book_of(
    state: &ImportState,
    path: &str,
    on_progress: &Channel<ImportProgress>,
) -> minqing_core::Result<Arc<Book>> {
    let p = PathBuf::from(path);
    only_the_picked_file(state, &p)?;
    let meta = std::fs::metadata(&p).ok();
    let (mtime, len) = (
        meta.as_ref().and_then(|m| m.modified().ok()),
        meta.map_or(0, |m| m.len()),
    );
    if let Some((cp, cm, cl, b)) = lock(&state.book).as_ref() {
        if *cp == p && *cm == mtime && *cl == len {
            return Ok(b.clone());
        }
    }
    state.cancel.store(false, Ordering::Relaxed);
    let book = Arc::new(read::read_file(
        &p,
        &mut |n| {
            let _ = on_progress.send(ImportProgress {
                stage: Stage::Read,
                done: n,
                total: 0,
            });
        },
        &state.cancel,
    )?);
    *lock(&state.book) = Some((p, mtime, len, book.clone()));
    Ok(book)
}

#[tauri::command]
pub async fn inspect_import(
    state: State<'_, AppState>,
    path: String,
    kind: ImportKind,
    sheet: Option<String>,
    header_row: Option<u32>,
    on_progress: Channel<ImportProgress>,
) -> CmdResult<Inspection> {
    let import = state.import.clone();
    with_store(&state, move |store| {
        let book = book_of(&import, &path, &on_progress)?;
        roster::inspect(store, &book, kind, sheet.as_deref(), header_row)
    })
    .await
}

/// Checks (dry run) or imports. The report on screen is shortened; the full one is kept for
/// the problem list.
#[tauri::command]
pub async fn run_import(
    state: State<'_, AppState>,
    path: String,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> CmdResult<ImportReport> {
    let import = state.import.clone();
    let today = state.today();
    with_store(&state, move |store| {
        let book = book_of(&import, &path, &on_progress)?;
        import.cancel.store(false, Ordering::Relaxed);
        let report = roster::run_import(
            store,
            &book,
            &options,
            today,
            &mut |p| {
                let _ = on_progress.send(p);
            },
            &import.cancel,
        )?;
        let shown = report.clone().shortened(SHOWN);
        *lock(&import.last) = Some(Arc::new(report));
        Ok(shown)
    })
    .await
}

#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> CmdResult<()> {
    state.import.cancel.store(true, Ordering::Relaxed);
    Ok(())
}

/// 「导出问题清单」: the last checked file's problem rows, into the export folder.
#[tauri::command]
pub async fn save_import_problems(state: State<'_, AppState>) -> CmdResult<String> {
    let import = state.import.clone();
    let exports = state.export_dir();
    with_store(&state, move |_| {
        let report = lock(&import.last)
            .clone()
            .ok_or_else(|| Error::invalid("file", "请先检查文件，再导出问题清单。"))?;
        let book = lock(&import.book)
            .as_ref()
            .map(|b| b.3.clone())
            .ok_or_else(|| Error::invalid("file", "请重新选择文件后再导出问题清单。"))?;
        let target = exports.join(roster::output::problem_list_file_name(
            &report.file,
            chrono::Local::now().naive_local(),
        ));
        roster::output::write_problem_list(&book, &report, &target).map(|p| p.display().to_string())
    })
    .await
}

/// 「下载导入模板」 into the export folder.
#[tauri::command]
pub async fn save_import_template(
    state: State<'_, AppState>,
    kind: ImportKind,
) -> CmdResult<String> {
    let exports = state.export_dir();
    with_store(&state, move |store| {
        let target = exports.join(roster::output::template_file_name(kind));
        roster::output::write_template(store, kind, &target).map(|p| p.display().to_string())
    })
    .await
}

#[tauri::command]
pub async fn list_imports(state: State<'_, AppState>) -> CmdResult<Vec<ImportRecord>> {
    with_store(&state, |store| roster::history::list_history(store, 50)).await
}
