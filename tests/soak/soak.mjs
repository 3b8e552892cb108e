// Soak test (issue 18): nothing the app or the widget creates may pile up.
//
//   npm run soak            (bash tests/tools/run.sh soak: builds, then runs this)
//   node tests/soak/soak.mjs [--remounts 200] [--actions 300] [--port 4273] [--only K] [--trail]
//     --only K   repeat only step K of the app session (0 search, 1 category filter, 2 pan
//                and zoom, 3 details, 4 shortlist): to find which step leaks
//     --trail    print the readings every 50 steps (is growth steady or a one-off?)
//
// Two sessions in Debian's Chromium, against the release build served on 127.0.0.1:
//  1. a partner page whose widget has an attribute changed `--remounts` times (each change
//     unmounts the widget's app and mounts a new one);
//  2. the full app driven through `--actions` scripted steps of what a person does:
//     searching, filtering, panning and zooming, opening and closing details and the
//     shortlist. 300 steps stand for about 30 minutes of a person (one step every ~6 s).
// After a warm-up, and again at the end, it collects garbage and reads the JS heap, the
// wasm memory, the DOM counters (nodes, JS event listeners) and the listeners on window
// and document. It fails if the heap or wasm memory grew by 10 % or more, or if any
// listener count grew. Figures go to target/soak.json and the console (BENCHMARKS.md
// quotes them).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tools/chromium.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REMOUNTS = arg('--remounts', 200);
const ACTIONS = arg('--actions', 300);
const PORT = arg('--port', 4273);
const WARM_UP = 20;
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

async function measure(page, cdp) {
  // Twice: finalisers free more on the second pass.
  await cdp.send('HeapProfiler.collectGarbage');
  await page.waitForTimeout(200);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const wasm = await page.evaluate(() => window.__soakMemories.reduce((n, m) => n + m.buffer.byteLength, 0));
  const listenersOn = async (expression) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
    return listeners.length;
  };
  return {
    jsHeap: heap.usedSize,
    wasm,
    nodes: dom.nodes,
    jsEventListeners: dom.jsEventListeners,
    windowListeners: await listenersOn('window'),
    documentListeners: await listenersOn('document'),
  };
}

function compare(name, before, after) {
  const problems = [];
  for (const k of ['jsHeap', 'wasm']) {
    const growth = (after[k] - before[k]) / before[k];
    if (growth >= 0.1) problems.push(`${k} grew ${(growth * 100).toFixed(1)} % (${before[k]} -> ${after[k]})`);
  }
  for (const k of ['jsEventListeners', 'windowListeners', 'documentListeners']) {
    if (after[k] > before[k]) problems.push(`${k} grew: ${before[k]} -> ${after[k]}`);
  }
  const pct = (k) => `${(((after[k] - before[k]) / before[k]) * 100).toFixed(1)} %`;
  console.log(
    `${name}: JS heap ${(before.jsHeap / 1e6).toFixed(2)} -> ${(after.jsHeap / 1e6).toFixed(2)} MB (${pct('jsHeap')}), ` +
      `wasm ${(before.wasm / 1e6).toFixed(2)} -> ${(after.wasm / 1e6).toFixed(2)} MB (${pct('wasm')}), ` +
      `nodes ${before.nodes} -> ${after.nodes}, JS listeners ${before.jsEventListeners} -> ${after.jsEventListeners}, ` +
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
      console.log(`step ${i}: heap ${(m.jsHeap / 1e6).toFixed(2)} MB, wasm ${(m.wasm / 1e6).toFixed(2)} MB, listeners ${m.jsEventListeners}, nodes ${m.nodes}`);
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
