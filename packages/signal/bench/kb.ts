// bench:kb — the knowledge base as the server builds it (jieba with the product dictionary,
// synonyms, BM25 over variants and answers, then the hits reranked by the sentence model) at 10,000
// generated entries, asked 10,000 generated questions the way customers type them. Prints index
// build and encoding time, query p50/p99 by words alone and with meaning (the server's path, the
// one the target is for), their ratio, and memory.

import { performance } from 'node:perf_hooks'
import { type FaqEntry, FaqEntrySchema, type Hit } from '@kefu/shared'
import { benchSettings } from '@kefu/shared/testing'
import { percentile } from '../src/knowledge/evaluate'
import { tokenizerOnThisThread, wordsOnThisThread } from '../src/knowledge/jiebaOnThisThread'
import { rankedHits, semanticRanker } from '../src/knowledge/SemanticRanker'
import { findSentenceModel } from '../src/knowledge/sentenceModel'
import { serverIndex } from '../src/knowledge/serverIndex'

const setting = benchSettings(process.env)
const ENTRIES = setting.number('BENCH_ENTRIES', 10_000, 500)
const QUERIES = setting.number('BENCH_QUERIES', 10_000, 300)

const PRODUCTS =
  '手机 耳机 平板 笔记本 键盘 鼠标 显示器 充电宝 数据线 手表 音箱 相机 镜头 冰箱 洗衣机 空调 电视 微波炉 电饭煲 吸尘器 扫地机 加湿器 风扇 台灯 床垫 枕头 被子 沙发 餐桌 椅子 衣柜 书架 外套 羽绒服 卫衣 衬衫 牛仔裤 连衣裙 运动鞋 皮鞋 拖鞋 袜子 背包 行李箱 钱包 口红 面霜 洗发水 牙膏 纸巾 奶粉 尿不湿 玩具 积木 绘本 茶叶 咖啡 大米 食用油 坚果 水果 牛奶 零食 猫粮 狗粮 猫砂 花盆 自行车 头盔 帐篷 瑜伽垫 跑步机 哑铃 rice-cooker headphones laptop sneakers jacket stroller blender kettle charger monitor'.split(
    ' ',
  )
const INTENTS: [string, string][] = [
  ['怎么退货', '签收后 7 天内可申请退货'],
  ['多久发货', '现货 48 小时内发货'],
  ['坏了怎么办', '请拍照申请售后'],
  ['有保修吗', '一年保修'],
  ['怎么安装', '请按说明书安装或预约上门'],
  ['能开发票吗', '在订单详情申请发票'],
  ['尺码怎么选', '请参考详情页尺码表'],
  ['有优惠券吗', '领券中心可领取'],
  ['什么时候补货', '可设置到货提醒'],
  ['能换颜色吗', '签收后 15 天内可换货'],
  ['运费多少', '满 99 元包邮'],
  ['是正品吗', '品牌授权正品'],
  ['how to return', 'Returns are accepted within 7 days'],
  ['when will it ship', 'Ships within 48 hours'],
  ['is there a warranty', 'One year warranty'],
]
const ASKED = ['请问', '我想问下', '', '你好 ', '那个 ']
const TAILS = ['', '啊', '吗', ' 急', '呢']

// A small seeded generator: the same entries and questions every run.
function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}
const random = lcg(7)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

function generated(count: number): FaqEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const product = PRODUCTS[index % PRODUCTS.length] as string
    const [intent, answer] = INTENTS[Math.floor(index / PRODUCTS.length) % INTENTS.length] as [string, string]
    const model = `${product}${Math.floor(index / (PRODUCTS.length * INTENTS.length)) + 1}代`
    return FaqEntrySchema.parse({
      id: `gen-${index}`,
      tier: 'faq',
      questions: [`${model}${intent}`, `${product} ${intent}`, `我买的${model}${intent}`],
      answer: `${model}：${answer}。`,
      lang: /[a-z]{3}/.test(intent) ? 'en' : 'zh',
    })
  })
}

const entries = generated(ENTRIES)
const questions = Array.from({ length: QUERIES }, () => {
  const entry = pick(entries)
  return `${pick(ASKED)}${pick(entry.questions)}${pick(TAILS)}`
})
const model = findSentenceModel(import.meta.dirname)
if (!model) throw new Error('no sentence model: run `pnpm --filter @kefu/signal model:ensure` first')
const ranker = await semanticRanker(model)

const rssBefore = process.memoryUsage().rss
const started = performance.now()
const index = serverIndex(entries, tokenizerOnThisThread())
const buildMs = performance.now() - started
const indexMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20
console.log(
  `${index.size} entries indexed in ${buildMs.toFixed(0)} ms (index about ${indexMb.toFixed(0)} MB)`,
)

// Encoded in slices so the bench can say how far it is; the server encodes all at once.
const learnStarted = performance.now()
const SLICE = 500
for (let at = 0; at < entries.length; at += SLICE) {
  await ranker.learn(index.entries.slice(at, at + SLICE))
  const done = Math.min(entries.length, at + SLICE)
  const elapsed = (performance.now() - learnStarted) / 1000
  process.stdout.write(
    `\rencoding question variants: ${done}/${entries.length} entries, ${elapsed.toFixed(0)} s`,
  )
}
const learnMs = performance.now() - learnStarted
process.stdout.write('\n')
const variants = new Set(index.entries.flatMap((entry) => entry.questions)).size
console.log(
  `${variants} variants encoded in ${(learnMs / 1000).toFixed(1)} s (${(learnMs / variants).toFixed(2)} ms each)`,
)

async function timed(
  ask: (question: string) => Hit[] | Promise<Hit[]>,
): Promise<{ p50: number; p99: number; max: number }> {
  // The first questions warm the JIT, jieba and the model; they are asked again below and counted there.
  for (const question of questions.slice(0, 500)) await ask(question)
  const timings: number[] = []
  for (const question of questions) {
    const asked = performance.now()
    await ask(question)
    timings.push(performance.now() - asked)
  }
  timings.sort((a, b) => a - b)
  return { p50: percentile(timings, 0.5), p99: percentile(timings, 0.99), max: timings.at(-1) ?? 0 }
}
const line = ({ p50, p99, max }: { p50: number; p99: number; max: number }) =>
  `p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${max.toFixed(3)} ms`

const words = await timed((question) => index.search(question, 3))
console.log(`${QUERIES} questions by words alone: ${line(words)}`)
const meaning = await timed((question) => rankedHits(index, wordsOnThisThread, ranker, question, 3))
console.log(`${QUERIES} questions by words, then meaning: ${line(meaning)}`)
const rssMb = process.memoryUsage().rss / 2 ** 20
const ratio = meaning.p99 / words.p99
console.log(`reranking costs ${ratio.toFixed(1)}x words alone at p99`)
console.log(`process RSS ${rssMb.toFixed(0)} MB; target p99 < 5 ms: ${meaning.p99 < 5 ? 'met' : 'MISSED'}`)
console.log(
  `BENCH ${JSON.stringify({
    build_ms: Math.round(buildMs),
    learn_ms: Math.round(learnMs),
    query_p50_ms: Number(meaning.p50.toFixed(3)),
    query_p99_ms: Number(meaning.p99.toFixed(3)),
    words_p99_ms: Number(words.p99.toFixed(3)),
    p99_ratio: Number(ratio.toFixed(2)),
    rss_mb: Math.round(rssMb),
  })}`,
)
