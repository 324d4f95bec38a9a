-- 0001: the register — township, villages, 村民小组, the tag dictionary with the 三个必到
-- rules, households and cadres.

CREATE TABLE township (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT NOT NULL DEFAULT '',            -- 乡镇名称
    district        TEXT NOT NULL DEFAULT '',            -- 所属区县
    campaign_name   TEXT NOT NULL DEFAULT '三解三促',     -- 活动名称
    reporting_unit  TEXT NOT NULL DEFAULT '',            -- 填报单位
    contact_person  TEXT NOT NULL DEFAULT '',            -- 联系人
    contact_phone   TEXT NOT NULL DEFAULT '',            -- 联系电话
    setup_done      INTEGER NOT NULL DEFAULT 0,          -- first start answered (demo or blank)
    updated_at      TEXT
);
INSERT INTO township (id) VALUES (1);

CREATE TABLE villages (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL DEFAULT '村' CHECK (kind IN ('村', '社区')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX villages_by_order ON villages (sort_order, id);

CREATE TABLE village_groups (
    id          INTEGER PRIMARY KEY,
    village_id  INTEGER NOT NULL REFERENCES villages (id),
    name        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    UNIQUE (village_id, name),
    UNIQUE (id, village_id)           -- target of households' (group_id, village_id) key
);
CREATE INDEX village_groups_by_order ON village_groups (village_id, sort_order, id);

-- 三个必到: a rule makes households with any of its tags 重点户, visited every N days.
CREATE TABLE key_rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    every_days  INTEGER NOT NULL DEFAULT 30 CHECK (every_days BETWEEN 1 AND 366),
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    key_rule_id  INTEGER REFERENCES key_rules (id) ON DELETE SET NULL,
    sort_order   INTEGER NOT NULL DEFAULT 0
);

INSERT INTO key_rules (id, name, every_days, sort_order) VALUES
    (1, '困难群众必到', 30, 1),
    (2, '矛盾纠纷与信访户必到', 30, 2),
    (3, '遭遇重大变故户必到', 30, 3);

INSERT INTO tags (name, key_rule_id, sort_order) VALUES
    ('低保户', 1, 1),
    ('特困供养', 1, 2),
    ('防返贫监测户', 1, 3),
    ('脱贫户', NULL, 4),
    ('残疾人家庭', 1, 5),
    ('留守老人', NULL, 6),
    ('留守儿童', NULL, 7),
    ('独居老人', NULL, 8),
    ('军烈属', NULL, 9),
    ('老党员老干部', NULL, 10),
    ('信访户', 2, 11),
    ('矛盾纠纷户', 2, 12),
    ('重大变故户', 3, 13);

CREATE TABLE households (
    id             INTEGER PRIMARY KEY,
    village_id     INTEGER NOT NULL REFERENCES villages (id),
    group_id       INTEGER NOT NULL,
    head_name      TEXT NOT NULL,                 -- 户主姓名
    name_initials  TEXT NOT NULL,                 -- 张三 → zs, for search
    name_pinyin    TEXT NOT NULL,                 -- 张三 → zhangsan, for sorting
    id_number      TEXT NOT NULL UNIQUE,          -- 公民身份号码, normalised, check digit valid
    id_tail        TEXT NOT NULL,                 -- last 4 characters, for search
    phone          TEXT NOT NULL DEFAULT '',
    phone_tail     TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',      -- 地址/门牌
    size           INTEGER CHECK (size IS NULL OR size BETWEEN 1 AND 99),  -- 家庭人口
    status         TEXT NOT NULL DEFAULT '在册' CHECK (status IN ('在册', '迁出', '注销')),
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    FOREIGN KEY (group_id, village_id) REFERENCES village_groups (id, village_id)
);
-- The household list (see register::households::query_households):
-- roster order walks villages and groups in order and reads each group from by_group;
-- a pinyin search is a MULTI-INDEX OR of an initials range and a full-pinyin range, within a
-- village (by_village_*) or across the township (by_initials, by_pinyin — also the name sort).
CREATE INDEX households_by_group ON households (group_id, name_pinyin);
CREATE INDEX households_by_village_initials ON households (village_id, name_initials);
CREATE INDEX households_by_village_pinyin ON households (village_id, name_pinyin);
CREATE INDEX households_by_initials ON households (name_initials);
CREATE INDEX households_by_pinyin ON households (name_pinyin);
CREATE INDEX households_by_id_tail ON households (id_tail);
CREATE INDEX households_by_phone_tail ON households (phone_tail);

CREATE TABLE household_tags (
    household_id  INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    tag_id        INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (household_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX household_tags_by_tag ON household_tags (tag_id, household_id);

CREATE TABLE cadres (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL,
    name_initials         TEXT NOT NULL,
    name_pinyin           TEXT NOT NULL,
    unit                  TEXT NOT NULL,                 -- 单位（派出单位）
    title                 TEXT NOT NULL DEFAULT '',      -- 职务
    phone                 TEXT NOT NULL DEFAULT '',
    level                 TEXT NOT NULL DEFAULT '一般干部'
                          CHECK (level IN ('区领导', '部门负责人', '一般干部', '乡镇干部', '村干部')),
    visit_days_per_month  INTEGER NOT NULL DEFAULT 4 CHECK (visit_days_per_month BETWEEN 0 AND 31),
    active                INTEGER NOT NULL DEFAULT 1,
    note                  TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX cadres_by_pinyin ON cadres (name_pinyin);

-- 挂钩村
CREATE TABLE cadre_villages (
    cadre_id    INTEGER NOT NULL REFERENCES cadres (id) ON DELETE CASCADE,
    village_id  INTEGER NOT NULL REFERENCES villages (id),
    PRIMARY KEY (cadre_id, village_id)
) WITHOUT ROWID;
CREATE INDEX cadre_villages_by_village ON cadre_villages (village_id);

-- 结对户: a household has at most one paired cadre.
CREATE TABLE cadre_households (
    cadre_id      INTEGER NOT NULL REFERENCES cadres (id) ON DELETE CASCADE,
    household_id  INTEGER NOT NULL UNIQUE REFERENCES households (id) ON DELETE CASCADE,
    PRIMARY KEY (cadre_id, household_id)
) WITHOUT ROWID;

CREATE TABLE app_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
