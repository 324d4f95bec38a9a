import { ElMessage, ElMessageBox } from 'element-plus'
import { openExport } from '@/api/app'
import { toAppError } from '@/api/invoke'
import type { Masking } from '@/bindings/Masking'

/**
 * Runs an export and then offers to open the file or its folder. Asks first whether personal
 * data may appear unmasked (masked is the default and the safe answer). `run` answers the
 * saved file's path, or null when the user cancelled a save dialog; it gets the core's
 * `Masking`, the one name for how personal data appears.
 */
export async function exportWithChoice(what: string, run: (masking: Masking) => Promise<string | null>, personal = '电话') {
  let masking: Masking = 'masked'
  try {
    await ElMessageBox.confirm(`${what}中的${personal}默认脱敏（如 138****5678）。需要完整信息时选择“不脱敏”，文件上会注明。`, '导出', {
      confirmButtonText: '脱敏导出',
      cancelButtonText: '不脱敏',
      distinguishCancelAndClose: true,
      type: 'info',
    })
  } catch (action) {
    if (action === 'close') return
    masking = 'unmasked'
  }
  try {
    const path = await run(masking)
    if (path === null) return
    try {
      await ElMessageBox.confirm(`已保存到：${path}`, '导出完成', {
        confirmButtonText: '打开文件',
        cancelButtonText: '打开所在文件夹',
        distinguishCancelAndClose: true,
        type: 'success',
      })
      await openExport(path, false)
    } catch (action) {
      if (action === 'cancel') await openExport(path, true)
    }
  } catch (e) {
    ElMessage.error(toAppError(e).message)
  }
}
