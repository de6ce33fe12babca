import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { tfGradients, type TinyNet } from '../../src/renderer/src/lib/learn/backprop'
import { readyTf, tf } from '../../src/renderer/src/lib/learn/tf'
import type { DatasetTestImages } from '../../src/shared/ipc-contract'
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

/** tf.conv2d itself (not the lab's code) on a test image: the reference the screen must match. */
function reference(
  pixels: Uint8Array,
  kernel: number[],
  stride: number,
  padding: 'same' | 'valid',
): { width: number; height: number; data: Float32Array } {
  return tf.tidy(() => {
    const size = Math.sqrt(kernel.length)
    const x = tf.tensor4d(
      Float32Array.from(pixels, (v) => v / 255),
      [1, 28, 28, 1],
    )
    const y = tf.conv2d(x, tf.tensor4d(kernel, [size, size, 1, 1]), stride, padding)
    return { height: y.shape[1], width: y.shape[2], data: y.dataSync() as Float32Array }
  })
}

async function featureMap(page: Page): Promise<{ width: number; height: number; sum: number }> {
  const map = page.getByTestId('feature-map')
  return {
    width: Number(await map.getAttribute('data-width')),
    height: Number(await map.getAttribute('data-height')),
    sum: Number(await map.getAttribute('data-sum')),
  }
}

const sumOf = (data: Float32Array) => data.reduce((a, v) => a + v, 0)

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

  it('convolution: the feature map of a real test image equals tf.conv2d as the kernel is edited', async () => {
    await readyTf()
    await openLab(page, served, 'convolution')
    const source = page.getByTestId('conv-source')
    // MNIST's first test image is a 7; the lab opens on it, fetched without any run.
    // The first read parses the dataset in the server: give it time on a loaded machine.
    await expect.poll(() => source.textContent(), { timeout: 120_000 }).toMatch(/\b0\b.*\b7\b/)
    const fetched = await callCommand<DatasetTestImages>(served, 'datasets:testImages', {
      ref: 'mnist',
      indices: [0, 3],
    })
    if (!fetched.ok) throw new Error(fetched.error.message)
    const [seven, zero] = fetched.value.images

    // The default kernel is Sobel x, stride 1, 'same'.
    const sobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1]
    let expected = reference(seven.pixels, sobelX, 1, 'same')
    let shown = await featureMap(page)
    expect([shown.height, shown.width]).toEqual([28, 28])
    expect(Math.abs(shown.sum - sumOf(expected.data))).toBeLessThan(1e-3)

    // Edges preset, stride 2, 'valid': 13×13, as Keras computes it.
    await page.locator('[data-kernel-preset=edges]').click()
    await page.locator('select[name=conv-stride]').selectOption('2')
    await page.locator('select[name=conv-padding]').selectOption('valid')
    const edges = [-1, -1, -1, -1, 8, -1, -1, -1, -1]
    expected = reference(seven.pixels, edges, 2, 'valid')
    await expect.poll(() => featureMap(page).then((m) => m.width)).toBe(13)
    shown = await featureMap(page)
    expect(shown.height).toBe(13)
    expect(Math.abs(shown.sum - sumOf(expected.data))).toBeLessThan(1e-3)
    // 2×2 max pooling of 13×13 keeps 6×6.
    expect(await page.getByTestId('pooled-map').getAttribute('data-width')).toBe('6')

    // A typed weight (with a decimal comma) redraws the map; a word is refused and changes nothing.
    const centre = page.locator('[data-testid=kernel] input[data-cell="4"]')
    await centre.fill('2,5')
    const edited = [...edges]
    edited[4] = 2.5
    expected = reference(seven.pixels, edited, 2, 'valid')
    await expect
      .poll(async () => Math.abs((await featureMap(page)).sum - sumOf(expected.data)))
      .toBeLessThan(1e-3)
    const before = (await featureMap(page)).sum
    await centre.fill('abc')
    await expect.poll(() => page.getByTestId('kernel-error').textContent()).toContain('abc')
    expect((await featureMap(page)).sum).toBe(before)
    await centre.fill('2.5')
    await expect(page.getByTestId('kernel-error').count()).resolves.toBe(0)

    // Choosing an output pixel with the keyboard shows its window's dot product: tf's value there.
    await page.getByTestId('feature-map').focus()
    await page.keyboard.press('ArrowDown') // selects (0, 0)… then moves
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowRight']) {
      await page.keyboard.press(key)
    }
    const win = page.getByTestId('conv-window')
    await expect.poll(() => win.getAttribute('data-row')).toBe('3')
    expect(await win.getAttribute('data-col')).toBe('3')
    expect(
      Math.abs(Number(await win.getAttribute('data-sum')) - expected.data[3 * 13 + 3]),
    ).toBeLessThan(1e-4)
    expect(await page.locator('.products td').count()).toBe(9)
    await shootBoth(page, `learn-convolution-${locale}`)

    // 5×5 kernels: 25 cells, and the map follows.
    await page.locator('[data-kernel-size="5"]').click()
    expect(await page.locator('[data-testid=kernel] input').count()).toBe(25)
    await expect.poll(() => featureMap(page).then((m) => m.width)).toBe(12)

    // Another test image by number; a number past the end is refused, naming the range.
    await page.locator('input[name=test-index]').fill('10000')
    await page.locator('input[name=test-index]').press('Enter')
    await expect
      .poll(() => page.getByTestId('conv-index-error').textContent(), { timeout: 30_000 })
      .toContain('9999')
    expect(await source.textContent()).toMatch(/\b7\b/)
    await page.locator('input[name=test-index]').fill('3')
    await page.locator('input[name=test-index]').press('Enter')
    await expect.poll(() => source.textContent(), { timeout: 30_000 }).toMatch(/\b3\b.*\b0\b/)
    await page.locator('[data-kernel-size="3"]').click()
    await page.locator('[data-kernel-preset=sobelY]').click()
    expected = reference(zero.pixels, [-1, -2, -1, 0, 0, 0, 1, 2, 1], 2, 'valid')
    await expect
      .poll(async () => Math.abs((await featureMap(page)).sum - sumOf(expected.data)))
      .toBeLessThan(1e-3)
  })
})
