/**
 * The rate-limiting lesson's own behaviour in Chromium: the reader picks a
 * response on the timeline and reads its exact header lines, which must be
 * the ones the model wrote (and so agree with the bucket, as the unit tests check).
 */
import { expect, test } from 'vitest';
import { site } from './built-site.ts';
import { scenarioState } from '../../sim/core/index.ts';
import { RATELIMIT_DRAFT } from '../../sim/token-bucket/headers.ts';
import { tokenBucket } from '../../sim/token-bucket/index.ts';
import { openPage, waitReady, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

test('picking a response on the timeline shows its exact status line and header fields', async () => {
  const w = await openPage(browser(), site);
  await w.page.goto(`${site}articles/token-bucket/?scenario=runaway&t=5`);
  await waitReady(w.page);
  const panel = w.page.locator('#sim .inspector-panel');
  await expect(panel.locator('.caption-note').textContent()).resolves.toContain(RATELIMIT_DRAFT);

  const state = scenarioState(tokenBucket, 'runaway');
  const trace = tokenBucket.run(state.params, state.seed);
  const pick = panel.locator('select[data-role=inspect-pick]');
  // The picker offers only responses logged up to the cursor, newest selected.
  const values = await pick.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
  expect(values.length).toBeGreaterThan(5);
  for (const i of values) expect(trace.log[i]!.tMs).toBeLessThanOrEqual(5000);
  expect(Number(await pick.inputValue())).toBe(values.at(-1));

  // Pick a 429 with the keyboard: focus the picker and walk up to it.
  const refusal = values.filter((i) => trace.log[i]!.kind === '429').at(-1)!;
  await pick.focus();
  for (let k = 0; k < values.length && Number(await pick.inputValue()) !== refusal; k++) await w.page.keyboard.press('ArrowUp');
  expect(Number(await pick.inputValue())).toBe(refusal);
  const shown = await panel.locator('[data-role=inspect-detail]').textContent();
  expect(shown).toBe(trace.log[refusal]!.detail);
  expect(shown!.split('\n')).toEqual([
    'HTTP/1.1 429 Too Many Requests',
    'RateLimit-Policy: "default";q=5;w=3',
    // One or two tokens grow within the next second.
    expect.stringMatching(/^RateLimit: "default";r=[12];t=1$/),
    'Retry-After: 1',
    'Content-Type: application/problem+json',
    '',
    '{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Quota Exceeded","status":429,"violated-policies":["default"]}',
  ]);

  // Moving the cursor keeps the pick while it is still offered.
  await w.page.locator('ops-player#sim').focus();
  await w.page.keyboard.press('ArrowRight');
  await w.page.waitForFunction(() => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith('6 s'));
  expect(Number(await pick.inputValue())).toBe(refusal);
  await panel.screenshot({ path: `${SHOTS}/token-bucket-inspector.png` });

  // The older field form, chosen by a parameter, reaches the page too.
  await w.page.goto(`${site}articles/token-bucket/?scenario=runaway&t=5&headerStyle=1`);
  await waitReady(w.page);
  await expect(panel.locator('[data-role=inspect-detail]').textContent()).resolves.toMatch(/RateLimit-Limit: 100\nRateLimit-Remaining: \d+\nRateLimit-Reset: \d+/);
  expect(w.errors).toEqual([]);
  expect(w.outside).toEqual([]);
  await w.context.close();
});

test('the per-client charts list the clients that take part, and follow the reader who adds one', async () => {
  const w = await openPage(browser(), site);
  await w.page.goto(`${site}articles/token-bucket/?scenario=runaway`);
  await waitReady(w.page);
  const legend = w.page.locator('#sim [data-chart-id=admitted] .legend .legend-item');
  const lines = w.page.locator('#sim [data-chart-id=admitted] svg.chart g.series');
  await expect.poll(() => legend.allTextContents()).toEqual(['client-1', 'client-2', 'client-3', 'runaway']);
  expect(await lines.count()).toBe(4);
  const input = w.page.locator('#sim [data-param-input=clients]');
  await input.fill('4');
  await input.dispatchEvent('change');
  await expect.poll(() => legend.allTextContents()).toEqual(['client-1', 'client-2', 'client-3', 'client-4', 'runaway']);
  await expect.poll(() => lines.count()).toBe(5);
  await w.page.locator('#sim [data-chart-id=admitted]').screenshot({ path: `${SHOTS}/token-bucket-four-clients.png` });
  expect(w.errors).toEqual([]);
  await w.context.close();
});
