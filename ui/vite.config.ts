/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { fileURLToPath, URL } from 'node:url'

// The desktop shell embeds ui/dist; `npm run dev` serves on 5173 for `tauri dev`-style work.
export default defineConfig({
  plugins: [
    vue(),
    // Each screen imports the Element Plus components its template uses, so a screen's chunk
    // carries them and the start parses only what the window and the 工作台 draw. The styles
    // stay one sheet (main.ts), loaded before styles.css so the app's rules win as before.
    Components({ resolvers: [ElementPlusResolver({ importStyle: false })], dirs: [], dts: false }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: 'es2021',
    chunkSizeWarningLimit: 2000,
    // No inline scripts or data: module preload polyfill — the CSP allows 'self' scripts only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
})
