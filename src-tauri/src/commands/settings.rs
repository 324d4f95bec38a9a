use super::{with_store, CmdResult};
use crate::AppState;
use minqing_core::register::tags::{self, KeyRule, KeyRuleInput, Tag, TagInput};
use minqing_core::register::township::{self, Township};
use tauri::State;

#[tauri::command]
pub async fn get_township(state: State<'_, AppState>) -> CmdResult<Township> {
    with_store(&state, township::get_township).await
}

#[tauri::command]
pub async fn save_township(state: State<'_, AppState>, township: Township) -> CmdResult<Township> {
    with_store(&state, move |s| township::save_township(s, &township)).await
}

#[tauri::command]
pub async fn list_tags(state: State<'_, AppState>) -> CmdResult<Vec<Tag>> {
    with_store(&state, tags::list_tags).await
}

#[tauri::command]
pub async fn add_tag(state: State<'_, AppState>, input: TagInput) -> CmdResult<Tag> {
    with_store(&state, move |s| tags::add_tag(s, &input)).await
}

#[tauri::command]
pub async fn update_tag(state: State<'_, AppState>, id: i64, input: TagInput) -> CmdResult<()> {
    with_store(&state, move |s| tags::update_tag(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_tag(state: State<'_, AppState>, id: i64, force: bool) -> CmdResult<()> {
    with_store(&state, move |s| tags::delete_tag(s, id, force)).await
}

#[tauri::command]
pub async fn list_key_rules(state: State<'_, AppState>) -> CmdResult<Vec<KeyRule>> {
    with_store(&state, tags::list_key_rules).await
}

#[tauri::command]
pub async fn add_key_rule(state: State<'_, AppState>, input: KeyRuleInput) -> CmdResult<KeyRule> {
    with_store(&state, move |s| tags::add_key_rule(s, &input)).await
}

#[tauri::command]
pub async fn update_key_rule(
    state: State<'_, AppState>,
    id: i64,
    input: KeyRuleInput,
) -> CmdResult<()> {
    with_store(&state, move |s| tags::update_key_rule(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_key_rule(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    with_store(&state, move |s| tags::delete_key_rule(s, id)).await
}
