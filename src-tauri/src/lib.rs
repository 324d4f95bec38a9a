//! 民情通 desktop shell: plugins, state and command registration. Thin by rule — every
//! command delegates to `minqing_core`; nothing here decides a domain rule.

mod commands;
mod window;

use minqing_core::{paths, ErrorPayload, Store};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tauri::Manager;

/// The last 区级汇总's workbooks and the file it wrote.
pub type MergeInputs = (Vec<PathBuf>, PathBuf);

/// What every command reaches: the store, or why it could not be opened.
pub struct AppState {
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    /// The open database; replaced when a damaged file is recovered from a backup.
    store: RwLock<Option<Arc<Store>>>,
    open_error: RwLock<Option<ErrorPayload>>,
    /// `--today YYYY-MM-DD`: the date the app takes as today (typing up old diaries on a
    /// machine with a wrong clock, and the E2E tests' clock).
    pub today: Option<chrono::NaiveDate>,
    /// The roster import in progress (chosen file, parsed contents, cancel flag).
    pub import: Arc<commands::roster::ImportState>,
    /// Files the user saved through a save dialog this session: 「打开」 may open them.
    pub saved: Arc<std::sync::Mutex<std::collections::HashSet<PathBuf>>>,
    /// Who is working (`--operator NAME`, or chosen in the start dialog): set on every store
    /// this session opens, so a restore or a recovery keeps it.
    pub operator: RwLock<Option<String>>,
    /// Failures the user must hear about that no command returned (the daily backup runs in
    /// the background): shown by the window once, and written to the log.
    pub notices: Arc<std::sync::Mutex<Vec<Notice>>>,
    /// The returned 走访任务单 chosen for import, and the last check's report (its problems
    /// are what 导出问题清单 saves).
    pub task_import: Arc<std::sync::Mutex<commands::diary::TaskImportState>>,
    /// The last 区级汇总's inputs and target, chosen through dialogs: 按确认重新汇总 reruns
    /// it with the unit names the user confirmed, without the window naming any path.
    pub last_merge: Arc<std::sync::Mutex<Option<MergeInputs>>>,
    /// The register's counts, begun as the store opens, for the 工作台's first call.
    pub start_stats: Arc<minqing_core::stats::StartStats>,
}

/// Something that went wrong in the background, for the window to show.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub title: String,
    pub message: String,
}

impl AppState {
    /// Records a background failure: in the log, and for the window (now, if it listens, and
    /// when it next asks, if it was not ready yet).
    pub fn notify(&self, app: Option<&tauri::AppHandle>, title: &str, message: String) {
        log::error!("{title}：{message}");
        let notice = Notice {
            title: title.to_string(),
            message,
        };
        lock(&self.notices).push(notice);
        if let Some(app) = app {
            use tauri::Emitter;
            let _ = app.emit("notices-changed", ());
        }
    }
}

/// Whether `p` is inside `dir` once both are resolved (`..`, symbolic links): a path the web
/// side sends is checked this way before the app opens or restores it.
pub(crate) fn inside(p: &std::path::Path, dir: &std::path::Path) -> bool {
    p.canonicalize()
        .ok()
        .zip(dir.canonicalize().ok())
        .is_some_and(|(p, d)| p.starts_with(d))
}

