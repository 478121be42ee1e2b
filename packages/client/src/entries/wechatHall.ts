// The WeChat 3D hall page (a subpackage): the only file that pairs the hall with WeChat's Page()
// and its <canvas type="webgl2">. three.js needs WebGL 2 there: base library 2.24.0 or later.

import { createTranslator, pickLocale } from '../core/i18n'
import { type HallPageView, MiniHallController } from '../miniprogram/hallController'
import { wechatCanvas } from '../platform/wechat/wxHallCanvas'
import { wechatPlatform } from '../platform/wechat/wxPlatform'

declare function Page(options: object): void
interface HallPage {
  setData(data: { view: HallPageView }): void
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
  data: { view: { notice: t('hall.loading'), others: 0, guide: '' } satisfies HallPageView },
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
