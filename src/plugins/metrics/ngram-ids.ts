// Dense integer ids for n-grams, so counting needs typed arrays instead of string-keyed maps: an n-gram's
// id is the id of the pair (id of its first n−1 items, its last item), with 0 as the empty prefix. Two
// n-grams get the same id exactly when they are equal, whatever their order.

/** An open-addressing table from integer pairs to dense ids 1, 2, 3, …, cleared in O(1) by `reset`. */
export class NgramIds {
  #prefixes = new Int32Array(1024);
  #items = new Int32Array(1024);
  #ids = new Int32Array(1024);
  #stamps = new Uint32Array(1024);
  #mask = 1023;
  #generation = 1;
  #count = 0;

  /** Forgets every id; the next id handed out is 1 again. */
  reset(): void {
    this.#count = 0;
    this.#generation++;
    if (this.#generation === 0xffffffff) {
      this.#stamps.fill(0);
      this.#generation = 1;
    }
  }

  /** The number of ids handed out since the last reset (ids run from 1 to this number). */
  get size(): number {
    return this.#count;
  }

  /** Returns the id of the n-gram made of the n-gram `prefix` (0 for none) followed by `item`. */
  id(prefix: number, item: number): number {
    const stamps = this.#stamps;
    const prefixes = this.#prefixes;
    const items = this.#items;
    const mask = this.#mask;
    const generation = this.#generation;
    let slot = slotOf(prefix, item, mask);
    while (stamps[slot] === generation) {
      if (prefixes[slot] === prefix && items[slot] === item) return this.#ids[slot]!;
      slot = (slot + 1) & mask;
    }
    const id = ++this.#count;
    stamps[slot] = generation;
    prefixes[slot] = prefix;
    items[slot] = item;
    this.#ids[slot] = id;
    if (id * 2 > mask) this.#grow();
    return id;
  }

  /** Returns the id of the n-gram `prefix` followed by `item` when it has one, else 0 (nothing is added). */
  lookup(prefix: number, item: number): number {
    const stamps = this.#stamps;
    const prefixes = this.#prefixes;
    const items = this.#items;
    const mask = this.#mask;
    const generation = this.#generation;
    let slot = slotOf(prefix, item, mask);
    while (stamps[slot] === generation) {
      if (prefixes[slot] === prefix && items[slot] === item) return this.#ids[slot]!;
      slot = (slot + 1) & mask;
    }
    return 0;
  }

  /**
   * Adds every n-gram of orders 1..maxOrder of `items` (new ones get ids) and adds 1 to `table`'s count
   * of its id for each occurrence.
   */
  countNgrams(items: ArrayLike<number>, maxOrder: number, table: CountTable): void {
    const length = items.length;
    let previous = this.#scratch(0, length);
    let current = this.#scratch(1, length);
    let counts = table.ensure(this.#count + 2 * length);
    for (let order = 1; order <= maxOrder; order++) {
      const count = length - order + 1;
      if (count <= 0) break;
      for (let start = 0; start < count; start++) {
        const id = this.id(order === 1 ? 0 : previous[start]!, items[start + order - 1]!);
        if (id >= counts.length) counts = table.ensure(id);
        counts[id]!++;
        current[start] = id;
      }
      const swap = previous;
      previous = current;
      current = swap;
    }
  }

  /**
   * Looks up every n-gram of orders 1..maxOrder of `items` (adding none) and, while `counts` still has
   * some of an n-gram left, takes one and adds a match to `matches[order - 1]`: the clipped match count.
   * A longer n-gram of an unknown n-gram is unknown, so it is not even looked up.
   */
  matchNgrams(items: ArrayLike<number>, maxOrder: number, counts: Int32Array, matches: number[]): void {
    const length = items.length;
    let previous = this.#scratch(0, length);
    let current = this.#scratch(1, length);
    for (let order = 1; order <= maxOrder; order++) {
      const count = length - order + 1;
      if (count <= 0) break;
      let matched = 0;
      for (let start = 0; start < count; start++) {
        const prefix = order === 1 ? 0 : previous[start]!;
        const id = order > 1 && prefix === 0 ? 0 : this.lookup(prefix, items[start + order - 1]!);
        current[start] = id;
        if (id !== 0 && counts[id]! > 0) {
          matched++;
          counts[id]!--;
        }
      }
      matches[order - 1]! += matched;
      const swap = previous;
      previous = current;
      current = swap;
    }
  }

  #scratches: [Int32Array, Int32Array] = [new Int32Array(256), new Int32Array(256)];

  #scratch(which: 0 | 1, length: number): Int32Array {
    if (this.#scratches[which].length < length) this.#scratches[which] = new Int32Array(2 * length);
    return this.#scratches[which];
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const mask = capacity - 1;
    const prefixes = new Int32Array(capacity);
    const items = new Int32Array(capacity);
    const ids = new Int32Array(capacity);
    const stamps = new Uint32Array(capacity);
    for (let old = 0; old <= this.#mask; old++) {
      if (this.#stamps[old] !== this.#generation) continue;
      let slot = slotOf(this.#prefixes[old]!, this.#items[old]!, mask);
      while (stamps[slot] === 1) slot = (slot + 1) & mask;
      stamps[slot] = 1;
      prefixes[slot] = this.#prefixes[old]!;
      items[slot] = this.#items[old]!;
      ids[slot] = this.#ids[old]!;
    }
    this.#prefixes = prefixes;
    this.#items = items;
    this.#ids = ids;
    this.#stamps = stamps;
    this.#mask = mask;
    this.#generation = 1;
  }
}

function slotOf(prefix: number, item: number, mask: number): number {
  const hash = (Math.imul(prefix, 0x9e3779b1) ^ Math.imul(item + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  return (hash ^ (hash >>> 15)) & mask;
}

/** A growable Int32Array of counts indexed by n-gram id, all zero between uses. */
export class CountTable {
  #counts = new Int32Array(1024);

  /** Returns the counts array, grown (zero-filled) to hold index `size`. */
  ensure(size: number): Int32Array {
    if (size >= this.#counts.length) {
      let length = this.#counts.length;
      while (length <= size) length *= 2;
      const grown = new Int32Array(length);
      grown.set(this.#counts);
      this.#counts = grown;
    }
    return this.#counts;
  }
}
