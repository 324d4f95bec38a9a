import { call } from './invoke'
import type { Masking } from '@/bindings/Masking'
import type { AuditExport } from '@/bindings/AuditExport'
import type { AuditQuery } from '@/bindings/AuditQuery'
import type { AuditRow } from '@/bindings/AuditRow'
import type { Page } from '@/bindings/Page'

/** Who is working: every change from now on is recorded under this name. */
export const chooseOperator = (name: string) => call<string[]>('choose_operator', { name })

/** One page of the 操作记录, newest first, IDs and phones masked. */
export const listAudit = (query: AuditQuery) => call<Page<AuditRow>>('list_audit', { query })

/** Everyone with a line in the trail (the operator filter). */
export const auditOperators = () => call<string[]>('audit_operators')

/** The lines matching the filter as .xlsx through the save dialog; null when cancelled. */
export const exportAudit = (query: AuditQuery, masking: Masking) => call<AuditExport | null>('export_audit', { query, masking })
