import { test, expect, Page } from '@playwright/test';
import { appUrl, holdBack, sampleFeed } from './helpers';

// Where the map opens before its feed has been read, and so which tiles it asks for
// while the feed still arrives (src/app/map_view/opening.rs): the map's tiles are
// usually the page's largest paint, and a phone's connection is shared.

const FEED = '/fixtures/app/mixed.json'; // all in Norwich
const KEPT = 'activity-map:feed-areas';

type Tile = { z: number; x: number; y: number; at: number };

/** Every tile the page asks for, with when (ms since the test began watching). */
function watchTiles(page: Page): Tile[] {
  const began = Date.now();
  const tiles: Tile[] = [];
  page.on('request', (r) => {
    const m = /\/tiles\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(new URL(r.url()).pathname);
    if (m) tiles.push({ z: +m[1], x: +m[2], y: +m[3], at: Date.now() - began });
  });
  return tiles;
}

/** Hold the feed back for `ms`, and say when it was let through. */
async function slowFeed(page: Page, path: string, ms: number): Promise<{ at: number }> {
  const began = Date.now();
  const released = { at: -1 };
  await page.route((url) => url.pathname === path, async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    released.at = Date.now() - began;
    await route.continue();
  });
  return released;
}

/** The tile holding a point at zoom z (Web Mercator, as Leaflet and the server use). */
function tileOf(lat: number, lng: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lng + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

test("the next visit asks for the feed's tiles at once, while the feed is still on its way", async ({ page }) => {
  await page.goto(appUrl({ feed: FEED }));
  await expect(page.getByTestId('result-item')).toHaveCount(3);
  await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), KEPT)).toContain(FEED);
  const zoomInLink = () => page.evaluate(() => Number(new URL(location.href).searchParams.get('map')?.split(',').pop()));
  await expect.poll(zoomInLink).toBeGreaterThanOrEqual(12);
  const fitted = await zoomInLink();

  const tiles = watchTiles(page);
  const feed = await slowFeed(page, FEED, 2000);
  await page.goto(appUrl({ feed: FEED }));
  await expect.poll(() => tiles.length).toBeGreaterThan(0);
  // Asked for before the feed was even let through, where the feed's pins will be.
  expect(feed.at).toBe(-1);
  expect(Math.min(...tiles.map((t) => t.z))).toBe(fitted);
  await expect(page.getByTestId('result-item')).toHaveCount(3);
  await expect.poll(zoomInLink).toBe(fitted);
});

test("the app's own sample feed: its tiles are asked for before the feed has been read", async ({ page }) => {
  const tiles = watchTiles(page);
  const feed = await slowFeed(page, '/sample-feed.json', 2000);
  await page.goto(appUrl());
  await expect.poll(() => tiles.length).toBeGreaterThan(0);
  expect(feed.at).toBe(-1);
  await expect(page.getByTestId('result-item')).toHaveCount(sampleFeed().activities.length);
  // What was asked for early was wanted: the feed's own pins opened the map at that zoom.
  const early = tiles.filter((t) => t.at < feed.at);
  expect(early.length).toBeGreaterThan(0);
  const zoom = await page.evaluate(() => Number(new URL(location.href).searchParams.get('map')?.split(',').pop()));
  expect(Math.min(...early.map((t) => t.z))).toBe(zoom);
});

test('a feed that cannot be read still shows the map under its message', async ({ page }) => {
  const tiles = watchTiles(page);
  await page.goto(appUrl({ feed: '/fixtures/app/not-there.json' }));
  await expect(page.getByTestId('feed-error')).toContainText('answered 404');
  await expect.poll(() => tiles.length).toBeGreaterThan(0);
});

/** Hold back the app's main module (the wasm) until the returned function is called. */
const holdApp = (page: Page) => holdBack(page, '**/activity-map_bg.wasm');

