import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One chat-completions request as the model received it. */
export interface LlmRequest {
  model: string
  messages: { role: string; content: string }[]
  authorization: string | undefined
}

/**
 * An OpenAI-compatible `/v1/chat/completions` on loopback: it plays the documented request and
 * answer shapes (no model runs here), answering each question as `answer(question)` says: a text,
 * or an HTTP status for a failure.
 */
export async function startFakeLlm(answer: (question: string) => string | number) {
  const requests: LlmRequest[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      const parsed = JSON.parse(body) as Omit<LlmRequest, 'authorization'>
      requests.push({ ...parsed, authorization: request.headers.authorization })
      const question = parsed.messages.at(-1)?.content ?? ''
      const said = request.url === '/v1/chat/completions' ? answer(question) : 404
      response.setHeader('content-type', 'application/json')
      if (typeof said === 'number') {
        response.statusCode = said
        return void response.end(JSON.stringify({ error: { message: 'failed' } }))
      }
      response.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          model: parsed.model,
          choices: [{ index: 0, message: { role: 'assistant', content: said }, finish_reason: 'stop' }],
        }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
