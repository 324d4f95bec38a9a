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
