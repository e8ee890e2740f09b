/**
 * The one place that decides how patient names are searched. Doctors write the same name in
 * Uzbek Latin, Uzbek Cyrillic and Russian Cyrillic ("Gʻulom", "Ғулом", "Гулом"; "Xasanov",
 * "Ҳасанов", "Хасанов", "Khasanov"): each is folded to one Latin spelling, both when a patient
 * is saved (`patients.search_key`) and when a doctor searches, so any spelling finds the others.
 * Trigram similarity in PostgreSQL then forgives what folding cannot (Aleksey/Aleksei).
 */

// Cyrillic letters in Uzbek Latin (the 1995 alphabet), with the apostrophes of oʻ/gʻ dropped.
// Russian-only letters follow common transliteration.
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'j',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'x',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sh',
  ъ: '',
  ы: 'i',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ў: 'o',
  қ: 'q',
  ғ: 'g',
  ҳ: 'h',
};

/**
 * Letters that different spellings of one name disagree on, made one: Uzbek q/k (Қодиров,
 * Кодиров), x/h and the Russian-English "kh" (Xasan, Hasan, Khasan), "zh" for ж (Zhanna,
 * Janna), and "ye" for е, which Uzbek writes at a word's start and after a vowel (Yelena, Елена;
 * Aliyev, Алиев — the commonest surname ending, which trigram similarity alone does not bridge).
 */
function foldLatin(word: string): string {
  return word
    .replace(/kh/g, 'h')
    .replace(/zh/g, 'j')
    .replace(/x/g, 'h')
    .replace(/q/g, 'k')
    .replace(/ye/g, 'e');
}

/** Lower-case Latin words (letters and digits only) of any name or search text. */
export function foldWords(text: string): string[] {
  const latin = [...text.normalize('NFKC').toLowerCase().normalize('NFC')]
    .map((ch) => CYRILLIC[ch] ?? ch)
    .join('')
    // Accents and the apostrophes of oʻ, gʻ and ʼ (in every common typing) carry no meaning here.
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['‘’`ʻʼ]/g, '');
  return latin
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map(foldLatin);
}

/**
 * The stored key: the folded names and the phone's digits, each word with a space before it so
 * `like '% term%'` finds a word by its start.
 */
export function patientSearchKey(p: {
  firstName: string;
  lastName: string;
  middleName?: string | null;
  phone?: string | null;
}): string {
  const words = foldWords([p.lastName, p.firstName, p.middleName ?? ''].join(' '));
  const digits = p.phone?.replace(/\D/g, '');
  return ` ${[...words, ...(digits ? [digits] : [])].join(' ')} `;
}

export interface SearchTerms {
  /** Folded words, each of which must match a name by its start or by similarity. */
  words: string[];
  /** Phone digits when the search is a number (spaces and dashes as people type them). */
  digits: string | null;
}

export function searchTerms(search: string): SearchTerms {
  if (/^[\d\s()+.-]+$/.test(search) && /\d/.test(search))
    return { words: [], digits: search.replace(/\D/g, '') };
  return { words: foldWords(search).slice(0, 5), digits: null };
}
