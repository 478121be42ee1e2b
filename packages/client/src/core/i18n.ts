/** The languages the customer-facing UI speaks; Chinese first. */
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

const zhCN = {
  'hall.present': '展示商品',
  'hall.presentNone': '不展示商品',
  'hall.rotate': '旋转商品',
  'hall.viewProduct': '查看商品',
  'hall.talk': '语音交谈',
  'hall.joinVoice': '加入语音',
  'hall.endVoice': '结束语音',
  'hall.voiceConnecting': '正在接通语音…',
  'hall.enter': '进入 3D 服务大厅',
  'hall.leave': '返回聊天',
  'hall.loading': '正在进入大厅…',
  'hall.noWebgl': '您的设备或浏览器不支持 3D 大厅，您可以继续在这里聊天。',
  'hall.failed': '暂时无法进入大厅：{reason}',
  'hall.waiting': '等候区',
  'hall.reception': '服务台',
  'hall.assistant': '智能助手',
  'hall.showcase': '产品展示',
  'hall.deskAvailable': '可接待',
  'hall.deskBusy': '忙碌中',
  'hall.deskEmpty': '暂无客服',
  'hall.myPlace': '您排在第 {position} 位',
  'hall.walkTo': '走到 {agent} 的柜台',
  'hall.help': 'WASD / 方向键移动，点击地面走过去',
  'chat.title': '在线客服',
  'chat.placeholder': '请输入您的问题…',
  'chat.send': '发送',
  'chat.messageLabel': '消息',
  'chat.reopen': '重新打开',
  'chat.end': '结束会话',
  'chat.newGuest': '换个访客',
  'chat.starting': '正在启动…',
  'chat.cannotStart': '无法开始会话：{reason}',
  'chat.loadOlder': '查看更早的消息',
  'chat.typing': '{who}正在输入…',
  'rating.ask': '请为本次服务打分',
  'rating.star': '{score} 星',
  'rating.comment': '还有什么想告诉我们的？（选填）',
  'rating.submit': '提交评价',
  'call.call': '语音通话',
  'call.rejoin': '重新加入通话',
  'call.calling': '正在呼叫…',
  'call.offer': '与客服语音通话',
  'call.failed': '通话失败：{reason}',
  'call.connecting': '正在接通…',
  'call.waiting': '已接通，等待对方加入',
  'call.inCallWith': '正在与 {names} 通话',
  'call.speaking': '{names} 正在讲话',
  'call.you': '您',
  'call.mute': '静音',
  'call.unmute': '取消静音',
  'call.hangUp': '挂断',
  'status.online': '在线',
  'status.connecting': '正在连接…',
  'status.offline': '网络已断开，消息将在恢复后发送',
  'status.outdated': '版本过旧，请更新后再使用在线客服',
  'status.signed_out': '会话已结束，正在重新连接…',
  'headline.connecting': '正在连接…',
  'headline.routing': '正在为您接入客服…',
  'headline.finding': '正在为您安排客服…',
  'headline.assistant': '智能助手为您服务，需要人工请点“转人工”',
  'headline.position': '排队中，前面还有 {ahead} 位',
  'headline.ended': '会话已结束',
  'headline.chatting': '客服 {agent} 为您服务',
  'headline.chattingUnnamed': '客服为您服务',
  'message.sending': '发送中…',
  'message.bot': '智能助手 · 机器人',
  'message.photo': '图片',
  'message.voiceNote': '语音 {seconds} 秒',
  'message.read': '已读',
  'message.notSent': '未发送：{reason}',
  'message.retry': '重试',
  'message.discard': '删除',
  'refusal.reply_window_closed': '对方暂时无法接收更多回复',
  'refusal.forbidden': '您无权在此会话中发送消息',
  'refusal.invalid_transition': '会话已结束',
  'refusal.rate_limited': '发送太快了，请稍后再试',
  'refusal.other': '发送被拒绝',
  'event.queued': '正在排队',
  'event.handedOff': '智能助手已转人工',
  'event.assigned': '{agent} 已接入',
  'event.transferredTeam': '已转接到其他客服组',
  'event.transferredAgent': '已转接给 {agent}',
  'event.requeued': '客服已离开，正在重新安排',
  'event.resolved': '会话已结束',
  'event.abandoned': '会话已关闭',
  'event.reopened': '会话已重新打开',
  'event.rated': '服务评价：{stars}，感谢您的反馈',
  'event.voiceRequested': '已发起语音通话',
  'event.voiceJoined': '{name} 加入了通话',
  'event.voiceLeft': '{name} 离开了通话',
  'event.voicePublished': '{name} 开始讲话',
  'event.voiceClosed': '语音通话已结束',
  'event.unknown': '会话更新',
  'event.unreadable': '此条消息无法显示，请更新应用后查看',
  'who.someone': '有人',
  'who.you': '我',
  'who.agent': '客服',
} as const

/** Every text the customer-facing UI shows, by key. */
export type TextKey = keyof typeof zhCN

