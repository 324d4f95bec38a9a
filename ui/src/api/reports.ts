import { Channel } from '@tauri-apps/api/core'
import { call } from './invoke'
import type { Bulletin } from '@/bindings/Bulletin'
import type { BulletinDone } from '@/bindings/BulletinDone'
import type { CasebookDone } from '@/bindings/CasebookDone'
import type { DashboardCharts } from '@/bindings/DashboardCharts'
import type { ExportAll } from '@/bindings/ExportAll'
import type { Masking } from '@/bindings/Masking'
import type { MergeReport } from '@/bindings/MergeReport'
import type { MergeOptions } from '@/bindings/MergeOptions'
import type { Nominee } from '@/bindings/Nominee'
import type { PartEdit } from '@/bindings/PartEdit'
import type { ReportKind } from '@/bindings/ReportKind'
import type { ReportPreview } from '@/bindings/ReportPreview'
import type { Scope } from '@/bindings/Scope'

export interface ExportProgress {
  done: number
  total: number
  title: string
}

/** The figures the workbooks of `scope` will carry, for the screen. */
export const reportPreview = (scope: Scope) => call<ReportPreview>('report_preview', { scope })

/** The 工作台's charts: coverage by village, requests by status and colour, rates by month. */
export const dashboardCharts = (scope: Scope) => call<DashboardCharts>('dashboard_charts', { scope })

/** One report through the save dialog, several into a chosen folder; null when cancelled. */
export const exportReports = (
  kinds: ReportKind[],
  scope: Scope,
  masking: Masking,
  onProgress: (p: ExportProgress) => void,
) => {
  const c = new Channel<ExportProgress>()
  c.onmessage = onProgress
  return call<ExportAll | null>('export_reports', { kinds, scope, masking, onProgress: c })
}

/** 区级汇总: pick the townships' workbooks, then where to save; null when cancelled. */
/** `partial`: also merge workbooks of only some villages (marked on the sheet). */
export const mergeReports = (partial = false) => call<MergeReport | null>('merge_reports', { partial })
/** The last merge again, with the unit names the user confirmed as one 区直部门. */
export const remergeReports = (options: MergeOptions) => call<MergeReport>('remerge_reports', { options })

/** 情况通报: the period's draft, with the coordinator's kept edits. */
export const draftBulletin = (scope: Scope) => call<Bulletin>('draft_bulletin', { scope })
/** Keeps the wording of the paragraphs sent (a drafted or empty text puts one back). */
export const saveBulletin = (scope: Scope, edits: PartEdit[]) => call<Bulletin>('save_bulletin', { scope, edits })
/** Every paragraph of the period back to the draft. */
export const resetBulletin = (scope: Scope) => call<Bulletin>('reset_bulletin', { scope })
/** Keeps the edits, then saves the .docx through the save dialog; null when cancelled. */
export const exportBulletin = (scope: Scope, edits: PartEdit[]) => call<BulletinDone | null>('export_bulletin', { scope, edits })
/** The 推荐名单 of a selection (every selection when null). */
export const listNominations = (scope: Scope, category: string | null) => call<Nominee[]>('list_nominations', { scope, category })
/** The 典型案例汇编 (.docx, and its .xlsx list beside it); null when cancelled. */
export const exportCasebook = (scope: Scope, category: string | null) => call<CasebookDone | null>('export_casebook', { scope, category })
