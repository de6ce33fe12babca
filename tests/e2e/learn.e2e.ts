import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { tfGradients, type TinyNet } from '../../src/renderer/src/lib/learn/backprop'
import { readyTf } from '../../src/renderer/src/lib/learn/tf'
import type { RunDetail } from '../../src/shared/runs'
import {
  callCommand,
  launchBrowser,
  screenshot,
  setLanguage,
  startServe,
  tempDataDir,
  type Served,
} from './harness'

const LOCALES = ['en', 'pt-BR'] as const

function accuracyOf(page: Page): Promise<number> {
  return page
    .locator('[data-testid=perceptron-accuracy]')
    .getAttribute('data-value')
    .then((v) => Number(v))
}

async function openLab(page: Page, served: Served, lab: string): Promise<void> {
  await page.goto(`${served.url}#/learn?lab=${lab}`)
  await page.locator(`#lab-panel[data-lab=${lab}] article`).waitFor()
}

/** Trains continuously until the accuracy reaches `target` (or the network settles), then pauses. */
async function trainUntil(page: Page, target: number): Promise<void> {
  await page.getByTestId('train-run').click()
  await page.waitForFunction(
    (t) =>
      Number(
        document.querySelector('[data-testid=perceptron-accuracy]')?.getAttribute('data-value'),
      ) >= t,
    target,
    { timeout: 60_000 },
  )
  await page.locator('#lab-panel .controls button.primary').click()
}

