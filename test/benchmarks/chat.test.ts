import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/signal', 'bench:chat', { onSuiteBuild: true })
