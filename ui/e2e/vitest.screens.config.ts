import { defineConfig } from 'vitest/config'
import { fileURLToPath, URL } from 'node:url'

// The screen-size journeys (screens.screen.ts): `cargo xtask test` runs them once per screen
// size, each under its own Xvfb of that size (MINQING_SCREEN). The log scan is the main run's.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../src', import.meta.url)) } },
  test: {
    include: ['e2e/**/*.screen.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
})
