// Starts the built desktop app under tauri-driver on a temporary data folder and hands back a
// WebdriverIO browser. Needs an X display (xvfb-run), tauri-driver and WebKitWebDriver.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { remote } from 'webdriverio'

export const repo = resolve(process.cwd(), '..')
export const shots = join(repo, 'target', 'e2e')
/** Everything the driver and the app it starts write to stdout/stderr; scanned for personal
 * data after the run (logscan.ts). */
export const logs = join(shots, 'logs')
export const application = process.env.MINQING_APP ?? join(repo, 'target', 'debug', 'minqing-app')
const driverBin = process.env.TAURI_DRIVER ?? join(process.env.HOME ?? '', '.cargo', 'bin', 'tauri-driver')

export type App = { browser: WebdriverIO.Browser; dataDir: string; stop: () => Promise<void> }

let driver: ChildProcess | null = null
let port = 4444

// Under Xvfb WebKitGTK draws with Mesa's software GL (llvmpipe), and by default paints with
// Skia on the GPU: GL contexts in more than one thread of the web process. Mesa 22.3 (Debian
// 12) races there: twice in CI the compositor thread hit a general protection fault reading
// another context's command list (`lp_scene_is_resource_referenced`, swrast_dri.so+0x6e01fc),
// the page died, and the journey hung until its timeout. Skia painting on the CPU leaves one
// GL context, the compositor's. The driver passes the environment on to the app, and the
// bench's MiniBrowser peers get it too. Windows (WebView2) is not concerned.
process.env.WEBKIT_SKIA_ENABLE_CPU_RENDERING ??= '1'

/** Waits until a WebDriver server answers on port `p`; throws after `ms`. */
export async function waitForPort(p: number, ms: number) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${p}/status`)
      if (r.ok) return
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no WebDriver server answered on port ${p}`)
}

/** Starts tauri-driver (and through it WebKitWebDriver) unless it runs. `startApp` calls it;
 * the start bench calls it first, so that no app start it times includes the driver's. */
export async function ensureDriver() {
  if (driver && driver.exitCode === null) return
  port = 4444 + Math.floor(Math.random() * 500) * 2
  driver = spawn(driverBin, ['--port', String(port), '--native-port', String(port + 1)], { stdio: ['ignore', 'pipe', 'pipe'] })
  mkdirSync(logs, { recursive: true })
  const log = createWriteStream(join(logs, `driver-${process.pid}-${port}.log`), { flags: 'a' })
  for (const s of [driver.stdout, driver.stderr]) {
    s?.on('data', (d) => {
      log.write(d)
      if (process.env.E2E_VERBOSE) process.stderr.write(d)
    })
  }
  await waitForPort(port, 20_000)
}

/** A data folder whose database the CLI already filled with the demo township's register
 * only (no visits, requests or cycles): for journeys that build those up themselves. */
export function newDemoDataDir(name: string): string {
  const dir = newDataDir(name)
  execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', join(dir, 'minqing.db'), 'demo', '--households', '6000'], {
    cwd: repo,
    env: { ...process.env, MINQING_DB: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return dir
}

export function newDataDir(name: string, dbBytes?: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), `minqing-e2e-${name}-`))
  if (dbBytes) writeFileSync(join(dir, 'minqing.db'), dbBytes)
  return dir
}

/** Starts the app. The operator is chosen on the command line (`--operator 测试员`) unless
 * `operator` is null: then the app asks for one at start, as it does for a coordinator. */
