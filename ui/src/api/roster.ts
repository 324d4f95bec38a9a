import { Channel } from '@tauri-apps/api/core'
import { call } from './invoke'
import type { Inspection } from '@/bindings/Inspection'
import type { ImportKind } from '@/bindings/ImportKind'
import type { ImportOptions } from '@/bindings/ImportOptions'
import type { ImportProgress } from '@/bindings/ImportProgress'
import type { ImportReport } from '@/bindings/ImportReport'
import type { ImportRecord } from '@/bindings/ImportRecord'

/** The system's file dialog; null when the user closed it. */
export const pickImportFile = () => call<string | null>('pick_import_file')

function channel(onProgress: (p: ImportProgress) => void) {
  const c = new Channel<ImportProgress>()
  c.onmessage = onProgress
  return c
}

/** Reads the chosen file and proposes sheet, header row and column mapping. */
export const inspectImport = (
  path: string,
  kind: ImportKind,
  sheet: string | null,
  headerRow: number | null,
  onProgress: (p: ImportProgress) => void,
) => call<Inspection>('inspect_import', { path, kind, sheet, headerRow, onProgress: channel(onProgress) })

/** Checks (options.dryRun) or imports; problems and changes are shortened for the screen. */
export const runImport = (path: string, options: ImportOptions, onProgress: (p: ImportProgress) => void) =>
  call<ImportReport>('run_import', { path, options, onProgress: channel(onProgress) })

export const cancelImport = () => call<void>('cancel_import')
/** 导出问题清单 of the last check, into the export folder; returns the file's path. */
export const saveImportProblems = () => call<string>('save_import_problems')
/** 下载导入模板 into the export folder; returns the file's path. */
export const saveImportTemplate = (kind: ImportKind) => call<string>('save_import_template', { kind })
export const listImports = () => call<ImportRecord[]>('list_imports')
