import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNpmStart } from './support/npm-start.js';

const account = { email: 'single@example.com', password: 'correct horse battery' };

describe('npm start with EXPE_TOPOLOGY=single', () => {
  it('when PostgreSQL is installed, then the one-process composition uses the same private PostgreSQL as the default one, says so, and an account made in it signs in after a normal npm start', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'expe-topology-'));
    // As root, the private PostgreSQL runs as the postgres user, which must reach the state dir.
    chmodSync(stateDir, 0o755);
    try {
      const single = await startNpmStart(stateDir, { EXPE_TOPOLOGY: 'single' });
      const register = await fetch(`${single.url}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...account, name: 'Single', role: 'merchant' }),
      });
      expect(register.status).toBe(201);
      expect(await single.stop()).toBe(0);

      const processes = await startNpmStart(stateDir);
      const login = await fetch(`${processes.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      const loginStatus = login.status;
      expect(await processes.stop()).toBe(0);

      expect(single.output()).toContain(
        `database   PostgreSQL, the private cluster in ${join(stateDir, 'postgres')}`,
      );
      expect(single.output()).toMatch(/services {3}all in this process: /);
      expect(single.output()).not.toContain('PGlite');
      expect(processes.output()).toMatch(/services {3}one process each: /);
      expect(loginStatus).toBe(200);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 900_000);

  it('when EXPE_TOPOLOGY has another value, then npm start exits naming the variable', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'expe-topology-'));
    try {
      await expect(startNpmStart(stateDir, { EXPE_TOPOLOGY: 'one' })).rejects.toThrow(
        /EXPE_TOPOLOGY must be 'single' or 'processes', not 'one'/,
      );
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
