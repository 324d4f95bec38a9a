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
/// setting — and `data_dir`'s `exports/` only when there is no Documents folder at all.
/// `data_dir` is the folder of the database in use (the desktop's `--data-dir`, the folder of
/// the CLI's `--db`), so such exports stay beside it, not in the default data folder of a
/// coordinator who may not be using it.
pub fn export_dir_in(data_dir: &std::path::Path) -> PathBuf {
    let documents = dirs::document_dir().or_else(|| {
        dirs::home_dir()
            .map(|h| h.join("Documents"))
            .filter(|d| d.is_dir())
    });
    export_dir_from(documents, data_dir)
}

fn export_dir_from(documents: Option<PathBuf>, data_dir: &std::path::Path) -> PathBuf {
    documents
        .map(|d| d.join("民情通导出"))
        .unwrap_or_else(|| data_dir.join("exports"))
}

/// A name Windows accepts for a file: its forbidden characters and control characters become
/// ＿, trailing dots and spaces (which Windows drops silently) go, and a device name Windows
/// reserves (`CON`, `NUL`, `COM1` … — also with an extension) gets a ＿ in front. Generated
/// names (a township, a cadre, a village) pass through here.
pub fn safe_file_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '＿'
            } else {
                c
            }
        })
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if reserved_device_name(&out) {
        out.insert(0, '＿');
    }
    if out.is_empty() {
        out.push('＿');
    }
    out
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9` (any case, with or without an
/// extension): Windows opens the device instead of a file of that name.
pub fn reserved_device_name(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or("").trim_end();
    let upper = stem.to_ascii_uppercase();
    matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || (upper.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper
            .chars()
            .nth(3)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_go_to_documents_or_else_beside_the_chosen_data_folder() {
        let data = std::path::Path::new("/media/U盘/民情通数据");
        assert_eq!(
            export_dir_from(Some(PathBuf::from("/home/zhang/文档")), data),
            PathBuf::from("/home/zhang/文档/民情通导出")
        );
        assert_eq!(
            export_dir_from(None, data),
            PathBuf::from("/media/U盘/民情通数据/exports")
        );
    }
}
