import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { appUrl, marksOnMap, openApp, sampleFeed, screenshot } from './helpers';

const feed = sampleFeed();
const withPins = feed.activities.filter((a) => a.location?.lat !== undefined);

test('lists every sample activity and draws their pins', async ({ page }, info) => {
  await openApp(page);
  await expect(page.getByTestId('result-item')).toHaveCount(feed.activities.length);
  await expect(page.getByTestId('result-count')).toHaveText(`${feed.activities.length} activities`);
  await expect(page.getByTestId('feed-name')).not.toHaveText('Activities near you');

  // Every pinned activity is on the map, alone or inside a cluster whose label counts it.
  await expect(page.locator('.am-pin-icon, .am-cluster-icon').first()).toBeVisible();
  // (Polled: the map settles on the feed's bounds after a short zoom animation.)
  await expect.poll(async () => (await marksOnMap(page)).all).toBe(withPins.length);
  await screenshot(page, info, 'home');
});

test('selecting a list item shows its details and puts it in the link', async ({ page }, info) => {
  await openApp(page);
  const target = feed.activities[3];
  await page.getByTestId('result-item').filter({ hasText: target.name }).first().click();
  const details = page.getByTestId('details');
  await expect(details.getByRole('heading', { name: target.name })).toBeVisible();
  await expect(details).toContainText('When');
  await expect(details).toContainText('Cost');
  await expect(page).toHaveURL(new RegExp(`sel=${target.id}`));
  // The map centres on it and shows it as the selected pin.
  await expect(page.locator('.am-pin--selected')).toHaveCount(target.location?.lat !== undefined ? 1 : 0);
  await screenshot(page, info, 'details');

  // A shared link opens on the same activity.
  await page.goto(appUrl({ sel: target.id }));
  await expect(page.getByTestId('details').getByRole('heading', { name: target.name })).toBeVisible();

  await page.getByTestId('close-details').click();
  await expect(page.getByTestId('details')).toHaveCount(0);
});

test('tapping a pin on the map shows that activity', async ({ page }) => {
  await openApp(page);
  // At country zoom on a phone everything may be grouped: open clusters until a pin shows.
  for (let i = 0; i < 6 && (await page.locator('.am-pin-icon').count()) === 0; i++) {
    await page.locator('.am-cluster-icon').first().click();
    await page.waitForTimeout(400);
  }
  const pin = page.locator('.am-pin-icon').first();
  await expect(pin).toBeVisible();
  const label = (await pin.textContent()) ?? '';
  const name = label.slice(0, label.lastIndexOf(', '));
  expect(name.length).toBeGreaterThan(0);
  await pin.click();
  await expect(page.getByTestId('details').getByRole('heading', { name })).toBeVisible();
  await expect(page.locator('.am-item--selected')).toContainText(name);
});

// The real clusters, not the faded ones shown while the feed is still being read.
const LIVE_CLUSTER = '.am-cluster-icon:has([data-testid="cluster"])';
const zoomOf = (url: string) => Number(new URL(url).searchParams.get('map')?.split(',')[2] ?? 'NaN');

/** Open the app until its real clusters show; the map's zoom then (from the link). */
async function openOnClusters(page: Page): Promise<number> {
  await openApp(page);
  await expect(page.locator(LIVE_CLUSTER).first()).toBeVisible();
  await expect(page.getByTestId('preview-mark')).toHaveCount(0);
  await expect.poll(() => zoomOf(page.url())).not.toBeNaN();
  return zoomOf(page.url());
}

test('tapping a cluster zooms in to what it holds', async ({ page }) => {
  const before = await openOnClusters(page);
  const live = LIVE_CLUSTER;
  // Marks are drawn a little beyond the edges too; tap one the person can see (the
  // topmost element at its centre is the cluster itself, not the sheet or the edge).
  const found = await page.evaluate((live) =>
    [...document.querySelectorAll(live)].some((e) => {
      const r = e.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !e.contains(hit)) return false;
      e.setAttribute('data-test-target', '');
      return true;
    }), live,
  );
  expect(found).toBe(true);
  await page.locator('[data-test-target]').click();
  await expect.poll(() => zoomOf(page.url())).toBeGreaterThan(before);
  await expect(page.getByTestId('pin').first()).toBeVisible();
});

