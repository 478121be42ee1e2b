import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/signal', 'bench:kb')
