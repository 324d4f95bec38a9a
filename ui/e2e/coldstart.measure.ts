// Cold start of the desktop app on a large database, through WebDriver: from asking for a new
// app process to the first rendered household list; then the next page of 50 rows, timed in
// the page; then the memory of the app and its web processes, beside two peers measured in the
// same run: WebKitGTK's own MiniBrowser on an empty page, and on a static copy of the same
// screen (its HTML and styles, no script). Writes JSON for `cargo xtask bench`.
import { it } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { remote } from 'webdriverio'
import { appPids, ensureDriver, processTree, startApp, stopDriver, waitForPort } from './app'

/** In the page: click `sel`, then wait until the first household row is there and differs from
 * before (checked on every change of the page). Answers `[in the page, painted]` in ms: the
 * rows are in the page, and the frame that shows them has been drawn (two frames later). */
function clickAndTime(sel: string, done: (ms: [number, number]) => void) {
  const first = document.querySelector('[data-test=row-name]')?.textContent ?? null
  const t0 = performance.now()
  const ok = () => {
    const r = document.querySelector('[data-test=row-name]')
    return !!r && r.textContent !== first
  }
  const finish = () => {
    const inPage = performance.now() - t0
    requestAnimationFrame(() => requestAnimationFrame(() => done([inPage, performance.now() - t0])))
  }
  const obs = new MutationObserver(() => {
    if (ok()) {
      obs.disconnect()
      finish()
    }
  })
  obs.observe(document.body, { subtree: true, childList: true, characterData: true })
  ;(document.querySelector(sel) as HTMLElement).click()
}

/** Proportional set size (kB) of the app on `dataDir` and of every process below it (WebKit's
 * web and network processes), by process name. */
function pssKb(dataDir: string): Record<string, number> {
  return treePssKb(appPids(dataDir))
}

/** Proportional set size (kB) of the processes `roots` and every process below them, by name. */
function treePssKb(roots: number[]): Record<string, number> {
  const kb: Record<string, number> = {}
  for (const [pid, name] of processTree(roots)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      kb[name] = (kb[name] ?? 0) + (m ? Number(m[1]) : 0)
    } catch {
      /* gone */
    }
  }
  return kb
}

/** In MB: the whole, the app, WebKit's web process and its network process (what else runs
 * below the app, a shell, counts in the whole only). /proc/PID/comm is cut at 15 characters. */
function split(kb: Record<string, number>) {
  const mb = (k: string) => (kb[k] ?? 0) / 1024
  return {
    pssMb: Object.values(kb).reduce((a, b) => a + b, 0) / 1024,
    appMb: mb('minqing-app'),
    webMb: mb('WebKitWebProces'),
    netMb: mb('WebKitNetworkPr'),
  }
}
type Memory = ReturnType<typeof split>

/** WebKitGTK's own browser, shipped with the library the app runs on. */
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'
/** The app's window size (tauri.conf.json), so both draw the same area. */
const GEOMETRY = '1360x860'

