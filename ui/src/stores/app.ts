import { defineStore } from 'pinia'
import { ref, computed } from 'vue'
import { appStatus } from '@/api/app'
import { listVillages } from '@/api/villages'
import { listTags, listKeyRules, listUnits, listCategories } from '@/api/settings'
import { AppError, toAppError } from '@/api/invoke'
import type { AppStatus } from '@/bindings/AppStatus'
import type { Village } from '@/bindings/Village'
import type { Tag } from '@/bindings/Tag'
import type { KeyRule } from '@/bindings/KeyRule'
import type { Unit } from '@/bindings/Unit'
import type { NamedRef } from '@/bindings/NamedRef'

/** What several screens share: the app's status, the village tree and the tag dictionary. */
export const useAppStore = defineStore('app', () => {
  const status = ref<AppStatus | null>(null)
  const bootError = ref<AppError | null>(null)
  const villages = ref<Village[]>([])
  const tags = ref<Tag[]>([])
  const keyRules = ref<KeyRule[]>([])
  const units = ref<Unit[]>([])
  const categories = ref<NamedRef[]>([])

  const keyTagIds = computed(() => new Set(tags.value.filter((t) => t.keyRuleId !== null).map((t) => t.id)))
  const keyTagNames = computed(() => new Set(tags.value.filter((t) => t.keyRuleId !== null).map((t) => t.name)))

  async function loadStatus() {
    try {
      status.value = await appStatus()
      bootError.value = null
    } catch (e) {
      bootError.value = toAppError(e)
    }
  }
  async function refreshVillages() {
    villages.value = await listVillages()
  }
  async function refreshTags() {
    ;[tags.value, keyRules.value] = await Promise.all([listTags(), listKeyRules()])
  }
  async function refreshLedger() {
    ;[units.value, categories.value] = await Promise.all([listUnits(), listCategories()])
  }
  /** The lists the screens pick from (villages, tags, units, categories). */
  async function refreshLists() {
    await Promise.all([refreshVillages(), refreshTags(), refreshLedger()])
  }
  async function refreshAll() {
    await Promise.all([loadStatus(), refreshLists()])
  }
  /** The date the app takes as today (YYYY-MM-DD). */
  const today = computed(() => status.value?.today ?? new Date().toISOString().slice(0, 10))

  return {
    status,
    bootError,
    villages,
    tags,
    keyRules,
    units,
    categories,
    today,
    keyTagIds,
    keyTagNames,
    loadStatus,
    refreshVillages,
    refreshTags,
    refreshLedger,
    refreshLists,
    refreshAll,
  }
})
