// Stamps a built site's service worker (sw.js) with the build it keeps for offline use:
// every file of the app's shell with its SHA-256 (checked when the worker downloads it),
// and a version made from them all and the worker's own code. Any change to the build
// thus changes sw.js, which is how browsers find a new version (see assets/sw.js).
//
//   node tests/tools/stamp-sw.mjs [DIR]
//
// Trunk runs it after each build (Trunk.toml, post_build hook) on its staging folder,
// for release builds only: unstamped, the worker keeps nothing, so `trunk serve` shows
// each edit on the next reload. With DIR it stamps that built site (the offline test
// stamps a changed copy of dist/ this way). Stamping again replaces the earlier stamp.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: stamp-sw.mjs DIR (or run as a Trunk hook)');
if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') {
  console.log('sw.js left unstamped: not a release build');
  process.exit(0);
}

// Not part of the shell: the worker itself, the partner pages' widget script, and feeds
// (the app keeps the last good copy of each feed itself, with its date).
const outside = (path) => path === 'sw.js' || path === 'widget.js' || path.endsWith('.json');
// The page is not hash-checked: some hosts add a line to HTML pages as they serve them.
const checked = (path) => !path.endsWith('.html');

const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
  .filter((e) => e.isFile())
  .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
  .filter((path) => !outside(path))
  .sort();

const swPath = join(dir, 'sw.js');
const STAMP = /^const BUILD = .*;(?= \/\/ stamped)/m;
const code = await readFile(swPath, 'utf8');
if (!STAMP.test(code)) throw new Error(`${swPath} has no "const BUILD = …; // stamped" line`);

const version = createHash('sha256').update(code.replace(STAMP, ''));
const shell = {};
for (const path of files) {
  const body = await readFile(join(dir, path));
  version.update(`${path}\n`).update(body);
  shell[path] = checked(path) ? `sha256-${createHash('sha256').update(body).digest('base64')}` : null;
}
const build = { version: version.digest('hex').slice(0, 16), files: shell };
await writeFile(swPath, code.replace(STAMP, `const BUILD = ${JSON.stringify(build)};`));
console.log(`sw.js stamped: build ${build.version}, ${files.length} files`);
