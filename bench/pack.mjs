// The tiled feed's benchmark (issue 19): the app on a pack of 1,000,000 generated
// activities (docs/pack-format.md), on a throttled phone.
//
// Usage (from the repository root, after `bash tests/tools/run.sh build`):
//   node bench/pack.mjs [--runs 3] [--port 4283] [--count 1000000]
// Writes target/bench/pack.md (a table for BENCHMARKS.md) and target/bench/pack.json.
// It writes the pack once, with genfeed, into bench/feeds/pack-<count>/ (not in git).
//
// One run: a new Chromium, a 390×844 phone context (deviceScaleFactor 2), HTTP cache off,
// CPU 4× slower; the files served gzipped (tests/tools/serve.mjs --gzip), with blank local
// tiles. Twice per run: on 127.0.0.1 at full speed, and over 1.6 Mbit/s with 150 ms of
// latency each way (CDP network emulation). Each time:
//   1. the page opens on the pack: time to first pins (the first `am-drawn` mark) and the
//      bytes that came over the wire before it (app code, pack files), with the pack's
//      requests;
// then, at full speed only:
//   2. "Green & outdoors" ticked: input → repaint (as bench/run.mjs measures it);
//   3. London at zoom 13, then a scripted trip to Newcastle in 12 steps (the link's
//      `map=`, as back/forward moves the map), each step left to settle; then a forced GC,
//      and the JS heap plus the wasm memory;
//   4. "cho" typed into the search there, one key at a time (keystroke → repaint: what the
//      loaded tiles hold; the whole pack's names are looked up after that repaint).
//   5. London at zoom 16 (every activity a pin of its own): frame times while dragging and
//      zooming, as bench/run.mjs measures them;
// and at both speeds, after the first pins: "Truro" searched across the whole pack from the
// country's view, to the list holding Truro's activities (with the requests it made).

import { chromium } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/tools/chromium.mjs';
import { benchInit, panAndZoom } from './probe.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const RUNS = Number(opt('--runs', 3));
const PORT = Number(opt('--port', 4283));
const COUNT = Number(opt('--count', 1000000));
const PACK = `bench/feeds/pack-${COUNT}`;
const BASE = `http://127.0.0.1:${PORT}`;
const URL_ = `${BASE}/index.html?feed=/${PACK}/pack.json&tiles=/tiles/{z}/{x}/{y}.png&geocoder=off`;
const NETS = [null, { mbps: 1.6, latency: 150 }];
const LONDON = [51.5072, -0.1276];
const NEWCASTLE = [54.9783, -1.6178];
const STEPS = 12;
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

function ensurePack() {
  // (A pack written before its words/ files were: written again.)
  if (existsSync(`${PACK}/pack.json`) && existsSync(`${PACK}/words`)) return;
  log(`writing ${PACK} (genfeed --pack)`);
  mkdirSync('bench/feeds', { recursive: true });
  execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'genfeed', '--', '--count', String(COUNT), '--seed', '1', '--pack', PACK], {
    stdio: 'inherit',
  });
}

function startServer() {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, ['tests/tools/serve.mjs', '--port', String(PORT), '--root', 'dist', '--bench', 'bench', '--gzip'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.on('exit', (code) => reject(new Error(`the server stopped (${code})`)));
    child.stdout.on('data', (d) => String(d).includes('serving') && resolveStart(child));
  });
}

