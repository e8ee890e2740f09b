import type { Locale } from '@medora/schema';

/** A user-facing string in every report language (Uzbek in Latin script). */
export type Localized = Readonly<Record<Locale, string>>;
