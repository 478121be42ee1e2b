/** Replies a channel still allows (WeChat: a few within 48 h of the customer's last message). */
export interface ReplyWindow {
  remaining: number
  closesAt: number
}

/** How the console says it: how many replies are left and until when. */
export function describeReplyWindow(window: ReplyWindow): string {
  if (window.remaining === 0) return 'WeChat allows no more replies until the customer writes again'
  const until = new Date(window.closesAt).toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
  return `WeChat: ${window.remaining} ${window.remaining === 1 ? 'reply' : 'replies'} left until ${until}`
}
