import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { textFeatures } from "../../lib/data/text/features.ts";
import { padSequences } from "../../lib/data/text/sequences.ts";
import { fitTfidf, transformTfidf } from "../../lib/data/text/tfidf.ts";
import { memoTokenize, tokenize } from "../../lib/data/text/tokenize.ts";
import { buildVocabulary, encodeTokens } from "../../lib/data/text/vocabulary.ts";

describe("tokenizer", () => {
  it("lower-cases; words (inner apostrophes kept) and each punctuation mark are tokens", () => {
    expect(tokenize("Don't PANIC, it's 42!")).toEqual(["don't", "panic", ",", "it's", "42", "!"]);
    expect(tokenize("it 's a re-imagining ...")).toEqual(["it", "'", "s", "a", "re", "-", "imagining", ".", ".", "."]);
    expect(tokenize("  \t\n ")).toEqual([]);
  });

  it("treats non-ASCII letters as letters, normalising composed and decomposed forms", () => {
    // "crème" written with é as one code point and as e + combining accent: the same token.
    expect(tokenize("Crème brûlée")).toEqual(["crème", "brûlée"]);
    expect(tokenize("cre\u0300me")).toEqual(tokenize("cr\u00e8me"));
    expect(tokenize("Ölçü: 3µm")).toEqual(["ölçü", ":", "3µm"]);
  });

  it("the ASCII fast path agrees with the Unicode rule (property test)", () => {
    const random = createRandom(3, "tokenize");
    const pieces = ["a", "B", "z", "0", "9", "'", " ", ",", ".", "-", "_", "\t", "é", "’", "("];
    for (let trial = 0; trial < 200; trial++) {
      const text = Array.from({ length: 1 + random.int(20) }, () => pieces[random.int(pieces.length)]).join("");
      // Appending "é" forces the Unicode path; the token lists must agree apart from that suffix.
      const unicode = tokenize(`${text} é`);
      expect(unicode.slice(0, -1)).toEqual(tokenize(text));
      expect(memoTokenize()(text)).toEqual(tokenize(text));
    }
  });
});

describe("vocabulary", () => {
  const docs = [["b", "a", "c", "a"], ["c", "b", "d"], ["e"]];

  it("orders by count, ties in code-point order, after padding and OOV", () => {
    // counts: a 2, b 2, c 2, d 1, e 1 → a, b, c (ties by token), then d, e.
    const v = buildVocabulary(docs);
    expect(v.tokens).toEqual(["<pad>", "<unk>", "a", "b", "c", "d", "e"]);
    expect(Array.from(v.counts)).toEqual([0, 0, 2, 2, 2, 1, 1]);
    expect(Array.from(encodeTokens(v, ["c", "zz", "a"]))).toEqual([4, 1, 2]);
  });

  it("applies min frequency and max size (the two reserved ids count towards it)", () => {
    expect(buildVocabulary(docs, { minFrequency: 2 }).tokens).toEqual(["<pad>", "<unk>", "a", "b", "c"]);
    expect(buildVocabulary(docs, { maxSize: 4 }).tokens).toEqual(["<pad>", "<unk>", "a", "b"]);
    expect(() => buildVocabulary(docs, { maxSize: 2 })).toThrow("maxSize must be an integer ≥ 3");
    expect(() => buildVocabulary(docs, { minFrequency: 0 })).toThrow("minFrequency must be an integer ≥ 1");
  });

  it("does not depend on document order (property test)", () => {
    const random = createRandom(5, "vocabulary");
    for (let trial = 0; trial < 30; trial++) {
      const words = ["x", "y", "z", "w", "v"];
      const list = Array.from({ length: 1 + random.int(8) }, () => Array.from({ length: random.int(6) }, () => words[random.int(5)]!));
      const shuffled = [...list].reverse();
      expect(buildVocabulary(shuffled, { maxSize: 5 }).tokens).toEqual(buildVocabulary(list, { maxSize: 5 }).tokens);
    }
  });
});

describe("padding and truncation", () => {
  it("keeps the first maxLength ids and pads with 0 at the end", () => {
    const m = padSequences([[5, 6, 7, 8], [9], []], 3);
    expect([m.n, m.c]).toEqual([3, 3]);
    expect(Array.from(m.data)).toEqual([5, 6, 7, 9, 0, 0, 0, 0, 0]);
    expect(() => padSequences([[1]], 0)).toThrow("maxLength must be an integer ≥ 1");
  });
});

describe("TF-IDF", () => {
  it("matches a hand computation: tf · (ln((1+N)/(1+df)) + 1), rows scaled to unit length", () => {
    // Vocabulary of "a b a" / "b c": pad 0, unk 1, a 2, b 3, c 4. Pool N = 2 documents.
    // df: a 1, b 2, c 1 → idf a = c = ln(3/2) + 1 = 1.405465, idf b = ln(3/3) + 1 = 1.
    // doc 1: a 2 · 1.405465 = 2.810930, b 1 → norm √(7.901329 + 1) = 2.983509 → 0.942156, 0.335176.
    // doc 2: b 1, c 1.405465 → norm √(1 + 1.975332) = 1.724915 → 0.579739, 0.814802.
    const model = fitTfidf([[2, 3, 2], [3, 4]], { vocabularySize: 5 });
    expect(Array.from(model.idf).map((v) => +v.toFixed(6))).toEqual([1.405465, 1, 1.405465]);
    const m = transformTfidf(model, [[2, 3, 2], [3, 4], [1, 0], [4, 4, 1]]);
    expect([m.n, m.c]).toEqual([4, 3]);
    const row = (r: number) => Array.from(m.data.subarray(r * 3, r * 3 + 3)).map((v) => +v.toFixed(6));
    expect(row(0)).toEqual([0.942156, 0.335176, 0]);
    expect(row(1)).toEqual([0, 0.579739, 0.814802]);
    // Only padding / OOV: an all-zero row; OOV ignored otherwise.
    expect(row(2)).toEqual([0, 0, 0]);
    expect(row(3)).toEqual([0, 0, 1]);
  });

  it("limits the columns to the most frequent ids with maxFeatures", () => {
    const model = fitTfidf([[2, 3, 4]], { vocabularySize: 5, maxFeatures: 2 });
    expect(model.idf).toHaveLength(2);
    expect(Array.from(transformTfidf(model, [[4, 4]]).data)).toEqual([0, 0]);
  });

  it("text features: the vocabulary is fit on the pool only; tfidf columns are vocabulary words", () => {
    const f = textFeatures(["good movie", "bad movie"], [["great movie !"]], { features: "tokens", maxLength: 4, vocabSize: 100, minFrequency: 1 });
    // pool counts: movie 2, bad 1, good 1 → ids movie 2, bad 3, good 4; "great" and "!" are OOV.
    expect(f.vocabulary).toEqual(["<pad>", "<unk>", "movie", "bad", "good"]);
    expect(Array.from(f.pool.data)).toEqual([4, 2, 0, 0, 3, 2, 0, 0]);
    expect(Array.from(f.others[0]!.data)).toEqual([1, 2, 1, 0]);
    const t = textFeatures(["good movie", "bad movie"], [["great movie !"]], { features: "tfidf", maxLength: 4, vocabSize: 2, minFrequency: 1 });
    expect(t.featureNames).toEqual(["movie", "bad"]);
    // test doc: only "movie" is a column → a unit vector on it.
    expect(Array.from(t.others[0]!.data)).toEqual([1, 0]);
  });
});
