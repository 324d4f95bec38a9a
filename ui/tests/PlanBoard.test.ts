// The 排班看板 renders only what is in view: a township's 150 cadres × 90 days would be 13,500
// cells, and the board must still scroll smoothly on an office PC.
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { Lock } from '@element-plus/icons-vue'
import PlanBoard from '@/components/plan/PlanBoard.vue'
import type { Board } from '@/bindings/Board'

function board(cadres: number, days: number): Board {
  const start = new Date('2027-01-01T00:00:00Z')
  const dates = Array.from({ length: days }, (_, i) => new Date(start.getTime() + i * 86400000).toISOString().slice(0, 10))
  return {
    versionId: 1,
    days: dates,
    working: dates.map((_, i) => i % 7 < 5),
    rows: Array.from({ length: cadres }, (_, r) => ({
      cadreId: r + 1,
      name: `干部${r + 1}`,
      unit: '镇政府',
      planned: days,
      cells: dates.map((_, day) => ({ day, village: '黄河村', count: 3, done: 0, locked: day % 10 === 0 ? 1 : 0 })),
    })),
  }
}

function mountBoard(b: Board) {
  return mount(PlanBoard, {
    props: { board: b, rows: b.rows, perDay: 5, today: '2027-01-01' },
    global: { plugins: [ElementPlus], components: { Lock } },
    attachTo: document.body,
  })
}

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))

describe('PlanBoard', () => {
  it('renders a few hundred of 13,500 cells, and the rows scrolled to after a scroll', async () => {
    const b = board(150, 90)
    const w = mountBoard(b)
    const cells = w.findAll('.cell')
    // The default view (1200 × 600 px) holds about 22 columns × 17 rows, plus the overscan.
    expect(cells.length).toBeGreaterThan(100)
    expect(cells.length).toBeLessThan(1000)
    expect(w.findAll('.name').length).toBeLessThan(40)
    expect(w.find('[data-test="cell-1-2027-01-01"]').exists()).toBe(true)
    expect(w.find('[data-test="cell-120-2027-03-01"]').exists()).toBe(false)
    // The whole board is still as large as all of it, so the scroll bars are true.
    const canvas = w.find('.canvas').element as HTMLElement
    expect(canvas.style.height).toBe(`${46 + 150 * 32}px`)
    expect(canvas.style.width).toBe(`${168 + 90 * 46}px`)

    // Scroll to cadre 120 and to the start of March.
    const scroller = w.find('[data-test="plan-board"]').element as HTMLElement
    scroller.scrollTop = 119 * 32
    scroller.scrollLeft = 59 * 46
    await w.find('[data-test="plan-board"]').trigger('scroll')
    await frame()
    await w.vm.$nextTick()
    expect(w.find('[data-test="cell-120-2027-03-01"]').exists()).toBe(true)
    expect(w.find('[data-test="cell-1-2027-01-01"]').exists()).toBe(false)
    expect(w.findAll('.cell').length).toBeLessThan(1000)
    expect(w.findAll('.name').map((n) => n.find('.who').text())).toContain('干部120')
    w.unmount()
  })

  it('scrolls a date into view and tells which cadre-day was clicked', async () => {
    const b = board(10, 90)
    const w = mountBoard(b)
    ;(w.vm as unknown as { scrollToDate: (d: string) => void }).scrollToDate('2027-02-15')
    const scroller = w.find('[data-test="plan-board"]').element as HTMLElement
    // Not in the frame the board appears in (WebKitGTK would leave the date row unpainted),
    // but once a frame has been drawn.
    expect(scroller.scrollLeft).toBe(0)
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
    expect(scroller.scrollLeft).toBe(45 * 46)
    await w.find('[data-test="cell-3-2027-01-02"]').trigger('click')
    const [row, cell] = w.emitted('open')![0] as [{ cadreId: number }, { day: number }]
    expect(row.cadreId).toBe(3)
    expect(cell.day).toBe(1)
    w.unmount()
  })
})
