import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding a lock directory (mkdir is atomic), so two test files that need the
 * tools at once build them once. A lock left by a process that died is taken over.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  onWait: (ownerPid: number) => void = () => {},
): Promise<T> {
  const ownerFile = join(lockPath, 'pid');
  let lastReport = 0;
  for (;;) {
    try {
      await mkdir(lockPath);
      await writeFile(ownerFile, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(ownerFile, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
        await rm(lockPath, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - lastReport > 30_000) {
        onWait(owner);
        lastReport = Date.now();
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}
