-- 操作记录 (audit trail): who changed what, when, from what to what — for households, cadres,
-- requests and plans. Written by triggers in the same transaction as the change (so a rolled
-- back change leaves no record) and by `audit::` for relation sets (tags, 挂钩村, 结对) and
-- summaries (an import, the demo). Append only.
--
-- The triggers call two functions the store registers on its write connection:
--   mq_operator()     the operator chosen at start (NULL until one is chosen: '联络员');
--   mq_audit_level()  2 = record everything, 1 = changes only (a bulk import records one
--                     summary line instead of a line per new household), 0 = nothing (the demo).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,                   -- local time, YYYY-MM-DD HH:MM:SS
    operator   TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('农户', '干部', '诉求', '排班')),
    entity_id  INTEGER,
    label      TEXT NOT NULL,                   -- 张三（黄河村）, 2026-000123, the cycle's name
    action     TEXT NOT NULL,                   -- 新增, 修改, 删除, 登记, 计算, 调整, 导入 …
    field      TEXT NOT NULL DEFAULT '',        -- 联系电话 ('' for a whole-record line)
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_by_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作记录只能追加，不能修改');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '操作记录只能追加，不能删除');
END;

-- 农户 -------------------------------------------------------------------------------------
CREATE TRIGGER audit_households_insert AFTER INSERT ON households WHEN mq_audit_level() >= 2
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action)
    VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
            '农户', new.id,
            new.head_name || '（' || ifnull((SELECT name FROM villages WHERE id = new.village_id), '') || '）',
            '新增');
END;

CREATE TRIGGER audit_households_update AFTER UPDATE ON households WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value, new_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '农户', new.id,
           new.head_name || '（' || ifnull((SELECT name FROM villages WHERE id = new.village_id), '') || '）',
           '修改', f, o, n
    FROM (SELECT 1 AS k, '户主姓名' AS f, old.head_name AS o, new.head_name AS n
          UNION ALL SELECT 2, '公民身份号码', old.id_number, new.id_number
          UNION ALL SELECT 3, '联系电话', old.phone, new.phone
          UNION ALL SELECT 4, '村（社区）', (SELECT name FROM villages WHERE id = old.village_id),
                                          (SELECT name FROM villages WHERE id = new.village_id)
          UNION ALL SELECT 5, '村民小组', (SELECT name FROM village_groups WHERE id = old.group_id),
                                        (SELECT name FROM village_groups WHERE id = new.group_id)
          UNION ALL SELECT 6, '地址', old.address, new.address
          UNION ALL SELECT 7, '家庭人口', old.size, new.size
          UNION ALL SELECT 8, '状态', old.status, new.status
          UNION ALL SELECT 9, '备注', old.note, new.note)
    WHERE o IS NOT n
    ORDER BY k;
END;

-- A deleted household is written out field by field: the record can be read back from here.
CREATE TRIGGER audit_households_delete AFTER DELETE ON households WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '农户', old.id,
           old.head_name || '（' || ifnull((SELECT name FROM villages WHERE id = old.village_id), '') || '）',
           '删除', f, o
    FROM (SELECT 1 AS k, '户主姓名' AS f, old.head_name AS o
          UNION ALL SELECT 2, '公民身份号码', old.id_number
          UNION ALL SELECT 3, '联系电话', old.phone
          UNION ALL SELECT 4, '村（社区）', (SELECT name FROM villages WHERE id = old.village_id)
          UNION ALL SELECT 5, '村民小组', (SELECT name FROM village_groups WHERE id = old.group_id)
          UNION ALL SELECT 6, '地址', old.address
          UNION ALL SELECT 7, '家庭人口', old.size
          UNION ALL SELECT 8, '备注', old.note)
    WHERE o IS NOT NULL AND o <> ''
    ORDER BY k;
END;

-- 干部 -------------------------------------------------------------------------------------
CREATE TRIGGER audit_cadres_insert AFTER INSERT ON cadres WHEN mq_audit_level() >= 2
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, new_value)
    VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
            '干部', new.id, new.name, '新增', new.unit);
