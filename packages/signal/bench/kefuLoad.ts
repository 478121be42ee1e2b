// The kefu3d side of the chat benchmarks: agents signed in and customers each with a conversation
// assigned, on one node or spread over a cluster's, presented to the load generator as a harness.
import { newClientMessageId, PROTOCOL_VERSION } from '@kefu/shared'
import WebSocket from 'ws'
import type { ChatHarness } from './load'
import { BENCH_PASSWORD, type BenchNode, type BenchStack } from './stack'

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

export async function inBatches<T>(
  count: number,
  size: number,
  make: (index: number) => Promise<T>,
): Promise<T[]> {
  const made: T[] = []
  for (let start = 0; start < count; start += size) {
    made.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(size, count - start) }, (_, k) => make(start + k)),
      )),
    )
  }
  return made
}

const socketUrl = (node: BenchNode, token: string) => `${node.base.replace('http', 'ws')}/ws?token=${token}`

/**
 * Signs in `agents` agents (logins `bench<n>`) and `customers` customers, each at the node its
 * function names, and waits until every customer's conversation is assigned. The harness counts
 * what the agents receive twice.
 */
export async function connectKefuLoad(options: {
  customers: number
  agents: number
  post: BenchStack['post']
  customerNode: (customer: number) => BenchNode
  agentNode: (agent: number) => BenchNode
  onClose: () => Promise<void>
}): Promise<{ harness: ChatHarness; duplicated: () => number }> {
  const { post } = options
  const agentHandlers: ((body: string) => void)[] = []
  const received = new Set<string>()
  let duplicated = 0
  const agents = await inBatches(options.agents, 10, async (a) => {
    const { token } = await post('/api/agent/login', { login: `bench${a}`, password: BENCH_PASSWORD })
    const socket = await openSocket(socketUrl(options.agentNode(a), token))
    socket.on('message', (data) => {
      const text = data.toString()
      if (!text.includes('"message.new"') || !text.includes('"authorRole":"customer"')) return
      const { body } = (JSON.parse(text) as { message: { body: string } }).message
      if (received.has(body)) duplicated++
      received.add(body)
      for (const handler of agentHandlers) handler(body)
    })
    socket.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: `agent-${a}` }))
    return socket
  })

  let assigned = 0
  const everyoneAssigned = new Promise<void>((resolve) => {
    const check = () => (assigned >= options.customers ? resolve() : setTimeout(check, 50))
    check()
  })
  const customers = await inBatches(options.customers, 50, async (c) => {
    const { token } = await post('/api/customer/session', { guestName: `Customer ${c}` })
    const socket = await openSocket(socketUrl(options.customerNode(c), token))
    const state = { socket, conversationId: '', seq: 0 }
    // Once assigned, a customer ignores what comes back (acks), as the baseline's customers do.
    const untilAssigned = (data: WebSocket.RawData) => {
      const text = data.toString()
      if (!text.startsWith('{"t":"conversation.assigned"')) return
      state.conversationId = (JSON.parse(text) as { conversation: { id: string } }).conversation.id
      assigned++
      socket.off('message', untilAssigned)
    }
    socket.on('message', untilAssigned)
    socket.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, deviceId: `customer-${c}` }))
    socket.send(JSON.stringify({ t: 'conversation.open', channel: 'web' }))
    return state
  })
  await everyoneAssigned
  process.stderr.write(`  kefu3d: ${options.customers} customers assigned to ${options.agents} agents\n`)

  return {
    duplicated: () => duplicated,
    harness: {
      send(c, body) {
        const customer = customers[c]
        if (!customer) return
        customer.socket.send(
          JSON.stringify({
            t: 'message.send',
            conversationId: customer.conversationId,
            // The same shape of cid as the real clients send: it decides where the server's index grows.
            cid: newClientMessageId(Date.now(), String(customer.seq++), `bench-${c}`),
            body,
          }),
        )
      },
      onAgentMessage: (handler) => void agentHandlers.push(handler),
      async close() {
        for (const socket of [...agents, ...customers.map((c) => c.socket)]) socket.terminate()
        await options.onClose()
      },
    },
  }
}
