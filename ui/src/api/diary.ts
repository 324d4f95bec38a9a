import { call } from './invoke'
import type { Page } from '@/bindings/Page'
import type { TaskImportReport } from '@/bindings/TaskImportReport'
import type { TimelineItem } from '@/bindings/TimelineItem'
import type { Visit } from '@/bindings/Visit'
import type { VisitInput } from '@/bindings/VisitInput'
import type { VisitQuery } from '@/bindings/VisitQuery'
import type { VisitRow } from '@/bindings/VisitRow'

export function visitQuery(q: Partial<VisitQuery> = {}): VisitQuery {
  return { page: 1, pageSize: 50, ...q }
}

export const recordVisit = (input: VisitInput) => call<Visit>('record_visit', { input })
export const listVisits = (query: VisitQuery) => call<Page<VisitRow>>('list_visits', { query })
export const getVisit = (id: number) => call<Visit>('get_visit', { id })
export const householdTimeline = (householdId: number) => call<TimelineItem[]>('household_timeline', { householdId })

/** 导入任务单: choose the returned sheets (several at once) and check them; null when cancelled. */
export const pickTaskSheets = () => call<[string[], TaskImportReport] | null>('pick_task_sheets')
/** Write the checked sheets: all rows, or with `skipBad` the good ones. */
export const importTaskSheets = (skipBad: boolean) => call<TaskImportReport>('import_task_sheets', { skipBad })
/** The last check's problems as an .xlsx list; null when cancelled. */
export const saveTaskProblems = () => call<string | null>('save_task_problems')
