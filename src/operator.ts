import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { runOperatorCommand, type PasswordInput } from './admin/operator-command.js';
import { runWithStorage } from './command-storage.js';

/** At a terminal: asks without echoing what is typed. From a pipe: the first line. */
function passwordInput(): PasswordInput {
  const interactive = process.stdin.isTTY;
  if (!interactive) {
    const firstLine = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
    })();
    return { interactive, read: () => firstLine };
  }
  return {
    interactive,
    read: (prompt) =>
      new Promise((resolve) => {
        process.stdout.write(prompt);
        const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
        const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
        rl.question('', (answer) => {
          rl.close();
          process.stdout.write('\n');
          resolve(answer);
        });
      }),
  };
}

/** `npm run operator -- …`: the dashboard's operator password, in the service's own storage. */
await runWithStorage((storage) =>
  runOperatorCommand(process.argv.slice(2), {
    store: storage.operator,
    input: passwordInput(),
    nowMs: Date.now(),
  }),
);
