-- 0009: 先进典型 — a visit, a request or a 实事项目 marked as a case worth telling, with a short
-- story and the selection it is put forward for (一创四争, 双十双百, or the township's own).
-- One mark per item; the mark goes when its item is deleted.

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    visit_id    INTEGER UNIQUE REFERENCES visits (id) ON DELETE CASCADE,
    request_id  INTEGER UNIQUE REFERENCES requests (id) ON DELETE CASCADE,
    project_id  INTEGER UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
    category    TEXT NOT NULL,
    story       TEXT NOT NULL,
    quote       TEXT NOT NULL DEFAULT '',     -- 群众的话
    marked_on   TEXT NOT NULL,                -- the item's own day: visit, receipt, registration
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK ((visit_id IS NOT NULL) + (request_id IS NOT NULL) + (project_id IS NOT NULL) = 1),
    CHECK (story <> '' AND category <> '')
);
CREATE INDEX cases_by_day ON cases (marked_on);
