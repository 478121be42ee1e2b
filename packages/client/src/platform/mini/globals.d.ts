// What WeChat's and Alipay's JavaScript runtimes provide besides ES2022, for `tsconfig.mini.json`:
// timers, and nothing of the DOM.
type MiniTimer = number

declare function setTimeout(callback: () => void, delayMs?: number): MiniTimer
declare function clearTimeout(timer: MiniTimer | undefined): void
