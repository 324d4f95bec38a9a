// Cold start of the desktop app on a large database, through WebDriver: from asking for a new
// app process to the first rendered household row. Writes JSON for `cargo xtask bench`.
import { it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { startApp, stopDriver } from './app'

it('cold start to the first household list', async () => {
  const dir = process.env.MINQING_BENCH_DATA_DIR
  const out = process.env.MINQING_BENCH_JSON
  if (!dir || !out) throw new Error('MINQING_BENCH_DATA_DIR and MINQING_BENCH_JSON must be set')
  const runs: { window: number; dashboard: number; households: number }[] = []
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    const app = await startApp(dir)
    const b = app.browser
    const window = performance.now() - t0
    const nav = await b.$('[data-test=nav-households]')
    await nav.waitForExist({ timeout: 60_000 })
    await b.$('[data-test="card-在册户"]').waitForExist({ timeout: 60_000 })
    const dashboard = performance.now() - t0
    await nav.click()
    await b.waitUntil(async () => (await b.$$('[data-test=row-name]').length) > 0, { timeout: 60_000, interval: 20 })
    const households = performance.now() - t0
    runs.push({ window, dashboard, households })
    await app.stop()
  }
  await stopDriver()
  const median = (k: 'window' | 'dashboard' | 'households') => runs.map((r) => r[k]).sort((a, b) => a - b)[1]
  writeFileSync(out, JSON.stringify({ runs, windowMs: median('window'), dashboardMs: median('dashboard'), householdsMs: median('households') }, null, 2))
})
