-- The import log takes the township's own 民情诉求台账 (and, later, a diary kept in Excel)
-- besides rosters: its CHECK on kind is widened by rebuilding the table (SQLite cannot alter
-- a CHECK). The rows and their ids are kept.
CREATE TABLE import_history_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('households', 'cadres', 'requests', 'diary')),
    file_name TEXT NOT NULL,
    sheet TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('add', 'upsert')),
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    imported INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    problem_rows INTEGER NOT NULL,
    new_villages INTEGER NOT NULL,
    new_groups INTEGER NOT NULL
);
INSERT INTO import_history_new SELECT * FROM import_history;
DROP TABLE import_history;
ALTER TABLE import_history_new RENAME TO import_history;
