import { test, expect, Page } from '@playwright/test';
import { appUrl, marksOnMap, mercator, projector, screenshot } from './helpers';

// Many pins in view are drawn on one canvas (src/app/map_view/marks.rs, CanvasPins):
// a square of 15 × 25 activities in Norwich, 40 px apart at zoom 16, where every
// activity is a pin of its own. Where each one is on screen is worked out here from its
// place and the map's centre (helpers.projector).
const Z = 16;
const CENTRE = { lat: 52.6309, lng: 1.2974 };
const STEP = 40;
const { x: xOf, y: yOf, lng: lngOf, lat: latOf } = mercator(Z);

type Spot = { id: string; name: string; lat: number; lng: number };
const spots: Spot[] = [];
for (let r = 0; r < 25; r++) {
  for (let c = 0; c < 15; c++) {
    const x = xOf(CENTRE.lng) + (c - 7) * STEP;
    const y = yOf(CENTRE.lat) + (r - 12) * STEP;
    spots.push({ id: `square-${r}-${c}`, name: `Square ${r}-${c} walking group`, lat: latOf(y), lng: lngOf(x) });
  }
}
const feed = {
  format: 'activity-map/1',
  feed: { name: 'A square of activities', publisher: 'tests', licence: 'CC0-1.0', updated: '2026-12-03' },
  activities: spots.map((s, i) => ({
    id: s.id,
    name: s.name,
    category: ['green', 'parkrun', 'heritage', 'hub'][i % 4],
    description: 'A walk around the square.',
    location: { lat: s.lat, lng: s.lng, place: 'Norwich' },
    schedule: [{ days: ['sat'], start: '10:00', end: '11:00' }],
  })),
};

async function open(page: Page) {
  await page.route('**/square.json', (route) => route.fulfill({ json: feed }));
  await page.goto(appUrl({ feed: '/square.json', geocoder: 'off', map: `${CENTRE.lat},${CENTRE.lng},${Z}` }));
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  await expect.poll(async () => (await marksOnMap(page)).canvas).toBeGreaterThanOrEqual(100);
}

/** Where each activity's pin is on screen now, and those in the part of the map not
 *  under the list (the phone's sheet covers the bottom of the map). */
async function onScreen(page: Page) {
  const free = await page.evaluate(() => {
    const m = document.querySelector('.leaflet-container')!.getBoundingClientRect();
    const p = document.querySelector('.am-panel')!.getBoundingClientRect();
    const under = p.left < m.right && p.right > m.left && p.top > m.top;
    return { top: m.top + 110, bottom: (under ? p.top : m.bottom) - 30, left: m.left + 80, right: m.right - 30 };
  });
  const place = await projector(page);
  const pins = spots.map((s) => ({ ...s, ...place(s) }));
  const shown = pins.filter((p) => p.x > free.left && p.x < free.right && p.y > free.top && p.y < free.bottom);
  return { pins, shown };
}

async function tap(page: Page, x: number, y: number) {
  if (test.info().project.use.hasTouch) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

test('many pins are drawn on one canvas, and a tap opens the pin within 22 px of it', async ({ page }, info) => {
  await open(page);
  // None of them is an element: one canvas draws them all.
  await expect(page.locator('[data-testid=pin]')).toHaveCount(0);
  await expect(page.locator('.leaflet-overlay-pane canvas')).toHaveCount(1);
  await screenshot(page, info, 'canvas-pins');
  const { shown } = await onScreen(page);
  expect(shown.length).toBeGreaterThan(2);
  // A tap on a pin's centre opens it.
  const first = shown[0];
  await tap(page, first.x, first.y);
  await expect(page.getByTestId('details').getByRole('heading', { name: first.name })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`sel=${first.id}`));
  // The selected pin is an element again, named, and the rest stay on the canvas.
  const selected = page.locator('.am-pin--selected');
  await expect(selected).toHaveCount(1);
  await expect(selected).toContainText(first.name);
  await page.getByTestId('close-details').click();
  await expect(page.getByTestId('details')).toHaveCount(0);
  // 15 px off another pin's centre (and 25 px from the next) opens that pin: the
  // nearest, within 22 px (a 44 px target).
  const other = shown[shown.length - 1];
  await tap(page, other.x + 15, other.y);
  await expect(page.getByTestId('details').getByRole('heading', { name: other.name })).toBeVisible();
  await page.getByTestId('close-details').click();
  // Between four pins, 28 px from each, a tap opens none.
  const mid = shown.find((p) => shown.some((q) => q.x === p.x + STEP && q.y === p.y) && shown.some((q) => q.y === p.y + STEP && q.x === p.x));
  expect(mid).toBeDefined();
  await tap(page, mid!.x + STEP / 2, mid!.y + STEP / 2);
  await page.waitForTimeout(400);
  await expect(page.getByTestId('details')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('sel')).toBeNull();
});

