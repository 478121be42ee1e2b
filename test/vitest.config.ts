import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['integration/**/*.test.ts', 'e2e/**/*.test.ts', 'benchmarks/**/*.test.ts'],
    globalSetup: ['helpers/postgresStore.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file has its own server, ports, data folder and database: two run at once on two cores
    // (the servers mostly wait on sockets and disks). The browser files run one at a time instead,
    // see package.json: each renders the 3D hall in software, and two at once starve LiveKit's joins.
    fileParallelism: true,
    maxWorkers: 2,
  },
})
