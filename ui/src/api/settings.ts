import { call } from './invoke'
import type { Township } from '@/bindings/Township'
import type { Tag } from '@/bindings/Tag'
import type { TagInput } from '@/bindings/TagInput'
import type { KeyRule } from '@/bindings/KeyRule'
import type { KeyRuleInput } from '@/bindings/KeyRuleInput'

export const getTownship = () => call<Township>('get_township')
export const saveTownship = (township: Township) => call<Township>('save_township', { township })

export const listTags = () => call<Tag[]>('list_tags')
export const addTag = (input: TagInput) => call<Tag>('add_tag', { input })
export const updateTag = (id: number, input: TagInput) => call<void>('update_tag', { id, input })
export const deleteTag = (id: number, force: boolean) => call<void>('delete_tag', { id, force })

export const listKeyRules = () => call<KeyRule[]>('list_key_rules')
export const addKeyRule = (input: KeyRuleInput) => call<KeyRule>('add_key_rule', { input })
export const updateKeyRule = (id: number, input: KeyRuleInput) => call<void>('update_key_rule', { id, input })
export const deleteKeyRule = (id: number) => call<void>('delete_key_rule', { id })
