import { onBeforeUnmount, watch, type Ref } from 'vue'

/**
 * Keyboard habits of a data-entry form in a dialog:
 * - Enter in a text field moves to the next field (as paper-form typists expect); in the last
 *   field it saves. Selects, text areas and an open IME composition keep their own Enter.
 * - Ctrl+S (⌘S) saves from anywhere in the dialog.
 * - Esc cancels; the caller asks for confirmation when there are unsaved changes.
 */
export function useFormKeys(opts: {
  open: Ref<boolean>
  root: Ref<HTMLElement | null | undefined>
  save: () => void
  cancel: () => void
}) {
  function fields(): HTMLElement[] {
    const root = opts.root.value
    if (!root) return []
    return Array.from(root.querySelectorAll<HTMLElement>('input:not([type=hidden]):not([disabled]), textarea:not([disabled])')).filter(
      (el) => el.offsetParent !== null && !el.closest('.el-checkbox, .el-radio, .el-switch'),
    )
  }

  function onKey(e: KeyboardEvent) {
    if (!opts.open.value) return
    if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
      e.preventDefault()
      opts.save()
      return
    }
    if (e.key === 'Escape') {
      // An open dropdown, date picker or menu closes first; the next Esc cancels the form.
      if (document.querySelector('.el-popper[aria-hidden="false"]')) return
      e.preventDefault()
      e.stopPropagation()
      opts.cancel()
      return
    }
    if (e.key !== 'Enter' || e.isComposing || e.ctrlKey || e.altKey || e.shiftKey) return
    const target = e.target as HTMLElement
    if (target.tagName === 'TEXTAREA' || target.closest('.el-select, .el-cascader, .el-date-editor')) return
    if (!opts.root.value?.contains(target) || target.tagName !== 'INPUT') return
    const list = fields()
    const i = list.indexOf(target)
    if (i < 0) return
    e.preventDefault()
    const next = list.slice(i + 1).find((el) => !el.closest('.el-select'))
    if (next) next.focus()
    else opts.save()
  }

  watch(
    opts.open,
    (isOpen) => {
      if (isOpen) document.addEventListener('keydown', onKey, true)
      else document.removeEventListener('keydown', onKey, true)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => document.removeEventListener('keydown', onKey, true))
}
