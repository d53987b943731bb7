// The tokenizer parity corpus: edge cases a real review table contains. Shared by the golden-vector
// generator (run against Hugging Face's Rust tokenizers) and documented in test-fixtures/tokenizer/README.md.
const longWord = 'a'.repeat(101);
const word100 = 'b'.repeat(100);
const review =
  'I ordered this dress in a size 6 and it fit perfectly! The fabric is soft, the color is exactly as pictured, ' +
  'and the length hits just below the knee. Would definitely recommend to anyone looking for a summer dress.';
export const texts = [
  'Hello, world!',
  'The quick brown fox jumps over the lazy dog.',
  review,
  'Café crème brûlée, naïve résumé, façade, Ångström, Øre, Straße, İstanbul',
  'ÉCOLE ÉLÉMENTAIRE À PARIS',
  '日本語のテキストと中文字符混合 text 한국어도 있어요',
  '我很喜欢这件衣服！质量很好。',
  'Love it 😍😍😍 👍🏽 🇺🇸 family: 👨‍👩‍👧‍👦',
  'control\u0000chars\u0001here\u0007and\u001ftab\tnew\nline\r\nend',
  'zero\u200bwidth\u200cjoin\u200dnon\ufeffbom\u2060wj',
  'soft\u00adhyphen and \ufffd replacement and \u2028line\u2029para',
  'nbsp\u00a0space\u3000ideographic\u2003em\u0085nel\u000bvt\u000cff',
  longWord,
  word100,
  `${word100}s and ${longWord}!`,
  'Wait...what?!?! $$$ 100%%% --- ((())) [[[]]] "quoted" \'single\' `back`',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '¡¿Qué?! «guillemets» „low“ — em–en ‐ … · • § ¶ † ‡',
  '',
  '   ',
  '\t\n\r ',
  '[CLS] not really [SEP] special [MASK] tokens [PAD] [UNK] [unk]',
  'e-mail: someone@example.com, url: https://shop.example/item?id=42&x=y',
  'Size 0/2 fits 5\'4" 120lbs; 34B. 3/4 sleeves. XS-S-M-L-XL',
  'Mixed CaSe WoRdS and UPPERCASE',
  'ﬁne ligature ﬀ and fullwidth ＡＢＣ１２３ and superscript ² ³',
  'Ελληνικά κείμενα και Русский текст и עברית וערבית العربية',
  'हिन्दी पाठ และภาษาไทย',
  'combining: e\u0301 a\u0300 o\u0308 n\u0303 and precomposed é à ö ñ',
  'unbelievable unaffordable antidisestablishmentarianism pneumonoultramicroscopic',
  '1234567890 3.14159 1,000,000 -42 +7 1e10',
  Array.from({ length: 60 }, () => review).join(' '),
  '&amp; &lt;b&gt; &quot;html entities&quot; &#39; â€™ mojibake Ã©',
];

export const pairs = [
  ['Great fit, true to size.', 'Customer: 35 year old, usually wears M'],
  [review, 'short'],
  ['short', review],
  [review, review],
  ['', ''],
  ['Only first', ''],
  ['', 'Only second'],
  ['日本語', 'Café'],
  [Array.from({ length: 20 }, () => review).join(' '), Array.from({ length: 10 }, () => review).join(' ')],
];

export const maxLengths = [null, 4, 5, 8, 16, 33, 64, 128, 512];

export const configs = [
  { name: 'uncased', tokenizerConfig: { do_lower_case: true } },
  { name: 'cased', tokenizerConfig: { do_lower_case: false } },
  { name: 'uncased-keep-accents', tokenizerConfig: { do_lower_case: true, strip_accents: false } },
  {
    name: 'cased-strip-accents',
    tokenizerConfig: { do_lower_case: false, strip_accents: true, tokenize_chinese_chars: false },
  },
];
