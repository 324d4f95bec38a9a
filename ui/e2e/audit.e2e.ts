// 操作记录 in the real app: the operator is asked for at start (nothing else can be done
// first), a household's phone changed in the form appears in the trail under that operator,
// masked, old → new; the trail is filtered and exported; 「切换」 changes the operator, and the
// next start offers the most recent one first.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { newDataDir, pickFirstOption, repo, shot, startApp, stopDriver, texts, type App } from './app'

const dir = newDataDir('audit')
const db = join(dir, 'minqing.db')
const saveDir = mkdtempSync(join(tmpdir(), 'minqing-e2e-audit-out-'))
process.env.MINQING_E2E_SAVE_DIR = saveDir

function minqing(args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'minqing-core', '--bin', 'minqing', '--', '--db', db, ...args], {
    cwd: repo,
    env: { ...process.env, MINQING_DB: '' },
  }).toString()
}
minqing(['demo', '--households', '300'])

let app: App
let b: WebdriverIO.Browser

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(b, `failed-audit-${ctx.task.name.slice(0, 30)}`).catch(() => {})
})
afterAll(async () => {
  await app?.stop()
  await stopDriver()
})

/** Keyboard only: type a name and press Enter — the name is taken and confirmed at once;
 * with no name, Enter confirms the preselected one. */
async function chooseOperator(name: string | null, screenshot?: string) {
  const dialog = await b.$('[data-test=operator-dialog]')
  await dialog.waitForDisplayed({ timeout: 30_000 })
  // The opening transition ends by moving the focus to 确定 (a name preselected) or into the
  // name box; typing before that would be undone by it. On a busy machine it takes longer
  // than a fixed pause.
  await b.waitUntil(
    async () =>
      b.execute(() => {
        const a = document.activeElement
        return !!a && (a.getAttribute('data-test') === 'operator-confirm' || !!a.closest('[data-test=operator-name]'))
      }),
    { timeout: 10_000, timeoutMsg: 'the operator dialog did not take the focus' },
  )
  if (name) {
    const input = await b.$('[data-test=operator-name] input')
    await input.click()
    await input.addValue(name)
    await b.pause(300)
  } else {
    expect(await b.execute(() => document.activeElement?.getAttribute('data-test'))).toBe('operator-confirm')
  }
  if (screenshot) await shot(b, screenshot)
  await b.keys('Enter')
  await dialog.waitForDisplayed({ reverse: true, timeout: 10_000 })
}

async function operatorShown(name: string) {
  await b.waitUntil(async () => (await b.$('[data-test=operator]').getText().catch(() => '')).includes(name), {
    timeout: 10_000,
    timeoutMsg: `header does not show 操作人：${name}`,
  })
}

describe('操作记录', () => {
  it('asks who is working before anything else, and shows the name in the header', async () => {
    app = await startApp(dir, [], null)
    b = app.browser
    await chooseOperator('王小明', '50-operator-dialog')
    await operatorShown('王小明')
  })

  it('records a phone changed in the household form under the operator, masked, old → new', async () => {
    await b.$('[data-test=nav-households]').click()
    const first = await b.$('[data-test=row-name]')
    await first.waitForClickable({ timeout: 30_000 })
    const name = await first.getText()
    await first.click()
    const form = await b.$('[data-test=household-form]')
    await form.waitForDisplayed()
    const phone = await b.$('[data-test=f-phone]')
    await phone.click()
    await b.keys(['Control', 'a'])
    await b.keys('Backspace')
    await phone.addValue('13900522468')
    await b.keys(['Control', 's'])
    await form.waitForDisplayed({ reverse: true, timeout: 10_000 })

    // The household's own 修改记录, from its form.
    await b.$('[data-test=row-name]').click()
    await form.waitForDisplayed()
    await b.$('[data-test=record-history]').click()
    await b.waitUntil(async () => (await texts(b, '[data-test=record-history-list] .el-table__body tr')).some((t) => t.includes('139****2468')), {
      timeout: 10_000,
      timeoutMsg: 'the household form does not list its own change',
    })
    await shot(b, '52-household-record-history')
    await b.$('[data-test=record-history]').click() // closes the popover
    await b.pause(300)
    for (const btn of await b.$$('.el-dialog__footer .el-button')) {
      if ((await btn.isDisplayed()) && (await btn.getText()).replace(/\s/g, '') === '取消') {
        await btn.click() // nothing changed: the form closes without asking
        break
      }
    }
    await form.waitForDisplayed({ reverse: true, timeout: 10_000 })

    await b.$('[data-test=nav-audit]').click()
    await b.waitUntil(async () => (await texts(b, '[data-test=audit-table] .el-table__body tr')).length > 1, {
      timeout: 10_000,
      timeoutMsg: 'no audit lines',
    })
    const rows = await texts(b, '[data-test=audit-table] .el-table__body tr')
    const line = rows[0]
    expect(line).toContain('王小明')
    expect(line).toContain(name)
    expect(line).toContain('联系电话')
    expect(line).toContain('139****2468')
    expect(line).not.toContain('13900522468')
    expect(rows.some((r) => r.includes('生成示例数据'))).toBe(true)
    await shot(b, '51-audit-list')
  })

  it('filters by operator and exports the trail as a workbook', async () => {
    await b.$('[data-test=audit-operator]').click()
    await pickFirstOption(b, '王小明')
    await b.waitUntil(async () => (await texts(b, '[data-test=audit-table] .el-table__body tr')).length === 1, {
      timeout: 10_000,
      timeoutMsg: 'the operator filter did not narrow the list to one line',
    })
    await b.$('[data-test=audit-export]').click()
    const ask = await b.$('.el-message-box')
    await ask.waitForDisplayed({ timeout: 10_000 })
    expect(await ask.getText()).toContain('身份证号和电话默认脱敏')
    await b.$('.el-message-box__btns .el-button--primary').click() // 脱敏导出
    await b.waitUntil(async () => (await texts(b, '.el-message--success')).some((t) => t.includes('已导出 1 条操作记录')), {
      timeout: 20_000,
      timeoutMsg: 'no message with the number of lines exported',
    })
    await b.waitUntil(async () => (await texts(b, '.el-message-box')).some((t) => t.includes('已保存到')), { timeout: 10_000 })
    for (const x of await b.$$('.el-message-box__headerbtn')) {
      if (await x.isDisplayed()) await x.click() // close: neither open the file nor its folder
    }
    const file = join(saveDir, '龙河镇_操作记录_' + (await b.execute(() => new Date().toISOString().slice(0, 10))) + '.xlsx')
    expect(existsSync(file), file).toBe(true)
    expect(statSync(file).size).toBeGreaterThan(4000)
  })

  it('switches the operator, and the next start offers the most recent one first', async () => {
    await b.$('[data-test=operator-switch]').click()
    await chooseOperator('李四')
    await operatorShown('李四')
    await app.stop()

    app = await startApp(dir, [], null)
    b = app.browser
    await b.$('[data-test=operator-dialog]').waitForDisplayed({ timeout: 30_000 })
    expect(await b.$('[data-test=operator-name]').getText()).toContain('李四')
    await chooseOperator(null) // the most recent name is preselected: Enter confirms it
    await operatorShown('李四')
  })
})
