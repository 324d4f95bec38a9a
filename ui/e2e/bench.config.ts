import { defineConfig } from 'vitest/config'

// `cargo xtask bench` only: measurements through the real app, not tests.
export default defineConfig({
  test: {
    include: ['e2e/**/*.measure.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
})
