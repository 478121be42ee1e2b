// jieba's thread: its dictionary takes most of a second to load, and a restarted server should not
// wait for it before it answers, nor stop its event loop to load it. The server keeps what this
// thread cut (see `JiebaThread.ts`). Plain JavaScript, as every thread file (see `ThreadCalls.ts`).
import { parentPort, workerData } from 'node:worker_threads'
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'

const jieba = Jieba.withDict(dict)
jieba.loadDict(Buffer.from(workerData.userDictionary))

parentPort.on('message', ({ id, runs }) => {
  try {
    parentPort.postMessage({ id, cuts: runs.map((run) => jieba.cutForSearch(run, true)) })
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) })
  }
})
parentPort.postMessage({ ready: true })
