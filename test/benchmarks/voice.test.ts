import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/signal', 'bench:voice', { onSuiteBuild: true })