test('a cluster tapped while the map is still zooming opens once the zoom ends', async ({ page }) => {
  const before = await openOnClusters(page);
  const live = LIVE_CLUSTER;
  // Zoom out with the button, and tap a cluster while that zoom runs.
  const tapped = await page.evaluate(async (live) => {
    (document.querySelector('.leaflet-control-zoom-out') as HTMLElement).click();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const running = document.querySelector('.leaflet-zoom-anim') !== null;
    (document.querySelector(live) as HTMLElement).click();
    return running;
  }, live);
  expect(tapped).toBe(true);
  // Not lost: the map ends up zoomed in past where it was before the zoom out.
  await expect.poll(() => zoomOf(page.url())).toBeGreaterThan(before);
});

test('an unreachable feed says so and offers to try again', async ({ page }, info) => {
  await page.goto(appUrl({ feed: 'http://127.0.0.1:9/feed.json' }));
  const error = page.getByTestId('feed-error');
  await expect(error).toContainText("couldn't reach the activity feed");
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();
  await screenshot(page, info, 'error-unreachable');
});

for (const [feed, says] of [
  ['javascript:alert(1)', 'must be a web address'],
  ['data:application/json,{}', 'must be a web address'],
  ['http://127.0.0.1:9/feed.json', "couldn't reach the activity feed"],
  ['http://[bad', 'must be a web address'],
]) {
  test(`a feed address the browser cannot fetch (${feed}) is explained, with no unhandled error`, async ({ page }) => {
    const uncaught: string[] = [];
    page.on('pageerror', (e) => uncaught.push(e.message));
    page.on('console', (m) => m.type() === 'error' && /Uncaught|unhandled/i.test(m.text()) && uncaught.push(m.text()));
    await page.addInitScript(() => {
      window.addEventListener('unhandledrejection', (e) => {
        (window as unknown as { __unhandled: string[] }).__unhandled ??= [];
        (window as unknown as { __unhandled: string[] }).__unhandled.push(String(e.reason));
      });
    });
    await page.goto(appUrl({ feed }));
    await expect(page.getByTestId('feed-error')).toContainText(says);
    // Anything left unhandled is reported within a task or two of the failure.
    await page.waitForTimeout(300);
    const unhandled = await page.evaluate(() => (window as unknown as { __unhandled?: string[] }).__unhandled ?? []);
    expect(unhandled).toEqual([]);
    expect(uncaught).toEqual([]);
  });
}

test('a missing feed reports the server answer', async ({ page }) => {
  await page.goto(appUrl({ feed: '/fixtures/app/no-such-feed.json' }));
  await expect(page.getByTestId('feed-error')).toContainText('answered 404');
});

test('a malformed feed says what is wrong with it', async ({ page }, info) => {
  await page.goto(appUrl({ feed: '/fixtures/app/malformed.json' }));
  const error = page.getByTestId('feed-error');
  await expect(error).toContainText('not valid JSON');
  await expect(error).toContainText('line 1');
  await screenshot(page, info, 'error-malformed');
});

test('the feed downloads alongside the app, once', async ({ page }) => {
  // When the app's code starts (its wasm is instantiated), in the page's own clock.
  await page.addInitScript(() => {
    const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['instantiateStreaming', 'instantiate']) {
      const real = wasm[name];
      if (real) {
        wasm[name] = function (this: unknown, ...args: unknown[]) {
          (window as unknown as { __wasmAt?: number }).__wasmAt ??= performance.now();
          return real.apply(this, args);
        };
      }
    }
  });
  const feedRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/fixtures/app/mixed.json') feedRequests.push(r.url());
  });
  await page.goto(appUrl({ feed: '/fixtures/app/mixed.json' }));
  await expect(page.getByTestId('result-item')).toHaveCount(3);
  // early-feed.js asked for it before the app's code had even started; the app took
  // that download over instead of asking again.
  expect(feedRequests).toHaveLength(1);
  const [feedStarted, wasmAt] = await page.evaluate(() => [
    performance.getEntriesByType('resource').find((e) => e.name.includes('/fixtures/app/mixed.json'))?.startTime ?? -1,
    (window as unknown as { __wasmAt?: number }).__wasmAt ?? -1,
  ]);
  expect(feedStarted).toBeGreaterThanOrEqual(0);
  expect(wasmAt).toBeGreaterThan(0);
  expect(feedStarted).toBeLessThan(wasmAt);
});

test('after a failed early download, "Try again" fetches the feed afresh', async ({ page }) => {
  let asked = 0;
  await page.route((url) => url.pathname === '/fixtures/app/mixed.json', (route) => {
    asked += 1;
    return asked === 1 ? route.fulfill({ status: 503, body: 'down' }) : route.continue();
  });
  await page.goto(appUrl({ feed: '/fixtures/app/mixed.json' }));
  const error = page.getByTestId('feed-error');
  await expect(error).toContainText('answered 503');
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('result-item')).toHaveCount(3);
  expect(asked).toBe(2);
});

