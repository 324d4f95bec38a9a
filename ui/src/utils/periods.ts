/** Calendar periods around a day (YYYY-MM-DD), as [first day, last day]: what the 报表导出
 * shortcuts and the 工作台 charts offer. */
export type Range = [string, string]

const pad = (n: number) => String(n).padStart(2, '0')
const lastDay = (y: number, m: number) => new Date(y, m, 0).getDate()
const parts = (day: string) => day.split('-').map(Number) as [number, number, number]

export function monthOf(day: string): Range {
  const [y, m] = parts(day)
  return [`${y}-${pad(m)}-01`, `${y}-${pad(m)}-${pad(lastDay(y, m))}`]
}

export function previousMonthOf(day: string): Range {
  const [y, m] = parts(day)
  return m === 1 ? monthOf(`${y - 1}-12-01`) : monthOf(`${y}-${pad(m - 1)}-01`)
}

export function quarterOf(day: string): Range {
  const [y, m] = parts(day)
  const q0 = Math.floor((m - 1) / 3) * 3 + 1
  return [`${y}-${pad(q0)}-01`, `${y}-${pad(q0 + 2)}-${pad(lastDay(y, q0 + 2))}`]
}

export function yearOf(day: string): Range {
  const y = day.slice(0, 4)
  return [`${y}-01-01`, `${y}-12-31`]
}
