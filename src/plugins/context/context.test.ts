import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validatePlugin } from '../../adapters/index.ts';
import { pageContext } from './page.ts';
import { PLUGBOARD_VERSION, plugboardContext } from './plugboard.ts';
import { USER_AGENT_TAG, userAgentContext } from './user-agent.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('built-in run context providers', () => {
  it('are valid mlflow.run_context_provider plugins stamped api v1', () => {
    for (const [name, provider] of [['page', pageContext], ['user_agent', userAgentContext], ['plugboard', plugboardContext]] as const) {
      expect(validatePlugin(provider, { group: 'mlflow.run_context_provider', name })).toEqual([]);
      expect(provider.api).toBe('v1');
    }
  });

  it('page: tags the page URL without query or fragment as the source name, and is out of context without a location', () => {
    vi.stubGlobal('location', { href: 'https://app.example/eval/?token=secret#top', origin: 'https://app.example', pathname: '/eval/' });
    expect(pageContext.inContext()).toBe(true);
    expect(pageContext.tags()).toEqual({ 'mlflow.source.name': 'https://app.example/eval/', 'mlflow.source.type': 'LOCAL' });
    vi.stubGlobal('location', undefined);
    expect(pageContext.inContext()).toBe(false);
  });

  it('user agent: tags navigator.userAgent, and is out of context without one', () => {
    vi.stubGlobal('navigator', { userAgent: 'TestBrowser/1.0' });
    expect(userAgentContext.inContext()).toBe(true);
    expect(userAgentContext.tags()).toEqual({ [USER_AGENT_TAG]: 'TestBrowser/1.0' });
    vi.stubGlobal('navigator', {});
    expect(userAgentContext.inContext()).toBe(false);
  });

  it('plugboard: always tags plugboard.version with the package version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PLUGBOARD_VERSION).toBe(manifest.version);
    expect(plugboardContext.inContext()).toBe(true);
    expect(plugboardContext.tags()).toEqual({ 'plugboard.version': manifest.version });
  });
});
