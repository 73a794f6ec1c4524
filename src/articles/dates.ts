/**
 * Dates as sources write them → ISO-8601. Besides what `Date.parse` reads (ISO, RFC 822/1123), feeds
 * from non-English sites often localise RFC 822 names ("Seg, 24 Set 2018 19:42:40 -0300"): the weekday
 * is dropped and the month is translated from Portuguese, Spanish, French, Italian or German.
 */

const MONTHS: Array<[RegExp, string]> = [
  [/^(?:jan|gen|ene|jän)/, 'Jan'],
  [/^(?:feb|fev|fév)/, 'Feb'],
  [/^(?:mar|mär)/, 'Mar'],
  [/^(?:apr|abr|avr)/, 'Apr'],
  [/^(?:may|mai|mag)/, 'May'],
  [/^(?:juin|jun|giu)/, 'Jun'],
  [/^(?:juil|jul|lug)/, 'Jul'],
  [/^(?:aug|ago|aoû|aou)/, 'Aug'],
  [/^(?:sep|set)/, 'Sep'],
  [/^(?:oct|out|okt|ott)/, 'Oct'],
  [/^nov/, 'Nov'],
  [/^(?:dec|dez|dic|déc)/, 'Dec'],
];

function englishMonth(word: string): string | undefined {
  const w = word.toLowerCase();
  return MONTHS.find(([re]) => re.test(w))?.[1];
}

/** "Seg, 24 Set 2018 19:42:40 -0300" → "24 Sep 2018 19:42:40 -0300". */
function delocalise(s: string): string | undefined {
  const m = /^(?:[\p{L}.]+,?\s+)?(\d{1,2})\.?\s+([\p{L}.]+)\s+(\d{4})(.*)$/u.exec(s.trim());
  if (!m) return undefined;
  const month = englishMonth(m[2]!);
  return month ? `${m[1]} ${month} ${m[3]}${m[4]}` : undefined;
}

/** ISO-8601 for a date string a source declares; undefined when it is not a date. */
export function isoDate(s: string | undefined): string | undefined {
  if (!s?.trim()) return undefined;
  let t = Date.parse(s.trim());
  if (Number.isNaN(t)) {
    const english = delocalise(s);
    t = english ? Date.parse(english) : Number.NaN;
  }
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
