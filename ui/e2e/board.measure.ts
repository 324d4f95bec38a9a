// The 走访排班 board at the size the issue names (≈150 cadres × 90 days) in the release app,
// through WebDriver: time to show it, then frame intervals while it is scrolled diagonally,
// one scroll step per animation frame — against a plain element of the same size holding the
// same number of static cells, scrolled the same way in the same window (what the webview and
// the display cost without us). Rounds alternate between the two so drift hits both alike.
// Writes JSON for `cargo xtask bench`.
import { it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { openTab, startApp, stopDriver } from './app'

const ROUNDS = 4
const ROUND_MS = 1500

type Run = { frames: number[]; cells: number }

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
    await openTab(b, 'board')
    await b.waitUntil(async () => (await b.$$('[data-test^=cell-]').length) > 0, { timeout: 60_000, interval: 10 })
    const showMs = performance.now() - t0
    await b.pause(500)

    const scroll = (plain: boolean) =>
      b.executeAsync(
        (plain: boolean, ms: number, done: (r: Run) => void) => {
          const board = document.querySelector('[data-test=plan-board]') as HTMLElement
          let el = board
          if (plain) {
            const r = board.getBoundingClientRect()
            el = document.createElement('div')
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
          }
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
            if (now - start < ms) requestAnimationFrame(step)
            else {
              const cells = document.querySelectorAll('[data-test^=cell-]').length
              if (plain) el.remove()
              done({ frames: frames.slice(1), cells })
            }
          }
          requestAnimationFrame(step)
        },
        plain,
        ROUND_MS,
      ) as Promise<Run>

    const fps = (f: number[]) => (f.length / f.reduce((s, x) => s + x, 0)) * 1000
    const boardFrames: number[] = []
    const ratios: number[] = []
    const boardFps: number[] = []
    const plainFps: number[] = []
    let cells = 0
    for (let r = 0; r < ROUNDS; r++) {
      const p = await scroll(true)
      await b.pause(200)
      const q = await scroll(false)
      await b.pause(200)
      boardFrames.push(...q.frames)
      cells = q.cells
      plainFps.push(fps(p.frames))
      boardFps.push(fps(q.frames))
      ratios.push(fps(q.frames) / fps(p.frames))
    }
    const board = await b.$('[data-test=plan-board]')
    const cadres = Number(await board.getAttribute('data-cadres'))
    const days = Number(await board.getAttribute('data-days'))
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
    const f = [...boardFrames].sort((x, y) => x - y)
    const pick = (q: number) => f[Math.min(f.length - 1, Math.floor(q * f.length))]
    writeFileSync(
      out,
      JSON.stringify(
        {
          cadres,
          days,
          showMs,
          rounds: ROUNDS,
          fps: median(boardFps),
          baselineFps: median(plainFps),
          ratio: median(ratios),
          ratios,
          frameP50Ms: pick(0.5),
          frameP95Ms: pick(0.95),
          frameMaxMs: f[f.length - 1],
          cellsRendered: cells,
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
