import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The layout's rules, checked on the source itself (docs/architecture.md draws the layers).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'web'];
/** The bottom of src/: they import nothing of the domain, only each other. */
const BOTTOM = new Set([
  'src/config.ts',
  'src/config-env.ts',
  'src/config-lines.ts',
  'src/config-templates.ts',
  'src/config-events.ts',
  'src/errors.ts',
  'src/phone-number.ts',
  'src/protocol',
]);
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.contract.ts')
      ? [relative]
      : [];
  });
}

/** Relative imports of a file, as repository paths ending in .ts. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((match) =>
    path.posix.join(path.posix.dirname(file), (match[1] as string).replace(/\.js$/, '.ts')),
  );
}

/** A node of the layer graph: a folder, or a file at the top of src/ (app.ts and errors.ts are not one layer). */
function unitOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === 'src' ? file : dir;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('the source layout', () => {
  const files = SOURCE_DIRS.flatMap(sourceFiles);

  it('has no import circle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const file of files) {
      const from = unitOf(file);
      for (const target of importsOf(file)) {
        const to = unitOf(target);
        if (to === from) continue;
        graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
    assert.equal(findCycle(graph)?.join(' → '), undefined);
  });

  it('keeps config, errors, phone numbers and the protocol at the bottom: they import nothing above them', () => {
    const isBottom = (file: string) => BOTTOM.has(file) || BOTTOM.has(path.posix.dirname(file));
    const upward = files.filter(isBottom).flatMap((file) =>
      importsOf(file)
        .filter((target) => !isBottom(target))
        .map((t) => `${file} → ${t}`),
    );
    assert.deepEqual(upward, []);
  });

  it('lets the page import only the protocol and the error catalogue from the server', () => {
    const reaches = files
      .filter((file) => file.startsWith('web/'))
      .flatMap((file) => importsOf(file).map((target) => `${file} → ${target}`))
      .filter((edge) => edge.includes('→ src/') && !/→ src\/(protocol\/|errors\.ts$)/.test(edge));
    assert.deepEqual(reaches, []);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files.filter(
      (file) => readFileSync(path.join(root, file), 'utf8').split('\n').length > MAX_LINES + 1,
    );
    assert.deepEqual(long, []);
  });

  it('has no two source files with the same name', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const file of files) {
      const name = path.posix.basename(file);
      const first = seen.get(name);
      if (first !== undefined) twice.push(`${first} and ${file}`);
      seen.set(name, file);
    }
    assert.deepEqual(twice, []);
  });
});
