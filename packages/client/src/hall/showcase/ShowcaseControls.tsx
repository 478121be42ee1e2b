import { formatPrice, type Product } from '@kefu/shared'
import { t, webLocale } from '../../platform/web/webLocale'

/** The agent's side: choose a product for the showcase and turn it; the customer sees the same. */
export function PresentPanel(props: {
  products: readonly Product[]
  productId: string | null
  rotation: number
  onChange(productId: string | null, rotation: number): void
}) {
  const { products, productId, rotation, onChange } = props
  return (
    <div className="hall-present" data-testid="present-panel">
      <select
        aria-label={t('hall.present')}
        value={productId ?? ''}
        onChange={(event) => onChange(event.target.value || null, rotation)}
      >
        <option value="">{t('hall.presentNone')}</option>
        {products.map((product) => (
          <option key={product.id} value={product.id}>
            {product.name} · {formatPrice(product, webLocale)}
          </option>
        ))}
      </select>
      <input
        type="range"
        aria-label={t('hall.rotate')}
        min={-Math.PI}
        max={Math.PI}
        step={0.05}
        value={rotation}
        disabled={productId === null}
        onChange={(event) => onChange(productId, Number(event.target.value))}
      />
    </div>
  )
}

/** The customer's side: what their agent presents, its price and where to buy it. */
export function ProductCard({ product }: { product: Product }) {
  return (
    <div className="hall-product" data-testid="product-card">
      <strong>{product.name}</strong>
      <span className="price">{formatPrice(product, webLocale)}</span>
      {product.blurb && <span className="blurb">{product.blurb}</span>}
      <a href={product.link} target="_blank" rel="noopener noreferrer">
        {t('hall.viewProduct')}
      </a>
    </div>
  )
}
