import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file has its own server, ports, data folder and database, and the servers mostly wait on
    // sockets and disks: three files at once on two cores. The browser files run one at a time (see
    // package.json): each renders the 3D hall in software, and two at once starve LiveKit's joins.
    maxWorkers: 3,
    // A worker imports the server once for all its files (each file still starts servers of its
    // own): importing it again for every file was a third of the suite's CPU.
    isolate: false,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['integration/**/*.test.ts', 'benchmarks/**/*.test.ts'] },
      },
      {
        // The same real-server tests again on PostgreSQL: one throwaway cluster for the run.
        extends: true,
        test: {
          name: 'postgres',
          include: ['integration/**/*.test.ts'],
          env: { KEFU_TEST_STORE: 'postgres' },
          globalSetup: ['helpers/postgresStore.ts'],
        },
      },
      { extends: true, test: { name: 'browser', include: ['e2e/**/*.test.ts'] } },
    ],
  },
})
