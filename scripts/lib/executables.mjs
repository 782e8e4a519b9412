// Executables on PATH. Node built-ins only: these run before any install.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every executable named `name` on PATH. Symlinks are kept as they are: Debian's redis-server is a
 * link to a multi-call binary that picks its role from the name it was started by.
 */
export function onPath(name) {
  const found = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) found.push(file);
    } catch {
      // not here
    }
  }
  return found;
}
