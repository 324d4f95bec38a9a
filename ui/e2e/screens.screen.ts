// The window on a township office's screen. `cargo xtask test` runs this file once per screen
// size under its own Xvfb (MINQING_SCREEN=1366x768, then 1536x864 — 1920×1080 at 125 %), with
// a fresh XDG_CONFIG_HOME so the window-state plugin starts without a remembered window.
// Every screen is opened and photographed (target/e2e/screens-<size>/), and what a coordinator
// would need to reach must be on the screen. The 1366×768 run also takes the 使用说明's
// pictures (docs/guide/, MINQING_GUIDE_DIR) and the README's (docs/screenshot-*.png, beside
// docs/guide/), so they cannot go stale.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newDataDir, openTab, repo, shots, startApp, stopDriver, type App } from './app'
import { decodePng } from './png'

const screen = process.env.MINQING_SCREEN ?? '1366x768'
const [screenW, screenH] = screen.split('x').map(Number)
const dir = join(shots, `screens-${screen}`)
const guideDir = process.env.MINQING_GUIDE_DIR
const today = '2026-11-30'
mkdirSync(dir, { recursive: true })

let app: App | null = null
let b: WebdriverIO.Browser

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && app) await photo(`failed-${ctx.task.name.slice(0, 30)}`).catch(() => {})
  // Each test starts its own app on the same data folder; one left running would take over
  // the next launch (the app is single-instance).
  await app?.stop()
  app = null
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

/** A screenshot; on the 1366 run also the 使用说明's picture `guide` and the README's `readme`. */
async function photo(name: string, guide?: string, readme?: string) {
  await b.pause(400)
  const file = join(dir, `${name}.png`)
  await b.saveScreenshot(file)
  if (guide && guideDir) {
    mkdirSync(guideDir, { recursive: true })
    copyFileSync(file, join(guideDir, `${guide}.png`))
  }
  if (readme && guideDir) copyFileSync(file, join(guideDir, '..', `screenshot-${readme}.png`))
}

async function click(sel: string) {
  const e = await b.$(sel)
  await e.waitForClickable({ timeout: 30_000 })
  await e.click()
}

/** What does not fit: the page scrolling sideways, and buttons or inputs outside the window. */
async function overflow(): Promise<string[]> {
  return b.execute(() => {
    const out: string[] = []
    const w = window.innerWidth
    const h = window.innerHeight
    const main = document.querySelector('.el-main') as HTMLElement | null
    if (main && main.scrollWidth > main.clientWidth + 1) out.push(`页面横向溢出 ${main.scrollWidth - main.clientWidth}px`)
    // Panels and scrolling areas of a page (not tables or the board, which scroll on purpose).
    for (const el of Array.from(document.querySelectorAll('.el-main .panel, .el-main .scroll, .el-main .el-card__body'))) {
      const e = el as HTMLElement
      if (e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1) out.push(`${e.className} 横向溢出 ${e.scrollWidth - e.clientWidth}px`)
    }
    for (const el of Array.from(document.querySelectorAll('.el-dialog, .el-drawer, .el-message-box'))) {
      const r = (el as HTMLElement).getBoundingClientRect()
      if (r.width === 0) continue
      if (r.top < 0 || r.bottom > h + 1 || r.left < 0 || r.right > w + 1) out.push(`对话框超出窗口：${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)}`)
    }
    for (const el of Array.from(document.querySelectorAll('.el-main .el-button, .el-dialog .el-button, .el-header .el-button'))) {
      const r = (el as HTMLElement).getBoundingClientRect()
      if (r.width === 0 || r.height === 0) continue
      if (r.right > w + 1) out.push(`按钮在窗口右边外：${(el as HTMLElement).innerText.trim()}`)
    }
    return out
  })
}

async function expectFits(what: string) {
  expect(await overflow(), what).toEqual([])
}

/** Whether the 排班看板's header row is painted on the screen, read from a screenshot's pixels
 * (the DOM holds its text either way): its background over the dates' columns, dark text (the
 * dates) there, and dark text in the corner (干部 \ 日期). WebKitGTK once left the whole row
 * white when the board opened scrolled sideways to today. */
