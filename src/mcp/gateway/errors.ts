/** A problem in the gateway's configuration, naming the file position and field (or the flag). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}
