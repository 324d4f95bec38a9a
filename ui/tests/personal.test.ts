// The E2E log scan's patterns: full ID numbers and mobile numbers are caught, masked ones,
// dates, versions and long counters are not.
import { describe, expect, it } from 'vitest'
import { findPersonalData } from '../e2e/personal'

describe('log scan patterns', () => {
  it('finds a full ID number and a mobile number, and names the line', () => {
    expect(findPersonalData('ok\n保存 32130219800101001X 成功')).toEqual(['第 2 行：321****001X'])
    expect(findPersonalData('电话=13912345678;')).toEqual(['第 1 行：139****5678'])
    expect(findPersonalData('"id":"320113199001011231"')).toHaveLength(1)
  })
  it('ignores masked values, dates, times and other long numbers', () => {
    const clean = [
      '320113********1231 139****5678',
      '2026-11-30 04:13:22 民情通 0.1.0 启动',
      'port 4444 session 1732939200123',
      'rowid 123456789012345678901',
      '0527-84123456',
    ].join('\n')
    expect(findPersonalData(clean)).toEqual([])
  })
})
