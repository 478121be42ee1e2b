import { createTranslator, pickLocale, type Translate } from '../../core/i18n'

/**
 * The page's language: `?lang=` (the integrator's override, passed on by the widget), then the
 * browser's preferences. Chosen once per page load.
 */
export const webLocale = pickLocale([
  new URLSearchParams(location.search).get('lang') ?? undefined,
  ...navigator.languages,
])

/** Texts of the customer-facing web UI in the page's language. */
export const t: Translate = createTranslator(webLocale)
