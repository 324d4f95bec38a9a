//! 报表导出 and 区级汇总: the preview, the district's workbooks through the system's save
//! dialog (opened from Rust, so the web side has no file permission), and the merge of the
//! townships' workbooks. Paths the user chose are remembered so 「打开」 may open them.
//! The dialogs are [`super::dialogs`].

use super::{dialogs, with_store, CmdResult};
use crate::AppState;
use minqing_core::privacy::Masking;
use minqing_core::report::bulletin::{self, Bulletin, BulletinDone, PartEdit};
use minqing_core::report::casebook::{self, CasebookDone, Nominee};
use minqing_core::report::district::{
    default_file_name, export_all, export_report, ExportAll, ReportKind,
};
use minqing_core::report::merge::{merge_opts, MergeOptions, MergeReport};
use minqing_core::stats::district::{dashboard, preview, DashboardCharts, ReportPreview, Scope};
use minqing_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::ipc::Channel;
use tauri::State;

const XLSX: (&str, &[&str]) = ("Excel 工作簿", &["xlsx"]);

#[tauri::command]
pub async fn report_preview(state: State<'_, AppState>, scope: Scope) -> CmdResult<ReportPreview> {
    let today = state.today();
    with_store(&state, move |s| s.read(|c| preview(c, &scope, today))).await
}

#[tauri::command]
pub async fn dashboard_charts(
    state: State<'_, AppState>,
    scope: Scope,
) -> CmdResult<DashboardCharts> {
    let today = state.today();
    with_store(&state, move |s| s.read(|c| dashboard(c, &scope, today))).await
}

/// Progress of a multi-report export: the report being written.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub done: usize,
    pub total: usize,
    pub title: String,
}

/// Writes the chosen reports: one through a save dialog, several into a chosen folder under
/// the district's file names. None when the user cancelled the dialog.
#[tauri::command]
pub async fn export_reports(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    kinds: Vec<ReportKind>,
    scope: Scope,
    masking: Masking,
    on_progress: Channel<ExportProgress>,
) -> CmdResult<Option<ExportAll>> {
    if kinds.is_empty() {
        return Err(Error::invalid("kinds", "请至少选择一种报表。").payload());
    }
    let today = state.today();
    let store = state.store()?;
    if kinds.len() == 1 {
        let kind = kinds[0];
        let name = default_file_name(&store, kind, &scope).map_err(|e| e.payload())?;
        let Some(target) =
            dialogs::save_file(&app, &format!("保存{}", kind.title()), name, XLSX).await?
        else {
            return Ok(None);
        };
        let saved = state.saved.clone();
        let out = with_store(&state, move |s| {
            let _ = on_progress.send(ExportProgress {
                done: 0,
                total: 1,
                title: kind.title().into(),
            });
            let done = export_report(s, kind, &scope, masking, &target, today)?;
            crate::lock(&saved).insert(PathBuf::from(&done.path));
            Ok(ExportAll {
                folder: target
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                done: vec![done],
                skipped: vec![],
            })
        })
        .await?;
        return Ok(Some(out));
    }
    let Some(folder) = dialogs::folder(&app, "选择保存报表的文件夹").await? else {
        return Ok(None);
    };
    let saved = state.saved.clone();
    let out = with_store(&state, move |s| {
        let all = export_all(
            s,
            &kinds,
            &scope,
            masking,
            &folder,
            today,
            &mut |i, n, k| {
                let _ = on_progress.send(ExportProgress {
                    done: i,
                    total: n,
                    title: k.title().into(),
                });
            },
        )?;
        for d in &all.done {
            crate::lock(&saved).insert(PathBuf::from(&d.path));
        }
        Ok(all)
    })
    .await?;
    Ok(Some(out))
}

/// 区级汇总: the townships' workbooks (multi-select), then where to save the district's.
#[tauri::command]
pub async fn merge_reports(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    partial: bool,
) -> CmdResult<Option<MergeReport>> {
    let files = dialogs::open_files(&app, "选择各乡镇发来的报表（可多选）", XLSX).await?;
    if files.is_empty() {
        return Ok(None);
    }
    let today = state.today();
    let name = minqing_core::report::merge::file_name(today);
    let Some(target) = dialogs::save_file(&app, "保存区级汇总表", name, XLSX).await? else {
        return Ok(None);
    };
    *crate::lock(&state.last_merge) = Some((files.clone(), target.clone()));
    let opts = MergeOptions {
        partial,
        same: Vec::new(),
    };
    run_merge(&state, files, target, opts).await.map(Some)
}

