import { runsInShortMode } from './shortMode'

runsInShortMode('@kefu/client', 'bench:hall')
