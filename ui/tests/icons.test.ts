// The app registers only the icons its screens name (src/icons.ts). An icon named in a source
// but missing there draws nothing, without an error: this test reads every source for the names
// of @element-plus/icons-vue and fails on one that is not registered.
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as all from '@element-plus/icons-vue'
import * as icons from '@/icons'

const SRC = join(__dirname, '..', 'src')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'bindings' ? [] : sources(p)
    return /\.(vue|ts)$/.test(e.name) ? [p] : []
  })
}

/** Icon names a source uses: as a string (`icon="Plus"`, `icon: 'House'`, `` `Lock` ``) or as a
 * tag (`<Lock />`). A string that happens to spell an icon's name counts too: registering one
 * icon too many costs a few hundred bytes, one too few a blank button. */
function named(text: string): string[] {
  return Object.keys(all).filter((n) => new RegExp(`<${n}[\\s/>]|['"\`]${n}['"\`]`).test(text))
}

describe('registered icons', () => {
  it('covers every icon a source names', () => {
    const missing: string[] = []
    for (const f of sources(SRC)) {
      if (f.endsWith('icons.ts')) continue
      for (const n of named(readFileSync(f, 'utf8'))) if (!(n in icons)) missing.push(`${n} (${f.slice(SRC.length + 1)})`)
    }
    expect(missing).toEqual([])
  })

  it('finds icons however a screen names them', () => {
    expect(named(`<el-button icon="Plus" />`)).toEqual(['Plus'])
    expect(named(`meta: { icon: 'House' }`)).toEqual(['House'])
    expect(named(`<el-icon><Lock /></el-icon>`)).toEqual(['Lock'])
    expect(named(`:icon="on ? 'CircleClose' : 'CircleCheck'"`).sort()).toEqual(['CircleCheck', 'CircleClose'])
    expect(named(`<LockView />`)).toEqual([])
  })

  it('registers real icons only', () => {
    for (const [n, c] of Object.entries(icons)) expect(c).toBe((all as Record<string, unknown>)[n])
  })
})
