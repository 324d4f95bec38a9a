/** Numbers as the screens show them: one place, so a rate reads the same everywhere. */

/** A ratio as a percentage with one decimal ("93.5%"); "—" when there is nothing to divide. */
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`)

/** `a` of `b` as a percentage ("—" when `b` is 0). */
export const pctOf = (a: number, b: number): string => (b === 0 ? '—' : pct(a / b))

/** A ratio as a percentage number with one decimal, for charts (null stays null). */
export const pctValue = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10)
