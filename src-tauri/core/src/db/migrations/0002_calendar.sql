-- 0002: the coordinator's corrections to the working-day calendar. The official tables ship
-- with the app (assets/holidays); these rows override them day by day.

-- A day that is off (holiday) or on (调休 make-up workday) against the weekday rule.
CREATE TABLE calendar_days (
    date        TEXT PRIMARY KEY,              -- YYYY-MM-DD
    is_off_day  INTEGER NOT NULL CHECK (is_off_day IN (0, 1)),
    name        TEXT NOT NULL DEFAULT '',      -- 春节, 国庆节, 调休上班 …
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- A year whose notice the coordinator entered by hand: no weekends-only warning for it.
CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    note        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
