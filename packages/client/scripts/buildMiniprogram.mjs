// Builds the WeChat and Alipay mini-program projects from one TypeScript source: the templates of
// each platform plus its bundled entry. Output: dist-mp/wechat and dist-mp/alipay, each a project
// the vendor's IDE opens.
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

const PLATFORMS = {
  wechat: {
    'components/kefu-chat/index': 'src/entries/wechatComponent.ts',
    'kefu/index': 'src/entries/wechatOpen.ts',
    // The 3D hall is a subpackage: three.js stays out of the main package.
    'packages/hall/pages/hall/index': 'src/entries/wechatHall.ts',
  },
  alipay: {
    'components/kefu-chat/index': 'src/entries/alipayComponent.ts',
    'kefu/index': 'src/entries/alipayOpen.ts',
  },
}

// WeChat refuses a main package or any subpackage over 2 MB.
const PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024

/** The project's subpackage folders, as its app.json names them. */
function subpackagesOf(out) {
  const app = JSON.parse(readFileSync(join(out, 'app.json'), 'utf8'))
  return (app.subpackages ?? []).map((subpackage) => subpackage.root)
}

function folderBytes(folder) {
  return readdirSync(folder).reduce((sum, name) => {
    const path = join(folder, name)
    return sum + (statSync(path).isDirectory() ? folderBytes(path) : statSync(path).size)
  }, 0)
}

for (const [platform, entries] of Object.entries(PLATFORMS)) {
  const out = join('dist-mp', platform)
  rmSync(out, { recursive: true, force: true })
  cpSync(join('src/miniprogram/templates', platform), out, { recursive: true })
  await build({
    entryPoints: entries,
    outdir: out,
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    // Both platforms' JS engines run ES2018; newer syntax is lowered.
    target: 'es2018',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  })
  const subpackages = subpackagesOf(out).map((root) => ({ name: root, bytes: folderBytes(join(out, root)) }))
  const main = { name: 'main', bytes: folderBytes(out) - subpackages.reduce((sum, p) => sum + p.bytes, 0) }
  for (const part of [main, ...subpackages]) {
    console.log(`mini-program ${platform} ${part.name}: ${(part.bytes / 1024).toFixed(0)} KiB (limit 2048)`)
    if (part.bytes > PACKAGE_LIMIT_BYTES) throw new Error(`${platform} ${part.name} is over 2 MB`)
  }
}