test('a feed that arrives slowly, in pieces, reads as it would in one', async ({ page }) => {
  // Cut the download in the middle of the two bytes of an "é", so a character arrives
  // half in one piece and half in the next.
  const name = 'Bristol memories café at M Shed';
  const bytes = readFileSync('assets/sample-feed.json');
  const at = bytes.indexOf(Buffer.from(name)) + Buffer.from(name).indexOf(Buffer.from('é'));
  expect(bytes.subarray(at, at + 2).toString('utf8')).toBe('é');
  await page.goto(appUrl({ feed: `/trickle/sample-feed.json?piece=${at + 1}&gap=40` }));
  await expect(page.getByTestId('result-item')).toHaveCount(feed.activities.length);
  await expect(page.getByTestId('result-item').filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('problems')).toHaveCount(0);
});

test('while a slow feed arrives, the pins read so far show, then give way to the real ones', async ({ page }) => {
  const parkruns = feed.activities.filter((a) => a.category === 'parkrun').length;
  // About 5 s to arrive, with the link asking for parkruns only.
  await page.goto(appUrl({ feed: '/trickle/sample-feed.json?piece=3000&gap=250', cat: 'parkrun' }));
  // The finder's map (the page's first view, under it until it goes, draws its own).
  const icons = (mark: string) => page.getByTestId('map').locator(`.leaflet-marker-icon:has([data-testid="${mark}"])`);
  // What each icon stands for: a cluster's number, or one.
  const total = (mark: string) =>
    icons(mark).evaluateAll((els) => els.reduce((n, e) => n + (parseInt(e.querySelector('[data-count]')?.getAttribute('data-count') ?? '', 10) || 1), 0));
  await expect(icons('preview-mark').first()).toBeVisible();
  await expect(page.getByTestId('loading')).toBeVisible();
  await expect(page.getByTestId('loading-count')).toHaveText(/^ \d+ read so far$/);
  // Seen, but not yet something to press or to hear.
  const pressable = await icons('preview-mark').evaluateAll(
    (els) => els.filter((e) => e.hasAttribute('tabindex') || e.getAttribute('role') === 'button').length,
  );
  expect(pressable).toBe(0);
  await expect(page.getByTestId('preview-mark').first()).toHaveAttribute('aria-hidden', 'true');
  // Only what the link's filter keeps.
  const early = await total('preview-mark');
  expect(early).toBeGreaterThan(0);
  expect(early).toBeLessThanOrEqual(parkruns);
  // Once all is read, the real marks take over.
  await expect(page.getByTestId('result-item')).toHaveCount(parkruns);
  await expect(page.getByTestId('preview-mark')).toHaveCount(0);
  await expect.poll(async () => (await total('pin')) + (await total('cluster'))).toBe(parkruns);
});

test('while a feed arrives, the marks read so far are recounted as more come in', async ({ page }) => {
  await page.goto(appUrl({ feed: '/trickle/sample-feed.json?piece=3000&gap=250' }));
  // The finder's map (the page's first view, under it until it goes, draws its own).
  const marks = page.getByTestId('map').locator('.leaflet-marker-icon:has([data-testid="preview-mark"])');
  const total = () => marks.evaluateAll((els) => els.reduce((n, e) => n + (parseInt(e.querySelector('[data-count]')?.getAttribute('data-count') ?? '', 10) || 1), 0));
  const read = async () => Number((await page.getByTestId('loading-count').textContent())?.match(/\d+/)?.[0]);
  await expect(marks.first()).toBeVisible();
  const early = await total();
  expect(early).toBeGreaterThan(0);
  expect(early).toBeLessThanOrEqual(await read());
  // Later draws count in what has arrived since (the marks are kept and recounted).
  await expect.poll(total, { timeout: 8000 }).toBeGreaterThan(early);
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  await expect(page.getByTestId('preview-mark')).toHaveCount(0);
  await expect.poll(async () => (await page.locator('.leaflet-marker-icon').evaluateAll(
    (els) => els.reduce((n, e) => n + (parseInt(e.querySelector('[data-count]')?.getAttribute('data-count') ?? '', 10) || 1), 0)))).toBe(
    feed.activities.filter((a) => a.location?.lat != null).length,
  );
});

test('a connection that drops halfway through the feed says so', async ({ page }) => {
  await page.goto(appUrl({ feed: '/trickle/sample-feed.json?piece=8000&gap=20&cut=3' }));
  const error = page.getByTestId('feed-error');
  await expect(error).toContainText("couldn't reach the activity feed");
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(page.getByTestId('result-item')).toHaveCount(0);
});