async function run(net) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const r = { net: net ? `${net.mbps} Mbit/s` : 'full speed' };
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      serviceWorkers: 'block',
    });
    context.setDefaultTimeout(60000);
    await context.addInitScript(benchInit);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 });
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    if (net) {
      const bytesPerSecond = (net.mbps * 1e6) / 8;
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: net.latency,
        downloadThroughput: bytesPerSecond,
        uploadThroughput: bytesPerSecond,
      });
    }
    // Every response: its path, its bytes on the wire, and when it ended (page time).
    const urls = new Map();
    const done = [];
    // The page's own request is sent at navigation start, near enough (CDP's clock).
    let navAt = null;
    cdp.on('Network.requestWillBeSent', (e) => {
      urls.set(e.requestId, e.request.url);
      if (navAt === null) navAt = e.timestamp;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const u = urls.get(e.requestId);
      if (u) done.push({ path: new URL(u).pathname, bytes: e.encodedDataLength, at: e.timestamp });
    });
    await page.goto(URL_, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('am-drawn').length > 0, null, { timeout: 120000, polling: 100 });
    r.firstPins = await page.evaluate(() => performance.getEntriesByName('am-drawn')[0].startTime);
    // Responses that ended before the first pins (CDP's clock, in seconds).
    const before = done.filter((d) => d.at - navAt <= r.firstPins / 1000);
    r.bytesBeforePins = before.reduce((n, d) => n + d.bytes, 0);
    r.packBytesBeforePins = before.filter((d) => d.path.startsWith(`/${PACK}/`)).reduce((n, d) => n + d.bytes, 0);
    r.packRequestsBeforePins = before.filter((d) => d.path.startsWith(`/${PACK}/`)).length;
    r.appBytesBeforePins = before
      .filter((d) => /\.(wasm|js|css)$/.test(d.path) && !d.path.includes('leaflet'))
      .reduce((n, d) => n + d.bytes, 0);
    const settle = () => page.evaluate(() => window.__bench.settle(400, 30000));
    await settle();

    // A name searched across the whole pack from where the map opened (the country):
    // "Truro" put in the search box at once, to the first frame where the list holds
    // Truro's activities and says the whole pack's names were searched.
    await page.getByTestId('search').waitFor();
    await settle();
    const packBefore = done.filter((d) => d.path.startsWith(`/${PACK}/`));
    r.searchAcross = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const input = document.querySelector('[data-testid=search]');
          const t0 = performance.now();
          input.value = 'Truro';
          input.dispatchEvent(new Event('input', { bubbles: true }));
          const check = () => {
            const note = document.querySelector('[data-testid=pack-note]')?.textContent ?? '';
            const first = document.querySelector('[data-testid=result-item] .am-item-name')?.textContent ?? '';
            if (note.includes('Searched the names') && first.includes('Truro')) resolve(performance.now() - t0);
            else if (performance.now() - t0 > 60000) resolve(null);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
    );
    await settle();
    const packAfter = done.filter((d) => d.path.startsWith(`/${PACK}/`));
    const forSearch = packAfter.filter((d) => !packBefore.includes(d));
    r.searchRequests = forSearch.length;
    r.searchBytes = forSearch.reduce((n, d) => n + d.bytes, 0);
    r.searchListed = await page.getByTestId('result-count').textContent();
    await page.getByTestId('search').fill('');
    await settle();
    if (net) return r;

    const interact = async (types, action) => {
      await page.evaluate((t) => window.__bench.arm(t), types);
      await action();
      return page.evaluate(() => window.__bench.repaint(30000));
    };
    const chip = page.getByTestId('filter-cat-green');
    [r.filterOn] = await interact(['click'], () => chip.click());
    await settle();
    await interact(['click'], () => chip.click());
    await settle();

    // London to Newcastle, as back/forward would move the map.
    const go = (lat, lng, zoom) =>
      page.evaluate(
        ([lat, lng, zoom]) => {
          const u = new URL(location.href);
          u.searchParams.set('map', `${lat.toFixed(5)},${lng.toFixed(5)},${zoom}`);
          history.replaceState(history.state, '', u);
          dispatchEvent(new PopStateEvent('popstate', { state: history.state }));
        },
        [lat, lng, zoom],
      );
    const packRequests = () => done.filter((d) => d.path.startsWith(`/${PACK}/`)).length;
    const startRequests = packRequests();
    for (let i = 0; i <= STEPS; i++) {
      const f = i / STEPS;
      await go(LONDON[0] + (NEWCASTLE[0] - LONDON[0]) * f, LONDON[1] + (NEWCASTLE[1] - LONDON[1]) * f, 13);
      await page.waitForTimeout(300);
      await settle();
    }
    await page.waitForTimeout(1000);
    await settle();
    r.panRequests = packRequests() - startRequests;
    r.panBytes = done.filter((d) => d.path.startsWith(`/${PACK}/`)).reduce((n, d) => n + d.bytes, 0);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    r.jsHeap = heap.usedSize;
    r.wasmMemory = await page.evaluate(() => window.__bench.wasmBytes());
    r.memory = r.jsHeap + r.wasmMemory;
    r.listedAtNewcastle = await page.getByTestId('result-count').textContent();

    const search = page.getByTestId('search');
    await search.click();
    await settle();
    r.keys = [];
    for (const ch of 'cho') {
      const [repaint] = await interact(['keydown'], () => page.keyboard.press(ch));
      r.keys.push(repaint);
      await settle();
    }
    r.keystroke = median(r.keys);
    await search.fill('');
    await settle();

    // London at zoom 16, where every activity in view is a pin of its own: two drags and
    // two zoom-ins and two zoom-outs with the buttons, recording frame times (as
    // bench/run.mjs does), with how the pins were drawn (elements or the canvas).
    await go(LONDON[0], LONDON[1], 16);
    await page.waitForTimeout(300);
    await settle();
    r.pinsAt16 = await page.evaluate(() => ({
      canvas: Number(document.querySelector('[data-testid=map]')?.dataset.canvasPins ?? 0),
      elements: document.querySelectorAll('[data-testid=pin]').length,
    }));
    const deltas = (await panAndZoom(page)).sort((a, b) => a - b);
    r.p95Frame = deltas.length ? deltas[Math.min(deltas.length - 1, Math.ceil(deltas.length * 0.95) - 1)] : null;
    r.slowFrames = deltas.length ? deltas.filter((d) => d > 17.5).length / deltas.length : null;
    return r;
  } catch (e) {
    r.error = String(e).split('\n')[0];
    return r;
  } finally {
    await browser.close();
  }
}

