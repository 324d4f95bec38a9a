//! One error type for the whole core. Every variant renders a Chinese message that names what
//! went wrong and what the user can do next; `code` is stable for the UI and for tests.

use serde::{Serialize, Serializer};
use std::path::PathBuf;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the user typed or imported is not acceptable. `field` is the camelCase name of
    /// the form field, so the UI can show the message under it.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// A unique value (ID number, village name…) is already taken by another record.
    #[error("{message}")]
    Duplicate {
        field: &'static str,
        message: String,
    },

    #[error("{0}")]
    NotFound(String),

    /// The action is refused because of related data (a village that still has households…).
    #[error("{0}")]
    Conflict(String),

    #[error("数据库文件“{}”是由更新版本的民情通写入的（数据版本 {found}，本程序只支持到 {supported}）。请安装最新版民情通后再打开；该文件未作任何改动。", path.display())]
    DbTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("数据库文件“{}”已损坏（{detail}）。程序没有改动它，请不要删除该文件；可以从 backups 文件夹中的备份恢复，或联系技术人员。", path.display())]
    DbCorrupt { path: PathBuf, detail: String },

    #[error("“{}”不是民情通的数据文件。请确认选择的文件是否正确；该文件未作任何改动。", path.display())]
    DbForeign { path: PathBuf },

    #[error("数据库文件“{}”是只读的，无法保存。请在文件属性中取消“只读”，或把它复制到可写的文件夹后再打开。", path.display())]
    DbReadOnly { path: PathBuf },

    #[error("数据库文件“{}”正被其他程序占用（可能是另一个民情通窗口、命令行工具、WPS 或杀毒软件）。请关闭占用它的程序后重试。", path.display())]
    DbLocked { path: PathBuf },

    #[error("无法打开数据库文件“{}”：{detail}。请检查该文件夹是否存在、是否有写入权限。", path.display())]
    DbOpen { path: PathBuf, detail: String },

    #[error("数据库操作失败：{}。请重试；如果反复出现，请联系技术人员并提供日志。", sqlite_cause(.0))]
    Sqlite(#[from] rusqlite::Error),

    #[error("{context}：{}", io_cause(source))]
    Io {
        context: String,
        source: std::io::Error,
    },

    /// The user pressed 取消 during long work; nothing was written.
    #[error("已取消，没有写入任何数据。")]
    Cancelled,

    #[error("程序内部错误：{0}。请联系技术人员。")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn duplicate(field: &'static str, message: impl Into<String>) -> Self {
        Error::Duplicate {
            field,
            message: message.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A stable machine-readable code for the UI and tests.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Duplicate { .. } => ErrorCode::Duplicate,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::DbTooNew { .. } => ErrorCode::DbTooNew,
            Error::DbCorrupt { .. } => ErrorCode::DbCorrupt,
            Error::DbForeign { .. } => ErrorCode::DbForeign,
            Error::DbReadOnly { .. } => ErrorCode::DbReadOnly,
            Error::DbLocked { .. } => ErrorCode::DbLocked,
            Error::DbOpen { .. } => ErrorCode::DbOpen,
            Error::Sqlite(_) => ErrorCode::Db,
            Error::Io { .. } => ErrorCode::Io,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// True when the user can fix the cause (CLI exit code 1); false for bugs and
    /// environment failures (exit code 2).
    pub fn is_user_error(&self) -> bool {
        match self {
            // A file held open by Excel, a full disk, a missing folder: the user removes the
            // cause. Only a failure without a known cause counts as the program's.
            Error::Io { source, .. } => io_meaning(source).1,
            Error::Sqlite(_) | Error::Internal(_) => false,
            _ => true,
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } | Error::Duplicate { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
        }
    }
}

/// The kind of a failure, one per `Error` variant: the UI branches on it (a damaged database
/// offers recovery, a cancelled import says nothing was written), so it travels to TypeScript as
/// a union of these words and a misspelt code there does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum ErrorCode {
    #[serde(rename = "INVALID")]
    Invalid,
    #[serde(rename = "DUPLICATE")]
    Duplicate,
    #[serde(rename = "NOT_FOUND")]
    NotFound,
    #[serde(rename = "CONFLICT")]
    Conflict,
    #[serde(rename = "DB_TOO_NEW")]
    DbTooNew,
    #[serde(rename = "DB_CORRUPT")]
    DbCorrupt,
    #[serde(rename = "DB_FOREIGN")]
    DbForeign,
    #[serde(rename = "DB_READONLY")]
    DbReadOnly,
    #[serde(rename = "DB_LOCKED")]
    DbLocked,
    #[serde(rename = "DB_OPEN")]
    DbOpen,
    #[serde(rename = "DB")]
    Db,
    #[serde(rename = "IO")]
    Io,
    #[serde(rename = "CANCELLED")]
    Cancelled,
    #[serde(rename = "INTERNAL")]
    Internal,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Invalid,
        ErrorCode::Duplicate,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::DbTooNew,
        ErrorCode::DbCorrupt,
        ErrorCode::DbForeign,
        ErrorCode::DbReadOnly,
        ErrorCode::DbLocked,
        ErrorCode::DbOpen,
        ErrorCode::Db,
        ErrorCode::Io,
        ErrorCode::Cancelled,
        ErrorCode::Internal,
    ];

    /// The word itself, as in JSON (`minqing --json` prints it on failure).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "INVALID",
            ErrorCode::Duplicate => "DUPLICATE",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::DbTooNew => "DB_TOO_NEW",
            ErrorCode::DbCorrupt => "DB_CORRUPT",
            ErrorCode::DbForeign => "DB_FOREIGN",
            ErrorCode::DbReadOnly => "DB_READONLY",
            ErrorCode::DbLocked => "DB_LOCKED",
            ErrorCode::DbOpen => "DB_OPEN",
            ErrorCode::Db => "DB",
            ErrorCode::Io => "IO",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the UI receives when a command fails.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What an operating-system error means, in Chinese: the system's own text is English (or the
