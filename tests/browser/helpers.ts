import { Browser, Page, expect, TestInfo } from '@playwright/test';
import { readFileSync, mkdirSync } from 'node:fs';

/** The app's query string pointing at local tiles, plus any extra parameters. */
export function appUrl(params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ tiles: '/tiles/{z}/{x}/{y}.png', ...params });
  return `index.html?${q.toString().replace(/%7B/g, '{').replace(/%7D/g, '}').replace(/%2F/g, '/')}`;
}

export type FeedActivity = { id: string; name: string; category: string; location?: { lat?: number; lng?: number } };

export function sampleFeed(): { activities: FeedActivity[] } {
  return JSON.parse(readFileSync('assets/sample-feed.json', 'utf8'));
}

export async function openApp(page: Page, params: Record<string, string> = {}) {
  await page.goto(appUrl(params));
  await expect(page.getByTestId('result-list')).toBeVisible();
}

export async function screenshot(page: Page, info: TestInfo, name: string) {
  mkdirSync('target/screenshots', { recursive: true });
  await page.screenshot({ path: `target/screenshots/${info.project.name}-${name}.png`, fullPage: false });
}

/** What the map's marks stand for: a pin counts one (an element, or drawn on the map's
 *  canvas when there are many: the map's `data-canvas-pins`), a cluster its number. */
export const marksOnMap = (page: Page) =>
  page.evaluate(() => {
    const map = document.querySelector('[data-testid=map]') as HTMLElement | null;
    const canvas = Number(map?.dataset.canvasPins ?? 0);
    const pins = document.querySelectorAll('[data-testid=pin]').length + canvas;
    const clusters = [...document.querySelectorAll('[data-testid=cluster]')].reduce(
      (n, e) => n + parseInt((e as HTMLElement).dataset.count ?? '0', 10),
      0,
    );
    return { pins, canvas, clusters, all: pins + clusters };
  });

/** Web Mercator at `zoom`, in the map's pixels from the world's top-left corner. */
export const mercator = (zoom: number) => {
  const world = 256 * 2 ** zoom;
  return {
    x: (lng: number) => ((lng + 180) / 360) * world,
    y: (lat: number) => {
      const s = Math.sin((lat * Math.PI) / 180);
      return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world;
    },
    lng: (x: number) => (x / world) * 360 - 180,
    lat: (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / world))) * 180) / Math.PI,
  };
};

/** Where a place is on the page now: from the map's box and the centre and zoom the
 *  link says it shows (`map=lat,lng,zoom`, kept as the map moves). */
export async function projector(page: Page) {
  const box = await page.evaluate(() => {
    const m = document.querySelector('.leaflet-container')!.getBoundingClientRect();
    return { left: m.left, top: m.top, width: m.width, height: m.height };
  });
  const [lat, lng, zoom] = new URL(page.url()).searchParams.get('map')!.split(',').map(Number);
  const m = mercator(zoom);
  return (at: { lat: number; lng: number }) => ({
    x: box.left + box.width / 2 + (m.x(at.lng) - m.x(lng)),
    y: box.top + box.height / 2 + (m.y(at.lat) - m.y(lat)),
  });
}

/** No WCAG 2.2 AA violations axe can find on the page as it is now. */
export async function axeCheck(page: Page, state: string) {
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const result = await page.evaluate(async () => {
    // @ts-ignore axe is injected above
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
  expect(result, `axe violations in state "${state}"`).toEqual([]);
}

/** A page in a new context (this project's settings) that lets the app read a device
 *  position: Great Yarmouth, near the sample feed's Norfolk activities. */
export async function pageNearYarmouth(browser: Browser, info: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    ...info.project.use,
    permissions: ['geolocation'],
    geolocation: { latitude: 52.6071, longitude: 1.7305 },
  });
  return context.newPage();
}

/** The names of the .wasm files the page asks for, in order. */
export function wasmRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) names.push(name);
  });
  return names;
}

/** What the page fetched, by file name: when each request started and its response ended. */
export function resourceTiming(page: Page): Promise<Record<string, { start: number; end: number }>> {
  return page.evaluate(() =>
    Object.fromEntries(
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => [
        new URL(e.name).pathname.split('/').pop(),
        { start: e.startTime, end: e.responseEnd },
      ]),
    ),
  );
}

/** Hold back every request matching `glob` until the returned function is called. */
export async function holdBack(page: Page, glob: string | ((url: URL) => boolean)): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(glob, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}
