// The corpus: each fixture config and exactly what the audit must report
// for it ("SEVERITY check server"), apart from no-gateway, listed per server.
// Run against the pure checks (checks.test.ts) and the CLI (cli.test.ts).

export interface Case {
  fixtures: string[];
  findings: string[];
  /** Servers with the INFO no-gateway finding. */
  noGateway: string[];
  /** Substrings some finding's issue must contain. */
  issues?: string[];
}

export const CASES: Record<string, Case> = {
  'claude desktop (the spec example)': {
    fixtures: ['claude-desktop.json'],
    findings: ['CRITICAL shell-execution shell', 'HIGH sensitive-filesystem filesystem'],
    noGateway: ['shell', 'filesystem', 'git'],
    issues: ['Server has shell execution capability', 'Filesystem server has access to sensitive path /Users/alice (home directory)'],
  },
  'clean: nothing but INFO': {
    fixtures: ['clean.json'],
    findings: [],
    noGateway: ['git', 'filesystem', 'github', 'docs', 'local-api'],
  },
  'cursor (mcpServers shape)': {
    fixtures: ['cursor-mcp.json'],
    findings: ['HIGH insecure-http linear', 'MEDIUM unpinned-package browser'],
    noGateway: ['browser', 'linear', 'time'],
    issues: ['(@latest)', 'plain HTTP (http://mcp.linear.example)'],
  },
  'vs code (servers shape, JSONC, http/sse entries)': {
    fixtures: ['vscode-mcp.json'],
    findings: ['CRITICAL shell-execution runner', 'HIGH plaintext-secret github', 'HIGH insecure-http legacy'],
    noGateway: ['perplexity', 'github', 'legacy', 'runner'],
    issues: ['Plain-text secret in header Authorization (sec-003'],
  },
  'shell and command execution': {
    fixtures: ['shell.json'],
    findings: [
      'CRITICAL shell-execution desktop-commander', 'CRITICAL shell-execution shell-server', 'CRITICAL shell-execution terminal', 'CRITICAL shell-execution claude-code',
      'HIGH shell-execution bash-wrapped', 'HIGH shell-execution sh-pipeline', 'HIGH shell-execution windows-cmd', 'HIGH shell-execution powershell',
      'HIGH shell-execution in-container', 'HIGH shell-execution as-root',
    ],
    noGateway: ['desktop-commander', 'shell-server', 'terminal', 'bash-wrapped', 'sh-pipeline', 'windows-cmd', 'powershell', 'in-container', 'as-root', 'claude-code', 'fetch', 'github'],
    issues: ['(bash -c)', '(cmd /c)', 'powershell -EncodedCommand', 'docker exec', 'runs as root (sudo)'],
  },
  'filesystem servers and sensitive paths': {
    fixtures: ['filesystem.json'],
    findings: ['fs-root', 'fs-home', 'fs-ssh', 'fs-aws', 'fs-gnupg', 'fs-etc', 'fs-root-home', 'fs-c-drive', 'fs-userprofile', 'fs-windows', 'fs-docker'].map((s) => `HIGH sensitive-filesystem ${s}`),
    noGateway: ['fs-root', 'fs-home', 'fs-ssh', 'fs-aws', 'fs-gnupg', 'fs-etc', 'fs-root-home', 'fs-c-drive', 'fs-userprofile', 'fs-windows', 'fs-docker', 'fs-safe'],
    issues: ['(whole filesystem)', '(SSH keys)', '(AWS credentials)', '(GPG keys)', '/tmp/../etc (system configuration)', 'C:\\ (whole drive)', '%USERPROFILE% (home directory)', '(Windows system files)', 'Container mounts sensitive host path /Users/alice'],
  },
  'plain-text secrets': {
    fixtures: ['secrets.json'],
    findings: [
      'CRITICAL plaintext-secret aws', 'HIGH plaintext-secret github', 'HIGH plaintext-secret openai', 'HIGH plaintext-secret aws',
      'MEDIUM plaintext-secret internal', 'MEDIUM plaintext-secret api',
    ],
    noGateway: ['github', 'openai', 'aws', 'internal', 'placeholders', 'api'],
    issues: ['env GITHUB_PERSONAL_ACCESS_TOKEN (sec-003', 'args (sec-010', 'env AWS_SECRET_ACCESS_KEY (sec-002', 'env INTERNAL_API_TOKEN holds a literal credential', 'header X-API-Key holds a literal credential'],
  },
  'unpinned packages and images': {
    fixtures: ['pinning.json'],
    findings: [
      'MEDIUM unpinned-package npx-none', 'MEDIUM unpinned-package npx-latest', 'MEDIUM unpinned-package npx-range', 'MEDIUM unpinned-package npx-package-flag',
      'MEDIUM unpinned-package uvx-none', 'MEDIUM unpinned-package uvx-range', 'LOW unpinned-package docker-latest',
    ],
    noGateway: ['npx-none', 'npx-latest', 'npx-range', 'npx-pinned', 'npx-package-flag', 'uvx-none', 'uvx-range', 'uvx-pinned', 'uvx-from', 'docker-latest', 'docker-pinned', 'local-node'],
    issues: ['(no version)', '(@latest)', '(a version range (@^1.2.0))', '(a version range (>=2025.1))', '(:latest)'],
  },
  'remote servers': {
    fixtures: ['remote.json'],
    findings: ['HIGH insecure-http plain-http', 'HIGH url-credentials userinfo', 'HIGH url-credentials query-token', 'HIGH url-credentials query-api-key', 'HIGH insecure-http bridge'],
    noGateway: ['plain-http', 'localhost-http', 'userinfo', 'query-token', 'query-api-key', 'bridge', 'https-ok'],
    issues: ['(user:password@)', '(?token=)', '(?api_key=)'],
  },
  'docker run privileges': {
    fixtures: ['docker.json'],
    findings: [
      'CRITICAL docker-privileges privileged', 'CRITICAL docker-privileges socket', 'CRITICAL docker-privileges caps',
      'HIGH docker-privileges host-net', 'HIGH docker-privileges host-net-eq', 'HIGH docker-privileges pid-host', 'HIGH docker-privileges caps',
    ],
    noGateway: ['privileged', 'host-net', 'host-net-eq', 'socket', 'pid-host', 'caps', 'safe'],
    issues: ['--privileged', 'Docker socket', '--network host', '--net host', '--pid host', 'SYS_ADMIN'],
  },
  'duplicates within a file and across files': {
    fixtures: ['duplicates.json', 'duplicates-other.json'],
    findings: ['MEDIUM duplicate-server memory', 'MEDIUM duplicate-key github', 'MEDIUM duplicate-server github', 'LOW duplicate-server time'],
    noGateway: ['memory', 'github', 'time', 'time', 'github'],
    issues: ['defined twice in this file (first at line 3)', 'Key "env.GITHUB_HOST" appears twice', 'also defined in test/fixtures/audit/duplicates.json, differently'],
  },
  'servers behind the gateway': {
    fixtures: ['gateway.json'],
    // protected-fs is unpinned twice: its -u server, and `npx raxe` itself
    findings: ['HIGH shell-execution protected-shell', 'HIGH sensitive-filesystem protected-fs', 'MEDIUM unpinned-package protected-fs', 'MEDIUM unpinned-package protected-fs', 'INFO no-gateway from-config'],
    noGateway: [],
    issues: ['behind the gateway', 'Gateway upstreams are in /etc/raxe/mcp-security.yaml', 'npx package raxe is not pinned (no version)'],
  },
};
