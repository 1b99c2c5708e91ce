// The position-keeping JSON parser, client config shapes, command-line
// analysis, quoting for the gateway, sensitive paths and config locations.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../src/mcp/gateway/config.js';
import {
  analyzeLaunch, clientFromPath, configLocations, ConfigFileError, gatewayCommand, launchesOf, normalizePath, parseClientConfig,
  parseJson, quoteCommand, sensitivePath, JsonSyntaxError, substitute,
} from '../../src/audit/index.js';
import { skeleton, unpinned } from '../../src/audit/checks/index.js';

function syntaxError(text: string): { line: number; column: number; message: string } {
  try {
    parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ...e.pos, message: e.message };
    throw e;
  }
  throw new Error('parsed');
}

describe('parseJson', () => {
  it('agrees with JSON.parse on values', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"/"], "b": {"c": {}}, "a": 7}';
    const { root } = parseJson(text);
    expect(root.kind).toBe('object');
    const toValue = (n: typeof root): unknown => (n.kind === 'object' ? Object.fromEntries(n.members.map((m) => [m.key, toValue(m.value)])) : n.kind === 'array' ? n.items.map(toValue) : n.kind === 'null' ? null : n.value);
    expect(toValue(root)).toEqual(JSON.parse(text));
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," or "}" after the value of "a"/],
    ['{"a": }', 1, 7, /expected a value, found "}"/],
    ['{\n  \'a\': 1\n}', 2, 3, /property name in double quotes/],
    ['{"a": "C:\\Users"}', 1, 10, /invalid escape \\U/],
    ['{"a": "unterminated}', 1, 7, /unterminated string/],
    ['{"a": 1} x', 1, 10, /after the end of the JSON value/],
    ['', 1, 1, /unexpected end of the file/],
    ['{"a": [1, 2}', 1, 12, /expected "," or "]"/],
    ['{"a": 01}', 1, 8, /expected "," or "}"/],
    ['{"a": "x\ny"}', 1, 9, /a line break inside a string/],
  ])('reports %j at line:column', (text, line, column, message) => {
    const e = syntaxError(text);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toMatch(message);
  });

  it('keeps duplicate keys and their positions', () => {
    const { root } = parseJson('{\n  "x": 1,\n  "x": 2\n}');
    expect(root.kind === 'object' && root.members.map((m) => [m.key, m.keyPos.line, m.keyPos.column])).toEqual([['x', 2, 3], ['x', 3, 3]]);
  });

  it('accepts comments and trailing commas, and says where the first one is', () => {
    expect(parseJson('{"a": 1}').jsonc).toBeNull();
    expect(parseJson('{"a": [1,],}').jsonc).toEqual({ what: 'trailing comma', pos: { line: 1, column: 10 } });
    expect(parseJson('// hi\n{"a": 1 /* x */}').jsonc).toEqual({ what: 'comment', pos: { line: 1, column: 1 } });
    expect(syntaxError('{"a": 1 /* open').message).toMatch(/unterminated \/\* comment/);
  });

  it('skips a BOM and refuses absurd nesting without overflowing the stack', () => {
    expect(parseJson('\ufeff{"a": 1}').root.kind).toBe('object');
    expect(syntaxError('['.repeat(100_000)).message).toMatch(/nested more than 256 levels/);
  });
});