async function boardHeadPainted() {
  const box = await b.execute(() => {
    const board = document.querySelector('[data-test=plan-board]')!.getBoundingClientRect()
    const head = document.querySelector('[data-test=plan-board] .head')!.getBoundingClientRect()
    const corner = document.querySelector('[data-test=plan-board] .corner')!.getBoundingClientRect()
    return { left: board.left, right: board.right, top: head.top, bottom: head.bottom, split: corner.right, dpr: window.devicePixelRatio }
  })
  const shot = decodePng(Buffer.from(await b.takeScreenshot(), 'base64'))
  const px = (v: number) => Math.round(v * box.dpr)
  let cells = 0
  let white = 0
  let datesDark = 0
  let cornerDark = 0
  for (let y = px(box.top + 3); y < px(box.bottom - 3); y++) {
    for (let x = px(box.left + 3); x < Math.min(shot.width, px(box.right - 20)); x++) {
      const [r, g, bl] = shot.rgb(x, y)
      const dark = Math.max(r, g, bl) < 140
      if (x < px(box.split)) {
        if (dark) cornerDark++
        continue
      }
      cells++
      if (r === 255 && g === 255 && bl === 255) white++
      if (dark) datesDark++
    }
  }
  return { background: cells > 0 && white / cells < 0.1, dates: datesDark > 0, corner: cornerDark > 0 }
}

async function nav(path: string) {
  await click(`[data-test=nav-${path}]`)
  await b.pause(800)
}

