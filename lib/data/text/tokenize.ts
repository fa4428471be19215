/**
 * Tokenizer for the text sets: lower-cased (after Unicode NFC), a token is a run of letters,
 * digits and combining marks (apostrophes inside a word kept: "don't"), and every other
 * non-space character is a token of its own ("," "." "(" "'"). The SST/MR/Subj files are
 * already tokenized this way up to contractions ("it 's" → "it", "'", "s").
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;
// The same rule restricted to ASCII, without the (slower) Unicode mode: most texts are ASCII.
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_TOKEN = /[a-z0-9]+(?:'[a-z0-9]+)*|[^\sa-z0-9]/g;

export function tokenize(text: string): string[] {
  if (ASCII.test(text)) return text.toLowerCase().match(ASCII_TOKEN) ?? [];
  return text.normalize("NFC").toLowerCase().match(TOKEN) ?? [];
}

/** A tokenize that remembers its results: one load tokenizes each text once. */
export function memoTokenize(): (text: string) => string[] {
  const memo = new Map<string, string[]>();
  return (text) => {
    let tokens = memo.get(text);
    if (!tokens) {
      tokens = tokenize(text);
      memo.set(text, tokens);
    }
    return tokens;
  };
}
