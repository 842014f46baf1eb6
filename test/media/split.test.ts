import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../controller/media/audio/tts/split.js';

const BAO = 'Thông báo khẩn: bão số 3 sắp đổ bộ, đề nghị bà con chằng chống nhà cửa.';

function words(text: string): string[] {
  return text.normalize('NFC').split(/\s+/).filter(Boolean);
}

describe('splitSentences', () => {
  it('splits at . ! ? … and new lines, keeping the punctuation with its sentence', () => {
    const text = 'Bão số 3 đổ bộ! Bà con có nghe rõ không? Hãy chờ thông báo tiếp… Xin cảm ơn.\nUBND xã Hòa Bình';
    // 25 characters: each sentence fits, no two together.
    expect(splitSentences(text, 25)).toEqual(['Bão số 3 đổ bộ!', 'Bà con có nghe rõ không?', 'Hãy chờ thông báo tiếp…', 'Xin cảm ơn.', 'UBND xã Hòa Bình']);
  });

  it('packs short sentences into one part while they fit', () => {
    expect(splitSentences('Một. Hai. Ba.', 100)).toEqual(['Một. Hai. Ba.']);
  });

  it('keeps every word whole, in order, with its diacritics', () => {
    const text = `${BAO} ${BAO.toUpperCase()} Đường Nguyễn Huệ, phường Bến Nghé; ngập sâu 0.5 mét.`;
    for (const max of [10, 25, 60]) {
      const parts = splitSentences(text, max);
      expect(parts.flatMap(words)).toEqual(words(text));
      for (const part of parts) expect(part.length <= max || !part.includes(' ')).toBe(true);
    }
  });

  it('prefers clause marks inside a long sentence', () => {
    expect(splitSentences(BAO, 45)).toEqual(['Thông báo khẩn: bão số 3 sắp đổ bộ,', 'đề nghị bà con chằng chống nhà cửa.']);
  });

  it('gives NFC text whichever way the tone marks were typed', () => {
    const decomposed = BAO.normalize('NFD');
    expect(decomposed).not.toBe(BAO);
    const parts = splitSentences(decomposed, 15);
    expect(parts.join(' ')).toBe(BAO);
    for (const part of parts) expect(part).toBe(part.normalize('NFC'));
  });

  it('does not split numbers or abbreviations glued to the next character', () => {
    expect(splitSentences('Mực nước 3.5 mét lúc 7.30 sáng.', 12)).toEqual(['Mực nước 3.5', 'mét lúc 7.30', 'sáng.']);
  });

  it('leaves a single word longer than the limit whole', () => {
    expect(splitSentences('Xem https://xa-hoabinh.gov.vn/thong-bao ngay.', 10)).toEqual(['Xem', 'https://xa-hoabinh.gov.vn/thong-bao', 'ngay.']);
  });

  it('gives nothing for blank text', () => {
    expect(splitSentences(' \n\t ', 50)).toEqual([]);
  });
});
