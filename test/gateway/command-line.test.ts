// The -u command line: POSIX keeps backslashes that do not escape a quote,
// a space or a backslash (Windows paths survive); Windows follows the
// Microsoft C runtime's rules; quoteCommand and splitCommand round-trip on
// both; and end to end, the upstream receives `C:\Users\me\Documents` as
// written (the abusive fixture reports its argv).
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { quoteCommand, splitCommand } from '../../src/mcp/gateway/command-line.js';
import { call, FIXTURES, NODE, removeTemps, startGateway, textOf } from './helpers.js';

afterAll(() => removeTemps());

describe('POSIX rule', () => {
  it.each([
    ['node argv.js C:\\Users\\me\\Documents', ['node', 'argv.js', 'C:\\Users\\me\\Documents']],
    ['node a.js \\\\server\\share', ['node', 'a.js', '\\server\\share']],
    ['node a.js my\\ dir \\"q\\" \\\'s', ['node', 'a.js', 'my dir', '"q"', "'s"]],
    ['node a.js "C:\\Program Files\\x" \'C:\\a b\\\'', ['node', 'a.js', 'C:\\Program Files\\x', 'C:\\a b\\']],
    ['node a.js "say \\"hi\\" \\\\ \\n"', ['node', 'a.js', 'say "hi" \\ \\n']],
    ['node a.js trailing\\', ['node', 'a.js', 'trailing\\']],
    ["x '' \"\"", ['x', '', '']],
  ])('%s', (cmd, argv) => {
    expect(splitCommand(cmd, 'posix')).toEqual(argv);
  });
});

describe('Windows rule (Microsoft C runtime)', () => {
  it.each([
    ['node argv.js C:\\Users\\me\\Documents', ['node', 'argv.js', 'C:\\Users\\me\\Documents']],
    ['"C:\\Program Files\\nodejs\\node.exe" "C:\\my dir\\s.js" --root C:\\data\\', ['C:\\Program Files\\nodejs\\node.exe', 'C:\\my dir\\s.js', '--root', 'C:\\data\\']],
    ['a "b\\"c" d\\\\"e f" g', ['a', 'b"c', 'd\\e f', 'g']],
    ['a \\\\\\"b "c""d" C:\\Users\\O\'Brien', ['a', '\\"b', 'c"d', "C:\\Users\\O'Brien"]],
    ['x "" "a\\\\"', ['x', '', 'a\\']],
  ])('%s', (cmd, argv) => {
    expect(splitCommand(cmd, 'win32')).toEqual(argv);
  });

  it('refuses an open quote', () => {
    expect(() => splitCommand('node "C:\\x', 'win32')).toThrow(/unterminated " quote/);
  });
});

describe('quoteCommand round-trips on both platforms', () => {
  const pieces = ['a', ' ', '\\', '"', "'", 'C:', '$x', '\t', 'é', '\\\\', '"\\'];
  const args: string[] = [''];
  for (const a of pieces) for (const b of pieces) for (const c of pieces) args.push(a + b + c);

  it.each(['posix', 'win32'] as const)('%s: every argument of up to three awkward pieces', (platform) => {
    for (let i = 0; i < args.length; i += 7) {
      const argv = ['node', ...args.slice(i, i + 7)];
      expect(splitCommand(quoteCommand(argv, platform), platform), JSON.stringify(argv)).toEqual(argv);
    }
  });
});

describe('end to end (this platform)', () => {
  it('the upstream receives a Windows path with its backslashes', async () => {
    const gw = await startGateway({ args: ['-u', `${NODE} ${join(FIXTURES, 'abusive.mjs')} C:\\Users\\me\\Documents`, '--no-l2'] });
    try {
      expect(JSON.parse(textOf(await call(gw, 'argv')))).toEqual(['C:\\Users\\me\\Documents']);
    } finally {
      await gw.close();
    }
  });
});
