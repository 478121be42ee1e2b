import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { TestServer } from './testServer'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const here = dirname(fileURLToPath(import.meta.url))

/** Where browser tests leave screenshots for people to look at. */
export const ARTIFACTS_DIR = join(here, '../test-results')
/** The built web client the server hands to browsers. */
export const CLIENT_DIST = join(here, '../../packages/client/dist')

/** Launches Debian's Chromium headless; fails loudly when it or the built client is missing. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  if (!existsSync(join(CLIENT_DIST, 'index.html')))
    throw new Error('The web client is not built: pnpm --filter @kefu/client build')
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // WebRTC to a LiveKit on this machine, and calls that play without a click on every page.
      '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required',
      // WebGL 2 for the 3D hall, rendered in software (no GPU here).
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      ...extraArgs,
    ],
  })
}

const cspViolations: string[] = []

/**
 * Records what the server's Content-Security-Policy blocks on every page of the context (Chromium
 * reports each as a console error); `serverAndBrowserPerFile` fails the file if anything was.
 */
export function watchCsp(context: BrowserContext): BrowserContext {
  context.on('page', (page) =>
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy'))
        cspViolations.push(`${page.url()}: ${message.text()}`)
    }),
  )
  return context
}

/** Fails when the CSP blocked anything on a watched page since the last check. */
export function expectNoCspViolations(): void {
  expect(cspViolations.splice(0), 'what the CSP blocked').toEqual([])
}

/** A page in a fresh context (its own storage, as another person's browser), CSP watched. */
export async function openPage(
  browser: Browser,
  locale = 'en-US',
  viewport?: { width: number; height: number },
): Promise<Page> {
  return (await watchCsp(await browser.newContext({ locale, ...(viewport && { viewport }) }))).newPage()
}

/** Two frames drawn after this call: a screenshot taken next shows the scene as it is now. */
export const framesDrawn = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const nextFrame = (globalThis as unknown as { requestAnimationFrame(then: () => void): void })
      .requestAnimationFrame
    return new Promise<void>((resolve) => nextFrame(() => nextFrame(resolve)))
  })

/**
 * For pages that render the 3D hall: every pixel is drawn in software here, so a smaller window
 * gives each page faster frames and leaves the two cores to the rest (LiveKit's joins above all).
 */
export const HALL_VIEWPORT = { width: 800, height: 480 }

// Helpers run in the page by the debugger protocol, which the page's CSP does not govern (a
// script tag would be refused, as it should be).
async function runInPage(page: Page, file: string, call: string): Promise<unknown> {
  await page.evaluate(readFileSync(join(here, file), 'utf8'))
  return page.evaluate(call)
}

/** Signs a demo agent in on the agent console, as a person would. */
export async function signInAsAgent(
  page: Page,
  serverUrl: string,
  login: string,
  password = 'kefu-demo',
): Promise<void> {
  await page.goto(`${serverUrl}/agent`)
  await page.getByLabel('Login').fill(login)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/**
 * A customer opens the chat page in one browser context and waits in the queue; agent `login` signs
 * in to the console in another and opens the first conversation (the customer's).
 */
export async function customerMeetsAgent(
  browser: Browser,
  serverUrl: string,
  login: string,
  viewport?: { width: number; height: number },
): Promise<{ customer: Page; agent: Page }> {
  const customer = await openPage(browser, 'en-US', viewport)
  await customer.goto(`${serverUrl}/chat`)
  await customer.getByText('Waiting for an agent').waitFor()
  const agent = await openPage(browser, 'en-US', viewport)
  await signInAsAgent(agent, serverUrl, login)
  await agent.getByTestId('conversation-row').first().click()
  return { customer, agent }
}

/**
 * The loudest moment (RMS, 0–1) of what a page plays from its voice call over `ms`. Chromium's
 * fake microphone beeps about once a second, so a live call reads well above 0.01 and silence ~0.
 */
export async function loudestHeard(page: Page, ms = 2500): Promise<number> {
  return (await runInPage(page, 'loudestHeard.browser.js', `window.kefuLoudestHeard(${ms})`)) as number
}

/** Something tests run against, with a way to stop it (the server alone, or with LiveKit). */
export interface ServerStack {
  server: TestServer
  stop(): Promise<void>
}

/**
 * The real server serving the built web client (started by `start`; by default without voice),
 * and Chromium, for every test of the calling file. Read `.server` and `.browser` inside a test.
 */
export function serverAndBrowserPerFile(
  start: () => Promise<ServerStack> = async () => {
    const server = await TestServer.start({ CLIENT_DIST })
    return { server, stop: () => server.stop() }
  },
): { readonly server: TestServer; readonly browser: Browser } {
  let stack: ServerStack | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    stack = await start()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
    expectNoCspViolations()
  })
  return {
    get server() {
      if (!stack) throw new Error('The server runs only inside a test')
      return stack.server
    },
    get browser() {
      if (!browser) throw new Error('Chromium runs only inside a test')
      return browser
    },
  }
}

/**
 * How much a screenshot varies (standard deviation of its grey levels, 0-255): a blank or
 * single-colour canvas is near 0, a drawn scene well above 10. Measured in the page's own canvas.
 */
export async function screenshotVariance(page: Page, png: Buffer): Promise<number> {
  return (await runInPage(
    page,
    'screenshotVariance.browser.js',
    `window.kefuScreenshotVariance(${JSON.stringify(png.toString('base64'))})`,
  )) as number
}
