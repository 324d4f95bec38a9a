// The 户籍台账's plain table keeps what the el-table gave the coordinator: a selection that a
// new page clears, headers that sort 升序 → 降序 → 默认, columns that can be hidden, the
// masked numbers as the core sent them, and double-click to open a household.
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { Calendar, Delete, Edit, StarFilled } from '@element-plus/icons-vue'
import HouseholdTable, { type HouseholdColumns } from '@/components/HouseholdTable.vue'
import type { HouseholdRow } from '@/bindings/HouseholdRow'

const all: HouseholdColumns = { village: true, idMasked: true, phoneMasked: true, size: true, tags: true, status: true, address: false }

function rows(n: number, from = 1): HouseholdRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: from + i,
    villageId: 1,
    villageName: '黄河村',
    groupName: `${(i % 5) + 1}组`,
    headName: `户主${from + i}`,
    idMasked: `320102********${String(1000 + i).slice(-4)}`,
    phoneMasked: `139****${String(2000 + i).slice(-4)}`,
    address: `${i + 1}号`,
    size: (i % 4) + 1,
    status: i % 9 === 0 ? '迁出' : '在册',
    tags: i % 3 === 0 ? ['低保户', '党员'] : [],
    isKey: i % 3 === 0,
  }))
}

function mountTable(list: HouseholdRow[], columns: HouseholdColumns = all) {
  return mount(HouseholdTable, {
    props: { rows: list, columns, loading: false, keyTags: new Set(['低保户']) },
    global: { plugins: [ElementPlus], components: { Calendar, Delete, Edit, StarFilled } },
  })
}

describe('HouseholdTable', () => {
  it('shows a page of 50 with masked numbers, key households starred and key tags in red', () => {
    const w = mountTable(rows(50))
    expect(w.findAll('[data-test=household-row]')).toHaveLength(50)
    expect(w.findAll('[data-test=row-name]').map((n) => n.text())).toEqual(rows(50).map((r) => r.headName))
    expect(w.find('[data-test=row-phone]').text()).toBe('139****2000')
    expect(w.text()).not.toMatch(/\d{17}[\dX]/)
    expect(w.findAll('.key')).toHaveLength(17)
    const first = w.findAll('[data-test=household-row]')[0]
    expect(first.find('.el-tag--danger').text()).toBe('低保户')
    expect(first.find('.el-tag--info').text()).toBe('党员')
  })

  it('selects one, all and none; a new page starts with nothing selected', async () => {
    const w = mountTable(rows(5))
    const boxes = () => w.findAll('tbody input[type=checkbox]')
    await boxes()[1].setValue(true)
    expect(w.emitted('selection')!.at(-1)![0]).toEqual([rows(5)[1]])
    const head = w.find('thead input[type=checkbox]')
    expect((head.element as HTMLInputElement).indeterminate).toBe(true)
    await head.setValue(true)
    expect((w.emitted('selection')!.at(-1)![0] as HouseholdRow[]).map((r) => r.id)).toEqual([1, 2, 3, 4, 5])
    expect(boxes().every((b) => (b.element as HTMLInputElement).checked)).toBe(true)
    await w.setProps({ rows: rows(5, 6) })
    expect(w.emitted('selection')!.at(-1)![0]).toEqual([])
    expect(boxes().some((b) => (b.element as HTMLInputElement).checked)).toBe(false)
  })

  it('sorts a header 升序, then 降序, then back to the roster order', async () => {
    const w = mountTable(rows(3))
    const name = w.findAll('thead .sort')[0]
    await name.trigger('click')
    await name.trigger('click')
    await name.trigger('click')
    expect(w.emitted('sort')!.map((e) => e[0])).toEqual([
      { prop: 'headName', order: 'ascending' },
      { prop: 'headName', order: 'descending' },
      { prop: 'headName', order: null },
    ])
    const size = w.findAll('thead .sort')[1]
    await size.trigger('click')
    expect(w.emitted('sort')!.at(-1)![0]).toEqual({ prop: 'size', order: 'ascending' })
    expect(size.classes()).toContain('ascending')
    expect(name.classes()).not.toContain('ascending')
  })

  it('hides a column when the user unticks it, and says so when nothing matches', async () => {
    const w = mountTable(rows(2), { ...all, idMasked: false, address: true })
    expect(w.text()).not.toContain('公民身份号码')
    expect(w.text()).toContain('地址/门牌')
    expect(w.findAll('[data-test=household-row]')[0].findAll('td')).toHaveLength(9)
    await w.setProps({ rows: [] })
    expect(w.find('.empty').text()).toBe('没有符合条件的户')
    expect(w.find('.empty').attributes('colspan')).toBe('9')
  })

  it('opens a household on double-click, on its name and on 修改; 删除 hands over the row', async () => {
    const list = rows(3)
    const w = mountTable(list)
    await w.findAll('[data-test=household-row]')[2].trigger('dblclick')
    await w.findAll('[data-test=row-name]')[1].trigger('click')
    await w.findAll('button[title=修改]')[0].trigger('click')
    expect(w.emitted('open')!.map((e) => e[0])).toEqual([3, 2, 1])
    await w.findAll('button[title=删除]')[1].trigger('click')
    expect(w.emitted('remove')![0][0]).toEqual(list[1])
    await w.find('[data-test=timeline-3]').trigger('click')
    expect(w.emitted('timeline')![0][0]).toBe(3)
  })

  it('writes the next page into the same rows, and every click then reaches the new household', async () => {
    const w = mountTable(rows(5))
    const before = w.findAll('[data-test=household-row]').map((r) => r.element)
    await w.findAll('tbody input[type=checkbox]')[0].setValue(true)
    await w.setProps({ rows: rows(4, 11) })
    const after = w.findAll('[data-test=household-row]')
    // The same four rows, rewritten; the fifth is gone.
    expect(after.map((r) => r.element)).toEqual(before.slice(0, 4))
    expect(after.map((r) => r.find('[data-test=row-name]').text())).toEqual(['户主11', '户主12', '户主13', '户主14'])
    expect(w.findAll('.key')).toHaveLength(2)
    expect(after[1].find('.el-tag--danger').exists()).toBe(false)
    expect(after[0].find('.el-tag--danger').text()).toBe('低保户')
    // The tick of the old page's first row does not carry over to the new household there.
    expect(w.findAll('tbody input[type=checkbox]').some((b) => (b.element as HTMLInputElement).checked)).toBe(false)
    await after[2].find('[data-test=row-name]').trigger('click')
    await after[3].trigger('dblclick')
    expect(w.emitted('open')!.map((e) => e[0])).toEqual([13, 14])
    await w.findAll('tbody input[type=checkbox]')[1].setValue(true)
    expect(w.emitted('selection')!.at(-1)![0]).toEqual([rows(4, 11)[1]])
    await after[0].find('button[title=删除]').trigger('click')
    expect(w.emitted('remove')![0][0]).toEqual(rows(4, 11)[0])
  })
})
