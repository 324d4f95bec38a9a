import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import App from './App.vue'
import * as icons from './icons'
import { router } from './router'
import './styles.css'

/** A failure before or while the UI mounts is shown in the window, never a blank page. */
function showFatal(e: unknown) {
  const el = document.getElementById('app') ?? document.body
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  el.innerHTML = ''
  const box = document.createElement('div')
  box.style.cssText = 'padding:48px;font-size:15px;line-height:1.8;color:#303133'
  box.innerHTML = '<h2 style="color:#c41e24">界面加载失败</h2><p>请关闭程序后重新打开；如果反复出现，请把下面的信息告诉技术人员。</p>'
  const pre = document.createElement('pre')
  pre.style.cssText = 'white-space:pre-wrap;background:#f5f5f5;padding:12px;border-radius:4px'
  pre.textContent = msg
  box.appendChild(pre)
  el.appendChild(box)
}

try {
  const app = createApp(App)
  for (const [name, component] of Object.entries(icons)) app.component(name, component)
  app.config.errorHandler = (err, _instance, info) => {
    console.error('[民情通]', info, err)
    if (!document.querySelector('#app > *')) showFatal(err)
  }
  app.use(createPinia()).use(router).mount('#app')
} catch (e) {
  showFatal(e)
}
