import { call } from './invoke'
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
