// The UI and the Rust commands cannot drift apart silently: every api wrapper calls a command
// the shell registers, with camelCase arguments, and every registered command has a wrapper.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: class {
    onmessage: ((m: unknown) => void) | null = null
  },
}))

import * as app from '@/api/app'
import * as settings from '@/api/settings'
import * as villages from '@/api/villages'
import * as households from '@/api/households'
import * as cadres from '@/api/cadres'
import * as stats from '@/api/stats'
import * as diary from '@/api/diary'
import * as requests from '@/api/requests'
import * as projects from '@/api/projects'
import * as plan from '@/api/plan'
import * as roster from '@/api/roster'
import * as reports from '@/api/reports'
import * as audit from '@/api/audit'
import { AppError } from '@/api/invoke'

// Vitest runs from ui/.
const namesRs = readFileSync(resolve(process.cwd(), '../src-tauri/src/commands/names.rs'), 'utf8')
const registered = [...namesRs.matchAll(/"([a-z_]+)"/g)].map((m) => m[1])

const cycle = { name: '2026年第二季度', start: '2026-04-01', end: '2026-06-30', villageIds: [], minGapDays: 14, maxPerMonth: 2, perCadreDay: 8, preferPairing: true, preferContinuity: true, locality: true, seed: 1 }

const calls: [string, () => Promise<unknown>, Record<string, unknown> | undefined][] = [
  ['app_status', () => app.appStatus(), undefined],
  ['open_data_dir', () => app.openDataDir(), undefined],
  ['open_log_dir', () => app.openLogDir(), undefined],
  ['open_guide', () => app.openGuide(), undefined],
  ['take_notices', () => app.takeNotices(), undefined],
  ['recovery_backups', () => app.recoveryBackups(), undefined],
  ['recover_database', () => app.recoverDatabase(), undefined],
  ['start_blank', () => app.startBlank(), undefined],
  ['load_demo', () => app.loadDemo(() => {}), undefined],
  ['get_township', () => settings.getTownship(), undefined],
  ['pick_import_file', () => roster.pickImportFile(), undefined],
  ['inspect_import', () => roster.inspectImport('/a.xlsx', 'households', null, 4, () => {}), { path: '/a.xlsx', kind: 'households', sheet: null, headerRow: 4, onProgress: expect.anything() }],
  ['run_import', () => roster.runImport('/a.xlsx', { kind: 'requests', sheet: null, headerRow: null, mapping: [{ column: 1, field: 'receivedOn' }], mode: 'upsert', dryRun: true, skipBad: false, createMissing: true, village: '黄河村', incompleteAsOpen: true }, () => {}), { path: '/a.xlsx', options: expect.objectContaining({ kind: 'requests', mapping: [{ column: 1, field: 'receivedOn' }], dryRun: true, skipBad: false, createMissing: true, headerRow: null, village: '黄河村', incompleteAsOpen: true }), onProgress: expect.anything() }],
  ['cancel_import', () => roster.cancelImport(), undefined],
  ['save_import_problems', () => roster.saveImportProblems(), undefined],
  ['save_import_template', () => roster.saveImportTemplate('cadres'), { kind: 'cadres' }],
  ['list_imports', () => roster.listImports(), undefined],
  ['list_backups', () => settings.listBackups(), undefined],
  ['backup_now', () => settings.backupNow(), undefined],
  ['backup_to_folder', () => settings.backupToFolder(), undefined],
  ['export_all_data', () => settings.exportAllData(), undefined],
  ['restore_backup', () => settings.restoreBackup('/d/backups/minqing-daily-20261129-080000.db'), { path: '/d/backups/minqing-daily-20261129-080000.db' }],
  ['import_all_data', () => settings.importAllData(), undefined],
  ['save_township', () => settings.saveTownship({ name: '龙河镇', district: '', campaignName: '三解三促', reportingUnit: '', contactPerson: '', contactPhone: '' }), { township: expect.objectContaining({ campaignName: '三解三促' }) }],
  ['list_tags', () => settings.listTags(), undefined],
  ['add_tag', () => settings.addTag({ name: 'x', keyRuleId: null }), { input: { name: 'x', keyRuleId: null } }],
  ['update_tag', () => settings.updateTag(3, { name: 'x', keyRuleId: 1 }), { id: 3, input: { name: 'x', keyRuleId: 1 } }],
  ['delete_tag', () => settings.deleteTag(3, true), { id: 3, force: true }],
  ['list_key_rules', () => settings.listKeyRules(), undefined],
  ['add_key_rule', () => settings.addKeyRule({ name: 'r', everyDays: 30 }), { input: { name: 'r', everyDays: 30 } }],
  ['update_key_rule', () => settings.updateKeyRule(2, { name: 'r', everyDays: 15 }), { id: 2, input: { name: 'r', everyDays: 15 } }],
  ['delete_key_rule', () => settings.deleteKeyRule(2), { id: 2 }],
  ['list_villages', () => villages.listVillages(), undefined],
  ['add_village', () => villages.addVillage({ name: '黄河村' }), { input: { name: '黄河村' } }],
  ['update_village', () => villages.updateVillage(1, { name: '黄河村' }), { id: 1, input: { name: '黄河村' } }],
  ['delete_village', () => villages.deleteVillage(1), { id: 1 }],
  ['reorder_villages', () => villages.reorderVillages([2, 1]), { ids: [2, 1] }],
  ['add_groups', () => villages.addGroups(1, ['一组']), { villageId: 1, names: ['一组'] }],
  ['add_numbered_groups', () => villages.addNumberedGroups(1, 3), { villageId: 1, count: 3 }],
  ['rename_group', () => villages.renameGroup(5, '二组'), { id: 5, name: '二组' }],
  ['delete_group', () => villages.deleteGroup(5), { id: 5 }],
  ['reorder_groups', () => villages.reorderGroups(1, [6, 5]), { villageId: 1, ids: [6, 5] }],
  ['list_households', () => households.listHouseholds(households.householdQuery({ search: 'zs' })), { query: expect.objectContaining({ search: 'zs', pageSize: 50, keyOnly: false, villageIds: [] }) }],
  ['get_household', () => households.getHousehold(9), { id: 9 }],
  ['check_household', () => households.checkHousehold({} as never, null), { input: {}, id: null }],
  ['add_household', () => households.addHousehold({} as never), { input: {} }],
  ['update_household', () => households.updateHousehold(9, {} as never), { id: 9, input: {} }],
  ['delete_household', () => households.deleteHousehold(9), { id: 9 }],
  ['set_household_status', () => households.setHouseholdStatus([1, 2], '迁出'), { ids: [1, 2], status: '迁出' }],
  ['list_cadres', () => cadres.listCadres(cadres.cadreQuery()), { query: expect.objectContaining({ includeInactive: false, page: 1 }) }],
  ['get_cadre', () => cadres.getCadre(4), { id: 4 }],
  ['add_cadre', () => cadres.addCadre({} as never), { input: {} }],
  ['update_cadre', () => cadres.updateCadre(4, {} as never), { id: 4, input: {} }],
  ['delete_cadre', () => cadres.deleteCadre(4), { id: 4 }],
  ['list_cadre_units', () => cadres.listCadreUnits(), undefined],
  ['register_stats', () => stats.registerStats(), undefined],
  ['list_units', () => settings.listUnits(), undefined],
  ['add_unit', () => settings.addUnit({ name: '区水利局', contactPerson: '', contactPhone: '', active: true }), { input: { name: '区水利局', contactPerson: '', contactPhone: '', active: true } }],
  ['update_unit', () => settings.updateUnit(2, { name: 'x', contactPerson: '', contactPhone: '', active: false }), { id: 2, input: { name: 'x', contactPerson: '', contactPhone: '', active: false } }],
  ['delete_unit', () => settings.deleteUnit(2), { id: 2 }],
  ['list_categories', () => settings.listCategories(), undefined],
  ['save_category', () => settings.saveCategory(null, '水利'), { id: null, name: '水利' }],
  ['delete_category', () => settings.deleteCategory(3), { id: 3 }],
  ['get_deadline_rules', () => settings.getDeadlineRules(), undefined],
  ['save_deadline_rules', () => settings.saveDeadlineRules({ consult: 3, help: 3, complaint: 13, report: 13, suggestion: 13 }), { rules: { consult: 3, help: 3, complaint: 13, report: 13, suggestion: 13 } }],
  ['get_rate_settings', () => settings.getRateSettings(), undefined],
  ['save_rate_settings', () => settings.saveRateSettings({ basicWeight: 0.9, responseWindowDays: 1 }), { settings: { basicWeight: 0.9, responseWindowDays: 1 } }],
  ['get_contest_rule', () => settings.getContestRule(), undefined],
  ['save_contest_rule', () => settings.saveContestRule({ donePoints: 10, underwayPoints: 4, onTimePoints: 30, requestsPoints: 30 }), { rule: { donePoints: 10, underwayPoints: 4, onTimePoints: 30, requestsPoints: 30 } }],
  ['calendar_year', () => settings.calendarYear(2027), { year: 2027 }],
  ['set_calendar_day', () => settings.setCalendarDay('2027-01-01', true, '元旦'), { date: '2027-01-01', isOffDay: true, name: '元旦' }],
  ['reset_calendar_day', () => settings.resetCalendarDay('2027-01-01'), { date: '2027-01-01' }],
  ['set_calendar_year_complete', () => settings.setCalendarYearComplete(2027, true), { year: 2027, complete: true }],
  ['record_visit', () => diary.recordVisit({} as never), { input: {} }],
  ['list_visits', () => diary.listVisits(diary.visitQuery({ cadreId: 4 })), { query: { page: 1, pageSize: 50, cadreId: 4 } }],
  ['get_visit', () => diary.getVisit(7), { id: 7 }],
  ['household_timeline', () => diary.householdTimeline(9), { householdId: 9 }],
  ['register_request', () => requests.registerRequest({} as never), { input: {} }],
  ['request_action', () => requests.requestAction(5, { action: 'close', result: '修好了', reply: '已告知', outcome: '已解决' }), { id: 5, action: { action: 'close', result: '修好了', reply: '已告知', outcome: '已解决' } }],
  ['assign_requests', () => requests.assignRequests([1, 2], 3), { ids: [1, 2], unitId: 3 }],
  ['urge_overdue', () => requests.urgeOverdue(3, ''), { unitId: 3, note: '' }],
  ['list_requests', () => requests.listRequests(requests.requestQuery({ colour: 'red' })), { query: expect.objectContaining({ colour: 'red', overdueOnly: false }) }],
  ['get_request', () => requests.getRequest(5), { id: 5 }],
  ['colour_counts', () => requests.colourCounts(), undefined],
  ['export_assign_slips', () => requests.exportAssignSlips([1, 2], 'masked'), { ids: [1, 2], masking: 'masked' }],
  ['open_export', () => app.openExport('/x/交办单.xlsx', true), { path: '/x/交办单.xlsx', folder: true }],
  ['list_projects', () => projects.listProjects(projects.projectQuery()), { query: { page: 1, pageSize: 50 } }],
  ['add_project', () => projects.addProject({} as never), { input: {} }],
  ['update_project', () => projects.updateProject(3, {} as never), { id: 3, input: {} }],
  ['set_project_status', () => projects.setProjectStatus(3, '已完成', '完成了'), { id: 3, status: '已完成', note: '完成了' }],
  ['request_rates', () => requests.requestRates('unit', '2026-01-01', null), { group: 'unit', from: '2026-01-01', to: null }],
  ['new_cycle_input', () => plan.newCycleInput(), undefined],
  ['list_cycles', () => plan.listCycles(), undefined],
  ['get_cycle', () => plan.getCycle(2), { id: 2 }],
  ['create_cycle', () => plan.createCycle(cycle), { input: cycle }],
  ['update_cycle', () => plan.updateCycle(2, {} as never), { id: 2, input: {} }],
  ['delete_cycle', () => plan.deleteCycle(2), { id: 2 }],
  ['compute_plan', () => plan.computePlan(2, true), { cycleId: 2, keep: true }],
  ['check_plan', () => plan.checkPlan(2), { cycleId: 2 }],
  ['plan_board', () => plan.planBoard(2), { cycleId: 2, versionId: null }],
  ['cadre_day_plan', () => plan.cadreDayPlan(5, 7, '2026-04-02'), { versionId: 5, cadreId: 7, date: '2026-04-02' }],
  ['village_plan', () => plan.villagePlan(2, 3), { cycleId: 2, villageId: 3 }],
  ['household_plan', () => plan.householdPlan(9), { householdId: 9 }],
  ['due_visits', () => plan.dueVisits(), { cadreId: null, limit: 50 }],
  ['compare_versions', () => plan.compareVersions(2, 5, 6), { cycleId: 2, from: 5, to: 6 }],
  ['move_visit', () => plan.moveVisit(11, 7, '2026-04-03'), { id: 11, cadreId: 7, date: '2026-04-03' }],
  ['lock_visits', () => plan.lockVisits([11, 12], true), { ids: [11, 12], locked: true }],
  ['export_schedule', () => plan.exportSchedule(2, true, 'masked'), { cycleId: 2, perCadre: true, masking: 'masked' }],
  ['export_task_files', () => plan.exportTaskFiles(2, 'unmasked'), { cycleId: 2, masking: 'unmasked' }],
  ['pick_task_sheets', () => diary.pickTaskSheets(), undefined],
  ['import_task_sheets', () => diary.importTaskSheets(true), { skipBad: true }],
  ['save_task_problems', () => diary.saveTaskProblems(), undefined],
  ['report_preview', () => reports.reportPreview({ from: '2026-11-01', to: '2026-11-30', villages: [3] }), { scope: { from: '2026-11-01', to: '2026-11-30', villages: [3] } }],
  ['dashboard_charts', () => reports.dashboardCharts({ from: '2026-01-01', to: '2026-12-31', villages: [] }), { scope: { from: '2026-01-01', to: '2026-12-31', villages: [] } }],
  ['export_reports', () => reports.exportReports(['visit-stats', 'overdue'], { from: '2026-11-01', to: '2026-11-30', villages: [] }, 'public', () => {}), { kinds: ['visit-stats', 'overdue'], scope: { from: '2026-11-01', to: '2026-11-30', villages: [] }, masking: 'public', onProgress: expect.anything() }],
  ['merge_reports', () => reports.mergeReports(true), { partial: true }],
  ['mark_case', () => projects.markCase({ visitId: 3, request: null, projectId: null, category: '双十双百', story: '事迹', quote: '' }), { input: { visitId: 3, request: null, projectId: null, category: '双十双百', story: '事迹', quote: '' } }],
  ['unmark_case', () => projects.unmarkCase(4), { id: 4 }],
  ['list_cases', () => projects.listCases('2026-11-01', '2026-11-30'), { from: '2026-11-01', to: '2026-11-30' }],
  ['draft_bulletin', () => reports.draftBulletin({ from: '2026-10-01', to: '2026-12-31', villages: [] }), { scope: { from: '2026-10-01', to: '2026-12-31', villages: [] } }],
  ['save_bulletin', () => reports.saveBulletin({ from: '2026-10-01', to: '2026-12-31', villages: [] }, [{ key: 'intro', text: '改' }]), { scope: { from: '2026-10-01', to: '2026-12-31', villages: [] }, edits: [{ key: 'intro', text: '改' }] }],
  ['reset_bulletin', () => reports.resetBulletin({ from: '2026-10-01', to: '2026-12-31', villages: [] }), { scope: { from: '2026-10-01', to: '2026-12-31', villages: [] } }],
  ['export_bulletin', () => reports.exportBulletin({ from: '2026-10-01', to: '2026-12-31', villages: [] }, []), { scope: { from: '2026-10-01', to: '2026-12-31', villages: [] }, edits: [] }],
  ['list_nominations', () => reports.listNominations({ from: '2026-01-01', to: '2026-12-31', villages: [] }, '双十双百'), { scope: { from: '2026-01-01', to: '2026-12-31', villages: [] }, category: '双十双百' }],
  ['export_casebook', () => reports.exportCasebook({ from: '2026-01-01', to: '2026-12-31', villages: [] }, null), { scope: { from: '2026-01-01', to: '2026-12-31', villages: [] }, category: null }],
  ['remerge_reports', () => reports.remergeReports({ partial: false, same: [['区交通局', '区交通运输局']] }), { options: { partial: false, same: [['区交通局', '区交通运输局']] } }],
  ['choose_operator', () => audit.chooseOperator('王小明'), { name: '王小明' }],
  ['list_audit', () => audit.listAudit({ entity: '农户', page: 2, pageSize: 50 }), { query: { entity: '农户', page: 2, pageSize: 50 } }],
  ['audit_operators', () => audit.auditOperators(), undefined],
  ['export_audit', () => audit.exportAudit({ operator: '甲', page: 1, pageSize: 50 }, 'unmasked'), { query: { operator: '甲', page: 1, pageSize: 50 }, masking: 'unmasked' }],
]

