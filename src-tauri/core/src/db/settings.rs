//! The settings store: small JSON values in `app_settings`, by key (the request rules, the
//! contest rule, the remembered operators). A missing or unreadable value reads as the type's
//! default, so a newer app's setting never stops an older one.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub(crate) fn read_json<T: DeserializeOwned + Default>(c: &Connection, key: &str) -> Result<T> {
    let v: Option<String> = c
        .query_row(
            "SELECT value FROM app_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

pub(crate) fn write_json<T: Serialize>(c: &Connection, key: &str, v: &T) -> Result<()> {
    let s = serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))?;
    c.execute(
        "INSERT INTO app_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
        [key, &s],
    )?;
    Ok(())
}
