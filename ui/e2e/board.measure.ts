// The 走访排班 board at the size the issue names (≈150 cadres × 90 days) in the release app,
// through WebDriver: time to show it, then frame intervals while it is scrolled diagonally for
// four seconds, one scroll step per animation frame. Writes JSON for `cargo xtask bench`.
import { it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { startApp, stopDriver } from './app'

it('scrolls the plan board', async () => {
  const dir = process.env.MINQING_BENCH_BOARD_DIR
  const out = process.env.MINQING_BENCH_JSON
  if (!dir || !out) throw new Error('MINQING_BENCH_BOARD_DIR and MINQING_BENCH_JSON must be set')
  const app = await startApp(dir)
  const b = app.browser
  try {
    const nav = await b.$('[data-test=nav-plan]')
    await nav.waitForClickable({ timeout: 60_000 })
    await nav.click()
    await b.$('#tab-board').waitForClickable({ timeout: 60_000 })
    const t0 = performance.now()
    await b.$('#tab-board').click()
    await b.waitUntil(async () => (await b.$$('[data-test^=cell-]').length) > 0, { timeout: 60_000, interval: 10 })
    const showMs = performance.now() - t0
    await b.pause(500)
    const result = (await b.executeAsync((done: (r: unknown) => void) => {
      const el = document.querySelector('[data-test=plan-board]') as HTMLElement
      const frames: number[] = []
      let i = 0
      let last = performance.now()
      const start = last
      const step = (now: number) => {
        frames.push(now - last)
        last = now
        i++
        el.scrollTop = (i * 37) % Math.max(1, el.scrollHeight - el.clientHeight)
        el.scrollLeft = (i * 23) % Math.max(1, el.scrollWidth - el.clientWidth)
        if (now - start < 4000) requestAnimationFrame(step)
        else done({ frames: frames.slice(1), cells: document.querySelectorAll('[data-test^=cell-]').length })
      }
      requestAnimationFrame(step)
    })) as { frames: number[]; cells: number }
    const board = await b.$('[data-test=plan-board]')
    const cadres = Number(await board.getAttribute('data-cadres'))
    const days = Number(await board.getAttribute('data-days'))
    const f = [...result.frames].sort((x, y) => x - y)
    const pick = (q: number) => f[Math.min(f.length - 1, Math.floor(q * f.length))]
    const total = result.frames.reduce((s, x) => s + x, 0)
    writeFileSync(
      out,
      JSON.stringify(
        {
          cadres,
          days,
          showMs,
          frames: f.length,
          fps: (f.length / total) * 1000,
          frameP50Ms: pick(0.5),
          frameP95Ms: pick(0.95),
          frameMaxMs: f[f.length - 1],
          cellsRendered: result.cells,
        },
        null,
        2,
      ),
    )
  } finally {
    await app.stop()
    await stopDriver()
  }
})
