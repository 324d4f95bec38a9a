//! The core's integration tests that hold on Windows too: the store, backups, the roster
//! reader and import, the CLI, the plan, the diary and the ledger. One test binary (a module
//! per area) so a 2-core machine links it once; `cargo xtask test windows` runs this same
//! binary as a Windows program under Wine.

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod backup;
mod cli;
mod cli_export;
mod cli_import;
mod cli_ledger;
mod cli_plan;
mod demo;
mod diary;
mod plan_export;
mod plan_store;
mod projects;
mod register;
mod requests;
mod roster;
mod roster_props;
mod slips;
mod store;
