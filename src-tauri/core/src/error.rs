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

    #[error("数据库操作失败：{0}。请重试；如果反复出现，请联系技术人员并提供日志。")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{context}：{source}")]
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
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "INVALID",
            Error::Duplicate { .. } => "DUPLICATE",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Conflict(_) => "CONFLICT",
            Error::DbTooNew { .. } => "DB_TOO_NEW",
            Error::DbCorrupt { .. } => "DB_CORRUPT",
            Error::DbForeign { .. } => "DB_FOREIGN",
            Error::DbReadOnly { .. } => "DB_READONLY",
            Error::DbLocked { .. } => "DB_LOCKED",
            Error::DbOpen { .. } => "DB_OPEN",
            Error::Sqlite(_) => "DB",
            Error::Io { .. } => "IO",
            Error::Cancelled => "CANCELLED",
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// True when the user can fix the cause (CLI exit code 1); false for bugs and
    /// environment failures (exit code 2).
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            Error::Sqlite(_) | Error::Io { .. } | Error::Internal(_)
        )
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } | Error::Duplicate { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_string(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
        }
    }
}

/// What the UI receives when a command fails.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}