// assets/early-map.js opens the first view's map, tiles and all, as soon as Leaflet is
// here, when the place is known before the feed is read; the app takes the map over.
const known = [
  { name: 'the sample feed', params: {} as Record<string, string>, visitFirst: false },
  { name: "a link's map view", params: { feed: FEED, map: '52.63,1.29,13.4' }, visitFirst: false },
  { name: 'a feed read here before', params: { feed: FEED }, visitFirst: true },
];
for (const k of known) {
  test(`${k.name}: the map and its tiles come before the app's code, where the app then keeps them`, async ({ page }) => {
    if (k.visitFirst) {
      await page.goto(appUrl(k.params));
      await expect(page.getByTestId('result-item')).toHaveCount(3);
      await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), KEPT)).toContain(FEED);
    }
    const tiles = watchTiles(page);
    const releaseApp = await holdApp(page);
    // The finder held back too, so the first view's map stays to be looked at.
    const releaseFinder = await holdBack(page, '**/split_finder.wasm');
    await page.goto(appUrl(k.params));
    await expect.poll(() => tiles.length).toBeGreaterThan(0);
    await expect(page.locator('#am-first-map .leaflet-tile').first()).toBeAttached();
    const early = await page.evaluate(() => {
      const m = (window as any).activityMapEarlyMap.map;
      (window as any).earlyMapSeen = m;
      const c = m.getCenter();
      return { lat: c.lat, lng: c.lng, zoom: m.getZoom(), drawn: performance.getEntriesByName('am-drawn').length };
    });
    // Nothing of the app's yet: no pins drawn.
    expect(early.drawn).toBe(0);
    // Zoomed to a whole level, as Leaflet and the app do.
    // (Leaflet reads the centre back from the map's pixels: within about 10 m.)
    if (k.params.map) {
      expect(early.zoom).toBe(13);
      expect(early.lat).toBeCloseTo(52.63, 4);
      expect(early.lng).toBeCloseTo(1.29, 4);
    }

    releaseApp();
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('am-drawn').length)).toBeGreaterThan(0);
    const after = await page.evaluate(() => {
      const m = (window as any).earlyMapSeen;
      const c = m.getCenter();
      return {
        lat: c.lat,
        lng: c.lng,
        zoom: m.getZoom(),
        left: 'activityMapEarlyMap' in window,
        maps: document.querySelectorAll('#am-first-map.leaflet-container').length,
        pins: document.querySelectorAll('#am-first-map .am-pin-icon, #am-first-map .am-cluster').length,
        container: m.getContainer().id,
      };
    });
    // The app took the map over (one map, its pins on it) and, by its own rule, opened
    // it just where the early script had: every tile asked for is at that zoom.
    expect(after.left).toBe(false);
    expect(after.maps).toBe(1);
    expect(after.container).toBe('am-first-map');
    expect(after.pins).toBeGreaterThan(0);
    expect(after.zoom).toBe(early.zoom);
    expect(after.lat).toBeCloseTo(early.lat, 4);
    expect(after.lng).toBeCloseTo(early.lng, 4);
    expect(new Set(tiles.map((t) => t.z))).toEqual(new Set([early.zoom]));

    releaseFinder();
    await expect(page.locator('#am-first')).toHaveCount(0);
    await expect(page.getByTestId('result-item').first()).toBeVisible();
  });
}

test("a feed never read here: England at once, before the app's code, then the feed's own area, close in", async ({ page }) => {
  const tiles = watchTiles(page);
  const releaseApp = await holdApp(page);
  const releaseFeed = await holdBack(page, (url) => url.pathname === FEED);
  await page.goto(appUrl({ feed: FEED }));
  // Before the app's code: a map of England, tiles and all (assets/early-map.js).
  await expect.poll(() => tiles.length).toBeGreaterThan(0);
  const england = await page.evaluate(() => {
    const m = (window as any).activityMapEarlyMap.map;
    (window as any).earlyMapSeen = m;
    const c = m.getCenter();
    return { lat: c.lat, lng: c.lng, zoom: m.getZoom() };
  });
  expect(england.zoom).toBe(6);
  // (Read back from the map's pixels: a pixel is about 0.02 degrees at zoom 6.)
  expect(england.lat).toBeCloseTo(52.8, 1);
  expect(england.lng).toBeCloseTo(-1.6, 1);
  expect(new Set(tiles.map((t) => t.z))).toEqual(new Set([6]));

  // The app takes the map over and, by its own rule, keeps it there while the feed is
  // still on its way.
  releaseApp();
  await expect.poll(() => page.evaluate(() => 'activityMapEarlyMap' in window)).toBe(false);
  await page.waitForTimeout(300);
  const kept = await page.evaluate(() => {
    const m = (window as any).earlyMapSeen;
    return { lat: m.getCenter().lat, lng: m.getCenter().lng, zoom: m.getZoom() };
  });
  expect(kept.zoom).toBe(6);
  expect(kept.lat).toBeCloseTo(england.lat, 4);
  expect(kept.lng).toBeCloseTo(england.lng, 4);
  expect(new Set(tiles.map((t) => t.z))).toEqual(new Set([6]));

  // The feed read: the map opens on its pins, all in Norwich, close in.
  const before = tiles.length;
  releaseFeed();
  await expect(page.getByTestId('result-item')).toHaveCount(3);
  await expect.poll(() => tiles.length).toBeGreaterThan(before);
  const later = tiles.slice(before);
  const zoom = Math.min(...later.map((t) => t.z));
  expect(zoom).toBeGreaterThanOrEqual(12);
  const norwich = tileOf(52.62, 1.3, zoom);
  for (const t of later.filter((t) => t.z === zoom)) {
    expect(Math.abs(t.x - norwich.x), JSON.stringify(t)).toBeLessThanOrEqual(3);
    expect(Math.abs(t.y - norwich.y), JSON.stringify(t)).toBeLessThanOrEqual(4);
  }
});
