// Phone numbers in people's sentences, told apart from the dates and times written beside them.

/**
 * Dates and times written with digits ("10:00", "12/12", "9am", "15h30", "12 de diciembre"): hidden before
 * numbers are looked for, so that "…4567 12/12 9am" is not read as one long number.
 */
const DATE_TOKENS =
  /\b\d{1,2}(?:[:h]\d{2}\b|\/\d{1,2}(?:\/\d{2,4})?\b|\s?(?:am|pm|a\.\s?m\.|p\.\s?m\.)|h\b|\s+de\b|(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/gu;

/** What a phone number looks like in a sentence: an optional +, then digits and the separators people use. */
const NUMBER_CANDIDATE = /\+?\d[\d\s().-]*\d/g;
/** Fewer digits than this is not someone's number (a time, a day of the month). */
const MIN_NUMBER_DIGITS = 5;

/** The phone numbers a request mentions, as written, without repeats. */
export function numbersIn(text: string): string[] {
  const masked = text.replace(DATE_TOKENS, (token) => '_'.repeat(token.length));
  const found = [...masked.matchAll(NUMBER_CANDIDATE)]
    .map((match) => match[0].trim())
    .filter((candidate) => candidate.replace(/\D/g, '').length >= MIN_NUMBER_DIGITS);
  return [...new Map(found.map((n) => [n.replace(/\D/g, ''), n])).values()];
}

/** The request's own words without the number in it (digits and separators read the same in both forms). */
export function withoutNumber(body: string, number: string): string {
  const at = body.indexOf(number);
  return at < 0 ? body : `${body.slice(0, at)} ${body.slice(at + number.length)}`;
}
