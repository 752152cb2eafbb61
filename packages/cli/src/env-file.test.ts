import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEnvFile } from './listen.js';
import { readEnvFile, setEnvVariables } from './env-file.js';

async function existingEnvFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'expe-env-')), '.env');
  await writeFile(path, text);
  await chmod(path, 0o644);
  return path;
}

describe('env files the CLI writes', () => {
  it('when `listen --env-file` writes the secret into an existing readable file, then its other lines stay and it becomes readable by the owner only', async () => {
    const path = await existingEnvFile('# shop\nPORT=3000\nEXPE_WEBHOOK_SECRET=whsec_old\n');

    await writeEnvFile(path, 'whsec_new');

    expect(await readFile(path, 'utf8')).toBe('# shop\nPORT=3000\nEXPE_WEBHOOK_SECRET=whsec_new\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('when variables are set, then an exported line is replaced in place and a new one appended', async () => {
    const path = await existingEnvFile('export EXPE_API_KEY=sk_test_old\nPORT=3000\n');

    await setEnvVariables(path, { EXPE_API_KEY: 'sk_test_new', EXPE_SANDBOX_PROJECT_ID: 'prj_1' });

    expect(await readEnvFile(path)).toEqual({
      EXPE_API_KEY: 'sk_test_new',
      PORT: '3000',
      EXPE_SANDBOX_PROJECT_ID: 'prj_1',
    });
  });
});
