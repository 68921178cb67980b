import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPEN_SERVER_KEY, mlflowRunLink, openServer, readServerUrl, recentServers, rememberOpenServer, rememberRecentServer } from './mlflow-server-choice.ts';

/** localStorage as a browser keeps it, for Node. */
class MemoryStorage {
  #items = new Map<string, string>();
  get length() { return this.#items.size; }
  clear() { this.#items.clear(); }
  getItem(key: string) { return this.#items.get(key) ?? null; }
  key(index: number) { return [...this.#items.keys()][index] ?? null; }
  removeItem(key: string) { this.#items.delete(key); }
  setItem(key: string, value: string) { this.#items.set(key, String(value)); }
}

describe('readServerUrl', () => {
  it('keeps an http or https base URL, trimmed and without trailing slashes', () => {
    expect(readServerUrl('  http://127.0.0.1:5000/ ')).toBe('http://127.0.0.1:5000');
    expect(readServerUrl('https://mlflow.example.org/team//')).toBe('https://mlflow.example.org/team');
  });

  it('refuses an empty text, a missing scheme, a text that is not a URL, another scheme, and a query, each with an example', () => {
    for (const [text, problem] of [
      ['', 'no MLflow server URL was entered'],
      ['127.0.0.1:5000', '"127.0.0.1:5000" does not start with http:// or https://'],
      ['http://local host:5000', '"http://local host:5000" is not a URL'],
      ['ftp://127.0.0.1:5000', 'is not an http or https URL'],
      ['http://127.0.0.1:5000/?x=1', 'has a query or fragment'],
    ] as const) {
      let thrown: unknown;
      try {
        readServerUrl(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'INVALID_SERVER_URL', field: 'url', problem: expect.stringContaining(problem), hint: expect.stringContaining('http://127.0.0.1:5000') });
    }
  });

  it('suggests the address with http:// when the scheme is missing', () => {
    expect(() => readServerUrl('mlflow.internal:8080')).toThrow(expect.objectContaining({ hint: expect.stringContaining('Did you mean http://mlflow.internal:8080?') }));
  });
});

describe('the remembered server', () => {
  beforeEach(() => {
    (globalThis as { localStorage?: Storage }).localStorage = new MemoryStorage() as Storage;
  });
  afterEach(() => {
    delete (globalThis as { localStorage?: Storage }).localStorage;
  });

  it('is kept until forgotten, and each opened server goes first among the recent ones', () => {
    expect(openServer()).toBeUndefined();
    rememberOpenServer('http://a:5000');
    rememberOpenServer('http://b:5000');
    expect(openServer()).toBe('http://b:5000');
    rememberOpenServer(undefined);
    expect(openServer()).toBeUndefined();
    expect(recentServers()).toEqual(['http://b:5000', 'http://a:5000']);
  });

  it('keeps five recent servers without repeats, newest first', () => {
    for (const name of ['a', 'b', 'c', 'a', 'd', 'e', 'f']) rememberRecentServer(`http://${name}:5000`);
    expect(recentServers()).toEqual(['http://f:5000', 'http://e:5000', 'http://d:5000', 'http://a:5000', 'http://c:5000']);
  });

  it('reads an unreadable entry as no recent servers, and works without localStorage at all', () => {
    localStorage.setItem('plugboard.runs.mlflow-servers', '{not json');
    expect(recentServers()).toEqual([]);
    delete (globalThis as { localStorage?: Storage }).localStorage;
    rememberOpenServer('http://a:5000');
    expect(openServer()).toBeUndefined();
    expect(OPEN_SERVER_KEY).toBe('plugboard.runs.mlflow-server');
  });
});

describe('mlflowRunLink', () => {
  it("is the run's page in the server's web UI", () => {
    expect(mlflowRunLink('http://127.0.0.1:5000', '3', 'abc')).toBe('http://127.0.0.1:5000/#/experiments/3/runs/abc');
  });
});
