// Prints one closing line for the whole run: "tests: N passed, M failed".
import { readFileSync, existsSync } from 'node:fs';

const [cargoLog, pwJson] = process.argv.slice(2);
let passed = 0;
let failed = 0;
if (existsSync(cargoLog)) {
  for (const m of readFileSync(cargoLog, 'utf8').matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
}
if (existsSync(pwJson)) {
  const stats = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
  passed += stats.expected ?? 0;
  failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
} else {
  failed += 1;
  console.log('no browser test results were written');
}
console.log(`tests: ${passed} passed, ${failed} failed`);
