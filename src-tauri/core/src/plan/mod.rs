//! 走访排班: the rotation planner. `problem` is the input in memory, `engine` plans it,
//! `check` verifies the hard rules independently, `evaluate` scores and explains.

pub mod adjust;
pub mod check;
pub mod engine;
pub mod evaluate;
pub mod problem;
pub mod store;
pub mod views;

impl store::CycleInput {
    /// What 新建轮次 proposes: the quarter after today's, named as the reports name it
    /// (2027年第一季度), with every rule at its default.
    pub fn next_quarter(today: chrono::NaiveDate) -> store::CycleInput {
        let (start, end) = crate::calendar::next_quarter(today);
        store::CycleInput::new(&crate::calendar::period_label(start, end), start, end)
    }
}