END;

CREATE TRIGGER audit_cadres_update AFTER UPDATE ON cadres WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value, new_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '干部', new.id, new.name, '修改', f, o, n
    FROM (SELECT 1 AS k, '姓名' AS f, old.name AS o, new.name AS n
          UNION ALL SELECT 2, '单位', old.unit, new.unit
          UNION ALL SELECT 3, '职务', old.title, new.title
          UNION ALL SELECT 4, '联系电话', old.phone, new.phone
          UNION ALL SELECT 5, '级别', old.level, new.level
          UNION ALL SELECT 6, '每月走访天数', old.visit_days_per_month, new.visit_days_per_month
          UNION ALL SELECT 6, '可走访星期', old.visit_weekdays, new.visit_weekdays
          UNION ALL SELECT 7, '在岗', CASE old.active WHEN 1 THEN '是' ELSE '否' END,
                                    CASE new.active WHEN 1 THEN '是' ELSE '否' END
          UNION ALL SELECT 8, '备注', old.note, new.note)
    WHERE o IS NOT n
    ORDER BY k;
END;

CREATE TRIGGER audit_cadres_delete AFTER DELETE ON cadres WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '干部', old.id, old.name, '删除', f, o
    FROM (SELECT 1 AS k, '姓名' AS f, old.name AS o
          UNION ALL SELECT 2, '单位', old.unit
          UNION ALL SELECT 3, '职务', old.title
          UNION ALL SELECT 4, '联系电话', old.phone
          UNION ALL SELECT 5, '级别', old.level)
    WHERE o IS NOT NULL AND o <> ''
    ORDER BY k;
END;

-- 诉求 -------------------------------------------------------------------------------------
CREATE TRIGGER audit_requests_insert AFTER INSERT ON requests WHEN mq_audit_level() >= 2
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, new_value)
    VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
            '诉求', new.id, new.number, '登记', new.requester_name || '：' || substr(new.content, 1, 60));
END;

CREATE TRIGGER audit_requests_update AFTER UPDATE ON requests WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value, new_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '诉求', new.id, new.number, '修改', f, o, n
    FROM (SELECT 1 AS k, '诉求人' AS f, old.requester_name AS o, new.requester_name AS n
          UNION ALL SELECT 2, '联系电话', old.requester_phone, new.requester_phone
          UNION ALL SELECT 3, '村（社区）', (SELECT name FROM villages WHERE id = old.village_id),
                                          (SELECT name FROM villages WHERE id = new.village_id)
          UNION ALL SELECT 4, '诉求类型', old.kind, new.kind
          UNION ALL SELECT 5, '类别', (SELECT name FROM request_categories WHERE id = old.category_id),
                                    (SELECT name FROM request_categories WHERE id = new.category_id)
          UNION ALL SELECT 6, '紧急程度', old.urgency, new.urgency
          UNION ALL SELECT 7, '诉求内容', old.content, new.content
          UNION ALL SELECT 8, '受理日期', old.received_on, new.received_on
          UNION ALL SELECT 9, '办结时限', old.deadline, new.deadline
          UNION ALL SELECT 10, '状态', old.status, new.status
          UNION ALL SELECT 11, '责任单位', (SELECT name FROM units WHERE id = old.unit_id),
                                         (SELECT name FROM units WHERE id = new.unit_id)
          UNION ALL SELECT 12, '责任人', old.handler, new.handler
          UNION ALL SELECT 13, '分类处理', old.handling, new.handling
          UNION ALL SELECT 14, '延期', CASE old.extended WHEN 1 THEN '是' ELSE '否' END,
                                    CASE new.extended WHEN 1 THEN '是' ELSE '否' END
          UNION ALL SELECT 15, '进度滞后', CASE old.behind WHEN 1 THEN '是' ELSE '否' END,
                                        CASE new.behind WHEN 1 THEN '是' ELSE '否' END
          UNION ALL SELECT 16, '办理结果', old.result, new.result
          UNION ALL SELECT 17, '答复群众', old.reply, new.reply
          UNION ALL SELECT 18, '解决情况', old.outcome, new.outcome
          UNION ALL SELECT 19, '办结日期', old.closed_on, new.closed_on
          UNION ALL SELECT 20, '满意度', old.satisfaction, new.satisfaction)
    WHERE o IS NOT n
    ORDER BY k;
