// Debian's Chromium as the browser tests and the benchmark launch it (../shared/TOOLCHAIN.md):
// headless on a closed network, so everything that would call out is switched off.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
