/**
 * The nonce the page gives its own scripts, for what the host inserts (import maps, inline module scripts), as
 * bundlers do: a `<meta property="csp-nonce">` (Vite's convention) or any script's `nonce` property (browsers
 * hide the attribute once the page has loaded; the property keeps it). Undefined when the page uses none.
 */
export function pageNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  if (meta?.nonce) return meta.nonce;
  if (meta?.content) return meta.content;
  for (const script of document.querySelectorAll('script')) if (script.nonce) return script.nonce;
  return undefined;
}
