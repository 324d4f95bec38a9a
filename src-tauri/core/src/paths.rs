//! Where the data lives. The desktop app and the CLI both ask here, so they open the same file.

use std::path::PathBuf;

/// Tauri identifier, frozen: renaming it would orphan every user's data folder.
pub const APP_IDENTIFIER: &str = "org.minqing.desktop";
/// The database file name inside the data folder.
pub const DB_FILE: &str = "minqing.db";

/// The data folder: `MINQING_DATA_DIR` when set (tests, portable installs), otherwise the
/// platform's application data folder for [`APP_IDENTIFIER`] — the same folder Tauri's
/// `app_data_dir()` returns (`%APPDATA%\org.minqing.desktop` on Windows).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MINQING_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
}

/// The database the app opens, and the CLI's default (`MINQING_DB` overrides it for the CLI).
pub fn default_db_path() -> PathBuf {
    data_dir().join(DB_FILE)
}

/// `backups/` beside a database file.
pub fn backups_dir_for(db: &std::path::Path) -> PathBuf {
    db.parent()
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"))
}

/// Where exports go by default: 民情通导出 in the user's Documents folder — Windows' known
/// folder (文档), the XDG one on Linux, or `~/Documents` when a Linux desktop has no XDG
/// setting — and the data folder's `exports/` only when there is no Documents folder at all.
pub fn export_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(|| {
            dirs::home_dir()
                .map(|h| h.join("Documents"))
                .filter(|d| d.is_dir())
        })
        .map(|d| d.join("民情通导出"))
        .unwrap_or_else(|| data_dir().join("exports"))
}
