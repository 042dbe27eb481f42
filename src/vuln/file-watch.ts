/**
 * Watching the files a scan read (the lockfile, the database) with chokidar, for the watch loop.
 * Writes are awaited until they settle, so a half-written lockfile is not rescanned mid-write.
 */
import { watch as chokidarWatch } from 'chokidar';
import type { FileWatch } from './watch.js';

export const chokidarFiles: FileWatch = (paths, onChange) => {
  const w = chokidarWatch(paths, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 } });
  w.on('all', (_event, path) => onChange(path));
  return () => void w.close();
};
