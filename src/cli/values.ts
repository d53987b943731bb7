import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TabTuneError } from '../core/errors';

/*
 * How the command line's values are read: each rule once, each refusal naming the flag and what it takes.
 */

/**
 * node:util parseArgs, with its complaints (unknown flag, missing value) turned into usage errors. A value that
 * is a negative number (`--lr -0.001`) is taken as the flag's value, as a person means it, so that the flag's own
 * rule answers it ("--lr must be between 0 and 1") rather than the parser's ("argument is ambiguous").
 */
export function parseFlags<T extends ParseArgsConfig>(config: T) {
  const args = (config.args ?? []).map((a, i, all) =>
    /^-\.?\d/.test(a) && /^--[^=]+$/.test(all[i - 1] ?? '') ? `=${a}` : a,
  );
  const joined = args.reduce<string[]>(
    (out, a) => (a.startsWith('=') ? [...out.slice(0, -1), `${out.at(-1)!}${a}`] : [...out, a]),
    [],
  );
  try {
    return parseArgs({ ...config, args: joined, strict: true, allowPositionals: false });
  } catch (e) {
    throw new TabTuneError('usage', `${(e as Error).message}. Run "npm run cli -- help" for usage.`);
  }
}

export function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '')
    throw new TabTuneError('usage', `${flag} is required. Run "npm run cli -- help" for usage.`);
  return v;
}

export function positiveInt(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new TabTuneError('usage', `${flag} must be a positive whole number, got "${v}".`);
  return n;
}

export function wholeNumber(v: string | undefined, fallback: number, flag: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new TabTuneError('usage', `${flag} must be a whole number ≥ 0, got "${v}".`);
  return n;
}

/** "1-5" or "0-10": the rating scale, when the data do not span it. */
export function ratingScale(v: string): { min: number; max: number } {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
  if (!m || !(Number(m[2]) > Number(m[1])))
    throw new TabTuneError('usage', `--scale must look like 1-5 (min-max), got "${v}".`);
  return { min: Number(m[1]), max: Number(m[2]) };
}

export function number(v: string | undefined, fallback: number, flag: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new TabTuneError('usage', `${flag} must be a number, got "${v}".`);
  return n;
}
