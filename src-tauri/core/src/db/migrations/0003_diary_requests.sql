-- 0003: the visit diary (民情日记), the responsible units and the request ledger with its
-- append-only history.

-- 责任单位
CREATE TABLE units (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    contact_person  TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    sort_order      INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL
);

-- 诉求类别 (configurable)
CREATE TABLE request_categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    sort_order  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO request_categories (name, sort_order) VALUES
    ('基础设施', 1), ('农业生产', 2), ('社会保障', 3), ('医疗卫生', 4), ('教育', 5),
    ('就业增收', 6), ('矛盾纠纷', 7), ('环境卫生', 8), ('政策咨询', 9), ('其他', 10);

-- 走访记录
CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES households (id),
    visit_date    TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('见到户主', '见到家人', '不在家', '拒访', '已迁出', '户已注销')),
    learned       TEXT NOT NULL DEFAULT '',        -- 了解到的情况
    evaluation    TEXT CHECK (evaluation IN ('满意', '基本满意', '不满意')),
    operator      TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX visits_by_household ON visits (household_id, visit_date);
CREATE INDEX visits_by_date ON visits (visit_date);

CREATE TABLE visit_cadres (
    visit_id  INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    cadre_id  INTEGER NOT NULL REFERENCES cadres (id),
    PRIMARY KEY (visit_id, cadre_id)
) WITHOUT ROWID;
CREATE INDEX visit_cadres_by_cadre ON visit_cadres (cadre_id, visit_id);

-- 民情诉求
CREATE TABLE requests (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,        -- 2026-000123
    year               INTEGER NOT NULL,
    seq                INTEGER NOT NULL,
    source             TEXT NOT NULL CHECK (source IN ('走访', '来访', '来电', '12345转办', '网格员上报', '其他')),
    household_id       INTEGER REFERENCES households (id),
    requester_name     TEXT NOT NULL,
    requester_phone    TEXT NOT NULL DEFAULT '',
    village_id         INTEGER NOT NULL REFERENCES villages (id),
    visit_id           INTEGER REFERENCES visits (id),
    kind               TEXT NOT NULL CHECK (kind IN ('咨询', '求助', '投诉', '举报', '建议')),
    category_id        INTEGER NOT NULL REFERENCES request_categories (id),
    urgency            TEXT NOT NULL CHECK (urgency IN ('紧急', '较急', '一般')),
    handling           TEXT CHECK (handling IN ('解决一批', '规划一批', '解释一批')),
    content            TEXT NOT NULL,
    received_on        TEXT NOT NULL,
    deadline           TEXT NOT NULL,               -- 办结时限 (end of that day)
    status             TEXT NOT NULL DEFAULT '登记'
                       CHECK (status IN ('登记', '交办', '办理中', '已办结', '已回访')),
    unit_id            INTEGER REFERENCES units (id),
    handler            TEXT NOT NULL DEFAULT '',    -- 责任人
    first_response_on  TEXT,                        -- 首次响应
    extended           INTEGER NOT NULL DEFAULT 0,  -- 延期 granted (yellow)
    behind             INTEGER NOT NULL DEFAULT 0,  -- marked behind by the coordinator (yellow)
    result             TEXT NOT NULL DEFAULT '',    -- 办理结果
    reply              TEXT NOT NULL DEFAULT '',    -- 答复群众
    outcome            TEXT CHECK (outcome IN ('已解决', '部分解决', '未解决')),
    closed_on          TEXT,
    satisfaction       TEXT CHECK (satisfaction IN ('满意', '基本满意', '不满意')),
    reviewed_on        TEXT,
    reopened           INTEGER NOT NULL DEFAULT 0,
    -- 1 while the request is open (登记, 交办, 办理中): deadlines and colours apply.
    is_open            INTEGER GENERATED ALWAYS AS (status IN ('登记', '交办', '办理中')) VIRTUAL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (year, seq),
    -- 事事有回音，件件有结果: a closed request always has its result and its reply.
    CHECK (status NOT IN ('已办结', '已回访') OR (result <> '' AND reply <> '' AND closed_on IS NOT NULL))
);
-- The ledger list (requests::query): newest first within a status or among the open ones;
-- overdue and colour filters are deadline ranges among the open ones.
CREATE INDEX requests_by_status ON requests (status, received_on);
CREATE INDEX requests_open_by_received ON requests (is_open, received_on, deadline);
CREATE INDEX requests_open_by_deadline ON requests (is_open, deadline);
CREATE INDEX requests_by_seq ON requests (seq);
CREATE INDEX requests_by_unit ON requests (unit_id, status);
CREATE INDEX requests_by_village ON requests (village_id, received_on);
CREATE INDEX requests_by_received ON requests (received_on);
CREATE INDEX requests_by_household ON requests (household_id);

-- Every change of a request, append-only: the triggers refuse UPDATE and DELETE.
CREATE TABLE request_history (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES requests (id),
    at           TEXT NOT NULL,                 -- when it was recorded
    on_date      TEXT NOT NULL,                 -- the day it happened (may be typed up later)
    operator     TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_history_by_request ON request_history (request_id, id);

CREATE TRIGGER request_history_no_update BEFORE UPDATE ON request_history
BEGIN
    SELECT RAISE(ABORT, '诉求办理记录只能追加，不能修改');
END;
CREATE TRIGGER request_history_no_delete BEFORE DELETE ON request_history
BEGIN
    SELECT RAISE(ABORT, '诉求办理记录只能追加，不能删除');
END;
