// The screenshot reader the screens test uses to see whether the 排班看板's date row was
// painted (e2e/png.ts). The fixtures were written by a separate encoder whose rows use the five
// PNG filters in turn (row y: filter y % 5), and read back by PIL as a check of that encoder;
// every pixel here is compared with the pattern they were made from.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodePng } from '../e2e/png'

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name))
const pattern = (x: number, y: number) => [(x * 7 + y * 3) % 256, (x * x + y * 5) % 256, (x * y + 13) % 256]

describe('decodePng', () => {
  for (const name of ['filters-rgb.png', 'filters-rgba.png']) {
    it(`reads every pixel of ${name}, through all five row filters`, () => {
      const png = decodePng(fixture(name))
      expect([png.width, png.height]).toEqual([37, 23])
      const wrong: string[] = []
      for (let y = 0; y < png.height; y++)
        for (let x = 0; x < png.width; x++) if (png.rgb(x, y).join() !== pattern(x, y).join()) wrong.push(`${x},${y}`)
      expect(wrong).toEqual([])
    })
  }

  it('refuses what it cannot read, in Chinese, rather than misreading it', () => {
    expect(() => decodePng(Buffer.from('not a png'))).toThrow('截图不是 PNG 文件')
    const sixteen = Buffer.from(fixture('filters-rgb.png'))
    sixteen[24] = 16 // IHDR's bit depth
    expect(() => decodePng(sixteen)).toThrow('位深 16')
    const cut = fixture('filters-rgb.png')
    expect(() => decodePng(Buffer.concat([cut.subarray(0, 33), cut.subarray(cut.length - 12)]))).toThrow('截图的 PNG 数据不完整')
  })
})
