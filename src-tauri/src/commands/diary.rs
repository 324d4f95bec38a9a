use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::diary::{self, TimelineItem, Visit, VisitInput, VisitQuery, VisitRow};
use minqing_core::paging::Page;
use minqing_core::roster::tasks::{self, TaskImportOptions, TaskImportReport};
use minqing_core::Error;
use std::path::PathBuf;
use tauri::State;

/// The task sheets chosen in 导入任务单 and the last report on them.
#[derive(Default)]
pub struct TaskImportState {
    files: Vec<PathBuf>,
    report: Option<TaskImportReport>,
}

const XLSX: (&str, &[&str]) = ("Excel 任务单", &["xlsx", "xlsm", "xls", "ods"]);

fn run_import(
    state: &AppState,
    opts: TaskImportOptions,
) -> impl std::future::Future<Output = super::CmdResult<TaskImportReport>> + '_ {
    let files = crate::lock(&state.task_import).files.clone();
    let today = state.today();
    async move {
        if files.is_empty() {
            return Err(Error::invalid("files", "请先选择干部交回的任务单。").payload());
        }
        let report = with_store(state, move |s| {
            tasks::import_task_sheets(s, &files, &opts, today)
        })
        .await?;
        crate::lock(&state.task_import).report = Some(report.clone());
        Ok(report)
    }
}

/// 导入任务单, step 1: the files (several at once), checked without writing. None: cancelled.
#[tauri::command]
pub async fn pick_task_sheets(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<(Vec<String>, TaskImportReport)>> {
    let files =
        super::dialogs::open_files(&app, "选择干部交回的走访任务单（可多选）", XLSX).await?;
    if files.is_empty() {
        return Ok(None);
    }
    let names = files
        .iter()
        .map(|f| {
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    crate::lock(&state.task_import).files = files;
    let report = run_import(
        &state,
        TaskImportOptions {
            dry_run: true,
            skip_bad: false,
        },
    )
    .await?;
    Ok(Some((names, report)))
}

/// 导入任务单, step 2: the chosen files written (all or, `skip_bad`, the good rows).
#[tauri::command]
pub async fn import_task_sheets(
    state: State<'_, AppState>,
    skip_bad: bool,
) -> CmdResult<TaskImportReport> {
    run_import(
        &state,
        TaskImportOptions {
            dry_run: false,
            skip_bad,
        },
    )
    .await
}

/// The last check's problems as an .xlsx list, where the user chooses. None: cancelled.
#[tauri::command]
pub async fn save_task_problems(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let Some(report) = crate::lock(&state.task_import).report.clone() else {
        return Err(Error::invalid("files", "请先选择并检查任务单。").payload());
    };
    let name = minqing_core::roster::tasks::problems_file_name(state.today());
    let Some(target) =
        super::dialogs::save_file(&app, "保存问题清单", name, ("Excel 工作簿", &["xlsx"])).await?
    else {
        return Ok(None);
    };
    let path =
        tauri::async_runtime::spawn_blocking(move || tasks::write_problem_list(&report, &target))
            .await
            .map_err(|e| Error::Internal(format!("后台任务异常结束：{e}")).payload())?
            .map_err(|e| e.payload())?;
    crate::lock(&state.saved).insert(path.clone());
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub async fn record_visit(state: State<'_, AppState>, input: VisitInput) -> CmdResult<Visit> {
    let today = state.today();
    with_store(&state, move |s| diary::record_visit(s, &input, today)).await
}

#[tauri::command]
pub async fn list_visits(
    state: State<'_, AppState>,
    query: VisitQuery,
) -> CmdResult<Page<VisitRow>> {
    with_store(&state, move |s| diary::list_visits(s, &query)).await
}

#[tauri::command]
pub async fn get_visit(state: State<'_, AppState>, id: i64) -> CmdResult<Visit> {
    with_store(&state, move |s| diary::get_visit(s, id)).await
}

#[tauri::command]
pub async fn household_timeline(
    state: State<'_, AppState>,
    household_id: i64,
) -> CmdResult<Vec<TimelineItem>> {
    with_store(&state, move |s| diary::household_timeline(s, household_id)).await
}
