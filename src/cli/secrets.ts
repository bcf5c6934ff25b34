// Passphrases and the recovery key: from the environment for scripts, otherwise typed at a terminal
// with echo off. Nothing read here is ever printed, logged or written anywhere.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { cancelled, usageError } from './output.js';

export const SECRET_ENV = {
  passphrase: 'CONCORDAT_PASSPHRASE',
  newPassphrase: 'CONCORDAT_NEW_PASSPHRASE',
  recoveryKey: 'CONCORDAT_RECOVERY_KEY',
} as const;

const MATCH_ATTEMPTS = 3;

export class Secrets {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly stdin: NodeJS.ReadStream = process.stdin,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** The passphrase that unlocks `username`'s key slot. */
  passphrase(username: string): Promise<string> {
    return this.fromEnvOrPrompt([SECRET_ENV.passphrase], `Passphrase for ${username}: `);
  }

  /**
   * A passphrase being set. Typed twice at a terminal, since a typo would lock its owner out;
   * `envNames` are tried in order first.
   */
  async newPassphrase(whose: string, envNames: readonly string[] = [SECRET_ENV.newPassphrase]): Promise<string> {
    const fromEnv = this.fromEnv(envNames);
    if (fromEnv !== undefined) return fromEnv;
    this.requireTerminal(envNames);
    for (let attempt = 1; attempt <= MATCH_ATTEMPTS; attempt++) {
      const first = await this.promptHidden(`New passphrase for ${whose} (at least 12 characters; three random words work well): `);
      const second = await this.promptHidden('Type it again: ');
      if (first === second) return first;
      this.stderr.write('The two did not match.\n');
    }
    throw usageError(`The passphrases did not match ${MATCH_ATTEMPTS} times; nothing was changed.`);
  }

  private recoveryKeyAnswer: Promise<string> | undefined;

  /** Asked once per run: a fallback path that needs it again does not prompt twice. */
  recoveryKey(): Promise<string> {
    return (this.recoveryKeyAnswer ??= this.fromEnvOrPrompt(
      [SECRET_ENV.recoveryKey],
      'Recovery key (the groups of letters and digits shown at set-up): ',
    ));
  }

  private fromEnv(names: readonly string[]): string | undefined {
    for (const name of names) {
      const value = this.env[name];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  }

  private async fromEnvOrPrompt(envNames: readonly string[], question: string): Promise<string> {
    const fromEnv = this.fromEnv(envNames);
    if (fromEnv !== undefined) return fromEnv;
    this.requireTerminal(envNames);
    return this.promptHidden(question);
  }

  private requireTerminal(envNames: readonly string[]): void {
    if (!this.stdin.isTTY) {
      throw usageError(`No terminal to ask on: set ${envNames.join(' or ')} when running from a script.`);
    }
  }

  /** Reads one line from the terminal without echoing it. */
  private promptHidden(question: string): Promise<string> {
    const stderr = this.stderr;
    let muted = false;
    // readline echoes what is typed through its output stream: once the question is out, that stream swallows it.
    const output = new Writable({
      write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void) {
        if (!muted) stderr.write(chunk, encoding);
        done();
      },
    });
    // historySize 0: readline would otherwise keep every line typed in memory for up-arrow recall.
    const rl = createInterface({ input: this.stdin, output, terminal: true, historySize: 0 });
    return new Promise<string>((resolve, reject) => {
      let answered = false;
      rl.on('SIGINT', () => rl.close());
      rl.on('close', () => {
        if (answered) return;
        stderr.write('\n');
        reject(cancelled());
      });
      rl.question(question, (answer) => {
        answered = true;
        rl.close();
        stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  }
}