function cli(db: string, ...args: string[]) {
  execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, '--today', today, ...args], {
    cwd: repo,
    env: { ...process.env, MINQING_DB: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

describe(`屏幕 ${screen}`, () => {
  const data = newDataDir(`screens-${screen}`)

  it('opens inside the screen the first time, its title bar visible', async () => {
    app = await startApp(data, ['--today', today])
    b = app.browser
    await b.$('[data-test=welcome-demo]').waitForDisplayed({ timeout: 30_000 })
    const rect = await b.getWindowRect()
    expect(rect.y).toBeGreaterThanOrEqual(0)
    expect(rect.x).toBeGreaterThanOrEqual(0)
    expect(rect.y + rect.height).toBeLessThanOrEqual(screenH)
    expect(rect.x + rect.width).toBeLessThanOrEqual(screenW)
    await expectFits('欢迎')
    await photo('01-welcome', '01-welcome')
    await click('[data-test=welcome-blank]')
  })

  it('brings a window remembered on a larger monitor back onto this screen', async () => {
    // The window-state plugin's file, as a larger monitor above this one left it: the window's
    // top 300 pixels above the screen, and taller than this screen.
    const config = process.env.XDG_CONFIG_HOME
    expect(config, 'xtask sets XDG_CONFIG_HOME for this run').toBeTruthy()
    const folder = join(config!, 'org.minqing.desktop')
    mkdirSync(folder, { recursive: true })
    const main = { width: 1360, height: 860, x: 100, y: -300, prev_x: 100, prev_y: -300, maximized: false, visible: true, decorated: true, fullscreen: false }
    writeFileSync(join(folder, '.window-state.json'), JSON.stringify({ main }))
    app = await startApp(data, ['--today', today])
    b = app.browser
    await b.$('.el-menu').waitForDisplayed({ timeout: 30_000 })
    const rect = await b.getWindowRect()
    expect(rect.y).toBeGreaterThanOrEqual(0)
    expect(rect.y + rect.height).toBeLessThanOrEqual(screenH)
    expect(rect.x + rect.width).toBeLessThanOrEqual(screenW)
  })

  it('shows every screen of a township with 90 days of work whole', async () => {
    // The blank database of the first start gets a demo township with activity and a plan.
    const db = join(data, 'minqing.db')
    cli(db, 'demo', '--households', '6000', '--activity', '90')
    cli(db, 'plan', 'create', '--name', '2026年第四季度', '--from', '2026-10-01', '--to', '2026-12-31')
    const fixtures = mkdtempSync(join(tmpdir(), 'minqing-screens-'))
    execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--example', 'roster_fixtures', '--', fixtures], { cwd: repo, stdio: 'inherit' })
    process.env.MINQING_E2E_PICK_FILE = join(fixtures, '黄河村花名册.xlsx')
    await stopDriver() // the driver passes the environment on to the app it starts
    app = await startApp(data, ['--today', today])
    b = app.browser
    await b.$('.el-menu').waitForDisplayed({ timeout: 30_000 })

    await nav('dashboard')
    await b.$('[data-test=dash-charts-spot]').scrollIntoView()
    await b.$('[data-test=dash-charts]').waitForDisplayed({ timeout: 30_000 }).catch(() => {})
    // Back to the top for the photo: every scrolled box above the first card.
    await b.execute(() => {
      for (let e: Element | null = document.querySelector('[data-test=dash-charts-spot]'); e; e = e.parentElement) e.scrollTop = 0
      window.scrollTo(0, 0)
    })
    await expectFits('工作台')
    await photo('02-dashboard', '02-dashboard', 'dashboard-charts')

    await nav('households')
    await b.$('[data-test=household-table]').waitForDisplayed({ timeout: 30_000 })
    await expectFits('户籍台账')
    await photo('03-households', undefined, 'households')
    await click('[data-test=add-household]')
    await b.$('.el-dialog').waitForDisplayed()
    await expectFits('农户表单')
    await photo('03b-household-form', undefined, 'household-form')
    await b.keys('Escape')
    await b.pause(500)
    await click('[data-test=import-households]')
    await b.$('[data-test=import-dialog]').waitForDisplayed()
    await click('[data-test=import-pick]')
    await b.$('[data-test=import-mapping]').waitForDisplayed({ timeout: 30_000 })
    await expectFits('导入花名册')
    await photo('03c-import-mapping', '03-import-mapping', 'import-mapping')
    await click('[data-test=import-check]')
    await b.$('[data-test=import-report]').waitForDisplayed({ timeout: 60_000 })
    await expectFits('导入花名册 · 检查结果')
    await photo('03d-import-problems', undefined, 'import-problems')
    await b.keys('Escape')
    await b.$('[data-test=import-dialog]').waitForDisplayed({ reverse: true, timeout: 10_000 })
    await b.pause(500)

    await nav('cadres')
    await expectFits('干部队伍')
    await photo('04-cadres')

    await nav('plan')
    await b.$('[data-test=compute]').waitForDisplayed({ timeout: 30_000 })
    await expectFits('走访排班')
    await photo('05-plan-summary', '04-plan-summary', 'plan-summary')
    await openTab(b, 'board')
    await b.pause(1200)
    await expectFits('排班看板')
    // It opens scrolled to today (the cycle began two months ago), its date row on the screen.
    expect(await b.$('[data-test=plan-board]').getProperty('scrollLeft'), '看板滚动到今天').toBeGreaterThan(0)
    expect(await boardHeadPainted(), '排班看板的日期行画出来了').toEqual({ background: true, dates: true, corner: true })
    await photo('05b-plan-board', '05-plan-board', 'plan-board')

    await nav('visits')
    await expectFits('走访记录')
    await photo('06-visits', '06-visit')

    await nav('requests')
    await expectFits('民情诉求')
    await photo('07-requests', '07-requests')

    await nav('projects')
    await expectFits('实事项目')
    await photo('08-projects')

    await nav('reports')
    // The preview's figures, not its loading mask.
    await b.waitUntil(async () => !(await b.$('[data-test=report-preview] .el-loading-mask').isExisting()), { timeout: 30_000 })
    await expectFits('报表导出')
    await photo('09-reports', '08-reports', 'reports')

    await nav('audit')
    await expectFits('操作记录')
    await photo('10-audit', undefined, 'audit')

    await nav('settings')
    await openTab(b, 'data')
    await b.$('[data-test=backup-table]').waitForDisplayed({ timeout: 30_000 })
    await expectFits('设置 · 数据与关于')
    await photo('11-settings-data', '09-backups')
  })
})
