// Splits the app's wasm into the main module and the parts it loads only when needed
// (functions marked `#[wasm_split(...)]` in src/app/: the embed builder, the feed
// readers of other shapes, ...), and puts them in place of the single wasm Trunk built.
//
//   node tests/tools/split-wasm.mjs [DIR]
//
// Trunk runs it after each build (Trunk.toml, post_build hook) on its staging folder,
// before stamp-sw.mjs. Trunk 0.21 cannot split itself: it runs wasm-bindgen straight
// after cargo, on the whole wasm. So this starts again from cargo's linked wasm (kept
// with its relocations by build.rs) and does what Trunk did after cargo, with the split:
//   1. crates/wasm-split (built by tests/tools/run.sh) writes the main module, one
//      `split_*.wasm` per part and the loader `__wasm_split.js` that fetches them;
//   2. wasm-bindgen makes the JS glue from the main module, keeping the linker's
//      exports the parts link against;
//   3. release builds only: wasm-opt on every module (index.html turns Trunk's own
//      wasm-opt off, as its output would be replaced here anyway);
//   4. release builds only: the JS the page loads before its first pins (the glue, the
//      loader, early-map.js, early-feed.js) and the widget's script are minified with
//      esbuild (Trunk's own minifier ran before the glue was made again here);
//   5. the page's integrity hashes of the glue and the main module are updated, and the
//      loader gets a modulepreload beside the glue's: the glue imports it, and without
//      one it would only be asked for once the glue had arrived (a round trip more
//      before the app can start: over half a second on a slow 4G connection).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transform } from 'esbuild';

const NAME = 'activity-map';
// The wasm features every browser we support has (README, Browsers); the same as the
// wasm-bindgen output needs.
const WASM_OPT = [
  '-Oz',
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
];
// AM_WASM_NAMES=1 keeps the functions' names, so a profile says where the time goes
// (a build for measuring, not for hosting: the names weigh as much as the code).
if (process.env.AM_WASM_NAMES) WASM_OPT.push('-g');

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: split-wasm.mjs DIR (or run as a Trunk hook)');
const profile = process.env.TRUNK_PROFILE ?? 'release';
const target = process.env.CARGO_TARGET_DIR ?? 'target';
const linked = join(target, 'wasm32-unknown-unknown', profile, `${NAME}.wasm`);
const tool = join(target, 'release', 'wasm-split-step');
if (!existsSync(tool)) {
  throw new Error(`${tool} is missing: build it with \`cargo build --release -p wasm-split-step\``);
}

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] }).toString();

const work = await mkdtemp(join(tmpdir(), 'am-split-'));
try {
  const main = join(work, 'main.wasm');
  const parts = run(tool, [linked, dir, main, `${NAME}.js`]).split('\n').filter(Boolean);
  run('wasm-bindgen', [
    '--target=web',
    '--keep-lld-exports',
    '--no-demangle',
    '--no-typescript',
    `--out-dir=${work}`,
    `--out-name=${NAME}`,
    main,
  ]);
  await copyFile(join(work, `${NAME}.js`), join(dir, `${NAME}.js`));
  const mainOut = join(dir, `${NAME}_bg.wasm`);
  if (profile === 'release') {
    run('wasm-opt', [...WASM_OPT, join(work, `${NAME}_bg.wasm`), '-o', mainOut]);
    for (const part of parts) run('wasm-opt', [...WASM_OPT, part, '-o', part]);
  } else {
    await copyFile(join(work, `${NAME}_bg.wasm`), mainOut);
  }
  await preloadLoader(join(dir, 'index.html'));
  await finderFiles(join(dir, '__wasm_split.js'), join(dir, 'widget.js'));
  if (profile === 'release') {
    for (const f of [`${NAME}.js`, '__wasm_split.js', 'early-map.js', 'early-feed.js', 'widget.js']) await minify(join(dir, f));
  }
  await updateIntegrity(join(dir, 'index.html'), [`${NAME}.js`, `${NAME}_bg.wasm`, '__wasm_split.js']);
  const names = (await readdir(dir)).filter((f) => f.startsWith('split_') || f.startsWith('chunk_') || f === '__wasm_split.js');
  console.log(`wasm split: ${NAME}_bg.wasm and ${names.sort().join(', ')}`);
} finally {
  await rm(work, { recursive: true, force: true });
}

// Minify a script in place: the glue's 82 KB (13.5 KB gzip) becomes 37 KB (10.5 KB gzip).
// Its kind (module or classic script) is kept as it is, and so are its top-level names.
async function minify(path) {
  const { code } = await transform(await readFile(path, 'utf8'), { minify: true, legalComments: 'none' });
  await writeFile(path, code);
}

// The files the finder's part is loaded from (its own and the chunks it needs), as the
// loader names them, written into widget.js: an element asks for them together with the
// main module (the page's own first view does not: see src/app/first_view.rs).
async function finderFiles(loaderPath, widgetPath) {
  const loader = await readFile(loaderPath, 'utf8');
  const entry = loader.match(/__wasm_split_load_finder = wrapAsyncCb\(makeLoad\(\(\) => \{[^}]*?"\.\/(split_finder\.wasm)"[\s\S]*?\n\}\n, \[([^\]]*)\]/);
  if (!entry) throw new Error(`${loaderPath}: no loader for the finder's part`);
  const chunks = entry[2].split(',').map((d) => d.trim()).filter(Boolean).map((d) => {
    const m = /^__chunk_(\d+)$/.exec(d);
    if (!m) throw new Error(`${loaderPath}: the finder needs ${d}, not a chunk`);
    return `chunk_${m[1]}.wasm`;
  });
  const files = [entry[1], ...chunks];
  for (const f of files) if (!existsSync(join(dir, f))) throw new Error(`${f}, which the finder needs, is missing`);
  const widget = await readFile(widgetPath, 'utf8');
  const line = /^const FINDER = .*; \/\/ the finder's files$/m;
  if (!line.test(widget)) throw new Error(`${widgetPath} has no "const FINDER = …; // the finder's files" line`);
  await writeFile(widgetPath, widget.replace(line, `const FINDER = ${JSON.stringify(files)}; // the finder's files`));
}

// A modulepreload for `__wasm_split.js` right after the glue's (its integrity filled in
// below, like the others').
async function preloadLoader(page) {
  const html = await readFile(page, 'utf8');
  if (html.includes('__wasm_split.js')) return;
  const glue = new RegExp(`<link[^>]*href="?[.]/${NAME}[.]js"?[^>]*rel="?modulepreload"?[^>]*>`);
  const found = html.match(glue);
  if (!found) throw new Error(`${page}: no modulepreload for ${NAME}.js to put the loader's beside`);
  const link = '<link rel="modulepreload" href="./__wasm_split.js" crossorigin="anonymous" integrity="sha384-">';
  await writeFile(page, html.replace(found[0], `${found[0]}${link}`));
}

// Trunk wrote sha384 hashes of the files it made into the page (modulepreload, preload).
async function updateIntegrity(page, files) {
  let html = await readFile(page, 'utf8');
  for (const file of files) {
    const hash = createHash('sha384').update(await readFile(join(dir, file))).digest('base64');
    const name = file.replace(/[.]/g, '[.]');
    const attr = new RegExp(`(href="?[.]/${name}"?[^>]*? integrity="?)sha384-[A-Za-z0-9+/=]*`, 'g');
    if (!attr.test(html)) throw new Error(`${page}: no integrity hash for ${file} to update`);
    html = html.replace(attr, `$1sha384-${hash}`);
  }
  await writeFile(page, html);
}
