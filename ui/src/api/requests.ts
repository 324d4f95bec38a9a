import { call } from './invoke'
import type { Masking } from '@/bindings/Masking'
import type { Action } from '@/bindings/Action'
import type { ColourCounts } from '@/bindings/ColourCounts'
import type { Page } from '@/bindings/Page'
import type { RateGroup } from '@/bindings/RateGroup'
import type { RatesReport } from '@/bindings/RatesReport'
import type { Request } from '@/bindings/Request'
import type { RequestInput } from '@/bindings/RequestInput'
import type { RequestQuery } from '@/bindings/RequestQuery'
import type { RequestRow } from '@/bindings/RequestRow'

export function requestQuery(q: Partial<RequestQuery> = {}): RequestQuery {
  return { openOnly: false, overdueOnly: false, page: 1, pageSize: 50, ...q }
}

export const registerRequest = (input: RequestInput) => call<Request>('register_request', { input })
export const requestAction = (id: number, action: Action) => call<Request>('request_action', { id, action })
export const assignRequests = (ids: number[], unitId: number) => call<number>('assign_requests', { ids, unitId })
export const urgeOverdue = (unitId: number, note: string) => call<number>('urge_overdue', { unitId, note })
export const listRequests = (query: RequestQuery) => call<Page<RequestRow>>('list_requests', { query })
export const getRequest = (id: number) => call<Request>('get_request', { id })
export const colourCounts = () => call<ColourCounts>('colour_counts')
export const requestRates = (group: RateGroup, from: string | null, to: string | null) =>
  call<RatesReport>('request_rates', { group, from, to })
export const exportAssignSlips = (ids: number[], masking: Masking) => call<string>('export_assign_slips', { ids, masking })
