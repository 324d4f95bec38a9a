// The household form shows the core's verdict where the user is looking, and keeps the
// keyboard habits of paper-form typists.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import { nextTick } from 'vue'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a), Channel: class {} }))

import HouseholdForm from '@/components/HouseholdForm.vue'
import { useAppStore } from '@/stores/app'

let wrapper: VueWrapper | null = null

function setup() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const store = useAppStore()
  store.villages = [
    { id: 1, name: '黄河村', kind: '村', sortOrder: 1, householdCount: 0, groups: [{ id: 11, villageId: 1, name: '一组', sortOrder: 1, householdCount: 0 }] },
  ]
  store.tags = [{ id: 5, name: '低保户', keyRuleId: 1, sortOrder: 1, householdCount: 0 }]
  store.keyRules = [{ id: 1, name: '困难群众必到', everyDays: 30, sortOrder: 1 }]
  wrapper = mount(HouseholdForm, {
    global: { plugins: [pinia, ElementPlus], stubs: { transition: false, 'transition-group': false } },
    attachTo: document.body,
  })
  return wrapper.vm as unknown as { openAdd: () => void }
}

const input = (test: string) => document.querySelector<HTMLInputElement>(`[data-test=${test}]`)!
/** Element Plus shows a form item's error after a short debounce. */
const settle = async () => {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 250))
  await nextTick()
}
const errorUnder = (field: string) => document.querySelector(`[data-field=${field}] .el-form-item__error`)?.textContent ?? ''

async function type(test: string, value: string) {
  const el = input(test)
  el.focus()
  el.value = value
  el.dispatchEvent(new Event('input'))
  await nextTick()
}

beforeEach(() => invoke.mockReset())
afterEach(() => {
  wrapper?.unmount()
  document.body.innerHTML = ''
})

describe('HouseholdForm', () => {
  it('puts the core message for a bad ID under the ID field when leaving it', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'check_household') return [{ code: 'INVALID', field: 'idNumber', message: '公民身份号码的校验位（最后一位）对不上' }]
      return undefined
    })
    const form = setup()
    form.openAdd()
    await flushPromises()
    await type('f-idNumber', '110105194912310021')
    input('f-idNumber').dispatchEvent(new Event('blur'))
    await settle()
    expect(invoke).toHaveBeenCalledWith('check_household', expect.objectContaining({ input: expect.objectContaining({ idNumber: '110105194912310021', villageId: 1, groupId: 11 }) }))
    expect(errorUnder('idNumber')).toContain('校验位')
    // Fields the user has not reached yet stay quiet.
    expect(errorUnder('headName')).toBe('')
  })

  it('shows a save-time refusal under its field and keeps the dialog open', async () => {
    // The core answers the same for a check and a save.
    const duplicate = { code: 'DUPLICATE', field: 'idNumber', message: '已经登记在 黄河村一组 李四 户下' }
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'add_household') throw duplicate
      return [duplicate]
    })
    const form = setup()
    form.openAdd()
    await flushPromises()
    await type('f-headName', '张三')
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true }))
    await settle()
    expect(invoke).toHaveBeenCalledWith('add_household', expect.anything())
    expect(errorUnder('idNumber')).toContain('李四')
    expect(document.querySelector('[data-test=f-save]')).not.toBeNull()
  })

  it('Enter in a text field moves to the next field', async () => {
    invoke.mockResolvedValue([])
    const form = setup()
    form.openAdd()
    await flushPromises()
    input('f-headName').focus()
    input('f-headName').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    await nextTick()
    expect(document.activeElement).toBe(input('f-idNumber'))
  })
})
