import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RESOURCES } from './resources.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The only thing the web app keeps in browser storage. */
export const LANG_STORAGE_KEY = 'miaopu.lang';
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export function isLanguage(value: unknown): value is Language {
  return value === 'zh-CN' || value === 'en';
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (isLanguage(value)) return value;
  } catch {
    // storage disabled: fall back to the default
  }
  return DEFAULT_LANGUAGE;
}

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: RESOURCES['zh-CN'] },
    en: { translation: RESOURCES.en },
  },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

document.documentElement.lang = i18n.language;

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lng);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  await i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
  document.title = i18n.t('app.fullName');
}

export default i18n;
