import type { Admits, AppendedWhile, NewMessage, Repository } from '../Repository'
import { cannedReplyTables } from './cannedReplyTables'
import { type ConversationMemory, conversationTables } from './conversationTables'
import { customerTables } from './customerTables'
import { deliveryTables } from './deliveryTables'
import { knowledgeTables } from './knowledgeTables'
import { mediaTables } from './mediaTables'
import { monitoringTables } from './monitoringTables'
import { playbookTables } from './playbookTables'
import type { SqlDatabase } from './SqlDatabase'
import { staffTables } from './staffTables'

/** What a store does its own way; every other method is a statement shared by both stores. */
export interface StoreSpecifics {
  /** `Repository.appendMessageWhile`, or without a condition when `admits` is left out. */
  appendMessage(message: NewMessage, admits?: Admits): Promise<AppendedWhile | undefined>
  memory?: ConversationMemory
  close(): Promise<void>
}

/** The whole Repository over one SQL database, each aggregate's statements written once. */
export function sqlRepository(db: SqlDatabase, store: StoreSpecifics): Repository {
  return {
    async epoch() {
      const row = await db.one<{ value: string }>("SELECT value FROM meta WHERE key = 'epoch'")
      if (!row) throw new Error('The store has no epoch; migrations did not run')
      return row.value
    },
    ...staffTables(db),
    ...customerTables(db),
    ...conversationTables(db, store),
    ...deliveryTables(db),
    ...cannedReplyTables(db),
    ...monitoringTables(db),
    ...knowledgeTables(db),
    ...playbookTables(db),
    ...mediaTables(db),
    close: () => store.close(),
  }
}
