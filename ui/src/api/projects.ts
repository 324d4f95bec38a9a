import { call } from './invoke'
import type { Case } from '@/bindings/Case'
import type { CaseInput } from '@/bindings/CaseInput'
import type { Page } from '@/bindings/Page'
import type { Project } from '@/bindings/Project'
import type { ProjectInput } from '@/bindings/ProjectInput'
import type { ProjectQuery } from '@/bindings/ProjectQuery'
import type { ProjectStatus } from '@/bindings/ProjectStatus'

export const projectQuery = (q: Partial<ProjectQuery> = {}): ProjectQuery => ({ page: 1, pageSize: 50, ...q })
export const listProjects = (query: ProjectQuery) => call<Page<Project>>('list_projects', { query })
export const addProject = (input: ProjectInput) => call<Project>('add_project', { input })
export const updateProject = (id: number, input: ProjectInput) => call<Project>('update_project', { id, input })
export const setProjectStatus = (id: number, status: ProjectStatus, note: string) => call<Project>('set_project_status', { id, status, note })

// 先进典型
export const CASE_CATEGORIES = ['一创四争', '双十双百'] as const
export const markCase = (input: CaseInput) => call<Case>('mark_case', { input })
export const unmarkCase = (id: number) => call<void>('unmark_case', { id })
export const listCases = (from: string | null = null, to: string | null = null) => call<Case[]>('list_cases', { from, to })
