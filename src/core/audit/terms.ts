import type { ClassicalModel } from '../baseline/classical';
import { transformTfidf } from '../baseline/tfidf';

/** How many terms the audit names per row. */
export const AUDIT_TERMS = 4;

const termsOf = new WeakMap<ClassicalModel, string[]>();

/**
 * The terms of a text that pushed the linear model's output `output` in direction `sign` the most (its TF-IDF
 * value × its weight), strongest first: the words behind a classical prediction, as the linear model itself weighs
 * them (exact, unlike a gradient's approximation).
 */
export function drivingTerms(
  model: ClassicalModel,
  text: string,
  towards: { output: number; sign: 1 | -1 },
  count = AUDIT_TERMS,
): string[] {
  const x = transformTfidf(model.tfidf, [text]);
  const { k, weights } = model.linear;
  const pushes: { term: number; push: number }[] = [];
  for (let p = x.indptr[0]!; p < x.indptr[1]!; p++) {
    const c = x.indices[p]!;
    const push = towards.sign * x.values[p]! * weights[c * k + towards.output]!;
    if (push > 0) pushes.push({ term: c, push });
  }
  pushes.sort((a, b) => b.push - a.push);
  const names = termNames(model);
  // A pair adds nothing beside its own words, nor a word beside a pair that holds it: each word is named once.
  const said = new Set<string>();
  const out: string[] = [];
  for (const p of pushes) {
    const term = names[p.term]!;
    const words = term.split(' ');
    if (words.some((w) => said.has(w))) continue;
    words.forEach((w) => said.add(w));
    out.push(term);
    if (out.length === count) break;
  }
  return out;
}

function termNames(model: ClassicalModel): string[] {
  let names = termsOf.get(model);
  if (!names) {
    names = new Array<string>(model.tfidf.idf.length);
    for (const [term, column] of model.tfidf.vocabulary) names[column] = term;
    termsOf.set(model, names);
  }
  return names;
}
