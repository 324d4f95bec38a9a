-- 0004: 实事项目 — a unit's project for a village (办实事竞赛, 部门职能十下乡, 牵手奔小康), tracked
-- like requests: status, result and an append-only history.

CREATE TABLE projects (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('办实事竞赛', '部门职能十下乡', '牵手奔小康')),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    village_id    INTEGER NOT NULL REFERENCES villages (id),
    title         TEXT NOT NULL,
    content       TEXT NOT NULL DEFAULT '',
    funds         REAL CHECK (funds IS NULL OR funds >= 0),     -- 万元
    status        TEXT NOT NULL DEFAULT '计划'
                  CHECK (status IN ('计划', '实施中', '已完成', '已终止')),
    planned_end   TEXT,
    result        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (status NOT IN ('已完成', '已终止') OR result <> '')
);
CREATE INDEX projects_by_unit ON projects (unit_id, status);
CREATE INDEX projects_by_village ON projects (village_id, status);

CREATE TABLE project_history (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    action      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_history_by_project ON project_history (project_id, id);

CREATE TRIGGER project_history_no_update BEFORE UPDATE ON project_history
BEGIN
    SELECT RAISE(ABORT, '实事项目的记录只能追加，不能修改');
END;
CREATE TRIGGER project_history_no_delete BEFORE DELETE ON project_history
BEGIN
    SELECT RAISE(ABORT, '实事项目的记录只能追加，不能删除');
END;
