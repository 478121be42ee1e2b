import type { CustomerRepository } from '../Repository'
import { type CustomerRow, toCustomer } from './rows'
import type { SqlDatabase } from './SqlDatabase'

export function customerTables(db: SqlDatabase): CustomerRepository {
  return {
    async upsertCustomer(c, at) {
      await db.run(
        `INSERT INTO customers (id, display_name, vip_level, last_purchase_at, platform, is_guest, language, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, vip_level = excluded.vip_level,
           last_purchase_at = excluded.last_purchase_at, platform = excluded.platform, language = excluded.language,
           updated_at = excluded.updated_at`,
        [c.id, c.displayName, c.vipLevel, c.lastPurchaseAt, c.platform, c.isGuest ? 1 : 0, c.language, at],
      )
    },

    async getCustomer(id) {
      const row = await db.one<CustomerRow>('SELECT * FROM customers WHERE id = ?', [id])
      return row && toCustomer(row)
    },
  }
}
