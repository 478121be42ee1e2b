// Proves @kefu/shared runs on any platform: bundles it for a neutral target (no Node built-ins,
// no DOM shims) and fails on any import that only Node, a browser or a mini-program could satisfy.
// Cycles between its folders are checkFolders.mjs's job, as in every package.
import { build } from 'esbuild'

const result = await build({
  entryPoints: [process.argv[2] ?? 'src/index.ts'],
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'esm',
  write: false,
  metafile: true,
  logLevel: 'silent',
}).catch((error) => {
  for (const message of error.errors ?? []) console.error(`shared is not platform-neutral: ${message.text}`)
  process.exit(1)
})

const sourceInputs = Object.keys(result.metafile.inputs).filter((path) => path.startsWith('src/'))
const bytes = result.outputFiles[0].contents.byteLength
console.log(
  `shared is platform-neutral: ${sourceInputs.length} modules, ${(bytes / 1024).toFixed(1)} KiB bundled`,
)
