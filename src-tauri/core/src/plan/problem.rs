//! The planner's input, in memory and free of the database: working days, households with
//! what they need, cadres with the days they can visit, the rules, and what is already fixed.

use chrono::{Datelike, NaiveDate};

/// The numbers of docs/DOMAIN.md's rotation rules; each is a setting of the cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// 不扰民: at least this many days between two visits to one household.
    pub min_gap_days: u32,
    /// 不扰民: at most this many visits to one household in a calendar month, all cadres together.
    pub max_per_month: u32,
    /// Capacity: at most this many households per cadre-day.
    pub per_cadre_day: u32,
    /// 挂钩/结对: a paired household is visited by its own cadre whenever that cadre has room.
    pub prefer_pairing: bool,
    /// The previous cycle's cadre is preferred.
    pub prefer_continuity: bool,
    /// One cadre-day in one village, fewest 村民小组.
    pub locality: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_gap_days: 14,
            max_per_month: 2,
            per_cadre_day: 8,
            prefer_pairing: true,
            prefer_continuity: true,
            locality: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Household {
    pub id: i64,
    /// Index into `Problem::villages`.
    pub village: usize,
    pub group: i64,
    /// Order of the group inside its village (walking distance stand-in).
    pub group_order: i64,
    /// 重点户: visited at least every this many days (the smallest of its 必到 rules).
    pub key_every: Option<u32>,
    /// Index into `Problem::cadres` of the paired cadre (结对).
    pub paired: Option<usize>,
    /// The cadre who visited it last cycle (continuity).
    pub previous: Option<usize>,
    /// Visits already recorded (diary), and those other cycles planned — for the gap and
    /// monthly rules and for must-visit timing.
    pub history: Vec<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Cadre {
    pub id: i64,
    pub name: String,
    /// Indices into `Problem::villages`: the 挂钩村.
    pub villages: Vec<usize>,
    /// Per working day of the cycle (`Problem::days`): the engine plans visits on these.
    pub available: Vec<bool>,
    /// Per working day: the rules allow a visit (not on leave, on the weekday pattern). For a
    /// cadre with a pattern this equals `available`; for one with "N days a month" the engine
    /// plans on N spread days, while a visit moved by hand may be on any allowed day as long
    /// as the month keeps at most N visit days.
    pub allowed: Vec<bool>,
    /// "N days a month": at most this many distinct visit days in a calendar month.
    pub days_per_month: Option<u32>,
    /// Per working day: visits of this cadre that other cycles already planned that day (they
    /// count against the day's cap). Empty: none.
    pub taken: Vec<u32>,
}

impl Cadre {
    /// Visits other cycles planned for this cadre on working day `t`.
    pub fn taken_on(&self, t: usize) -> u32 {
        self.taken.get(t).copied().unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct Village {
    pub id: i64,
    pub name: String,
}

/// A visit that stays where it is when the plan is recomputed: locked or already done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fixed {
    pub household: usize,
    pub cadre: usize,
    pub day: usize,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The working days of the cycle, in order (holidays and weekends excluded, 调休 included).
    pub days: Vec<NaiveDate>,
    pub villages: Vec<Village>,
    pub households: Vec<Household>,
    pub cadres: Vec<Cadre>,
    pub rules: Rules,
    pub fixed: Vec<Fixed>,
}

/// Why a visit is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// 必到: a 重点户's periodic visit.
    KeyVisit,
    /// 结对: a paired household visited by its own cadre.
    Paired,
    /// 覆盖: every household at least once in the cycle.
    Coverage,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::KeyVisit => "必到",
            Reason::Paired => "结对",
            Reason::Coverage => "覆盖",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    pub household: usize,
    pub cadre: usize,
    pub day: usize,
    pub reason: Reason,
    pub fixed: bool,
}

/// Days a 重点户 never visited, or already overdue when the cycle starts, has for its first
/// visit of the cycle (重点户 first: within the first week).
pub const FIRST_DUE_GRACE_DAYS: i64 = 6;

/// When a 重点户's first visit of the cycle is due: N days after its last recorded visit
/// before the cycle, but not before the first week is out — or, in a cycle shorter than a
/// week, its last day: a 重点户 overdue at the start of a 3-day cycle is due in it, not
/// silently after it (which reported 100 % on time for a cycle that visited none).
pub fn first_due(
    start: NaiveDate,
    end: NaiveDate,
    every: u32,
    last_before: Option<NaiveDate>,
) -> NaiveDate {
    let grace = (start + chrono::Duration::days(FIRST_DUE_GRACE_DAYS)).min(end);
    match last_before {
        Some(l) => (l + chrono::Duration::days(every as i64)).max(grace),
        None => grace,
    }
}

impl Rules {
    /// 不扰民: may a household already visited on `dates` be visited on `d` — at least
    /// `min_gap_days` from each of them and fewer than `max_per_month` in `d`'s month? The
    /// engine and the plan-keeping recompute ask this; the checker counts on its own.
    pub fn household_allows(&self, dates: &[NaiveDate], d: NaiveDate) -> bool {
        let gap = self.min_gap_days as i64;
        let month = month_key(d);
        let mut same_month = 0;
        for &x in dates {
            if (x - d).num_days().abs() < gap {
                return false;
            }
            if month_key(x) == month {
                same_month += 1;
            }
        }
        same_month < self.max_per_month
    }
}

/// The day numbers of a month, for the monthly limit.
pub fn month_key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// Picks `n` days a month, evenly spread over that month's working days (a cadre who gives
/// "N days a month" rather than fixed weekdays). Deterministic.
pub fn spread_days(days: &[NaiveDate], n: u32) -> Vec<bool> {
    let mut out = vec![false; days.len()];
    let mut i = 0;
    while i < days.len() {
        let m = month_key(days[i]);
        let j = days[i..]
            .iter()
            .position(|d| month_key(*d) != m)
            .map(|p| i + p)
            .unwrap_or(days.len());
        let count = j - i;
        let take = (n as usize).min(count);
        for k in 0..take {
            // Centre of the k-th of `take` equal slices.
            let idx = i + (k * count + count / 2) / take.max(1);
            out[idx.min(j - 1)] = true;
        }
        i = j;
    }
    out
}
