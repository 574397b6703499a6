/**
 * Text that XML 1.0 can carry: characters it cannot represent at all (C0 controls other than tab / LF / CR, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD. Chain-supplied strings (memos) may hold them.
 * @example xmlSafe('a\u0000b') === 'a\uFFFDb'
 */
export function xmlSafe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * Escapes text for an XML (or HTML) element body or a double- or single-quoted attribute.
 * @example escapeXml('<a href="x">') === '&lt;a href=&quot;x&quot;&gt;' (tab, LF and CR as character references so attributes keep them)
 */
export function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
