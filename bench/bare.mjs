// A page load in Chromium driven over a bare DevTools pipe (--remote-debugging-pipe) that
// enables only what it needs: Emulation (phone size, touch, CPU throttle), Page (an init
// script, navigation) and Runtime (reading the page). No Network domain, so the inspector
// keeps no copy of response bodies. Playwright always enables that domain, and with it
// Chromium decodes each text response of up to 20 MB once more for DevTools, in one
// main-thread task when the download ends; a person's browser never runs that task.
// bench/run.mjs uses this to count the long tasks of a load as a person's browser runs it.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Starts Chromium and returns { send(method, params, sessionId), close() }.
async function launch(chromium, args) {
  const profile = mkdtempSync(join(tmpdir(), 'am-bare-'));
  const child = spawn(chromium, [...args, '--headless', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], {
    // Chromium reads commands from fd 3 and writes answers to fd 4, each ended by a NUL.
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const pending = new Map();
  let nextId = 1;
  let buffered = Buffer.alloc(0);
  child.stdio[4].on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const message = JSON.parse(buffered.subarray(0, end).toString('utf8'));
      buffered = buffered.subarray(end + 1);
      const waiter = message.id !== undefined && pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      child.stdio[3].write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const close = async () => {
    send('Browser.close').catch(() => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(profile, { recursive: true, force: true });
  };
  return { send, close };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Loads `url` cold (a new profile) at phone size with the CPU throttled, runs `initScript`
// before the page's own scripts, waits for the `allMark` performance mark (up to
// `timeoutMs`), then for the page to settle (no long task and no new `am-drawn` for
// `quietMs`), and returns { firstPins, allPins, longtasks: [[start, duration], ...] }
// in the page's clock, or { timedOut } when the mark never came.
export async function loadBare({ chromium, args, url, initScript, viewport, throttle, allMark, timeoutMs, quietMs }) {
  const browser = await launch(chromium, args);
  try {
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    const page = (method, params) => browser.send(method, params, sessionId);
    await page('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 2, mobile: true });
    await page('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await page('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page('Page.enable');
    await page('Page.addScriptToEvaluateOnNewDocument', { source: `(${initScript})()` });
    const evaluate = async (expression) => {
      const r = await page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
      return r.result.value;
    };
    await page('Page.navigate', { url });
    const started = Date.now();
    const seen = `performance.getEntriesByName(${JSON.stringify(allMark)}).length > 0`;
    for (;;) {
      if (await evaluate(seen).catch(() => false)) break;
      if (Date.now() - started > timeoutMs) return { timedOut: true };
      await sleep(100);
    }
    await evaluate(`window.__bench.settle(${quietMs}, 60000)`);
    return await evaluate(`({
      firstPins: performance.getEntriesByName('am-drawn')[0].startTime,
      allPins: performance.getEntriesByName(${JSON.stringify(allMark)})[0].startTime,
      longtasks: window.__bench.longtasks,
    })`);
  } finally {
    await browser.close();
  }
}
