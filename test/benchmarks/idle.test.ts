import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/signal', 'bench:idle', { onSuiteBuild: true })
