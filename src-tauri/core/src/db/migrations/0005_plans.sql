-- 0005: 走访排班 — cadres' visit days and leave, cycles with their rules, computed plan versions
-- and their visits (the due list the diary closes).

-- A weekday pattern ('1,3,5', Monday = 1); empty means "N days a month" (visit_days_per_month).
ALTER TABLE cadres ADD COLUMN visit_weekdays TEXT NOT NULL DEFAULT '';

CREATE TABLE cadre_leave (
    cadre_id  INTEGER NOT NULL REFERENCES cadres (id) ON DELETE CASCADE,
    date      TEXT NOT NULL,
    PRIMARY KEY (cadre_id, date)
) WITHOUT ROWID;

-- 轮次: a named period with the rules of DOMAIN.md as its settings.
CREATE TABLE plan_cycles (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    start_date         TEXT NOT NULL,
    end_date           TEXT NOT NULL,
    min_gap_days       INTEGER NOT NULL DEFAULT 14 CHECK (min_gap_days BETWEEN 1 AND 90),
    max_per_month      INTEGER NOT NULL DEFAULT 2 CHECK (max_per_month BETWEEN 1 AND 31),
    per_cadre_day      INTEGER NOT NULL DEFAULT 8 CHECK (per_cadre_day BETWEEN 1 AND 50),
    prefer_pairing     INTEGER NOT NULL DEFAULT 1,
    prefer_continuity  INTEGER NOT NULL DEFAULT 1,
    locality           INTEGER NOT NULL DEFAULT 1,
    seed               INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (end_date >= start_date)
);

CREATE TABLE plan_cycle_villages (
    cycle_id    INTEGER NOT NULL REFERENCES plan_cycles (id) ON DELETE CASCADE,
    village_id  INTEGER NOT NULL REFERENCES villages (id),
    PRIMARY KEY (cycle_id, village_id)
) WITHOUT ROWID;

-- Every computation is a version; the newest is the plan in force. Older ones stay for comparison.
CREATE TABLE plan_versions (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES plan_cycles (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    summary     TEXT NOT NULL,          -- JSON: score, loads, coverage, shortfalls
    UNIQUE (cycle_id, number)
);

CREATE TABLE plan_visits (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES plan_versions (id) ON DELETE CASCADE,
    household_id  INTEGER NOT NULL REFERENCES households (id),
    cadre_id      INTEGER NOT NULL REFERENCES cadres (id),
    visit_date    TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('必到', '结对', '覆盖')),
    locked        INTEGER NOT NULL DEFAULT 0,
    visit_id      INTEGER REFERENCES visits (id),      -- done: the diary entry that closed it
    attempts      INTEGER NOT NULL DEFAULT 0,          -- 不在家 and other misses: still due
    last_attempt  TEXT
);
CREATE INDEX plan_visits_by_version ON plan_visits (version_id, cadre_id, visit_date);
CREATE INDEX plan_visits_by_household ON plan_visits (household_id, visit_date);
CREATE INDEX plan_visits_open_by_date ON plan_visits (visit_date) WHERE visit_id IS NULL;
