import { describe, expect, it } from 'vitest'
import { monthOf, previousMonthOf, quarterOf, yearOf } from '@/utils/periods'

describe('report periods', () => {
  it('gives the month, the previous month across a year, the quarter and the year', () => {
    expect(monthOf('2026-02-12')).toEqual(['2026-02-01', '2026-02-28'])
    expect(monthOf('2028-02-12')).toEqual(['2028-02-01', '2028-02-29'])
    expect(previousMonthOf('2027-01-05')).toEqual(['2026-12-01', '2026-12-31'])
    expect(quarterOf('2026-11-20')).toEqual(['2026-10-01', '2026-12-31'])
    expect(quarterOf('2026-05-01')).toEqual(['2026-04-01', '2026-06-30'])
    expect(yearOf('2026-11-20')).toEqual(['2026-01-01', '2026-12-31'])
  })
})