test('with pins on the canvas, the list reaches each by keyboard and its pin is named', async ({ page }) => {
  await open(page);
  // Tab to the first row of the list and open it with Enter.
  const row = page.getByTestId('result-item').first();
  const name = (await row.locator('.am-item-name').textContent())!;
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details').getByRole('heading', { name })).toBeVisible();
  // Its pin stands on the map as an element, named for screen readers; the others are
  // still drawn on the canvas.
  const selected = page.locator('[data-testid=pin].am-pin--selected');
  await expect(selected).toHaveCount(1);
  await expect(selected.locator('.am-sr')).toContainText(name);
  await expect.poll(async () => (await marksOnMap(page)).canvas).toBeGreaterThanOrEqual(100);
  const marks = await marksOnMap(page);
  expect(marks.pins).toBe(marks.canvas + 1);
});

/** The colour drawn at each of these points of the pins' canvas, as `r,g,b,a`. */
async function canvasColours(page: Page, points: { x: number; y: number }[]) {
  return page.evaluate((points) => {
    const canvas = document.querySelector('.leaflet-overlay-pane canvas') as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const ctx = canvas.getContext('2d')!;
    return points.map(({ x, y }) => {
      const d = ctx.getImageData(Math.round((x - box.left) * scale), Math.round((y - box.top) * scale), 1, 1).data;
      return `${d[0]},${d[1]},${d[2]},${d[3]}`;
    });
  }, points);
}

test('a filter takes the pins it hides off the canvas, and brings them back in their colours', async ({ page }) => {
  await open(page);
  const categoryOf = (id: string) => feed.activities.find((a) => a.id === id)!.category;
  const { shown } = await onScreen(page);
  expect(shown.length).toBeGreaterThan(8);
  // Every pin in view is drawn, each category in a colour of its own.
  const colourOf = new Map<string, string>();
  await expect
    .poll(async () => {
      const drawn = await canvasColours(page, shown);
      colourOf.clear();
      shown.forEach((p, i) => colourOf.set(categoryOf(p.id), drawn[i]));
      return drawn.every((c, i) => c.endsWith(',255') && c === colourOf.get(categoryOf(shown[i].id)));
    })
    .toBe(true);
  expect(new Set(colourOf.values()).size).toBe(4);
  // Two categories of four (still enough pins for the canvas): the others' pins go,
  // theirs stay as they were.
  await page.getByTestId('filter-cat-green').click();
  await page.getByTestId('filter-cat-parkrun').click();
  await expect(page.getByTestId('result-count')).toContainText(String(feed.activities.filter((a) => ['green', 'parkrun'].includes(a.category)).length));
  const kept = (id: string) => ['green', 'parkrun'].includes(categoryOf(id));
  const now = (await onScreen(page)).shown;
  await expect
    .poll(async () => {
      const drawn = await canvasColours(page, now);
      return now.every((p, i) => (kept(p.id) ? drawn[i] === colourOf.get(categoryOf(p.id)) : drawn[i].endsWith(',0')));
    })
    .toBe(true);
  expect((await marksOnMap(page)).canvas).toBeGreaterThanOrEqual(100);
  // Cleared: every pin is back, in its category's colour.
  await page.getByTestId('filter-cat-green').click();
  await page.getByTestId('filter-cat-parkrun').click();
  await expect(page.getByTestId('result-count')).toContainText(String(feed.activities.length));
  const again = (await onScreen(page)).shown;
  await expect
    .poll(async () => {
      const drawn = await canvasColours(page, again);
      return again.every((p, i) => drawn[i] === colourOf.get(categoryOf(p.id)));
    })
    .toBe(true);
});
