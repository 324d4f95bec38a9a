-- 花名册导入: the import log and the column mappings remembered by header signature.
CREATE TABLE import_history (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('households', 'cadres')),
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

CREATE TABLE import_mappings (
    signature TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
