// Reads the pixels of a WebDriver screenshot, for checks the page itself cannot make: whether
// something the DOM holds was actually painted (WebKitGTK has left a sticky header unpainted
// while its text sat in the DOM). Screenshots are 8-bit RGB or RGBA PNGs without interlacing;
// anything else is refused with a message rather than misread.
import { inflateSync } from 'node:zlib'

export type Pixels = { width: number; height: number; rgb: (x: number, y: number) => [number, number, number] }

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export function decodePng(png: Buffer): Pixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('截图不是 PNG 文件')
  let width = 0
  let height = 0
  let channels = 0
  const idat: Buffer[] = []
  for (let at = 8; at + 8 <= png.length; ) {
    const len = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + len)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const [depth, color, , , interlace] = body.subarray(8, 13)
      channels = color === 6 ? 4 : color === 2 ? 3 : 0
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`截图的 PNG 格式不受支持（位深 ${depth}，颜色类型 ${color}，隔行 ${interlace}）`)
    } else if (type === 'IDAT') idat.push(body)
    else if (type === 'IEND') break
    at += 12 + len
  }
  let raw: Buffer
  try {
    raw = inflateSync(Buffer.concat(idat))
  } catch {
    throw new Error('截图的 PNG 数据不完整')
  }
  const stride = width * channels
  if (raw.length !== height * (stride + 1)) throw new Error('截图的 PNG 数据长度不对')
  const out = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const row = y * stride
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[row + i - channels] : 0
      const b = y > 0 ? out[row - stride + i] : 0
      const c = i >= channels && y > 0 ? out[row - stride + i - channels] : 0
      let v = line[i]
      if (filter === 1) v += a
      else if (filter === 2) v += b
      else if (filter === 3) v += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      } else if (filter !== 0) throw new Error(`截图的 PNG 行过滤方式 ${filter} 不对`)
      out[row + i] = v & 0xff
    }
  }
  return {
    width,
    height,
    rgb: (x, y) => {
      const i = y * stride + x * channels
      return [out[i], out[i + 1], out[i + 2]]
    },
  }
}
