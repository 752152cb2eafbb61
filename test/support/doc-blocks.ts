import { readFileSync } from 'node:fs';

/** A fenced block of a Markdown document, with what the document says about running it. */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** `<!-- not-run: reason -->` right before the fence. */
  notRun?: string;
  /** `<!-- background: ready when it prints "…" -->` right before the fence. */
  readyWhen?: string;
  /** `<!-- expected-output -->` right before the fence: what the shell block before it prints. */
  isExpectedOutput?: boolean;
}

/** Every fenced block of `file` (relative to `root`), in order. */
export function extractBlocks(root: string, file: string): DocBlock[] {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() !== fence)
      body.push(lines[j++]!.slice(indent!.length));
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = k >= 0 ? lines[k]!.trim() : '';
    const notRun = /^<!-- not-run: (.+) -->$/.exec(marker)?.[1];
    const readyWhen = /^<!-- background: ready when it prints "(.+)" -->$/.exec(marker)?.[1];
    blocks.push({
      file,
      line: i + 1,
      lang: lang ?? '',
      code: body.join('\n'),
      ...(notRun ? { notRun } : {}),
      ...(readyWhen ? { readyWhen } : {}),
      ...(marker === '<!-- expected-output -->' ? { isExpectedOutput: true } : {}),
    });
    i = j;
  }
  return blocks;
}

/** The languages a document's session runs; any other fence is shown output or a config. */
export const runnableLanguages = new Set(['sh', 'bash', 'js', 'mjs', 'ts']);

/** A code block that names its file on its first line (`// server.mjs …`): written, then run by the shell. */
export function fileNameOf(block: DocBlock): string | undefined {
  return /^\/\/ ([\w.-]+\.(?:m?js|ts))\b/.exec(block.code)?.[1];
}

/** A line of shown output as a pattern of the whole line: `…` stands for anything. */
export function linePattern(text: string): RegExp {
  return new RegExp(
    `^${text
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?')}$`,
  );
}

/**
 * Expected output the shell blocks show as a comment after a command (`# {"object":"account",…}`),
 * as a pattern: `…` stands for anything.
 */
export function expectedOutputs(block: DocBlock): RegExp[] {
  return block.code
    .split('\n')
    .map((line) => /^#\s*(\{.*\})\s*$/.exec(line.trim())?.[1])
    .filter((text): text is string => text !== undefined)
    .map(
      (text) =>
        new RegExp(
          text
            .split('…')
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*?'),
        ),
    );
}

/** The line a session script echoes before a block's commands, so its output can be told apart. */
export const blockMarker = (block: DocBlock) => `echo; echo '@@block ${block.line}'`;
/** The line a session script echoes after the last block. */
export const endMarker = "echo; echo '@@end'";

/**
 * The output of a session script made with `blockMarker`/`endMarker`, by the block's line; and
 * the block whose output came last (the failing one when the script stopped before `@@end`).
 */
export function outputsByBlock(log: string): { outputs: Map<number, string>; last?: number } {
  const outputs = new Map<number, string>();
  let current: number | undefined;
  for (const line of log.split('\n')) {
    const marker = /^@@block (\d+)$/.exec(line);
    if (marker) current = Number(marker[1]);
    else if (line === '@@end') current = undefined;
    else if (current !== undefined) outputs.set(current, `${outputs.get(current) ?? ''}${line}\n`);
  }
  return current === undefined ? { outputs } : { outputs, last: current };
}
