// A database the app cannot use opens a readable error screen, and the file is left as it was.
import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { newDataDir, shot, startApp, stopDriver } from './app'

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
})
