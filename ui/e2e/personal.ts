// What the log scan looks for (kept free of imports so the unit tests can check it).

/** 18-digit 公民身份号码 with a plausible birth date, or an 11-digit mobile number. */
const ID = /(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/
const MOBILE = /(?<![0-9])1[3-9]\d{9}(?![0-9])/

/** Each line holding an ID number or a mobile number, the number itself masked. */
export function findPersonalData(text: string): string[] {
  const hits: string[] = []
  text.split('\n').forEach((line, i) => {
    for (const re of [ID, MOBILE]) {
      const m = line.match(re)
      if (m) hits.push(`第 ${i + 1} 行：${m[0].slice(0, 3)}****${m[0].slice(-4)}`)
    }
  })
  return hits
}
