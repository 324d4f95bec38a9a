// What a coordinator learns when something fails out of sight, and where help is: a daily
// backup that cannot be written is shown in the window (not only logged), the log a user can
// send is in the data folder's logs/ and opens from 设置, and 帮助 opens the 使用说明.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { newDataDir, openTab, repo, shot, startApp, stopDriver, type App } from './app'

const dir = newDataDir('logs')
const db = join(dir, 'minqing.db')
execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, 'demo', '--households', '300'], {
  cwd: repo,
  env: { ...process.env, MINQING_DB: '' },
})
// A file where the backups folder should be: every backup into it fails, as on a PC where
// the folder cannot be written.
writeFileSync(join(dir, 'backups'), 'not a folder')
const opened = join(mkdtempSync(join(tmpdir(), 'minqing-e2e-open-')), 'opened.txt')
process.env.MINQING_E2E_OPEN_LOG = opened

let app: App
let b: WebdriverIO.Browser

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-logs-${ctx.task.name.slice(0, 30)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
  delete process.env.MINQING_E2E_OPEN_LOG
})

/** Waits until `sel` has stopped moving: a notification slides in from the right, and a click
 * aimed at its × while it slides lands on the notice's body instead (seen on a loaded CI). */
async function settled(sel: string) {
  const el = await b.$(sel)
  let last = ''
  await b.waitUntil(
    async () => {
      const { x, y } = await el.getLocation()
      const now = `${x},${y}`
      const still = now === last
      last = now
      return still
    },
    { timeout: 10_000, interval: 150, timeoutMsg: `${sel} kept moving` },
  )
  return el
}

const openedPaths = () => (existsSync(opened) ? readFileSync(opened, 'utf8').trim().split('\n') : [])

describe('failures out of sight, the log, and help', () => {
  it('shows a failed daily backup in the window and writes it to the log', async () => {
    app = await startApp(dir)
    b = app.browser
    const note = await b.$('.mq-notice')
    await note.waitForDisplayed({ timeout: 30_000 })
    const text = await note.getText()
    expect(text).toContain('每日自动备份失败')
    expect(text).toContain('立即备份')
    expect(text).not.toMatch(/os error|denied|exists/i)
    await settled('.mq-notice')
    await shot(b, '60-backup-failed-notice')
    const log = readFileSync(join(dir, 'logs', 'minqing.log'), 'utf8')
    expect(log).toContain('启动：数据库')
    expect(log).toContain('每日自动备份失败')
  })

  it('opens the log folder and the guide from 设置 and from 帮助', async () => {
    // The notice stays until it is closed (it covers the top right of the window).
    await (await settled('.mq-notice .el-notification__closeBtn')).click()
    await b.$('.mq-notice').waitForDisplayed({ reverse: true, timeout: 10_000 })
    await (await b.$('[data-test=nav-settings]')).click()
    await openTab(b, 'data')
    await (await b.$('[data-test=open-logs]')).waitForClickable({ timeout: 20_000 })
    await (await b.$('[data-test=open-logs]')).click()
    await b.waitUntil(async () => openedPaths().length === 1, { timeout: 10_000, timeoutMsg: 'nothing opened' })
    expect(openedPaths()[0]).toBe(join(dir, 'logs'))
    await (await b.$('[data-test=help]')).click()
    await b.waitUntil(async () => openedPaths().length === 2, { timeout: 10_000, timeoutMsg: 'the guide did not open' })
    const guide = openedPaths()[1]
    expect(guide.endsWith('使用说明.html')).toBe(true)
    const html = readFileSync(guide, 'utf8')
    expect(html).toContain('<title>民情通使用说明</title>')
    expect(html).toContain('data:image/png;base64,')
  })
})
