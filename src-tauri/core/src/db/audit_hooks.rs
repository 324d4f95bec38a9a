//! The audit triggers' side in the store (`db/migrations/0007_audit.sql`): who is working and
//! how much the triggers record, read by the write connection's SQL functions `mq_operator()`
//! and `mq_audit_level()`. The trail itself (what is recorded, lists, relation sets) is
//! `crate::audit`, above the store.

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

/// How much the triggers record (see the migration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Nothing: generated demo data.
    Off = 0,
    /// Changes and deletions, not each new record: a bulk import records one summary line.
    ChangesOnly = 1,
    /// Everything.
    All = 2,
}

/// The store's audit state, shared with the SQL functions of its write connection.
#[derive(Debug)]
pub struct AuditContext {
    operator: RwLock<Option<String>>,
    level: AtomicU8,
}

impl Default for AuditContext {
    fn default() -> Self {
        AuditContext {
            operator: RwLock::new(None),
            level: AtomicU8::new(Level::All as u8),
        }
    }
}

impl AuditContext {
    pub fn operator(&self) -> Option<String> {
        self.operator
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_operator(&self, name: Option<String>) {
        *self.operator.write().unwrap_or_else(|p| p.into_inner()) = name;
    }

    pub(crate) fn swap_level(&self, level: Level) -> u8 {
        self.level.swap(level as u8, Ordering::SeqCst)
    }

    pub(crate) fn restore_level(&self, level: u8) {
        self.level.store(level, Ordering::SeqCst);
    }
}

/// Registers `mq_operator()` and `mq_audit_level()` on a connection that writes (the store's
/// writer; a test's own connection that changes audited tables needs them too).
pub fn register_functions(conn: &Connection, ctx: Arc<AuditContext>) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    let c = ctx.clone();
    conn.create_scalar_function("mq_operator", 0, flags, move |_| Ok(c.operator()))?;
    conn.create_scalar_function("mq_audit_level", 0, flags, move |_| {
        Ok(ctx.level.load(Ordering::SeqCst) as i64)
    })
}
