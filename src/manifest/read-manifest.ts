import { PlugboardError, messageOf } from '../errors/index.ts';
import { checkManifest, type ParsedManifest } from './parse-manifest.ts';

/** A manifest to read: its URL, or its JSON with the URL its relative paths resolve against. */
export type ManifestSource = string | URL | { url: string | URL; json: unknown };

/** How a manifest is fetched and where relative URLs start (the loader environment provides both). */
export interface ManifestReader {
  baseUrl: string;
  readBytes(url: string): Promise<Uint8Array>;
}

/** The absolute URL of a manifest source, resolved against `baseUrl`. */
export function manifestUrlOf(source: ManifestSource, baseUrl: string): string {
  const raw = typeof source === 'object' && !(source instanceof URL) ? source.url : source;
  return new URL(String(raw), baseUrl).href;
}

/**
 * Reads, parses and checks one manifest. Never throws: an unreadable file (MANIFEST_UNREADABLE), text that is
 * not JSON (MANIFEST_NOT_JSON) or JSON that breaks the schema (INVALID_MANIFEST, one problem per issue) comes
 * back as `problems`, each at stage `manifest` with the manifest's URL.
 */
export async function readManifest(source: ManifestSource, reader: ManifestReader): Promise<{ manifest: ParsedManifest } | { problems: PlugboardError[] }> {
  const url = manifestUrlOf(source, reader.baseUrl);
  const failure = (code: string, problem: string, hint: string, cause: unknown) => ({
    problems: [new PlugboardError({ code, stage: 'manifest', url, problem, hint, cause })],
  });
  let json: unknown;
  if (typeof source === 'object' && !(source instanceof URL)) {
    json = source.json;
  } else {
    let text: string;
    try {
      text = new TextDecoder().decode(await reader.readBytes(url));
    } catch (thrown) {
      // The reader's own hint names the cause (no server, a 404, CORS in a page, an unsupported scheme).
      const hint = thrown instanceof PlugboardError && thrown.hint ? thrown.hint : 'Check the manifest URL and that its server allows this origin (CORS).';
      return failure('MANIFEST_UNREADABLE', `manifest ${url} could not be read: ${messageOf(thrown).split('\n')[0]}`, hint, thrown);
    }
    try {
      json = JSON.parse(text);
    } catch (thrown) {
      return failure('MANIFEST_NOT_JSON', `manifest ${url} is not valid JSON: ${messageOf(thrown)}`, 'Fix the JSON syntax (a JSON linter shows the spot).', thrown);
    }
  }
  const check = checkManifest(json, url);
  return check.ok ? { manifest: check.manifest } : { problems: check.problems };
}