/** PSS (MB) of MiniBrowser and its WebKit processes showing `url`, once it has settled. */
async function minibrowserMb(url: string): Promise<number> {
  const p = spawn(MINIBROWSER, [`--geometry=${GEOMETRY}`, url], { stdio: 'ignore' })
  try {
    await new Promise((r) => setTimeout(r, 5000))
    const kb = treePssKb([p.pid!])
    return Object.values(kb).reduce((a, b) => a + b, 0) / 1024
  } finally {
    p.kill()
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** In MiniBrowser's page: the static copy's next page, the way `clickAndTime` times the app's:
 * every row gets another row's content written into it, as the app's table does (keyed by
 * position): a cell of the same shape gets the other's text, any other cell the other's
 * markup. Then two frames. Answers `[in the page, painted]` in ms. */
function swapAndTime(done: (ms: [number, number]) => void) {
  const rows = [...(document.querySelector('[data-test=household-table] tbody') as HTMLTableSectionElement).rows]
  const from = rows.map((r) => r.cloneNode(true) as HTMLTableRowElement)
  const texts = (n: Node) => {
    const w = document.createTreeWalker(n, NodeFilter.SHOW_TEXT)
    const out: Text[] = []
    while (w.nextNode()) out.push(w.currentNode as Text)
    return out
  }
  const shape = (r: HTMLTableRowElement) => [...r.cells].map((c) => c.innerHTML.replace(/>[^<]*</g, '><'))
  const shapes = rows.map(shape)
  const t0 = performance.now()
  rows.forEach((r, i) => {
    const k = (i + 7) % rows.length
    ;[...r.cells].forEach((cell, j) => {
      const src = from[k].cells[j]
      if (shapes[k][j] === shapes[i][j]) {
        const to = texts(cell)
        texts(src).forEach((t, n) => {
          if (to[n].data !== t.data) to[n].data = t.data
        })
      } else cell.innerHTML = src.innerHTML
    })
  })
  const inPage = performance.now() - t0
  requestAnimationFrame(() => requestAnimationFrame(() => done([inPage, performance.now() - t0])))
}

/** The static copy in MiniBrowser under its own WebKitWebDriver, opened once after each app
 * start, so the app and its peer are measured in turns and a machine that slows down or
 * speeds up during the run slows or speeds both: from asking for a new browser to the first
 * household row of the copy in its page (the app's cold start without the app: no database,
 * no script, one screen, no click); on the last open, 21 page switches, as the app's. */
async function minibrowserDriver() {
  const port = 5500 + Math.floor(Math.random() * 400)
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore' })
  try {
    await waitForPort(port, 10_000)
  } catch (e) {
    driver.kill()
    throw e
  }
  return {
    async open(page: string, switches: number): Promise<{ open: number; pages: [number, number][] }> {
      const t0 = performance.now()
      const b = await remote({
        hostname: '127.0.0.1',
        port,
        logLevel: 'error',
        capabilities: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', `--geometry=${GEOMETRY}`] } } as WebdriverIO.Capabilities,
      })
      try {
        await b.url(`file://${page}`)
        await b.$('[data-test=row-name]').waitForExist({ timeout: 60_000, interval: 10 })
        const open = performance.now() - t0
        const pages: [number, number][] = []
        if (switches) await b.pause(1000)
        for (let k = 0; k < switches; k++) pages.push((await b.executeAsync(swapAndTime)) as [number, number])
        return { open, pages }
      } finally {
        await b.deleteSession()
      }
    },
    stop: () => driver.kill(),
  }
}

/** In the page: the screen as a static page, its styles inlined and no script. */
function staticCopy() {
  const css = [...document.styleSheets]
    .map((s) => {
      try {
        return [...s.cssRules].map((r) => r.cssText).join('\n')
      } catch {
        return ''
      }
    })
    .join('\n')
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${css}</style></head><body>${document.getElementById('app')?.outerHTML ?? ''}</body></html>`
}

/** App starts measured: their times vary by ±200 ms run to run on this machine. */
const RUNS = 5

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

it('cold start to the first household list, the next page, memory', async () => {
  const dir = process.env.MINQING_BENCH_DATA_DIR
  const out = process.env.MINQING_BENCH_JSON
  if (!dir || !out) throw new Error('MINQING_BENCH_DATA_DIR and MINQING_BENCH_JSON must be set')
  const runs: ({ window: number; dashboard: number; households: number; pages: [number, number][]; peerOpen: number } & Memory)[] = []
  // The peer's page: a static copy of the app's screen, taken on the first start.
  const peerDir = mkdtempSync(join(tmpdir(), 'minqing-peer-'))
  const page = join(peerDir, 'screen.html')
  const peer = await minibrowserDriver()
  const blank: number[] = []
  const same: number[] = []
  let peerPages: [number, number][] = []
  try {
    // The first of every run's five starts used to take 1.4–1.7 s. Two things in it were
    // not the app's: the driver's own start, and the fresh session bus starting
    // xdg-desktop-portal when the first app asks for it (on a desktop the
    // portal runs from login on, and Windows has none). Both are up before the first start.
    await ensureDriver()
    try {
      execFileSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.portal.Desktop', '/org/freedesktop/portal/desktop', 'org.freedesktop.DBus.Peer.Ping'], { stdio: 'ignore', timeout: 10_000 })
    } catch {
      /* no portal on this machine: then no app waits for one either */
    }
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now()
      const app = await startApp(dir)
      const b = app.browser
      const window = performance.now() - t0
      const nav = await b.$('[data-test=nav-households]')
      await nav.waitForExist({ timeout: 60_000, interval: 10 })
      await b.$('[data-test="card-在册户"]').waitForExist({ timeout: 60_000, interval: 10 })
      const dashboard = performance.now() - t0
      await nav.click()
      await b.waitUntil(async () => (await b.$$('[data-test=row-name]').length) > 0, { timeout: 60_000, interval: 10 })
      const households = performance.now() - t0
      const pages: [number, number][] = []
      for (let k = 0; k < 7; k++) pages.push((await b.executeAsync(clickAndTime, '.el-pagination .btn-next')) as [number, number])
      await b.pause(1000)
      const memory = split(pssKb(dir))
      if (i === 0) writeFileSync(page, (await b.execute(staticCopy)) as string)
      await app.stop()
      const p = await peer.open(page, i === RUNS - 1 ? 21 : 0)
      if (p.pages.length) peerPages = p.pages
      runs.push({ window, dashboard, households, pages, peerOpen: p.open, ...memory })
    }
    await stopDriver()
    // The memory peers, three times each: the engine's floor (an empty page), and the same
    // screen without the app (no Vue, no Element Plus script, no database).
    for (let i = 0; i < 3; i++) {
      blank.push(await minibrowserMb('about:blank'))
      same.push(await minibrowserMb(`file://${page}`))
    }
  } finally {
    peer.stop()
    rmSync(peerDir, { recursive: true, force: true })
  }
  const pick = (k: 'window' | 'dashboard' | 'households' | keyof Memory) => median(runs.map((r) => r[k]))
  const all = runs.flatMap((r) => r.pages)
  writeFileSync(
    out,
    JSON.stringify(
      {
        runs,
        windowMs: pick('window'),
        dashboardMs: pick('dashboard'),
        householdsMs: pick('households'),
        pageInPageMs: median(all.map((p) => p[0])),
        pagePaintedMs: median(all.map((p) => p[1])),
        pssMedianMb: pick('pssMb'),
        appMedianMb: pick('appMb'),
        webMedianMb: pick('webMb'),
        networkMedianMb: pick('netMb'),
        peerBlankMb: median(blank),
        peerScreenMb: median(same),
        peerOpenMs: median(runs.map((r) => r.peerOpen)),
        peerPageInPageMs: median(peerPages.map((p) => p[0])),
        peerPagePaintedMs: median(peerPages.map((p) => p[1])),
      },
      null,
      2,
    ),
  )
})
