/** The origin of a URL as allowedOrigins spells it (`file://` for files). */
export function originOf(url: string): string {
  const parsed = new URL(url);
  return parsed.protocol === 'file:' ? 'file://' : parsed.origin;
}
