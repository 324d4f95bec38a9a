//! Working days (工作日) per the State Council's annual notice on holidays and 调休, from the
//! tables bundled in `assets/holidays` (holiday-cn, MIT) plus the coordinator's corrections.
//! A year without a table still has its statutory holidays, which 《全国年节及纪念日放假办法》
//! (2024 revision) fixes: 元旦 1 day, 春节 4 (除夕 to 正月初三), 清明, 端午 and 中秋 1 each on
//! their solar-term and lunar dates, 劳动节 5/1–5/2, 国庆 10/1–10/3 — computed here (lunar dates
//! and solar terms by tyme4rs). Only that year's 调休 (which weekends are worked, how the breaks
//! are joined) is unknown, and the warning says exactly that wherever such a date is used.
//! Request deadlines and the visit planner both count days here.

use crate::error::{Error, Result};
use crate::Store;
use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use ts_rs::TS;

/// The official tables, one JSON file a year, compiled in.
const BUNDLED: &[(i32, &str)] = &[
    (2024, include_str!("../../../assets/holidays/2024.json")),
    (2025, include_str!("../../../assets/holidays/2025.json")),
    (2026, include_str!("../../../assets/holidays/2026.json")),
    (2027, include_str!("../../../assets/holidays/2027.json")),
];

#[derive(Deserialize)]
struct TableFile {
    days: Vec<TableDay>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableDay {
    name: String,
    date: NaiveDate,
    is_off_day: bool,
}

/// A day that differs from the weekday rule: a holiday on a weekday, or a make-up workday
/// (调休上班) on a weekend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SpecialDay {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub is_off_day: bool,
    pub name: String,
    /// `official` (the bundled table) or `user` (a correction in 设置).
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    special: HashMap<NaiveDate, (bool, String, bool)>, // (is_off, name, from the user)
    years: BTreeSet<i32>,
}

impl Calendar {
    /// The bundled official tables only. A file with no days (a year whose notice has not
    /// been published) does not count as a table.
    pub fn bundled() -> Calendar {
        let mut cal = Calendar::default();
        for (year, json) in BUNDLED {
            let file: TableFile =
                serde_json::from_str(json).expect("bundled holiday table is valid JSON");
            if file.days.is_empty() {
                continue;
            }
            cal.years.insert(*year);
            for d in file.days {
                cal.special.insert(d.date, (d.is_off_day, d.name, false));
            }
        }
        cal
    }

    /// The bundled tables with the coordinator's corrections on top.
    pub fn load(c: &Connection) -> Result<Calendar> {
        let mut cal = Calendar::bundled();
        let mut stmt = c.prepare("SELECT date, is_off_day, name FROM calendar_days")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (date, off, name) = row?;
            cal.special.insert(date, (off, name, true));
        }
        let mut stmt = c.prepare("SELECT year FROM calendar_years")?;
        for y in stmt.query_map([], |r| r.get::<_, i32>(0))? {
            cal.years.insert(y?);
        }
        Ok(cal)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.special.get(&d) {
            Some((off, _, _)) => !off,
            None if !self.has_table(d.year()) && statutory_name(d).is_some() => false,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The holiday's name, or 调休上班 for a make-up workday, or None for an ordinary day.
    pub fn day_name(&self, d: NaiveDate) -> Option<&str> {
        match self.special.get(&d) {
            Some((_, n, _)) => Some(n.as_str()),
            None if !self.has_table(d.year()) => statutory_name(d),
            None => None,
        }
    }

    pub fn has_table(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The warning to show wherever a date of a year without a table is used.
    pub fn warning_for(&self, d: NaiveDate) -> Option<String> {
        (!self.has_table(d.year())).then(|| {
            format!(
                "{} 年的节假日安排（国务院办公厅通知）还没有录入：法定节假日（元旦，春节除夕至初三，\
                 清明，劳动节 5 月 1—2 日，端午，中秋，国庆 10 月 1—3 日）已按《全国年节及纪念日放假办法》\
                 计入，但调休（哪些周末上班、假期怎样连休）还不知道，这些日子暂按周一至周五上班计算。\
                 通知发布后，请在“设置 → 节假日”中补录。",
                d.year()
            )
        })
    }

    /// The Nth working day after `from` (`from` itself not counted). `n = 0` is `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("date in range");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// `d` when it is a working day, otherwise the next working day.
    pub fn same_or_next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working_day(d) {
            d = d.succ_opt().expect("date in range");
        }
        d
    }

    /// Working days in `(from, to]`: how many working days `to` lies after `from`
    /// (negative when `to` is earlier).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut n = 0;
        let mut d = a;
        while d < b {
            d = d.succ_opt().expect("date in range");
            if self.is_working_day(d) {
                n += 1;
            }
        }
        sign * n
    }

