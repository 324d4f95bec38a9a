// A database the app cannot use opens a readable error screen, and the file is left as it was.
import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newDataDir, repo, shot, startApp, stopDriver } from './app'

afterAll(stopDriver)

describe('start-up with a damaged database', () => {
  it('says the file is damaged, where it is, and does not overwrite it', async () => {
    const garbage = Buffer.from('这不是数据库文件。'.repeat(400))
    const dir = newDataDir('damaged', garbage)
    const app = await startApp(dir)
    try {
      const box = await app.browser.$('[data-test=startup-error]')
      await box.waitForDisplayed({ timeout: 30_000 })
      const text = await box.getText()
      expect(text).toContain('数据文件已损坏')
      expect(text).toContain(join(dir, 'minqing.db'))
      await shot(app.browser, '10-startup-damaged')
    } finally {
      await app.stop()
    }
    expect(readFileSync(join(dir, 'minqing.db')).equals(garbage)).toBe(true)
  })

  it('offers the newest good backup and is back at work two clicks later, the damaged file kept', async () => {
    const dir = newDataDir('recover')
    const db = join(dir, 'minqing.db')
    const cli = (...args: string[]) =>
      execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, ...args], { cwd: repo, env: { ...process.env, MINQING_DB: '' } })
    cli('demo', '--households', '300')
    cli('backup', 'create')
    const bytes = readFileSync(db)
    const mid = Math.floor(bytes.length / 2)
    bytes.fill(0xa5, mid, mid + 16384)
    writeFileSync(db, bytes)
    const app = await startApp(dir)
    const b = app.browser
    try {
      const box = await b.$('[data-test=recover-box]')
      await box.waitForDisplayed({ timeout: 30_000 })
      expect(await box.getText()).toContain('300 户')
      await shot(b, '11-startup-recover-offered')
      await (await b.$('[data-test=recover-latest]')).click()
      const confirm = await b.$('.el-message-box')
      await confirm.waitForDisplayed()
      expect(await confirm.getText()).toContain('原样保留')
      await (await b.$('.el-message-box .el-button--primary')).click()
      await b.$('[data-test=startup-error]').waitForDisplayed({ reverse: true, timeout: 30_000 })
      await b.$('.el-menu').waitForDisplayed({ timeout: 30_000 })
      await shot(b, '12-startup-recovered')
    } finally {
      await app.stop()
    }
    const aside = readdirSync(dir).find((f) => f.startsWith('minqing.db.damaged-'))
    expect(aside).toBeTruthy()
    expect(readFileSync(join(dir, aside!)).equals(bytes)).toBe(true)
  })
})
