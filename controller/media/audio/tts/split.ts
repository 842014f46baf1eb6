/**
 * Cutting a long announcement into parts a TTS engine takes at once: at sentence ends
 * (. ! ? … and new lines), then at clause marks, then between words; never inside a word.
 * Text is normalised to NFC first, so a letter and its Vietnamese tone marks stay one character
 * whichever keyboard typed them.
 */

// After . ! ? … (possibly closed by quotes or brackets) and a space, or at any line break.
const SENTENCE_END = /(?<=[.!?…]+["'”’»)\]]*)[ \t]+|[ \t]*(?:\r?\n)+[ \t]*/u;
const CLAUSE_END = /(?<=[,;:–—])\s+/u;

export function splitSentences(text: string, maxChars: number): string[] {
  if (!(maxChars >= 1)) throw new RangeError('maxChars must be at least 1');
  const sentences = text
    .normalize('NFC')
    .split(SENTENCE_END)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return pack(sentences.flatMap((s) => splitLong(s, maxChars)), maxChars);
}

/** A sentence longer than the limit: split at clause marks, and a clause still too long between words. */
function splitLong(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const clauses = sentence.split(CLAUSE_END);
  return pack(
    clauses.flatMap((c) => (c.length <= maxChars ? [c] : c.split(' '))),
    maxChars,
  );
}

/** Joins neighbours with a space while they fit; a single word longer than the limit stays whole. */
function pack(pieces: string[], maxChars: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (!current) current = piece;
    else if (current.length + 1 + piece.length <= maxChars) current += ` ${piece}`;
    else {
      parts.push(current);
      current = piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}
