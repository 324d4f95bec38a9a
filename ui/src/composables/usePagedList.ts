import { ref, watch, type Ref, type WatchSource } from 'vue'
import { ElMessage } from 'element-plus'
import { toAppError } from '@/api/invoke'
import type { Page } from '@/bindings/Page'

/** How long a page may take before the list shows its loading mask. */
export const LOADING_DELAY_MS = 300

/**
 * A list page that is filtered and paged in the core: the rows, the total, a loading flag,
 * answers to stale requests dropped, and a search box that searches as the user types.
 * `first`: the first page already fetched (the router's `takeFirstPage`), shown at once.
 */
export function usePagedList<T>(
  fetch: () => Promise<Page<T>>,
  searchText: WatchSource<string | undefined>,
  resetPage: () => void,
  first?: Page<T>,
) {
  const rows = ref<T[]>(first?.rows ?? []) as Ref<T[]>
  const total = ref(first?.total ?? 0)
  const loading = ref(false)
  let seq = 0

  async function load() {
    const my = ++seq
    // The mask only for a wait the user would notice: a page comes back in a few
    // milliseconds, and putting the mask up and down again costs more than the page.
    const slow = setTimeout(() => {
      if (my === seq) loading.value = true
    }, LOADING_DELAY_MS)
    try {
      const page = await fetch()
      if (my !== seq) return
      rows.value = page.rows as never
      total.value = page.total
    } catch (e) {
      ElMessage.error(toAppError(e).message)
    } finally {
      clearTimeout(slow)
      if (my === seq) loading.value = false
    }
  }
  function search() {
    resetPage()
    return load()
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(searchText, () => {
    clearTimeout(timer)
    timer = setTimeout(search, 250)
  })
  return { rows, total, loading, load, search }
}
