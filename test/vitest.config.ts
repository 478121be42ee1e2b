import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts', 'e2e/**/*.test.ts', 'benchmarks/**/*.test.ts'],
    globalSetup: ['helpers/postgresStore.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers and a real browser on two cores: files run one after another.
    fileParallelism: false,
  },
})
