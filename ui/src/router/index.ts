import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

/** The left navigation, in order. `soon` marks screens later versions build. */
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/dashboard' },
  { path: '/dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: '工作台', icon: 'Odometer' } },
  {
    path: '/households',
    component: () => import('@/views/HouseholdsView.vue'),
    meta: { title: '户籍台账', icon: 'House', firstPage: () => import('@/api/households').then((m) => m.listHouseholds(m.householdQuery())) },
  },
  { path: '/cadres', component: () => import('@/views/CadresView.vue'), meta: { title: '干部队伍', icon: 'User' } },
  { path: '/plan', component: () => import('@/views/PlanView.vue'), meta: { title: '走访排班', icon: 'Calendar' } },
  { path: '/visits', component: () => import('@/views/VisitsView.vue'), meta: { title: '走访记录', icon: 'Notebook' } },
  { path: '/requests', component: () => import('@/views/RequestsView.vue'), meta: { title: '民情诉求', icon: 'ChatDotSquare' } },
  { path: '/projects', component: () => import('@/views/ProjectsView.vue'), meta: { title: '实事项目', icon: 'Flag' } },
  { path: '/reports', component: () => import('@/views/ReportsView.vue'), meta: { title: '报表导出', icon: 'Document' } },
  { path: '/audit', component: () => import('@/views/AuditView.vue'), meta: { title: '操作记录', icon: 'Tickets' } },
  { path: '/settings', component: () => import('@/views/SettingsView.vue'), meta: { title: '设置', icon: 'Setting' } },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

/**
 * A list screen's first page, asked for as the router resolves the screen (`meta.firstPage`),
 * so the screen mounts with its rows and is drawn once — not empty first and again when the
 * rows come. On this machine a drawn frame of the 户籍台账 costs about 100 ms. The page is
 * fetched at the click, so it is as fresh as one the screen asks for itself; a navigation
 * waits for it at most FIRST_PAGE_WAIT_MS, then the screen asks as before.
 */
export const FIRST_PAGE_WAIT_MS = 300
let asked: { path: string; page: Promise<unknown> } | null = null
let handed: { path: string; page: unknown } | null = null

router.beforeEach((to) => {
  handed = null
  const fetch = to.meta.firstPage as (() => Promise<unknown>) | undefined
  asked = fetch ? { path: to.path, page: fetch().catch(() => undefined) } : null
})

router.beforeResolve(async (to) => {
  if (asked?.path !== to.path) return
  const mine = asked
  const page = await Promise.race([mine.page, new Promise((r) => setTimeout(() => r(undefined), FIRST_PAGE_WAIT_MS))])
  if (asked === mine && page !== undefined) handed = { path: to.path, page }
  asked = null
})

/** The first page fetched for `path`'s screen, once; `undefined` when the screen must ask. */
export function takeFirstPage<T>(path: string): T | undefined {
  const h = handed
  handed = null
  return h?.path === path ? (h.page as T) : undefined
}

/** Fetches and parses a screen's code ahead of the click that shows it. */
export function prefetch(path: string) {
  const c = routes.find((r) => r.path === path)?.component
  if (typeof c === 'function') (c as () => Promise<unknown>)().catch(() => {})
}
