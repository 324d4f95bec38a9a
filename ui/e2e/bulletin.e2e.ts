// 情况通报 and 先进典型 in the real app: a coordinator marks a visit as a 典型, opens the
// month's 通报 drafted from the data (the new case in it), rewrites one sentence, saves the
// Word document and finds both there — read back by python-docx — and the same paragraphs in
// the document the CLI writes from the same database; then the nominations and the 典型案例汇编.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { newDataDir, openTab, repo, shot, startApp, stopDriver, texts, type App } from './app'

const TODAY = '2026-11-20'
const dir = newDataDir('bulletin')
const db = join(dir, 'minqing.db')
const work = mkdtempSync(join(tmpdir(), 'minqing-e2e-bulletin-files-'))
const saveDir = join(work, '保存')
mkdirSync(saveDir)

function minqing(args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, '--today', TODAY, ...args], {
    cwd: repo,
    env: { ...process.env, MINQING_DB: '' },
  }).toString()
}

type Docx = { paragraphs: { text: string; runs: { eastAsia: string | null; size: number | null }[] }[] }
function readDocx(path: string): Docx {
  const python = process.env.MINQING_TEST_PYTHON ?? join(repo, 'target', 'pyenv', 'bin', 'python')
  return JSON.parse(execFileSync(python, [join(repo, 'src-tauri', 'core', 'tests', 'readdocx.py'), path]).toString())
}

minqing(['demo', '--households', '1500', '--activity', '100'])
process.env.MINQING_E2E_SAVE_DIR = saveDir

