import {
  type Clock,
  type FlowEntry,
  type Hit,
  type ImportResult,
  isInForce,
  KefuError,
  type KnowledgeEntry,
  type KnowledgeIndex,
  type KnowledgeRecord,
  type KnowledgeReview,
  type KnowledgeStatus,
  type KnowledgeUse,
  type PlaybookEntry,
  parseFaqMarkdown,
  parseKnowledgeJsonLines,
  reviewKnowledge,
} from '@kefu/shared'
import type { NodeChanges } from '../events/NodeChanges'
import type { KnowledgeRepository } from '../store/Repository'
import type { Words } from './JiebaThread'
import { rankedHits, type SemanticRanker } from './SemanticRanker'
import { serverIndex } from './serverIndex'

export type ImportFormat = 'jsonl' | 'markdown'

/**
 * The knowledge base the assistant and the console answer from: entries kept in the store, an
 * index over those in force (active, inside their valid days) rebuilt on every change and at each
 * day's turn, and the counters of how each entry served. With a sentence model, the index's hits
 * are reordered by meaning; without one, words alone decide. The index is built after the server
 * answers (jieba loads on its own thread): a question asked before it is ready waits for it.
 */
export class KnowledgeBase {
  private records = new Map<string, KnowledgeRecord>()
  private index: Promise<KnowledgeIndex>
  private indexedDay = ''
  /** Which rebuild is the latest: one that finishes after a later one started is not used. */
  private rebuilds = 0

  /** Set once the sentence model has read every entry in force: until then, words alone rank. */
  private ranker: SemanticRanker | undefined

  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly clock: Clock,
    private readonly words: Words,
    /** Tells the other nodes an entry changed (each keeps its own index). */
    private readonly changes: Pick<NodeChanges, 'announce'>,
  ) {
    this.index = words.tokenized((tokenize) => serverIndex([], tokenize))
  }

  /**
   * Ranks by meaning from now on, once the model has encoded every entry's questions. A restarted
   * server answers by words meanwhile instead of not answering: encoding them all takes seconds.
   */
  async rankByMeaning(ranker: SemanticRanker): Promise<void> {
    await ranker.learn((await this.index).entries)
    this.ranker = ranker
    // Entries saved while it encoded the others.
    await this.reindex()
  }

  /** Reads the store; with nothing stored yet and `seed` given, imports it first (the demo). */
  async load(seed?: string): Promise<void> {
    let records = await this.repo.listKnowledge()
    if (records.length === 0 && seed) {
      await this.importText(seed, 'jsonl', 'seed')
      records = await this.repo.listKnowledge()
    }
    this.records = new Map(records.map((record) => [record.entry.id, record]))
    // Not awaited: the server answers meanwhile, and questions wait for the index (see `ask`), which
    // also says if it failed.
    this.reindex().catch(() => {})
  }

  /** Reads the store again and indexes what it holds: another node changed an entry. */
  async reload(): Promise<void> {
    const records = await this.repo.listKnowledge()
    this.records = new Map(records.map((record) => [record.entry.id, record]))
    await this.reindex()
  }

  /** Resolves once the entries read at `load` are indexed. */
  async indexed(): Promise<void> {
    await this.index
  }

  list(): KnowledgeRecord[] {
    return [...this.records.values()]
  }

  get(id: string): KnowledgeRecord | undefined {
    return this.records.get(id)
  }

  /** The scenario flow of that id, while it is in force. */
  flow(id: string): FlowEntry | undefined {
    const record = this.records.get(id)
    return record?.entry.tier === 'flow' && isInForce(record, this.clock.now()) ? record.entry : undefined
  }

  /** The emergency playbook of that id, whatever its state (a supervisor switches it on). */
  playbook(id: string): PlaybookEntry | undefined {
    const entry = this.records.get(id)?.entry
    return entry?.tier === 'playbook' ? entry : undefined
  }

  /** The best entries in force for a question, best first, with scores and confidence. */
  async ask(question: string, k = 3): Promise<Hit[]> {
    if (this.indexedDay !== this.today()) await this.reindex()
    return rankedHits(await this.index, this.words, this.ranker, question, k)
  }

  /**
   * Checks the whole file, then stores every entry of it (new ones and changed ones, as active) in
   * one transaction; a file with any bad line stores nothing and says which line and field.
   */
  async importText(text: string, format: ImportFormat, by: string): Promise<ImportResult> {
    const parsed = format === 'markdown' ? parseFaqMarkdown(text, 'faq') : parseKnowledgeJsonLines(text)
    if (!parsed.ok) return parsed
    await this.store(
      parsed.entries.map((entry) => ({
        entry,
        status: 'active',
        updatedAt: this.clock.now(),
        updatedBy: by,
      })),
    )
    return parsed
  }

  /** Creates or edits one entry; a new entry starts as a draft unless said otherwise. */
  async save(
    entry: KnowledgeEntry,
    status: KnowledgeStatus | undefined,
    by: string,
  ): Promise<KnowledgeRecord> {
    const record: KnowledgeRecord = {
      entry,
      status: status ?? this.records.get(entry.id)?.status ?? 'draft',
      updatedAt: this.clock.now(),
      updatedBy: by,
    }
    await this.store([record])
    return record
  }

  async setStatus(id: string, status: KnowledgeStatus, by: string): Promise<KnowledgeRecord> {
    const known = this.records.get(id)
    if (!known) throw KefuError.notFound(`Knowledge entry ${id}`)
    return this.save(known.entry, status, by)
  }

  count(entryId: string, use: KnowledgeUse): Promise<void> {
    return this.repo.countKnowledgeUse(entryId, use, this.clock.now())
  }

  async review(): Promise<KnowledgeReview> {
    return reviewKnowledge(this.list(), await this.repo.listKnowledgeUsage(), this.clock.now())
  }

  private async store(records: KnowledgeRecord[]): Promise<void> {
    await this.repo.saveKnowledge(records)
    for (const record of records) this.records.set(record.entry.id, record)
    this.changes.announce('knowledge')
    await this.reindex()
  }

  // The new entries' variants are encoded before the new index answers, so an entry is found by
  // meaning from its first question on.
  private reindex(): Promise<void> {
    const rebuild = ++this.rebuilds
    const now = this.clock.now()
    const inForce = this.list()
      .filter((record) => isInForce(record, now))
      .map((record) => record.entry)
    const built = this.words
      .tokenized((tokenize) => serverIndex(inForce, tokenize))
      .then(async (index) => {
        await this.ranker?.learn(index.entries)
        return index
      })
    // Questions asked from now on wait for this index; a rebuild that a later one overtook is not
    // used. One that failed fails the questions until the next rebuild (a customer is then handed to
    // a person), and is marked handled here so that no question asked is no crash.
    this.index = built.then((index) => (rebuild === this.rebuilds ? index : this.index))
    this.index.catch(() => {})
    this.indexedDay = this.today()
    return built.then(() => undefined)
  }

  private today(): string {
    return new Date(this.clock.now()).toISOString().slice(0, 10)
  }
}
