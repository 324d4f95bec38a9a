//! Adjusting a plan by hand: moving a visit to another cadre or day (refused, with the rule
//! named, when it would break a hard rule) and locking visits so a recomputation keeps them.

use super::store::read_input;
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};

/// Moves planned visit `id` to `cadre_id` on `date`, and locks it there.
pub fn move_visit(store: &Store, id: i64, cadre_id: i64, date: NaiveDate) -> Result<()> {
    store.write(|tx| {
        let (version, cycle, household, done): (i64, i64, i64, bool) = tx
            .query_row(
                "SELECT pv.version_id, ver.cycle_id, pv.household_id, pv.visit_id IS NOT NULL
                 FROM plan_visits pv JOIN plan_versions ver ON ver.id = pv.version_id WHERE pv.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound("该走访安排已不存在，请刷新后重试。".into()))?;
        if done {
            return Err(Error::Conflict("这次走访已经完成，不能再调整。".into()));
        }
        let latest: i64 = tx.query_row("SELECT max(id) FROM plan_versions WHERE cycle_id = ?1", [cycle], |r| r.get(0))?;
        if latest != version {
            return Err(Error::Conflict("只能调整当前使用的排班版本。".into()));
        }
        let input = read_input(tx, cycle)?;
        let refuse = |rule: &str, why: String| Err(Error::Conflict(format!("不能调整：违反“{rule}”——{why}")));
        if date < input.start || date > input.end {
            return refuse("轮次日期", format!("{date} 不在本轮 {} 至 {} 之内。", input.start, input.end));
        }
        let cal = Calendar::load(tx)?;
        if !cal.is_working_day(date) {
            return refuse("节假日不走访", format!("{date} 不是工作日。"));
        }
        let (cadre_name, weekdays, active, per_month): (String, String, bool, u32) = tx
            .query_row("SELECT name, visit_weekdays, active, visit_days_per_month FROM cadres WHERE id = ?1", [cadre_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
            .ok_or_else(|| Error::invalid("cadreId", "所选的干部已不存在。"))?;
        if !active {
            return refuse("干部在岗", format!("{cadre_name}已停用。"));
        }
        let on_leave: bool = tx.prepare_cached("SELECT 1 FROM cadre_leave WHERE cadre_id = ?1 AND date = ?2")?.exists(params![cadre_id, date])?;
        if on_leave {
            return refuse("请假不走访", format!("{cadre_name}在 {date} 请假。"));
        }
        let pattern: Vec<u32> = weekdays.split(',').filter_map(|w| w.trim().parse().ok()).collect();
        if !pattern.is_empty() && !pattern.contains(&date.weekday().number_from_monday()) {
            return refuse("干部走访日", format!("{cadre_name}的走访日是每周{}，{date} 不是。", weekday_names(&pattern)));
        }
        if pattern.is_empty() {
            // "N days a month": the move may add a visit day, not beyond N in the month.
            let first = date.with_day(1).expect("day 1 exists");
            let next = if date.month() == 12 {
                NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
            }
            .expect("valid month");
            let mut days: Vec<NaiveDate> = tx
                .prepare_cached("SELECT DISTINCT visit_date FROM plan_visits WHERE version_id = ?1 AND cadre_id = ?2 AND visit_date >= ?3 AND visit_date < ?4 AND id <> ?5")?
                .query_map(params![version, cadre_id, first, next, id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if !days.contains(&date) && days.len() as u32 >= per_month {
                days.sort();
                let list: Vec<String> = days.iter().map(|d| d.format("%-m月%-d日").to_string()).collect();
                return refuse(
                    "每月走访天数",
                    format!(
                        "{cadre_name}每月走访 {per_month} 天，{}月已排满（{}）。可改到这几天中的一天，或在干部信息中增加每月走访天数。",
                        date.month(),
                        list.join("、")
                    ),
                );
            }
        }
        let load: u32 = tx.query_row(
            "SELECT count(*) FROM plan_visits WHERE version_id = ?1 AND cadre_id = ?2 AND visit_date = ?3 AND id <> ?4",
            params![version, cadre_id, date, id],
            |r| r.get(0),
        )?;
        if load >= input.per_cadre_day {
            return refuse("每天走访户数", format!("{cadre_name}在 {date} 已安排 {load} 户，每天最多 {} 户。", input.per_cadre_day));
        }
        // 不扰民: the gap and the monthly limit against this household's other visits.
        let mut others: Vec<NaiveDate> = tx
            .prepare_cached("SELECT visit_date FROM plan_visits WHERE version_id = ?1 AND household_id = ?2 AND id <> ?3")?
            .query_map(params![version, household, id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let recorded: Vec<NaiveDate> = tx
            .prepare_cached("SELECT visit_date FROM visits WHERE household_id = ?1 AND outcome IN ('见到户主', '见到家人')")?
            .query_map([household], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        others.extend(recorded);
        if let Some(x) = others.iter().find(|x| (**x - date).num_days().abs() < input.min_gap_days as i64) {
            return refuse("不扰民间隔", format!("该户 {x} 已有走访，两次至少间隔 {} 天。", input.min_gap_days));
        }
        let same_month = others.iter().filter(|x| x.year() == date.year() && x.month() == date.month()).count() as u32;
        if same_month >= input.max_per_month {
            return refuse("每月走访次数", format!("该户 {}年{}月已有 {same_month} 次走访，每月最多 {} 次。", date.year(), date.month(), input.max_per_month));
        }
        tx.execute("UPDATE plan_visits SET cadre_id = ?1, visit_date = ?2, locked = 1 WHERE id = ?3", params![cadre_id, date, id])?;
        Ok(())
    })
}

fn weekday_names(p: &[u32]) -> String {
    const N: [&str; 8] = ["", "一", "二", "三", "四", "五", "六", "日"];
    p.iter()
        .map(|d| N[*d as usize])
        .collect::<Vec<_>>()
        .join("、")
}

/// Locks or unlocks planned visits: a locked visit stays where it is when the plan is recomputed.
pub fn lock_visits(store: &Store, ids: &[i64], locked: bool) -> Result<usize> {
    store.write(|tx| {
        let mut st = tx.prepare_cached(
            "UPDATE plan_visits SET locked = ?1 WHERE id = ?2 AND visit_id IS NULL",
        )?;
        let mut n = 0;
        for id in ids {
            n += st.execute(params![locked, id])?;
        }
        Ok(n)
    })
}

/// Links a diary entry to the household's open planned visit nearest its date (plans in
/// force): a visit that counts closes it; 不在家 and the like leave it due, with the attempt
/// noted. Called inside the diary's transaction.
pub(crate) fn link_visit(
    c: &rusqlite::Connection,
    visit_id: i64,
    household: i64,
    date: NaiveDate,
    counts: bool,
) -> Result<()> {
    let open: Option<i64> = c
        .prepare_cached(
            "SELECT pv.id FROM plan_visits pv
             WHERE pv.household_id = ?1 AND pv.visit_id IS NULL
               AND pv.version_id IN (SELECT max(id) FROM plan_versions GROUP BY cycle_id)
               AND pv.visit_date BETWEEN date(?2, '-31 days') AND date(?2, '+31 days')
             ORDER BY abs(julianday(pv.visit_date) - julianday(?2)) LIMIT 1",
        )?
        .query_row(params![household, date], |r| r.get(0))
        .optional()?;
    if let Some(pv) = open {
        if counts {
            c.execute(
                "UPDATE plan_visits SET visit_id = ?1 WHERE id = ?2",
                params![visit_id, pv],
            )?;
        } else {
            c.execute(
                "UPDATE plan_visits SET attempts = attempts + 1, last_attempt = ?1 WHERE id = ?2",
                params![date, pv],
            )?;
        }
    }
    Ok(())
}
