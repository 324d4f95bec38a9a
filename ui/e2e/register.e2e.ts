// A coordinator's first hour: load the demo township, find a household by pinyin initials,
// correct its phone, and meet the Chinese error of a mistyped ID number — in the real app.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { application, newDataDir, openTab, shot, startApp, stopDriver, texts, type App } from './app'

let app: App
let b: WebdriverIO.Browser

const Z_SURNAMES = '张赵周朱郑曾钟邹臧庄卓祝詹'

async function rowsSettled() {
  await b.waitUntil(async () => (await b.$$('.el-loading-mask').length) === 0 || !(await b.$('.el-loading-mask').isDisplayed()), { timeout: 10_000 })
  await b.pause(200)
}

/** Types into a Vue-bound input the way a user does: select all, delete, type. (WebDriver's
 *  clear() bypasses the input event Vue listens to.) */
async function fill(selector: string, text: string) {
  const input = await b.$(selector)
  await input.click()
  await b.keys(['Control', 'a'])
  await b.keys('Backspace')
  if (text) await input.addValue(text)
}

async function search(text: string) {
  await fill('[data-test=search]', text)
  await b.keys('Enter')
  await b.pause(400)
  await rowsSettled()
}

beforeAll(async () => {
  app = await startApp(newDataDir('register'))
  b = app.browser
})
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-${ctx.task.name.slice(0, 40)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

describe('户籍台账 with the demo township', () => {
  it('offers the demo or a blank start on first launch, and loads the demo', async () => {
    const welcome = await b.$('[data-test=welcome-demo]')
    await welcome.waitForDisplayed({ timeout: 30_000 })
    expect(await b.$('[data-test=welcome-blank]').isDisplayed()).toBe(true)
    await shot(b, '01-welcome')
    await welcome.click()
    await b.$('[data-test=household-table]').waitForDisplayed({ timeout: 60_000 })
    await b.waitUntil(async () => (await b.$$('[data-test=row-name]').length) > 0, { timeout: 30_000 })
    const total = await b.$('.el-pagination__total').getText()
    expect(total).toMatch(/共 6000 条/)
    await shot(b, '02-households-demo')
    // A newcomer meets a township at work: visits due, requests being handled, the rates.
    await b.$('[data-test=nav-dashboard]').click()
    await b.$('[data-test=dash-due]').waitForDisplayed({ timeout: 30_000 })
    await b.waitUntil(async () => /响应率\s*\d+\/[1-9]\d*/.test(await b.$('[data-test=dash-rates]').getText()), { timeout: 20_000, timeoutMsg: 'no rates' })
    expect(await b.$('[data-test=dash-requests]').getText()).toMatch(/[1-9]\d*\s*在办诉求合计/)
    await shot(b, '02b-dashboard-demo')
    // The current cycle is planned (its first days may fall on a weekend).
    await b.$('[data-test=nav-plan]').click()
    await b.$('[data-test=cycle-title]').waitForDisplayed({ timeout: 20_000 })
    expect(await b.$('[data-test=cycle-title]').getText()).toMatch(/^\d{4}年\d{1,2}月起三个月$/)
    await shot(b, '02c-plan-demo')
    await b.$('[data-test=nav-households]').click()
    await b.$('[data-test=household-table]').waitForDisplayed()
  })

  it('finds households by pinyin initials', async () => {
    await search('zs')
    const names = await texts(b, '[data-test=row-name]')
    expect(names.length).toBeGreaterThan(0)
    for (const n of names) expect(Z_SURNAMES).toContain(n[0])
    const total = await b.$('.el-pagination__total').getText()
    expect(Number(total.replace(/\D/g, ''))).toBeLessThan(6000)
    await shot(b, '03-search-zs')
  })

  it('opens a household, changes its phone, saves with Ctrl+S and shows it masked in the list', async () => {
    const first = (await b.$$('[data-test=row-name]'))[0]
    const name = await first.getText()
    await first.click()
    const form = await b.$('[data-test=household-form]')
    await form.waitForDisplayed()
    const id = await b.$('[data-test=f-idNumber]').getValue()
    expect(id).toMatch(/^\d{17}[\dX]$/) // the detail form shows the full number
    await shot(b, '04-household-form')
    await fill('[data-test=f-phone]', '139 0052 7788')
    await b.keys(['Control', 's'])
    await form.waitForDisplayed({ reverse: true, timeout: 10_000 })
    await search(id.slice(-4))
    const rows = await texts(b, '[data-test=row-name]')
    expect(rows).toContain(name)
    const phones = await texts(b, '[data-test=row-phone]')
    expect(phones).toContain('139****7788')
    await shot(b, '05-phone-saved')
  })

  it('refuses an ID with a wrong check digit, in Chinese under the field, and saves nothing', async () => {
    await search('')
    await b.$('[data-test=add-household]').click()
    const form = await b.$('[data-test=household-form]')
    await form.waitForDisplayed()
    await fill('[data-test=f-headName]', '测试户')
    await b.keys('Enter') // Enter moves to the next field: the ID number
    expect(await b.execute(() => document.activeElement?.getAttribute('data-test'))).toBe('f-idNumber')
    await b.$('[data-test=f-idNumber]').addValue('110105194912310021')
    await b.keys('Enter')
    const err = await b.$('[data-field=idNumber] .el-form-item__error')
    await err.waitForDisplayed({ timeout: 10_000 })
    expect(await err.getText()).toContain('校验位')
    await shot(b, '06-id-check-digit-error')
    await b.$('[data-test=f-save]').click()
    await b.pause(500)
    expect(await form.isDisplayed()).toBe(true)
    expect(await err.getText()).toContain('校验位')
    // Esc with unsaved changes asks before discarding.
    await b.keys('Escape')
    const confirm = await b.$('.el-message-box')
    await confirm.waitForDisplayed()
    expect(await confirm.getText()).toContain('未保存')
    await b.$('.el-message-box .el-button--primary').click()
    await form.waitForDisplayed({ reverse: true })
    await search('测试户')
    expect(await texts(b, '[data-test=row-name]')).toEqual([])
  })

  it('adds a village and numbered groups from the tree', async () => {
    await b.$('[data-test=add-village]').click()
    const box = await b.$('.el-message-box')
    await box.waitForDisplayed()
    await b.$('.el-message-box input').addValue('新建村')
    await b.$('.el-message-box .el-button--primary').click()
    await box.waitForDisplayed({ reverse: true })
    const node = await b.$('//span[contains(@class,"label") and text()="新建村"]/..')
    await node.waitForDisplayed()
    await node.moveTo()
    await node.$('.more').click()
    await b.$('[data-test=tree-menu]').waitForDisplayed()
    await b.$('//ul[@data-test="tree-menu"]/li[contains(., "按序号新增小组")]').click()
    const count = await b.$('.el-message-box input')
    await count.waitForDisplayed()
    await fill('.el-message-box input', '3')
    await b.$('.el-message-box .el-button--primary').click()
    await b.pause(500)
    await node.$('..').$('..').$('.el-tree-node__expand-icon').click()
    await b.waitUntil(async () => (await texts(b, '[data-test=village-tree] .label')).includes('三组'), { timeout: 5000 })
    await shot(b, '06b-tree-new-village')
  })

  it('shows the cadre list, the reports screen and the settings', async () => {
    await b.$('[data-test=nav-cadres]').click()
    await b.$('[data-test=cadre-table]').waitForDisplayed()
    await b.waitUntil(async () => (await b.$$('[data-test=cadre-table] .el-table__row').length) > 0)
    await shot(b, '07-cadres')
    await (await b.$$('[data-test=cadre-table] .el-table__row .el-link'))[3].click()
    const cadreForm = await b.$('[data-test=cadre-form]')
    await cadreForm.waitForDisplayed()
    await b.pause(500)
    expect(await cadreForm.getText()).toContain('挂钩村')
    await shot(b, '07b-cadre-form')
    await b.keys('Escape') // nothing changed: closes without asking
    await cadreForm.waitForDisplayed({ reverse: true })
    await b.$('[data-test=nav-reports]').click()
    await b.$('[data-test=report-preview]').waitForDisplayed()
    await b.$('[data-test=nav-settings]').click()
    await b.$('[data-test=township-form]').waitForDisplayed()
    await shot(b, '08-settings')
    await openTab(b, 'tags')
    await b.$('[data-test=tag-table]').waitForDisplayed()
    expect(await texts(b, '[data-test=tag-table] .el-table__body td:first-child .cell')).toContain('低保户')
    await shot(b, '08b-settings-tags')
    await b.$('[data-test=nav-dashboard]').click()
    await b.$('[data-test="card-在册户"]').waitForDisplayed()
    await shot(b, '09-dashboard')
  })

  // Single instance goes through the desktop session bus on Linux (a named mutex on Windows).
  it.skipIf(!process.env.DBUS_SESSION_BUS_ADDRESS)('a second launch hands over to the open window and exits', async () => {
    const child = spawn(application, ['--data-dir', app.dataDir], { stdio: 'ignore' })
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill()
        resolve(null)
      }, 20_000)
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    expect(code).toBe(0)
    expect(await b.$('[data-test=nav-households]').isDisplayed()).toBe(true)
  })
})
