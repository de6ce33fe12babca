/**
 * `text` as the stem of a file name every file system and USB stick accepts: accents dropped,
 * anything else but letters, digits, `.`, `_` and `-` turned into `-`, at most `max` characters;
 * `fallback` when nothing is left.
 */
export function fileNameSlug(text: string, fallback: string, max = 60): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max)
  return slug || fallback
}
