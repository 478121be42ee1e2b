// Bundles the server, the CLI and the relay benchmark into dist/. Every package the server depends
// on stays external and is loaded from node_modules at run time: bundled CommonJS packages (pg,
// native addons) break inside an ESM bundle, and a hand-kept list of exceptions broke the built
// server twice when a dependency was added. Only the workspace's own TypeScript is bundled.
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import { build } from 'esbuild'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const external = Object.entries(manifest.dependencies)
  .filter(([, version]) => !String(version).startsWith('workspace:'))
  .flatMap(([name]) => [name, `${name}/*`])

await build({
  entryPoints: ['src/main.ts', 'src/cli.ts', 'bench/socketioRelay.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: 'dist',
  // The relay benchmark's socket.io is a development dependency, present wherever benchmarks run.
  external: [...external, 'socket.io'],
  logLevel: 'warning',
})
for (const thread of ['sentenceWorker.mjs', 'jiebaWorker.mjs'])
  cpSync(`src/knowledge/${thread}`, `dist/src/${thread}`)
mkdirSync('dist/fixtures', { recursive: true })
cpSync('fixtures/knowledge', 'dist/fixtures/knowledge', { recursive: true })
