//! 走访排班: the rotation planner. `problem` is the input in memory, `engine` plans it,
//! `check` verifies the hard rules independently, `evaluate` scores and explains.

pub mod adjust;
pub mod check;
pub mod engine;
pub mod evaluate;
pub mod problem;
pub mod store;
pub mod views;
