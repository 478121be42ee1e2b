import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'

// The mini-program simulator keeps the page's globals of the file that loaded it: its files each get
// a fresh import of everything, as vitest gives by default.
const SIMULATED = ['integration/miniprogram.test.ts', 'integration/miniprogram-voice.test.ts']

/**
 * The real-server tests on one store: in workers that import the server once for all their files
 * (each file still starts servers of its own; importing it again per file was a third of the
 * suite's CPU), and the simulator's files apart.
 */
function onStore(
  store: 'sqlite' | 'cluster',
  include: string[],
  extra: TestProjectInlineConfiguration['test'] = {},
): TestProjectInlineConfiguration[] {
  return [
    { extends: true, test: { ...extra, name: store, include, exclude: SIMULATED, isolate: false } },
    { extends: true, test: { ...extra, name: `${store}-simulated`, include: SIMULATED } },
  ]
}

const cluster = {
  // The same real-server tests again, each server a cluster's node on PostgreSQL and Redis.
  env: { KEFU_TEST_STORE: 'cluster' },
  globalSetup: ['helpers/clusterStores.ts'],
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file has its own server, ports, data folder and database, and the servers mostly wait on
    // sockets and disks: three files at once on two cores. The browser files run one at a time (see
    // package.json): each renders the 3D hall in software, and two at once starve LiveKit's joins.
    maxWorkers: 3,
    projects: [
      ...onStore('sqlite', ['integration/**/*.test.ts', 'benchmarks/**/*.test.ts']),
      ...onStore('cluster', ['integration/**/*.test.ts'], cluster),
      { extends: true, test: { name: 'browser', include: ['e2e/**/*.test.ts'] } },
    ],
  },
})
