import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A running watch over a folder tree. */
export interface FolderWatch {
  /** Stops watching every folder. */
  close(): void;
}

/** Names the watcher never reports: hidden files and folders (version control, editors' own files) and installed dependencies. */
function ignored(segment: string): boolean {
  return segment.startsWith('.') || segment === 'node_modules';
}

/**
 * Watches `root` and every folder under it (hidden ones and node_modules left out), calling `changed` with the path
 * of each file written, created, removed or renamed, relative to `root` and `/`-separated. A file saved by renaming
 * another over it (as many editors save) counts as a change; a swap file ending in `~` does not. Folders created later
 * are watched from then on. Calls `failed` when the root itself can no longer be watched (it was removed).
 */
export function watchFolder(root: string, changed: (file: string) => void, failed: (error: Error) => void): FolderWatch {
  // One watcher per folder rather than fs.watch's recursive mode: on Linux that mode (Node 20) stops reporting a
  // file once something was renamed over it, which is how many editors save.
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => report(dir, name === null ? null : String(name)));
    } catch {
      return; // removed before it could be watched: its parent reports that
    }
    watcher.on('error', (error) => {
      watcher.close();
      watchers.delete(dir);
      if (dir === root) failed(error);
    });
    watchers.set(dir, watcher);
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && !ignored(entry.name)) add(join(dir, entry.name));
    } catch {
      // removed while being read: its parent reports that
    }
  };
  const report = (dir: string, name: string | null) => {
    const path = name === null ? dir : join(dir, name);
    const file = relative(root, path).split(sep).join('/');
    if (file.split('/').some(ignored) || file.endsWith('~')) return;
    try {
      if (name !== null && statSync(path).isDirectory()) add(path);
    } catch {
      // gone: a removal, reported below like any change
    }
    changed(file);
  };
  add(root);
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