/// system's language) and means nothing to a coordinator. Windows' codes come first, since the
/// same `ErrorKind` covers causes a user fixes differently (a file held open by Excel is not a
/// missing permission). The code stays at the end for whoever reads a report of it.
pub fn io_cause(e: &std::io::Error) -> String {
    let (text, _) = io_meaning(e);
    match e.raw_os_error() {
        Some(c) => format!("{text}（系统错误代码 {c}）"),
        None => text.to_string(),
    }
}

/// The Chinese cause of a system error, and whether the user can remove it (a file held open,
/// a full disk, a missing folder) rather than it being a fault of the program or the machine.
fn io_meaning(e: &std::io::Error) -> (&'static str, bool) {
    use std::io::ErrorKind as K;
    let code = e.raw_os_error();
    let text = match (cfg!(windows), code) {
        // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE
        (true, Some(32 | 33 | 1224)) => {
            "文件正被其他程序（如 Excel、WPS 或杀毒软件）打开，请先关闭它"
        }
        // ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL
        (true, Some(39 | 112)) => "磁盘空间不足，请清理磁盘或换一个位置",
        // ERROR_FILENAME_EXCED_RANGE, ERROR_BUFFER_OVERFLOW
        (true, Some(206 | 111)) => "路径太长，请换一个层级较浅的文件夹",
        // ERROR_INVALID_NAME, ERROR_BAD_PATHNAME, ERROR_DIRECTORY
        (true, Some(123 | 161 | 267)) => "文件名或路径中有 Windows 不允许的字符",
        // ERROR_NOT_READY, ERROR_DEV_NOT_EXIST, ERROR_BAD_NETPATH, ERROR_NETNAME_DELETED
        (true, Some(21 | 55 | 53 | 64)) => "磁盘或U盘没有准备好（可能已被拔出），请重新插好后再试",
        // ERROR_WRITE_PROTECT
        (true, Some(19)) => "磁盘有写保护，请取消写保护或换一个位置",
        (true, Some(5)) => "没有权限（文件可能是只读的、正被其他程序打开，或这个文件夹不允许写入）",
        (false, Some(28)) => "磁盘空间不足，请清理磁盘或换一个位置",
        (false, Some(30)) => "磁盘是只读的，请换一个位置",
        (false, Some(36)) => "路径太长，请换一个层级较浅的文件夹",
        _ => match e.kind() {
            K::NotFound => "找不到文件或文件夹（可能已被移动或删除）",
            K::PermissionDenied => "没有权限（文件可能是只读的，或这个文件夹不允许写入）",
            K::AlreadyExists => "同名文件已经存在",
            K::StorageFull => "磁盘空间不足，请清理磁盘或换一个位置",
            K::ReadOnlyFilesystem => "磁盘是只读的，请换一个位置",
            K::InvalidFilename => "文件名或路径不合法（可能太长，或含有不允许的字符）",
            K::IsADirectory => "这是一个文件夹，不是文件",
            K::NotADirectory => "路径中有一段不是文件夹",
            K::DirectoryNotEmpty => "文件夹不是空的",
            K::UnexpectedEof => "文件不完整（可能没有复制完）",
            K::TimedOut | K::WouldBlock | K::Interrupted => "操作超时，请重试",
            K::OutOfMemory => "内存不足，请关闭其他程序后重试",
            _ => return ("系统拒绝了这个操作", false),
        },
    };
    (text, true)
}

