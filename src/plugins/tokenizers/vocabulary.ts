import { tokenizerError } from './tokenizer-error.ts';

/** A vocabulary as a config gives it: token → id, or a list whose positions are the ids. */
export type VocabularyInput = Record<string, number> | readonly string[];

/**
 * Maps tokens to ids and back. A given vocabulary is fixed, and a token outside it gets the id of the
 * unknown token; without one the vocabulary grows, each new token taking the next id.
 */
export class Vocabulary {
  readonly #ids = new Map<string, number>();
  readonly #tokens: string[] = [];
  readonly #fixed: boolean;
  readonly #unknownId: number | undefined;
  readonly #plugin: string;

  /**
   * Builds the vocabulary; throws `TOKENIZER_BAD_CONFIG` when ids are not distinct non-negative integers,
   * or when a given vocabulary lacks the unknown token.
   */
  constructor(plugin: string, input: VocabularyInput | undefined, unknownToken: string) {
    this.#plugin = plugin;
    this.#fixed = input !== undefined;
    const entries: [string, number][] = Array.isArray(input) ? input.map((token, id) => [token, id]) : Object.entries(input ?? {});
    for (const [token, id] of entries) {
      if (!Number.isInteger(id) || id < 0 || this.#tokens[id] !== undefined) {
        throw tokenizerError({
          code: 'TOKENIZER_BAD_CONFIG',
          plugin,
          field: `vocab[${JSON.stringify(token)}]`,
          problem: `the id of ${JSON.stringify(token)} must be a non-negative integer used once, received ${JSON.stringify(id)}`,
          hint: 'Give every token its own id 0, 1, 2, …, or pass the vocabulary as a list of tokens.',
        });
      }
      this.#ids.set(token, id);
      this.#tokens[id] = token;
    }
    this.#unknownId = this.#ids.get(unknownToken);
    if (this.#fixed && this.#unknownId === undefined) {
      throw tokenizerError({
        code: 'TOKENIZER_BAD_CONFIG',
        plugin,
        field: 'vocab',
        problem: `the vocabulary has no unknown token ${JSON.stringify(unknownToken)} for words outside it`,
        hint: `Add ${JSON.stringify(unknownToken)} to the vocabulary, or name the one it has with unknownToken.`,
      });
    }
  }

  /** The number of ids in use. */
  get size(): number {
    return this.#ids.size;
  }

  /** Returns the id of each token; an unseen token grows the vocabulary or maps to the unknown token's id. */
  toIds(tokens: readonly string[]): number[] {
    return tokens.map((token) => {
      const id = this.#ids.get(token);
      if (id !== undefined) return id;
      if (this.#fixed) return this.#unknownId!;
      const next = this.#tokens.length;
      this.#ids.set(token, next);
      this.#tokens.push(token);
      return next;
    });
  }

  /** Returns the token of each id; throws `TOKENIZER_UNKNOWN_ID` naming an id the vocabulary does not hold. */
  toTokens(ids: readonly number[]): string[] {
    return ids.map((id, index) => {
      const token = this.#tokens[id];
      if (token === undefined) {
        throw tokenizerError({
          code: 'TOKENIZER_UNKNOWN_ID',
          plugin: this.#plugin,
          field: `ids[${index}]`,
          problem: `id ${JSON.stringify(id)} is not in the vocabulary (ids run from 0 to ${this.#tokens.length - 1})`,
          hint: 'Decode ids made by the same tokenizer (and the same vocabulary).',
        });
      }
      return token;
    });
  }
}
