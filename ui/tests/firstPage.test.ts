// A list screen's first page, asked for by the router at the click, reaches the screen once and
// only the screen it was asked for; a slow or failing answer leaves the screen to ask itself.
import { describe, expect, it, vi } from 'vitest'
import { FIRST_PAGE_WAIT_MS, router, takeFirstPage } from '@/router'
import { usePagedList } from '@/composables/usePagedList'
import { ref } from 'vue'
import type { Page } from '@/bindings/Page'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(), Channel: class {} }))

const page: Page<string> = { rows: ['李成宝', '冯利'], total: 100000, page: 1, pageSize: 50 }
const Screen = { template: '<div />' }
let asked = 0
let answer: () => Promise<unknown> = () => Promise.resolve(page)
router.addRoute({ path: '/fast-list', component: Screen, meta: { firstPage: () => (asked++, answer()) } })
router.addRoute({ path: '/plain', component: Screen })

describe('the first page the router asks for', () => {
  it('is fetched at the click and handed to the screen once', async () => {
    answer = () => Promise.resolve(page)
    asked = 0
    await router.push('/fast-list')
    expect(asked).toBe(1)
    expect(takeFirstPage('/other')).toBeUndefined() // another screen never gets it…
    await router.push('/plain')
    await router.push('/fast-list')
    expect(takeFirstPage<Page<string>>('/fast-list')).toEqual(page)
    expect(takeFirstPage('/fast-list')).toBeUndefined() // …and it is taken once
    await router.push('/plain')
    expect(takeFirstPage('/fast-list')).toBeUndefined() // a later navigation clears it
  })

  it('is given up on after a wait, or when it fails, and the screen asks itself', async () => {
    answer = () => new Promise((r) => setTimeout(() => r(page), FIRST_PAGE_WAIT_MS + 200))
    const t0 = performance.now()
    await router.push('/fast-list')
    expect(performance.now() - t0).toBeLessThan(FIRST_PAGE_WAIT_MS + 150)
    expect(takeFirstPage('/fast-list')).toBeUndefined()
    await router.push('/plain')
    answer = () => Promise.reject(new Error('数据库正忙'))
    await router.push('/fast-list')
    expect(takeFirstPage('/fast-list')).toBeUndefined()
  })

  it('fills a paged list at once, which then pages as usual', async () => {
    const fetch = vi.fn(() => Promise.resolve({ rows: ['第二页'], total: 100000, page: 2, pageSize: 50 }))
    const list = usePagedList(fetch, ref(''), () => {}, page)
    expect(list.rows.value).toEqual(['李成宝', '冯利'])
    expect(list.total.value).toBe(100000)
    expect(fetch).not.toHaveBeenCalled()
    await list.load()
    expect(list.rows.value).toEqual(['第二页'])
  })
})
