//! The core's integration tests that `cargo xtask test` runs on Linux only: the reports read
//! back with Python's openpyxl and python-docx and printed by LibreOffice, the merge of the
//! townships' workbooks, the planner's and the rates' property tests and the hostile IPC
//! arguments. One test binary, a module per area, so a 2-core machine links it once.

#[path = "../common/mod.rs"]
mod common;

mod bulletin;
mod district_reports;
mod ipc_args;
mod merge;
mod plan_engine;
mod project_reports;
mod rates_property;
