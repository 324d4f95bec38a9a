// A coordinator's first hour, the import part: the village's messy roster (title rows, a merged
// two-row header, IDs stored as numbers, bad rows) and a GBK .csv from another village come in
// through the mapping screen, with a precise problem list and nothing half-written.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { newDemoDataDir, repo, shot, startApp, stopDriver, texts, type App } from './app'

let app: App
let b: WebdriverIO.Browser

async function total(): Promise<number> {
  const t = await b.$('.el-pagination__total').getText()
  return Number(t.replace(/\D/g, ''))
}

async function click(sel: string) {
  const e = await b.$(sel)
  await e.waitForClickable({ timeout: 20_000 })
  await e.click()
}

async function idle() {
  await b.waitUntil(async () => (await b.$$('[data-test=import-progress]').length) === 0, { timeout: 60_000, timeoutMsg: 'the import kept working' })
  await b.pause(300)
}

beforeAll(async () => {
  const fixtures = mkdtempSync(join(tmpdir(), 'minqing-rosters-'))
  execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--example', 'roster_fixtures', '--', fixtures], { cwd: repo, stdio: 'inherit' })
  process.env.MINQING_E2E_PICK_FILE = [join(fixtures, '黄河村花名册.xlsx'), join(fixtures, '新河村花名册.csv'), join(fixtures, '人口花名册.xlsx'), join(fixtures, '民情诉求台账2025.xlsx')].join('|')
  app = await startApp(newDemoDataDir('import'))
  b = app.browser
})
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-${ctx.task.name.slice(0, 40)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

describe('导入花名册', () => {
  it('finds the table in the messy roster and shows why, column by column', async () => {
    // The demo township's register, prepared by the CLI.
    await click('[data-test=nav-households]')
    await b.$('[data-test=household-table]').waitForDisplayed({ timeout: 60_000 })
    await b.waitUntil(async () => (await total()) === 6000, { timeout: 30_000 })
    await click('[data-test=import-households]')
    await b.$('[data-test=import-dialog]').waitForDisplayed()
    await shot(b, 'import-01-choose')
    await click('[data-test=import-pick]')
    await b.$('[data-test=import-mapping]').waitForDisplayed({ timeout: 30_000 })
    const reason = await b.$('[data-test=import-reason]').getText()
    expect(reason).toContain('花名册')
    expect(reason).toContain('第 4–5 行是两层表头')
    expect(reason).toContain('列序号行')
    const headers = await texts(b, '[data-test=import-columns] .el-table__body tr td:nth-child(2)')
    expect(headers).toContain('联系方式 / 手机')
    const selected = await texts(b, '[data-test=import-columns] .el-table__body tr td:nth-child(3) .el-select__selected-item:not(.is-hidden)')
    expect(selected).toEqual(expect.arrayContaining(['户主姓名（必填）', '公民身份号码（必填）', '村（社区）（必填）', '村民小组（必填）', '联系电话', '类别']))
    // ID numbers are masked in the samples.
    const samples = await texts(b, '[data-test=import-columns] .samples')
    expect(samples.join(' ')).toContain('321302********0018')
    expect(samples.join(' ')).not.toContain('321302198001010018')
    expect(await b.$$('[data-test=import-missing]').length).toBe(0)
    await shot(b, 'import-02-mapping')
  })

  it('lists every problem in the file’s own terms and exports them', async () => {
    await click('[data-test=import-check]')
    await idle()
    await b.$('[data-test=import-report]').waitForDisplayed({ timeout: 30_000 })
    expect(await b.$('[data-test=report-new]').getText()).toBe('2')
    expect(await b.$('[data-test=report-problem-rows]').getText()).toBe('6')
    const problems = await texts(b, '[data-test=import-problems] .el-table__body tr')
    expect(problems.some((p) => p.startsWith('8') && p.includes('存成了数字')), JSON.stringify(problems)).toBe(true)
    expect(problems.some((p) => p.includes('与第 7 行重复'))).toBe(true)
    await shot(b, 'import-03-problems')
    await click('[data-test=import-export-problems]')
    const box = await b.$('.el-message-box')
    await box.waitForDisplayed()
    const message = await box.$('.el-message-box__message').getText()
    const path = message.slice(message.indexOf('/')).trim()
    expect(path).toMatch(/黄河村花名册_问题清单_\d{8}-\d{6}\.xlsx$/)
    expect(existsSync(path)).toBe(true)
    // Into 文档/民情通导出; on a machine without a Documents folder (a bare CI machine), into
    // the exports/ of the data folder the app was started on, not the default one.
    if (existsSync(join(homedir(), 'Documents')) || existsSync(join(homedir(), '.config', 'user-dirs.dirs'))) expect(path).toContain('民情通导出')
    else expect(path.startsWith(join(app.dataDir, 'exports'))).toBe(true)
    await click('.el-message-box__headerbtn')
    await box.waitForDisplayed({ reverse: true })
  })

  it('imports the good rows after a confirmation and records the import', async () => {
    await click('[data-test=import-go]')
    const confirm = await b.$('.el-message-box')
    await confirm.waitForDisplayed()
    expect(await confirm.getText()).toContain('将新增 2 户')
    await click('.el-message-box .el-button--primary')
    await b.$('[data-test=import-done]').waitForDisplayed({ timeout: 60_000 })
    expect(await b.$('[data-test=import-done]').getText()).toContain('新增 2 户')
    await shot(b, 'import-04-done')
    await click('[data-test=import-finish]')
    await b.waitUntil(async () => (await total()) === 6002, { timeout: 20_000, timeoutMsg: 'the list did not show the two new households' })
  })

  it('reads a GBK .csv, and creates its new village only when asked', async () => {
    await click('[data-test=import-households]')
    await b.$('[data-test=import-history]').waitForDisplayed()
    expect((await texts(b, '[data-test=import-history] .el-table__body tr')).join(' ')).toContain('黄河村花名册.xlsx')
    await click('[data-test=import-pick]')
    await b.$('[data-test=import-mapping]').waitForDisplayed({ timeout: 30_000 })
    expect((await texts(b, '[data-test=import-file-line]')).join(' ')).toContain('编码 GBK/GB18030')
    await click('[data-test=import-check]')
    await idle()
    const places = await b.$('[data-test=import-new-places]')
    await places.waitForDisplayed()
    expect(await places.getText()).toContain('新河村（13 行）')
    expect(await b.$('[data-test=report-new]').getText()).toBe('0')
    await shot(b, 'import-05-new-village')
    await click('[data-test=import-create-missing]')
    await idle()
    await b.waitUntil(async () => (await b.$('[data-test=report-new]').getText()) === '12', { timeout: 20_000 })
    await click('[data-test=import-go]')
    await click('.el-message-box .el-button--primary')
    await b.$('[data-test=import-done]').waitForDisplayed({ timeout: 60_000 })
    expect(await b.$('[data-test=import-done]').getText()).toContain('新建了村：新河村')
    await click('[data-test=import-finish]')
    await b.waitUntil(async () => (await total()) === 6014, { timeout: 20_000 })
    expect((await texts(b, '[data-test=village-tree]')).join(' ')).toContain('新河村')
    await shot(b, 'import-06-after')
  })

  it('takes a 人口花名册 family by family, in the village its title names', async () => {
    await click('[data-test=import-households]')
    await click('[data-test=import-pick]')
    await b.$('[data-test=import-mapping]').waitForDisplayed({ timeout: 30_000 })
    expect(await b.$('[data-test=import-per-person]').getText()).toContain('只有户主那一行登记为农户')
    // No village column: the village from the title is proposed for every row.
    const village = await b.$('[data-test=import-village-for-all]')
    expect((await village.getText()).trim()).toBe('黄河村')
    expect(await b.$('[data-test=import-village-from]').getText()).toContain('取自文件的标题')
    expect(await b.$$('[data-test=import-missing]').length).toBe(0)
    await shot(b, 'import-07-per-person')
    await click('[data-test=import-check]')
    await idle()
    await b.$('[data-test=import-report]').waitForDisplayed({ timeout: 30_000 })
    expect(await b.$('[data-test=import-per-person-report]').getText()).toContain('8 人，按户号分成 3 户；5 名家庭成员计入家庭人口')
    expect(await b.$('[data-test=report-new]').getText()).toBe('3')
    await shot(b, 'import-08-per-person-report')
    await click('[data-test=import-go]')
    await click('.el-message-box .el-button--primary')
    await b.$('[data-test=import-done]').waitForDisplayed({ timeout: 60_000 })
    expect(await b.$('[data-test=import-done]').getText()).toContain('所有行都登记在黄河村')
    await click('[data-test=import-finish]')
    await b.waitUntil(async () => (await total()) === 6017, { timeout: 20_000 })
  })

  it("brings last year's 民情诉求台账 in, units confirmed, each request with its own dates", async () => {
    await click('[data-test=nav-requests]')
    await click('[data-test=import-ledger]')
    await b.$('[data-test=import-dialog]').waitForDisplayed()
    expect(await b.$('[data-test=import-dialog] .el-dialog__title').getText()).toBe('导入民情诉求台账')
    await click('[data-test=import-pick]')
    await b.$('[data-test=import-mapping]').waitForDisplayed({ timeout: 30_000 })
    expect(await b.$$('[data-test=import-missing]').length).toBe(0)
    await shot(b, 'import-09-ledger-mapping')
    await click('[data-test=import-check]')
    await idle()
    await b.$('[data-test=import-report]').waitForDisplayed({ timeout: 30_000 })
    // The units the register lacks are listed; nothing is created until confirmed.
    expect(await b.$('[data-test=import-new-places]').getText()).toContain('单位名单中没有这些责任单位：区交通运输局（2 行）、镇社会事业局（1 行）')
    await click('[data-test=import-create-missing]')
    await idle()
    await b.waitUntil(async () => (await b.$('[data-test=report-new]').getText()) === '3', { timeout: 30_000, timeoutMsg: 'not rechecked' })
    // A closed row without its answer and a date nobody can read: named, skipped.
    expect(await b.$('[data-test=report-problem-rows]').getText()).toBe('2')
    const problems = await texts(b, '[data-test=import-problems] .el-table__row')
    expect(problems.some((p) => p.includes('没有办理结果、答复群众、办结日期'))).toBe(true)
    expect(problems.some((p) => p.includes('上个月'))).toBe(true)
    await shot(b, 'import-10-ledger-report')
    await click('[data-test=import-go]')
    await click('.el-message-box .el-button--primary')
    await b.$('[data-test=import-done]').waitForDisplayed({ timeout: 60_000 })
    const done = await b.$('[data-test=import-done]').getText()
    expect(done).toContain('已导入诉求 3 件')
    expect(done).toContain('其中 2 件保留了台账原有的诉求编号')
    await shot(b, 'import-11-ledger-done')
    await click('[data-test=import-finish]')
    await b.waitUntil(async () => (await texts(b, '[data-test=request-table] .el-table__row')).some((r) => r.includes('2025-000012')), {
      timeout: 20_000,
      timeoutMsg: 'the imported request is not on the ledger',
    })
  })
})
