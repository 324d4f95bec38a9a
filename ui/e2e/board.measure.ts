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
    // The same diagonal scroll of a plain element the size of the board with the same number
    // of static cells, inside the same window: what the webview and the display cost without us.
    const baseline = (await b.executeAsync((done: (r: unknown) => void) => {
      const board = document.querySelector('[data-test=plan-board]') as HTMLElement
      const r = board.getBoundingClientRect()
      const el = document.createElement('div')
      el.style.cssText = `position:fixed;left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px;overflow:auto;background:#fff;z-index:9999`
      const canvas = document.createElement('div')
      canvas.style.cssText = `position:relative;width:${board.scrollWidth}px;height:${board.scrollHeight}px`
      for (let i = 0; i < 160; i++) {
        const c = document.createElement('div')
        c.textContent = '8 东'
        c.style.cssText = `position:absolute;left:${(i % 16) * 46}px;top:${Math.floor(i / 16) * 32}px;width:42px;height:28px;background:rgba(64,158,255,.5)`
        canvas.appendChild(c)
      }
      el.appendChild(canvas)
      document.body.appendChild(el)
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
        if (now - start < 2000) requestAnimationFrame(step)
        else {
          el.remove()
          done(frames.slice(1))
        }
      }
      requestAnimationFrame(step)
    })) as number[]
    await b.pause(300)
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
          baselineFps: (baseline.length / baseline.reduce((s, x) => s + x, 0)) * 1000,
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
