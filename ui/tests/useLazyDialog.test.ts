// A screen's rarely used dialog is loaded and mounted on first use: until then its code is not
// fetched and nothing of it is in the page; a click that comes while it loads gets the same
// dialog, not a second one.
/* eslint-disable vue/one-component-per-file -- a test host and the dialog it opens, side by side */
import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { defineComponent, h, type Component } from 'vue'
import { useLazyDialog } from '@/composables/useLazyDialog'

const Dialog = defineComponent({
  setup(_, { expose }) {
    let opened = 0
    expose({ open: () => ++opened })
    return () => h('div', { class: 'the-dialog' }, '对话框')
  },
})
type DialogApi = { open: () => number }

function host(load: () => Promise<{ default: Component }>) {
  let use!: () => Promise<DialogApi>
  const Host = defineComponent({
    setup() {
      const lazy = useLazyDialog<DialogApi>('dialog', load)
      use = lazy.use
      return () => h('section', [lazy.component.value ? h(lazy.component.value, { ref: 'dialog' }) : null])
    },
  })
  return { wrapper: mount(Host), use: () => use() }
}

describe('useLazyDialog', () => {
  it('loads and mounts the dialog on first use, once', async () => {
    const load = vi.fn(async () => ({ default: Dialog }))
    const { wrapper, use } = host(load)
    expect(load).not.toHaveBeenCalled()
    expect(wrapper.find('.the-dialog').exists()).toBe(false)
    const [a, b] = await Promise.all([use(), use()])
    expect(load).toHaveBeenCalledTimes(1)
    expect(wrapper.findAll('.the-dialog')).toHaveLength(1)
    expect(a.open()).toBe(1)
    expect(b.open()).toBe(2) // the same instance
    expect((await use()).open()).toBe(3)
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('tries again after a load that failed', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('chunk')).mockResolvedValue({ default: Dialog })
    const { wrapper, use } = host(load)
    await expect(use()).rejects.toThrow('chunk')
    expect(wrapper.find('.the-dialog').exists()).toBe(false)
    expect((await use()).open()).toBe(1)
    expect(load).toHaveBeenCalledTimes(2)
  })
})