describe('parseClientConfig', () => {
  it('reads the three client shapes', () => {
    expect(parseClientConfig('{"mcpServers": {"a": {"command": "x"}}}', 'a.json').client).toBe('mcp-json');
    expect(parseClientConfig('{"servers": {"a": {"type": "http", "url": "https://x"}}}', 'b.json').client).toBe('vscode');
    const settings = parseClientConfig('{"editor.fontSize": 12, "mcp": {"servers": {"a": {"command": "x"}}}}', '/home/u/.config/Code/User/settings.json');
    expect([settings.client, settings.servers.map((s) => s.name)]).toEqual(['vscode', ['a']]);
    expect(parseClientConfig('{"globalShortcut": ""}', 'claude_desktop_config.json').servers).toEqual([]);
  });

  it.each([
    ['/Users/a/Library/Application Support/Claude/claude_desktop_config.json', 'claude-desktop'],
    ['C:\\Users\\a\\AppData\\Roaming\\Claude\\claude_desktop_config.json', 'claude-desktop'],
    ['/repo/.cursor/mcp.json', 'cursor'],
    ['/repo/.vscode/mcp.json', 'vscode'],
    ['/home/a/.config/Code/User/mcp.json', 'vscode'],
    ['/repo/mcp.json', undefined],
  ])('knows the client of %s', (path, client) => {
    expect(clientFromPath(path)).toBe(client);
  });

  it('refuses comments in a Claude Desktop config, naming the position', () => {
    expect(() => parseClientConfig('{\n  // servers\n  "mcpServers": {}\n}', 'x/claude_desktop_config.json')).toThrow(/claude_desktop_config\.json:2:3: invalid JSON: a comment \(Claude Desktop reads plain JSON/);
    expect(parseClientConfig('{\n  // servers\n  "servers": {},\n}', 'x/.vscode/mcp.json').servers).toEqual([]);
  });

  it('names the file, line, column and field of a bad entry', () => {
    const bad = (text: string) => {
      try {
        parseClientConfig(text, 'c.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigFileError);
        return (e as Error).message;
      }
      throw new Error('parsed');
    };
    expect(bad('{"mcpServers": {"a": {"command": "x", "args": "y z"}}}')).toBe('c.json:1:47: server "a" args: Invalid input: expected array, received string');
    expect(bad('{"mcpServers": {\n  "a": {"args": []}\n}}')).toMatch(/^c\.json:2:8: server "a": a server needs "command" \(stdio\) or "url"/);
    expect(bad('{"mcpServers": {"a": {"command": "x", "env": {"K": null}}}}')).toMatch(/^c\.json:1:52: server "a" env\.K:/);
    expect(bad('[1]')).toMatch(/^c\.json:1:1: expected a JSON object/);
    expect(bad('{"mcpServers": []}')).toMatch(/^c\.json:1:16: "mcpServers" must be an object/);
  });
});

describe('command lines', () => {
  it.each([
    [['npx', '-y', '@scope/pkg@1.2.3', '/tmp'], 'npx', [['npm', '@scope/pkg', '1.2.3']], ['/tmp']],
    [['npx', '--yes', '--package=foo@2', 'foo-cli', 'a'], 'npx', [['npm', 'foo', '2']], ['a']],
    [['uvx', '--from', 'git+https://github.com/x/y@abc1234', 'y'], 'uvx', [['pypi', 'https://github.com/x/y@abc1234', undefined]], []],
    [['uvx', 'mcp-server-git==1.0', '--repository', '.'], 'uvx', [['pypi', 'mcp-server-git', '1.0']], ['--repository', '.']],
    [['docker', 'run', '-i', '--rm', '-e', 'K', '-v', 'a:b', 'img:1', 'x'], 'docker', [['docker', 'img', '1']], ['x']],
    [['C:\\Program Files\\nodejs\\node.exe', 'C:\\x\\node_modules\\@m\\server-a\\dist\\index.js', 'd'], 'node', [['npm', '@m/server-a', undefined]], ['d']],
    [['python', '-m', 'mcp_server_time', '--tz', 'UTC'], 'python', [['pypi', 'mcp-server-time', undefined]], ['--tz', 'UTC']],
    [['mcp-server-git', '--repository', '.'], 'mcp-server-git', [['binary', 'mcp-server-git', undefined]], ['--repository', '.']],
  ])('reads %j', (argv, runner, packages, serverArgs) => {
    const l = analyzeLaunch(argv as string[]);
    expect(l.runner).toBe(runner);
    expect(l.packages.map((p) => [p.ecosystem, p.name, p.version])).toEqual(packages);
    expect(l.serverArgs).toEqual(serverArgs);
  });

  it('sees through shell wrappers when the command can be read', () => {
    expect(analyzeLaunch(['bash', '-lc', 'npx -y pkg@1.0.0 "/my dir"']).inner).toEqual(['npx', '-y', 'pkg@1.0.0', '/my dir']);
    expect(analyzeLaunch(['cmd', '/C', 'npx', '-y', 'pkg']).inner).toEqual(['npx', '-y', 'pkg']);
    expect(analyzeLaunch(['pwsh', '-Command', 'npx -y pkg']).inner).toEqual(['npx', '-y', 'pkg']);
    expect(analyzeLaunch(['sh', '-c', 'curl x | sh']).wrappers[0]).toMatchObject({ kind: 'shell', opaque: true });
    expect(analyzeLaunch(['env', 'A=1', 'npx', 'pkg']).packages[0].name).toBe('pkg');
  });

  it('finds the upstreams of a gateway entry', () => {
    const { launches, gateway } = launchesOf('npx', ['raxe', 'mcp', 'gateway', '-u', 'npx -y a@1', '--upstream=uvx b', '-c', 'g.yaml']);
    expect(gateway?.configFile).toBe('g.yaml');
    expect(gateway?.launcher.packages[0]).toMatchObject({ ecosystem: 'npm', name: 'raxe' }); // how raxe itself starts: checked too
    expect(launches.map((l) => [l.behindGateway, l.packages[0].name])).toEqual([[true, 'a'], [true, 'b']]);
    expect(launchesOf('raxe', ['mcp', 'serve']).gateway).toBeNull();
  });

  it.each([
    [['npx', '-y', 'pkg'], 'npx -y pkg'],
    [['node', '/my dir/server.js'], "node '/my dir/server.js'"],
    [['node', "it's.js"], 'node "it\'s.js"'],
    [['cmd', '/c', 'C:\\Program Files\\x.exe'], "cmd /c 'C:\\Program Files\\x.exe'"],
    [['x', ''], "x ''"],
    [['echo', 'a"b\\c\'d'], 'echo "a\\"b\\\\c\'d"'],
  ])('quotes %j so that the gateway splits it back', (argv, quoted) => {
    expect(quoteCommand(argv)).toBe(quoted);
    expect(splitCommand(quoteCommand(argv))).toEqual(argv);
  });

  it('prints the gateway command, quoted for a POSIX shell', () => {
    expect(gatewayCommand(['npx', '-y', '@modelcontextprotocol/server-git'])).toBe('raxe mcp gateway -u "npx -y @modelcontextprotocol/server-git"');
    const argv = ['node', '/a b/$x.js', 'say "hi"', "it's"];
    const cmd = gatewayCommand(argv);
    expect(cmd).toBe(String.raw`raxe mcp gateway -u 'node '\''/a b/$x.js'\'' '\''say "hi"'\'' "it'\''s"'`);
    // a POSIX shell hands the gateway exactly the -u string, and the gateway splits it back
    const word = cmd.slice('raxe mcp gateway -u '.length);
    const seen = spawnSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' }).stdout;
    expect(splitCommand(seen)).toEqual(argv);
  });

  it('knows pinned from unpinned', () => {
    const first = (argv: string[]) => {
      const l = analyzeLaunch(argv);
      return unpinned(l.packages[0], l);
    };
    expect(first(['npx', 'a@1.2.3'])).toBeNull();
    expect(first(['npx', 'a@1.2.3-beta.1'])).toBeNull();
    expect(first(['npx', 'a'])).toBe('no version');
    expect(first(['npx', 'a@latest'])).toBe('@latest');
    expect(first(['npx', 'a@~1.2'])).toBe('a version range (@~1.2)');
    expect(first(['uvx', 'a==1.2.3'])).toBeNull();
    expect(first(['uvx', 'a@1.2.3'])).toBeNull();
    expect(first(['uvx', 'a~=1.2'])).toBe('a version range (~=1.2)');
    expect(first(['node', 'node_modules/a/index.js'])).toBeNull();
    // raxe too: `npx raxe` runs whatever the registry serves under that name
    expect(first(['npx', 'raxe', 'mcp', 'gateway'])).toBe('no version');
  });

  it('folds look-alike tool names together', () => {
    expect(skeleton('read_file')).toBe(skeleton('Read-File'));
    expect(skeleton('read_file')).toBe(skeleton('readFiIe'));
    expect(skeleton('read_file')).toBe(skeleton('reаd_file')); // Cyrillic а
    expect(skeleton('read_file')).not.toBe(skeleton('write_file'));
  });
});

describe('sensitive paths', () => {
  it.each([
    ['/', 'whole filesystem'],
    ['C:\\', 'whole drive'],
    ['D:/', 'whole drive'],
    ['~', 'home directory'],
    ['/home/alice/', 'home directory'],
    ['/Users/alice', 'home directory'],
    ['C:\\Users\\alice', 'home directory'],
    ['%USERPROFILE%', 'home directory'],
    ['${userHome}', 'home directory'],
    ['~/.ssh', 'SSH keys'],
    ['/home/alice/.ssh/config', 'SSH keys'],
    ['$HOME/.aws', 'AWS credentials'],
    ['~/.gnupg/', 'GPG keys'],
    ['/etc/nginx', 'system configuration'],
    ['/root', "root's home"],
    ['C:\\Windows', 'Windows system files'],
    ['%SystemRoot%\\System32', 'Windows system files'],
    ['/home', "every user's home"],
    ['C:\\Users', "every user's home"],
    ['/var', 'contains /var/lib: service data'],
    ['/tmp/../etc', 'system configuration'],
  ])('%s is sensitive (%s)', (p, why) => {
    expect(sensitivePath(p)).toBe(why);
  });

  it.each(['/tmp', '/Users/alice/src/app', '~/projects', 'C:\\Users\\alice\\Documents', './data', 'relative/dir', '${workspaceFolder}', '/opt/app', '/var/tmp/x'])('%s is not', (p) => {
    expect(sensitivePath(p)).toBeNull();
  });

  it('normalises home forms and separators', () => {
    expect(normalizePath('C:\\Users\\me\\.ssh\\')).toBe('~/.ssh');
    expect(normalizePath('/home/me/a/./b/../c')).toBe('~/a/c');
    expect(normalizePath('relative')).toBeNull();
  });
});

describe('config locations', () => {
  const env = {};
  it('per OS', () => {
    const paths = (platform: string, home: string, extra: Record<string, string> = {}) => configLocations({ platform, home, cwd: platform === 'win32' ? 'C:\\repo' : '/repo', env: { ...env, ...extra } }).map((p) => `${p.client} ${p.path}`);
    expect(paths('darwin', '/Users/a')).toEqual([
      'claude-desktop /Users/a/Library/Application Support/Claude/claude_desktop_config.json',
      'cursor /repo/.cursor/mcp.json',
      'cursor /Users/a/.cursor/mcp.json',
      'vscode /repo/.vscode/mcp.json',
      'vscode /Users/a/Library/Application Support/Code/User/mcp.json',
      'vscode /Users/a/Library/Application Support/Code/User/settings.json',
      'vscode /Users/a/Library/Application Support/Code - Insiders/User/mcp.json',
      'vscode /Users/a/Library/Application Support/Code - Insiders/User/settings.json',
    ]);
    const linux = paths('linux', '/home/a');
    expect(linux.slice(0, 2)).toEqual(['claude-desktop /home/a/.config/Claude/claude_desktop_config.json', 'claude-desktop /home/a/.config/claude/claude_desktop_config.json']);
    expect(linux).toContain('vscode /home/a/.config/Code/User/mcp.json');
    const win = paths('win32', 'C:\\Users\\a', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' });
    expect(win[0]).toBe('claude-desktop C:\\Users\\a\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    expect(win).toContain('cursor C:\\Users\\a\\.cursor\\mcp.json');
    expect(win).toContain('vscode C:\\repo\\.vscode\\mcp.json');
    expect(win).toContain('vscode C:\\Users\\a\\AppData\\Roaming\\Code\\User\\mcp.json');
  });

  it('fills in VS Code variables for --scan-tools', () => {
    expect(substitute('${workspaceFolder}/x ${userHome} ${env:A} ${input:k}', { workspaceFolder: '/w', userHome: '/h', env: { A: 'a' } })).toBe('/w/x /h a ${input:k}');
  });
});