const en: Record<TextKey, string> = {
  'hall.present': 'Present a product',
  'hall.presentNone': 'No product',
  'hall.rotate': 'Turn the product',
  'hall.viewProduct': 'View the product',
  'hall.talk': 'Talk by voice',
  'hall.joinVoice': 'Join the voice',
  'hall.endVoice': 'End the voice',
  'hall.voiceConnecting': 'Connecting the voice…',
  'hall.enter': 'Enter the 3D hall',
  'hall.leave': 'Back to the chat',
  'hall.loading': 'Entering the hall…',
  'hall.noWebgl': 'This device or browser cannot show the 3D hall; you can go on chatting here.',
  'hall.failed': 'The hall cannot be entered right now: {reason}',
  'hall.waiting': 'Waiting area',
  'hall.reception': 'Reception',
  'hall.assistant': 'Assistant',
  'hall.showcase': 'Showcase',
  'hall.deskAvailable': 'Available',
  'hall.deskBusy': 'Busy',
  'hall.deskEmpty': 'Not staffed',
  'hall.myPlace': 'You are number {position} in line',
  'hall.walkTo': 'Walk to {agent}’s desk',
  'hall.help': 'WASD / arrow keys to move, click the floor to walk there',
  'chat.title': 'Customer service',
  'chat.placeholder': 'Type your question…',
  'chat.send': 'Send',
  'chat.messageLabel': 'Message',
  'chat.reopen': 'Reopen',
  'chat.end': 'End chat',
  'chat.newGuest': 'New guest',
  'chat.starting': 'Starting…',
  'chat.cannotStart': 'Could not start the chat: {reason}',
  'chat.loadOlder': 'Load earlier messages',
  'chat.typing': '{who} is typing…',
  'rating.ask': 'How did we do?',
  'rating.star': '{score} stars',
  'rating.comment': 'Anything else you want to tell us? (optional)',
  'rating.submit': 'Send rating',
  'call.call': 'Call',
  'call.rejoin': 'Rejoin call',
  'call.calling': 'Calling…',
  'call.offer': 'Talk to your agent by voice',
  'call.failed': 'Call failed: {reason}',
  'call.connecting': 'Connecting the call…',
  'call.waiting': 'In the call, waiting for the other side',
  'call.inCallWith': 'In the call with {names}',
  'call.speaking': '{names} speaking',
  'call.you': 'You',
  'call.mute': 'Mute',
  'call.unmute': 'Unmute',
  'call.hangUp': 'Hang up',
  'status.online': 'Online',
  'status.connecting': 'Connecting…',
  'status.offline': 'Offline — messages will be sent when back',
  'status.outdated': 'This app is out of date: update it to chat with us',
  'status.signed_out': 'Your session ended; starting a new one…',
  'headline.connecting': 'Connecting…',
  'headline.routing': 'Connecting you to customer service…',
  'headline.finding': 'Finding an agent for you…',
  'headline.assistant': 'The assistant is helping you; tap “Talk to a person” for a human',
  'headline.position': 'You are number {position} in line',
  'headline.ended': 'This conversation has ended',
  'headline.chatting': 'You are chatting with {agent}',
  'headline.chattingUnnamed': 'You are chatting with an agent',
  'message.sending': 'Sending…',
  'message.bot': 'Assistant · bot',
  'message.photo': 'Photo',
  'message.voiceNote': 'Voice note, {seconds} s',
  'message.read': 'Read',
  'message.notSent': 'Not sent: {reason}',
  'message.retry': 'Retry',
  'message.discard': 'Discard',
  'refusal.reply_window_closed': 'the customer cannot receive more replies for now',
  'refusal.forbidden': 'you may not write in this conversation',
  'refusal.invalid_transition': 'the conversation has ended',
  'refusal.rate_limited': 'too fast, try again in a moment',
  'refusal.other': 'refused by the server',
  'event.queued': 'Waiting for an agent',
  'event.handedOff': 'The assistant passed you to a person',
  'event.assigned': '{agent} joined',
  'event.transferredTeam': 'Transferred to another team',
  'event.transferredAgent': 'Transferred to {agent}',
  'event.requeued': 'Agent disconnected; finding another agent',
  'event.resolved': 'Conversation resolved',
  'event.abandoned': 'Conversation closed',
  'event.reopened': 'Conversation reopened',
  'event.rated': 'Your rating: {stars}. Thank you!',
  'event.voiceRequested': 'Voice call requested',
  'event.voiceJoined': '{name} joined the call',
  'event.voiceLeft': '{name} left the call',
  'event.voicePublished': '{name} is on the microphone',
  'event.voiceClosed': 'Voice call ended',
  'event.unknown': 'Update',
  'event.unreadable': 'This message cannot be shown here; update the app to see it',
  'who.someone': 'Someone',
  'who.you': 'Me',
  'who.agent': 'An agent',
}

const CATALOGUE: Record<Locale, Record<TextKey, string>> = { 'zh-CN': zhCN, en }

/** Looks a text up and fills its `{placeholders}`. */
export type Translate = (key: TextKey, values?: Record<string, string | number>) => string

/** The translator for one locale. */
export function createTranslator(locale: Locale): Translate {
  const texts = CATALOGUE[locale]
  return (key, values = {}) =>
    texts[key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      values[name] === undefined ? placeholder : isolated(String(values[name])),
    )
}

// Right-to-left letters and the direction controls (LRM/RLM, embeddings, overrides, isolates).
const BIDI = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200e\u200f\u202a-\u202e\u2066-\u2069]/

/**
 * A name as shown among other text: one with right-to-left text or direction controls is wrapped
 * in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so it cannot reorder what surrounds it (an
 * unclosed RLO in a customer's name would otherwise flip the rest of the line). Other names are
 * left as they are.
 */
export function isolated(text: string): string {
  return BIDI.test(text) ? `\u2068${text}\u2069` : text
}

/**
 * The first supported locale among the person's preferences (browser `navigator.languages`, a
 * mini-program's system language such as `zh_CN`), after the integrator's override if any.
 * Chinese is the default: kefu3d serves Chinese mini-programs first.
 */
export function pickLocale(preferences: readonly (string | undefined)[]): Locale {
  for (const preference of preferences) {
    const tag = preference?.replace('_', '-').toLowerCase()
    if (!tag) continue
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return 'zh-CN'
}
