import { seededRandom } from './split';

/**
 * A synthetic review table with a learnable signal, so the studio and the tests can train without
 * anyone's data: each review mixes sentiment phrases whose balance follows its 1–5 rating, plus
 * neutral filler, typos of case and punctuation, and a customer text as the optional second segment.
 */
const POSITIVE = [
  'love it',
  'fits perfectly',
  'great quality',
  'so comfortable',
  'beautiful color',
  'highly recommend',
  'true to size',
  'soft fabric',
  'looks amazing',
  'worth every penny',
];
const NEGATIVE = [
  'poor quality',
  'runs small',
  'fell apart',
  'very disappointed',
  'cheap material',
  'returned it',
  'itchy fabric',
  'does not fit',
  'color faded',
  'waste of money',
];
const NEUTRAL = [
  'ordered a medium',
  'arrived on tuesday',
  'wore it to work',
  'the sleeves are long',
  'machine washed it',
  'bought it for a trip',
  'the pockets are deep',
  'it has buttons',
];
const ITEMS = ['dress', 'sweater', 'jeans', 'blouse', 'jacket', 'skirt', 'top', 'coat'];
const CUSTOMERS = ['petite, 30s', 'tall, 40s', 'usually wears M', 'curvy, 50s', 'athletic, 20s'];

export interface SampleRow {
  review: string;
  item: string;
  customer: string;
  rating: number;
}

export function sampleReviews(n: number, seed = 7): SampleRow[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const rows: SampleRow[] = [];
  for (let i = 0; i < n; i++) {
    const rating = 1 + Math.floor(random() * 5);
    const pPositive = (rating - 1) / 4; // 0 … 1
    const phrases: string[] = [];
    const count = 3 + Math.floor(random() * 3);
    for (let k = 0; k < count; k++) {
      // 10% label noise keeps the task from being trivial.
      const positive = random() < 0.1 ? random() < 0.5 : random() < pPositive;
      phrases.push(pick(positive ? POSITIVE : NEGATIVE));
      if (random() < 0.5) phrases.push(pick(NEUTRAL));
    }
    const item = pick(ITEMS);
    let review = `This ${item}: ${phrases.join(', ')}.`;
    if (random() < 0.2) review = review.toUpperCase();
    if (random() < 0.2) review = review.replace(/\.$/, '!!');
    rows.push({ review, item, customer: pick(CUSTOMERS), rating });
  }
  return rows;
}

/** The same rows as CSV text with a header (review, item, customer, rating). */
export function sampleCsv(n: number, seed = 7): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['review,item,customer,rating'];
  for (const r of sampleReviews(n, seed))
    lines.push([q(r.review), q(r.item), q(r.customer), String(r.rating)].join(','));
  return `${lines.join('\n')}\n`;
}
