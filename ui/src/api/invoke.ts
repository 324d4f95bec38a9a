import { invoke } from '@tauri-apps/api/core'
import type { ErrorCode } from '@/bindings/ErrorCode'
import type { ErrorPayload } from '@/bindings/ErrorPayload'

/** A failed command: the core's stable code, its Chinese message, and the form field if any. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly field?: string
  constructor(p: ErrorPayload) {
    super(p.message)
    this.name = 'AppError'
    this.code = p.code
    this.field = p.field
  }
}

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return new AppError(e as ErrorPayload)
  }
  const message = e instanceof Error ? e.message : String(e)
  return new AppError({ code: 'INTERNAL', message: `程序内部错误：${message}。请联系技术人员。` })
}

/** Every command goes through here, so every failure arrives as an AppError. */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    throw toAppError(e)
  }
}
