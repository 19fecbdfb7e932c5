/**
 * i18next for our own strings (zh-CN and en, both complete: tests/unit/preview-i18n.test.ts compares their
 * keys), antd's own locale for its widgets. Chinese when the browser language is Chinese, English otherwise;
 * the clerk's choice is remembered in localStorage.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { Locale } from 'antd/es/locale';
import en from './en.json';
import zh from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'slipvault.language';

export function defaultLanguage(browserLanguage: string | undefined): Language {
  return browserLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(value ?? '') ? (value as Language) : null;
  } catch {
    return null;
  }
}

export function initI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zh }, en: { translation: en } },
    lng: storedLanguage() ?? defaultLanguage(navigator.language),
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts for this session only.
  }
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export function antdLocale(language: string): Locale {
  return language === 'zh-CN' ? zhCN : enUS;
}