    /// Every special day of a year, in date order: for a year without a table, also the
    /// statutory holidays (source `statutory`).
    pub fn special_days(&self, year: i32) -> Vec<SpecialDay> {
        let mut v: Vec<SpecialDay> = self
            .special
            .iter()
            .filter(|(d, _)| d.year() == year)
            .map(|(d, (off, name, user))| SpecialDay {
                date: *d,
                is_off_day: *off,
                name: name.clone(),
                source: if *user { "user" } else { "official" }.into(),
            })
            .collect();
        if !self.has_table(year) {
            for (date, name) in statutory(year) {
                if !self.special.contains_key(date) {
                    v.push(SpecialDay {
                        date: *date,
                        is_off_day: true,
                        name: (*name).into(),
                        source: "statutory".into(),
                    });
                }
            }
        }
        v.sort_by_key(|s| s.date);
        v
    }
}

/// The statutory holidays of `year` (《全国年节及纪念日放假办法》, 2024 revision), computed once
/// per year: 11 days. Years outside what the lunar tables cover give none.
pub fn statutory(year: i32) -> &'static [(NaiveDate, &'static str)] {
    use std::sync::{Mutex, OnceLock};
    type Days = &'static [(NaiveDate, &'static str)];
    static CACHE: OnceLock<Mutex<HashMap<i32, Days>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    map.entry(year)
        .or_insert_with(|| Box::leak(compute_statutory(year).into_boxed_slice()))
}

fn statutory_name(d: NaiveDate) -> Option<&'static str> {
    statutory(d.year())
        .iter()
        .find(|(date, _)| *date == d)
        .map(|(_, name)| *name)
}

fn compute_statutory(year: i32) -> Vec<(NaiveDate, &'static str)> {
    use tyme4rs::tyme::lunar::LunarDay;
    use tyme4rs::tyme::solar::{SolarDay, SolarTerm};
    if !(1901..=2099).contains(&year) {
        return Vec::new();
    }
    let y = year as isize;
    let date = |s: SolarDay| {
        NaiveDate::from_ymd_opt(
            s.get_year() as i32,
            s.get_month() as u32,
            s.get_day() as u32,
        )
    };
    let lunar = |m: isize, d: usize| date(LunarDay::from_ymd(y, m, d).get_solar_day());
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let mut out = Vec::new();
    let mut add = |d: Option<NaiveDate>, name: &'static str| {
        if let Some(d) = d {
            out.push((d, name));
        }
    };
    add(ymd(1, 1), "元旦");
    // 除夕 is the day before 正月初一, whether the twelfth month has 29 or 30 days.
    if let Some(first) = lunar(1, 1) {
        add(first.pred_opt(), "春节");
        for i in 0..3 {
            add(first.checked_add_days(chrono::Days::new(i)), "春节");
        }
    }
    add(
        date(
            SolarTerm::from_name(y, "清明")
                .get_julian_day()
                .get_solar_day(),
        ),
        "清明节",
    );
    add(ymd(5, 1), "劳动节");
    add(ymd(5, 2), "劳动节");
    add(lunar(5, 5), "端午节");
    add(lunar(8, 15), "中秋节");
    for d in 1..=3 {
        add(ymd(10, d), "国庆节");
    }
    out.sort();
    out.dedup_by_key(|(d, _)| *d);
    out
}

impl Calendar {}

/// A year as 设置 → 节假日 shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CalendarYear {
    pub year: i32,
    pub has_table: bool,
    pub warning: Option<String>,
    pub days: Vec<SpecialDay>,
}

pub fn load(store: &Store) -> Result<Calendar> {
    store.read(Calendar::load)
}

pub fn calendar_year(store: &Store, year: i32) -> Result<CalendarYear> {
    check_year(year)?;
    let cal = load(store)?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("checked year");
    Ok(CalendarYear {
        year,
        has_table: cal.has_table(year),
        warning: cal.warning_for(first),
        days: cal.special_days(year),
    })
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(Error::invalid(
            "year",
            format!("年份“{year}”不合理，应在 2000 到 2100 之间。"),
        ))
    }
}

/// Corrects one day: a holiday (`is_off_day`) or a make-up workday. A correction that agrees
/// with the weekday rule and the official table removes the user row instead of adding one.
pub fn set_day(store: &Store, date: NaiveDate, is_off_day: bool, name: &str) -> Result<()> {
    check_year(date.year())?;
    let name = crate::validate::check_optional_text("name", "名称", name, 20)?;
    let official = Calendar::bundled();
    let default_off = match official.special.get(&date) {
        Some((off, _, _)) => *off,
        None => matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
    };
    store.write(|tx| {
        if default_off == is_off_day && name.is_empty() {
            tx.execute("DELETE FROM calendar_days WHERE date = ?1", [date])?;
        } else {
            tx.execute(
                "INSERT INTO calendar_days (date, is_off_day, name, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (date) DO UPDATE SET is_off_day = ?2, name = ?3, updated_at = ?4",
                params![date, is_off_day, name, crate::now_text()],
            )?;
        }
        Ok(())
    })
}

