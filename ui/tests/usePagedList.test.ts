// A paged list shows the answer to the last thing the user asked for: an earlier, slower
// answer arriving late is dropped instead of overwriting the rows on screen.
import { describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { LOADING_DELAY_MS, usePagedList } from '@/composables/usePagedList'
import type { Page } from '@/bindings/Page'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(), Channel: class {} }))

function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('usePagedList', () => {
  it('drops a stale answer that arrives after the newer one', async () => {
    vi.useFakeTimers()
    const answers = [deferred<Page<string>>(), deferred<Page<string>>()]
    let call = 0
    const list = usePagedList(() => answers[call++].promise, ref(''), () => {})
    const first = list.load() // page 1, slow
    const second = list.load() // page 2, asked for after
    expect(list.loading.value).toBe(false) // not yet: most pages are back before the mask could show
    vi.advanceTimersByTime(LOADING_DELAY_MS)
    expect(list.loading.value).toBe(true)
    answers[1].resolve({ rows: ['第二页'], total: 120, page: 2, pageSize: 50 })
    await second
    expect(list.rows.value).toEqual(['第二页'])
    expect(list.loading.value).toBe(false)
    answers[0].resolve({ rows: ['第一页'], total: 999, page: 1, pageSize: 50 })
    await first
    expect(list.rows.value).toEqual(['第二页'])
    expect(list.total.value).toBe(120)
    expect(list.loading.value).toBe(false)
    vi.useRealTimers()
  })

  it('never puts the mask up for an answer that comes back at once', async () => {
    vi.useFakeTimers()
    const seen: boolean[] = []
    const list = usePagedList(async (): Promise<Page<string>> => ({ rows: ['一'], total: 1, page: 1, pageSize: 50 }), ref(''), () => {})
    const done = list.load()
    seen.push(list.loading.value)
    await done
    seen.push(list.loading.value)
    vi.advanceTimersByTime(LOADING_DELAY_MS * 2)
    seen.push(list.loading.value)
    expect(seen).toEqual([false, false, false])
    expect(list.rows.value).toEqual(['一'])
    vi.useRealTimers()
  })

  it('searches once the typing stops, from the first page', async () => {
    vi.useFakeTimers()
    const text = ref('')
    const fetch = vi.fn(async (): Promise<Page<string>> => ({ rows: [text.value], total: 1, page: 1, pageSize: 50 }))
    const reset = vi.fn()
    const list = usePagedList(fetch, text, reset)
    text.value = '张'
    await Promise.resolve()
    text.value = '张三'
    await Promise.resolve()
    vi.advanceTimersByTime(249)
    expect(fetch).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(reset).toHaveBeenCalledTimes(1)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.runAllTimersAsync()
    expect(list.rows.value).toEqual(['张三'])
    vi.useRealTimers()
  })
})
