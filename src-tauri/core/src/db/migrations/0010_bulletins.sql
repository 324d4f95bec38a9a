-- 0010: 情况通报 — the coordinator's own wording of a period's drafted 通报. A paragraph the
-- coordinator has not touched is drafted from the data each time; one they edited is kept here,
-- by the period and the paragraph's key, and no longer follows the figures.

CREATE TABLE bulletin_edits (
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    part        TEXT NOT NULL,      -- the paragraph's key: title, visits, requests, …
    text        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (period_from, period_to, part)
) WITHOUT ROWID;
