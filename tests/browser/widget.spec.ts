import { test, expect, Page } from '@playwright/test';
import { resourceTiming, sampleFeed, screenshot } from './helpers';

// Partner pages come from a different origin (port) than the app and its widget script.
const APP = `http://127.0.0.1:${process.env.AM_TEST_PORT ?? 4173}/`;
const HOST = `http://127.0.0.1:${Number(process.env.AM_TEST_PORT ?? 4173) + 1}/`;
const feed = sampleFeed();
const inCategory = (c: string) => feed.activities.filter((a) => a.category === c).length;

function watchWasm(page: Page) {
  const fetched: string[] = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && fetched.push(r.url()));
  return fetched;
}

test('two widgets on a heavily themed page work independently and leave the page alone', async ({ page }, info) => {
  const wasm = watchWasm(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${HOST}widgets.html`);
  const hostButton = await page.locator('#host-button').evaluate((e) => getComputedStyle(e).backgroundColor);
  const green = page.locator('#green');
  const parks = page.locator('#parks');
  await expect(green.getByTestId('result-item')).toHaveCount(inCategory('green'));
  await expect(parks.getByTestId('result-item')).toHaveCount(inCategory('parkrun'));
  // One download of each wasm file for the whole page (the main module, then the
  // finder's part), all from the app's origin.
  expect(wasm[0]).toBe(`${APP}activity-map_bg.wasm`);
  expect(wasm).toContain(`${APP}split_finder.wasm`);
  expect(new Set(wasm).size).toBe(wasm.length);
  expect(wasm.every((w) => w.startsWith(APP))).toBe(true);
  // Choosing in one leaves the other as it was.
  await green.getByTestId('result-item').first().click();
  await expect(green.getByTestId('details')).toBeVisible();
  await expect(parks.getByTestId('details')).toHaveCount(0);
  // The theme does not reach in...
  const ours = await green.getByTestId('near-me').evaluate((e) => [getComputedStyle(e).fontFamily, getComputedStyle(e).fontSize]);
  expect(ours[0]).not.toContain('Georgia');
  expect(ours[1]).not.toBe('30px');
  // ...but the host's custom properties do.
  const accent = await parks.locator('.am-header').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(accent).toBe('rgb(124, 45, 18)');
  // ...and nothing of ours leaks out.
  expect(await page.locator('#host-button').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(hostButton);
  expect(await page.evaluate(() => document.querySelectorAll('.am-app').length)).toBe(0);
  // The widget keeps the partner's address bar as it was, and keeps nothing of its
  // feeds on the partner's origin (the app's own page keeps each feed's area).
  expect(page.url()).toBe(`${HOST}widgets.html`);
  expect(await page.evaluate(() => localStorage.getItem('activity-map:feed-areas'))).toBeNull();
  expect(errors).toEqual([]);
  await screenshot(page, info, 'widgets');
});

test('the widget asks for Leaflet, the glue, the parts loader and the wasm together', async ({ page }) => {
  // Leaflet held back a while: on 127.0.0.1 it could otherwise arrive before the next
  // request even starts, and the test would say nothing.
  await page.route('**/leaflet/leaflet.js', async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await page.goto(`${HOST}widgets.html`);
  await expect(page.locator('#green').getByTestId('result-item').first()).toBeVisible();
  const t = await resourceTiming(page);
  // None waits for another to arrive first (each would be a round trip more on a phone).
  const first = t['leaflet.js'];
  for (const file of ['activity-map.js', '__wasm_split.js', 'activity-map_bg.wasm', 'split_finder.wasm']) expect(t[file].start, file).toBeLessThan(first.end);
});

test("the finder's part is asked for with the main module, each of its files once", async ({ page }) => {
  const wasm = watchWasm(page);
  // The main module held back: the finder's files are asked for before it has arrived.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/activity-map_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`${HOST}widgets.html`);
  await expect.poll(() => wasm.filter((w) => w.endsWith('/split_finder.wasm')).length).toBe(1);
  const chunks = wasm.filter((w) => /\/chunk_\d+\.wasm$/.test(w));
  expect(chunks.length).toBeGreaterThan(0);
  release();
  await expect(page.locator('#green').getByTestId('result-item').first()).toBeVisible();
  // The parts loader took up the early downloads: nothing was asked for twice.
  expect(new Set(wasm).size).toBe(wasm.length);
});

test('a widget far down the page boots only when scrolled near', async ({ page }) => {
  await page.goto(`${HOST}widgets.html`);
  const far = page.locator('#far');
  await expect(page.locator('#green').getByTestId('result-list')).toBeVisible();
  await expect(far.locator('.am-widget')).toHaveText('Loading the activity map…');
  await far.scrollIntoViewIfNeeded();
  await expect(far.getByTestId('result-item')).toHaveCount(inCategory('heritage'));
});

test('the widget emits events for selection and shortlist', async ({ page }) => {
  await page.goto(`${HOST}widgets.html`);
  await page.evaluate(() => {
    (window as any).events = [];
    for (const t of ['select', 'shortlist', 'height']) {
      document.querySelector('#green')!.addEventListener(`activity-map:${t}`, (e: any) => (window as any).events.push(e.detail));
    }
  });
  const green = page.locator('#green');
  await green.getByTestId('result-item').first().click();
  await green.getByTestId('star').first().click();
  const events = () => page.evaluate(() => (window as any).events as any[]);
  await expect.poll(async () => (await events()).map((e) => e.type)).toEqual(expect.arrayContaining(['select', 'shortlist']));
  const sel = (await events()).find((e) => e.type === 'select');
  expect(sel.id).toBe(feed.activities.find((a) => a.category === 'green')!.id);
});

test('changing an attribute updates the widget', async ({ page }) => {
  await page.goto(`${HOST}widgets.html`);
  const green = page.locator('#green');
  await expect(green.getByTestId('result-item')).toHaveCount(inCategory('green'));
  await page.evaluate(() => document.querySelector('#green')!.setAttribute('categories', 'hub'));
  await expect(green.getByTestId('result-item')).toHaveCount(inCategory('hub'));
  await page.evaluate(() => document.querySelector('#green')!.setAttribute('height', '300px'));
  await expect.poll(() => green.evaluate((e) => e.getBoundingClientRect().height)).toBe(300);
});

test('works under a strict Content-Security-Policy', async ({ page }, info) => {
  const violations: string[] = [];
  page.on('console', (m) => m.type() === 'error' && /Content Security Policy/.test(m.text()) && violations.push(m.text()));
  await page.goto(`${HOST}csp.html`);
  const w = page.locator('activity-map');
  await expect(w.getByTestId('result-item')).toHaveCount(feed.activities.length);
  await expect(w.locator('.am-pin-icon, .am-cluster-icon').first()).toBeVisible();
  await w.getByTestId('result-item').first().click();
  await expect(w.getByTestId('details')).toBeVisible();
  expect(violations).toEqual([]);
  // The strict page itself is as it was: its heading, its address, no stray styles.
  await expect(page.locator('body > h1')).toHaveText('Strict page');
  expect(page.url()).toBe(`${HOST}csp.html`);
  expect(await page.evaluate(() => document.querySelectorAll('body > :not(h1, activity-map, script)').length)).toBe(0);
  await screenshot(page, info, 'widget-csp');
});

test('the build works from a sub-path: the widget finds everything beside its script', async ({ page, context }) => {
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  await page.goto(`${HOST}subpath.html`);
  const w = page.locator('activity-map');
  await expect(w.getByTestId('result-item')).toHaveCount(inCategory('heritage'));
  for (const file of ['widget.js', 'activity-map.js', 'activity-map_bg.wasm', 'main.css', 'leaflet/leaflet.js', 'sample-feed.json']) {
    expect(fetched).toContain(`${APP}sub/dir/${file}`);
  }
  // The full app from the same sub-path, too.
  const full = await context.newPage();
  await full.goto(`${APP}sub/dir/index.html?tiles=/tiles/{z}/{x}/{y}.png`);
  await expect(full.getByTestId('result-item')).toHaveCount(feed.activities.length);
});

test("a partner theme's text settings do not reach inside the widget", async ({ page }) => {
  // The same widget on the same page, with and without a theme that sets letter and word
  // spacing, alignment, line height, case, indent, style and white space on its body
  // (and on the element itself): every text of ours must be computed the same.
  const props = ['letterSpacing', 'wordSpacing', 'textAlign', 'lineHeight', 'textTransform', 'textIndent', 'fontStyle', 'fontWeight', 'whiteSpace'] as const;
  const read = async (query: string) => {
    await page.goto(`${HOST}theme.html${query}`);
    const finder = page.locator('#finder');
    await expect(finder.getByTestId('result-item')).toHaveCount(feed.activities.length > 60 ? 60 : feed.activities.length);
    await finder.getByTestId('result-item').first().click();
    await expect(finder.getByTestId('details')).toBeVisible();
    const styles: Record<string, Record<string, string>> = {};
    for (const id of ['result-count', 'result-item', 'near-me', 'search', 'details', 'close-details', 'filter-cat-green']) {
      styles[id] = await finder.getByTestId(id).first().evaluate((e, props) => {
        const c = getComputedStyle(e) as any;
        return Object.fromEntries(props.map((p) => [p, c[p]]));
      }, props as unknown as string[]);
    }
    return styles;
  };
  const plain = await read('');
  const themed = await read('?theme');
  // The theme is on (the partner's own heading shows it)...
  expect(await page.locator('#host-title').evaluate((e) => getComputedStyle(e).letterSpacing)).toBe('3px');
  // ...and nothing of it inside.
  expect(themed).toEqual(plain);
  expect(plain['result-item'].letterSpacing).toBe('normal');
  expect(plain['details'].textTransform).toBe('none');
});
