/** Vietnamese first, English as a switch remembered in localStorage. Strings live beside their use: tr('Việt', 'English'). */
import { createStore } from './store.js';

export type Lang = 'vi' | 'en';
const KEY = 'loa.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export const lang = createStore<Lang>(storedLang());

export function setLang(next: Lang): void {
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Private mode: the switch still works for this visit.
  }
  document.documentElement.lang = next;
  lang.set(next);
}

export function tr(vi: string, en: string): string {
  return lang.get() === 'en' ? en : vi;
}

export function locale(): string {
  return lang.get() === 'en' ? 'en-GB' : 'vi-VN';
}
