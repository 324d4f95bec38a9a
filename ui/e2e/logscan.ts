// Vitest global setup of the E2E run: clears the captured output before, and after the whole
// run scans everything the driver and the desktop app wrote (stdout and stderr, the app's
// only log) for ID numbers and mobile numbers. Personal data must never be logged; a hit
// fails the run naming the file and the line (the number itself masked).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { logs } from './app'
import { findPersonalData } from './personal'

export function setup() {
  if (existsSync(logs)) rmSync(logs, { recursive: true, force: true })
}

export function teardown() {
  if (!existsSync(logs)) return
  const files = readdirSync(logs).filter((f) => f.endsWith('.log'))
  let all = ''
  const problems: string[] = []
  for (const f of files) {
    const text = readFileSync(join(logs, f), 'utf8')
    all += text
    for (const h of findPersonalData(text)) problems.push(`${f} ${h}`)
  }
  // The scan means something only if the app's own output was captured.
  if (files.length > 0 && !all.includes('启动：数据库')) {
    throw new Error(`日志扫描：没有捕获到桌面程序的输出（${files.join('、')}），无法证明日志里没有个人信息。`)
  }
  if (problems.length > 0) {
    throw new Error(`日志中出现了身份证号或手机号（个人信息不得写入日志）：\n${problems.join('\n')}`)
  }
  console.log(`日志扫描：${files.length} 个文件、${all.length} 个字符，没有身份证号或手机号。`)
}
