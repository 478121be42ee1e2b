import { asClientMessageId, asConversationId, asUserId, type LocalMessage } from '@kefu/shared'
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import { MessageList } from './MessageList'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
Element.prototype.scrollIntoView = () => {}

const message = (
  seq: number | null,
  authorId: string,
  body: string,
  kind: LocalMessage['kind'] = 'text',
): LocalMessage =>
  ({
    conversationId: asConversationId('c1'),
    seq,
    cid: asClientMessageId(`m${seq ?? 'pending'}-${body.length}`),
    authorId: asUserId(authorId),
    authorRole: authorId === 'me' ? 'customer' : 'agent',
    kind,
    body,
    createdAt: 0,
  }) as LocalMessage

let container: HTMLDivElement
const actions = { retried: [] as string[], discarded: [] as string[] }
function render(messages: LocalMessage[], readUpTo = 0) {
  container = document.createElement('div')
  document.body.append(container)
  act(() =>
    createRoot(container).render(
      <MessageList
        messages={messages}
        isOnMySide={(message) => message.authorId === 'me'}
        readUpTo={readUpTo}
        typingLabel={undefined}
        onRetry={(cid) => actions.retried.push(cid)}
        onDiscard={(cid) => actions.discarded.push(cid)}
      />,
    ),
  )
  return container
}
afterEach(() => container.remove())

describe('MessageList', () => {
  it('shows HTML in a message as text and never as markup', () => {
    const view = render([message(1, 'them', '<img src=x onerror="window.hacked=1"><b>bold</b>')])
    expect(view.querySelector('img')).toBeNull()
    expect(view.querySelector('b')).toBeNull()
    expect(view.textContent).toContain('<img src=x onerror="window.hacked=1"><b>bold</b>')
  })

  it('marks pending messages as sending and read ones as read', () => {
    const view = render(
      [message(1, 'me', 'seen'), message(2, 'me', 'not yet seen'), message(null, 'me', 'in flight')],
      1,
    )
    const metas = [...view.querySelectorAll('.bubble .meta')].map((node) => node.textContent?.trim())
    expect(metas[0]).toMatch(/Read$/)
    expect(metas[1]).not.toMatch(/Read|Sending/)
    expect(metas[2]).toMatch(/Sending…$/)
  })

  it('turns lifecycle events into sentences', () => {
    const view = render([
      message(
        1,
        'system',
        JSON.stringify({ event: 'assigned', agentId: 's_alice', agentName: 'Alice' }),
        'event',
      ),
    ])
    expect(view.querySelector('.event')?.textContent).toBe('Alice joined')
  })

  it('shows a refused message as not sent, with the reason, a retry and a discard', () => {
    const refused = {
      ...message(null, 'me', 'one too many'),
      failure: { code: 'reply_window_closed', message: 'WeChat allows no more replies' },
    } as LocalMessage
    const view = render([refused])
    expect(view.querySelector('[data-testid="refused"]')?.textContent).toContain(
      'Not sent: the customer cannot receive more replies for now',
    )
    expect(view.textContent).not.toContain('Sending…')
    const [retry, discard] = view.querySelectorAll<HTMLButtonElement>('[data-testid="refused"] button')
    act(() => retry?.click())
    act(() => discard?.click())
    expect(actions.retried).toEqual([refused.cid])
    expect(actions.discarded).toEqual([refused.cid])
  })

  it('shows the service’s own message (a greeting) as said, on the other side', () => {
    const view = render([message(1, 'system', '您好，正在为您安排客服，请稍候。', 'system')])
    expect(view.querySelector('.bubble.theirs .body')?.textContent).toBe('您好，正在为您安排客服，请稍候。')
    expect(view.querySelector('.event')).toBeNull()
  })

  it('shows an event this version does not know as a neutral line, not raw JSON', () => {
    const view = render([message(1, 'system', JSON.stringify({ event: 'teleported' }), 'event')])
    expect(view.querySelector('.event')?.textContent).toBe('Update')
  })
})
