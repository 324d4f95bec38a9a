// Vitest global setup of the E2E run: clears the captured output before, and after the whole
// run scans everything the driver and the desktop app wrote (stdout and stderr) and the log
// files the app keeps in each test data folder's logs/ (the log a user sends) for ID numbers
// and mobile numbers. Personal data must never be logged; a hit fails the run naming the file
// and the line (the number itself masked).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { logs } from './app'
import { findPersonalData } from './personal'

let started = 0

export function setup() {
  started = Date.now()
  if (existsSync(logs)) rmSync(logs, { recursive: true, force: true })
}

/** logs/*.log of the data folders this run's apps used (newDataDir: tmpdir/minqing-e2e-*). */
function appLogFiles(): string[] {
  const out: string[] = []
  for (const d of readdirSync(tmpdir()).filter((n) => n.startsWith('minqing-e2e-'))) {
    const dir = join(tmpdir(), d, 'logs')
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
      const p = join(dir, f)
      if (statSync(p).mtimeMs >= started - 1000) out.push(p)
    }
  }
  return out
}

export function teardown() {
  if (!existsSync(logs)) return
  const captured = readdirSync(logs)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(logs, f))
  const kept = appLogFiles()
  const files = [...captured, ...kept]
  let all = ''
  let appLogs = ''
  const problems: string[] = []
  for (const f of files) {
    const text = readFileSync(f, 'utf8')
    all += text
    if (kept.includes(f)) appLogs += text
    for (const h of findPersonalData(text)) problems.push(`${f} ${h}`)
  }
  // The scan means something only if the app's own output, and its own log files, were read.
  if (captured.length > 0 && !all.includes('启动：数据库')) {
    throw new Error(`日志扫描：没有捕获到桌面程序的输出（${files.join('、')}），无法证明日志里没有个人信息。`)
  }
  if (captured.length > 0 && !appLogs.includes('启动：数据库')) {
    throw new Error('日志扫描：没有找到桌面程序写在数据文件夹 logs/ 中的日志，无法证明其中没有个人信息。')
  }
  if (problems.length > 0) {
    throw new Error(`日志中出现了身份证号或手机号（个人信息不得写入日志）：\n${problems.join('\n')}`)
  }
  console.log(`日志扫描：${files.length} 个文件（其中程序自己的日志 ${kept.length} 个）、${all.length} 个字符，没有身份证号或手机号。`)
}
