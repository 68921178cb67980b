/**
 * Returns a Blob with the same bytes whose `stream()` reports each chunk's size to `onBytes` as it is read,
 * so progress can be told in bytes whatever loader reads it. Slices are plain Blobs (not counted).
 */
export function countingBlob(blob: Blob, onBytes: (count: number) => void): Blob {
  class CountingBlob extends Blob {
    override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
      return super.stream().pipeThrough(
        new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
          transform(chunk, controller) {
            onBytes(chunk.byteLength);
            controller.enqueue(chunk);
          },
        }),
      );
    }
  }
  const counted = new CountingBlob([blob], { type: blob.type });
  // A File keeps its name for loaders that name the source by it.
  if (typeof File !== 'undefined' && blob instanceof File) Object.defineProperty(counted, 'name', { value: blob.name });
  return counted;
}