/// What a SQLite failure means, in Chinese (SQLite's own text is English).
pub fn sqlite_cause(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    // Our own triggers RAISE Chinese sentences (操作记录只能追加…): those are the message.
    if let rusqlite::Error::SqliteFailure(_, Some(msg)) = e {
        if !msg.is_ascii() {
            return msg.clone();
        }
    }
    let text = match e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            C::DiskFull => "磁盘空间不足，请清理磁盘后重试",
            C::DatabaseBusy | C::DatabaseLocked => "数据库正被其他程序占用，请稍后重试",
            C::ReadOnly => "数据库文件是只读的",
            C::SystemIoFailure => "读写磁盘出错（磁盘或U盘可能有问题）",
            C::DatabaseCorrupt | C::NotADatabase => "数据库文件已损坏",
            C::CannotOpen => "无法打开数据库文件",
            C::PermissionDenied => "没有权限访问数据库文件",
            C::OutOfMemory => "内存不足",
            C::ConstraintViolation => "数据不符合约束（可能与已有记录冲突）",
            C::TooBig => "数据太大",
            _ => "数据库内部错误",
        },
        rusqlite::Error::QueryReturnedNoRows => "没有找到记录",
        _ => "数据库内部错误",
    };
    match e {
        rusqlite::Error::SqliteFailure(f, _) => format!("{text}（错误代码 {}）", f.extended_code),
        _ => text.to_string(),
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_one_word_and_json_says_the_same_word() {
        let mut seen = std::collections::HashSet::new();
        for &c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        // Every variant's code is in ALL, so the UI's union names it.
        for e in [
            Error::invalid("x", "m"),
            Error::duplicate("x", "m"),
            Error::NotFound("m".into()),
            Error::Conflict("m".into()),
            Error::DbTooNew {
                path: "a".into(),
                found: 2,
                supported: 1,
            },
            Error::DbCorrupt {
                path: "a".into(),
                detail: "d".into(),
            },
            Error::DbForeign { path: "a".into() },
            Error::DbReadOnly { path: "a".into() },
            Error::DbLocked { path: "a".into() },
            Error::DbOpen {
                path: "a".into(),
                detail: "d".into(),
            },
            Error::Sqlite(rusqlite::Error::InvalidQuery),
            Error::io("c", std::io::Error::other("x")),
            Error::Cancelled,
            Error::Internal("m".into()),
        ] {
            assert!(ErrorCode::ALL.contains(&e.code()));
            let json = serde_json::to_value(e.payload()).unwrap();
            assert_eq!(json["code"], e.code().as_str());
        }
        assert_eq!(seen.len(), 14);
    }

    fn has_latin_words(s: &str) -> bool {
        s.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() >= 3)
    }

    #[test]
    fn system_errors_read_in_chinese_with_their_code() {
        let denied = Error::io("无法写入“备份”", std::io::Error::from_raw_os_error(5));
        let text = denied.to_string();
        assert!(text.starts_with("无法写入“备份”："), "{text}");
        assert!(text.contains("系统错误代码 5"), "{text}");
        assert!(!has_latin_words(&text), "English leaked: {text}");
        for kind in [
            std::io::ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied,
            std::io::ErrorKind::StorageFull,
            std::io::ErrorKind::Other,
        ] {
            let t = Error::io("无法保存", std::io::Error::new(kind, "disk says no")).to_string();
            assert!(!has_latin_words(&t), "{kind:?}: {t}");
        }
    }

    #[cfg(windows)]
    #[test]
    fn a_file_held_open_is_named_as_such_on_windows() {
        let t = io_cause(&std::io::Error::from_raw_os_error(32));
        assert!(t.contains("正被其他程序") && t.contains("Excel"), "{t}");
        assert!(io_cause(&std::io::Error::from_raw_os_error(112)).contains("磁盘空间不足"));
    }

    #[test]
    fn sqlite_failures_read_in_chinese() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full".into()),
        );
        let t = Error::from(full).to_string();
        assert!(t.contains("磁盘空间不足"), "{t}");
        assert!(!has_latin_words(&t), "{t}");
    }
}
