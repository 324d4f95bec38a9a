import { defineConfig } from 'vitest/config'
import { fileURLToPath, URL } from 'node:url'

// Journeys against the real desktop app (tauri-driver + WebKitWebDriver), one at a time.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../src', import.meta.url)) } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/logscan.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
})