/// A lock that survives a panicked holder (the data stays usable).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// The store, or why the database could not be opened.
    pub fn store(&self) -> Result<Arc<Store>, ErrorPayload> {
        if let Some(s) = self
            .store
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            return Ok(s.clone());
        }
        Err(self
            .open_error
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .expect("no store without an open error"))
    }

    /// Closes `failed` (if it is still the open store) and keeps why: every command then
    /// answers with `why`, and 重试 opens the file again.
    pub fn close_failed(&self, failed: &Arc<Store>, why: ErrorPayload) {
        let mut store = self.store.write().unwrap_or_else(|p| p.into_inner());
        if store.as_ref().is_some_and(|s| Arc::ptr_eq(s, failed)) {
            *store = None;
            *self.open_error.write().unwrap_or_else(|p| p.into_inner()) = Some(why);
        }
    }

    /// Opens the database again (after the user fixed the cause, or after a recovery).
    pub fn reopen(&self) {
        let mut store = self.store.write().unwrap_or_else(|p| p.into_inner());
        if store.is_some() {
            return;
        }
        match Store::open(&self.db_path) {
            Ok(s) => {
                s.set_operator(
                    self.operator
                        .read()
                        .unwrap_or_else(|p| p.into_inner())
                        .clone(),
                );
                *store = Some(Arc::new(s));
                *self.open_error.write().unwrap_or_else(|p| p.into_inner()) = None;
            }
            Err(e) => {
                *self.open_error.write().unwrap_or_else(|p| p.into_inner()) = Some(e.payload())
            }
        }
    }

    /// Closes the database (waiting up to 15 s for commands still using it), runs `f` on the
    /// closed file, and opens it again whatever `f` did: restoring or importing a whole
    /// database replaces the file under the app.
    pub fn with_store_closed<T>(
        &self,
        f: impl FnOnce() -> minqing_core::Result<T>,
    ) -> Result<T, ErrorPayload> {
        let taken = self.store.write().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(mut store) = taken {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
            loop {
                match Arc::try_unwrap(store) {
                    Ok(s) => {
                        drop(s);
                        break;
                    }
                    Err(still) if std::time::Instant::now() < deadline => {
                        store = still;
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                    Err(still) => {
                        *self.store.write().unwrap_or_else(|p| p.into_inner()) = Some(still);
                        return Err(minqing_core::Error::Conflict(
                            "数据库正被其他操作使用（如导入、导出或排班计算），请等它完成后再试。"
                                .into(),
                        )
                        .payload());
                    }
                }
            }
        }
        let out = f();
        self.reopen();
        out.map_err(|e| e.payload())
    }

    /// Where exports go by default: [`paths::export_dir_in`] for this window's data folder.
    pub fn export_dir(&self) -> PathBuf {
        paths::export_dir_in(&self.data_dir)
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

impl AppState {
    /// Opens the database in the data folder (`MINQING_DATA_DIR` overrides it). A file that
    /// cannot be opened is left untouched and the error is kept for the UI to show.
    pub fn open() -> AppState {
        let args = || std::env::args().skip(1);
        let data_dir = arg_value(args(), "--data-dir")
            .map(PathBuf::from)
            .unwrap_or_else(paths::data_dir);
        let today =
            arg_value(args(), "--today").and_then(|d| minqing_core::validate::parse_date(&d));
        // `--operator NAME`: a shortcut per person (and the E2E tests) skips the start dialog.
        let operator = arg_value(args(), "--operator")
            .and_then(|n| minqing_core::audit::check_operator(&n).ok());
        let db_path = data_dir.join(paths::DB_FILE);
        // logs/minqing.log in the data folder (rotated; scrubbed of ID numbers and phones),
        // echoed to stderr for the development build and the E2E harness's log scan.
        minqing_core::logfile::init(&data_dir, true);
        log::info!(
            "民情通 {} 启动：数据库 {}",
            minqing_core::VERSION,
            db_path.display()
        );
        // The page check runs after the window is up (`check_in_background`); the first write
        // waits for it, so a damaged file is still never written to.
        let opts = minqing_core::db::OpenOptions {
            check_later: true,
            ..Default::default()
        };
        match Store::open_with(&db_path, opts) {
            Ok(store) => {
                store.set_operator(operator.clone());
                let store = Arc::new(store);
                // Counted while the window loads its page: the 工作台 asks for them first.
                let start_stats = Arc::new(minqing_core::stats::StartStats::default());
                start_stats.begin(store.clone());
                AppState {
                    data_dir,
                    db_path,
                    store: RwLock::new(Some(store)),
                    open_error: RwLock::new(None),
                    today,
                    import: Default::default(),
                    saved: Default::default(),
                    operator: RwLock::new(operator),
                    notices: Default::default(),
                    task_import: Default::default(),
                    last_merge: Default::default(),
                    start_stats,
                }
            }
            Err(e) => {
                log::error!("无法打开数据库：{e}");
                AppState {
                    data_dir,
                    db_path,
                    store: RwLock::new(None),
                    open_error: RwLock::new(Some(e.payload())),
                    today,
                    import: Default::default(),
                    saved: Default::default(),
                    operator: RwLock::new(operator),
                    notices: Default::default(),
                    task_import: Default::default(),
                    last_merge: Default::default(),
                    start_stats: Default::default(),
                }
            }
        }
    }
}

/// Off the startup path: the database's page check the open put off, then the daily backup.
/// A damaged file closes the store and tells the window (`store-failed`), which shows the
/// start-up error screen with its recovery from a backup, as if the open had refused it.
///
/// The first start of a day copies the database into `backups/` (verified; 7 daily, 4 weekly
/// and 12 monthly kept). An empty database is not worth a copy. A failure (a full disk, a
/// folder without write access) is told to the user, not only logged.
fn check_and_back_up_in_background(app: tauri::AppHandle) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else {
        return;
    };
    std::thread::spawn(move || {
        if let Err(e) = store.finish_check() {
            log::error!("数据库检查未通过：{e}");
            app.state::<AppState>().close_failed(&store, e.payload());
            use tauri::Emitter;
            let _ = app.emit("store-failed", ());
            return;
        }
        let has_data = store
            .read(|c| {
                Ok(
                    c.query_row("SELECT EXISTS (SELECT 1 FROM households)", [], |r| {
                        r.get::<_, bool>(0)
                    })?,
                )
            })
            .unwrap_or(false);
        if has_data {
            if let Err(e) =
                minqing_core::db::backup::daily(&store, chrono::Local::now().naive_local())
            {
                app.state::<AppState>().notify(
                    Some(&app),
                    "每日自动备份失败",
                    format!("{e}。今天的数据还没有备份：请解决上述问题后在“设置 → 数据与关于”中点“立即备份”。"),
                );
            }
        }
    });
}

/// `--name VALUE` or `--name=VALUE` on the command line. `--data-dir PATH` chooses the data
/// folder (a portable install, the E2E tests' temporary folder) over `MINQING_DATA_DIR` and the
/// platform default; `--today` sets the date the app takes as today.
fn arg_value(mut args: impl Iterator<Item = String>, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    while let Some(a) = args.next() {
        if a == name {
            return args.next();
        }
        if let Some(v) = a.strip_prefix(&prefix) {
            return Some(v.to_string());
        }
    }
    None
}

fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

pub fn run() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The released Windows app has no console: a crash leaves its cause in the log.
        log::error!("程序内部错误：{info}");
        default_hook(info);
    }));
    if let Err(message) = window::webview_missing() {
        log::error!("{message}");
        window::fatal_message(&message);
        return;
    }
    if let Err(e) = run_once() {
        let message = format!("民情通无法打开窗口：{e}。请把“设置 → 数据与关于 → 打开日志文件夹”里的日志发给技术人员。");
        log::error!("{message}");
        window::fatal_message(&message);
    }
}

