// For tests in Node: the default environment, lexing TypeScript sources as the dev server serves them (as JavaScript).
import { transformWithOxc } from 'vite';
import { defaultEnvironment, type LoaderEnvironment } from '../loader/index.ts';

export function sourceEnvironment(): LoaderEnvironment {
  const node = defaultEnvironment();
  return {
    ...node,
    async toSource(bytes, url) {
      const text = new TextDecoder().decode(bytes);
      return url.endsWith('.ts') ? (await transformWithOxc(text, url, { lang: 'ts' })).code : text;
    },
  };
}
