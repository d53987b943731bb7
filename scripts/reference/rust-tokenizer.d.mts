/** Types for rust-tokenizer.mjs (the reference scripts' Hugging Face Rust tokenizer). */
export interface RustEncoding {
  getIds(): number[];
  getTypeIds(): number[];
}
export interface RustTokenizer {
  encode(text: string, pair?: string | null): Promise<RustEncoding>;
}
export declare const hf: unknown;
export declare function rustBertTokenizer(
  vocabPath: string,
  options?: { do_lower_case?: boolean; strip_accents?: boolean | null; tokenize_chinese_chars?: boolean },
  maxLength?: number | null,
): Promise<RustTokenizer>;