END;

-- 排班 -------------------------------------------------------------------------------------
CREATE TRIGGER audit_plan_cycles_insert AFTER INSERT ON plan_cycles WHEN mq_audit_level() >= 2
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, new_value)
    VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
            '排班', new.id, new.name, '新增', new.start_date || ' 至 ' || new.end_date);
END;

CREATE TRIGGER audit_plan_cycles_update AFTER UPDATE ON plan_cycles WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value, new_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '排班', new.id, new.name, '修改', f, o, n
    FROM (SELECT 1 AS k, '名称' AS f, old.name AS o, new.name AS n
          UNION ALL SELECT 2, '开始日期', old.start_date, new.start_date
          UNION ALL SELECT 3, '结束日期', old.end_date, new.end_date
          UNION ALL SELECT 4, '同户最短间隔（天）', old.min_gap_days, new.min_gap_days
          UNION ALL SELECT 5, '同户每月最多次数', old.max_per_month, new.max_per_month
          UNION ALL SELECT 6, '每人每天最多户数', old.per_cadre_day, new.per_cadre_day
          UNION ALL SELECT 7, '结对优先', old.prefer_pairing, new.prefer_pairing
          UNION ALL SELECT 8, '连续走访', old.prefer_continuity, new.prefer_continuity
          UNION ALL SELECT 9, '就近安排', old.locality, new.locality
          UNION ALL SELECT 10, '随机种子', old.seed, new.seed)
    WHERE o IS NOT n
    ORDER BY k;
END;

CREATE TRIGGER audit_plan_cycles_delete AFTER DELETE ON plan_cycles WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, old_value)
    VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
            '排班', old.id, old.name, '删除', old.start_date || ' 至 ' || old.end_date);
END;

CREATE TRIGGER audit_plan_versions_insert AFTER INSERT ON plan_versions WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, new_value)
    VALUES (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
            '排班', new.cycle_id, ifnull((SELECT name FROM plan_cycles WHERE id = new.cycle_id), ''),
            '计算', '第 ' || new.number || ' 版');
END;

-- A visit moved to another cadre or day, locked or unlocked by hand. (Linking a diary entry
-- changes visit_id and attempts only: that is the diary, not an adjustment.)
CREATE TRIGGER audit_plan_visits_update AFTER UPDATE OF cadre_id, visit_date, locked ON plan_visits
WHEN mq_audit_level() >= 1
BEGIN
    INSERT INTO audit_log (at, operator, entity, entity_id, label, action, field, old_value, new_value)
    SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), ifnull(mq_operator(), '联络员'),
           '排班', (SELECT cycle_id FROM plan_versions WHERE id = new.version_id),
           ifnull((SELECT c.name || ' 第 ' || v.number || ' 版' FROM plan_versions v
                   JOIN plan_cycles c ON c.id = v.cycle_id WHERE v.id = new.version_id), '')
             || ' · ' || ifnull((SELECT head_name FROM households WHERE id = new.household_id), ''),
           '调整', f, o, n
    FROM (SELECT 1 AS k, '走访干部' AS f, (SELECT name FROM cadres WHERE id = old.cadre_id) AS o,
                                          (SELECT name FROM cadres WHERE id = new.cadre_id) AS n
          UNION ALL SELECT 2, '走访日期', old.visit_date, new.visit_date
          UNION ALL SELECT 3, '锁定', CASE old.locked WHEN 1 THEN '是' ELSE '否' END,
                                    CASE new.locked WHEN 1 THEN '是' ELSE '否' END)
    WHERE o IS NOT n
    ORDER BY k;
END;
