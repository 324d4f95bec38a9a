// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

fn main() {
    minqing_app_lib::run();
}