describe('api contract', () => {
  beforeEach(() => {
    invoke.mockReset().mockResolvedValue(undefined)
  })

  it.each(calls)('%s is called with its camelCase arguments', async (name, run, args) => {
    await run()
    expect(invoke).toHaveBeenCalledTimes(1)
    const [cmd, sent] = invoke.mock.calls[0]
    expect(cmd).toBe(name)
    if (args) expect(sent).toEqual(args)
  })

  it('load_demo passes a channel for progress', async () => {
    await app.loadDemo(() => {})
    expect(invoke.mock.calls[0][1]).toHaveProperty('onProgress')
  })

  it('every registered command has a wrapper and every wrapper a registered command', () => {
    const wrapped = calls.map((c) => c[0]).sort()
    expect(wrapped).toEqual([...registered].sort())
  })

  it('a failing command arrives as an AppError with the core code, message and field', async () => {
    invoke.mockImplementation(async () => {
      throw { code: 'INVALID', message: '公民身份号码的校验位不对', field: 'idNumber' }
    })
    let e: AppError | undefined
    try {
      await households.addHousehold({} as never)
    } catch (x) {
      e = x as AppError
    }
    expect(e).toBeInstanceOf(AppError)
    expect(e!.code).toBe('INVALID')
    expect(e!.field).toBe('idNumber')
    expect(e!.message).toContain('校验位')
  })

  it('an unexpected failure still becomes a Chinese AppError', async () => {
    invoke.mockImplementation(async () => {
      throw 'IPC broke'
    })
    let e: AppError | undefined
    try {
      await stats.registerStats()
    } catch (x) {
      e = x as AppError
    }
    expect(e).toBeInstanceOf(AppError)
    expect(e!.code).toBe('INTERNAL')
    expect(e!.message).toContain('程序内部错误')
  })
})
