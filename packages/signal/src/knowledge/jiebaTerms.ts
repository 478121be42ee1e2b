import { characterBigrams, mixedTokenizer, type Tokenizer } from '@kefu/shared'

/**
 * Words of the shop that jieba's general dictionary cuts apart ("运费险" into 运费/险), written as
 * jieba's user dictionary lines: word, frequency, part of speech. One place to add a product term.
 */
const PRODUCT_TERMS = [
  '运费险',
  '花呗',
  '以旧换新',
  '快递柜',
  '驿站',
  '礼品卡',
  '购物卡',
  '专票',
  '增值税专用发票',
  '电子发票',
  '发票抬头',
  '价保',
  '价格保护',
  '优惠券',
  '优惠码',
  '兑换码',
  '新人礼包',
  '自动续费',
  '上门取件',
  '七天无理由',
  '到货提醒',
  '实名认证',
  '收货地址',
  '退货地址',
  '快递单号',
  '秒杀',
  '预售',
  '定金',
  '尾款',
  '生鲜',
  '顺丰',
]
export const JIEBA_USER_DICTIONARY = PRODUCT_TERMS.map((term) => `${term} 2000 n`).join('\n')

// Questions carry a handful of words a customer may say the way no dictionary writes them.
const FILLER: ReadonlySet<string> = new Set(
  '的 了 吗 呢 啊 吧 呀 么 嘛 哦 哈 咯 啦 我 你 您 他 她 它 们 是 在 和 与 就 都 也 还 又 这 那 个 一下 一个 请问 请 麻烦 帮 帮我 帮忙 我要 我想 想 要 能 能不能 可以 可不可以 行不行 怎么 怎么办 怎样 如何 咋 咋办 啥 什么 为什么 为啥 有没有 一直 现在 已经 刚 刚刚 到底'.split(
    ' ',
  ),
)
/**
 * Marks a bigram as its own term: a word jieba found counts once as the word and once as its
 * bigram, so a question matching an entry word for word outranks one matching it by fragments.
 */
const BIGRAM = '·'

/**
 * Chinese segmented by jieba's search mode (the word and its parts: 收货地址 gives 收货, 地址 and
 * 收货地址) with the product terms above, plus character bigrams of the run, so a typo ("优惠卷")
 * or a word jieba splits differently still meets most of its neighbours. English as in every
 * kefu3d tokenizer: stop words dropped, stemmed.
 */
export function jiebaTerms(cut: (run: string) => readonly string[]): Tokenizer {
  return mixedTokenizer((run) => [
    ...cut(run).filter((word) => !FILLER.has(word)),
    // "帮我写首诗" and "帮我查下物流" share nothing that matters, not even the bigram 帮我.
    ...characterBigrams(run)
      .filter((pair) => !FILLER.has(pair))
      .map((pair) => `${BIGRAM}${pair}`),
  ])
}
