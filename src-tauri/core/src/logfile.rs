//! The app's log a user can send: `logs/minqing.log` in the data folder, rotated at 1 MiB into
//! `minqing.1.log` … `minqing.4.log` (the oldest dropped), so it never grows past 5 MiB.
//!
//! The released Windows app has no console, so without this file a failed daily backup would be
//! silent. Lines are `2026-12-05 08:12:33 错误 每日自动备份失败：…`. Personal data never reaches
//! it: every line passes [`scrub`], which masks anything shaped like an ID number or a mobile
//! number, whatever the caller wrote (the E2E run's log scan reads these files too).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Size at which the current file is rotated.
pub const ROTATE_BYTES: u64 = 1 << 20;
/// Files kept: `minqing.log` and `minqing.1.log` … `minqing.4.log`.
pub const KEEP: usize = 5;
/// The current log's name inside `logs/`.
pub const FILE: &str = "minqing.log";

/// `logs/` in a data folder.
pub fn dir_for(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// A logger writing to `logs/minqing.log` (and, when `echo` is set, to stderr as well: the
/// development build and the E2E harness read the app's stderr).
pub struct FileLog {
    dir: PathBuf,
    echo: bool,
    file: Mutex<Option<std::fs::File>>,
}

impl FileLog {
    pub fn new(dir: PathBuf, echo: bool) -> FileLog {
        FileLog {
            dir,
            echo,
            file: Mutex::new(None),
        }
    }

    fn path(&self, n: usize) -> PathBuf {
        if n == 0 {
            self.dir.join(FILE)
        } else {
            self.dir.join(format!("minqing.{n}.log"))
        }
    }

    /// Appends one line, rotating first when the file has reached [`ROTATE_BYTES`]. A log that
    /// cannot be written (a full disk) is given up silently: logging must never stop the app.
    pub fn write_line(&self, line: &str) {
        let line = scrub(line);
        if self.echo {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let too_big = guard
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .or_else(|| std::fs::metadata(self.path(0)).ok())
            .is_some_and(|m| m.len() >= ROTATE_BYTES);
        if too_big {
            *guard = None; // closed before it is renamed (Windows)
            let _ = std::fs::remove_file(self.path(KEEP - 1));
            for n in (0..KEEP - 1).rev() {
                let _ = std::fs::rename(self.path(n), self.path(n + 1));
            }
        }
        if guard.is_none() {
            let _ = std::fs::create_dir_all(&self.dir);
            *guard = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.path(0))
                .ok();
        }
        if let Some(f) = guard.as_mut() {
            let _ = f.write_all(format!("{line}\n").as_bytes());
        }
    }
}

impl log::Log for FileLog {
    fn enabled(&self, meta: &log::Metadata) -> bool {
        meta.level() <= log::Level::Info && meta.target().starts_with("minqing")
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = match record.level() {
            log::Level::Error => "错误",
            log::Level::Warn => "警告",
            _ => "信息",
        };
        self.write_line(&format!(
            "{} {level} {}",
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
            record.args()
        ));
    }

    fn flush(&self) {
        if let Some(f) = self.file.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            let _ = f.flush();
        }
    }
}

/// Installs the log for this process (once; later calls are ignored).
pub fn init(data_dir: &Path, echo: bool) {
    let logger = Box::leak(Box::new(FileLog::new(dir_for(data_dir), echo)));
    if log::set_logger(logger).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
}

/// Masks what looks like personal data in a log line: a run of 15 or 17–18 ID characters
/// (digits, a final X) or an 11-digit mobile number starting with 1, wherever it stands.
pub fn scrub(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j], 'x' | 'X') && j - i == 17 {
                j += 1;
            }
            let run: String = chars[i..j].iter().collect();
            let bounded = j == chars.len() || !chars[j].is_ascii_alphanumeric();
            let len = j - i;
            let masked = if bounded && (len == 18 || len == 15) {
                Some(crate::privacy::mask_id(&run))
            } else if bounded && len == 11 && run.starts_with('1') {
                Some(crate::privacy::mask_phone(&run))
            } else {
                None
            };
            out.push_str(masked.as_deref().unwrap_or(&run));
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_and_mobiles_never_reach_the_log() {
        assert_eq!(
            scrub("导入失败：32130219650312123X 的电话 13812345678 无效"),
            "导入失败：321302********123X 的电话 138****5678 无效"
        );
        // Times, counts and file names stay readable.
        let plain = "2026-12-05 08:12:33 错误 备份 minqing-daily-20261205-081233.db 失败（系统错误代码 5），共 20000 户";
        assert_eq!(scrub(plain), plain);
    }

    #[test]
    fn the_log_rotates_and_keeps_five_files() {
        let dir = tempfile::tempdir().unwrap();
        let log = FileLog::new(dir.path().join("logs"), false);
        let line = "每日自动备份失败：".to_string() + &"很".repeat(2000);
        // 6 KB a line: 1 MiB is about 175 lines; write enough for more than five files.
        for _ in 0..1200 {
            log.write_line(&line);
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join("logs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "minqing.1.log",
                "minqing.2.log",
                "minqing.3.log",
                "minqing.4.log",
                "minqing.log"
            ]
        );
        for n in &names {
            let len = std::fs::metadata(dir.path().join("logs").join(n))
                .unwrap()
                .len();
            assert!(len <= ROTATE_BYTES + 7000, "{n}: {len}");
        }
    }
}
