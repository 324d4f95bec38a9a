// Cold start of the desktop app on a large database, through WebDriver: from asking for a new
// app process to the first rendered household list; then the next page of 50 rows, timed in
// the page; then the memory of the app and its web processes. Writes JSON for
// `cargo xtask bench`.
import { it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { startApp, stopDriver } from './app'

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
  const app = execFileSync('pgrep', ['-f', '--', `--data-dir ${dataDir}`]).toString().trim().split('\n').map(Number)
  const parent = new Map<number, number>()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      /* gone */
    }
  }
  const mine = new Set(app)
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, pp] of parent) {
      if (!mine.has(pid) && mine.has(pp)) {
        mine.add(pid)
        grew = true
      }
    }
  }
  const kb: Record<string, number> = {}
  for (const pid of mine) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

it('cold start to the first household list, the next page, memory', async () => {
  const dir = process.env.MINQING_BENCH_DATA_DIR
  const out = process.env.MINQING_BENCH_JSON
  if (!dir || !out) throw new Error('MINQING_BENCH_DATA_DIR and MINQING_BENCH_JSON must be set')
  const runs: ({ window: number; dashboard: number; households: number; pages: [number, number][] } & Memory)[] = []
  for (let i = 0; i < 3; i++) {
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
    runs.push({ window, dashboard, households, pages, ...split(pssKb(dir)) })
    await app.stop()
  }
  await stopDriver()
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
      },
      null,
      2,
    ),
  )
})