/// Undoes a correction: the day follows the official table (or the weekday rule) again.
pub fn reset_day(store: &Store, date: NaiveDate) -> Result<()> {
    store.write(|tx| {
        tx.execute("DELETE FROM calendar_days WHERE date = ?1", [date])?;
        Ok(())
    })
}

/// Marks a year's table as complete (entered by hand from the notice), or not.
pub fn set_year_complete(store: &Store, year: i32, complete: bool) -> Result<()> {
    check_year(year)?;
    store.write(|tx| {
        if complete {
            tx.execute(
                "INSERT INTO calendar_years (year, updated_at) VALUES (?1, ?2)
                 ON CONFLICT (year) DO UPDATE SET updated_at = ?2",
                params![year, crate::now_text()],
            )?;
        } else {
            tx.execute("DELETE FROM calendar_years WHERE year = ?1", [year])?;
        }
        Ok(())
    })
}

/// The period as the district writes it: 2026年11月, 2026年第四季度, 2026年, or the two days.
pub fn period_label(from: NaiveDate, to: NaiveDate) -> String {
    let month_end = |d: NaiveDate| {
        let (y, m) = if d.month() == 12 {
            (d.year() + 1, 1)
        } else {
            (d.year(), d.month() + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap() - chrono::Duration::days(1)
    };
    if from.day() == 1 && from.year() == to.year() && to == month_end(to) {
        if from.month() == to.month() {
            return format!("{}年{}月", from.year(), from.month());
        }
        if from.month() == 1 && to.month() == 12 {
            return format!("{}年", from.year());
        }
        if (from.month() - 1) % 3 == 0 && to.month() == from.month() + 2 {
            let q = ["一", "二", "三", "四"][((from.month() - 1) / 3) as usize];
            return format!("{}年第{}季度", from.year(), q);
        }
    }
    format!("{from}至{to}")
}

/// The calendar quarter after the one `today` is in: its first and last day.
pub fn next_quarter(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let q = (today.month0() / 3 + 1) % 4;
    let year = today.year() + (today.month0() / 3 == 3) as i32;
    let start = NaiveDate::from_ymd_opt(year, q * 3 + 1, 1).expect("a quarter's first day exists");
    let next = if q == 3 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, q * 3 + 4, 1)
    }
    .expect("a quarter's first day exists");
    (start, next - chrono::Duration::days(1))
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_next_quarter_follows_the_one_today_is_in() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            next_quarter(d("2026-11-20")),
            (d("2027-01-01"), d("2027-03-31"))
        );
        assert_eq!(
            next_quarter(d("2026-02-10")),
            (d("2026-04-01"), d("2026-06-30"))
        );
        assert_eq!(
            next_quarter(d("2026-08-01")),
            (d("2026-10-01"), d("2026-12-31"))
        );
        assert_eq!(
            next_quarter(d("2026-06-30")),
            (d("2026-07-01"), d("2026-09-30"))
        );
        let (from, to) = next_quarter(d("2026-12-31"));
        assert_eq!(period_label(from, to), "2027年第一季度");
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_domain_example_spring_festival_2026() {
        // A 求助 received Thursday 2026-02-12 is due 2026-02-24: Friday 13th, the make-up
        // Saturday 14th, then the holiday 15th–23rd, then Tuesday 24th.
        let cal = Calendar::bundled();
        assert_eq!(cal.add_working_days(d("2026-02-12"), 3), d("2026-02-24"));
        assert!(cal.is_working_day(d("2026-02-14")), "调休 Saturday");
        assert!(!cal.is_working_day(d("2026-02-16")), "春节");
    }

    #[test]
    fn national_day_2025_with_its_make_up_days() {
        // 2025: 10-01…10-08 off, Sunday 09-28 and Saturday 10-11 are workdays.
        let cal = Calendar::bundled();
        assert!(cal.is_working_day(d("2025-09-28")));
        assert!(cal.is_working_day(d("2025-10-11")));
        for day in 1..=8 {
            assert!(
                !cal.is_working_day(NaiveDate::from_ymd_opt(2025, 10, day).unwrap()),
                "10-{day}"
            );
        }
        // Received Tuesday 09-30: 10-09 (1), 10-10 (2), 10-11 Sat (3), 10-13…17 (4–8),
        // 10-20…24 (9–13).
        assert_eq!(cal.add_working_days(d("2025-09-30"), 1), d("2025-10-09"));
        assert_eq!(cal.add_working_days(d("2025-09-30"), 3), d("2025-10-11"));
        assert_eq!(cal.add_working_days(d("2025-09-30"), 13), d("2025-10-24"));
        assert_eq!(
            cal.same_or_next_working_day(d("2025-10-03")),
            d("2025-10-09")
        );
    }

    #[test]
    fn a_year_without_a_table_keeps_its_statutory_holidays_and_says_the_tiaoxiu_is_unknown() {
        let cal = Calendar::bundled();
        assert!(cal.has_table(2026));
        assert!(
            !cal.has_table(2027),
            "2027's notice is not out: the bundled file is empty"
        );
        let w = cal.warning_for(d("2027-03-01")).unwrap();
        assert!(
            w.contains("2027 年的节假日安排")
                && w.contains("调休")
                && w.contains("已按《全国年节及纪念日放假办法》计入"),
            "{w}"
        );
        assert!(cal.warning_for(d("2026-03-01")).is_none());
        assert!(!cal.is_working_day(d("2027-01-02")), "Saturday");
        // 2027: 元旦 Friday 01-01; 春节 除夕 02-05 to 正月初三 02-08; 清明 04-05; 劳动节;
        // 端午 06-09; 中秋 09-15; 国庆 10-01..03.
        for (day, name) in [
            ("2027-01-01", "元旦"),
            ("2027-02-05", "春节"),
            ("2027-02-06", "春节"),
            ("2027-02-08", "春节"),
            ("2027-04-05", "清明节"),
            ("2027-05-03", ""),
            ("2027-06-09", "端午节"),
            ("2027-09-15", "中秋节"),
            ("2027-10-01", "国庆节"),
        ] {
            if name.is_empty() {
                assert!(cal.is_working_day(d(day)), "{day}");
            } else {
                assert!(!cal.is_working_day(d(day)), "{day}");
                assert_eq!(cal.day_name(d(day)), Some(name), "{day}");
            }
        }
        assert!(
            cal.is_working_day(d("2027-02-09")),
            "正月初四: 调休 unknown"
        );
        assert_eq!(statutory(2027).len(), 13);
        assert!(cal
            .special_days(2027)
            .iter()
            .all(|s| s.source == "statutory"));
    }

    #[test]
    fn computed_statutory_holidays_agree_with_every_official_table() {
        // In years with the State Council's notice under the 2024 revision (in force from
        // 2025), every statutory day is off in it.
        let cal = Calendar::bundled();
        for year in [2025, 2026] {
            let days = statutory(year);
            assert_eq!(days.len(), 13, "{year}");
            for (date, name) in days {
                assert!(
                    !cal.is_working_day(*date),
                    "{date} {name} is off in {year}'s notice"
                );
                let official = cal.day_name(*date).unwrap_or_default();
                let same = official.contains(&name[..name.len() - 3])
                    || official.contains(name)
                    || (*name == "中秋节" && official.contains("国庆"))
                    || (*name == "国庆节" && official.contains("中秋"));
                assert!(same, "{date}: computed {name}, notice says {official}");
            }
        }
    }

    #[test]
    fn working_days_between_counts_both_ways() {
        let cal = Calendar::bundled();
        assert_eq!(
            cal.working_days_between(d("2026-02-12"), d("2026-02-24")),
            3
        );
        assert_eq!(
            cal.working_days_between(d("2026-02-24"), d("2026-02-12")),
            -3
        );
        assert_eq!(
            cal.working_days_between(d("2026-02-12"), d("2026-02-12")),
            0
        );
    }

    #[test]
    fn corrections_override_the_table_and_can_be_undone() {
        let store = Store::open_in_memory().unwrap();
        set_day(&store, d("2027-01-01"), true, "元旦").unwrap();
        set_day(&store, d("2027-02-06"), false, "调休上班").unwrap();
        set_year_complete(&store, 2027, true).unwrap();
        let cal = load(&store).unwrap();
        assert!(!cal.is_working_day(d("2027-01-01")));
        assert!(cal.is_working_day(d("2027-02-06")));
        assert!(cal.warning_for(d("2027-05-01")).is_none());
        let year = calendar_year(&store, 2027).unwrap();
        assert_eq!(year.days.len(), 2);
        assert!(year.days.iter().all(|s| s.source == "user"));
        reset_day(&store, d("2027-01-01")).unwrap();
        assert!(load(&store).unwrap().is_working_day(d("2027-01-01")));
        assert_eq!(
            set_day(&store, d("1999-01-01"), true, "")
                .unwrap_err()
                .field(),
            Some("year")
        );
    }
}
