// Makes sure livekit-server is available (building it once from the Go module proxy if needed)
// and prints where it is. Used by installs so tests never wait on a build.
import { resolve } from 'node:path'
import { ensureLivekitBinary } from '../src/livekit/livekitBinary'

const cacheDir = resolve(process.env.LIVEKIT_CACHE_DIR ?? '../../.cache/livekit')
process.stdout.write(
  `livekit-server: ${ensureLivekitBinary(cacheDir, (line) => process.stdout.write(`${line}\n`))}\n`,
)
