// The WeChat 3D hall page (a subpackage): the only file that pairs the hall with WeChat's Page()
// and its <canvas type="webgl2">. three.js needs WebGL 2 there: base library 2.24.0 or later.

import { createTranslator, pickLocale } from '../core/i18n'
import { type HallPageView, INITIAL_HALL_VIEW, MiniHallController } from '../miniprogram/hallController'
import { wechatCanvas } from '../platform/wechat/wxHallCanvas'
import { wechatPlatform } from '../platform/wechat/wxPlatform'

declare function Page(options: object): void
declare const wx: {
  setClipboardData(options: { data: string }): void
}
interface HallPage {
  data: { draft: string; view: HallPageView }
  setData(data: { view?: HallPageView; draft?: string }): void
}
interface Touch {
  touches: { clientX: number; clientY: number }[]
}

// A drag this far from where the finger went down is full speed.
const JOYSTICK_PX = 60
const platform = wechatPlatform()
const t = createTranslator(pickLocale([platform.systemLanguage()]))
let controller: MiniHallController | undefined
let touchOrigin: { x: number; y: number } | undefined

Page({
  data: {
    view: { ...INITIAL_HALL_VIEW, notice: t('hall.loading') },
    draft: '',
    labels: { placeholder: t('chat.placeholder'), send: t('chat.send'), viewProduct: t('hall.viewProduct') },
  },
  onLoad(this: HallPage & { server?: string }, query: { server?: string }) {
    this.server = decodeURIComponent(query.server ?? '')
  },
  onReady(this: HallPage & { server?: string }) {
    controller = new MiniHallController(platform, t, (view) => this.setData({ view }))
    void wechatCanvas('#hall').then((host) => controller?.start(host, this.server ?? ''))
  },
  onUnload() {
    controller?.stop()
    controller = undefined
  },
  onWalkToDesk() {
    controller?.walkToDesk()
  },
  // A mini-program opens no outside web page: the link goes to the clipboard (WeChat says so).
  onProductTap(this: HallPage) {
    const link = this.data.view.product?.link
    if (link) wx.setClipboardData({ data: link })
  },
  onCallTap() {
    controller?.toggleCall()
  },
  onInput(this: HallPage, event: { detail: { value: string } }) {
    this.setData({ draft: event.detail.value })
  },
  onRate(event: { currentTarget: { dataset: { score?: number | string } } }) {
    controller?.rate(Number(event.currentTarget.dataset.score))
  },
  onSend(this: HallPage) {
    controller?.send(this.data.draft)
    this.setData({ draft: '' })
  },
  onTouchStart(event: Touch) {
    const touch = event.touches[0]
    if (touch) touchOrigin = { x: touch.clientX, y: touch.clientY }
  },
  onTouchMove(event: Touch) {
    const touch = event.touches[0]
    if (!touch || !touchOrigin) return
    controller?.steer(
      (touch.clientX - touchOrigin.x) / JOYSTICK_PX,
      (touch.clientY - touchOrigin.y) / JOYSTICK_PX,
    )
  },
  onTouchEnd() {
    touchOrigin = undefined
    controller?.steer(0, 0)
  },
})
