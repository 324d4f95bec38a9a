//! 民情通 core: every domain rule of the app lives here, with no Tauri dependency.
//!
//! The desktop shell (`minqing-app`) and the CLI (`minqing`) are two faces over the same
//! functions; neither decides a domain rule. See ARCHITECTURE.md at the repository root.

#[macro_use]
pub mod text_enum;

pub mod audit;
pub mod calendar;
pub mod cases;
pub mod db;
pub mod demo;
pub mod diary;
pub mod error;
pub mod logfile;
pub mod names;
pub mod paging;
pub mod paths;
pub mod plan;
pub mod privacy;
pub mod register;
pub mod report;
pub mod requests;
pub mod roster;
pub mod stats;
pub mod status;
pub mod validate;

/// The allocator every binary of the app uses (`#[global_allocator]` in the CLI, the desktop
/// shell and the benchmarks): an import or an export makes millions of small strings, and
/// mimalloc frees them in a fraction of the time the system allocator takes.
pub use mimalloc::MiMalloc as Allocator;

pub use db::Store;
pub use error::{Error, ErrorCode, ErrorPayload, Result};

/// The app's version, written into exports and shown in 设置.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The local time as stored in `created_at` / `updated_at` columns.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}