export async function startApp(dataDir: string, extraArgs: string[] = [], operator: string | null = '测试员'): Promise<App> {
  mkdirSync(shots, { recursive: true })
  const open = async () => {
    await ensureDriver()
    const session = remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'error',
      capabilities: { 'tauri:options': { application, args: ['--data-dir', dataDir, ...(operator ? ['--operator', operator] : []), ...extraArgs] } } as WebdriverIO.Capabilities,
    })
    session.catch(() => {}) // answered below, or given up on when the app has gone
    // The driver waits minutes for a window from an app that has already exited: notice the
    // exit (the app seen and then gone, or never seen after 5 s) and give up on the session.
    const t0 = Date.now()
    let seen = false
    let timer: ReturnType<typeof setInterval> | undefined
    const gone = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        const up = running(dataDir)
        seen ||= up
        if (!up && (seen || Date.now() - t0 > 5000)) reject(new Error('桌面程序启动后退出了'))
      }, 200)
    })
    try {
      return await Promise.race([session, gone])
    } finally {
      clearInterval(timer)
    }
  }
  let browser: WebdriverIO.Browser
  try {
    browser = await open()
  } catch (e) {
    // Once in a CI run the app could not reach the X server at start ("Failed to initialize
    // GTK", in the app's log) and the driver waited 300 s for its window. One more start, with
    // a new driver; a start that fails twice fails the test. The cause stays in the app's log.
    process.stderr.write(`桌面程序没有启动，再试一次：${(e as Error).message}\n`)
    await appGone(dataDir)
    await stopDriver()
    browser = await open()
  }
  const unwatch = watchWebProcess(dataDir)
  return {
    browser,
    dataDir,
    stop: async () => {
      unwatch()
      await browser.deleteSession().catch(() => {})
      await appGone(dataDir)
    },
  }
}

/** Says at once, on stderr, when the page's process dies under a running app (Linux): its
 * WebDriver commands then hang until the test's timeout, and the failures that follow name
 * whatever the journey was waiting for, not the crash. Answers a function that stops watching. */
function watchWebProcess(dataDir: string): () => void {
  if (!existsSync('/proc/self/stat')) return () => {}
  const app = appPids(dataDir)
  const web = [...processTree(app)].filter(([, name]) => name === 'WebKitWebProces').map(([pid]) => pid)
  if (web.length === 0) return () => {}
  const timer = setInterval(() => {
    const dead = web.find((pid) => !existsSync(`/proc/${pid}`))
    if (dead === undefined || !app.some((pid) => existsSync(`/proc/${pid}`))) return
    clearInterval(timer)
    process.stderr.write(
      `[e2e] 应用仍在运行，它的网页进程（WebKitWebProcess ${dead}）却已退出：页面崩溃了，之后的 WebDriver 命令会等到超时。原因多在内核日志（dmesg）里。\n`,
    )
  }, 1000)
  timer.unref()
  return () => clearInterval(timer)
}

/** The process of the app started on `dataDir`; none when it is not running. */
export function appPids(dataDir: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', `--data-dir ${dataDir}`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n').map(Number)
  } catch {
    return []
  }
}

/** `roots` and every process below them (WebKit's web and network processes below the app),
 * by pid, with their names: /proc/PID/comm, cut at 15 characters. */
export function processTree(roots: number[]): Map<number, string> {
  const parent = new Map<number, number>()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      /* gone */
    }
  }
  const mine = new Set(roots)
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, pp] of parent) {
      if (!mine.has(pid) && mine.has(pp)) {
        mine.add(pid)
        grew = true
      }
    }
  }
  const tree = new Map<number, string>()
  for (const pid of mine) {
    try {
      tree.set(pid, readFileSync(`/proc/${pid}/comm`, 'utf8').trim())
    } catch {
      /* gone */
    }
  }
  return tree
}

/** Whether a desktop app started on `dataDir` is still running. */
function running(dataDir: string): boolean {
  return appPids(dataDir).length > 0
}

/** Waits until the app on `dataDir` has exited, killing it after 10 s. The app is single
 * instance: one still closing would take over the next test's launch and fail its session. */
