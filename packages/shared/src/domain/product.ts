import { z } from 'zod'

/** The shapes the hall can build a product from without downloading a model. */
export const ProductShapeSchema = z.enum(['phone', 'headphones', 'watch', 'speaker', 'laptop'])
export type ProductShape = z.infer<typeof ProductShapeSchema>

/** A product's id: ASCII letters, digits, `.`, `_`, `-` (it travels in small data packets). */
export const ProductIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/)

/** A product agents can present on the hall's showcase: what it is, what it costs, where to buy it. */
export const ProductSchema = z.object({
  id: ProductIdSchema,
  name: z.string().min(1).max(80),
  /** In the smallest unit of `currency` (fen for CNY), so no float rounding. */
  priceMinor: z.number().int().nonnegative(),
  currency: z.string().length(3).default('CNY'),
  link: z.string().url().max(2048),
  shape: ProductShapeSchema,
  /** The hologram's tint. */
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#4fd8ff'),
  blurb: z.string().max(200).default(''),
})
export type Product = z.infer<typeof ProductSchema>

/** The integrator's catalogue (PRODUCT_CATALOGUE_FILE), or the demo one. */
export const ProductCatalogueSchema = z.array(ProductSchema).max(200)

/** Five products for the demo hall, one of each shape. */
export const DEMO_CATALOGUE: readonly Product[] = [
  {
    id: 'kf-phone-12',
    name: '星云 12 手机',
    priceMinor: 399_900,
    currency: 'CNY',
    link: 'https://shop.example.com/p/kf-phone-12',
    shape: 'phone',
    colour: '#4fd8ff',
    blurb: '6.7 英寸屏，两天续航',
  },
  {
    id: 'kf-buds-pro',
    name: '静境 Pro 耳机',
    priceMinor: 129_900,
    currency: 'CNY',
    link: 'https://shop.example.com/p/kf-buds-pro',
    shape: 'headphones',
    colour: '#9f7cff',
    blurb: '主动降噪，40 小时播放',
  },
  {
    id: 'kf-watch-s',
    name: '轻跑 S 手表',
    priceMinor: 89_900,
    currency: 'CNY',
    link: 'https://shop.example.com/p/kf-watch-s',
    shape: 'watch',
    colour: '#4fffb0',
    blurb: '心率、血氧、GPS',
  },
  {
    id: 'kf-speaker-mini',
    name: '回声 Mini 音箱',
    priceMinor: 29_900,
    currency: 'CNY',
    link: 'https://shop.example.com/p/kf-speaker-mini',
    shape: 'speaker',
    colour: '#ffb84f',
    blurb: '360° 声场，防水',
  },
  {
    id: 'kf-book-14',
    name: '飞书 14 笔记本',
    priceMinor: 599_900,
    currency: 'CNY',
    link: 'https://shop.example.com/p/kf-book-14',
    shape: 'laptop',
    colour: '#ff6fb5',
    blurb: '1.2 kg，18 小时续航',
  },
]

/** "¥3,999.00": a price as people read it. */
export function formatPrice(product: Pick<Product, 'priceMinor' | 'currency'>, locale = 'zh-CN'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: product.currency }).format(
    product.priceMinor / 100,
  )
}
