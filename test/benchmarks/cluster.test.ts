import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/signal', 'bench:cluster', { onSuiteBuild: true })
