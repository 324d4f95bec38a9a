import { call } from './invoke'
import type { Cadre } from '@/bindings/Cadre'
import type { CadreInput } from '@/bindings/CadreInput'
import type { CadreQuery } from '@/bindings/CadreQuery'
import type { CadreRow } from '@/bindings/CadreRow'
import type { Page } from '@/bindings/Page'

export function cadreQuery(q: Partial<CadreQuery> = {}): CadreQuery {
  return { includeInactive: false, page: 1, pageSize: 50, ...q }
}

export const listCadres = (query: CadreQuery) => call<Page<CadreRow>>('list_cadres', { query })
export const getCadre = (id: number) => call<Cadre>('get_cadre', { id })
export const addCadre = (input: CadreInput) => call<Cadre>('add_cadre', { input })
export const updateCadre = (id: number, input: CadreInput) => call<Cadre>('update_cadre', { id, input })
export const deleteCadre = (id: number) => call<void>('delete_cadre', { id })
export const listCadreUnits = () => call<string[]>('list_cadre_units')
