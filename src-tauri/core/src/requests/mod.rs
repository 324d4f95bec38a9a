//! 民情诉求: the request ledger — "事事有回音，件件有结果". Registration with a number and a
//! working-day deadline, the lifecycle (登记 → 交办 → 办理中 → 已办结 → 已回访, with 退回, 改派,
//! 延期, 催办, 督办, 重办), 三色督办, an append-only history, and the three rates.

pub mod categories;
pub mod lifecycle;
pub mod projects;
pub mod query;
pub mod rates;
pub mod rules;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::text_enum! {
    /// 来源
    pub enum Source ("诉求来源") {
        Visit = "走访",
        WalkIn = "来访",
        Call = "来电",
        Hotline12345 = "12345转办",
        Grid = "网格员上报",
        Other = "其他",
    }
}

crate::text_enum! {
    /// 类型
    pub enum RequestKind ("诉求类型") {
        Consult = "咨询",
        Help = "求助",
        Complaint = "投诉",
        Report = "举报",
        Suggestion = "建议",
    }
}

crate::text_enum! {
    /// 缓急
    pub enum Urgency ("缓急程度") {
        Urgent = "紧急",
        Pressing = "较急",
        Normal = "一般",
    }
}

crate::text_enum! {
    /// 办理分类: can be solved now, needs planning, cannot be done (explain the policy).
    pub enum Handling ("办理分类") {
        SolveNow = "解决一批",
        Plan = "规划一批",
        Explain = "解释一批",
    }
}

crate::text_enum! {
    /// Where a request is in its lifecycle.
    pub enum Status ("诉求状态") {
        Registered = "登记",
        Assigned = "交办",
        InProgress = "办理中",
        Closed = "已办结",
        Reviewed = "已回访",
    }
}

impl Status {
    /// Not yet closed: the deadline and the colours apply.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Registered | Status::Assigned | Status::InProgress
        )
    }
}

crate::text_enum! {
    /// 办理结果
    pub enum Outcome ("办理结果") {
        Solved = "已解决",
        Partly = "部分解决",
        Unsolved = "未解决",
    }
}

crate::text_enum! {
    /// The villager's evaluation (回访, and a visit's evaluation of party and government work).
    pub enum Satisfaction ("满意度") {
        Satisfied = "满意",
        Basic = "基本满意",
        Dissatisfied = "不满意",
    }
}

/// 三色督办 (Suqian's practice), computed for "today": red when overdue, yellow when an
/// extension was granted or the coordinator marked it behind, blue when the deadline is at most
/// one working day away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum Colour {
    Red,
    Yellow,
    Blue,
}

impl Colour {
    pub fn label(self) -> &'static str {
        match self {
            Colour::Red => "红色（已超期）",
            Colour::Yellow => "黄色（已延期或进度滞后）",
            Colour::Blue => "蓝色（临近时限）",
        }
    }
    pub fn parse(s: &str) -> Option<Colour> {
        match s.trim() {
            "red" | "红" | "红色" => Some(Colour::Red),
            "yellow" | "黄" | "黄色" => Some(Colour::Yellow),
            "blue" | "蓝" | "蓝色" => Some(Colour::Blue),
            _ => None,
        }
    }
}

/// The statuses SQL treats as open.
pub(crate) const OPEN_SQL: &str = "('登记', '交办', '办理中')";