async function appGone(dataDir: string) {
  const until = Date.now() + 10_000
  while (running(dataDir) && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
  if (running(dataDir)) {
    console.warn(`[e2e] the app on ${dataDir} did not exit within 10 s of closing its session: killed`)
    try {
      execFileSync('pkill', ['-KILL', '-f', '--', `--data-dir ${dataDir}`], { stdio: 'ignore' })
    } catch {
      /* already gone */
    }
    while (running(dataDir)) await new Promise((r) => setTimeout(r, 100))
  }
  // The single-instance guard's D-Bus name outlives the process by a moment: a launch before
  // it is released hands over to an instance that is already gone.
  const until2 = Date.now() + 10_000
  while (singleInstanceOwned() && Date.now() < until2) await new Promise((r) => setTimeout(r, 100))
}

/** Whether the app's single-instance D-Bus name is still owned on the session bus. */
function singleInstanceOwned(): boolean {
  try {
    const out = execFileSync(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.minqing.desktop.SingleInstance'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    ).toString()
    return out.includes('boolean true')
  } catch {
    return false
  }
}

export async function stopDriver() {
  driver?.kill()
  driver = null
}

export async function shot(browser: WebdriverIO.Browser, name: string) {
  await browser.pause(300) // let transitions settle
  await browser.saveScreenshot(join(shots, `${name}.png`))
}

/**
 * Waits until an element stops moving (a drawer sliding in, a dialog growing): its box read
 * twice, 150 ms apart, the same. A click sent while it moves can land on whatever has slid
 * under that point — a sibling button — and open the wrong dialog.
 */
async function settled(browser: WebdriverIO.Browser, selector: string) {
  let last = ''
  await browser.waitUntil(
    async () => {
      const box = JSON.stringify(await browser.execute((sel: string) => document.querySelector(sel)?.getBoundingClientRect().toJSON(), selector))
      const still = box === last
      last = box
      if (!still) await browser.pause(150)
      return still
    },
    { timeout: 10_000, timeoutMsg: 'element kept moving' },
  )
}

/** Clicks an element once it takes clicks and has stopped moving. */
export async function clickStill(browser: WebdriverIO.Browser, selector: string) {
  await browser.$(selector).waitForClickable({ timeout: 10_000 })
  await settled(browser, selector)
  await browser.$(selector).click()
}

/**
 * Opens the tab `#tab-<name>` of an Element Plus el-tabs, and waits until it is the open one,
 * clicking again while it is not. A click sent while a screen is still being built can be
 * lost: once in CI, 设置's 数据与关于 showed the click's hover and stayed closed, and the
 * journey waited for a button on it until its timeout.
 */
export async function openTab(browser: WebdriverIO.Browser, name: string, timeout = 30_000) {
  const selector = `.el-tabs__item#tab-${name}`
  const open = async () => (await browser.$(selector).getAttribute('aria-selected')) === 'true'
  let clicks = 0
  await browser.waitUntil(
    async () => {
      if (!(await browser.$(selector).isExisting())) return false
      if (await open()) return true
      clicks++
      try {
        await browser.$(selector).click()
      } catch {
        /* re-rendered under the click: the next round clicks again */
      }
      await browser.pause(150)
      return open()
    },
    { timeout, interval: 100, timeoutMsg: `标签页 ${name} 没有打开（点了 ${clicks} 次）` },
  )
  // Said, so that a lost click shows in the run's output instead of passing unseen.
  if (clicks > 1) process.stderr.write(`[e2e] 标签页 ${name} 点了 ${clicks} 次才打开\n`)
}

/** Visible text of every element matching a selector. */
export async function texts(browser: WebdriverIO.Browser, selector: string): Promise<string[]> {
  return browser.execute((sel: string) => Array.from(document.querySelectorAll(sel)).map((e) => (e as HTMLElement).innerText.trim()), selector)
}

/** Clicks the first visible option of the open Element Plus select dropdown. */
export async function pickFirstOption(browser: WebdriverIO.Browser, text?: string) {
  const selector = '.el-popper[aria-hidden="false"] .el-select-dropdown__item'
  await browser.waitUntil(
    async () => {
      const items = await browser.$$(selector)
      for (const i of items) if ((await i.isDisplayed()) && (!text || (await i.getText()).includes(text))) return true
      return false
    },
    { timeout: 10_000, timeoutMsg: `no option ${text ?? ''}` },
  )
  // The option can be displayed before it takes clicks (the dropdown still opening, a remote
  // search re-rendering the list): find it again and retry until it takes one.
  await browser.waitUntil(
    async () => {
      for (const i of await browser.$$(selector)) {
        if ((await i.isDisplayed()) && (!text || (await i.getText()).includes(text))) {
          try {
            await i.click()
            return true
          } catch {
            return false
          }
        }
      }
      return false
    },
    { timeout: 10_000, interval: 200, timeoutMsg: `option ${text ?? ''} did not take a click` },
  )
  await browser.pause(300) // the dropdown closes
}
