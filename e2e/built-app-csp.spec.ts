// The built app under the two strict Content-Security-Policies careful deployers use: every built-in plugin loads
// and computes, nothing the page refuses is blamed on something else, and what a policy blocks is named.
import { expect, test } from '@playwright/test';
import { serveBuiltApp } from './built-app-server.js';
import { CDN } from '../playwright.config.ts';

interface Outcome {
  loaded: number;
  declared: number;
  errors: string[];
  scores: Record<string, unknown>;
  rows: Record<string, number>;
  tokens: Record<string, unknown>;
}

for (const policy of ['self', 'nonce'] as const) {
  test(`the built app under the ${policy} policy loads every built-in plugin and computes with them`, async ({ page }) => {
    const app = await serveBuiltApp(policy);
    try {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${app.url}/`);
      await page.waitForFunction(() => (document.querySelector('plugboard-app') as unknown as { host?: unknown } | null)?.host !== undefined);
      const outcome = await page.evaluate(async (cdn) => {
        type Host = {
          groups(): string[];
          discover(group: string): unknown[];
          loadGroup(group: string): Promise<{ loaded: string[]; errors: Array<{ plugin: string; code: string; problem: string }> }>;
          load(group: string, name: string): Promise<any>;
          report(): Array<{ code: string; problem: string }>;
        };
        const host = (document.querySelector('plugboard-app') as unknown as { host: Host }).host;
        let loaded = 0;
        let declared = 0;
        const errors: string[] = host.report().map((e) => `${e.code}: ${e.problem}`);
        for (const group of host.groups()) {
          declared += host.discover(group).length;
          const report = await host.loadGroup(group);
          loaded += report.loaded.length;
          errors.push(...report.errors.map((e) => `${group}/${e.plugin} ${e.code}: ${e.problem}`));
        }
        const labels = { predictions: [1, 0, 1, 0], references: [1, 0, 0, 0] };
        const texts = { predictions: ['the cat sat on the mat', 'a dog'], references: ['the cat sat on the mat', 'the dog'] };
        const scores: Record<string, unknown> = {};
        for (const name of ['accuracy', 'f1', 'exact_match', 'bleu', 'chrf', 'ter', 'rouge']) {
          const { predictions, references } = name === 'accuracy' || name === 'f1' ? labels : texts;
          const metric = await host.load('codex_ml.metrics', name);
          const result = typeof metric === 'function'
            ? metric(predictions, references)
            : metric.finalize(metric.update(metric.init(), { predictions, references }));
          scores[name] = typeof result === 'number' ? result : (result.score ?? result.rouge1);
        }
        const rows: Record<string, number> = {};
        for (const [name, text] of [['csv', 'prediction,reference\na,a\nb,c\n'], ['jsonl', '{"a":1}\n{"a":2}\n'], ['lines', 'x\ny\n']] as const) {
          const loader = await host.load('codex_ml.data_loaders', name);
          let count = 0;
          for await (const batch of loader(new Blob([text]))) count += Array.isArray(batch) ? batch.length : 1;
          rows[name] = count;
        }
        const tokens: Record<string, unknown> = {};
        const whitespace = (await host.load('codex_ml.tokenizers', 'whitespace'))({});
        tokens['whitespace'] = whitespace.encode('a b  c');
        void cdn;
        return { loaded, declared, errors, scores, rows, tokens };
      }, CDN);
      expect(outcome.errors).toEqual([]);
      expect(outcome.loaded).toBe(outcome.declared);
      expect(outcome.declared).toBeGreaterThanOrEqual(23);
      expect(outcome.scores['accuracy']).toBe(0.75);
      expect(outcome.scores['exact_match']).toBe(0.5);
      for (const [name, score] of Object.entries(outcome.scores)) expect(typeof score, name).toBe('number');
      expect(outcome.rows).toEqual({ csv: 2, jsonl: 2, lines: 2 });
      expect((outcome.tokens['whitespace'] as unknown[]).length).toBe(3);
      if (policy === 'nonce') expect(violations).toEqual([]);
    } finally {
      await app.close();
    }
  });
}

test('a CDN plugin that needs the host’s import map: refused naming the policy under self, loaded under nonce', async ({ page }) => {
  const outcomes: Record<string, unknown> = {};
  for (const policy of ['self', 'nonce'] as const) {
    const app = await serveBuiltApp(policy);
    try {
      await page.goto(`${app.url}/?manifest=${encodeURIComponent(`${CDN}/good.json`)}`);
      await page.waitForFunction(() => (document.querySelector('plugboard-app') as unknown as { host?: unknown } | null)?.host !== undefined);
      outcomes[policy] = await page.evaluate(async () => {
        const host = (document.querySelector('plugboard-app') as unknown as { host: { load(group: string, name: string): Promise<(p: string[], r: string[]) => { score: number }> } }).host;
        return host.load('codex_ml.metrics', 'char_count').then(
          (metric) => ({ score: metric(['a', 'b'], ['a', 'c']).score }),
          (error: { code: string; stage: string; problem: string; hint: string }) => ({ code: error.code, stage: error.stage, problem: error.problem, hint: error.hint }),
        );
      });
    } finally {
      await app.close();
    }
  }
  expect(outcomes['self']).toMatchObject({ code: 'POLICY_REFUSED', stage: 'lex' });
  expect((outcomes['self'] as { problem: string }).problem).toContain(`"plugboard/sdk"`);
  expect((outcomes['self'] as { problem: string }).problem).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect((outcomes['self'] as { hint: string }).hint).toContain('nonce');
  expect(outcomes['nonce']).toEqual({ score: 0.5 });
});
