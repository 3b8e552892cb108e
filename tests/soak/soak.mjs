// Soak test (issue 18): nothing the app or the widget creates may pile up.
//
//   npm run soak            (bash tests/tools/run.sh soak: builds, then runs this)
//   node tests/soak/soak.mjs [--remounts 300] [--actions 400] [--warm-up 100] [--port 4273] [--only K] [--trail]
//     --only K   repeat only step K of the app session (0 search, 1 category filter, 2 pan
//                and zoom, 3 details, 4 shortlist): to find which step leaks
//     --trail    print the readings every 50 steps (is growth steady or a one-off?)
//
// Two sessions in Debian's Chromium, against the release build served on 127.0.0.1:
//  1. a partner page whose widget has an attribute changed `--remounts` times (each change
//     unmounts the widget's app and mounts a new one);
//  2. the full app driven through `--actions` scripted steps of what a person does:
//     searching, filtering, panning and zooming, opening and closing details and the
//     shortlist. The 300 steps after the warm-up stand for about 30 minutes of a person
//     (one step every ~6 s).
// After `--warm-up` steps, and again at the end, it waits for the map's tiles, collects
// garbage and reads: the wasm memory; the JS heap, split by a heap snapshot into the
// page's own objects, the code V8 has compiled, and the browser's own records; the DOM
// counters (nodes, JS event listeners) and the listeners on window and document. It
// fails if the wasm memory or the page's objects grew by 10 % or more, or if any
// listener count grew.
//
// Why the split: the JS heap as V8 counts it (`Runtime.getHeapUsage`) also holds the
// machine code it compiles as functions get hot, and the browser's own records (the
// performance timeline's buffers, bounded by their specs; DevTools' network records,
// kept only because a test drives the page). Those grow during a session whatever the
// page does, and level off; the warm-up lets most of that happen first. The figures of
// all three are printed and written to target/soak.json (BENCHMARKS.md quotes them).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tools/chromium.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REMOUNTS = arg('--remounts', 300);
const ACTIONS = arg('--actions', 400);
const PORT = arg('--port', 4273);
const WARM_UP = arg('--warm-up', 100);
const ONLY = args.includes('--only') ? arg('--only') : null;
const TRAIL = args.includes('--trail');
const APP = `http://127.0.0.1:${PORT}/`;
const HOST = `http://127.0.0.1:${PORT + 1}/`;
const TILES = '/tiles/{z}/{x}/{y}.png';

function serve(extra) {
  const child = spawn('node', ['tests/tools/serve.mjs', ...extra], { stdio: 'ignore' });
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

// Every wasm memory the page creates, so its size can be read from outside.
function watchWasmMemory() {
  window.__soakMemories = [];
  const keep = (result) => {
    const instance = result.instance ?? result;
    for (const v of Object.values(instance.exports ?? {})) {
      if (v instanceof WebAssembly.Memory) window.__soakMemories.push(v);
    }
    return result;
  };
  const { instantiate, instantiateStreaming } = WebAssembly;
  WebAssembly.instantiate = (...a) => instantiate(...a).then(keep);
  WebAssembly.instantiateStreaming = (...a) => instantiateStreaming(...a).then(keep);
}

// The heap by kind of thing, from a snapshot: the page's own objects (everything but
// compiled code and the browser's native records), compiled code, native records.
async function heapByKind(cdp) {
  const chunks = [];
  const take = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', take);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', take);
  const { snapshot, nodes } = JSON.parse(chunks.join(''));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [type, size] = [fields.indexOf('type'), fields.indexOf('self_size')];
  const kinds = { objects: 0, code: 0, native: 0 };
  for (let i = 0; i < nodes.length; i += fields.length) {
    const t = types[nodes[i + type]];
    kinds[t === 'code' ? 'code' : t === 'native' ? 'native' : 'objects'] += nodes[i + size];
  }
  return kinds;
}

async function measure(page, cdp) {
  // Tiles still loading carry listeners of their own: wait for the map to settle.
  await page
    .waitForFunction(() => !document.querySelector('img.leaflet-tile:not(.leaflet-tile-loaded)'), null, { timeout: 5000 })
    .catch(() => {});
  await page.waitForTimeout(300);
  // Twice: finalisers free more on the second pass.
  await cdp.send('HeapProfiler.collectGarbage');
  await page.waitForTimeout(200);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const kinds = await heapByKind(cdp);
  const dom = await cdp.send('Memory.getDOMCounters');
  const wasm = await page.evaluate(() => window.__soakMemories.reduce((n, m) => n + m.buffer.byteLength, 0));
  const listenersOn = async (expression) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
    return listeners.length;
  };
  // Map tiles carry listeners while on the map, and how many tiles are on it depends on
  // where a pan or zoom animation settled: those are counted apart.
  let tileListeners = 0;
  const tiles = `[document, ...[...document.querySelectorAll('activity-map')].map((e) => e.shadowRoot)]
    .filter(Boolean).flatMap((r) => [...r.querySelectorAll('img.leaflet-tile')])`;
  const tileCount = await page.evaluate(`${tiles}.length`);
  for (let i = 0; i < tileCount; i++) tileListeners += await listenersOn(`${tiles}[${i}]`);
  return {
    jsHeap: heap.usedSize,
    pageObjects: kinds.objects,
    compiledCode: kinds.code,
    browserRecords: kinds.native,
    wasm,
    nodes: dom.nodes,
    jsEventListeners: dom.jsEventListeners - tileListeners,
    tileListeners,
    windowListeners: await listenersOn('window'),
    documentListeners: await listenersOn('document'),
  };
}