/** Widths a projector and a laptop give: nothing may scroll sideways. */
async function shootBoth(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 })
  await screenshot(page, `${name}-1366`)
  await page.setViewportSize({ width: 683, height: 768 })
  await screenshot(page, `${name}-683`)
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName}.${el.className}`)
      .join(' '),
  )
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow, `${name} scrolls sideways at 683 px: ${wide}`).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1366, height: 768 })
}

describe.each(LOCALES)('Learn labs (%s)', (locale) => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir(), lang: locale })
    ;({ browser, page } = await launchBrowser({ locale: locale === 'en' ? 'en-US' : 'pt-BR' }))
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(served.url)
    await setLanguage(page, locale)
  })

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('opens from the tab bar', async () => {
    await page.goto(served.url)
    await page.locator('nav a[data-view=learn]').click()
    await expect
      .poll(() => page.locator('h2').first().textContent())
      .toBe(locale === 'en' ? 'Learn' : 'Aprender')
  })

  it('perceptron: AND and OR reach 100%, XOR stays ≤ 75% until a hidden layer solves it', async () => {
    await openLab(page, served, 'perceptron')
    await page.locator('[data-preset=and]').click()
    await trainUntil(page, 1)
    expect(await accuracyOf(page)).toBe(1)

    await page.locator('[data-preset=or]').click()
    await trainUntil(page, 1)
    expect(await accuracyOf(page)).toBe(1)

    // Hovering a point prints its weighted sum with the numbers filled in.
    await page.locator('.point').first().hover()
    await expect.poll(() => page.getByTestId('perceptron-readout').textContent()).toMatch(/=.*→/)

    await page.locator('[data-preset=xor]').click()
    // Every accuracy the page shows while it trains is recorded, not just the last one.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=perceptron-accuracy]')!
      const w = window as unknown as { bestAccuracy: number }
      w.bestAccuracy = Number(el.getAttribute('data-value'))
      new MutationObserver(() => {
        w.bestAccuracy = Math.max(w.bestAccuracy, Number(el.getAttribute('data-value')))
      }).observe(el, { attributes: true })
    })
    await page.getByTestId('train-run').click()
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid=perceptron-epochs]')?.getAttribute('data-value'),
        ) >= 200,
      undefined,
      { timeout: 60_000 },
    )
    await page.locator('#lab-panel .controls button.primary').click()
    const best = await page.evaluate(
      () => (window as unknown as { bestAccuracy: number }).bestAccuracy,
    )
    expect(best).toBeLessThanOrEqual(0.75)
    await shootBoth(page, `learn-perceptron-xor-${locale}`)

    await page.getByTestId('hidden-toggle').check()
    await trainUntil(page, 1)
    expect(await accuracyOf(page)).toBe(1)
    expect(await page.locator('.hidden-maps canvas').count()).toBe(4)
    await shootBoth(page, `learn-perceptron-hidden-${locale}`)
  })

  it('perceptron: a point outside the plane is refused and nothing changes', async () => {
    await openLab(page, served, 'perceptron')
    const before = await page.locator('.point').count()
    const [x1, x2] = await page.locator('input.coord').all()
    await x1.fill('3')
    await x2.fill('0')
    await page.locator('form.row button[type=submit]').click()
    await expect.poll(() => page.getByTestId('perceptron-error').textContent()).toContain('3')
    expect(await page.locator('.point').count()).toBe(before)
    await x1.fill('1,25')
    await page.locator('form.row button[type=submit]').click()
    await expect.poll(() => page.locator('.point').count()).toBe(before + 1)
  })

  it('activations: curves and softmax follow the sliders', async () => {
    await openLab(page, served, 'activations')
    expect(await page.locator('[data-activation]').count()).toBe(5)
    const x = page.locator('input[name=activation-x]')
    await x.fill('-2')
    await expect
      .poll(() => page.getByTestId('activation-relu').textContent())
      .toMatch(/^f\(-2[.,]00\) = 0[.,]00/)
    const bars = page.getByTestId('softmax-bars')
    const before = await bars.textContent()
    await page.locator('input[name=temperature]').fill('4')
    await expect.poll(() => bars.textContent()).not.toBe(before)
    await shootBoth(page, `learn-activations-${locale}`)
  })

  it("backprop: the gradients shown are tf.grad's, the loss falls, a big η diverges", async () => {
    await readyTf()
    await openLab(page, served, 'backprop')
    for (let step = 0; step < 3; step++) {
      const rows = await page.$$eval('[data-testid=backprop-table] tr[data-param]', (trs) =>
        trs.map((tr) => {
          const d = (tr as HTMLElement).dataset
          return { name: d.param!, value: Number(d.value), grad: Number(d.grad) }
        }),
      )
      const v = Object.fromEntries(rows.map((r) => [r.name, r.value]))
      const net: TinyNet = {
        w: [
          [v.w11, v.w12],
          [v.w21, v.w22],
        ],
        b: [v.b1, v.b2],
        v: [v.v1, v.v2],
        c: v.c,
      }
      const reference = tfGradients(net, { x: [1, 0.5], t: 1.5 })
      expect(rows).toHaveLength(9)
      for (const r of rows) {
        expect(Math.abs(r.grad - reference[r.name as keyof typeof reference]), r.name).toBeLessThan(
          1e-6,
        )
      }
      await page.getByTestId('backprop-step').click()
    }
    const lossOf = async () =>
      Number(await page.getByTestId('backprop-loss').getAttribute('data-value'))
    const before = await lossOf()
    await page
      .getByRole('button', { name: locale === 'en' ? '10 updates' : '10 atualizações' })
      .click()
    expect(await lossOf()).toBeLessThan(before)
    await shootBoth(page, `learn-backprop-${locale}`)
    await page.locator('input[name=backprop-lr]').fill('4')
    for (let i = 0; i < 5; i++) {
      if (await page.getByTestId('backprop-step').isDisabled()) break
      await page
        .getByRole('button', { name: locale === 'en' ? '10 updates' : '10 atualizações' })
        .click()
    }
    await page.getByRole('alert').waitFor()
    expect(await lossOf()).toBeGreaterThan(before)
  })

  it('optimizers: four real optimizers race on the same surface', async () => {
    await openLab(page, served, 'optimizers')
    for (const surface of ['rosenbrock', 'saddle', 'bowl']) {
      await page.locator(`[data-surface=${surface}]`).click()
      await page.getByTestId('race-start').click()
      await page.waitForFunction(
        () =>
          Number(document.querySelector('[data-testid=race-steps]')?.getAttribute('data-value')) >=
          60,
        undefined,
        { timeout: 60_000 },
      )
      const paths = await page.$$eval('polyline[data-optimizer]', (lines) =>
        lines.map((l) => ({
          name: (l as SVGElement).dataset.optimizer,
          points: Number((l as SVGElement).dataset.points),
          d: l.getAttribute('points'),
        })),
      )
      expect(paths.map((p) => p.name)).toEqual(['sgd', 'momentum', 'rmsprop', 'adam'])
      for (const p of paths) expect(p.points, `${surface} ${p.name}`).toBeGreaterThan(20)
      expect(new Set(paths.map((p) => p.d)).size).toBe(4)
    }
    await shootBoth(page, `learn-optimizers-${locale}`)
  })

  it.runIf(locale === 'en')(
    'optimizers: the race on MNIST trains one run per optimizer and opens Compare',
    async () => {
      await openLab(page, served, 'optimizers')
      await page.getByTestId('race-limit').fill('200')
      await page.getByTestId('mnist-race').click()
      await page.waitForFunction(() => location.hash.startsWith('#/compare?ids='), undefined, {
        timeout: 170_000,
      })
      const ids = new URL(page.url()).hash.split('ids=')[1].split(',').map(Number)
      expect(ids).toHaveLength(4)
      const race = []
      for (const id of ids) {
        const run = await callCommand<RunDetail>(served, 'runs:get', { id })
        if (!run.ok) throw new Error(run.error.message)
        race.push(run.value)
      }
      expect(race.map((r) => r.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'completed',
      ])
      expect(race.map((r) => `${r.config.optimizer}/${r.config.momentum}`)).toEqual([
        'sgd/0',
        'sgd/0.9',
        'rmsprop/0',
        'adam/0',
      ])
      const shared = race.map((r) =>
        JSON.stringify([r.config.seed, r.config.limit, r.config.epochs, r.spec, r.dataset]),
      )
      expect(new Set(shared).size).toBe(1)
      expect(race[0].config.limit).toBe(200)
      await page.setViewportSize({ width: 1366, height: 768 })
      await screenshot(page, `learn-mnist-race-compare-${locale}-1366`)
    },
  )
})
