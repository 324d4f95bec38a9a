import { call } from './invoke'
import type { Village } from '@/bindings/Village'
import type { VillageInput } from '@/bindings/VillageInput'
import type { NamedRef } from '@/bindings/NamedRef'

export const listVillages = () => call<Village[]>('list_villages')
export const addVillage = (input: VillageInput) => call<NamedRef>('add_village', { input })
export const updateVillage = (id: number, input: VillageInput) => call<NamedRef>('update_village', { id, input })
export const deleteVillage = (id: number) => call<void>('delete_village', { id })
export const reorderVillages = (ids: number[]) => call<void>('reorder_villages', { ids })
export const addGroups = (villageId: number, names: string[]) => call<NamedRef[]>('add_groups', { villageId, names })
export const renameGroup = (id: number, name: string) => call<NamedRef>('rename_group', { id, name })
export const deleteGroup = (id: number) => call<void>('delete_group', { id })
export const reorderGroups = (villageId: number, ids: number[]) => call<void>('reorder_groups', { villageId, ids })
export const addNumberedGroups = (villageId: number, count: number) => call<NamedRef[]>('add_numbered_groups', { villageId, count })
