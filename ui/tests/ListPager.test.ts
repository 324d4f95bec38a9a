// The one pager under every list: what it shows, and what it tells the list when clicked.
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import ListPager from '@/components/ListPager.vue'
import { pct, pctOf, pctValue } from '@/utils/format'

function pager(props: Record<string, unknown>) {
  return mount(ListPager, {
    props: { page: 1, pageSize: 50, total: 120, ...props },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  })
}

describe('ListPager', () => {
  it('shows the total and the pages, and moves to the next page', async () => {
    const w = pager({})
    expect(w.text()).toContain('共 120 条')
    expect(w.findAll('.el-pager li').map((li) => li.text())).toEqual(['1', '2', '3'])
    await w.find('.btn-next').trigger('click')
    expect(w.emitted('update:page')?.[0]).toEqual([2])
    expect(w.emitted('change')).toHaveLength(1)
  })

  it('offers page sizes unless told not to, and a jump box when asked', () => {
    expect(pager({}).find('.el-pagination__sizes').exists()).toBe(true)
    expect(pager({ sizes: null }).find('.el-pagination__sizes').exists()).toBe(false)
    expect(pager({}).find('.el-pagination__jump').exists()).toBe(false)
    expect(pager({ jumper: true }).find('.el-pagination__jump').exists()).toBe(true)
  })

  /** The numbered buttons as a user reads them, "…" for a jump of five. */
  const shown = (w: ReturnType<typeof pager>) => w.findAll('.el-pager li').map((li) => (li.classes('more') ? '…' : li.text()))

  it('numbers pages as el-pagination did: the first, the last, five around the current', async () => {
    // 2,000 households at 50 a page: 40 pages.
    expect(shown(pager({ total: 2000 }))).toEqual(['1', '2', '3', '4', '5', '6', '…', '40'])
    expect(shown(pager({ total: 2000, page: 20 }))).toEqual(['1', '…', '18', '19', '20', '21', '22', '…', '40'])
    expect(shown(pager({ total: 2000, page: 39 }))).toEqual(['1', '…', '35', '36', '37', '38', '39', '40'])
    expect(shown(pager({ total: 0 }))).toEqual(['1'])
    const w = pager({ total: 2000, page: 20 })
    expect(w.find('.el-pager li.is-active').text()).toBe('20')
    await w.find('.btn-quicknext').trigger('click')
    expect(w.emitted('update:page')?.[0]).toEqual([25])
    await w.find('.btn-quickprev').trigger('click')
    // Not bound by a parent here, the pager keeps its own page: 25 now.
    expect(w.emitted('update:page')?.[1]).toEqual([20])
    expect(w.emitted('change')).toHaveLength(2)
  })

  it('keeps to the pages there are: no move past either end, the last page when rows go', async () => {
    const w = pager({ total: 120, page: 3 })
    expect(w.find('.btn-next').attributes('disabled')).toBeDefined()
    expect(w.find('.btn-prev').attributes('disabled')).toBeUndefined()
    await w.find('.btn-next').trigger('click')
    expect(w.emitted('update:page')).toBeUndefined()
    // The last rows deleted: 100 rows are two pages, and the pager goes to the second.
    await w.setProps({ total: 100 })
    expect(w.emitted('update:page')?.[0]).toEqual([2])
    expect(w.emitted('change')).toHaveLength(1)
  })

  it('goes to the page typed in the jump box, within the pages', async () => {
    const w = pager({ total: 2000, jumper: true })
    const box = w.find('.el-pagination__jump input')
    await box.setValue('12')
    await box.trigger('keyup.enter')
    expect(w.emitted('update:page')?.[0]).toEqual([12])
    await box.setValue('999')
    await box.trigger('keyup.enter')
    expect(w.emitted('update:page')?.[1]).toEqual([40])
    await box.setValue('')
    await box.trigger('blur')
    expect(w.emitted('update:page')).toHaveLength(2)
  })

  it('changes the page size and tells the list to start again', async () => {
    const w = pager({ sizes: [20, 50, 100, 200] })
    const select = w.find('.el-pagination__sizes select')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['20条/页', '50条/页', '100条/页', '200条/页'])
    await select.setValue('100')
    expect(w.emitted('update:pageSize')?.[0]).toEqual([100])
    expect(w.emitted('resize')).toHaveLength(1)
    expect(w.emitted('change')).toBeUndefined()
  })
})

describe('format', () => {
  it('writes rates one way everywhere', () => {
    expect(pct(0.935)).toBe('93.5%')
    expect(pct(null)).toBe('—')
    expect(pct(undefined)).toBe('—')
    expect(pctOf(1, 3)).toBe('33.3%')
    expect(pctOf(5, 0)).toBe('—')
    expect(pctValue(0.4567)).toBe(45.7)
    expect(pctValue(null)).toBeNull()
  })
})
