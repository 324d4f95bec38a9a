import { computed, nextTick, reactive, ref, type UnwrapRef } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { toAppError } from '@/api/invoke'
import { useFormKeys } from './useFormKeys'

/**
 * The parts every add/edit dialog shares: open state, unsaved-change tracking, Esc/× asking
 * before discarding, the keyboard habits, and the core's errors shown under their fields.
 */
export function useDialogForm<T extends object>(blank: () => T, save: () => void) {
  const open = ref(false)
  const bodyRef = ref<HTMLElement | null>(null)
  const form = reactive(blank()) as UnwrapRef<T>
  const snapshot = ref('')
  const errors = reactive<Record<string, string>>({})
  const dirty = computed(() => JSON.stringify(form) !== snapshot.value)

  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /** Loads values into the form and counts them as saved. */
  function reset(values: T) {
    Object.assign(form as object, values)
    markSaved()
    clearErrors()
  }
  function markSaved() {
    snapshot.value = JSON.stringify(form)
  }
  async function focus(field: string) {
    await nextTick()
    bodyRef.value?.querySelector<HTMLInputElement>(`[data-field="${field}"] input`)?.focus()
  }
  /** A failed save: under its field when the core names one, otherwise as a message. */
  function showError(e: unknown): string | undefined {
    const err = toAppError(e)
    if (err.field) {
      errors[err.field] = err.message
      focus(err.field)
    } else {
      ElMessage.error(err.message)
    }
    return err.field
  }
  async function cancel() {
    if (dirty.value) {
      try {
        await ElMessageBox.confirm('表单有未保存的修改，确定放弃吗？', '放弃修改', {
          type: 'warning',
          confirmButtonText: '放弃修改',
          cancelButtonText: '继续编辑',
        })
      } catch {
        return
      }
    }
    open.value = false
  }

  /** `:ref="bindBody"` on the element around the form fields. */
  const bindBody = (el: unknown) => {
    bodyRef.value = (el as HTMLElement | null) ?? null
  }

  useFormKeys({ open, root: bodyRef, save, cancel })
  return { open, bindBody, form, errors, dirty, reset, markSaved, clearErrors, focus, showError, cancel }
}
