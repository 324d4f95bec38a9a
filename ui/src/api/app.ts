import { Channel } from '@tauri-apps/api/core'
import { call } from './invoke'
import type { AppStatus } from '@/bindings/AppStatus'
import type { DemoStory } from '@/bindings/DemoStory'
import type { Progress } from '@/bindings/Progress'
import type { BackupInfo } from '@/bindings/BackupInfo'
import type { Recovered } from '@/bindings/Recovered'

export const appStatus = () => call<AppStatus>('app_status')
export const openDataDir = () => call<void>('open_data_dir')
/** 打开日志文件夹: logs/ in the data folder (no ID numbers or phones in it). */
export const openLogDir = () => call<void>('open_log_dir')
/** 使用说明: the guide shipped beside the program, opened in the browser. */
export const openGuide = () => call<void>('open_guide')
/** A failure that happened in the background (the daily backup), for the window to show. */
export type Notice = { title: string; message: string }
/** The background failures not shown yet; each is returned once. */
export const takeNotices = () => call<Notice[]>('take_notices')
export const startBlank = () => call<void>('start_blank')

/** The demo township with 90 days of visits and requests and a computed current cycle. */
export function loadDemo(onProgress: (p: Progress) => void): Promise<DemoStory> {
  const channel = new Channel<Progress>()
  channel.onmessage = onProgress
  return call<DemoStory>('load_demo', { onProgress: channel })
}
/** Opens an exported file (or its folder); only files in the export folder are allowed. */
export const openExport = (path: string, folder: boolean) => call<void>('open_export', { path, folder })
/** Backups a damaged database can be recovered from, newest first; works without a database. */
export const recoveryBackups = () => call<BackupInfo[]>('recovery_backups')
/** Sets the damaged database aside untouched and puts the newest good backup in its place. */
export const recoverDatabase = () => call<Recovered>('recover_database')
