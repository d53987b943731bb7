import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * No import circles in the source, type-only imports included: lint's import-x/no-cycle sees value imports only,
 * and a circle of types is still two files that cannot be read one after the other.
 */

const SRC = resolve(__dirname);

function sourceFiles(dir: string, tests = false): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, tests);
    return /\.tsx?$/.test(name) && (tests || !/\.test\.tsx?$/.test(name)) ? [path] : [];
  });
}

/**
 * The source files `file` imports or re-exports from, relative paths only — and the Worker scripts it starts
 * (`new Worker(new URL('./x.worker.ts', import.meta.url))`): the bundler follows that edge as it does an import.
 */
export function importsOf(file: string, text: string): string[] {
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]/gms)].map((m) => m[1]!),
    ...[...text.matchAll(/new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]!),
  ];
  return specs
    .map((spec) => {
      const base = resolve(dirname(file), spec);
      return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find(
        (p) => existsSync(p) && statSync(p).isFile(),
      );
    })
    .filter((p): p is string => p !== undefined && /\.tsx?$/.test(p));
}

/** Strongly connected components of more than one file (Tarjan), each as sorted relative paths. */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const at = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    at.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!at.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, at.get(w)!));
    }
    if (low.get(v) === at.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.map((p) => relative(SRC, p)).sort());
    }
  };
  for (const v of graph.keys()) if (!at.has(v)) visit(v);
  return found;
}

describe('the source has no import circles', () => {
  it('finds a circle where there is one (type imports count)', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    const c = join(SRC, 'c.ts');
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importsOf(join(SRC, 'x.ts'), "import type { T } from './imports.test';\n")).toEqual([
      join(SRC, 'imports.test.ts'),
    ]);
    expect(
      importsOf(
        join(SRC, 'ui', 'x.ts'),
        "const w = new Worker(new URL('../lab/lab.worker.ts', import.meta.url), { type: 'module' });",
      ),
    ).toEqual([join(SRC, 'lab', 'lab.worker.ts')]);
  });

  it('in src/, tests aside', () => {
    const files = sourceFiles(SRC);
    const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(f, 'utf8'))]));
    expect(graph.size).toBeGreaterThan(100);
    expect(circles(graph)).toEqual([]);
  });
});

describe('the lab stays out of the studio', () => {
  it('src/ui, src/worker, src/shared and src/core (their tests too) import nothing from src/lab, Workers included', () => {
    const lab = join(SRC, 'lab');
    const edges = ['ui', 'worker', 'shared', 'core'].flatMap((dir) =>
      sourceFiles(join(SRC, dir), true).flatMap((f) =>
        importsOf(f, readFileSync(f, 'utf8'))
          .filter((to) => to.startsWith(lab))
          .map((to) => `${relative(SRC, f)} → ${relative(SRC, to)}`),
      ),
    );
    expect(edges).toEqual([]);
  });
});
