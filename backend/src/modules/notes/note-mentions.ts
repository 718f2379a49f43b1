/** A colleague who may be mentioned, by their name as the panel shows it. */
export type Colleague = { id: string; name: string };

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/**
 * The colleagues a note's text mentions as "@" followed by their name, in the order they
 * first appear, each once. Names may have several words ("@Anna Petrova"); at each "@" the
 * longest name that follows wins, so a colleague called "Anna" is not mentioned by
 * "@Anna Petrova" when Anna Petrova exists. Case does not matter; the name must end where a
 * word ends ("@Annabel" does not mention Anna), and an "@" inside a word (an e-mail address)
 * mentions nobody.
 */
export function findMentionedColleagues(text: string, colleagues: Colleague[]): string[] {
  const candidates = colleagues
    .map((colleague) => ({ id: colleague.id, name: colleague.name.trim().toLocaleLowerCase() }))
    .filter((colleague) => colleague.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const found: string[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (at > 0 && WORD_CHARACTER.test(text.charAt(at - 1))) continue;
    const start = at + 1;
    const match = candidates.find(
      (candidate) =>
        text.slice(start, start + candidate.name.length).toLocaleLowerCase() === candidate.name &&
        !WORD_CHARACTER.test(text.charAt(start + candidate.name.length)),
    );
    if (match && !found.includes(match.id)) found.push(match.id);
  }
  return found;
}
