// The embed script: <script src="https://your-kefu-host/widget.js"></script> on any page or app
// WebView. It adds a launcher bubble and opens the chat (served by kefu) in a frame.
import { type HostToChat, isChatToHost, type StoredSession } from '../widget/widgetMessages'

interface KefuWidget {
  open(): void
  close(): void
  /** Identifies the customer with a profile signed by your backend (see the README). */
  setUser(profile: string, signature: string): void
}

declare global {
  interface Window {
    kefu?: KefuWidget
  }
}

const script = document.currentScript as HTMLScriptElement | null
const kefuOrigin = new URL(script?.src ?? location.href).origin
const SESSION_KEY = `kefu.session:${kefuOrigin}`

// The host page's own storage is first-party, so it survives where the frame's would be denied.
function loadSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY)
    return raw ? (JSON.parse(raw) as StoredSession) : null
  } catch {
    return null
  }
}

function saveSession(session: StoredSession): void {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session))
  } catch {
    // Storage denied here too: the customer starts a fresh guest chat on the next visit.
  }
}

const STYLE = `
.kefu-launcher{position:fixed;right:24px;bottom:24px;width:60px;height:60px;border-radius:50%;border:0;
  background:#2f6fed;color:#fff;font:600 15px system-ui;box-shadow:0 6px 20px rgba(20,40,90,.3);cursor:pointer;z-index:2147483000}
.kefu-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#e5484d;
  color:#fff;font:600 12px/20px system-ui;text-align:center;padding:0 5px}
.kefu-panel{position:fixed;right:24px;bottom:96px;width:380px;height:600px;max-height:calc(100vh - 120px);
  max-width:calc(100vw - 32px);border:0;border-radius:14px;box-shadow:0 12px 40px rgba(20,40,90,.25);
  background:#fff;z-index:2147483000;display:none}
.kefu-panel.open{display:block}`

function mount(): KefuWidget {
  const style = document.createElement('style')
  style.textContent = STYLE
  document.head.append(style)

  const frame = document.createElement('iframe')
  frame.className = 'kefu-panel'
  frame.title = 'Customer service'
  // <script src=".../widget.js" data-lang="en">: the integrator's language, over the visitor's browser.
  const lang = script?.dataset.lang
  frame.src = `${kefuOrigin}/chat?embed=1${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`
  frame.allow = 'microphone; autoplay'
  const launcher = document.createElement('button')
  launcher.className = 'kefu-launcher'
  launcher.type = 'button'
  launcher.setAttribute('aria-label', 'Customer service')
  // An icon rather than text: it reads the same in every language and needs no CJK font.
  launcher.innerHTML =
    '<svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
    '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>'
  const badge = document.createElement('span')
  badge.className = 'kefu-badge'
  badge.hidden = true
  launcher.append(badge)
  document.body.append(frame, launcher)

  let isReady = false
  const pending: HostToChat[] = []
  const post = (message: HostToChat) => {
    if (isReady) frame.contentWindow?.postMessage(message, kefuOrigin)
    else pending.push(message)
  }
  window.addEventListener('message', (event) => {
    if (event.origin !== kefuOrigin || !isChatToHost(event.data)) return
    if (event.data.type === 'kefu:ready') {
      isReady = true
      frame.contentWindow?.postMessage(
        { type: 'kefu:restore', session: loadSession() } satisfies HostToChat,
        kefuOrigin,
      )
      for (const message of pending.splice(0)) frame.contentWindow?.postMessage(message, kefuOrigin)
    } else if (event.data.type === 'kefu:session') {
      saveSession(event.data.session)
    } else {
      badge.hidden = event.data.count === 0
      badge.textContent = String(event.data.count)
    }
  })

  const setOpen = (isOpen: boolean) => {
    frame.classList.toggle('open', isOpen)
    post({ type: 'kefu:panel', isOpen })
  }
  launcher.addEventListener('click', () => setOpen(!frame.classList.contains('open')))
  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    setUser: (profile, signature) => post({ type: 'kefu:set-user', profile, signature }),
  }
}

window.kefu = mount()
