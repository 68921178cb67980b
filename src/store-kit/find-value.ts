/** Returns the value under `key` in a `{ key, value }` list (params, tags, latest metrics), or undefined when absent or the list is undefined. */
export function findValue<V>(list: readonly { key: string; value: V }[] | undefined, key: string): V | undefined {
  if (list === undefined) return undefined;
  for (let index = 0; index < list.length; index += 1) {
    const item = list[index]!;
    if (item.key === key) return item.value;
  }
  return undefined;
}
