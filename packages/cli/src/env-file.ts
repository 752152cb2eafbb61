import { chmod, readFile, writeFile } from 'node:fs/promises';

/** The `KEY=value` lines of an env file (comments and blank lines skipped); {} if it is missing. */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) values[match[1]!] = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/**
 * Sets each variable in an env file, replacing its line when there is one and keeping every
 * other line; the file is left readable by the owner only, since it holds secrets.
 */
export async function setEnvVariables(
  path: string,
  variables: Record<string, string>,
): Promise<void> {
  let lines: string[] = [];
  try {
    lines = (await readFile(path, 'utf8')).split('\n');
    if (lines.at(-1) === '') lines.pop();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const [name, value] of Object.entries(variables)) {
    const line = `${name}=${value}`;
    const index = lines.findIndex((existing) =>
      new RegExp(`^\\s*(export\\s+)?${name}=`).test(existing),
    );
    if (index >= 0) lines[index] = line;
    else lines.push(line);
  }
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  // `mode` applies only to a new file: an existing one is narrowed too, now that it holds a key.
  await chmod(path, 0o600);
}
