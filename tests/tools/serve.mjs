// A small static server for tests and benchmarks, on 127.0.0.1 only.
//   /            the built app (dist/)
//   /fixtures/   test feeds (tests/fixtures/)
//   /tiles/z/x/y.png  a plain generated map tile, so tests never reach a tile server
//   /trickle/FILE     a file of the app's folder sent slowly, in pieces (see trickle below)
//   /publisher/PATH   mock publishers' paged feeds (tests/fixtures/publisher/; see publisher below);
//                     /nocors/publisher/PATH the same without the CORS header
//   /bench/      with --bench DIR: the benchmark folder (anchor pages, their npm packages, feeds)
// With --tile-bytes N, each tile weighs N bytes (see TILE).
// With --gzip, files (not /trickle/) are sent gzipped to a browser that accepts it, as any
// host sends them; without it, everything goes as it is on disk.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(arg('--port', 4173));
const root = resolve(arg('--root', 'dist'));
const fixtures = resolve('tests/fixtures');
// Partner pages name the app's address as {{APP}}; this fills it in.
const appUrl = arg('--app', null);
const bench = args.includes('--bench') ? resolve(arg('--bench')) : null;
const gzip = args.includes('--gzip');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

// A 256x256 PNG of one soft colour, built once.
function tilePng(bytes) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const size = 256;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set([0xe4, 0xea, 0xdf], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const head = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw))];
  const end = chunk('IEND', Buffer.alloc(0));
  // Padded to `bytes` with a private chunk of noise that image decoders skip, so a tile
  // weighs on the connection what a real map's does and cannot be compressed.
  const short = bytes - head.reduce((n, b) => n + b.length, 0) - end.length - 12;
  if (short > 0) head.push(chunk('amPd', randomBytes(short)));
  return Buffer.concat([...head, end]);
}
// --tile-bytes N: each tile weighs N bytes (an OpenStreetMap tile is mostly 5-40 KB);
// otherwise under 1 KB.
const TILE = tilePng(Number(arg('--tile-bytes', 0)));

// What a host compresses: text, JSON and wasm (PNG is compressed already).
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);
// Gzipped files by path, kept while the file is unchanged (a 100k feed takes seconds to compress).
const gzipped = new Map();
function gzipOf(path, mtimeMs, body) {
  const hit = gzipped.get(path);
  if (hit && hit.mtimeMs === mtimeMs && hit.raw === body.length) return hit.gz;
  // Level 6: zlib's default, and what hosts commonly use on the fly.
  const gz = gzipSync(body, { level: 6 });
  gzipped.set(path, { mtimeMs, raw: body.length, gz });
  return gz;
}
const acceptsGzip = (req) => /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');

