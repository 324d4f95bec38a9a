fn main() {
    // Every command the UI may call; each gets an `allow-<name>` permission and the main
    // window's capability lists exactly these. A command missing here cannot be invoked.
    let manifest = tauri_build::AppManifest::new().commands(minqing_commands::COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build");
}

#[path = "src/commands/names.rs"]
mod minqing_commands;
