import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

/** The left navigation, in order. `soon` marks screens later versions build. */
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/dashboard' },
  { path: '/dashboard', component: () => import('@/views/DashboardView.vue'), meta: { title: '工作台', icon: 'Odometer' } },
  { path: '/households', component: () => import('@/views/HouseholdsView.vue'), meta: { title: '户籍台账', icon: 'House' } },
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

/** Fetches and parses a screen's code ahead of the click that shows it. */
export function prefetch(path: string) {
  const c = routes.find((r) => r.path === path)?.component
  if (typeof c === 'function') (c as () => Promise<unknown>)().catch(() => {})
}
