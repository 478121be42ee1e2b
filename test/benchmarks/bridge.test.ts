import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/signal', 'bench:bridge', { onSuiteBuild: true })
