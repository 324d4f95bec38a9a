import { call } from './invoke'
import type { Masking } from '@/bindings/Masking'
import type { Board } from '@/bindings/Board'
import type { Cycle } from '@/bindings/Cycle'
import type { CycleInput } from '@/bindings/CycleInput'
import type { CycleRow } from '@/bindings/CycleRow'
import type { DueList } from '@/bindings/DueList'
import type { PlanCheck } from '@/bindings/PlanCheck'
import type { PlannedVisit } from '@/bindings/PlannedVisit'
import type { PlanSummary } from '@/bindings/PlanSummary'
import type { VersionDiff } from '@/bindings/VersionDiff'

/** What 新建轮次 proposes: the next quarter, named as the reports name it, with the core's
 * defaults for every rule (`CycleInput::next_quarter`). */
export const newCycleInput = () => call<CycleInput>('new_cycle_input')

export const listCycles = () => call<CycleRow[]>('list_cycles')
export const getCycle = (id: number) => call<Cycle>('get_cycle', { id })
export const createCycle = (input: CycleInput) => call<Cycle>('create_cycle', { input })
export const updateCycle = (id: number, input: CycleInput) => call<Cycle>('update_cycle', { id, input })
export const deleteCycle = (id: number) => call<void>('delete_cycle', { id })
/** `keep`: unlocked visits that still fit stay where they are; only what they leave open is planned. */
export const computePlan = (cycleId: number, keep = false) => call<PlanSummary>('compute_plan', { cycleId, keep })
export const checkPlan = (cycleId: number) => call<PlanCheck>('check_plan', { cycleId })
export const planBoard = (cycleId: number, versionId: number | null = null) =>
  call<Board>('plan_board', { cycleId, versionId })
export const cadreDayPlan = (versionId: number, cadreId: number, date: string) =>
  call<PlannedVisit[]>('cadre_day_plan', { versionId, cadreId, date })
export const villagePlan = (cycleId: number, villageId: number) =>
  call<PlannedVisit[]>('village_plan', { cycleId, villageId })
export const householdPlan = (householdId: number) => call<PlannedVisit[]>('household_plan', { householdId })
export const dueVisits = (cadreId: number | null = null, limit = 50) => call<DueList>('due_visits', { cadreId, limit })
export const compareVersions = (cycleId: number, from: number, to: number) =>
  call<VersionDiff>('compare_versions', { cycleId, from, to })
export const moveVisit = (id: number, cadreId: number, date: string) => call<void>('move_visit', { id, cadreId, date })
export const lockVisits = (ids: number[], locked: boolean) => call<number>('lock_visits', { ids, locked })
export const exportSchedule = (cycleId: number, perCadre: boolean, masking: Masking) =>
  call<string>('export_schedule', { cycleId, perCadre, masking })
/** 走访任务单, one workbook per cadre, in a folder the user picks; the files, or null. */
export const exportTaskFiles = (cycleId: number, masking: Masking) => call<string[] | null>('export_task_files', { cycleId, masking })