/// 按确认重新汇总: the last merge's files and target again, with the options the user chose
/// (the unit names confirmed as one 区直部门).
#[tauri::command]
pub async fn remerge_reports(
    state: State<'_, AppState>,
    options: MergeOptions,
) -> CmdResult<MergeReport> {
    let last = crate::lock(&state.last_merge).clone();
    let Some((files, target)) = last else {
        return Err(Error::Conflict("请先选择各乡镇报表进行汇总。".into()).payload());
    };
    run_merge(&state, files, target, options).await
}

async fn run_merge(
    state: &State<'_, AppState>,
    files: Vec<PathBuf>,
    target: PathBuf,
    opts: MergeOptions,
) -> CmdResult<MergeReport> {
    let today = state.today();
    let saved = state.saved.clone();
    let report =
        tauri::async_runtime::spawn_blocking(move || merge_opts(&files, &target, today, &opts))
            .await
            .map_err(|e| Error::Internal(format!("后台任务异常结束：{e}")).payload())?
            .map_err(|e| e.payload())?;
    if let Some(p) = &report.path {
        crate::lock(&saved).insert(PathBuf::from(p));
    }
    Ok(report)
}

const DOCX: (&str, &[&str]) = ("Word 文档", &["docx"]);

/// 情况通报: the period's draft with the coordinator's kept edits.
#[tauri::command]
pub async fn draft_bulletin(state: State<'_, AppState>, scope: Scope) -> CmdResult<Bulletin> {
    let today = state.today();
    with_store(&state, move |s| bulletin::draft(s, &scope, today)).await
}

/// Keeps the coordinator's wording of the paragraphs sent (a drafted text puts one back).
#[tauri::command]
pub async fn save_bulletin(
    state: State<'_, AppState>,
    scope: Scope,
    edits: Vec<PartEdit>,
) -> CmdResult<Bulletin> {
    let today = state.today();
    with_store(&state, move |s| {
        bulletin::save_edits(s, &scope, today, &edits)
    })
    .await
}

/// Puts every paragraph of the period back to the draft.
#[tauri::command]
pub async fn reset_bulletin(state: State<'_, AppState>, scope: Scope) -> CmdResult<Bulletin> {
    let today = state.today();
    with_store(&state, move |s| {
        bulletin::reset(s, &scope)?;
        bulletin::draft(s, &scope, today)
    })
    .await
}

/// Keeps the edits sent, then saves the 通报 as .docx where the user chooses. None when the
/// user cancelled the dialog (the edits are kept all the same).
#[tauri::command]
pub async fn export_bulletin(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    scope: Scope,
    edits: Vec<PartEdit>,
) -> CmdResult<Option<BulletinDone>> {
    let today = state.today();
    let b = {
        let scope = scope.clone();
        with_store(&state, move |s| {
            bulletin::save_edits(s, &scope, today, &edits)
        })
        .await?
    };
    let Some(target) = dialogs::save_file(&app, "保存情况通报", b.file_name, DOCX).await?
    else {
        return Ok(None);
    };
    let saved = state.saved.clone();
    let done = with_store(&state, move |s| {
        let done = bulletin::write_docx(s, &scope, today, &target)?;
        crate::lock(&saved).insert(PathBuf::from(&done.path));
        Ok(done)
    })
    .await?;
    Ok(Some(done))
}

/// The 推荐名单 of a selection (every selection when None).
#[tauri::command]
pub async fn list_nominations(
    state: State<'_, AppState>,
    scope: Scope,
    category: Option<String>,
) -> CmdResult<Vec<Nominee>> {
    with_store(&state, move |s| {
        casebook::nominations(s, &scope, category.as_deref().filter(|c| !c.is_empty()))
    })
    .await
}

/// The 典型案例汇编 (.docx) and its list (.xlsx beside it) where the user chooses.
#[tauri::command]
pub async fn export_casebook(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    scope: Scope,
    category: Option<String>,
) -> CmdResult<Option<CasebookDone>> {
    let today = state.today();
    let category = category.filter(|c| !c.trim().is_empty());
    let name = casebook::file_name(&*state.store()?, &scope, category.as_deref())
        .map_err(|e| e.payload())?;
    let Some(target) = dialogs::save_file(&app, "保存典型案例汇编", name, DOCX).await?
    else {
        return Ok(None);
    };
    let saved = state.saved.clone();
    let done = with_store(&state, move |s| {
        let done = casebook::write_casebook(s, &scope, category.as_deref(), &target, today)?;
        let mut saved = crate::lock(&saved);
        saved.insert(PathBuf::from(&done.path));
        saved.insert(PathBuf::from(&done.list_path));
        Ok(done)
    })
    .await?;
    Ok(Some(done))
}
