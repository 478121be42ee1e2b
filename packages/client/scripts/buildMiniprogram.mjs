// Builds the WeChat and Alipay mini-program projects from one TypeScript source: the templates of
// each platform plus its bundled entry. Output: dist-mp/wechat and dist-mp/alipay, each a project
// the vendor's IDE opens.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

const PLATFORMS = {
  wechat: {
    'components/kefu-chat/index': 'src/entries/wechatComponent.ts',
    'kefu/index': 'src/entries/wechatOpen.ts',
  },
  alipay: {
    'components/kefu-chat/index': 'src/entries/alipayComponent.ts',
    'kefu/index': 'src/entries/alipayOpen.ts',
  },
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
  console.log(`mini-program ${platform}: ${out} (${(folderBytes(out) / 1024).toFixed(0)} KiB)`)
}