async function sendFile(req, res, base, rel) {
  const path = normalize(join(base, rel));
  if (!path.startsWith(base)) return notFound(res);
  try {
    let p = path;
    let info = await stat(p);
    if (info.isDirectory()) {
      p = join(p, 'index.html');
      info = await stat(p);
    }
    let body = await readFile(p);
    if (appUrl && extname(p) === '.html') body = Buffer.from(body.toString('utf8').replaceAll('{{APP}}', appUrl));
    // Any origin may use these files, as partner pages embedding the widget do.
    const headers = {
      'content-type': TYPES[extname(p)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    };
    if (gzip && COMPRESSIBLE.has(extname(p))) {
      headers.vary = 'accept-encoding';
      if (acceptsGzip(req)) {
        body = gzipOf(p, info.mtimeMs, body);
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    notFound(res);
  }
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

// A stand-in for postcodes.io, answering a few known places the way it does.
const PLACES = {
  'N1 1AA': { postcode: 'N1 1AA', latitude: 51.5386, longitude: -0.1031 },
  'NR30 1AA': { postcode: 'NR30 1AA', latitude: 52.6071, longitude: 1.7305 },
  NR30: { outcode: 'NR30', latitude: 52.6137, longitude: 1.7240 },
  'great yarmouth': { name_1: 'Great Yarmouth', latitude: 52.6083, longitude: 1.7305 },
};
function geocode(res, path, url) {
  const json = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(body));
  };
  if (path.startsWith('/geocode/postcodes/') || path.startsWith('/geocode/outcodes/')) {
    const key = path.split('/').pop().toUpperCase();
    const hit = PLACES[key];
    return hit ? json(200, { status: 200, result: hit }) : json(404, { status: 404, error: 'Postcode not found' });
  }
  if (path === '/geocode/places') {
    const hit = PLACES[(url.searchParams.get('q') ?? '').toLowerCase()];
    return json(200, { status: 200, result: hit ? [hit] : [] });
  }
  return json(404, { status: 404, error: 'Resource not found' });
}

// A file from the app's folder sent in pieces, as a slow connection delivers it:
//   /trickle/FILE?piece=BYTES&gap=MS[&cut=N]
// sends BYTES at a time with MS between them; with cut, the connection drops after N pieces.
async function trickle(res, rel, url) {
  const path = normalize(join(root, rel));
  if (!path.startsWith(root)) return notFound(res);
  let body;
  try {
    body = await readFile(path);
  } catch {
    return notFound(res);
  }
  const piece = Math.max(1, Number(url.searchParams.get('piece') ?? 1000));
  const gap = Number(url.searchParams.get('gap') ?? 10);
  const cut = url.searchParams.has('cut') ? Number(url.searchParams.get('cut')) : Infinity;
  res.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  for (let at = 0, n = 0; at < body.length; at += piece, n++) {
    if (n === cut) return res.destroy();
    res.write(body.subarray(at, at + piece));
    await new Promise((done) => setTimeout(done, gap));
  }
  res.end();
}

// A mock publisher's API: /publisher/PATH?page=N sends tests/fixtures/publisher/PATH.N.json (N
// is 1 when not given; a PATH ending .html is sent as it is), with {{ORIGIN}} in it made this
// server's address, so the pages' links lead back here. `cors` false leaves out the header that
// lets other sites read it, as a publisher that does not allow them does.
async function publisher(req, res, rel, url, cors) {
  const page = url.searchParams.get('page') ?? '1';
  const base = join(fixtures, 'publisher');
  const path = normalize(join(base, rel.endsWith('.html') ? rel : `${rel}.${page}.json`));
  if (!/^\d+$/.test(page) || !path.startsWith(base)) return notFound(res);
  let body;
  try {
    body = (await readFile(path, 'utf8')).replaceAll('{{ORIGIN}}', `http://${req.headers.host}`);
  } catch {
    return notFound(res);
  }
  const headers = { 'content-type': TYPES[extname(path)], 'cache-control': 'no-store' };
  if (cors) headers['access-control-allow-origin'] = '*';
  res.writeHead(200, headers);
  res.end(body);
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = decodeURIComponent(url.pathname);
  if (path.startsWith('/geocode/')) return geocode(res, path, url);
  if (path.startsWith('/tiles/')) {
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' });
    return res.end(TILE);
  }
  if (path.startsWith('/fixtures/')) return sendFile(req, res, fixtures, path.slice('/fixtures/'.length));
  if (path.startsWith('/trickle/')) return trickle(res, path.slice('/trickle/'.length), url);
  if (path.startsWith('/publisher/')) return publisher(req, res, path.slice('/publisher/'.length), url, true);
  if (path.startsWith('/nocors/publisher/')) return publisher(req, res, path.slice('/nocors/publisher/'.length), url, false);
  // The same build again under a deeper path, as a host might publish it.
  if (path.startsWith('/sub/dir/')) return sendFile(req, res, root, path.slice('/sub/dir/'.length));
  if (bench && path.startsWith('/bench/')) return sendFile(req, res, bench, path.slice('/bench/'.length));
  return sendFile(req, res, root, path.slice(1));
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} on http://127.0.0.1:${port}/`));