function compare(name, before, after) {
  const problems = [];
  for (const k of ['pageObjects', 'wasm']) {
    const growth = (after[k] - before[k]) / before[k];
    if (growth >= 0.1) problems.push(`${k} grew ${(growth * 100).toFixed(1)} % (${before[k]} -> ${after[k]})`);
  }
  for (const k of ['jsEventListeners', 'windowListeners', 'documentListeners']) {
    if (after[k] > before[k]) problems.push(`${k} grew: ${before[k]} -> ${after[k]}`);
  }
  const pct = (k) => `${(((after[k] - before[k]) / before[k]) * 100).toFixed(1)} %`;
  console.log(
    `${name}: JS heap ${(before.jsHeap / 1e6).toFixed(2)} -> ${(after.jsHeap / 1e6).toFixed(2)} MB (${pct('jsHeap')}: ` +
      `page objects ${(before.pageObjects / 1e6).toFixed(2)} -> ${(after.pageObjects / 1e6).toFixed(2)} MB (${pct('pageObjects')}), ` +
      `compiled code ${(before.compiledCode / 1e6).toFixed(2)} -> ${(after.compiledCode / 1e6).toFixed(2)} MB, ` +
      `browser records ${(before.browserRecords / 1e6).toFixed(2)} -> ${(after.browserRecords / 1e6).toFixed(2)} MB), ` +
      `wasm ${(before.wasm / 1e6).toFixed(2)} -> ${(after.wasm / 1e6).toFixed(2)} MB (${pct('wasm')}), ` +
      `nodes ${before.nodes} -> ${after.nodes}, JS listeners (tiles aside) ${before.jsEventListeners} -> ${after.jsEventListeners}, ` +
      `window ${before.windowListeners} -> ${after.windowListeners}, document ${before.documentListeners} -> ${after.documentListeners}`,
  );
  return problems.map((p) => `${name}: ${p}`);
}

async function widgetSession(browser) {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.addInitScript(watchWasmMemory);
  const cdp = await page.context().newCDPSession(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${HOST}widgets.html`);
  const widget = page.locator('#green');
  const cats = ['green', 'heritage', 'hub', 'parkrun'];
  let before;
  for (let i = 0; i < REMOUNTS; i++) {
    if (i === WARM_UP) before = await measure(page, cdp);
    await widget.evaluate((el, c) => el.setAttribute('categories', c), cats[i % cats.length]);
    // The new app is up once its list shows.
    await widget.getByTestId('result-item').first().waitFor();
  }
  const after = await measure(page, cdp);
  await page.close();
  return { before, after, errors };
}

async function appSession(browser) {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await page.addInitScript(watchWasmMemory);
  const cdp = await page.context().newCDPSession(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${APP}index.html?tiles=${TILES}`);
  await page.getByTestId('result-item').first().waitFor();
  const map = page.getByTestId('map');
  const steps = [
    async () => {
      await page.getByTestId('search').fill('walk');
      await page.getByTestId('search').fill('');
    },
    async () => {
      await page.getByTestId('filters-toggle').click();
      const chip = page.getByTestId('filter-cat-green');
      await chip.click();
      await chip.click();
      await page.getByTestId('filters-toggle').click();
    },
    async () => {
      await map.focus();
      for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', '+', '-']) await page.keyboard.press(key);
    },
    async () => {
      await page.getByTestId('result-item').first().click();
      await page.getByTestId('close-details').click();
    },
    async () => {
      await page.getByTestId('open-shortlist').click();
      await page.getByTestId('close-shortlist').click();
    },
  ];
  let before;
  const trail = [];
  for (let i = 0; i < ACTIONS; i++) {
    if (i === WARM_UP) before = await measure(page, cdp);
    if (TRAIL && i % 50 === 0) {
      const m = await measure(page, cdp);
      trail.push(m);
      console.log(`step ${i}: heap ${(m.jsHeap / 1e6).toFixed(2)} MB (objects ${(m.pageObjects / 1e6).toFixed(2)}, code ${(m.compiledCode / 1e6).toFixed(2)}), wasm ${(m.wasm / 1e6).toFixed(2)} MB, listeners ${m.jsEventListeners}, nodes ${m.nodes}`);
    }
    await steps[ONLY ?? i % steps.length]();
  }
  // Let the last redraws and list updates finish before the final reading.
  await page.waitForTimeout(500);
  const after = await measure(page, cdp);
  await page.close();
  return { before, after, errors };
}

const servers = [
  serve(['--port', String(PORT)]),
  serve(['--port', String(PORT + 1), '--root', 'tests/fixtures/host', '--app', APP]),
];
let failed = [];
try {
  await waitFor(`${APP}index.html`);
  await waitFor(`${HOST}widgets.html`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const started = Date.now();
  const widget = await widgetSession(browser);
  const app = await appSession(browser);
  await browser.close();
  failed = [
    ...compare(`widget, ${REMOUNTS} attribute changes`, widget.before, widget.after),
    ...compare(`app, ${ACTIONS} scripted steps`, app.before, app.after),
    ...widget.errors.map((e) => `widget page error: ${e}`),
    ...app.errors.map((e) => `app page error: ${e}`),
  ];
  mkdirSync('target', { recursive: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync('target/soak.json', JSON.stringify({ remounts: REMOUNTS, actions: ACTIONS, seconds, widget, app, failed }, null, 2));
  console.log(`soak: ${seconds} s`);
} finally {
  for (const s of servers) s.kill();
}
if (failed.length) {
  console.error(`soak FAILED:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
console.log('soak: 2 passed, 0 failed');
