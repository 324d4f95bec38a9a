import { nextTick, ref, useTemplateRef, type Ref } from 'vue'

/**
 * A dialog that is mounted the first time it is used rather than with its screen: opening
 * 户籍台账 no longer pays for the household form, the import wizard and the timeline it may
 * never show. Bind `mounted` to the dialog's `v-if` and give it `ref="<key>"`; `use()` mounts
 * it if needed and hands back the instance.
 */
export function useLazyDialog<T>(key: string): { mounted: Ref<boolean>; use: () => Promise<T> } {
  const mounted = ref(false)
  const instance = useTemplateRef<T>(key)
  async function use(): Promise<T> {
    if (!mounted.value) {
      mounted.value = true
      await nextTick()
    }
    if (!instance.value) throw new Error(`${key} did not mount`)
    return instance.value as T
  }
  return { mounted, use }
}
