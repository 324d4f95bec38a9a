// Data safety in the real app: 立即备份, 备份到U盘 and 导出全部数据 into a chosen folder, a
// restore from the list that undoes a change (the current data backed up first), and
// 导入全部数据 from the exported file — the window keeps working on the replaced database.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { newDataDir, openTab, repo, shot, startApp, stopDriver, texts, type App } from './app'

const TODAY = '2026-11-20'
const dir = newDataDir('backup')
const db = join(dir, 'minqing.db')
const usb = join(mkdtempSync(join(tmpdir(), 'minqing-e2e-usb-')), 'U盘')
mkdirSync(usb)

function minqing(args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, '--today', TODAY, ...args], {
    cwd: repo,
    env: { ...process.env, MINQING_DB: '' },
  }).toString()
}
const villages = () => minqing(['village', 'list'])

minqing(['demo', '--households', '300'])
const exported = join(usb, '民情通全部数据_龙河镇_2026-11-20.db')
process.env.MINQING_E2E_SAVE_DIR = usb
process.env.MINQING_E2E_OPEN_FILE = exported

let app: App
let b: WebdriverIO.Browser

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-backup-${ctx.task.name.slice(0, 30)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

async function success(re: RegExp) {
  await b.waitUntil(async () => (await texts(b, '.el-message--success')).some((t) => re.test(t)), {
    timeout: 60_000,
    timeoutMsg: `no success message ${re}`,
  })
}

async function confirmBox(expectText: string) {
  const box = await b.$('.el-message-box')
  await box.waitForDisplayed()
  expect(await box.getText()).toContain(expectText)
  await b.$('.el-message-box__btns .el-button--primary').click()
  await box.waitForDisplayed({ reverse: true })
}

describe('backups, restore and moving all data', () => {
  it('backs up now, to a USB folder, and exports all data as one file', async () => {
    app = await startApp(dir, ['--today', TODAY])
    b = app.browser
    await b.$('[data-test=nav-settings]').waitForClickable({ timeout: 30_000 })
    await b.$('[data-test=nav-settings]').click()
    await openTab(b, 'data')
    await b.$('[data-test=backup-now]').waitForClickable()
    await b.$('[data-test=backup-now]').click()
    await success(/已备份并校验/)
    await b.waitUntil(async () => (await b.$$('[data-test=backup-table] .el-table__row').length) > 0)
    await b.$('[data-test=backup-usb]').click()
    await success(/已备份并校验/)
    expect(readdirSync(usb).some((f) => f.startsWith('minqing-manual-'))).toBe(true)
    await b.$('[data-test=export-all-data]').click()
    await success(/已导出并校验/)
    expect(existsSync(exported)).toBe(true)
    await shot(b, '50-settings-backups')
  })

  it('restores a backup from the list, undoing a later change, after backing up the current data', async () => {
    minqing(['village', 'add', '测试新村'])
    expect(villages()).toContain('测试新村')
    const before = await b.$$('[data-test=backup-table] .el-table__row').length
    // The newest backup is the first row: made before 测试新村.
    await (await b.$$('[data-test=backup-restore]'))[0].click()
    await confirmBox('替换当前全部数据')
    await success(/已恢复/)
    expect(villages()).not.toContain('测试新村')
    // The data just replaced was kept as a before-restore backup.
    await b.waitUntil(async () => (await b.$$('[data-test=backup-table] .el-table__row').length) > before)
    expect((await texts(b, '[data-test=backup-table] .el-table__body')).join('\n')).toContain('恢复前')
    // The window works on the restored database.
    await b.$('[data-test=nav-households]').click()
    await b.$('[data-test=household-table]').waitForDisplayed()
    await b.waitUntil(async () => (await b.$$('[data-test=household-row]').length) > 0)
    await shot(b, '51-restored-households')
  })

  it('imports all data from the exported file', async () => {
    minqing(['village', 'add', '又一个新村'])
    await b.$('[data-test=nav-settings]').click()
    await openTab(b, 'data')
    await b.$('[data-test=import-all-data]').waitForClickable()
    await b.$('[data-test=import-all-data]').click()
    await confirmBox('替换当前全部数据')
    await success(/已恢复/)
    expect(villages()).not.toContain('又一个新村')
    await shot(b, '52-imported-all-data')
  })
})
