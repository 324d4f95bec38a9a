// The 村 → 村民小组 tree beside the household list, drawn in plain elements, keeps what el-tree
// gave the coordinator: villages folded at first, the arrow unfolding them, a click on a row
// filtering the list, the current row marked, the filter showing what matches unfolded, and
// the arrow keys and Enter walking and picking rows.
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ElementPlus from 'element-plus'
import * as Icons from '@element-plus/icons-vue'
import VillageTree from '@/components/VillageTree.vue'
import { useAppStore } from '@/stores/app'
import type { Village } from '@/bindings/Village'

function village(id: number, name: string, groups: string[]): Village {
  return {
    id,
    name,
    kind: '村',
    sortOrder: id,
    householdCount: groups.length * 10,
    groups: groups.map((g, i) => ({ id: id * 100 + i, villageId: id, name: g, sortOrder: i, householdCount: 10 })),
  } as Village
}

function mountTree(props: { villageId?: number; groupId?: number } = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAppStore().villages = [village(1, '黄河村', ['一组', '二组', '三组']), village(2, '南湖村', ['一组', '二组']), village(3, '东风村', [])]
  return mount(VillageTree, {
    props,
    attachTo: document.body,
    global: { plugins: [pinia, ElementPlus], components: Icons },
  })
}

const labels = (w: ReturnType<typeof mountTree>) => w.findAll('[role=treeitem] .label').map((l) => l.text())

describe('VillageTree', () => {
  it('starts with the villages folded, counts beside them, and unfolds one with its arrow', async () => {
    const w = mountTree()
    expect(labels(w)).toEqual(['黄河村', '南湖村', '东风村'])
    expect(w.findAll('[role=treeitem] .count').map((c) => c.text())).toEqual(['30', '20', '0'])
    expect(w.find('.all .count').text()).toBe('50')
    // A village without groups has no arrow to click (el-tree's is-leaf).
    expect(w.findAll('.el-tree-node__expand-icon.is-leaf')).toHaveLength(1)
    await w.findAll('.el-tree-node__expand-icon')[0].trigger('click')
    expect(labels(w)).toEqual(['黄河村', '一组', '二组', '三组', '南湖村', '东风村'])
    expect(w.emitted('select')).toBeUndefined() // the arrow unfolds only
    await w.findAll('.el-tree-node__expand-icon')[0].trigger('click')
    expect(labels(w)).toEqual(['黄河村', '南湖村', '东风村'])
    w.unmount()
  })

  it('picks a village or a group by a click on its row and marks the current one', async () => {
    const w = mountTree({ villageId: 1, groupId: 101 })
    // The current group's village is unfolded, so its mark is seen.
    expect(labels(w)).toEqual(['黄河村', '一组', '二组', '三组', '南湖村', '东风村'])
    const current = w.findAll('.is-current')
    expect(current).toHaveLength(1)
    expect(current[0].find('.label').text()).toBe('二组')
    await w.findAll('.el-tree-node__content')[4].trigger('click') // 南湖村
    expect(w.emitted('select')!.at(-1)).toEqual([2, undefined])
    await w.findAll('.el-tree-node__content')[1].trigger('click') // 黄河村 一组
    expect(w.emitted('select')!.at(-1)).toEqual([1, 100])
    await w.find('.all').trigger('click')
    expect(w.emitted('select')!.at(-1)).toEqual([undefined, undefined])
    w.unmount()
  })

  it('filters: a village by name with all its groups, or only the matching groups, unfolded', async () => {
    const w = mountTree()
    await w.find('.tree-head input').setValue('南湖')
    expect(labels(w)).toEqual(['南湖村', '一组', '二组'])
    await w.find('.tree-head input').setValue('三组')
    expect(labels(w)).toEqual(['黄河村', '三组'])
    await w.find('.tree-head input').setValue('没有这个')
    expect(labels(w)).toEqual([])
    await w.find('.tree-head input').setValue('')
    expect(labels(w)).toEqual(['黄河村', '南湖村', '东风村'])
    w.unmount()
  })

  it('walks the rows with the arrow keys, unfolds with →, folds with ← and picks with Enter', async () => {
    const w = mountTree({ villageId: 1 })
    const tree = w.find('[role=tree]')
    const items = () => w.findAll<HTMLElement>('[role=treeitem]')
    const focused = () => (document.activeElement as HTMLElement).dataset.key
    // Only the current row is in the Tab order, as in el-tree.
    expect(items().map((i) => i.attributes('tabindex'))).toEqual(['0', '-1', '-1'])
    items()[0].element.focus()
    await tree.trigger('keydown', { key: 'ArrowRight' })
    expect(items()[0].attributes('aria-expanded')).toBe('true')
    await tree.trigger('keydown', { key: 'ArrowDown' })
    expect(focused()).toBe('g100')
    await tree.trigger('keydown', { key: 'ArrowDown' })
    await tree.trigger('keydown', { key: 'Enter' })
    expect(w.emitted('select')!.at(-1)).toEqual([1, 101])
    await tree.trigger('keydown', { key: 'ArrowLeft' }) // from a group: up to its village
    expect(focused()).toBe('v1')
    await tree.trigger('keydown', { key: 'ArrowLeft' })
    expect(items()[0].attributes('aria-expanded')).toBe('false')
    await tree.trigger('keydown', { key: 'ArrowUp' }) // already at the top
    expect(focused()).toBe('v1')
    w.unmount()
  })
})