let app: App
let b: WebdriverIO.Browser

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-bulletin-${ctx.task.name.slice(0, 30)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

async function waitMessage(text: string) {
  await b.waitUntil(async () => (await texts(b, '.el-message--success')).some((t) => t.includes(text)), {
    timeout: 15_000,
    timeoutMsg: `没有出现“${text}”的提示`,
  })
}

const STORY = '结对干部帮独居的王大爷修好了漏雨的屋顶，还联系村医定期上门。'
const OWN = '现将本月全镇“三解三促”活动开展情况通报如下，请各村、各部门认真对照、抓好落实。'

describe('情况通报', () => {
  it('marks a visit as a 典型, drafts the month’s 通报, rewrites a sentence and saves it as Word', async () => {
    app = await startApp(dir, ['--today', TODAY])
    b = app.browser
    // A visit of this month marked as a 典型.
    await b.$('[data-test=nav-visits]').waitForClickable({ timeout: 30_000 })
    await b.$('[data-test=nav-visits]').click()
    const mark = await b.$('[data-test=visit-case]')
    await mark.waitForClickable({ timeout: 30_000 })
    await mark.click()
    const dialog = await b.$('[data-test=case-dialog]')
    await dialog.waitForDisplayed()
    await b.$('[data-field=story] textarea').addValue(STORY)
    await b.$('[data-field=quote] input').addValue('他比亲人还亲。')
    await b.$('[data-test=case-save]').click()
    await waitMessage('已标为先进典型')
    await dialog.waitForDisplayed({ reverse: true })

    // The month's 通报, drafted: the case is in it, and every paragraph follows the data.
    await b.$('[data-test=nav-reports]').click()
    await openTab(b, 'bulletin')
    const cases = await b.$('[data-test=bulletin-part-cases] textarea')
    await cases.waitForDisplayed({ timeout: 30_000 })
    await b.waitUntil(async () => (await cases.getValue()).includes(STORY), { timeout: 15_000, timeoutMsg: '通报的“先进典型”一段没有新标的典型' })
    expect(await cases.getValue()).toContain('群众说：“他比亲人还亲。”')
    const title = await b.$('[data-test=bulletin-part-title] textarea').getValue()
    expect(title).toBe('关于2026年11月“三解三促”活动开展情况的通报')
    const visits = await b.$('[data-test=bulletin-part-visits] textarea').getValue()
    expect(visits).toMatch(/^2026年11月，全镇\d+名干部走访农户\d+户、\d+户次/)
    expect(await b.$$('[data-test=bulletin-part-intro] .el-tag').length).toBe(0)
    await shot(b, '45-bulletin-draft')

    // One sentence rewritten: marked unsaved, then kept when saved as Word.
    const intro = await b.$('[data-test=bulletin-part-intro] textarea')
    await intro.click()
    await b.keys(['Control', 'a'])
    await b.keys('Backspace')
    await intro.addValue(OWN)
    await b.waitUntil(async () => (await texts(b, '[data-test=bulletin-part-intro] .el-tag')).includes('未保存'))
    await b.$('[data-test=bulletin-word]').click()
    const done = await b.$('[data-test=bulletin-done]')
    await done.waitForDisplayed({ timeout: 30_000 })
    expect(await done.getText()).toContain('其中 1 段是您改写的')
    const path = join(saveDir, readdirName())
    expect(existsSync(path)).toBe(true)
    await shot(b, '46-bulletin-saved')
    await b.$('.el-dialog__headerbtn').click()
    await done.waitForDisplayed({ reverse: true })
    await b.waitUntil(async () => (await texts(b, '[data-test=bulletin-part-intro] .el-tag')).some((t) => t.includes('已改写')))

    // The Word document as a second reader sees it: the title in 小标宋, the rewritten
    // sentence and the case in 仿宋 三号.
    const doc = readDocx(path)
    const paras = doc.paragraphs.map((p) => p.text)
    expect(paras[0]).toBe(title)
    expect(doc.paragraphs[0].runs[0].eastAsia).toBe('方正小标宋简体')
    const own = doc.paragraphs.find((p) => p.text === OWN)
    expect(own, 'the rewritten sentence is in the document').toBeTruthy()
    expect(own!.runs[0]).toMatchObject({ eastAsia: '仿宋', size: 16 })
    expect(paras.some((t) => t.includes(STORY))).toBe(true)
    // The CLI writes the same 通报 from the same database (the kept edit included).
    const cli = join(work, 'cli.docx')
    minqing(['export', 'bulletin', '--from', '2026-11-01', '--to', '2026-11-30', '--out', cli])
    expect(readDocx(cli).paragraphs.map((p) => p.text)).toEqual(paras)

    // 复制全文: the whole text to the clipboard.
    await b.$('[data-test=bulletin-copy]').click()
    await waitMessage('已复制通报全文')

    // Back to the draft: the paragraph follows the data again.
    await b.$('[data-test=bulletin-revert-intro]').click()
    await waitMessage('已恢复为草稿')
    expect(await b.$('[data-test=bulletin-part-intro] textarea').getValue()).toBe('现将2026年11月龙河镇“三解三促”活动开展情况通报如下。')
  })

  it('nominates for a selection and compiles the 典型案例汇编', async () => {
    await openTab(b, 'export')
    await openTab(b, 'cases')
    const table = await b.$('[data-test=nominees]')
    await table.waitForDisplayed()
    await b.waitUntil(async () => (await b.$$('[data-test=nominees] .el-table__row').length) > 0, { timeout: 15_000, timeoutMsg: '推荐名单是空的' })
    const rows = await texts(b, '[data-test=nominees] .el-table__row')
    expect(rows.some((r) => r.includes('干部'))).toBe(true)
    await shot(b, '47-nominees')
    await b.$('[data-test=casebook-export]').click()
    const done = await b.$('[data-test=casebook-done]')
    await done.waitForDisplayed({ timeout: 30_000 })
    const book = readDocx(join(saveDir, readdirName('先进典型案例汇编')))
    expect(book.paragraphs.some((p) => p.text.includes(STORY))).toBe(true)
  })
})

/** The one file in the save folder whose name holds `part` (情况通报 by default). */
function readdirName(part = '情况通报'): string {
  const names = readdirSync(saveDir)
  const found = names.filter((n) => n.includes(part) && n.endsWith('.docx'))
  expect(found.length, names.join(', ')).toBe(1)
  return found[0]
}
