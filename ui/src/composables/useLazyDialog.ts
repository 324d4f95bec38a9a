import { markRaw, nextTick, shallowRef, useTemplateRef, type Component, type ShallowRef } from 'vue'

/**
 * A dialog whose code is loaded and which is mounted the first time it is used, not with its
 * screen: opening 户籍台账 pays neither for parsing the household form, the import wizard and
 * the timeline (the wizard alone brings Element Plus's table, about 190 kB) nor for mounting
 * them. Render `<component :is="component" v-if="component" ref="<key>" … />`; `use()` loads
 * and mounts the dialog if needed (once, however often it is called meanwhile) and hands back
 * the instance.
 */
export function useLazyDialog<T>(key: string, load: () => Promise<{ default: Component }>): { component: ShallowRef<Component | null>; use: () => Promise<T> } {
  const component: ShallowRef<Component | null> = shallowRef(null)
  const instance = useTemplateRef<T>(key)
  let loading: Promise<void> | null = null
  async function use(): Promise<T> {
    if (!component.value) {
      loading ??= load()
        .then((m) => {
          component.value = markRaw(m.default)
        })
        .finally(() => (loading = null))
      await loading
      await nextTick()
    }
    if (!instance.value) throw new Error(`${key} did not mount`)
    return instance.value as T
  }
  return { component, use }
}
