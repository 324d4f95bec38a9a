// 报表导出 and 区级汇总 in the real app: a township with a season of visits and requests (made
// by the CLI), the preview with the workbooks' numbers (the 办实事竞赛 too), seven workbooks saved
// at once, the
// unmasked export asking first, the district merge of three townships with a late one left
// out, and the 工作台's charts.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { newDataDir, openTab, repo, shot, startApp, stopDriver, texts, type App } from './app'

const TODAY = '2026-11-20'
const dir = newDataDir('reports')
const work = mkdtempSync(join(tmpdir(), 'minqing-e2e-reports-files-'))
const saveDir = join(work, '保存')
mkdirSync(saveDir)

function minqing(db: string, args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, '--today', TODAY, ...args], {
    cwd: repo,
    env: { ...process.env, MINQING_DB: '' },
  }).toString()
}

// The township the app opens, and two neighbours whose workbooks the district merges.
minqing(join(dir, 'minqing.db'), ['demo', '--households', '1500', '--activity', '100'])
const others: string[] = []
for (const [name, seed] of [
  ['耿车镇', '2'],
  ['王官集镇', '3'],
]) {
  const db = join(work, `${name}.db`)
  minqing(db, ['demo', '--households', '800', '--seed', seed, '--township', name, '--activity', '90'])
  const out = join(work, `${name}_走访情况统计表.xlsx`)
  minqing(db, ['export', 'visit-stats', '--out', out])
  others.push(out)
}
// 王官集镇 also sent last month's by mistake: left out, and said so.
const late = join(work, '王官集镇_上月.xlsx')
minqing(join(work, '王官集镇.db'), ['export', 'visit-stats', '--from', '2026-10-01', '--to', '2026-10-31', '--out', late])
const ours = join(work, '龙河镇_走访情况统计表.xlsx')
minqing(join(dir, 'minqing.db'), ['export', 'visit-stats', '--out', ours])
const registered = JSON.parse(minqing(join(dir, 'minqing.db'), ['--json', 'stats'])).households as number

process.env.MINQING_E2E_SAVE_DIR = saveDir
process.env.MINQING_E2E_PICK_FILES = [ours, ...others, late].join('|')