const kb = (b) => (b == null ? '—' : `${(b / 1024).toFixed(1)} KB`);
const mb = (b) => (b == null ? '—' : `${(b / 1048576).toFixed(1)} MB`);
const ms = (t) => (t == null ? '—' : `${Math.round(t)} ms`);

ensurePack();
const server = await startServer();
const results = [];
try {
  for (let i = 0; i < RUNS; i++) {
    for (const net of NETS) {
      const r = await run(net);
      log(JSON.stringify(r));
      results.push(r);
    }
  }
} finally {
  server.kill();
}
mkdirSync('target/bench', { recursive: true });
writeFileSync('target/bench/pack.json', JSON.stringify(results, null, 1));
const of = (net, key) => median(results.filter((r) => r.net === net && !r.error).map((r) => r[key]));
const fast = 'full speed';
const slow = '1.6 Mbit/s';
const L = [];
L.push(`Pack of ${COUNT.toLocaleString('en-GB')} activities (\`genfeed --count ${COUNT} --pack\`), median of ${RUNS} runs, ${new Date().toISOString().slice(0, 16)} UTC.`);
L.push('');
L.push('| measure | 127.0.0.1 | 1.6 Mbit/s, 150 ms | target |');
L.push('| --- | ---: | ---: | --- |');
L.push(`| first pins (\`am-drawn\`) | ${ms(of(fast, 'firstPins'))} | ${ms(of(slow, 'firstPins'))} | ≤ 1.0 s / ≤ 2.5 s |`);
L.push(`| transferred before first pins, all | ${kb(of(fast, 'bytesBeforePins'))} | ${kb(of(slow, 'bytesBeforePins'))} | |`);
L.push(`| of which the pack's files (requests) | ${kb(of(fast, 'packBytesBeforePins'))} (${of(fast, 'packRequestsBeforePins')}) | ${kb(of(slow, 'packBytesBeforePins'))} (${of(slow, 'packRequestsBeforePins')}) | ≤ 300 KB |`);
L.push(`| of which app code (wasm, JS, CSS) | ${kb(of(fast, 'appBytesBeforePins'))} | ${kb(of(slow, 'appBytesBeforePins'))} | (aside) |`);
L.push(`| filter → repaint | ${ms(of(fast, 'filterOn'))} | | < 50 ms |`);
L.push(`| search keystroke → repaint (the loaded tiles) | ${ms(of(fast, 'keystroke'))} | | < 100 ms |`);
L.push(`| "Truro" searched across the pack from the whole country's view → its first matches listed | ${ms(of(fast, 'searchAcross'))} | ${ms(of(slow, 'searchAcross'))} | |`);
L.push(`| … pack requests, bytes for it | ${of(fast, 'searchRequests')}, ${kb(of(fast, 'searchBytes'))} | ${of(slow, 'searchRequests')}, ${kb(of(slow, 'searchBytes'))} | |`);
L.push(`| London → Newcastle at zoom 13: pack requests, bytes | ${of(fast, 'panRequests')}, ${kb(of(fast, 'panBytes'))} | | |`);
L.push(`| JS heap + wasm memory after it (GC) | ${mb(of(fast, 'memory'))} (${mb(of(fast, 'jsHeap'))} + ${mb(of(fast, 'wasmMemory'))}) | | ≤ 40 MB |`);
const pins = results.find((r) => r.pinsAt16)?.pinsAt16;
const pct = (x) => (x == null ? '—' : `${Math.round(x * 100)} %`);
L.push(`| London at zoom 16 (${pins ? `${pins.canvas} pins on the canvas, ${pins.elements} as elements` : '—'}): p95 frame, pan + zoom | ${of(fast, 'p95Frame') == null ? '—' : `${of(fast, 'p95Frame').toFixed(1)} ms`} | | ≤ 16.7 ms |`);
L.push(`| … frames over 17.5 ms | ${pct(of(fast, 'slowFrames'))} | | |`);
const errors = results.filter((r) => r.error).map((r) => `${r.net}: ${r.error}`);
if (errors.length) L.push('', `Runs that failed: ${errors.join('; ')}`);
writeFileSync('target/bench/pack.md', L.join('\n') + '\n');
console.log(L.join('\n'));
