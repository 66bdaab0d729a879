// Summarises a V8 .cpuprofile (node --cpu-prof): self time by area (dynamorm's lib/, the
// SDK, GC, ...), the hottest functions by self time, dynamorm's self time by lib/ file, and
// the inclusive time of lib/ functions. Times are µs per call when given the number of
// calls made. Frames of the bundled build (bench/.build, dist/) are named by their lib/
// source file and line, through the bundle's source map.
//
//   npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> [calls] [top] [--under <url part>]
//
// bench/profile.ts writes a profile of one arm's calls alone (start-up and warm-up left out).
//
// --under keeps only the samples with a frame whose URL contains the text on the stack,
// e.g. `--under .build/index.js` for the time spent importing dynamorm.

import fs from 'node:fs';
import { SourceMap, type SourceMapping, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)' || name === '(idle)' || name === '(root)') return name;
  if (/[\\/](lib|\.build|dist)[\\/]/.test(url) && !url.includes('node_modules')) return 'dynamorm lib/';
  if (/[\\/]bench[\\/]/.test(url)) return 'bench/';
  if (/@smithy|@aws-sdk|@aws-crypto/.test(url)) return 'AWS SDK';
  if (/class-validator|validator[\\/]/.test(url)) return 'class-validator';
  if (url.includes('node_modules')) return 'other node_modules';
  if (url.startsWith('node:') || url === '') return 'node internals / native';
  return 'other';
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const lib = url.search(/[\\/](lib|bench|dist)[\\/]/);
  return lib >= 0 ? url.slice(lib + 1) : url;
}

// Source maps of bundles, by file (null: none).
const maps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  let map = maps.get(url);
  if (map === undefined) {
    map = null;
    try {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (/[\\/](\.build|dist)[\\/]/.test(file) && fs.existsSync(`${file}.map`))
        map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload);
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return map;
}

/** `url:line` of a frame; in a bundle, the lib/ source file and line the frame's function starts at. */
function location(frame: ProfileNode['callFrame']): string {
  const map = frame.url ? sourceMapOf(frame.url) : null;
  const entry: Partial<SourceMapping> | undefined = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry?.originalSource) {
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    const lib = source.search(/[\\/]lib[\\/]/);
    return `${lib >= 0 ? source.slice(lib + 1) : path.basename(source)}:${(entry.originalLine ?? 0) + 1}`;
  }
  return `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const underAt = args.indexOf('--under');
  const under = underAt >= 0 ? args.splice(underAt, 2)[1] : undefined;
  const [file, callsArg, topArg] = args;
  if (!file) throw new Error('usage: tsx bench/cpuprofile-summary.ts <file.cpuprofile> [calls] [top]');
  const calls = Number(callsArg ?? 1) || 1;
  const top = Number(topArg ?? 25) || 25;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const isUnder = (id: number): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (byId.get(cur)!.callFrame.url.includes(under!)) return true;
    return false;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time since the previous sample: charge it to this one.
    if (under === undefined || isUnder(id)) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byFile = new Map<string, number>();
  const ownLabels = new Set<string>();
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${location(n.callFrame)}`;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const a = area(n.callFrame.url, n.callFrame.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    byFunction.set(label(n), (byFunction.get(label(n)) ?? 0) + us);
    if (a === 'dynamorm lib/') {
      ownLabels.add(label(n));
      const file = location(n.callFrame).replace(/:\d+$/, '');
      byFile.set(file, (byFile.get(file) ?? 0) + us);
    }
    // Inclusive time of every lib/ function on the stack (each counted once per sample).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!;
      if (area(frame.callFrame.url, frame.callFrame.functionName) !== 'dynamorm lib/') continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const per = (us: number) => (us / calls).toFixed(2);
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms over ${calls} calls = ${per(total)} µs/call\n`);
  console.log('self time by area (µs/call):');
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1])) console.log(`  ${per(us).padStart(9)}  ${a}`);
  console.log(`\ntop ${top} functions by self time (µs/call):`);
  for (const [f, us] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${per(us).padStart(9)}  ${f}`);
  console.log(`\ndynamorm's functions by self time (µs/call):`);
  const own = [...byFunction].filter(([f]) => ownLabels.has(f));
  for (const [f, us] of own.sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${per(us).padStart(9)}  ${f}`);
  console.log(`\ndynamorm's self time by file (µs/call):`);
  for (const [f, us] of [...byFile].sort((x, y) => y[1] - x[1])) console.log(`  ${per(us).padStart(9)}  ${f}`);
  console.log(`\nlib/ functions by inclusive time (µs/call):`);
  for (const [f, us] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${per(us).padStart(9)}  ${f}`);
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error; // piped into head: fine
});
main();