let app: App
let b: WebdriverIO.Browser

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-reports-${ctx.task.name.slice(0, 30)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

describe('district reports', () => {
  it('previews the month with the workbooks’ numbers and saves seven workbooks at once', async () => {
    app = await startApp(dir, ['--today', TODAY])
    b = app.browser
    await b.$('[data-test=nav-reports]').waitForClickable({ timeout: 30_000 })
    await b.$('[data-test=nav-reports]').click()
    await b.$('[data-test=preview-villages]').waitForDisplayed({ timeout: 30_000 })
    await b.waitUntil(async () => (await b.$$('[data-test=preview-villages] .el-table__row').length) > 5)
    const rows = await texts(b, '[data-test=preview-villages] .el-table__body tr')
    const total = rows.find((r) => r.startsWith('合计'))!
    // 应访户数 of the whole township is every registered household.
    expect(total.split(/\s+/)[1]).toBe(String(registered))
    await shot(b, '40-reports-preview')
    // The 办实事竞赛 by unit: the demo's departments, ranked, with the rule printed.
    const contest = JSON.parse(minqing(join(dir, 'minqing.db'), ['--json', 'export', 'project-contest', '--out', join(work, 'contest.xlsx')]))
    await openTab(b, 'contest')
    await b.$('[data-test=preview-contest]').waitForDisplayed()
    const lines = await texts(b, '[data-test=preview-contest] .el-table__body tr')
    expect(lines.length).toBe(contest.rows + 1)
    expect(lines[0].startsWith('1')).toBe(true)
    expect(lines[lines.length - 1]).toContain('合计')
    expect(await b.$('[data-test=report-preview]').getText()).toContain('得分 = 已完成项目数×10')
    await shot(b, '40b-reports-contest')
    // The month's 先进典型, as the CLI lists them.
    const cases = JSON.parse(minqing(join(dir, 'minqing.db'), ['--json', 'case', 'list', '--from', '2026-11-01', '--to', '2026-11-30'])) as { title: string }[]
    await openTab(b, 'cases')
    await b.$('[data-test=preview-cases]').waitForDisplayed()
    const caseRows = await texts(b, '[data-test=preview-cases] .el-table__body tr')
    expect(caseRows.length).toBe(cases.length)
    expect(cases.length).toBeGreaterThan(0)
    expect(caseRows.join('\n')).toContain(cases[0].title)
    await shot(b, '40c-reports-cases')
    await openTab(b, 'village')

    await b.$('[data-test=report-export]').click()
    const done = await b.$('[data-test=export-done]')
    await done.waitForDisplayed({ timeout: 60_000 })
    const listed = (await texts(b, '[data-test=export-done] li')).join('\n')
    for (const t of ['走访情况统计表', '民情诉求台账', '诉求办理情况汇总表', '干部走访考核表', '督办通报', '实事项目台账', '办实事竞赛情况表']) expect(listed).toContain(t)
    const files = readdirSync(saveDir)
    expect(files.filter((f) => f.endsWith('_2026年11月.xlsx'))).toHaveLength(7)
    await shot(b, '41-reports-saved')
    await b.keys('Escape')
    await done.waitForDisplayed({ reverse: true })
  })

  it('asks before an unmasked export and writes nothing when cancelled', async () => {
    const before = readdirSync(saveDir).length
    await b.$('[data-test=report-masking] .el-radio:nth-child(3)').click()
    await b.$('[data-test=report-export]').click()
    const box = await b.$('.el-message-box')
    await box.waitForDisplayed()
    expect(await box.getText()).toContain('不得外传')
    await shot(b, '42-reports-unmasked-confirm')
    await b.$('.el-message-box__btns .el-button:first-child').click()
    await box.waitForDisplayed({ reverse: true })
    await b.pause(500)
    expect(readdirSync(saveDir).length).toBe(before)
    await b.$('[data-test=report-masking] .el-radio:nth-child(1)').click()
  })

  it('merges three townships and leaves last month’s workbook out, saying so', async () => {
    await openTab(b, 'merge')
    await b.$('[data-test=merge-run]').waitForClickable()
    await b.$('[data-test=merge-run]').click()
    const result = await b.$('[data-test=merge-result]')
    await result.waitForDisplayed({ timeout: 60_000 })
    const text = (await texts(b, '[data-test=merge-result]')).join('\n')
    expect(text).toContain('已汇总 3 个乡镇（2026年11月）')
    expect(text).toContain('王官集镇_上月.xlsx')
    expect(text).toContain('2026-10-01')
    expect(readdirSync(saveDir).some((f) => f.startsWith('区级汇总_'))).toBe(true)
    await shot(b, '43-reports-merge')
  })

  it('draws the 工作台 charts from the same statistics', async () => {
    await b.$('[data-test=nav-dashboard]').click()
    // The charts load when scrolled to, not with the figures above them.
    await b.$('[data-test=dash-charts-spot]').waitForExist({ timeout: 30_000 })
    await b.$('[data-test=dash-charts-spot]').scrollIntoView()
    await b.$('[data-test=dash-charts]').waitForDisplayed({ timeout: 30_000 })
    await b.$('[data-test=chart-coverage] canvas').waitForExist({ timeout: 30_000 })
    await b.$('[data-test=chart-requests] canvas').waitForExist()
    await b.$('[data-test=chart-rates] canvas').waitForExist()
    await b.$('[data-test=dash-charts]').scrollIntoView()
    await b.pause(800)
    await shot(b, '44-dashboard-charts')
    expect(existsSync(saveDir)).toBe(true)
  })
})