fn run_once() -> tauri::Result<()> {
    let state = AppState::open();
    tauri::Builder::default()
        // First: a second launch hands over to the running window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app)
        }))
        // The main window's remembered place is restored in setup, then checked against this
        // screen (window::fit_to_screen): restored by the plugin itself it would come after.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .skip_initial_state("main")
                .build(),
        )
        .plugin(tauri_plugin_opener::init())
        // Used from Rust only (pick_import_file); the web side has no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
            if let Some(w) = app.get_webview_window("main") {
                use tauri_plugin_window_state::{StateFlags, WindowExt};
                let _ = w.restore_state(StateFlags::all());
                window::fit_to_screen(&w);
            }
            check_and_back_up_in_background(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_status,
            commands::app::open_data_dir,
            commands::app::open_log_dir,
            commands::app::open_guide,
            commands::app::take_notices,
            commands::app::recovery_backups,
            commands::app::recover_database,
            commands::app::load_demo,
            commands::app::start_blank,
            commands::settings::get_township,
            commands::settings::list_backups,
            commands::settings::backup_now,
            commands::settings::backup_to_folder,
            commands::settings::export_all_data,
            commands::settings::restore_backup,
            commands::settings::import_all_data,
            commands::settings::save_township,
            commands::settings::list_tags,
            commands::settings::add_tag,
            commands::settings::update_tag,
            commands::settings::delete_tag,
            commands::settings::list_key_rules,
            commands::settings::add_key_rule,
            commands::settings::update_key_rule,
            commands::settings::delete_key_rule,
            commands::villages::list_villages,
            commands::villages::add_village,
            commands::villages::update_village,
            commands::villages::delete_village,
            commands::villages::reorder_villages,
            commands::villages::add_groups,
            commands::villages::add_numbered_groups,
            commands::villages::rename_group,
            commands::villages::delete_group,
            commands::villages::reorder_groups,
            commands::households::list_households,
            commands::households::get_household,
            commands::households::check_household,
            commands::households::add_household,
            commands::households::update_household,
            commands::households::delete_household,
            commands::households::set_household_status,
            commands::cadres::list_cadres,
            commands::cadres::get_cadre,
            commands::cadres::add_cadre,
            commands::cadres::update_cadre,
            commands::cadres::delete_cadre,
            commands::cadres::list_cadre_units,
            commands::stats::register_stats,
            commands::settings::list_units,
            commands::settings::add_unit,
            commands::settings::update_unit,
            commands::settings::delete_unit,
            commands::settings::list_categories,
            commands::settings::save_category,
            commands::settings::delete_category,
            commands::settings::get_deadline_rules,
            commands::settings::save_deadline_rules,
            commands::settings::get_rate_settings,
            commands::settings::save_rate_settings,
            commands::settings::get_contest_rule,
            commands::settings::save_contest_rule,
            commands::settings::calendar_year,
            commands::settings::set_calendar_day,
            commands::settings::reset_calendar_day,
            commands::settings::set_calendar_year_complete,
            commands::diary::record_visit,
            commands::diary::list_visits,
            commands::diary::get_visit,
            commands::diary::household_timeline,
            commands::requests::register_request,
            commands::requests::request_action,
            commands::requests::assign_requests,
            commands::requests::urge_overdue,
            commands::requests::list_requests,
            commands::requests::get_request,
            commands::requests::colour_counts,
            commands::requests::request_rates,
            commands::requests::export_assign_slips,
            commands::app::open_export,
            commands::roster::pick_import_file,
            commands::roster::inspect_import,
            commands::roster::run_import,
            commands::roster::cancel_import,
            commands::roster::save_import_problems,
            commands::roster::save_import_template,
            commands::roster::list_imports,
            commands::projects::list_projects,
            commands::projects::add_project,
            commands::projects::update_project,
            commands::projects::set_project_status,
            commands::projects::mark_case,
            commands::projects::unmark_case,
            commands::projects::list_cases,
            commands::reports::draft_bulletin,
            commands::reports::save_bulletin,
            commands::reports::reset_bulletin,
            commands::reports::export_bulletin,
            commands::reports::list_nominations,
            commands::reports::export_casebook,
            commands::plan::new_cycle_input,
            commands::plan::list_cycles,
            commands::plan::get_cycle,
            commands::plan::create_cycle,
            commands::plan::update_cycle,
            commands::plan::delete_cycle,
            commands::plan::compute_plan,
            commands::plan::check_plan,
            commands::plan::plan_board,
            commands::plan::cadre_day_plan,
            commands::plan::village_plan,
            commands::plan::household_plan,
            commands::plan::due_visits,
            commands::plan::compare_versions,
            commands::plan::move_visit,
            commands::plan::lock_visits,
            commands::plan::export_schedule,
            commands::reports::report_preview,
            commands::reports::dashboard_charts,
            commands::reports::export_reports,
            commands::reports::merge_reports,
            commands::reports::remerge_reports,
            commands::diary::pick_task_sheets,
            commands::diary::import_task_sheets,
            commands::diary::save_task_problems,
            commands::plan::export_task_files,
            commands::audit::choose_operator,
            commands::audit::list_audit,
            commands::audit::audit_operators,
            commands::audit::export_audit,
        ])
        .run(tauri::generate_context!())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> impl Iterator<Item = String> {
        a.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_data_folder_and_today_can_be_chosen_on_the_command_line() {
        let get = |a: &[&str], name: &str| arg_value(args(a), name);
        assert_eq!(
            get(&["--data-dir", "/tmp/x"], "--data-dir").as_deref(),
            Some("/tmp/x")
        );
        assert_eq!(
            get(&["--data-dir=/tmp/y"], "--data-dir").as_deref(),
            Some("/tmp/y")
        );
        assert_eq!(get(&["--other"], "--data-dir"), None);
        assert_eq!(get(&["--data-dir"], "--data-dir"), None);
        assert_eq!(
            get(&["--data-dir", "/d", "--today", "2026-03-06"], "--today").as_deref(),
            Some("2026-03-06")
        );
    }

    /// Least privilege: the main window's capability grants exactly the app's own commands —
    /// no core, plugin, file-system or shell permission — and every command is granted.
    #[test]
    fn the_capability_grants_exactly_the_registered_commands() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json"))
                .expect("capability JSON");
        let mut granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        granted.sort();
        let mut expected: Vec<String> = commands::names::COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        expected.sort();
        assert_eq!(granted, expected);
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
        let files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            files,
            ["main.json"],
            "no other capability file widens the grant"
        );
    }

    /// The CSP allows no remote content and no inline or eval'd script.
    #[test]
    fn the_content_security_policy_is_strict() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let csp = &conf["app"]["security"]["csp"];
        assert_eq!(csp["default-src"], "'self'");
        assert_eq!(csp["script-src"], "'self'");
        assert_eq!(csp["object-src"], "'none'");
        let all = csp.to_string();
        for forbidden in [
            "http://*",
            "https:",
            "'unsafe-eval'",
            "*.com",
            "'unsafe-inline' 'self' https",
        ] {
            assert!(!all.contains(forbidden), "CSP contains {forbidden}: {all}");
        }
        assert!(!csp["script-src"]
            .as_str()
            .unwrap()
            .contains("unsafe-inline"));
        assert_eq!(
            conf["identifier"], "org.minqing.desktop",
            "the identifier is frozen: it names the data folder"
        );
    }

    /// Every command argument that names a file or folder, found by reading the command
    /// sources: each is on this reviewed list, with the guard that keeps it to the data
    /// folder, the export folder or a file the user chose in a system dialog. A new command
    /// taking a path fails here until its guard is written and listed.
    #[test]
    fn every_path_the_web_side_can_send_is_guarded() {
        let reviewed = [
            (
                "open_export",
                "path",
                "commands::app::may_open: export folder or saved this session",
            ),
            (
                "inspect_import",
                "path",
                "commands::roster::only_the_picked_file",
            ),
            (
                "run_import",
                "path",
                "commands::roster::only_the_picked_file",
            ),
            ("restore_backup", "path", "crate::inside(backups folder)"),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        let mut found = Vec::new();
        let mut commands = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in text.split("#[tauri::command]").skip(1) {
                commands += 1;
                let sig = &part[..part.find('{').unwrap()];
                let name = sig
                    .split("fn ")
                    .nth(1)
                    .unwrap()
                    .split(['(', '<'])
                    .next()
                    .unwrap()
                    .trim()
                    .to_string();
                assert!(
                    sig.contains("CmdResult<"),
                    "{name} must return CmdResult: every failure reaches the UI as a message"
                );
                let args = &sig[sig.find('(').unwrap() + 1..sig.rfind(')').unwrap()];
                for arg in args.split(',') {
                    let Some((n, ty)) = arg.split_once(':') else {
                        continue;
                    };
                    let (n, ty) = (n.trim(), ty.trim());
                    let pathish = ["path", "file", "dir", "folder", "target"]
                        .iter()
                        .any(|w| n.contains(w));
                    let text_like =
                        ty.contains("String") || ty.contains("Path") || ty.contains("str");
                    if (pathish && text_like) || ty.contains("PathBuf") {
                        found.push((name.clone(), n.to_string()));
                    }
                }
            }
        }
        assert_eq!(
            commands,
            commands::names::COMMANDS.len(),
            "every command was read"
        );
        found.sort();
        let mut expected: Vec<(String, String)> = reviewed
            .iter()
            .map(|(c, a, _)| (c.to_string(), a.to_string()))
            .collect();
        expected.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_path_outside_the_allowed_folder_is_refused_also_through_dots_and_links() {
        let root = tempfile::tempdir().unwrap();
        let exports = root.path().join("导出");
        std::fs::create_dir(&exports).unwrap();
        let report = exports.join("报表.xlsx");
        std::fs::write(&report, b"x").unwrap();
        let secret = root.path().join("minqing.db");
        std::fs::write(&secret, b"x").unwrap();
        let none = std::collections::HashSet::new();
        assert!(commands::app::may_open(&report, &exports, &none));
        assert!(!commands::app::may_open(&secret, &exports, &none));
        assert!(!commands::app::may_open(
            &exports.join("../minqing.db"),
            &exports,
            &none
        ));
        assert!(!commands::app::may_open(
            std::path::Path::new("/etc/passwd"),
            &exports,
            &none
        ));
        #[cfg(unix)]
        {
            let link = exports.join("看起来像报表.xlsx");
            std::os::unix::fs::symlink(&secret, &link).unwrap();
            assert!(!commands::app::may_open(&link, &exports, &none));
            assert!(!inside(&link, &exports));
        }
        // A file the user saved through a save dialog this session may be opened.
        let saved: std::collections::HashSet<_> = [secret.clone()].into_iter().collect();
        assert!(commands::app::may_open(&secret, &exports, &saved));
        // A folder that does not exist contains nothing.
        assert!(!inside(&report, &root.path().join("没有这个文件夹")));
    }

    #[test]
    fn the_import_reads_only_the_file_picked_in_the_dialog() {
        let state = commands::roster::ImportState::default();
        let e = commands::roster::only_the_picked_file(&state, std::path::Path::new("/etc/passwd"))
            .unwrap_err();
        assert!(e.to_string().contains("选择文件"), "{e}");
    }
}
