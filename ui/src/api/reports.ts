import { Channel } from '@tauri-apps/api/core'
import { call } from './invoke'
import type { DashboardCharts } from '@/bindings/DashboardCharts'
import type { ExportAll } from '@/bindings/ExportAll'
import type { Masking } from '@/bindings/Masking'
import type { MergeReport } from '@/bindings/MergeReport'
import type { MergeOptions } from '@/bindings/MergeOptions'
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
