//! One module per area, mirroring `ui/src/api/<area>.ts`. Each command is a few lines: take
//! the arguments, run the core function off the UI thread, return its result or its
//! `{code, message}` error.

pub mod app;
pub mod audit;
pub mod cadres;
pub mod dialogs;
pub mod diary;
pub mod households;
#[cfg(test)]
pub mod names;
pub mod plan;
pub mod projects;
pub mod reports;
pub mod requests;
pub mod roster;
pub mod settings;
pub mod stats;
pub mod villages;

use crate::AppState;
use minqing_core::{ErrorPayload, Store};

pub type CmdResult<T> = Result<T, ErrorPayload>;

/// Runs `f` on a blocking thread with the store; a store that failed to open returns why.
pub(crate) async fn with_store<T, F>(state: &AppState, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> minqing_core::Result<T> + Send + 'static,
{
    let store = state.store()?;
    tauri::async_runtime::spawn_blocking(move || f(&store))
        .await
        .map_err(|e| minqing_core::Error::Internal(format!("后台任务异常结束：{e}")).payload())?
        .map_err(|e| {
            // A fault of the program or the machine goes to the log a user can send; what the
            // user typed wrong does not (it is shown, and it may hold personal data).
            if !e.is_user_error() {
                log::error!("{e}（{e:?}）");
            }
            e.payload()
        })
}
