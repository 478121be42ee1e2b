import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/shared', 'bench:metrics')
