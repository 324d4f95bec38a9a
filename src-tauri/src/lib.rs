//! 民情通 desktop shell: plugins, state and command registration. Thin by rule — every
//! command delegates to `minqing_core`; nothing here decides a domain rule.

mod commands;

use minqing_core::{paths, ErrorPayload, Store};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::Manager;

/// What every command reaches: the store, or why it could not be opened.
pub struct AppState {
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    pub store: Option<Arc<Store>>,
    pub open_error: Option<ErrorPayload>,
}

impl AppState {
    /// Opens the database in the data folder (`MINQING_DATA_DIR` overrides it). A file that
    /// cannot be opened is left untouched and the error is kept for the UI to show.
    pub fn open() -> AppState {
        let data_dir = paths::data_dir();
        let db_path = data_dir.join(paths::DB_FILE);
        match Store::open(&db_path) {
            Ok(store) => AppState { data_dir, db_path, store: Some(Arc::new(store)), open_error: None },
            Err(e) => AppState { data_dir, db_path, store: None, open_error: Some(e.payload()) },
        }
    }
}

fn focus_main_window(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

pub fn run() {
    tauri::Builder::default()
        // First: a second launch hands over to the running window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| focus_main_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::open())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_status,
            commands::app::open_data_dir,
            commands::app::load_demo,
            commands::app::start_blank,
            commands::settings::get_township,
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
            commands::cadres::list_units,
            commands::stats::register_stats,
        ])
        .run(tauri::generate_context!())
        .expect("民情通无法启动窗口");
}
