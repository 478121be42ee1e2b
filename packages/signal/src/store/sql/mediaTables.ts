import type { MediaRepository } from '../Repository'
import { type MediaRow, toStoredMedia } from './rows'
import type { SqlDatabase } from './SqlDatabase'

export function mediaTables(db: SqlDatabase): MediaRepository {
  return {
    async saveMedia(media) {
      await db.run('INSERT INTO media (name, mime, bytes, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?)', [
        media.name,
        media.mime,
        media.bytes,
        media.uploadedBy,
        media.uploadedAt,
      ])
    },

    async readMedia(name) {
      const row = await db.one<MediaRow>(
        'SELECT name, mime, bytes, uploaded_by, uploaded_at FROM media WHERE name = ?',
        [name],
      )
      return row && toStoredMedia(row)
    },
  }
}
