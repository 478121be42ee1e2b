import { describe, expect, it } from 'vitest'
import { type FaqEntry, FaqEntrySchema } from './faq'
import { KnowledgeIndex } from './retrieval'
import { bigramTokenizer } from './tokens'

const entry = (id: string, lang: 'zh' | 'en', questions: string[], answer: string): FaqEntry =>
  FaqEntrySchema.parse({ id, tier: 'faq', questions, answer, lang })

const KB = [
  entry(
    'refund-time',
    'zh',
    ['退款多久到账', '退款什么时候到', 'how long does a refund take'],
    '审核通过后 1-3 个工作日原路退回。',
  ),
  entry(
    'address',
    'zh',
    ['怎么修改收货地址', '地址填错了', 'change delivery address'],
    '发货前可在订单详情里修改地址。',
  ),
  entry('invoice', 'zh', ['发票开错了怎么办', '怎么开发票', 'invoice'], '电子发票可在订单详情中重新申请。'),
  entry('coupon', 'zh', ['优惠券用不了', '优惠券怎么用'], '请确认优惠券在有效期内并满足使用门槛。'),
  entry('shipping-en', 'en', ['When will my order ship?', 'shipping time'], 'Orders ship within 48 hours.'),
  entry(
    'password',
    'en',
    ['I forgot my password', 'reset password'],
    'Tap “Forgot password” on the sign-in page.',
  ),
]
const index = new KnowledgeIndex(KB, { tokenize: bigramTokenizer, synonyms: [['退款', '退钱', 'refund']] })
const top = (question: string) => index.search(question)[0]

describe('retrieval over Chinese, English and mixed questions', () => {
  it('finds the entry for questions phrased as customers type them', () => {
    expect(top('退款多久能到账啊')?.entry.id).toBe('refund-time')
    expect(top('我想改一下收货地址')?.entry.id).toBe('address')
    expect(top('发票开错了')?.entry.id).toBe('invoice')
    expect(top('优惠卷用不了')?.entry.id).toBe('coupon')
    expect(top('when does my order ship')?.entry.id).toBe('shipping-en')
    expect(top('forgot passwords')?.entry.id).toBe('password')
    expect(top('refund 多久到')?.entry.id).toBe('refund-time')
  })

  it('meets synonyms: 退钱 is 退款', () => {
    expect(top('退钱要几天')?.entry.id).toBe('refund-time')
  })

  it('is confident about a clear match, not about an unrelated question', () => {
    const clear = top('退款多久到账')
    expect(clear?.confidence).toBeGreaterThan(0.8)
    const unrelated = index.search('今天天气怎么样')
    expect(unrelated[0]?.confidence ?? 0).toBeLessThan(0.5)
    expect(index.search('zzz qqq')).toEqual([])
  })

  it('returns the top k, best first, with scores', () => {
    const hits = index.search('地址 发票', 3)
    expect(hits.length).toBeGreaterThanOrEqual(2)
    expect(hits[0]?.score).toBeGreaterThanOrEqual(hits[1]?.score ?? 0)
    // Two entries each answer half of it: neither is sure.
    expect(hits[0]?.confidence).toBeLessThan(0.8)
  })
})
