// Directories netd (root) makes for helpers that run under other uids. Two rules, because netd runs
// without CAP_FOWNER under burrow-netd.service and because a uid that owns a directory can swap what is
// inside it:
// - the mode is set while root still owns the directory, and the owner is given away last; every change is
//   made on an opened descriptor (O_DIRECTORY | O_NOFOLLOW), never again by path;
// - root only ever removes entries of directories root owns (their names cannot be swapped by anyone
//   else), never recursively inside a directory another uid owns.
import { closeSync, constants, fchmodSync, fchownSync, fstatSync, lstatSync, mkdirSync, openSync, rmSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The parent must be root's and writable by nobody else: then no one but root can rename or swap `dir`. */
function checkRootParent(dir: string): void {
  const parent = lstatSync(dirname(dir));
  if (!parent.isDirectory() || parent.uid !== 0 || (parent.mode & 0o022) !== 0) {
    throw new BurrowError('internal', `netd will not manage ${dir}: its parent is not a directory only root can change.`);
  }
}

/**
 * `dir` exists as a real directory with this owner and mode. A non-directory in its place (a file, a
 * symlink someone left) is unlinked, which is safe because the parent is root's.
 */
export function ownedDir(dir: string, uid: number, gid: number, mode: number): void {
  if (dirname(dir) !== dir) checkRootParent(dir);
  const existing = lstatOrUndefined(dir);
  if (existing !== undefined && !existing.isDirectory()) unlinkSync(dir);
  if (existing === undefined || !existing.isDirectory()) mkdirSync(dir, { mode: 0o700 });
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    const stat = fstatSync(fd);
    // Taken back first (CAP_CHOWN): root may only change the mode of what it owns without CAP_FOWNER.
    if (stat.uid !== 0 || stat.gid !== 0) fchownSync(fd, 0, 0);
    fchmodSync(fd, mode);
    if (uid !== 0 || gid !== 0) fchownSync(fd, uid, gid);
  } finally {
    closeSync(fd);
  }
}

/** A root-owned directory chain, each made by `ownedDir` (so each parent is checked in turn). */
export function rootDirs(dirs: readonly string[], mode = 0o755): void {
  for (const dir of dirs) {
    const parent = dirname(dir);
    if (lstatOrUndefined(parent) === undefined) mkdirSync(parent, { recursive: true, mode });
    ownedDir(dir, 0, 0, mode);
  }
}

/**
 * Remove `name` inside a directory another uid owns, without following anything: only the one entry, and
 * `unlink` never follows its last component. A directory there (a caller's own) is left alone.
 */
export function unlinkEntry(path: string): void {
  const stat = lstatOrUndefined(path);
  if (stat !== undefined && !stat.isDirectory()) unlinkSync(path);
}

/**
 * Remove a whole directory that sits in a root-owned parent (a helper's old data directory). It is taken
 * back first (root's, 0700): its former owner can then no longer reach anything inside while root deletes.
 */
export function removeOwnedTree(path: string): void {
  checkRootParent(path);
  const stat = lstatOrUndefined(path);
  if (stat === undefined) return;
  if (!stat.isDirectory()) {
    unlinkSync(path);
    return;
  }
  ownedDir(path, 0, 0, 0o700);
  rmSync(path, { recursive: true, force: true });
}
