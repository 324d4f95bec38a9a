import { call } from './invoke'
import type { Township } from '@/bindings/Township'
import type { Tag } from '@/bindings/Tag'
import type { TagInput } from '@/bindings/TagInput'
import type { KeyRule } from '@/bindings/KeyRule'
import type { KeyRuleInput } from '@/bindings/KeyRuleInput'
import type { BackupInfo } from '@/bindings/BackupInfo'
import type { Restored } from '@/bindings/Restored'

export const getTownship = () => call<Township>('get_township')
export const listBackups = () => call<BackupInfo[]>('list_backups')
/** 立即备份: a verified copy in the data folder's backups/. */
export const backupNow = () => call<BackupInfo>('backup_now')
/** 备份到U盘: a verified copy in a folder chosen in the system dialog; null when cancelled. */
export const backupToFolder = () => call<BackupInfo | null>('backup_to_folder')
/** 导出全部数据: the whole database as one file chosen in the save dialog; null when cancelled. */
export const exportAllData = () => call<BackupInfo | null>('export_all_data')
/** Restores a backup from backups/ (the current data is backed up first). */
export const restoreBackup = (path: string) => call<Restored>('restore_backup', { path })
/** 导入全部数据: a file chosen in the open dialog replaces the data; null when cancelled. */
export const importAllData = () => call<Restored | null>('import_all_data')
export const saveTownship = (township: Township) => call<Township>('save_township', { township })

export const listTags = () => call<Tag[]>('list_tags')
export const addTag = (input: TagInput) => call<Tag>('add_tag', { input })
export const updateTag = (id: number, input: TagInput) => call<void>('update_tag', { id, input })
export const deleteTag = (id: number, force: boolean) => call<void>('delete_tag', { id, force })

export const listKeyRules = () => call<KeyRule[]>('list_key_rules')
export const addKeyRule = (input: KeyRuleInput) => call<KeyRule>('add_key_rule', { input })
export const updateKeyRule = (id: number, input: KeyRuleInput) => call<void>('update_key_rule', { id, input })
export const deleteKeyRule = (id: number) => call<void>('delete_key_rule', { id })

import type { Unit } from '@/bindings/Unit'
import type { UnitInput } from '@/bindings/UnitInput'
import type { NamedRef } from '@/bindings/NamedRef'
import type { DeadlineRules } from '@/bindings/DeadlineRules'
import type { RateSettings } from '@/bindings/RateSettings'
import type { ContestRule } from '@/bindings/ContestRule'
import type { CalendarYear } from '@/bindings/CalendarYear'

export const listUnits = () => call<Unit[]>('list_units')
export const addUnit = (input: UnitInput) => call<NamedRef>('add_unit', { input })
export const updateUnit = (id: number, input: UnitInput) => call<NamedRef>('update_unit', { id, input })
export const deleteUnit = (id: number) => call<void>('delete_unit', { id })

export const listCategories = () => call<NamedRef[]>('list_categories')
export const saveCategory = (id: number | null, name: string) => call<NamedRef>('save_category', { id, name })
export const deleteCategory = (id: number) => call<void>('delete_category', { id })

export const getDeadlineRules = () => call<DeadlineRules>('get_deadline_rules')
export const saveDeadlineRules = (rules: DeadlineRules) => call<void>('save_deadline_rules', { rules })
export const getRateSettings = () => call<RateSettings>('get_rate_settings')
export const saveRateSettings = (settings: RateSettings) => call<void>('save_rate_settings', { settings })
export const getContestRule = () => call<ContestRule>('get_contest_rule')
export const saveContestRule = (rule: ContestRule) => call<void>('save_contest_rule', { rule })

export const calendarYear = (year: number) => call<CalendarYear>('calendar_year', { year })
export const setCalendarDay = (date: string, isOffDay: boolean, name: string) => call<void>('set_calendar_day', { date, isOffDay, name })
export const resetCalendarDay = (date: string) => call<void>('reset_calendar_day', { date })
export const setCalendarYearComplete = (year: number, complete: boolean) =>
  call<void>('set_calendar_year_complete', { year, complete })
