// "事事有回音，件件有结果": a diary entry with a request, assigned to a unit, left to go overdue
// (the app's clock is set with --today), red on the 工作台, refused without a reply, closed,
// judged 不满意 and reopened — in the real app.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { clickStill, newDemoDataDir, openTab, pickFirstOption, shot, startApp, stopDriver, texts, type App } from './app'

const dir = newDemoDataDir('ledger')
let app: App
let b: WebdriverIO.Browser

async function start(today: string) {
  await app?.stop() // a failed step may have left the previous run open
  app = await startApp(dir, ['--today', today])
  b = app.browser
}

/** Opens a lifecycle step's dialog and waits until it has finished opening. */
async function openStep(kind: string) {
  await clickStill(b, `[data-test=step-${kind}]`) // the detail drawer may still be sliding in
  await b.$('[data-test=action-dialog]').waitForDisplayed()
  await b.pause(400)
}

async function messageBox(value: string) {
  const box = await b.$('.el-message-box')
  await box.waitForDisplayed()
  await b.pause(300) // opening animation
  const input = await box.$('input, textarea')
  await input.click()
  await b.keys(['Control', 'a'])
  await b.keys('Backspace')
  if (value) await input.addValue(value)
  await box.$('.el-button--primary').click()
  await box.waitForDisplayed({ reverse: true, timeout: 10_000 })
}

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-ledger-${ctx.task.name.slice(0, 30)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

describe('visit diary and request ledger', () => {
  it('records a visit with a request raised on the spot', async () => {
    await start('2026-03-02')
    // The demo township's register, prepared by the CLI: this journey builds the rest itself.
    await b.$('[data-test=nav-households]').waitForClickable({ timeout: 30_000 })
    await b.$('[data-test=nav-households]').click()
    await b.$('[data-test=household-table]').waitForDisplayed({ timeout: 60_000 })

    // A responsible unit first.
    await b.$('[data-test=nav-settings]').click()
    await openTab(b, 'units')
    await b.$('[data-test=add-unit]').click()
    await b.$('[data-test=unit-form]').waitForDisplayed()
    await b.$('[data-test=uf-name]').addValue('区交通运输局')
    await b.$('[data-test=uf-contact]').addValue('李科长')
    await b.$('[data-test=uf-phone]').addValue('138 1234 5678')
    await b.$('[data-test=uf-save]').click()
    await b.waitUntil(async () => (await texts(b, '[data-test=unit-table] .el-table__body td:first-child .cell')).includes('区交通运输局'))

    await b.$('[data-test=nav-visits]').click()
    await b.$('[data-test=visit-entry]').waitForDisplayed()
    await b.$('[data-test=household-picker]').click()
    await b.keys('zs'.split(''))
    await pickFirstOption(b)
    await b.$('[data-test=cadre-picker]').click()
    await pickFirstOption(b)
    await b.keys('Escape') // closes the multi-select's dropdown, not the form
    await b.pause(300)
    expect(await b.$('.el-message-box').isExisting()).toBe(false)
    await b.$('[data-test=ve-learned]').addValue('老人腿脚不便，村口道路破损，雨天积水。')
    await b.$('[data-test=ve-add-request]').click()
    await b.$('[data-test=ve-request-content]').addValue('请求修缮村口道路')
    await shot(b, '11-visit-entry')
    await b.$('[data-test=ve-save]').click()
    await b.waitUntil(async () => (await texts(b, '.el-message--success')).some((t) => /诉求 2026-000001 已登记/.test(t)), {
      timeout: 10_000,
      timeoutMsg: 'no success message naming the request',
    })
    await b.waitUntil(async () => (await b.$$('[data-test=visit-table] .el-table__row').length) === 1)
    await shot(b, '12-visit-saved')
  })

  it('assigns the request to the unit from its detail page', async () => {
    await b.$('[data-test=nav-requests]').click()
    await b.$('[data-test=request-table]').waitForDisplayed()
    await b.waitUntil(async () => (await texts(b, '[data-test=rq-number]')).includes('2026-000001'))
    await b.$('[data-test=rq-number]').click()
    await b.$('[data-test=request-detail]').waitForDisplayed()
    await openStep('assign')
    await b.$('[data-test=ad-unit]').click()
    await pickFirstOption(b, '区交通运输局')
    await b.$('[data-test=ad-confirm]').click()
    await b.waitUntil(async () => (await b.$('[data-test=rd-status]').getText()) === '交办')
    expect((await texts(b, '[data-test=rd-timeline] strong')).slice(0, 2)).toEqual(['交办', '登记'])
    await shot(b, '13-request-assigned')
    await app.stop()
  })

  it('shows it red on the 工作台 once overdue, refuses to close it without a reply, then closes, reviews and reopens it', async () => {
    await start('2026-03-20') // 求助 received 03-02 was due 03-05
    const red = await b.$('[data-test=dash-red]')
    await red.waitForDisplayed({ timeout: 30_000 })
    await b.waitUntil(async () => (await red.getText()).startsWith('1'), { timeout: 10_000 })
    await shot(b, '14-dashboard-red')
    await red.click()
    await b.$('[data-test=request-table]').waitForDisplayed()
    await b.waitUntil(async () => (await b.$$('[data-test=request-table] [data-colour=red]').length) === 1)
    await b.$('[data-test=rq-number]').click()
    await b.$('[data-test=request-detail]').waitForDisplayed()
    await b.pause(400)
    await openStep('close')
    await b.$('[data-test=ad-result]').addValue('已铺设水泥路 200 米，疏通排水沟')
    await b.$('[data-test=ad-confirm]').click()
    const err = await b.$('[data-test=action-dialog] .el-form-item__error')
    await err.waitForDisplayed()
    expect(await err.getText()).toContain('答复群众')
    await shot(b, '15-close-refused')
    await b.$('[data-test=ad-reply]').addValue('已当面告知户主')
    await b.$('[data-test=ad-confirm]').click()
    await b.waitUntil(async () => (await b.$('[data-test=rd-status]').getText()) === '已办结')
    await openStep('review')
    await b.$('//label[contains(@class,"el-radio")][.//span[text()="不满意"]]').click()
    await b.$('[data-test=ad-confirm]').click()
    await b.waitUntil(async () => (await b.$('[data-test=rd-status]').getText()) === '已回访')
    await openStep('reopen')
    await b.$('[data-test=ad-reason]').addValue('排水仍不通畅')
    await b.$('[data-test=ad-confirm]').click()
    await b.waitUntil(async () => (await b.$('[data-test=rd-status]').getText()) === '办理中')
    const steps = await texts(b, '[data-test=rd-timeline] strong')
    expect(steps).toEqual(['重办', '回访', '办结', '交办', '登记'])
    await shot(b, '16-request-reopened')
    await clickStill(b, '[data-test=request-detail] .el-drawer__close-btn')
    await b.$('[data-test=request-detail]').waitForDisplayed({ reverse: true })
    await b.$('[data-test=open-rates]').click()
    const rates = await b.$('[data-test=rates-drawer]')
    await rates.waitForDisplayed()
    await b.waitUntil(async () => (await texts(b, '.el-drawer .el-table__body td .cell')).includes('区交通运输局'))
    expect((await texts(b, '.el-drawer .formula')).join('')).toMatch(/满意率.*0\.9.*基本满意数/)
    await shot(b, '16b-rates')
  })
})

describe('the ledger settings and 实事项目', () => {
  it('warns that 2027 has no holiday table yet and shows the request rules', async () => {
    await clickStill(b, '[data-test=rates-drawer] .el-drawer__close-btn') // the rates from the journey above
    await b.$('[data-test=rates-drawer]').waitForDisplayed({ reverse: true })
    await b.$('[data-test=nav-settings]').click()
    await openTab(b, 'calendar')
    const year = await b.$('[data-test=calendar-year]')
    await year.waitForDisplayed()
    await year.$('.el-input-number__increase').click()
    const warning = await b.$('[data-test=calendar-warning]')
    await warning.waitForDisplayed({ timeout: 10_000 })
    expect(await warning.getText()).toContain('2027 年的节假日安排')
    await shot(b, '17-settings-calendar-2027')
    await openTab(b, 'rules')
    await b.pause(500)
    await shot(b, '18-settings-rules')
    // The 办实事竞赛's rule: 10 points a project done by default; changed to 12 and saved.
    const done = await b.$('[data-test=contest-rule] .el-form-item:first-child input')
    await done.waitForDisplayed()
    expect(await done.getValue()).toBe('10')
    await done.doubleClick()
    await b.keys(['Control', 'a'])
    await b.keys('12')
    await b.keys('Tab')
    await b.$('[data-test=contest-rule] .el-button--primary').click()
    await b.waitUntil(async () => (await texts(b, '.el-message--success')).some((t) => t.includes('新的评分规则')), {
      timeout: 10_000,
      timeoutMsg: '没有出现保存评分规则的提示',
    })
    await openTab(b, 'calendar')
    await openTab(b, 'rules')
    await b.waitUntil(async () => (await b.$('[data-test=contest-rule] .el-form-item:first-child input').getValue()) === '12')
  })

  it('adds a project for a village and finishes it with a result', async () => {
    await b.$('[data-test=nav-projects]').click()
    await b.$('[data-test=add-project]').waitForDisplayed()
    await b.$('[data-test=add-project]').click()
    const title = await b.$('[data-field=title] input')
    await title.waitForDisplayed()
    await title.addValue('部门职能下乡：农技培训')
    await b.$('.el-dialog .el-button--primary').click()
    await b.waitUntil(async () => (await texts(b, '.el-table__body td:first-child .cell')).includes('部门职能下乡：农技培训'))
    await b.$('[data-test=project-done]').click()
    await messageBox('三期共培训 260 人次')
    await b.waitUntil(async () => (await texts(b, '.el-table__body .el-tag')).includes('已完成'))
    await shot(b, '19-projects')
    // Marked as a 先进典型 with its story: an empty story is refused under its field first.
    await b.$('[data-test=project-case]').click()
    const dialog = await b.$('[data-test=case-dialog]')
    await dialog.waitForDisplayed()
    expect(await dialog.getText()).toContain('部门职能下乡：农技培训')
    await b.$('[data-test=case-save]').click()
    const err = await b.$('[data-field=story] .el-form-item__error')
    await err.waitForDisplayed()
    expect(await err.getText()).toContain('请填写典型事迹')
    await b.$('[data-field=story] textarea').addValue('农技站把培训办到田头，三期培训 260 人次，群众学会了病虫害防治。')
    await shot(b, '19b-project-case')
    await b.$('[data-test=case-save]').click()
    // The 项目已完成 message may still be showing: wait for this one.
    await b.waitUntil(async () => (await texts(b, '.el-message--success')).some((t) => t.includes('已标为先进典型（双十双百）')), {
      timeout: 10_000,
      timeoutMsg: '没有出现“已标为先进典型”的提示',
    })
    await dialog.waitForDisplayed({ reverse: true })
  })
})
