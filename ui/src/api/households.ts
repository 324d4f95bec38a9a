import { call } from './invoke'
import type { ErrorPayload } from '@/bindings/ErrorPayload'
import type { Household } from '@/bindings/Household'
import type { HouseholdInput } from '@/bindings/HouseholdInput'
import type { HouseholdQuery } from '@/bindings/HouseholdQuery'
import type { HouseholdRow } from '@/bindings/HouseholdRow'
import type { HouseholdStatus } from '@/bindings/HouseholdStatus'
import type { Page } from '@/bindings/Page'

/** A query with the defaults the core uses: roster order, first page of 50. */
export function householdQuery(q: Partial<HouseholdQuery> = {}): HouseholdQuery {
  return { villageIds: [], keyOnly: false, sort: 'roster', desc: false, page: 1, pageSize: 50, ...q }
}

export const listHouseholds = (query: HouseholdQuery) => call<Page<HouseholdRow>>('list_households', { query })
export const getHousehold = (id: number) => call<Household>('get_household', { id })
export const checkHousehold = (input: HouseholdInput, id: number | null) =>
  call<ErrorPayload[]>('check_household', { input, id })
export const addHousehold = (input: HouseholdInput) => call<Household>('add_household', { input })
export const updateHousehold = (id: number, input: HouseholdInput) => call<Household>('update_household', { id, input })
export const deleteHousehold = (id: number) => call<void>('delete_household', { id })
export const setHouseholdStatus = (ids: number[], status: HouseholdStatus) =>
  call<number>('set_household_status', { ids, status })
